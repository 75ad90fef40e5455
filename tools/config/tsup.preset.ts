import { basename } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/**
 * The declaration entries of a build: for each source entry `src/<name>.ts`, the declaration file
 * that the package's type-check project (`tsc -b tsconfig.json`, the first half of every `build`
 * script) has already emitted to `.tsbuild/src/<name>.d.ts`. tsup only bundles them into
 * `dist/<name>.d.ts` and `.d.cts`: the sources are type-checked once, by `tsc -b`, not a second
 * time by tsup's own declaration compiler (which was most of each package's build time).
 */
export function declarationEntries(entry: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    entry.map((file) => {
      if (!/^src\/.+\.ts$/.test(file)) throw new Error(`tsup entry ${file}: expected a file src/<name>.ts`);
      return [basename(file, '.ts'), `.tsbuild/${file.slice(0, -'.ts'.length)}.d.ts`];
    }),
  );
}

/**
 * The one tsup configuration every library uses: ESM + CJS + .d.ts from `src/index.ts`
 * (plus any extra entries), Node 20 target, dependencies external.
 */
export function defineLibraryConfig(overrides: Omit<Options, 'entry'> & { readonly entry?: readonly string[] } = {}) {
  const entry = [...(overrides.entry ?? ['src/index.ts'])];
  return defineConfig({
    format: ['esm', 'cjs'],
    target: 'node20',
    platform: 'node',
    // The bundler reads the package's tsconfig.json: its type-check settings (composite, output to
    // .tsbuild, the source condition) do not apply to bundling finished declarations.
    dts: {
      entry: declarationEntries(entry),
      compilerOptions: { customConditions: [], composite: false, incremental: false, emitDeclarationOnly: false },
    },
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    outDir: 'dist',
    ...overrides,
    entry,
  });
}
