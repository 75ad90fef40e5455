import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AlgoTradingError, describeValue } from '@algo-trading/core';
import { queryRows, type StoreContext } from './context';
import { duckdbReason, sqlString } from './duckdb';
import { STORE_TABLES, type StoreTable } from './schema';
import { requireSymbol, requireTimeframe } from './timeframe';

/** Options of `Store.exportParquet`. */
export interface ExportParquetOptions {
  /** The table (or the `bars` view) to export. */
  readonly table: StoreTable;
  /** The Parquet file to write (replaced if it exists; written atomically). */
  readonly path: string;
  /** `bars` only: just these symbols. */
  readonly symbols?: readonly string[] | undefined;
  /** `bars` only: just this timeframe. */
  readonly timeframe?: string | undefined;
}

/** What an export wrote. */
export interface ExportParquetResult {
  /** Absolute path of the file. */
  readonly path: string;
  readonly rows: number;
}

const ORDER: Partial<Record<StoreTable, string>> = {
  bars: 'symbol, timeframe, time',
  bar_data: 'series_id, time',
  series: 'id',
  imports: 'id',
  runs: 'created_at, id',
  run_parameters: 'run_id, seq',
  run_metrics: 'run_id, seq',
  run_trades: 'run_id, seq',
  run_fills: 'run_id, seq',
  run_equity: 'run_id, seq',
  schema_version: 'version',
};

/**
 * Writes a table of the store to a Parquet file (zstd-compressed), rows in key order. Times are
 * Parquet timestamps (microseconds, UTC), prices doubles: the `bars` export imports back bit for
 * bit. The file appears only once complete (written beside it, then renamed).
 */
export async function exportParquet(context: StoreContext, options: ExportParquetOptions): Promise<ExportParquetResult> {
  const table = options?.table;
  if (!(STORE_TABLES as readonly string[]).includes(table)) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `table must be one of ${STORE_TABLES.join(', ')}, got ${describeValue(table)}`, {
      details: { field: 'table', value: table },
    });
  }
  if (typeof options.path !== 'string' || options.path.trim() === '') {
    throw new AlgoTradingError('INVALID_ARGUMENT', `path must be a file path, got ${describeValue(options.path)}`, { details: { field: 'path', value: options.path } });
  }
  const filters: string[] = [];
  if (options.symbols !== undefined || options.timeframe !== undefined) {
    if (table !== 'bars') {
      throw new AlgoTradingError('INVALID_ARGUMENT', `symbols and timeframe filter the bars table only, not ${table}`, { details: { field: 'symbols', value: table } });
    }
    if (options.symbols !== undefined) {
      const symbols = options.symbols.map((s, i) => requireSymbol(`symbols[${i}]`, s));
      filters.push(`symbol IN (${symbols.map(sqlString).join(', ') || 'NULL'})`);
    }
    if (options.timeframe !== undefined) filters.push(`timeframe = ${sqlString(requireTimeframe('timeframe', options.timeframe))}`);
  }
  const path = resolve(options.path);
  const temporary = `${path}.${randomBytes(4).toString('hex')}.partial`;
  const query = `SELECT * FROM ${table}${filters.length > 0 ? ` WHERE ${filters.join(' AND ')}` : ''} ORDER BY ${ORDER[table] ?? 'ALL'}`;
  let rows: number;
  try {
    await mkdir(dirname(path), { recursive: true });
    // COPY answers with the number of rows it wrote.
    const [count] = await queryRows(context, `COPY (${query}) TO ${sqlString(temporary)} (FORMAT parquet, COMPRESSION zstd)`);
    rows = Number(count?.[0] ?? 0);
    await rename(temporary, path);
  } catch (cause) {
    await rm(temporary, { force: true });
    throw new AlgoTradingError('IO_ERROR', `cannot export ${table} to ${path}: ${duckdbReason(cause)}`, { cause, details: { field: 'path', value: path } });
  }
  return { path, rows };
}
