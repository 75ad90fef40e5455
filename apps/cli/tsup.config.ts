import { defineConfig } from 'tsup';

// The `algo-trading` binary (dist/cli.js, with a shebang) and the library entry the examples
// import (dist/index.js + .d.ts: the run functions). One ESM build; a hashbang line is valid at
// the top of any module. Workspace and registry packages stay external.
export default defineConfig({
  entry: { cli: 'src/cli.ts', index: 'src/index.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  splitting: true,
  banner: { js: '#!/usr/bin/env node' },
  dts: { entry: { index: 'src/index.ts' }, compilerOptions: { customConditions: [] } },
});
