import { defineTestProject } from '../../tools/config/vitest.preset';

export default defineTestProject('sizing', { isolate: false });
