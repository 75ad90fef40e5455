import { defineConfig } from 'tsup';

// The `algo-trading` binary's code (dist/cli.js, run by bin/algo-trading.js) and the library entry
// the examples import (dist/index.js + .d.ts: the run functions). One ESM build with code
// splitting: each command is its own chunk, imported when the command runs, so `--help` loads
// only commander. Workspace and registry packages stay external. The third entry is the worker
// thread that renders report.html (dist/report-thread.js, started by src/report/render-thread.ts).
export default defineConfig({
  entry: { cli: 'src/cli.ts', index: 'src/index.ts', 'report-thread': 'src/report/report-thread.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  splitting: true,
  dts: { entry: { index: 'src/index.ts' }, compilerOptions: { customConditions: [], composite: false, incremental: false, emitDeclarationOnly: false } },
});
