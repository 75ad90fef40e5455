import { AlgoTradingError, requireInteger } from '@algo-trading/core';
import { sma } from '@algo-trading/strategies';

/** Periods of {@link smaCrossoverSignals}. */
export interface SmaCrossoverOptions {
  /** Fast moving-average period, >= 1. */
  readonly fast: number;
  /** Slow moving-average period, > fast. */
  readonly slow: number;
}

/**
 * SMA crossover signals: `1` at the bar where the fast SMA crosses above the slow one, `-1` where
 * it crosses below, `0` elsewhere (including the warm-up). Each value at t uses closes up to t
 * only. Crosses are events, so after a stop-out the strategy waits for the next cross up.
 *
 * @example
 * smaCrossoverSignals(bars.close, { fast: 20, slow: 50 });
 * @throws AlgoTradingError `INVALID_ARGUMENT` unless 1 <= fast < slow.
 */
export function smaCrossoverSignals(close: ArrayLike<number>, options: SmaCrossoverOptions): Int8Array {
  const fast = requireInteger('fast', options.fast, 1);
  const slow = requireInteger('slow', options.slow, 2);
  if (fast >= slow) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `fast must be less than slow, got fast ${fast} and slow ${slow}`, {
      details: { field: 'fast', value: fast },
    });
  }
  const fastMa = sma(close, fast);
  const slowMa = sma(close, slow);
  const n = close.length;
  const signals = new Int8Array(n);
  for (let t = 1; t < n; t++) {
    const prevDiff = fastMa[t - 1]! - slowMa[t - 1]!;
    const diff = fastMa[t]! - slowMa[t]!;
    // NaN differences (warm-up) compare false, so no signal there.
    if (diff > 0 && prevDiff <= 0) signals[t] = 1;
    else if (diff < 0 && prevDiff >= 0) signals[t] = -1;
  }
  return signals;
}
