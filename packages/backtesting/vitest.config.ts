import { defineTestProject } from '../../tools/config/vitest.preset';

export default defineTestProject('backtesting', { isolate: false });
