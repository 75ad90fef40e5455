import { parseOptions, zIntegerAtLeast } from '@algo-trading/core';
import { quantileSorted } from '@algo-trading/metrics';
import { z } from 'zod';
import { readPrices, realizedVolatility, type PriceInput } from '../series';
import { WARMUP_LABEL, type RegimeLabels } from '../labels';

const quantileList = z
  .array(z.number().gt(0, { error: 'expected a quantile in (0, 1)' }).lt(1, { error: 'expected a quantile in (0, 1)' }))
  .min(1, { error: 'expected at least one quantile' })
  .refine((q) => q.every((v, i) => i === 0 || v > q[i - 1]!), { error: 'quantiles must be strictly increasing' });

/** zod schema of {@link VolatilityRegimeOptions}. */
export const volatilityRegimeSchema = z.strictObject({
  window: zIntegerAtLeast(2).default(20),
  lookback: zIntegerAtLeast(2).default(252),
  quantiles: quantileList.default([1 / 3, 2 / 3]),
  demean: z.boolean().default(false),
});

/**
 * Options of {@link volatilityRegime}.
 *
 * - `window` (default 20): log returns per realized-volatility value.
 * - `lookback` (default 252): realized-volatility values (the current one included) whose
 *   quantiles are the thresholds.
 * - `quantiles` (default [1/3, 2/3]): strictly increasing levels in (0, 1); n levels make n + 1
 *   regimes.
 * - `demean` (default false): realized volatility as root mean square (false) or sample standard
 *   deviation (true) of the returns.
 */
export type VolatilityRegimeOptions = z.input<typeof volatilityRegimeSchema>;

/** Result of {@link volatilityRegime}. */
export interface VolatilityRegimeResult extends RegimeLabels {
  /** Realized volatility per bar (per-bar units), NaN for the first `window` bars. */
  readonly volatility: Float64Array;
  /** `thresholds[i][t]`: the trailing `quantiles[i]` quantile of the volatility at bar t; NaN in the warm-up. */
  readonly thresholds: readonly Float64Array[];
}

function regimeNames(levels: number): readonly string[] {
  if (levels === 1) return ['low', 'high'];
  if (levels === 2) return ['low', 'normal', 'high'];
  return Array.from({ length: levels + 1 }, (_, i) => `level${i}`);
}

/**
 * Volatility regime: each bar's realized volatility against the quantiles of its own trailing
 * values. With the default quantiles [1/3, 2/3], label 0 (`low`) when the volatility is at most
 * the trailing 1/3 quantile, 2 (`high`) when above the 2/3 quantile, else 1 (`normal`).
 *
 * Causal: the thresholds at bar t are the quantiles (numpy's linear interpolation) of the
 * `lookback` volatility values ending at t, so bar t uses prices up to t only. The first
 * `window + lookback - 1` bars are the warm-up: label -1 and `warmup` = that count.
 *
 * @example
 * const { labels, warmup, names } = volatilityRegime(bars, { window: 20, lookback: 252 });
 * names[labels[warmup]!]; // 'low' | 'normal' | 'high'
 */
export function volatilityRegime(prices: PriceInput, options: VolatilityRegimeOptions = {}): VolatilityRegimeResult {
  const o = parseOptions(volatilityRegimeSchema, options, { what: 'volatilityRegime options' });
  const close = readPrices(prices);
  const n = close.length;
  const volatility = realizedVolatility(close, { window: o.window, demean: o.demean });
  const levels = o.quantiles.length;
  const thresholds = o.quantiles.map(() => new Float64Array(n).fill(Number.NaN));
  const labels = new Int32Array(n).fill(WARMUP_LABEL);
  const warmup = Math.min(n, o.window + o.lookback - 1);
  // The trailing window of volatilities kept sorted: insert and remove by binary search.
  const sorted = new Float64Array(o.lookback);
  let count = 0;
  const position = (v: number): number => {
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (let t = o.window; t < n; t++) {
    if (count === o.lookback) {
      const at = position(volatility[t - o.lookback]!);
      sorted.copyWithin(at, at + 1, count);
      count--;
    }
    const v = volatility[t]!;
    const at = position(v);
    sorted.copyWithin(at + 1, at, count);
    sorted[at] = v;
    count++;
    if (count < o.lookback) continue;
    let label = 0;
    for (let i = 0; i < levels; i++) {
      const q = quantileSorted(sorted, o.quantiles[i]!);
      thresholds[i]![t] = q;
      if (v > q) label = i + 1;
    }
    labels[t] = label;
  }
  return { labels, warmup, names: regimeNames(levels), volatility, thresholds };
}
