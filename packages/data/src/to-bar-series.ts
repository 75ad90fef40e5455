import { AlgoTradingError, describeValue, isBarSeries, type BarSeries } from '@algo-trading/core';
import { buildSeries, singleSeries } from './build-series';
import { fromDataFrame, isDataFrameLike, type DataFrameLike } from './dataframe';
import { resolveTableOptions, type ToBarSeriesOptions } from './options';
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
  if (Array.isArray(input)) {
    if (input.length === 0) {
      throw new AlgoTradingError('INVALID_DATA', 'toBarSeries: the array of rows is empty', { details: { field: 'rows', value: 0 } });
    }
    return singleSeries(buildSeries(rowsTable(input), resolved));
  }
  if (typeof input === 'object' && input !== null && !ArrayBuffer.isView(input)) {
    return singleSeries(buildSeries(columnsTable(input as Readonly<Record<string, unknown>>), resolved));
  }
  throw new AlgoTradingError(
    'INVALID_ARGUMENT',
    `toBarSeries: input must be a BarSeries, a DataFrame, an object of columns or an array of rows, got ${describeValue(input)}`,
    { details: { field: 'input', value: input } },
  );
}
