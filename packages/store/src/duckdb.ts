import { createRequire } from 'node:module';
import { AlgoTradingError } from '@algo-trading/core';
import type * as DuckDBApiModule from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import type * as DuckDBBindingsModule from '@duckdb/node-bindings';

/**
 * The one place that touches DuckDB's client packages: loading them lazily (importing this
 * package never loads the native binary; only opening a store does), quoting SQL literals, and
 * moving `Float64Array` columns in and out of DuckDB's data chunks by plain memory copies.
 *
 * Why raw copies: the high-level API reads a chunk value by value into JS arrays (about 1 s for
 * a million bars of six columns); copying each vector's memory into a preallocated
 * `Float64Array` costs one call per column per chunk of 2,048 rows. The same holds for appends.
 */

type DuckDBApi = typeof DuckDBApiModule;
type DuckDBBindings = typeof DuckDBBindingsModule;

/** The loaded client: the high-level API and the low-level bindings it is built on. */
export interface DuckDBModules {
  readonly api: DuckDBApi;
  readonly bindings: DuckDBBindings;
}

let loading: Promise<DuckDBModules> | undefined;

/**
 * Loads `@duckdb/node-api` and its native bindings once. Throws `UNSUPPORTED` naming the
 * platform when the native binary (an optional dependency) is missing.
 */
export function loadDuckDB(): Promise<DuckDBModules> {
  loading ??= (async () => {
    try {
      // Both packages are CommonJS: `require` them. An `import()` would make Node scan every file
      // of @duckdb/node-api for its named exports (cjs-module-lexer) and wrap each as an ES
      // module, which more than doubles the load time (0.35-0.6 s against 1.0-2.2 s, 6 runs each
      // on a loaded 2-core machine): the bulk of a short command such as `algo-trading runs ls`.
      const requireHere = createRequire(import.meta.url);
      const api = requireHere('@duckdb/node-api') as DuckDBApi;
      const bindings = requireHere('@duckdb/node-bindings') as DuckDBBindings;
      return { api, bindings };
    } catch (cause) {
      loading = undefined;
      const platform = `${process.platform}-${process.arch}`;
      throw new AlgoTradingError(
        'UNSUPPORTED',
        `@algo-trading/store needs DuckDB's native binary for ${platform} (the optional dependency @duckdb/node-bindings-${platform}), which failed to load: ${(cause as Error)?.message ?? String(cause)}. Reinstall without --no-optional / --omit=optional.`,
        { cause, details: { field: '@duckdb/node-bindings', value: platform } },
      );
    }
  })();
  return loading;
}

/** A SQL string literal: `'it''s'`. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A quoted SQL identifier: `"Adj Close"`. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Rows of DuckDB's vector size per data chunk (2,048 in every released build). */
function chunkCapacity(bindings: DuckDBBindings): number {
  return bindings.vector_size();
}

/**
 * Runs `sql` (every column `DOUBLE`, no NULLs) as a streaming query and copies each chunk's
 * vectors into one preallocated `Float64Array` per column. `rowCount` is the number of rows the
 * query returns (counted by the caller beforehand). Throws `INVARIANT_VIOLATION` when a column
 * is not `DOUBLE` or the row count differs (a bug in the query, not in the data).
 */
export async function readDoubleColumns(modules: DuckDBModules, connection: DuckDBConnection, sql: string, rowCount: number): Promise<Float64Array[]> {
  const { api, bindings } = modules;
  const result = await connection.stream(sql);
  const columnCount = result.columnCount;
  for (let k = 0; k < columnCount; k++) {
    if (result.columnTypeId(k) !== api.DuckDBTypeId.DOUBLE) {
      throw new AlgoTradingError('INVARIANT_VIOLATION', `column ${result.columnName(k)} of a columnar read is ${result.columnType(k).toString()}, expected DOUBLE`, {
        details: { field: result.columnName(k) },
      });
    }
  }
  const out: Float64Array[] = [];
  for (let k = 0; k < columnCount; k++) out.push(new Float64Array(rowCount));
  let position = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    const size = chunk === null ? 0 : chunk.rowCount;
    if (chunk === null || size === 0) break;
    if (position + size > rowCount) break;
    for (let k = 0; k < columnCount; k++) {
      const bytes = bindings.vector_get_data(bindings.data_chunk_get_vector(chunk.chunk, k), size * 8);
      out[k]!.set(new Float64Array(bytes.buffer, bytes.byteOffset, size), position);
    }
    position += size;
  }
  if (position !== rowCount) {
    throw new AlgoTradingError('INVARIANT_VIOLATION', `a columnar read returned ${position} rows but ${rowCount} were counted`, {
      details: { field: 'rowCount', value: position },
    });
  }
  return out;
}

/**
 * Appends equally long `Float64Array` columns to a table whose columns are all `DOUBLE` (a
 * staging table), by copying them into data chunks. `catalog` is `temp` for temporary tables.
 */
export async function appendDoubleColumns(
  modules: DuckDBModules,
  connection: DuckDBConnection,
  table: { readonly name: string; readonly catalog?: string },
  columns: readonly Float64Array[],
): Promise<void> {
  const { api, bindings } = modules;
  const n = columns[0]?.length ?? 0;
  const appender = await connection.createAppender(table.name, null, table.catalog ?? null);
  try {
    const capacity = chunkCapacity(bindings);
    const chunk = api.DuckDBDataChunk.create(columns.map(() => api.DOUBLE), capacity);
    for (let offset = 0; offset < n; offset += capacity) {
      const size = Math.min(capacity, n - offset);
      chunk.rowCount = size;
      for (let k = 0; k < columns.length; k++) {
        const source = columns[k]!;
        bindings.copy_data_to_vector(bindings.data_chunk_get_vector(chunk.chunk, k), 0, source.buffer as ArrayBuffer, source.byteOffset + offset * 8, size * 8);
      }
      appender.appendDataChunk(chunk);
    }
  } finally {
    appender.closeSync();
  }
}

/** Column types of a staging table filled by {@link appendRows}. */
export type StageColumnType = 'VARCHAR' | 'DOUBLE' | 'VARCHAR[]';

/**
 * Creates the temporary table `name` with `columns` and appends `rows` (values in column order;
 * null or undefined is NULL) through an appender: the path for small row-shaped records (runs,
 * trades, fills), converted to their final types by the INSERT ... SELECT that reads the table.
 */
export async function appendRows(
  modules: DuckDBModules,
  connection: DuckDBConnection,
  name: string,
  columns: readonly (readonly [string, StageColumnType])[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const { api } = modules;
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${sqlIdentifier(name)} (${columns.map(([c, t]) => `${sqlIdentifier(c)} ${t}`).join(', ')})`);
  if (rows.length === 0) return;
  const listType = api.LIST(api.VARCHAR);
  const appender = await connection.createAppender(name, null, 'temp');
  try {
    for (const row of rows) {
      for (let k = 0; k < columns.length; k++) {
        const value = row[k];
        if (value === null || value === undefined) {
          appender.appendNull();
          continue;
        }
        const type = columns[k]![1];
        if (type === 'VARCHAR') appender.appendVarchar(String(value));
        else if (type === 'DOUBLE') appender.appendDouble(Number(value));
        else appender.appendList((value as readonly string[]).map(String), listType);
      }
      appender.endRow();
    }
  } finally {
    appender.closeSync();
  }
}

const UNIT = String.fromCharCode(31);
const RECORD = String.fromCharCode(30);

/**
 * Reads the rows of `SELECT fields FROM from` as text (in no particular order), in one transfer: DuckDB
 * joins each row's fields (NULL as the empty string) with the unit separator and the rows with
 * the record separator, and JS splits the one string. Reading many short rows value by value
 * through the client costs about a microsecond per value (10,000 runs of 20 fields: 200 ms); this
 * costs one string. Fields must not contain the two separators (the callers' inputs exclude
 * control characters). DOUBLE fields come as their shortest round-trip text ({@link textNumber}).
 */
export async function readTextRows(
  connection: DuckDBConnection,
  query: { readonly fields: readonly string[]; readonly from: string },
): Promise<string[][]> {
  const fields = query.fields.map((f) => `coalesce(CAST(${f} AS VARCHAR), '')`).join(', ');
  const reader = await connection.runAndReadAll(`SELECT string_agg(concat_ws(chr(31), ${fields}), chr(30)) FROM ${query.from}`);
  const text = reader.getRowsJS()[0]?.[0];
  if (typeof text !== 'string') return [];
  return text.split(RECORD).map((row) => row.split(UNIT));
}

/** A DOUBLE read as text by {@link readTextRows}: `''` is null, `nan` / `inf` / `-inf` as DuckDB writes them. */
export function textNumber(text: string | undefined): number | null {
  if (text === undefined || text === '') return null;
  if (text === 'nan' || text === '-nan') return Number.NaN;
  if (text === 'inf') return Number.POSITIVE_INFINITY;
  if (text === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** The first line of a DuckDB error message, without its `Xxx Error: ` prefix. */
export function duckdbReason(cause: unknown): string {
  const message = (cause as Error)?.message ?? String(cause);
  const first = message.split('\n')[0] ?? message;
  return first.replace(/^[A-Za-z ]*Error: /, '');
}
