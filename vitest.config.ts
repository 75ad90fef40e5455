import { defineConfig } from 'vitest/config';

// The project configs import the shared preset without a file extension (TypeScript resolution);
// Vite's note that its future native config loader will not support that is noise here.
process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING ??= 'true';

// One vitest run over every package and app, so the summary counts every test.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'tools/*/vitest.config.ts'],
  },
});
