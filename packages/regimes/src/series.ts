import { AlgoTradingError, describeValue, isBarSeries, requireInteger, type BarSeries } from '@algo-trading/core';

/** Prices: a `BarSeries` (its closes are used) or close prices as numbers, oldest first. */
export type PriceInput = BarSeries | ArrayLike<number>;

/**
 * The close prices of `input` as a `Float64Array` (a `BarSeries`'s column itself, no copy).
 *
 * @throws AlgoTradingError `INVALID_DATA` unless every price is a finite number > 0.
 */
export function readPrices(input: PriceInput, field = 'prices'): Float64Array {
  if (isBarSeries(input)) return input.close;
  if (typeof input !== 'object' || input === null || typeof (input as ArrayLike<number>).length !== 'number') {
    throw new AlgoTradingError('INVALID_DATA', `${field} must be a BarSeries or an array of prices, got ${describeValue(input)}`, {
      details: { field, value: input },
    });
  }
  const n = input.length;
  for (let i = 0; i < n; i++) {
    const p = input[i];
    if (typeof p !== 'number' || !Number.isFinite(p) || p <= 0) {
      throw new AlgoTradingError('INVALID_DATA', `${field}[${i}] must be a finite price > 0, got ${describeValue(p)}`, {
        details: { field, index: i, value: p },
      });
    }
  }
  return input instanceof Float64Array ? input : Float64Array.from(input);
}

/**
 * Log returns aligned with the prices: `r[0] = NaN`, `r[t] = ln(p[t] / p[t - 1])`.
 *
 * @example
 * logReturns([100, 110, 99]); // Float64Array [NaN, 0.0953..., -0.1053...]
 */
export function logReturns(prices: PriceInput): Float64Array {
  const p = readPrices(prices);
  const out = new Float64Array(p.length);
  if (p.length > 0) out[0] = Number.NaN;
  for (let t = 1; t < p.length; t++) out[t] = Math.log(p[t]! / p[t - 1]!);
  return out;
}

/** Options of {@link realizedVolatility}. */
export interface RealizedVolatilityOptions {
  /** Returns per window, >= 2. Default 20. */
  readonly window?: number;
  /**
   * false (default): the root mean square of the log returns, sqrt(sum r^2 / window) (the usual
   * realized volatility, zero mean assumed); true: their sample standard deviation (ddof 1).
   */
  readonly demean?: boolean;
}

/**
 * Realized volatility per bar over the last `window` log returns (per bar, not annualized:
 * multiply by sqrt(252) for daily bars). `out[t]` uses prices up to t only; NaN for the first
 * `window` bars (bar 0 has no return).
 *
 * @example
 * realizedVolatility(bars, { window: 20 }); // Float64Array, NaN for bars 0..19
 */
export function realizedVolatility(prices: PriceInput, options: RealizedVolatilityOptions = {}): Float64Array {
  const window = requireInteger('window', options.window ?? 20, 2);
  const demean = options.demean ?? false;
  if (typeof demean !== 'boolean') {
    throw new AlgoTradingError('INVALID_ARGUMENT', `demean must be a boolean, got ${describeValue(demean)}`, { details: { field: 'demean', value: demean } });
  }
  const r = logReturns(prices);
  const n = r.length;
  const out = new Float64Array(n).fill(Number.NaN);
  let s1 = 0;
  let s2 = 0;
  for (let t = 1; t < n; t++) {
    const x = r[t]!;
    s1 += x;
    s2 += x * x;
    if (t > window) {
      const old = r[t - window]!;
      s1 -= old;
      s2 -= old * old;
    }
    if (t < window) continue;
    // Running sums drift; recompute them exactly once per window.
    if (t % window === 0) {
      s1 = 0;
      s2 = 0;
      for (let i = t - window + 1; i <= t; i++) {
        s1 += r[i]!;
        s2 += r[i]! * r[i]!;
      }
    }
    const variance = demean ? (s2 - (s1 * s1) / window) / (window - 1) : s2 / window;
    out[t] = Math.sqrt(Math.max(variance, 0));
  }
  return out;
}

/**
 * Simple moving average over `period` values from index `start` on (NaN before
 * `start + period - 1`); values from `start` on must be finite.
 */
export function movingAverage(values: Float64Array, period: number, start = 0): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(Number.NaN);
  let sum = 0;
  for (let t = start; t < n; t++) {
    sum += values[t]!;
    const count = t - start + 1;
    if (count > period) sum -= values[t - period]!;
    if (count < period) continue;
    if (count % period === 0) {
      sum = 0;
      for (let i = t - period + 1; i <= t; i++) sum += values[i]!;
    }
    out[t] = sum / period;
  }
  return out;
}
