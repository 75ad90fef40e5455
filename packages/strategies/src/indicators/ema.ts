import { nanArray, requirePeriod, requireSeries } from './internal';

/**
 * Exponential smoothing shared by {@link ema} and Wilder's averages: seeded with the simple mean of
 * the first `period` finite values, then `prev + alpha * (x - prev)`. A non-finite input restarts
 * the seed. Writes into `out` (which must be NaN-filled) and returns it.
 */
export function smoothInto(values: ArrayLike<number>, period: number, alpha: number, out: Float64Array): Float64Array {
  const n = values.length;
  let run = 0;
  let seedSum = 0;
  let prev = Number.NaN;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) {
      run = 0;
      seedSum = 0;
      continue;
    }
    run++;
    if (run < period) {
      seedSum += x;
    } else if (run === period) {
      seedSum += x;
      prev = seedSum / period;
      out[i] = prev;
    } else {
      prev += alpha * (x - prev);
      out[i] = prev;
    }
  }
  return out;
}

/**
 * Exponential moving average with `alpha = 2 / (period + 1)`, seeded with the simple average of the
 * first `period` values (the TA-Lib convention), O(n).
 *
 * `out[t]` uses values up to t only; NaN during the warm-up (the first `period - 1` values). Leading
 * NaNs are skipped; a non-finite value later restarts the warm-up after it.
 *
 * @example
 * ema([1, 2, 3, 4], 3); // Float64Array [NaN, NaN, 2, 3]  (seed (1+2+3)/3, then 2 + 0.5 * (4 - 2))
 */
export function ema(values: ArrayLike<number>, period: number): Float64Array {
  requireSeries('values', values);
  requirePeriod('period', period);
  return smoothInto(values, period, 2 / (period + 1), nanArray(values.length));
}

/**
 * Wilder's moving average (RMA, `alpha = 1 / period`), seeded with the simple average of the first
 * `period` values, O(n). The smoothing of {@link rsi} and {@link atr}.
 *
 * @example
 * wilderAverage([1, 2, 3, 4], 2); // Float64Array [NaN, 1.5, 2.25, 3.125]
 */
export function wilderAverage(values: ArrayLike<number>, period: number): Float64Array {
  requireSeries('values', values);
  requirePeriod('period', period);
  return smoothInto(values, period, 1 / period, nanArray(values.length));
}
