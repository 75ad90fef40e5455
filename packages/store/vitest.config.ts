import { defineTestProject } from '../../tools/config/vitest.preset';

export default defineTestProject('store', { isolate: false });
