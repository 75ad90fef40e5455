import { AlgoTradingError, requireInteger } from '@algo-trading/core';
import { sma } from '../indicators/sma';

/** Periods of {@link smaCrossSignals}. */
export interface SmaCrossOptions {
  /** Fast moving-average period, an integer >= 1. */
  readonly fast: number;
  /** Slow moving-average period, an integer > fast. */
  readonly slow: number;
}

/**
 * SMA crossover signals, a rule-based strategy: `1` at the bar where SMA(fast) of the closes
 * crosses above SMA(slow), `-1` where it crosses below, `0` elsewhere (the warm-up included). The
 * value at bar t uses closes up to t only. Crosses are events, not states: after a stop-out the
 * strategy waits for the next cross up. A cross counts from equality (a difference of exactly 0
 * followed by a positive one is a cross up).
 *
 * @example
 * const signals = smaCrossSignals(bars.close, { fast: 20, slow: 50 });
 * await engine.runBacktest({ data: bars, signals });
 * @throws AlgoTradingError `INVALID_ARGUMENT` unless fast and slow are integers with 1 <= fast < slow.
 */
export function smaCrossSignals(close: ArrayLike<number>, options: SmaCrossOptions): Int8Array {
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
    const previous = fastMa[t - 1]! - slowMa[t - 1]!;
    const diff = fastMa[t]! - slowMa[t]!;
    // NaN differences (warm-up) compare false, so no signal there.
    if (diff > 0 && previous <= 0) signals[t] = 1;
    else if (diff < 0 && previous >= 0) signals[t] = -1;
  }
  return signals;
}
