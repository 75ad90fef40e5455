import { AlgoTradingError, describeValue, isBarSeries, universeOf, type BarSeries, type Universe } from '@algo-trading/core';
import { buildSeries, groupsToUniverse, singleSeries, type SymbolGroup } from './build-series';
import { dataFrameGroups, fromDataFrame, isDataFrameLike, type DataFrameLike } from './dataframe';
import { resolveTableOptions, type ResolvedLoadOptions, type ToBarSeriesOptions } from './options';
import { columnsTable, rowsTable } from './table';

/** A time value in memory: epoch number (ms by default), ISO string or `Date`. */
export type TimeValue = number | string | Date;

/** OHLC columns; without open, high and low, close alone gives price-only bars. */
export interface OhlcColumns {
  readonly time: ArrayLike<TimeValue>;
  readonly open?: ArrayLike<number>;
  readonly high?: ArrayLike<number>;
  readonly low?: ArrayLike<number>;
  readonly close: ArrayLike<number>;
  readonly adjClose?: ArrayLike<number>;
  /** Missing volume is 0. */
  readonly volume?: ArrayLike<number>;
}

/** Price-only columns: open = high = low = close = price. */
export interface PriceColumns {
  readonly time: ArrayLike<TimeValue>;
  readonly price: ArrayLike<number>;
  /** Missing volume is 0. */
  readonly volume?: ArrayLike<number>;
}

/** Columns under any header-like names (`Date`, `Adj Close`, ...), detected like CSV headers. */
export type NamedColumns = Readonly<Record<string, ArrayLike<unknown>>>;

/** Row objects such as `{ time, open, high, low, close, volume }` or `{ Date, Close }`; keys of the first row. */
export type BarRows = readonly Readonly<Record<string, unknown>>[];

/** Everything {@link toBarSeries} converts. */
export type BarSeriesSource = BarSeries | DataFrameLike | OhlcColumns | PriceColumns | NamedColumns | BarRows;

/**
 * The one converter the engine and the apps call: turns market data in any supported shape into a
 * validated {@link BarSeries}.
 *
 * - a `BarSeries` is returned as is (with `options.symbol` applied when given);
 * - a danfojs DataFrame (duck-typed, see `fromDataFrame`);
 * - columns `{ time, open, high, low, close, volume? }`, `{ time, close }` or `{ time, price }`
 *   (price-only: open = high = low = close), under any header-like names;
 * - an array of row objects with such keys.
 *
 * Times are epoch milliseconds by default (`timeUnit` changes that; `auto` guesses from the
 * magnitude), ISO strings (a date alone is UTC midnight) or `Date`s. Errors name the row (`row 3`
 * for row objects and DataFrames, `index 3` for columns), the column and the value.
 *
 * @example
 * const bars = toBarSeries({ time: [Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)], price: [100, 101] });
 * bars.high[1]; // 101
 */
export function toBarSeries(input: BarSeriesSource, options?: ToBarSeriesOptions): BarSeries {
  const resolved = resolveTableOptions(options, 'toBarSeries');
  if (isBarSeries(input)) {
    return resolved.symbol === undefined || resolved.symbol === input.symbol ? input : input.withSymbol(resolved.symbol);
  }
  if (isDataFrameLike(input)) return fromDataFrame(input, options);
  return singleSeries(frameGroups(input, resolved, 'toBarSeries'));
}

/**
 * The symbol groups of a frame (rows, columns or a DataFrame): one per value of its symbol column,
 * or one group without a symbol when it has none. `what` names the caller in errors.
 */
function frameGroups(input: unknown, resolved: ResolvedLoadOptions, what: string): SymbolGroup[] {
  if (isDataFrameLike(input)) return dataFrameGroups(input, resolved);
  if (Array.isArray(input)) {
    if (input.length === 0) {
      throw new AlgoTradingError('INVALID_DATA', `${what}: the array of rows is empty`, { details: { field: 'rows', value: 0 } });
    }
    return buildSeries(rowsTable(input), resolved);
  }
  if (typeof input === 'object' && input !== null && !ArrayBuffer.isView(input)) {
    return buildSeries(columnsTable(input as Readonly<Record<string, unknown>>), resolved);
  }
  throw new AlgoTradingError(
    'INVALID_ARGUMENT',
    `${what}: input must be a BarSeries, a DataFrame, an object of columns or an array of rows, got ${describeValue(input)}`,
    { details: { field: 'input', value: input } },
  );
}

/**
 * A long-format frame as a universe: rows `{ time, symbol, open, high, low, close, volume }`,
 * columns `{ time: [...], symbol: [...], close: [...] }` or a DataFrame with a symbol column
 * (`symbol` or `ticker`, or `columns.symbol`) become one validated series per symbol, in sorted
 * symbol order, exactly as `parseBarsCsvBySymbol` groups a multi-symbol CSV. Each symbol's rows
 * must be in time order among themselves (or `sortUnordered`); the symbols may have different
 * calendars. Data without a symbol column gives a universe of one series, named by
 * `options.symbol` (or the `BarSeries`'s own symbol); `INVALID_DATA` when it has no name.
 *
 * @example
 * const universe = toBarUniverse([
 *   { time: '2024-01-02', symbol: 'AAPL', close: 185 },
 *   { time: '2024-01-02', symbol: 'MSFT', close: 370 },
 *   { time: '2024-01-03', symbol: 'AAPL', close: 184 },
 * ]);
 * [...universe.keys()]; // ['AAPL', 'MSFT']
 */
export function toBarUniverse(input: BarSeriesSource, options?: ToBarSeriesOptions): Universe {
  const resolved = resolveTableOptions(options, 'toBarUniverse');
  if (isBarSeries(input)) return universeOf([toBarSeries(input, options)]);
  return groupsToUniverse(frameGroups(input, resolved, 'toBarUniverse'), resolved.symbol, 'the data', 'toBarSeries');
}

/**
 * Market data as the backtest engine takes it: a frame whose symbol column holds several symbols
 * (long format, see {@link toBarUniverse}) is a universe; anything else {@link toBarSeries}
 * converts, a frame of one symbol included (named by it), is one series, exactly as `toBarSeries`
 * gives it. The one place where the engine tells the two apart.
 */
export function toBarsOrUniverse(input: BarSeriesSource, options?: ToBarSeriesOptions): BarSeries | Universe {
  const resolved = resolveTableOptions(options, 'toBarSeries');
  if (isBarSeries(input)) return toBarSeries(input, options);
  const groups = frameGroups(input, resolved, 'toBarSeries');
  if (groups.length === 1) return singleSeries(groups);
  return groupsToUniverse(groups, resolved.symbol, 'the data', 'toBarSeries');
}
