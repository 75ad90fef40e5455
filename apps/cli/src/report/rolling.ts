import { AlgoTradingError } from '@algo-trading/core';

/**
 * Bars in the report's rolling Sharpe window: half a year of the run's bars (126 for daily bars
 * at 252 a year), at least 20, and at most a third of the run so the line has a shape.
 */
export function rollingWindow(periodsPerYear: number, bars: number): number {
  const half = Number.isFinite(periodsPerYear) && periodsPerYear > 0 ? Math.round(periodsPerYear / 2) : 126;
  return Math.max(20, Math.min(half, Math.floor(bars / 3)));
}

/**
 * Rolling annualized Sharpe ratio of per-bar returns: for each bar t from `window - 1` on, the
 * Sharpe ratio of `returns[t - window + 1 .. t]` exactly as the headline's (mean over the sample
 * standard deviation, ddof 1, times sqrt(periodsPerYear); risk-free 0); NaN before the first full
 * window and where the window's returns are all equal (no deviation). NaN returns count as 0. O(n): running sums,
 * recomputed from scratch every `window` bars so rounding cannot build up.
 *
 * @throws AlgoTradingError `INVALID_ARGUMENT` for a window below 2.
 */
export function rollingSharpe(returns: ArrayLike<number>, window: number, periodsPerYear: number): Float64Array {
  if (!Number.isInteger(window) || window < 2) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `window must be an integer of at least 2, got ${window}`, { details: { field: 'window', value: window } });
  }
  const n = returns.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const value = (i: number) => {
    const r = returns[i]!;
    return Number.isNaN(r) ? 0 : r;
  };
  const annualize = Math.sqrt(periodsPerYear);
  let sum = 0;
  let sumSquares = 0;
  for (let t = 0; t < n; t++) {
    if (t >= window && (t - window) % window === 0) {
      // Fresh sums over the window ending at t - 1, then the usual update below.
      sum = 0;
      sumSquares = 0;
      for (let i = t - window; i < t; i++) {
        const r = value(i);
        sum += r;
        sumSquares += r * r;
      }
    }
    const r = value(t);
    sum += r;
    sumSquares += r * r;
    if (t >= window) {
      const old = value(t - window);
      sum -= old;
      sumSquares -= old * old;
    }
    if (t >= window - 1) {
      const mean = sum / window;
      const variance = (sumSquares - window * mean * mean) / (window - 1);
      // A window of equal returns (a flat stretch out of the market) has no deviation: the running
      // sums only leave rounding residue there, so a variance that small is 0 (and the ratio NaN).
      out[t] = variance > 1e-12 * (sumSquares / window) ? (mean / Math.sqrt(variance)) * annualize : Number.NaN;
    }
  }
  return out;
}
