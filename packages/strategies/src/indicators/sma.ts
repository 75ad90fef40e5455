import { RollingMoments, nanArray, requirePeriod, requireSeries } from './internal';

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
  const n = values.length;
  const out = nanArray(n);
  const window = new RollingMoments();
  let run = 0; // consecutive finite values ending at i
  let same = 0; // consecutive values equal to the previous one ending at i
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
    if (run >= period) out[i] = same >= period - 1 ? x : window.mean(period);
  }
  return out;
}
