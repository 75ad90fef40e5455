import { AlgoTradingError, describeValue } from './errors';
import { describeTimeProblem, toEpochMs } from './time';

/** One bar as a plain object (a row view of a {@link BarSeries}). */
export interface Bar {
  /** Bar open time, epoch milliseconds UTC. */
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * A row accepted by {@link BarSeries.fromRows}: time as epoch ms (a number), a Date, or text read
 * with the project's time rules (ISO 8601, UTC unless it has an offset; `YYYYMMDD`; decimal text as
 * an epoch of guessed unit; see {@link toEpochMs}).
 */
export interface BarInput {
  readonly time: number | Date | string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Missing volume is 0. */
  readonly volume?: number;
}

/** Columns accepted by {@link BarSeries.fromColumns}; any array-like of numbers. */
export interface BarColumnsInput {
  readonly time: ArrayLike<number>;
  readonly open: ArrayLike<number>;
  readonly high: ArrayLike<number>;
  readonly low: ArrayLike<number>;
  readonly close: ArrayLike<number>;
  /** Missing volume is all zeros. */
  readonly volume?: ArrayLike<number>;
}

/** The columns of a {@link BarSeries}. */
export const BAR_COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
/** A column name of a {@link BarSeries}. */
export type BarColumn = (typeof BAR_COLUMNS)[number];

/** Options of the {@link BarSeries} constructors. */
export interface BarSeriesOptions {
  /** The instrument, e.g. `AAPL`. */
  readonly symbol?: string;
}

const BAR_SERIES_MARKER = Symbol.for('@algo-trading/core:BarSeries');

function invalid(column: string, index: number, value: unknown, rule: string): never {
  throw new AlgoTradingError('INVALID_DATA', `${column}[${index}] ${rule}, got ${describeValue(value)}`, {
    details: { field: column, index, value },
  });
}

function toTimeMs(value: number | Date | string, index: number): number {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const ms = toEpochMs(value, 'auto');
    if (!Number.isFinite(ms)) invalid('time', index, value, `is not a time: ${describeTimeProblem(value, 'auto')}`);
    return ms;
  }
  return invalid('time', index, value, 'must be an ISO date, a Date or epoch milliseconds');
}

function copyColumn(name: string, source: ArrayLike<number> | undefined, length: number): Float64Array {
  if (source === undefined) return new Float64Array(length);
  if (typeof source !== 'object' || source === null || typeof source.length !== 'number') {
    throw new AlgoTradingError('INVALID_DATA', `column ${name} must be an array of numbers, got ${describeValue(source)}`, {
      details: { field: name, value: source },
    });
  }
  if (source.length !== length) {
    throw new AlgoTradingError(
      'INVALID_DATA',
      `column ${name} has ${source.length} values but time has ${length}: every column must have the same length`,
      { details: { field: name, value: source.length } },
    );
  }
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = source[i];
    if (typeof v !== 'number') invalid(name, i, v, 'must be a number');
    out[i] = v;
  }
  return out;
}

/**
 * Checks every rule of a bar series and throws `INVALID_DATA` naming the column, index and value
 * of the first violation: strictly increasing finite times; finite positive prices;
 * `low <= min(open, close)`; `high >= max(open, close)`; finite non-negative volume.
 */
export function validateBarColumns(c: {
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}): void {
  const n = c.time.length;
  for (const name of BAR_COLUMNS) {
    if (c[name].length !== n) {
      throw new AlgoTradingError('INVALID_DATA', `column ${name} has ${c[name].length} values but time has ${n}`, {
        details: { field: name, value: c[name].length },
      });
    }
  }
  let previous = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = c.time[i]!;
    if (!Number.isFinite(t)) invalid('time', i, t, 'must be finite epoch milliseconds');
    if (!(t > previous)) invalid('time', i, t, `must be later than time[${i - 1}] (${previous}): times must strictly increase`);
    previous = t;
    const o = c.open[i]!;
    const h = c.high[i]!;
    const l = c.low[i]!;
    const cl = c.close[i]!;
    if (!(Number.isFinite(o) && o > 0)) invalid('open', i, o, 'must be a finite positive price');
    if (!(Number.isFinite(h) && h > 0)) invalid('high', i, h, 'must be a finite positive price');
    if (!(Number.isFinite(l) && l > 0)) invalid('low', i, l, 'must be a finite positive price');
    if (!(Number.isFinite(cl) && cl > 0)) invalid('close', i, cl, 'must be a finite positive price');
    if (l > o || l > cl) invalid('low', i, l, `must be <= min(open, close) = ${Math.min(o, cl)}`);
    if (h < o || h < cl) invalid('high', i, h, `must be >= max(open, close) = ${Math.max(o, cl)}`);
    const v = c.volume[i]!;
    if (!(Number.isFinite(v) && v >= 0)) invalid('volume', i, v, 'must be a finite non-negative number');
  }
}

/**
 * Columnar OHLCV bars: each column a `Float64Array` of equal length, times in epoch ms UTC,
 * strictly increasing. Validated once on construction; `slice` shares memory without copying.
 *
 * @example
 * const bars = BarSeries.fromRows([
 *   { time: '2024-01-02', open: 100, high: 102, low: 99, close: 101, volume: 1_000 },
 *   { time: '2024-01-03', open: 101, high: 103, low: 100, close: 102, volume: 1_200 },
 * ], { symbol: 'SPY' });
 * bars.length;      // 2
 * bars.close[1];    // 102
 */
export class BarSeries {
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly symbol: string | undefined;

  private constructor(
    columns: {
      time: Float64Array;
      open: Float64Array;
      high: Float64Array;
      low: Float64Array;
      close: Float64Array;
      volume: Float64Array;
    },
    symbol: string | undefined,
  ) {
    this.time = columns.time;
    this.open = columns.open;
    this.high = columns.high;
    this.low = columns.low;
    this.close = columns.close;
    this.volume = columns.volume;
    this.symbol = symbol;
    Object.defineProperty(this, BAR_SERIES_MARKER, { value: true, enumerable: false });
  }

  private static checkSymbol(options: BarSeriesOptions | undefined): string | undefined {
    const symbol = options?.symbol;
    if (symbol !== undefined && (typeof symbol !== 'string' || symbol.trim() === '')) {
      throw new AlgoTradingError('INVALID_ARGUMENT', `symbol must be a non-empty string, got ${describeValue(symbol)}`, {
        details: { field: 'symbol', value: symbol },
      });
    }
    return symbol;
  }

  /**
   * Builds a series from row objects, validated. Times: a number is epoch ms, a `Date` its time,
   * text follows {@link toEpochMs} with `auto` (ISO 8601 in UTC unless it has an offset, impossible
   * dates such as `2023-02-30` rejected, `YYYYMMDD`, no guess for numbers below 1e8). A bad time is
   * `INVALID_DATA` naming `time`, the row index and the value.
   */
  static fromRows(rows: readonly BarInput[], options?: BarSeriesOptions): BarSeries {
    if (!Array.isArray(rows)) {
      throw new AlgoTradingError('INVALID_DATA', `rows must be an array of bars, got ${describeValue(rows)}`, {
        details: { field: 'rows', value: rows },
      });
    }
    const symbol = BarSeries.checkSymbol(options);
    const n = rows.length;
    const cols = {
      time: new Float64Array(n),
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
      volume: new Float64Array(n),
    };
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (typeof row !== 'object' || row === null) invalid('rows', i, row, 'must be a bar object');
      cols.time[i] = toTimeMs(row.time, i);
      for (const name of ['open', 'high', 'low', 'close'] as const) {
        const v = row[name];
        if (typeof v !== 'number') invalid(name, i, v, 'must be a number');
        cols[name][i] = v;
      }
      const volume = row.volume ?? 0;
      if (typeof volume !== 'number') invalid('volume', i, volume, 'must be a number');
      cols.volume[i] = volume;
    }
    validateBarColumns(cols);
    return new BarSeries(cols, symbol);
  }

  /** Builds a series from columns (copied into `Float64Array`s), validated. */
  static fromColumns(columns: BarColumnsInput, options?: BarSeriesOptions): BarSeries {
    if (typeof columns !== 'object' || columns === null) {
      throw new AlgoTradingError('INVALID_DATA', `columns must be an object of arrays, got ${describeValue(columns)}`, {
        details: { field: 'columns', value: columns },
      });
    }
    const symbol = BarSeries.checkSymbol(options);
    const time = columns.time;
    if (time === undefined || typeof time !== 'object' || time === null || typeof time.length !== 'number') {
      throw new AlgoTradingError('INVALID_DATA', `column time must be an array of numbers, got ${describeValue(time)}`, {
        details: { field: 'time', value: time },
      });
    }
    for (const name of ['open', 'high', 'low', 'close'] as const) {
      if (columns[name] === undefined) {
        throw new AlgoTradingError('INVALID_DATA', `column ${name} is missing`, { details: { field: name } });
      }
    }
    const n = time.length;
    const cols = {
      time: copyColumn('time', time, n),
      open: copyColumn('open', columns.open, n),
      high: copyColumn('high', columns.high, n),
      low: copyColumn('low', columns.low, n),
      close: copyColumn('close', columns.close, n),
      volume: copyColumn('volume', columns.volume, n),
    };
    validateBarColumns(cols);
    return new BarSeries(cols, symbol);
  }

  /**
   * Builds a series from a plain price series (close prices): open = high = low = close = price,
   * volume 0. For data with no OHLC; use `fillAt: 'close'` when backtesting it.
   */
  static fromPrices(times: ArrayLike<number>, prices: ArrayLike<number>, options?: BarSeriesOptions): BarSeries {
    if (times === undefined || times === null || typeof times.length !== 'number') {
      throw new AlgoTradingError('INVALID_DATA', `times must be an array of numbers, got ${describeValue(times)}`, {
        details: { field: 'times', value: times },
      });
    }
    const n = times.length;
    const time = copyColumn('time', times, n);
    const price = copyColumn('prices', prices, n);
    for (let i = 0; i < n; i++) {
      const p = price[i]!;
      if (!(Number.isFinite(p) && p > 0)) invalid('prices', i, p, 'must be a finite positive price');
    }
    return BarSeries.fromValidatedColumns(
      { time, open: price, high: price, low: price, close: price, volume: new Float64Array(n) },
      options,
    );
  }

  /**
   * Wraps existing `Float64Array` columns without copying, after validating them. The caller must
   * not mutate the arrays afterwards.
   */
  static fromValidatedColumns(
    columns: {
      time: Float64Array;
      open: Float64Array;
      high: Float64Array;
      low: Float64Array;
      close: Float64Array;
      volume: Float64Array;
    },
    options?: BarSeriesOptions,
  ): BarSeries {
    const symbol = BarSeries.checkSymbol(options);
    for (const name of BAR_COLUMNS) {
      if (!(columns[name] instanceof Float64Array)) {
        throw new AlgoTradingError('INVALID_DATA', `column ${name} must be a Float64Array, got ${describeValue(columns[name])}`, {
          details: { field: name, value: columns[name] },
        });
      }
    }
    validateBarColumns(columns);
    return new BarSeries({ ...columns }, symbol);
  }

  /** Number of bars. */
  get length(): number {
    return this.time.length;
  }

  /**
   * Bars `[start, end)` as a new series sharing this one's memory (no copy, no revalidation).
   * Negative indices count from the end, like `Array.prototype.slice`.
   */
  slice(start = 0, end: number = this.length): BarSeries {
    return new BarSeries(
      {
        time: this.time.subarray(start, end),
        open: this.open.subarray(start, end),
        high: this.high.subarray(start, end),
        low: this.low.subarray(start, end),
        close: this.close.subarray(start, end),
        volume: this.volume.subarray(start, end),
      },
      this.symbol,
    );
  }

  /** The bar at `index` as an object (negative counts from the end); undefined when out of range. */
  at(index: number): Bar | undefined {
    const i = index < 0 ? this.length + index : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.length) return undefined;
    return {
      time: this.time[i]!,
      open: this.open[i]!,
      high: this.high[i]!,
      low: this.low[i]!,
      close: this.close[i]!,
      volume: this.volume[i]!,
    };
  }

  /** Every bar as an object, in order (allocates; for export and display). */
  toRows(): Bar[] {
    const out: Bar[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.at(i)!;
    return out;
  }

  /** The series with another symbol (shares memory). */
  withSymbol(symbol: string): BarSeries {
    return new BarSeries(
      { time: this.time, open: this.open, high: this.high, low: this.low, close: this.close, volume: this.volume },
      BarSeries.checkSymbol({ symbol }),
    );
  }
}

/** True when `value` is a {@link BarSeries} from any copy of this package. */
export function isBarSeries(value: unknown): value is BarSeries {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BAR_SERIES_MARKER] === true;
}
