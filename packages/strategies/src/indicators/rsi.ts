import { nanArray, requirePeriod, requireSeries } from './internal';

/**
 * Relative Strength Index with Wilder's smoothing, O(n), in [0, 100].
 *
 * Changes `d[t] = close[t] - close[t-1]`; the first average gain / loss is the simple mean over the
 * first `period` changes, then `avg = (avg * (period - 1) + current) / period`.
 * `RSI = 100 * avgGain / (avgGain + avgLoss)` (= `100 - 100 / (1 + RS)`): 100 when there is no
 * loss, and 50 when the window had neither gain nor loss (a flat series).
 *
 * The first value is at index `period` (it needs `period + 1` closes); NaN before. A non-finite
 * close restarts the warm-up after it. Default period 14.
 *
 * @example
 * rsi(closes, 14);
 */
export function rsi(close: ArrayLike<number>, period = 14): Float64Array {
  requireSeries('close', close);
  requirePeriod('period', period);
  const n = close.length;
  const out = nanArray(n);
  let run = 0;
  let gainSum = 0;
  let lossSum = 0;
  let avgGain = 0;
  let avgLoss = 0;
  for (let i = 0; i < n; i++) {
    const x = close[i]!;
    if (!Number.isFinite(x)) {
      run = 0;
      continue;
    }
    run++;
    if (run === 1) {
      gainSum = 0;
      lossSum = 0;
      continue;
    }
    const d = x - close[i - 1]!;
    const gain = d > 0 ? d : 0;
    const loss = d < 0 ? -d : 0;
    const changes = run - 1;
    if (changes < period) {
      gainSum += gain;
      lossSum += loss;
      continue;
    }
    if (changes === period) {
      avgGain = (gainSum + gain) / period;
      avgLoss = (lossSum + loss) / period;
    } else {
      avgGain = (avgGain * (period - 1) + gain) / period;
      avgLoss = (avgLoss * (period - 1) + loss) / period;
    }
    const total = avgGain + avgLoss;
    out[i] = total === 0 ? 50 : (100 * avgGain) / total;
  }
  return out;
}
