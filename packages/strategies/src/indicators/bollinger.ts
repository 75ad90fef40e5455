import { requirePositive } from '@algo-trading/core';
import { nanArray, requirePeriod, requireSeries } from './internal';
import { rollingMeanStd } from './rolling-std';

/** Options of {@link bollingerBands} and {@link bollingerPercentB}. */
export interface BollingerOptions {
  /** Window of the middle band (SMA) and the standard deviation, default 20. */
  readonly period?: number;
  /** Band width in population standard deviations, default 2. */
  readonly stdDev?: number;
}

/** Output of {@link bollingerBands}, aligned with the input. */
export interface BollingerBandsResult {
  /** SMA(period). */
  readonly middle: Float64Array;
  /** middle + stdDev x sigma (population standard deviation of the window). */
  readonly upper: Float64Array;
  /** middle - stdDev x sigma. */
  readonly lower: Float64Array;
  /** (x - lower) / (upper - lower); 0.5 when the bands collapse (constant window). */
  readonly percentB: Float64Array;
}

function parse(options: BollingerOptions): { period: number; k: number } {
  const period = requirePeriod('period', options.period ?? 20);
  const k = requirePositive('stdDev', options.stdDev ?? 2);
  return { period, k };
}

/**
 * Bollinger Bands (population standard deviation, as Bollinger defines them) and %B, O(n).
 * Values at t use the window ending at t; NaN during the warm-up and after a non-finite input.
 *
 * @example
 * const { upper, lower, percentB } = bollingerBands(closes, { period: 20, stdDev: 2 });
 */
export function bollingerBands(values: ArrayLike<number>, options: BollingerOptions = {}): BollingerBandsResult {
  requireSeries('values', values);
  const { period, k } = parse(options);
  const n = values.length;
  const middle = nanArray(n);
  const upper = nanArray(n);
  const lower = nanArray(n);
  const percentB = nanArray(n);
  rollingMeanStd(values, period, 0, (i, x, mean, std) => {
    middle[i] = mean;
    upper[i] = mean + k * std;
    lower[i] = mean - k * std;
    percentB[i] = std === 0 ? 0.5 : (x - mean) / (2 * k * std) + 0.5;
  });
  return { middle, upper, lower, percentB };
}

/**
 * Bollinger %B alone: `(x - lower) / (upper - lower)` = `(x - mean) / (2 k sigma) + 0.5`; 1 at the
 * upper band, 0 at the lower band, 0.5 when the window is constant. O(n), NaN during the warm-up.
 *
 * @example
 * bollingerPercentB([1, 2, 3], { period: 3, stdDev: 1 }); // [NaN, NaN, 1.1123...]
 */
export function bollingerPercentB(values: ArrayLike<number>, options: BollingerOptions = {}): Float64Array {
  requireSeries('values', values);
  const { period, k } = parse(options);
  const out = nanArray(values.length);
  rollingMeanStd(values, period, 0, (i, x, mean, std) => {
    out[i] = std === 0 ? 0.5 : (x - mean) / (2 * k * std) + 0.5;
  });
  return out;
}
