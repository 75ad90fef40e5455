import { TIME_UNITS, parseOptions, silentLogger, type Logger, type TimeUnit } from '@algo-trading/core';
import { z } from 'zod';
import type { ColumnMapping } from './column-roles';
import type { TimeParser } from './parse-time';

const columnRef = z.union([
  z.string({ error: 'expected a column name or a 0-based column position' }).trim().min(1, { error: 'expected a non-empty column name' }),
  z.number().int({ error: 'expected a 0-based column position' }).min(0, { error: 'expected a 0-based column position' }),
]);

/** zod schema of {@link ColumnMapping}. */
export const columnMappingSchema = z.strictObject({
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

function isLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error'].every((m) => typeof v[m] === 'function');
}

const sharedShape = {
  /** Explicit columns; the others are detected from the header. */
  columns: columnMappingSchema.optional(),
  /** Rescale open, high, low and close by adjClose / close (close becomes adjClose). */
  useAdjusted: z.boolean().default(false),
  /** Sort rows that are out of time order (with a logger warning) instead of failing. */
  sortUnordered: z.boolean().default(false),
  /** Symbol of the series; with a symbol column, only this symbol's rows are read. */
  symbol: z.string({ error: 'expected a non-empty symbol' }).trim().min(1, { error: 'expected a non-empty symbol' }).optional(),
  /** Custom parser for time text, returning epoch milliseconds. */
  parseTime: z.custom<TimeParser>((v) => typeof v === 'function', { error: 'expected a function (text) => epoch milliseconds' }).optional(),
  /** Receives the warning about sorted rows. Default: silent. */
  logger: z.custom<Logger>(isLogger, { error: 'expected a logger with debug, info, warn and error methods' }).optional(),
};

/** zod schema of {@link ParseBarsCsvOptions}. */
export const parseBarsCsvOptionsSchema = z.strictObject({
  ...sharedShape,
  timeUnit: z.enum(TIME_UNITS).default('auto'),
  delimiter: z.string().min(1, { error: 'expected a non-empty delimiter' }).default(','),
  header: z.boolean().default(true),
});

/** zod schema of {@link ToBarSeriesOptions}. */
export const toBarSeriesOptionsSchema = z.strictObject({
  ...sharedShape,
  timeUnit: z.enum(TIME_UNITS).optional(),
});

/** Options shared by every loader. */
export interface LoadOptions {
  /**
   * Explicit columns by header name (case-insensitive) or 0-based position; the others are
   * detected from the header. `time` may be `[dateColumn, timeOfDayColumn]`.
   */
  readonly columns?: ColumnMapping | undefined;
  /**
   * Use adjusted prices: open, high and low are multiplied by `adjClose / close` and close becomes
   * `adjClose` (volume unchanged). Needs an adjusted close column. Default false.
   */
  readonly useAdjusted?: boolean | undefined;
  /** Sort rows that are out of time order, logging a warning, instead of failing. Default false. */
  readonly sortUnordered?: boolean | undefined;
  /**
   * The series' symbol. When the data has a symbol column, only this symbol's rows are read
   * (`NOT_FOUND` when it does not occur).
   */
  readonly symbol?: string | undefined;
  /** Parser for time text that is neither ISO 8601 nor an epoch number; returns epoch ms. */
  readonly parseTime?: TimeParser | undefined;
  /** Logger for warnings (sorted rows). Default: silent. */
  readonly logger?: Logger | undefined;
}

/** Options of `parseBarsCsv` / `readBarsCsv` and their by-symbol variants. */
export interface ParseBarsCsvOptions extends LoadOptions {
  /**
   * Unit of numeric times. Default `auto`: `YYYYMMDD` / `YYYYMMDDHHMMSS` integers are dates, other
   * numbers are epochs of a unit guessed from the magnitude, and numbers below 1e8 (which would
   * land in 1970) are refused. `s`, `ms`, `us`, `ns`: every number is an epoch in that unit.
   */
  readonly timeUnit?: TimeUnit | undefined;
  /** Field delimiter; default `,`. */
  readonly delimiter?: string | undefined;
  /** False when the first line is data, not a header: then `columns` must give positions. Default true. */
  readonly header?: boolean | undefined;
}

/** Options of `toBarSeries` and `fromDataFrame`. */
export interface ToBarSeriesOptions extends LoadOptions {
  /**
   * Unit of numeric times. When left out, numbers are epoch ms (the project's convention for
   * in-memory data, never guessed) and time text follows the `auto` rules of files. When given, it
   * applies to numbers and numeric text alike (`auto`: compact dates, guessed unit, no 1970 guesses).
   */
  readonly timeUnit?: TimeUnit | undefined;
}

/** Options after validation, defaults applied. */
export interface ResolvedLoadOptions {
  readonly columns: ColumnMapping | undefined;
  readonly useAdjusted: boolean;
  readonly sortUnordered: boolean;
  readonly symbol: string | undefined;
  readonly parseTime: TimeParser | undefined;
  readonly logger: Logger;
  /** Unit of number values. */
  readonly timeUnit: TimeUnit;
  /** Unit of numeric text values. */
  readonly textTimeUnit: TimeUnit;
}

/** Resolved {@link ParseBarsCsvOptions}. */
export interface ResolvedCsvOptions extends ResolvedLoadOptions {
  readonly delimiter: string;
  readonly header: boolean;
}

function withDefaults<T extends { logger?: Logger | undefined; columns?: unknown; symbol?: unknown; parseTime?: unknown }>(
  parsed: T,
): Omit<T, 'logger'> & { logger: Logger } {
  return { ...parsed, logger: parsed.logger ?? silentLogger };
}

/** Validates {@link ParseBarsCsvOptions} (`INVALID_CONFIG` naming the key and value). */
export function resolveCsvOptions(options: unknown, what: string): ResolvedCsvOptions {
  const parsed = parseOptions(parseBarsCsvOptionsSchema, options ?? {}, { what: `${what} options` });
  return { ...withDefaults(parsed), textTimeUnit: parsed.timeUnit } as ResolvedCsvOptions;
}

/** Validates {@link ToBarSeriesOptions} (`INVALID_CONFIG` naming the key and value). */
export function resolveTableOptions(options: unknown, what: string): ResolvedLoadOptions {
  const parsed = parseOptions(toBarSeriesOptionsSchema, options ?? {}, { what: `${what} options` });
  return { ...withDefaults(parsed), timeUnit: parsed.timeUnit ?? 'ms', textTimeUnit: parsed.timeUnit ?? 'auto' } as ResolvedLoadOptions;
}
