import { isBarSeries, zLogger, type BarSeries, type Logger } from '@algo-trading/core';
import { TIME_UNITS, type ColumnMapping, type TimeUnit } from '@algo-trading/data';
import { z } from 'zod';
import { isTimeframe, isValidSymbol } from './timeframe';

/** The default database file name, created in the working folder. */
export const DEFAULT_STORE_PATH = 'algo-trading.duckdb';

/**
 * What an import does with a row whose key (symbol, timeframe, time) is already stored with
 * different values:
 * - `error` (default): the import fails and changes nothing; the error lists the conflicts;
 * - `keep`: the stored row stays, the conflict is reported in the result;
 * - `replace`: the incoming row overwrites the stored one, the conflict is reported.
 * Rows equal to the stored ones are never rewritten, whatever the policy.
 */
export const CONFLICT_POLICIES = ['error', 'keep', 'replace'] as const;
/** One of {@link CONFLICT_POLICIES}. */
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

const symbolSchema = z.string({ error: 'expected a symbol' }).refine(isValidSymbol, {
  error: 'expected a symbol of 1 to 64 characters without white space, "," or "@"',
});
const timeframeSchema = z.string({ error: 'expected a timeframe' }).refine(isTimeframe, {
  error: 'expected a timeframe such as 1m, 5m, 1h, 1d, 1w or 1M',
});
const columnRef = z.union([z.string().trim().min(1), z.number().int().min(0)]);
const columnMappingSchema = z.strictObject({
  time: z.union([columnRef, z.tuple([columnRef, columnRef]).readonly()]).optional(),
  open: columnRef.optional(),
  high: columnRef.optional(),
  low: columnRef.optional(),
  close: columnRef.optional(),
  adjClose: columnRef.optional(),
  volume: columnRef.optional(),
  price: columnRef.optional(),
  symbol: columnRef.optional(),
});

/** zod schema of {@link OpenStoreOptions}. */
export const openStoreOptionsSchema = z.strictObject({
  path: z.string().trim().min(1, { error: 'expected a non-empty path' }).default(DEFAULT_STORE_PATH),
  readOnly: z.boolean().default(false),
  lockTimeoutMs: z.number().int().min(0).max(3_600_000).default(10_000),
  threads: z.number().int().min(1).max(1024).optional(),
  memoryLimit: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(B|KB|KiB|MB|MiB|GB|GiB|TB|TiB)$/i, { error: 'expected a size such as 512MB or 4GB' })
    .optional(),
  logger: zLogger(),
});

/** Options of `openStore`. */
export interface OpenStoreOptions {
  /** The database file; `algo-trading.duckdb` in the working folder by default. `:memory:` for a throw-away store. */
  readonly path?: string | undefined;
  /** Open for reading only: several processes may read at once, none may write meanwhile. Default false. */
  readonly readOnly?: boolean | undefined;
  /**
   * How long to wait for another process (or another open of the same file in this process) to
   * release the file before failing with `IO_ERROR`. Default 10,000 ms; 0 fails at once.
   */
  readonly lockTimeoutMs?: number | undefined;
  /** DuckDB worker threads; default: one per core. */
  readonly threads?: number | undefined;
  /** DuckDB memory limit such as `2GB`; default: 80% of RAM (DuckDB's default). */
  readonly memoryLimit?: string | undefined;
  /** Receives lock waits, migrations and import summaries. Default: silent. */
  readonly logger?: Logger | undefined;
}

/** zod schema of {@link ImportBarsOptions}. */
export const importBarsOptionsSchema = z.strictObject({
  files: z.union([z.string().trim().min(1), z.array(z.string().trim().min(1)).min(1).readonly()]),
  symbol: symbolSchema.optional(),
  timeframe: timeframeSchema.optional(),
  onConflict: z.enum(CONFLICT_POLICIES).default('error'),
  columns: columnMappingSchema.optional(),
  useAdjusted: z.boolean().default(false),
  timeUnit: z.enum(TIME_UNITS).default('auto'),
  delimiter: z.string().min(1).max(4).optional(),
  recursive: z.boolean().default(false),
  maxReportedConflicts: z.number().int().min(0).max(100_000).default(100),
});

/** Options of `Store.importBars`. */
export interface ImportBarsOptions {
  /** CSV (optionally gzipped) and Parquet files, and folders of them. */
  readonly files: string | readonly string[];
  /**
   * The symbol of files without a symbol column (default: the file name without extensions,
   * `SPY.csv` -> `SPY`); with a symbol column, only this symbol's rows are imported.
   */
  readonly symbol?: string | undefined;
  /**
   * The timeframe of the bars, e.g. `1d`. Default: a `timeframe` column when the file has one,
   * else inferred per symbol and file from the median spacing of the bars (`timeframeFromSpacing`).
   */
  readonly timeframe?: string | undefined;
  /** What to do with rows that differ from stored ones with the same key; default `error`. */
  readonly onConflict?: ConflictPolicy | undefined;
  /** Explicit columns by header name or 0-based position; the others are detected from the header. */
  readonly columns?: ColumnMapping | undefined;
  /** Rescale open, high and low by adjClose / close and store adjClose as the close. Default false. */
  readonly useAdjusted?: boolean | undefined;
  /** Unit of numeric times; default `auto` (guessed per value from its magnitude, as the data package does). */
  readonly timeUnit?: TimeUnit | undefined;
  /** CSV field delimiter; default: detected. */
  readonly delimiter?: string | undefined;
  /** Also import the files of sub-folders. Default false. */
  readonly recursive?: boolean | undefined;
  /** How many conflicts the result (or the error) lists; the counts are always complete. Default 100. */
  readonly maxReportedConflicts?: number | undefined;
}

function isBarsInput(value: unknown): value is BarSeries | Readonly<Record<string, BarSeries>> | ReadonlyMap<string, BarSeries> {
  if (isBarSeries(value)) return true;
  if (value instanceof Map) return [...value.values()].every(isBarSeries) && value.size > 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0 && Object.values(value).every(isBarSeries);
}

/** zod schema of {@link WriteBarsOptions}. */
export const writeBarsOptionsSchema = z.strictObject({
  bars: z.custom<BarSeries | Readonly<Record<string, BarSeries>> | ReadonlyMap<string, BarSeries>>(isBarsInput, {
    error: 'expected a BarSeries, or a non-empty record or Map of symbol -> BarSeries',
  }),
  symbol: symbolSchema.optional(),
  timeframe: timeframeSchema.optional(),
  onConflict: z.enum(CONFLICT_POLICIES).default('error'),
  source: z.string().trim().min(1).max(500).default('BarSeries'),
  maxReportedConflicts: z.number().int().min(0).max(100_000).default(100),
});

/** Options of `Store.writeBars`. */
export interface WriteBarsOptions {
  /** One series (its symbol from `symbol` or the series), or several keyed by symbol. */
  readonly bars: BarSeries | Readonly<Record<string, BarSeries>> | ReadonlyMap<string, BarSeries>;
  /** The symbol of a single series; default: the series' own symbol. */
  readonly symbol?: string | undefined;
  /** The timeframe; default: inferred from the median spacing of each series. */
  readonly timeframe?: string | undefined;
  /** What to do with rows that differ from stored ones; default `error`. */
  readonly onConflict?: ConflictPolicy | undefined;
  /** Names the data in messages and in the import log, e.g. `sample:sp500`. Default `BarSeries`. */
  readonly source?: string | undefined;
  /** How many conflicts the result (or the error) lists. Default 100. */
  readonly maxReportedConflicts?: number | undefined;
}

/** A time bound: epoch ms, a `Date`, or an ISO 8601 date or date-time (UTC unless it has an offset). */
export type TimeInput = number | Date | string;

const timeInput = z.union([z.number().finite(), z.date(), z.string().trim().min(1)]);

/** zod schema of {@link LoadBarsOptions}. */
export const loadBarsOptionsSchema = z.strictObject({
  symbols: z.union([symbolSchema, z.array(symbolSchema).min(1).readonly()]),
  timeframe: timeframeSchema.optional(),
  from: timeInput.optional(),
  to: timeInput.optional(),
});

/** Options of `Store.loadBars`. */
export interface LoadBarsOptions<S extends string | readonly string[] = string | readonly string[]> {
  /** One symbol (the result is a `BarSeries`) or a list (the result is a record keyed by symbol). */
  readonly symbols: S;
  /** The timeframe; may be left out when each symbol has a single timeframe in the store. */
  readonly timeframe?: string | undefined;
  /** First bar time, inclusive. */
  readonly from?: TimeInput | undefined;
  /** Last bar time, inclusive. */
  readonly to?: TimeInput | undefined;
}
