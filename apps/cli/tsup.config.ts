import { defineConfig } from 'tsup';

// The CLI bundles to one ESM file with a shebang; workspace and registry packages stay external.
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  banner: { js: '#!/usr/bin/env node' },
});
