import { AlgoTradingError, describeValue } from '@algo-trading/core';

/** Counts and ratios of a signal series, from {@link getSignalStatistics}. */
export interface SignalStatistics {
  /** Number of signals. */
  readonly total: number;
  readonly buySignals: number;
  readonly sellSignals: number;
  readonly holdSignals: number;
  /** buySignals / total (0 when empty). */
  readonly buyRatio: number;
  /** sellSignals / total (0 when empty). */
  readonly sellRatio: number;
  /** holdSignals / total (0 when empty). */
  readonly holdRatio: number;
  /** Share of bars with an actionable signal: (buySignals + sellSignals) / total (0 when empty). */
  readonly tradeFrequency: number;
  /** Number of times the non-hold signal flips direction (BUY after SELL or SELL after BUY, holds skipped). */
  readonly directionChanges: number;
  /** Mean confidence of the BUY and SELL signals with a finite confidence; NaN when none (or no confidences given). */
  readonly averageConfidence: number;
}

/**
 * Statistics of a signal series (-1 / 0 / 1), optionally with the aligned confidences.
 * Throws `INVALID_DATA` for a value other than -1, 0, 1, or confidences of another length.
 *
 * @example
 * getSignalStatistics([1, 0, -1, 1]);
 * // { total: 4, buySignals: 2, sellSignals: 1, holdSignals: 1, tradeFrequency: 0.75, directionChanges: 2, ... }
 */
export function getSignalStatistics(signals: ArrayLike<number>, confidences?: ArrayLike<number>): SignalStatistics {
  if (typeof signals !== 'object' || signals === null || typeof signals.length !== 'number') {
    throw new AlgoTradingError('INVALID_DATA', `signals must be an array of -1 / 0 / 1, got ${describeValue(signals)}`, {
      details: { field: 'signals', value: signals },
    });
  }
  const n = signals.length;
  if (confidences !== undefined && confidences.length !== n) {
    throw new AlgoTradingError('INVALID_DATA', `confidences has ${confidences.length} values but signals has ${n}`, {
      details: { field: 'confidences', value: confidences.length },
    });
  }
  let buy = 0;
  let sell = 0;
  let hold = 0;
  let changes = 0;
  let last = 0;
  let confSum = 0;
  let confCount = 0;
  for (let i = 0; i < n; i++) {
    const s = signals[i];
    if (s === 1) buy++;
    else if (s === -1) sell++;
    else if (s === 0) hold++;
    else {
      throw new AlgoTradingError('INVALID_DATA', `signals[${i}] must be -1, 0 or 1, got ${describeValue(s)}`, {
        details: { field: 'signals', index: i, value: s },
      });
    }
    if (s !== 0) {
      if (last !== 0 && s !== last) changes++;
      last = s;
      const c = confidences?.[i];
      if (c !== undefined && Number.isFinite(c)) {
        confSum += c;
        confCount++;
      }
    }
  }
  const ratio = (k: number): number => (n === 0 ? 0 : k / n);
  return {
    total: n,
    buySignals: buy,
    sellSignals: sell,
    holdSignals: hold,
    buyRatio: ratio(buy),
    sellRatio: ratio(sell),
    holdRatio: ratio(hold),
    tradeFrequency: ratio(buy + sell),
    directionChanges: changes,
    averageConfidence: confCount === 0 ? Number.NaN : confSum / confCount,
  };
}
