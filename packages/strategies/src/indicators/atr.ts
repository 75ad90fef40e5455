import { nanArray, requirePeriod, requireSameLength, requireSeries } from './internal';

/** The price columns {@link trueRange} and {@link atr} read; a `BarSeries` qualifies. */
export interface HighLowClose {
  readonly high: ArrayLike<number>;
  readonly low: ArrayLike<number>;
  readonly close: ArrayLike<number>;
}

function checkColumns(bars: HighLowClose): number {
  if (typeof bars !== 'object' || bars === null) {
    requireSeries('bars', bars);
  }
  requireSeries('high', bars.high);
  requireSeries('low', bars.low);
  requireSeries('close', bars.close);
  return requireSameLength({ high: bars.high, low: bars.low, close: bars.close });
}

/**
 * True range: `max(high - low, |high - prevClose|, |low - prevClose|)`; at the first bar (or the
 * first after a non-finite value), where there is no previous close, `high - low`.
 *
 * @example
 * trueRange({ high: [10, 12], low: [9, 11], close: [9.5, 11.5] }); // [1, 2.5]
 */
export function trueRange(bars: HighLowClose): Float64Array {
  const n = checkColumns(bars);
  const { high, low, close } = bars;
  const out = nanArray(n);
  let hasPrev = false;
  for (let i = 0; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    if (!(Number.isFinite(h) && Number.isFinite(l) && Number.isFinite(c))) {
      hasPrev = false;
      continue;
    }
    if (hasPrev) {
      const pc = close[i - 1]!;
      out[i] = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
    } else {
      out[i] = h - l;
    }
    hasPrev = true;
  }
  return out;
}

/**
 * Average True Range with Wilder's smoothing (the TA-Lib convention), O(n).
 *
 * The first ATR, at index `period`, is the mean of the true ranges of bars 1..period (each with a
 * previous close); then `atr = (atr * (period - 1) + tr) / period`. NaN before; a non-finite high,
 * low or close restarts the warm-up after it. Default period 14.
 *
 * @example
 * atr(bars, 14); // bars: a BarSeries or { high, low, close }
 */
export function atr(bars: HighLowClose, period = 14): Float64Array {
  const n = checkColumns(bars);
  requirePeriod('period', period);
  const { high, low, close } = bars;
  const out = nanArray(n);
  let run = 0;
  let sum = 0;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    if (!(Number.isFinite(h) && Number.isFinite(l) && Number.isFinite(c))) {
      run = 0;
      continue;
    }
    run++;
    if (run === 1) {
      sum = 0;
      continue;
    }
    const pc = close[i - 1]!;
    const tr = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
    const count = run - 1;
    if (count < period) {
      sum += tr;
      continue;
    }
    value = count === period ? (sum + tr) / period : (value * (period - 1) + tr) / period;
    out[i] = value;
  }
  return out;
}
