import { defineConfig, type Options } from 'tsup';

/**
 * The one tsup configuration every library uses: ESM + CJS + .d.ts from `src/index.ts`
 * (plus any extra entries), Node 20 target, dependencies external.
 */
export function defineLibraryConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    target: 'node20',
    platform: 'node',
    dts: { compilerOptions: { customConditions: [] } },
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    outDir: 'dist',
    ...overrides,
  });
}
