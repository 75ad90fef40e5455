import { BarSeries, createSeededRandom } from '@algo-trading/core';

/** Options of {@link syntheticBars}. */
export interface SyntheticBarsOptions {
  /** Number of bars. Default 1,000,000. */
  readonly length?: number;
  /** Seed of the generator; the same seed gives the same bars. Default 42. */
  readonly seed?: number;
  /** First price. Default 100. */
  readonly startPrice?: number;
  /**
   * Mean reversion of the log price towards log(startPrice) per bar, in [0, 1). Default 0.001,
   * which keeps a million bars within a realistic price range (a pure random walk would drift
   * to absurd prices over that many bars).
   */
  readonly meanReversion?: number;
  /** Volatility per bar (log return). Default 0.01. */
  readonly volatility?: number;
  /**
   * Autocorrelation of consecutive bar returns, in (-1, 1). Default 0 (a random walk); a positive
   * value makes trends persist (trend-following strategies then have an edge).
   */
  readonly momentum?: number;
  /** Bar spacing in ms. Default one day. */
  readonly intervalMs?: number;
  /** First bar time, epoch ms. Default 2000-01-03. */
  readonly startTime?: number;
  /** Symbol of the series. Default `SYN`. */
  readonly symbol?: string;
}

/**
 * Seeded synthetic OHLCV: a mean-reverting geometric random walk of closes, opens gapping from
 * the previous close, wicks above and below, random volumes. Always valid OHLC (low <= open, close <= high).
 */
export function syntheticBars(options: SyntheticBarsOptions = {}): BarSeries {
  const n = options.length ?? 1_000_000;
  const rng = createSeededRandom(options.seed ?? 42);
  const reversion = options.meanReversion ?? 0.001;
  const momentum = options.momentum ?? 0;
  const volatility = options.volatility ?? 0.01;
  const interval = options.intervalMs ?? 86_400_000;
  const start = options.startTime ?? Date.UTC(2000, 0, 3);
  const time = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  const anchor = Math.log(options.startPrice ?? 100);
  let previous = options.startPrice ?? 100;
  let shock = 0;
  for (let i = 0; i < n; i++) {
    const o = previous * Math.exp(0.25 * volatility * rng.normal());
    shock = momentum * shock + volatility * rng.normal();
    const c = o * Math.exp(reversion * (anchor - Math.log(o)) + shock);
    const h = Math.max(o, c) * (1 + 0.5 * volatility * Math.abs(rng.normal()));
    const l = Math.min(o, c) * (1 - 0.5 * volatility * Math.abs(rng.normal()));
    time[i] = start + i * interval;
    open[i] = o;
    high[i] = h;
    low[i] = l;
    close[i] = c;
    volume[i] = Math.round(1_000 + 9_000 * rng.next());
    previous = c;
  }
  return BarSeries.fromValidatedColumns({ time, open, high, low, close, volume }, { symbol: options.symbol ?? 'SYN' });
}

/**
 * SMA(fast) / SMA(slow) crossover state signals: 1 while the fast average is above the slow
 * one, -1 while below, 0 during the warm-up. O(n) with running sums.
 */
export function smaCrossoverSignals(close: Float64Array, fast = 10, slow = 20): Int8Array {
  const n = close.length;
  const out = new Int8Array(n);
  let sumFast = 0;
  let sumSlow = 0;
  for (let i = 0; i < n; i++) {
    const c = close[i]!;
    sumFast += c;
    sumSlow += c;
    if (i >= fast) sumFast -= close[i - fast]!;
    if (i >= slow) sumSlow -= close[i - slow]!;
    if (i >= slow - 1) {
      const f = sumFast / fast;
      const s = sumSlow / slow;
      out[i] = f > s ? 1 : f < s ? -1 : 0;
    }
  }
  return out;
}
