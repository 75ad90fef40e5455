import { defineTestProject } from '../../tools/config/vitest.preset';

export default defineTestProject('examples', { isolate: false });
