import { AlgoTradingError } from '@algo-trading/core';
import { smoothInto } from './ema';
import { nanArray, requirePeriod, requireSeries } from './internal';

/** Options of {@link macd}. */
export interface MacdOptions {
  /** Fast EMA period, default 12. */
  readonly fast?: number;
  /** Slow EMA period, default 26; must be greater than `fast`. */
  readonly slow?: number;
  /** Signal-line EMA period (over the MACD line), default 9. */
  readonly signal?: number;
}

/** Output of {@link macd}: three series aligned with the input. */
export interface MacdResult {
  /** EMA(fast) - EMA(slow); first value at index slow - 1. */
  readonly macd: Float64Array;
  /** EMA(signal) of the MACD line; first value at index slow + signal - 2. */
  readonly signal: Float64Array;
  /** macd - signal. */
  readonly histogram: Float64Array;
}

/**
 * Moving Average Convergence Divergence, O(n): the MACD line `EMA(fast) - EMA(slow)`, its signal
 * line `EMA(signal)` (seeded, like every EMA here, with a simple average) and the histogram.
 * Values at t use data up to t only; NaN during the warm-up.
 *
 * @example
 * const { macd: line, signal, histogram } = macd(closes, { fast: 12, slow: 26, signal: 9 });
 */
export function macd(values: ArrayLike<number>, options: MacdOptions = {}): MacdResult {
  requireSeries('values', values);
  const fast = requirePeriod('fast', options.fast ?? 12);
  const slow = requirePeriod('slow', options.slow ?? 26);
  const signalPeriod = requirePeriod('signal', options.signal ?? 9);
  if (fast >= slow) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `fast (${fast}) must be smaller than slow (${slow})`, {
      details: { field: 'fast', value: fast },
    });
  }
  const n = values.length;
  const line = smoothInto(values, fast, 2 / (fast + 1), nanArray(n));
  const slowEma = smoothInto(values, slow, 2 / (slow + 1), nanArray(n));
  for (let i = 0; i < n; i++) line[i] = line[i]! - slowEma[i]!;
  const signal = smoothInto(line, signalPeriod, 2 / (signalPeriod + 1), nanArray(n));
  const histogram = slowEma; // reuse the buffer
  for (let i = 0; i < n; i++) histogram[i] = line[i]! - signal[i]!;
  return { macd: line, signal, histogram };
}
