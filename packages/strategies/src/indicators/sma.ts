import { nanArray, requirePeriod, requireSeries } from './internal';
import { rollingMeanStd } from './rolling-std';

/**
 * Simple moving average: the mean of the last `period` values, O(n).
 *
 * `out[t]` uses `values[t - period + 1 .. t]` only; NaN during the warm-up (the first
 * `period - 1` values). A non-finite input value (NaN, +-Infinity) counts as missing: the output
 * is NaN there and until `period` finite values have followed it.
 *
 * @example
 * sma([1, 2, 3, 4], 2); // Float64Array [NaN, 1.5, 2.5, 3.5]
 */
export function sma(values: ArrayLike<number>, period: number): Float64Array {
  requireSeries('values', values);
  requirePeriod('period', period);
  const out = nanArray(values.length);
  // One rolling-window implementation (with the same NaN and constant-window rules) serves both.
  rollingMeanStd(values, period, 0, (i, _x, mean) => {
    out[i] = mean;
  });
  return out;
}
