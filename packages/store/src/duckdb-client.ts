/**
 * DuckDB's client API (`@duckdb/node-api`), for the build only: tsup bundles it with this entry
 * into one CommonJS file, `dist/duckdb-client.cjs`, which `loadDuckDB` requires (see there).
 */
import * as api from '@duckdb/node-api';

export default api;
