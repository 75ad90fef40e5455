import { defineLibraryConfig } from '../../tools/config/tsup.preset';

// shims: the CJS build needs `import.meta.url` (DuckDB's CommonJS packages are required from this package).
// duckdb-client: DuckDB's client API bundled into one file (dist/duckdb-client.cjs, see loadDuckDB);
// its native bindings stay external. The package's own entry keeps requiring it at run time only.
export default defineLibraryConfig({
  shims: true,
  entry: ['src/index.ts', 'src/duckdb-client.ts'],
  noExternal: ['@duckdb/node-api'],
  dts: { entry: 'src/index.ts', compilerOptions: { customConditions: [], composite: false, incremental: false, emitDeclarationOnly: false } },
});
