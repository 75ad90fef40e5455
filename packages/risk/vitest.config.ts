import { defineTestProject } from '../../tools/config/vitest.preset';

export default defineTestProject('risk', { isolate: false });
