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
    // Declarations resolve sibling packages through their published types (no source condition), so
    // each package's .d.ts imports its dependencies instead of inlining them. The type-check
    // projects' settings (composite, declarations to .tsbuild) do not apply to this build.
    dts: { compilerOptions: { customConditions: [], composite: false, incremental: false, emitDeclarationOnly: false } },
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    outDir: 'dist',
    ...overrides,
  });
}
