import { defineTestProject } from '../../tools/config/vitest.preset';

export default defineTestProject('sweep', { isolate: false });
