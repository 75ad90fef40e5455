import { describeValue, isBarSeries, parseOptions, zPositive, type BarSeries } from '@algo-trading/core';
import { z } from 'zod';
import { inferPeriodsPerYear } from '@algo-trading/metrics';
import { fail, formatTime, isArrayLike, readDense, readSymbols } from './internal';

/** Kind of returns in a {@link ReturnsMatrix}: simple `p1 / p0 - 1`, log `ln(p1 / p0)`, or unknown (given by the caller). */
export type ReturnKind = 'simple' | 'log' | 'unspecified';

/**
 * A T x N matrix of periodic returns: one row per period, one column per symbol, row-major in
 * `values` (`values[t * cols + j]` is symbol `symbols[j]`'s return in period `t`). `NaN` marks a
 * missing observation (outer alignment).
 */
export interface ReturnsMatrix {
  readonly symbols: readonly string[];
  /** Number of periods (T). */
  readonly rows: number;
  /** Number of symbols (N). */
  readonly cols: number;
  /** Row-major T x N returns. */
  readonly values: Float64Array;
  /** Epoch ms at which each row's return ends (the later bar of the pair), when known. */
  readonly times?: Float64Array;
  readonly kind: ReturnKind;
  /** Periods per year: given, or inferred from the bar times (metrics' `inferPeriodsPerYear`). */
  readonly periodsPerYear?: number;
  /** True when some entry is NaN (a missing bar). */
  readonly hasMissing: boolean;
}

/**
 * A universe of bar series keyed by symbol: a plain record or a map (what `readBarsCsvBySymbol`
 * of `@algo-trading/data` returns).
 */
export type UniverseInput = Readonly<Record<string, BarSeries>> | ReadonlyMap<string, BarSeries>;

/** Returns that did not come from bars: `values` flat row-major (T x N) or an array of rows. */
export interface PlainReturnsInput {
  readonly symbols: readonly string[];
  readonly values: ArrayLike<number> | readonly (readonly number[])[];
  /** Epoch ms of each row, for `periodsPerYear` inference and schedules. */
  readonly times?: ArrayLike<number>;
  readonly periodsPerYear?: number;
  readonly kind?: ReturnKind;
}

/** Options of {@link returnsMatrix}. */
export interface ReturnsMatrixOptions {
  /** `simple` (default) `close[t] / close[t-1] - 1` or `log` `ln(close[t] / close[t-1])`. Bars only. */
  readonly kind?: 'simple' | 'log';
  /**
   * `inner` (default): only times at which every symbol has a bar. `outer`: the union of times;
   * a return is NaN when the symbol has no bar at either end of the period (as pandas'
   * `pct_change` on outer-joined prices without filling).
   */
  readonly align?: 'inner' | 'outer';
  /** Override of the annualization factor; otherwise inferred from the times. */
  readonly periodsPerYear?: number;
}

/** Every accepted input of {@link returnsMatrix}. */
export type ReturnsInput = UniverseInput | PlainReturnsInput | ReturnsMatrix;

/**
 * The (symbol, series) pairs of a universe, in the record's key order or the map's insertion
 * order. The one place that knows the universe's shape.
 */
export function universeEntries(universe: UniverseInput): Array<[string, BarSeries]> {
  const entries: Array<[string, unknown]> =
    universe instanceof Map ? [...(universe as ReadonlyMap<string, unknown>).entries()] : Object.entries(universe as Record<string, unknown>);
  if (entries.length === 0) fail('INVALID_ARGUMENT', 'universe', 'universe must hold at least one symbol, got none');
  for (const [symbol, series] of entries) {
    if (!isBarSeries(series)) {
      fail('INVALID_ARGUMENT', 'universe', `universe[${JSON.stringify(symbol)}] must be a BarSeries, got ${describeValue(series)}`, series, { symbol });
    }
  }
  readSymbols(entries.map(([s]) => s), 'universe symbols');
  return entries as Array<[string, BarSeries]>;
}

function isReturnsMatrix(input: unknown): input is ReturnsMatrix {
  return (
    typeof input === 'object' &&
    input !== null &&
    (input as ReturnsMatrix).values instanceof Float64Array &&
    typeof (input as ReturnsMatrix).rows === 'number' &&
    typeof (input as ReturnsMatrix).cols === 'number' &&
    typeof (input as ReturnsMatrix).hasMissing === 'boolean'
  );
}

function isUniverse(input: unknown): input is UniverseInput {
  if (input instanceof Map) return true;
  if (typeof input !== 'object' || input === null || 'values' in input) return false;
  const values = Object.values(input);
  return values.length > 0 && values.every(isBarSeries);
}

function readPeriodsPerYear(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail('INVALID_ARGUMENT', 'periodsPerYear', `periodsPerYear must be a finite number > 0, got ${describeValue(value)}`, value);
  }
  return value;
}

/** Schema of {@link ReturnsMatrixOptions}. */
export const returnsMatrixOptionsSchema = z.strictObject({
  kind: z.enum(['simple', 'log']).optional(),
  align: z.enum(['inner', 'outer']).optional(),
  periodsPerYear: zPositive().optional(),
});

function inferredPeriods(times: Float64Array | undefined, given: number | undefined): number | undefined {
  if (given !== undefined) return given;
  if (times === undefined || times.length < 2) return undefined;
  return inferPeriodsPerYear(times);
}

/**
 * Builds the T x N returns matrix of a universe of bars (close to close), or validates returns
 * given directly (`{ symbols, values }`, flat row-major or an array of rows; NaN = missing).
 *
 * With bars, `align: 'inner'` keeps the times every symbol has; `'outer'` keeps every time and
 * marks a return NaN when the symbol lacks the bar at either end. The first time gives no return,
 * so T = times - 1. `periodsPerYear` comes from the bar times (metrics' `inferPeriodsPerYear`)
 * unless given.
 *
 * @example
 * const R = returnsMatrix(new Map([['AAA', barsA], ['BBB', barsB]]), { kind: 'simple', align: 'inner' });
 * R.values[t * R.cols + j]; // return of R.symbols[j] in period t
 */
export function returnsMatrix(input: ReturnsInput, options?: ReturnsMatrixOptions): ReturnsMatrix {
  const opts = parseOptions(returnsMatrixOptionsSchema, options ?? {}, { what: 'returnsMatrix options' });
  const periodsOverride = opts.periodsPerYear;
  if (isReturnsMatrix(input)) {
    if (opts.kind !== undefined || opts.align !== undefined) {
      fail('INVALID_CONFIG', 'options', 'kind and align apply to bars only: this input already is a returns matrix');
    }
    if (periodsOverride === undefined) return input;
    return Object.freeze({ ...input, periodsPerYear: periodsOverride });
  }
  if (isUniverse(input)) return fromUniverse(universeEntries(input), opts, periodsOverride);
  if (typeof input !== 'object' || input === null || !('symbols' in input) || !('values' in input)) {
    fail(
      'INVALID_ARGUMENT',
      'input',
      `returnsMatrix needs a universe (Record or Map of symbol to BarSeries) or { symbols, values } returns, got ${describeValue(input)}`,
      input,
    );
  }
  if (opts.kind !== undefined || opts.align !== undefined) {
    fail('INVALID_CONFIG', 'options', 'kind and align apply to bars only: { symbols, values } already holds returns');
  }
  return fromPlain(input as PlainReturnsInput, periodsOverride);
}

function fromPlain(input: PlainReturnsInput, periodsOverride: number | undefined): ReturnsMatrix {
  const symbols = readSymbols(input.symbols);
  const cols = symbols.length;
  const dense = readDense(input.values, undefined, cols, 'values', true);
  let times: Float64Array | undefined;
  if (input.times !== undefined) {
    if (!isArrayLike(input.times) || input.times.length !== dense.rows) {
      fail('INVALID_ARGUMENT', 'times', `times must be an array of ${dense.rows} epoch-ms values (one per row), got ${describeValue(input.times)}`, input.times);
    }
    times = Float64Array.from(input.times as ArrayLike<number>);
    for (let i = 0; i < times.length; i++) {
      if (!Number.isFinite(times[i]!) || (i > 0 && !(times[i]! > times[i - 1]!))) {
        fail('INVALID_DATA', 'times', `times[${i}] must be finite and later than times[${i - 1}], got ${describeValue(input.times[i])}`, input.times[i], { index: i });
      }
    }
  }
  const kind = input.kind ?? 'unspecified';
  if (kind !== 'simple' && kind !== 'log' && kind !== 'unspecified') {
    fail('INVALID_ARGUMENT', 'kind', `kind must be "simple", "log" or "unspecified", got ${describeValue(kind)}`, kind);
  }
  let hasMissing = false;
  for (let k = 0; k < dense.values.length; k++) {
    if (Number.isNaN(dense.values[k]!)) {
      hasMissing = true;
      break;
    }
  }
  const periodsPerYear = inferredPeriods(times, periodsOverride ?? readPeriodsPerYear(input.periodsPerYear));
  return Object.freeze({
    symbols,
    rows: dense.rows,
    cols,
    values: dense.values,
    ...(times === undefined ? {} : { times }),
    kind,
    ...(periodsPerYear === undefined ? {} : { periodsPerYear }),
    hasMissing,
  });
}

function fromUniverse(
  entries: Array<[string, BarSeries]>,
  opts: z.output<typeof returnsMatrixOptionsSchema>,
  periodsOverride: number | undefined,
): ReturnsMatrix {
  const kind = opts.kind ?? 'simple';
  const align = opts.align ?? 'inner';
  const symbols = Object.freeze(entries.map(([s]) => s));
  const cols = symbols.length;
  // Merge the (sorted, unique) times of every series into the aligned grid.
  let grid: Float64Array;
  if (align === 'inner') {
    grid = entries[0]![1].time;
    for (let j = 1; j < cols; j++) grid = intersect(grid, entries[j]![1].time);
  } else {
    grid = entries[0]![1].time;
    for (let j = 1; j < cols; j++) grid = union(grid, entries[j]![1].time);
  }
  if (grid.length < 2) {
    fail(
      'INVALID_DATA',
      'universe',
      `the ${align} alignment of ${cols} symbols leaves ${grid.length} common bar time(s): at least 2 are needed for one return` +
        (align === 'inner' ? ' (the symbols share too few dates; try align: "outer")' : ''),
      grid.length,
    );
  }
  const rows = grid.length - 1;
  const values = new Float64Array(rows * cols);
  let hasMissing = false;
  for (let j = 0; j < cols; j++) {
    const series = entries[j]![1];
    const t = series.time;
    const close = series.close;
    // Walk the grid and the series together: price on the grid or NaN.
    let k = 0;
    let previous = NaN;
    for (let g = 0; g < grid.length; g++) {
      const time = grid[g]!;
      while (k < t.length && t[k]! < time) k++;
      const price = k < t.length && t[k] === time ? close[k]! : NaN;
      if (g > 0) {
        const r = kind === 'simple' ? price / previous - 1 : Math.log(price / previous);
        values[(g - 1) * cols + j] = r;
        if (Number.isNaN(r)) hasMissing = true;
      }
      previous = price;
    }
  }
  const times = grid.slice(1);
  const periodsPerYear = periodsOverride ?? inferPeriodsPerYear(grid);
  return Object.freeze({ symbols, rows, cols, values, times, kind, periodsPerYear, hasMissing });
}

function intersect(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out[n++] = a[i]!;
      i++;
      j++;
    }
  }
  return out.slice(0, n);
}

function union(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out[n++] = a[i++]!;
    else if (i >= a.length || b[j]! < a[i]!) out[n++] = b[j++]!;
    else {
      out[n++] = a[i]!;
      i++;
      j++;
    }
  }
  return out.slice(0, n);
}

/**
 * Throws INVALID_DATA naming the first NaN (row, time and symbol) for an estimator that cannot
 * use missing values.
 */
export function requireComplete(R: ReturnsMatrix, what: string): void {
  if (!R.hasMissing) return;
  for (let t = 0; t < R.rows; t++) {
    for (let j = 0; j < R.cols; j++) {
      if (Number.isNaN(R.values[t * R.cols + j]!)) {
        const when = R.times === undefined ? '' : ` (${formatTime(R.times[t]!)})`;
        fail(
          'INVALID_DATA',
          'returns',
          `returns[${t}]${when} of ${JSON.stringify(R.symbols[j])} is NaN (a missing bar): ${what} cannot use missing values; ` +
            'build the matrix with align: "inner", or drop the symbol or the rows',
          NaN,
          { index: t, symbol: R.symbols[j] },
        );
      }
    }
  }
}

/**
 * The rows `[start, end)` of a returns matrix as a new matrix (copying the slice).
 */
export function sliceRows(R: ReturnsMatrix, start: number, end: number, columns?: readonly number[]): ReturnsMatrix {
  const cols = columns ?? R.symbols.map((_, j) => j);
  const rows = end - start;
  const values = new Float64Array(rows * cols.length);
  let hasMissing = false;
  for (let t = 0; t < rows; t++) {
    const base = (start + t) * R.cols;
    for (let c = 0; c < cols.length; c++) {
      const v = R.values[base + cols[c]!]!;
      values[t * cols.length + c] = v;
      if (Number.isNaN(v)) hasMissing = true;
    }
  }
  return Object.freeze({
    symbols: Object.freeze(cols.map((j) => R.symbols[j]!)),
    rows,
    cols: cols.length,
    values,
    ...(R.times === undefined ? {} : { times: R.times.slice(start, end) }),
    kind: R.kind,
    ...(R.periodsPerYear === undefined ? {} : { periodsPerYear: R.periodsPerYear }),
    hasMissing,
  });
}
