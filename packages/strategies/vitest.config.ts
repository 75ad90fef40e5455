import { defineTestProject } from '../../tools/config/vitest.preset';

export default defineTestProject('strategies', { isolate: false });
