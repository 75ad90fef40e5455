import { defineTestProject } from '../../tools/config/vitest.preset';

export default defineTestProject('portfolio', { isolate: false });
