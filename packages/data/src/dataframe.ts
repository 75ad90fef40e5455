import { AlgoTradingError, describeValue, isBarSeries, parseOptions, type BarSeries } from '@algo-trading/core';
import { z } from 'zod';
import { buildSeries, singleSeries, type SymbolGroup } from './build-series';
import { requireOptional } from './optional-module';
import { resolveTableOptions, type ResolvedLoadOptions, type ToBarSeriesOptions } from './options';
import type { Table } from './table';

/**
 * The part of a danfojs `DataFrame` this package uses (structural, so danfojs is never imported
 * at module load and any compatible object works). A danfojs-node `DataFrame` satisfies it.
 */
export interface DataFrameLike {
  /** Column names. */
  readonly columns: readonly string[];
  /** Row labels; used as time when no time column exists and they are dates or date strings. */
  readonly index: readonly unknown[];
  /** `[rows, columns]`. */
  readonly shape: readonly number[];
  /** One column as a Series with its values. */
  column(name: string): { readonly values: ArrayLike<unknown> };
}

/** True when `value` looks like a danfojs DataFrame ({@link DataFrameLike}). */
export function isDataFrameLike(value: unknown): value is DataFrameLike {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v['columns']) && typeof v['column'] === 'function' && Array.isArray(v['shape']);
}

const INDEX_COLUMN = '(index)';

function dataFrameTable(df: DataFrameLike): { table: Table; fallbackTime: number | undefined } {
  const names = [...df.columns];
  const values = names.map((name) => {
    let series: { readonly values: ArrayLike<unknown> };
    try {
      series = df.column(name);
    } catch (cause) {
      throw new AlgoTradingError('INVALID_DATA', `DataFrame column ${JSON.stringify(name)} cannot be read: ${(cause as Error)?.message ?? String(cause)}`, {
        cause,
        details: { field: name },
      });
    }
    return series.values;
  });
  const rowCount = Number(df.shape[0] ?? values[0]?.length ?? 0);
  names.forEach((name, c) => {
    const length = values[c]?.length;
    if (length !== rowCount) {
      throw new AlgoTradingError('INVALID_DATA', `DataFrame column ${JSON.stringify(name)} has ${length} values, expected ${rowCount}`, {
        details: { field: name, value: length },
      });
    }
  });
  // Dates (or date strings) in the index can serve as time when no column does.
  let fallbackTime: number | undefined;
  const index = df.index;
  if (Array.isArray(index) && index.length === rowCount && rowCount > 0 && (index[0] instanceof Date || typeof index[0] === 'string')) {
    fallbackTime = names.length;
    names.push(INDEX_COLUMN);
    values.push(index);
  }
  const table: Table = {
    names,
    rowCount,
    cell: (row, column) => values[column]![row],
    where: (row) => `row ${row}`,
    position: (row) => row,
    fromText: false,
    what: 'DataFrame columns',
  };
  return { table, fallbackTime };
}

/**
 * Converts a danfojs DataFrame (or any {@link DataFrameLike}) into a validated {@link BarSeries}.
 * Columns are detected by name like CSV headers (`Date`, `Open`, `Adj Close`, ...) or given with
 * `options.columns`; time may be a `Date`, ISO string or epoch number column, or the index. Does not
 * need danfojs itself (duck-typed). Errors name the row, the column and the value.
 *
 * Precision: danfojs labels number columns `float32`. Values read with `column(name).values` (what
 * this function does) keep their full double precision, but anything that went through a danfojs
 * tensor operation (`df.tensor`, arithmetic, scalers) was rounded to float32: about 7 significant
 * digits, i.e. up to ~0.0001 on a price of 1,500 and several seconds on an epoch-ms time.
 *
 * @example
 * const df = new dfd.DataFrame({ Date: ['2024-01-02'], Open: [100], High: [102], Low: [99], Close: [101] });
 * const bars = fromDataFrame(df, { symbol: 'SPY' });
 */
export function fromDataFrame(df: DataFrameLike, options?: ToBarSeriesOptions): BarSeries {
  const resolved = resolveTableOptions(options, 'fromDataFrame');
  if (!isDataFrameLike(df)) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `fromDataFrame: df must be a danfojs DataFrame (columns, column(), shape), got ${describeValue(df)}`, {
      details: { field: 'df', value: df },
    });
  }
  return singleSeries(dataFrameGroups(df, resolved));
}

/** The symbol groups of a DataFrame (one per value of its symbol column; one when it has none). */
export function dataFrameGroups(df: DataFrameLike, resolved: ResolvedLoadOptions): SymbolGroup[] {
  const { table, fallbackTime } = dataFrameTable(df);
  return buildSeries(table, resolved, fallbackTime === undefined ? {} : { fallbackTime });
}

/** How {@link toDataFrame} stores the time column. */
export type DataFrameTimeFormat = 'date' | 'iso' | 'ms';

/** Options of {@link toDataFrame}. */
export interface ToDataFrameOptions {
  /**
   * The `time` column as `Date`s (`date`, danfojs dtype `datetime`; default), ISO strings (`iso`)
   * or epoch milliseconds (`ms`; exact in `.values`, but danfojs types it int32 and tensor
   * operations corrupt it).
   */
  readonly timeFormat?: DataFrameTimeFormat | undefined;
}

const toDataFrameOptionsSchema = z.strictObject({
  timeFormat: z.enum(['date', 'iso', 'ms'] satisfies DataFrameTimeFormat[]).default('date'),
});

interface DanfoModule {
  DataFrame: new (data: Record<string, unknown[]>, options?: Record<string, unknown>) => DataFrameLike;
}

const DANFO_HINT =
  'install danfojs-node@^1.2.0 (with pnpm it needs the overrides "xlsx": "0.18.5" and "@tensorflow/tfjs-node": "npm:@tensorflow/tfjs@4.22.0")';

/**
 * Converts a {@link BarSeries} to a danfojs-node DataFrame with columns `time`, `open`, `high`,
 * `low`, `close`, `volume` (one row per bar). danfojs-node is an optional peer dependency, loaded
 * on first call; without it this throws `UNSUPPORTED`. Prices keep full precision in
 * `column(name).values`; danfojs tensor operations round them to float32 (see
 * {@link fromDataFrame}). Pass the DataFrame type for full typing: `toDataFrame<DataFrame>(bars)`.
 *
 * @example
 * const df = toDataFrame(loadSampleBars('sp500'));
 * df.shape; // [5104, 6]
 */
export function toDataFrame<T extends DataFrameLike = DataFrameLike>(series: BarSeries, options: ToDataFrameOptions = {}): T {
  if (!isBarSeries(series)) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `toDataFrame: series must be a BarSeries, got ${describeValue(series)}`, {
      details: { field: 'series', value: series },
    });
  }
  const { timeFormat } = parseOptions(toDataFrameOptionsSchema, options, { what: 'toDataFrame options' });
  if (series.length === 0) {
    throw new AlgoTradingError('INVALID_DATA', 'toDataFrame: the series has no bars (danfojs cannot hold an empty frame with columns)', {
      details: { field: 'series', value: 0 },
    });
  }
  const danfo = requireOptional<DanfoModule>('danfojs-node', 'toDataFrame', DANFO_HINT);
  const n = series.length;
  const time: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const ms = series.time[i]!;
    time[i] = timeFormat === 'ms' ? ms : timeFormat === 'iso' ? new Date(ms).toISOString() : new Date(ms);
  }
  return new danfo.DataFrame({
    time,
    open: Array.from(series.open),
    high: Array.from(series.high),
    low: Array.from(series.low),
    close: Array.from(series.close),
    volume: Array.from(series.volume),
  }) as T;
}
