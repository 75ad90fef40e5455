import { parseOptions, zIntegerAtLeast, zNonNegative } from '@algo-trading/core';
import { z } from 'zod';
import { movingAverage, readPrices, type PriceInput } from '../series';
import { WARMUP_LABEL, type RegimeLabels } from '../labels';

/** zod schema of {@link TrendRegimeOptions}. */
export const trendRegimeSchema = z.strictObject({
  period: zIntegerAtLeast(2).default(50),
  slopeWindow: zIntegerAtLeast(1).default(10),
  slopeThreshold: zNonNegative().default(0),
});

/**
 * Options of {@link trendRegime}.
 *
 * - `period` (default 50): bars of the simple moving average of the close.
 * - `slopeWindow` (default 10): bars over which the average's slope is measured.
 * - `slopeThreshold` (default 0): minimum |slope| (relative change of the average per bar, e.g.
 *   0.0005 = 0.05% a bar) for a trend; below it the regime is `sideways`.
 */
export type TrendRegimeOptions = z.input<typeof trendRegimeSchema>;

/** Labels of {@link trendRegime}: 0 down, 1 sideways, 2 up. */
export const TREND_REGIME_NAMES = Object.freeze(['down', 'sideways', 'up'] as const);

/** Result of {@link trendRegime}. */
export interface TrendRegimeResult extends RegimeLabels {
  /** The moving average of the close, NaN for the first `period - 1` bars. */
  readonly average: Float64Array;
  /** `(average[t] / average[t - slopeWindow] - 1) / slopeWindow`, NaN in the warm-up. */
  readonly slope: Float64Array;
}

/**
 * Trend regime from the close against its simple moving average and the average's slope:
 * `up` (2) when the close is above the average and the slope above `slopeThreshold`, `down` (0)
 * when the close is below and the slope below `-slopeThreshold`, `sideways` (1) otherwise.
 *
 * Causal: bar t uses closes up to t only. The first `period - 1 + slopeWindow` bars are the
 * warm-up: label -1 and `warmup` = that count.
 *
 * @example
 * const { labels, names } = trendRegime(bars, { period: 50, slopeWindow: 10 });
 * names[labels[bars.length - 1]!]; // 'down' | 'sideways' | 'up'
 */
export function trendRegime(prices: PriceInput, options: TrendRegimeOptions = {}): TrendRegimeResult {
  const o = parseOptions(trendRegimeSchema, options, { what: 'trendRegime options' });
  const close = readPrices(prices);
  const n = close.length;
  const average = movingAverage(close, o.period);
  const slope = new Float64Array(n).fill(Number.NaN);
  const labels = new Int32Array(n).fill(WARMUP_LABEL);
  const warmup = Math.min(n, o.period - 1 + o.slopeWindow);
  for (let t = warmup; t < n; t++) {
    const s = (average[t]! / average[t - o.slopeWindow]! - 1) / o.slopeWindow;
    slope[t] = s;
    const c = close[t]!;
    const m = average[t]!;
    labels[t] = c > m && s > o.slopeThreshold ? 2 : c < m && s < -o.slopeThreshold ? 0 : 1;
  }
  return { labels, warmup, names: TREND_REGIME_NAMES, average, slope };
}
