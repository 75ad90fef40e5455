import { AlgoTradingError, BarSeries, describeValue, isBarSeries, type BarColumnsInput } from '@algo-trading/core';

/** Bars accepted by the feature and label builders: a `BarSeries` or its columns (validated). */
export type BarsInput = BarSeries | BarColumnsInput;

/** Returns `bars` as a validated `BarSeries` (converting columns with `BarSeries.fromColumns`). */
export function toBarSeries(bars: BarsInput, field = 'bars'): BarSeries {
  if (isBarSeries(bars)) return bars;
  if (typeof bars !== 'object' || bars === null) {
    throw new AlgoTradingError('INVALID_DATA', `${field} must be a BarSeries or an object of OHLCV columns, got ${describeValue(bars)}`, {
      details: { field, value: bars },
    });
  }
  return BarSeries.fromColumns(bars);
}
