import { defineTestProject } from '../../tools/config/vitest.preset';

export default defineTestProject('regimes', { isolate: false });
