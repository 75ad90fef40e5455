import { defineTestProject } from '../../tools/config/vitest.preset';

export default defineTestProject('cli', { isolate: false });
