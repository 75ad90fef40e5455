import { AlgoTradingError, describeValue } from '@algo-trading/core';
import { RollingMoments, nanArray, requirePeriod, requireSeries } from './internal';

/** Options of {@link rollingStd} and {@link zScore}. */
export interface RollingStdOptions {
  /** Delta degrees of freedom: 1 = sample standard deviation (default), 0 = population. */
  readonly ddof?: 0 | 1;
}

function ddofOf(options: RollingStdOptions | undefined): 0 | 1 {
  const ddof = options?.ddof ?? 1;
  if (ddof !== 0 && ddof !== 1) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `ddof must be 0 or 1, got ${describeValue(ddof)}`, {
      details: { field: 'ddof', value: ddof },
    });
  }
  return ddof;
}

/**
 * Shared O(n) rolling mean / standard deviation pass. Calls `emit(i, x, mean, std)` for every index
 * whose window of `period` finite values is complete. A window of identical values has std exactly 0.
 */
export function rollingMeanStd(
  values: ArrayLike<number>,
  period: number,
  ddof: 0 | 1,
  emit: (i: number, x: number, mean: number, std: number) => void,
): void {
  const n = values.length;
  const window = new RollingMoments();
  let run = 0;
  let same = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) {
      run = 0;
      continue;
    }
    if (run === 0) {
      window.reset(x);
      same = 0;
    } else {
      same = x === values[i - 1]! ? same + 1 : 0;
    }
    window.add(x);
    run++;
    if (run > period) window.remove(values[i - period]!);
    if (run % period === 0) window.rebase(values, i - period + 1, i + 1);
    if (run >= period) {
      if (same >= period - 1) emit(i, x, x, 0);
      else emit(i, x, window.mean(period), Math.sqrt(window.variance(period, ddof)));
    }
  }
}

/**
 * Rolling standard deviation over the last `period` values, O(n) (shifted, compensated sums; a
 * window of identical values gives exactly 0).
 *
 * `out[t]` uses `values[t - period + 1 .. t]` only; NaN during the warm-up. A non-finite input
 * counts as missing (NaN until `period` finite values have followed it). `period` must exceed
 * `ddof` (>= 2 for the default sample standard deviation).
 *
 * @example
 * rollingStd([1, 2, 3, 5], 3); // Float64Array [NaN, NaN, 1, 1.5275...]
 */
export function rollingStd(values: ArrayLike<number>, period: number, options?: RollingStdOptions): Float64Array {
  requireSeries('values', values);
  const ddof = ddofOf(options);
  requirePeriod('period', period, ddof + 1);
  const out = nanArray(values.length);
  rollingMeanStd(values, period, ddof, (i, _x, _mean, std) => {
    out[i] = std;
  });
  return out;
}

/**
 * Rolling z-score: `(x[t] - mean) / std` over the window of the last `period` values (including
 * x[t]), O(n). 0 when the window is constant (std 0, x equals the mean). NaN during the warm-up and
 * after a non-finite input, like {@link rollingStd}.
 *
 * @example
 * zScore([1, 2, 3, 6], 3); // [NaN, NaN, 1, 1.1209...]
 */
export function zScore(values: ArrayLike<number>, period: number, options?: RollingStdOptions): Float64Array {
  requireSeries('values', values);
  const ddof = ddofOf(options);
  requirePeriod('period', period, ddof + 1);
  const out = nanArray(values.length);
  rollingMeanStd(values, period, ddof, (i, x, mean, std) => {
    out[i] = std === 0 ? 0 : (x - mean) / std;
  });
  return out;
}
