import { existsSync } from 'node:fs';
import { mkdir, realpath } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AlgoTradingError, isAlgoTradingError, parseOptions, type BarSeries, type Logger } from '@algo-trading/core';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  deleteBars,
  listSymbols,
  loadBars,
  peekBars,
  type DeleteBarsOptions,
  type ListSymbolsOptions,
  type PeekBarsOptions,
  type PeekedBars,
  type SymbolSummary,
} from './bars-read';
import { importBars, writeBars, type ImportBarsResult } from './bars-import';
import type { StoreContext } from './context';
import { duckdbReason, loadDuckDB, sqlString, type DuckDBModules } from './duckdb';
import { exportParquet, type ExportParquetOptions, type ExportParquetResult } from './export';
import { openStoreOptionsSchema, type ImportBarsOptions, type LoadBarsOptions, type OpenStoreOptions, type WriteBarsOptions } from './options';
import {
  compareRuns,
  deleteRun,
  getRun,
  listRuns,
  recordRuns,
  setRunStatus,
  type CompareRunsOptions,
  type ListRunsOptions,
  type RecordRunInput,
  type RecordRunOptions,
  type RunComparison,
  type RunDetail,
  type RunStatus,
  type RunSummary,
} from './runs';
import { prepareSchema } from './schema';

/** Files open in this process (DuckDB's file lock does not stop a second open inside one process). */
const openInProcess = new Set<string>();

const LOCK_MESSAGE = /Could not set lock on file/i;
const LOCK_HOLDER = /PID (\d+)/;

/**
 * The store: one DuckDB database file with the bars of many symbols and timeframes and the
 * results of recorded runs. Obtain one with {@link openStore}; call {@link Store.close} when done,
 * which releases the file for other processes.
 *
 * Operations on one store run one at a time (they queue), each write in its own transaction.
 */
export class Store {
  /** The database file (absolute), or `:memory:`. */
  readonly path: string;
  readonly readOnly: boolean;
  /** The layout version of the file (equal to {@link STORE_SCHEMA_VERSION} once open). */
  readonly schemaVersion: number;
  readonly #context: StoreContext;
  readonly #instance: DuckDBInstance;
  readonly #release: () => void;
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** @internal Use {@link openStore}. */
  constructor(parts: { context: StoreContext; instance: DuckDBInstance; schemaVersion: number; release: () => void }) {
    this.#context = parts.context;
    this.#instance = parts.instance;
    this.#release = parts.release;
    this.path = parts.context.path;
    this.readOnly = parts.context.readOnly;
    this.schemaVersion = parts.schemaVersion;
  }

  /** True once {@link Store.close} has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  #exclusive<T>(what: string, write: boolean, work: (context: StoreContext) => Promise<T>): Promise<T> {
    const run = this.#tail.then(() => {
      if (this.#closed) {
        throw new AlgoTradingError('INVALID_STATE', `${what}: the store ${this.path} is closed`, { details: { field: 'store', value: this.path } });
      }
      if (write && this.readOnly) {
        throw new AlgoTradingError('INVALID_STATE', `${what}: the store ${this.path} is open read-only`, { details: { field: 'readOnly', value: true } });
      }
      return work(this.#context);
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Imports bars from CSV (optionally `.gz`) and Parquet files and folders of them, in one
   * transaction: either every file is imported or, on any error, nothing is.
   *
   * Columns are found by header name as the data package finds them (`date`/`datetime`/
   * `timestamp`/`time`, `open`, `high`, `low`, `close`, `adj close`, `volume`, `price`,
   * `symbol`/`ticker`, plus `timeframe`); times are ISO 8601 (UTC unless they carry an offset)
   * or epoch numbers. Every row must pass core's bar rules (finite positive prices,
   * low <= min(open, close), high >= max(open, close), finite non-negative volume) and each
   * (symbol, timeframe, time) may appear once per file; a failing row is an error naming the file
   * and its line (CSV, 1-based, the header is line 1) or row (Parquet, 1-based). Rows may come
   * in any time order.
   *
   * Importing rows already stored with the same values changes nothing (they count as
   * unchanged); rows that differ are conflicts handled by `onConflict` (default `error`: the
   * import fails and names the first conflicts). The same key in two files of one import must
   * carry the same values.
   *
   * @example
   * const result = await store.importBars({ files: ['data/SPY.csv', 'data/QQQ.csv'], timeframe: '1d' });
   * result.inserted; // bars new to the store
   */
  importBars(options: ImportBarsOptions): Promise<ImportBarsResult> {
    return this.#exclusive('importBars', true, (context) => importBars(context, options));
  }

  /**
   * Writes validated `BarSeries` (one, or several keyed by symbol) into the store with the same
   * idempotence and conflict rules as {@link Store.importBars}, e.g. bars parsed by the data
   * package from a format DuckDB does not read, or resampled bars.
   *
   * @example
   * await store.writeBars({ bars: loadSampleBars('sp500'), timeframe: '1d', source: 'sample:sp500' });
   */
  writeBars(options: WriteBarsOptions): Promise<ImportBarsResult> {
    return this.#exclusive('writeBars', true, (context) => writeBars(context, options));
  }

  /** Every stored (symbol, timeframe) with its bar count and first / last bar time. */
  listSymbols(options?: ListSymbolsOptions): Promise<SymbolSummary[]> {
    return this.#exclusive('listSymbols', false, (context) => listSymbols(context, options));
  }

  /**
   * Loads bars as `BarSeries`, copied column by column from DuckDB's results into
   * `Float64Array`s (no object per bar). One symbol gives a series; a list gives a record of
   * series keyed by symbol (each with its own times; aligning them is the engine's job).
   * `from` and `to` are inclusive. Without `timeframe`, each symbol must be stored at a single
   * timeframe.
   *
   * @throws AlgoTradingError `NOT_FOUND` naming a symbol (or timeframe) the store does not hold.
   *
   * @example
   * const spy = await store.loadBars({ symbols: 'SPY', timeframe: '1d', from: '2020-01-01' });
   * const universe = await store.loadBars({ symbols: ['SPY', 'QQQ'], timeframe: '1d' });
   * universe.QQQ.close;
   */
  loadBars(options: LoadBarsOptions<string>): Promise<BarSeries>;
  loadBars(options: LoadBarsOptions<readonly string[]>): Promise<Record<string, BarSeries>>;
  loadBars(options: LoadBarsOptions): Promise<BarSeries | Record<string, BarSeries>>;
  loadBars(options: LoadBarsOptions): Promise<BarSeries | Record<string, BarSeries>> {
    return this.#exclusive('loadBars', false, (context) => loadBars(context, options));
  }

  /**
   * The extent of one stored series (bar count, first and last time) with its first and last
   * `rows` bars (default 5), read without loading the rest of the series.
   *
   * @throws AlgoTradingError `NOT_FOUND` naming a symbol (or timeframe) the store does not hold;
   *   `INVALID_ARGUMENT` when the symbol has several timeframes and none is given.
   *
   * @example
   * const { summary, head, tail } = await store.peekBars({ symbol: 'SPY', timeframe: '1d', rows: 3 });
   * summary.bars; // every stored bar of SPY at 1d
   */
  peekBars(options: PeekBarsOptions): Promise<PeekedBars> {
    return this.#exclusive('peekBars', false, (context) => peekBars(context, options));
  }

  /** Deletes a symbol's bars (one timeframe, or all); resolves to the number of bars deleted. */
  deleteBars(options: DeleteBarsOptions): Promise<number> {
    return this.#exclusive('deleteBars', true, (context) => deleteBars(context, options));
  }

  /**
   * Records one run (with its parameters, metrics, trades, fills and equity curve) in one
   * transaction and resolves to its id. `gitCommit` is detected from the working folder unless
   * given. A run id already recorded is `INVALID_STATE` unless `replace` is set.
   *
   * @example
   * const id = await store.recordRun({
   *   command: 'backtest', configHash, dataHash, codeVersion: '@algo-trading/cli@0.3.0',
   *   metrics: { totalReturn: 0.12, sharpeRatio: 1.4 }, equityCurve: { time, equity },
   * });
   */
  async recordRun(run: RecordRunInput, options?: RecordRunOptions): Promise<string> {
    const [id] = await this.#exclusive('recordRun', true, (context) => recordRuns(context, [run], options));
    return id!;
  }

  /** Records several runs (a sweep) in one transaction; resolves to their ids in order. */
  recordRuns(runs: readonly RecordRunInput[], options?: RecordRunOptions): Promise<string[]> {
    return this.#exclusive('recordRuns', true, (context) => recordRuns(context, runs, options));
  }

  /** Sets the status (and error message) of a recorded run, e.g. `running` -> `completed`. */
  setRunStatus(options: { readonly id: string; readonly status: RunStatus; readonly error?: string | undefined }): Promise<void> {
    return this.#exclusive('setRunStatus', true, (context) => setRunStatus(context, options));
  }

  /** Recorded runs, newest first, with their headline metrics (or the `metrics` asked for). */
  listRuns(options?: ListRunsOptions): Promise<RunSummary[]> {
    return this.#exclusive('listRuns', false, (context) => listRuns(context, options));
  }

  /** Everything recorded about one run. @throws AlgoTradingError `NOT_FOUND` for an unknown id. */
  getRun(id: string): Promise<RunDetail> {
    return this.#exclusive('getRun', false, (context) => getRun(context, id));
  }

  /**
   * Runs side by side: a row per metric and per parameter with each run's value and whether they
   * differ, plus the equity curves with `includeEquity` (for overlaid charts).
   * @throws AlgoTradingError `NOT_FOUND` listing unknown ids.
   */
  compareRuns(ids: readonly string[], options?: CompareRunsOptions): Promise<RunComparison> {
    return this.#exclusive('compareRuns', false, (context) => compareRuns(context, ids, options));
  }

  /** Deletes a run and everything recorded with it; resolves to false when there was none. */
  deleteRun(id: string): Promise<boolean> {
    return this.#exclusive('deleteRun', true, (context) => deleteRun(context, id));
  }

  /**
   * Writes a table (or the `bars` view, optionally filtered by symbols and timeframe) to a
   * Parquet file.
   *
   * @example
   * await store.exportParquet({ table: 'bars', path: 'export/spy.parquet', symbols: ['SPY'] });
   */
  exportParquet(options: ExportParquetOptions): Promise<ExportParquetResult> {
    return this.#exclusive('exportParquet', false, (context) => exportParquet(context, options));
  }

  /**
   * Finishes queued operations, then closes the database and releases the file for other
   * processes. Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    const last = this.#tail;
    this.#closed = true;
    await last;
    try {
      this.#context.connection.closeSync();
      this.#instance.closeSync();
    } finally {
      this.#release();
    }
  }
}

function classifyOpenError(path: string, cause: unknown): AlgoTradingError {
  const message = (cause as Error)?.message ?? String(cause);
  if (/not a valid DuckDB database file/i.test(message)) {
    return new AlgoTradingError('INVALID_DATA', `${path} is not a DuckDB database file (or it is corrupt): use another path, or restore the file from a backup`, {
      cause,
      details: { field: 'path', value: path },
    });
  }
  if (/version number|older version|newer version|storage version/i.test(message)) {
    return new AlgoTradingError('UNSUPPORTED', `${path} was written by an incompatible DuckDB version: ${duckdbReason(cause)}`, {
      cause,
      details: { field: 'path', value: path },
    });
  }
  if (/corrupt|checksum|Could not read enough bytes|block|Failed to load/i.test(message)) {
    return new AlgoTradingError('INVALID_DATA', `${path} is corrupt and cannot be opened: ${duckdbReason(cause)}`, {
      cause,
      details: { field: 'path', value: path },
    });
  }
  return new AlgoTradingError('IO_ERROR', `cannot open the store ${path}: ${duckdbReason(cause)}`, { cause, details: { field: 'path', value: path } });
}

function lockError(path: string, waitedMs: number, holder: string, cause?: unknown): AlgoTradingError {
  return new AlgoTradingError(
    'IO_ERROR',
    `the store ${path} is in use by ${holder} and was not released within ${waitedMs} ms (lockTimeoutMs): only one process may write a store at a time; close the other one or raise lockTimeoutMs`,
    { cause, details: { field: 'path', value: path, reason: 'locked', holder } },
  );
}

async function openInstance(modules: DuckDBModules, path: string, options: { readOnly: boolean; threads?: number | undefined; memoryLimit?: string | undefined }): Promise<DuckDBInstance> {
  const config: Record<string, string> = { access_mode: options.readOnly ? 'READ_ONLY' : 'READ_WRITE' };
  if (options.threads !== undefined) config.threads = String(options.threads);
  if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
  return modules.api.DuckDBInstance.create(path, config);
}

/**
 * Opens (creating if needed) the store at `path` (default `algo-trading.duckdb` in the working
 * folder), bringing its layout up to date.
 *
 * Concurrency: a store file has one writer at a time. While another process (or another
 * `openStore` of the same file in this process) holds it, this call waits, retrying, up to
 * `lockTimeoutMs` (default 10 s), then fails with `IO_ERROR` naming the holder. Several
 * processes may hold the file open `readOnly` together, but not while one writes.
 *
 * @throws AlgoTradingError `IO_ERROR` when the file stays locked; `INVALID_DATA` for a file that
 *   is corrupt or not a DuckDB database, or a DuckDB database that is not a store;
 *   `UNSUPPORTED` for a store written by a newer version; `NOT_FOUND` for a missing file opened
 *   read-only; `UNSUPPORTED` when DuckDB's native binary is not installed.
 *
 * @example
 * const store = await openStore({ path: 'data/algo-trading.duckdb' });
 * try {
 *   await store.importBars({ files: 'data/csv', timeframe: '1d' });
 * } finally {
 *   await store.close();
 * }
 */
export async function openStore(input: OpenStoreOptions = {}): Promise<Store> {
  const options = parseOptions(openStoreOptionsSchema, input, { what: 'openStore options' });
  const logger: Logger = options.logger;
  const memory = options.path === ':memory:';
  let path = memory ? ':memory:' : resolve(options.path);
  if (!memory) {
    if (options.readOnly && !existsSync(path)) {
      throw new AlgoTradingError('NOT_FOUND', `no store at ${path} to open read-only`, { details: { field: 'path', value: path } });
    }
    if (!options.readOnly) await mkdir(dirname(path), { recursive: true });
    if (existsSync(path)) path = await realpath(path);
  }
  const modules = await loadDuckDB();
  const started = Date.now();
  let delay = 25;
  let announced = false;
  let instance: DuckDBInstance | undefined;
  for (;;) {
    const waited = Date.now() - started;
    if (!memory && openInProcess.has(path)) {
      if (waited >= options.lockTimeoutMs) throw lockError(path, waited, 'another openStore of this process');
    } else {
      try {
        instance = await openInstance(modules, path, options);
        break;
      } catch (cause) {
        const message = (cause as Error)?.message ?? '';
        if (!LOCK_MESSAGE.test(message)) throw classifyOpenError(path, cause);
        const pid = LOCK_HOLDER.exec(message)?.[1];
        if (waited >= options.lockTimeoutMs) throw lockError(path, waited, pid === undefined ? 'another process' : `process ${pid}`, cause);
      }
    }
    if (!announced) {
      logger.info({ path, lockTimeoutMs: options.lockTimeoutMs }, `the store ${path} is in use; waiting up to ${options.lockTimeoutMs} ms for it`);
      announced = true;
    }
    await sleep(Math.min(delay, Math.max(1, options.lockTimeoutMs - (Date.now() - started))));
    delay = Math.min(delay * 2, 500);
  }
  if (!memory) openInProcess.add(path);
  const release = () => {
    if (!memory) openInProcess.delete(path);
  };
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    // Times are UTC everywhere: text without an offset is read as UTC, TIMESTAMPTZ shown in UTC.
    await connection.run(`SET TimeZone = ${sqlString('UTC')}`);
    const context: StoreContext = { modules, connection, path, readOnly: options.readOnly, logger };
    const schemaVersion = await prepareSchema(connection, { path, readOnly: options.readOnly, appliedBy: '@algo-trading/store' });
    logger.debug({ path, schemaVersion, readOnly: options.readOnly }, `opened the store ${path}`);
    return new Store({ context, instance, schemaVersion, release });
  } catch (error) {
    try {
      connection?.closeSync();
      instance.closeSync();
    } finally {
      release();
    }
    throw isAlgoTradingError(error) ? error : classifyOpenError(path, error);
  }
}
