import { defineConfig } from 'vitest/config';

// One vitest run over every package and app, so the summary counts every test.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'tools/*/vitest.config.ts'],
  },
});
