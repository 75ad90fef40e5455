import { defineTestProject } from '../../tools/config/vitest.preset';

export default defineTestProject('core', { isolate: false });
