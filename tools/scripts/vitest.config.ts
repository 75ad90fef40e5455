import { defineTestProject } from '../config/vitest.preset';

export default defineTestProject('tools', { isolate: false });
