import { catchAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { applyThreshold } from './signal-rule';
import { getSignalStatistics } from './signal-statistics';

const N = Number.NaN;

describe('applyThreshold: the signal rule table', () => {
  // [p, threshold, signal, confidence]
  const table: readonly (readonly [number, number, -1 | 0 | 1, number])[] = [
    [0.7, 0.55, 1, 0.7],
    [0.55, 0.55, 1, 0.55], // p exactly at the threshold -> BUY
    [0.5499, 0.55, 0, 0.5499], // just below -> HOLD
    [0.45, 0.55, -1, 1 - 0.45], // 1 - p exactly at the threshold (0.5499999999999999 in binary) -> SELL
    [0.4501, 0.55, 0, 0.5499], // 1 - p just below -> HOLD
    [0.3, 0.55, -1, 0.7],
    [0.5, 0.55, 0, 0.5],
    [0.5, 0.5, 1, 0.5], // threshold 0.5: p = 0.5 is BUY (BUY is tested first)
    [0.49, 0.5, -1, 0.51],
    [1, 1, 1, 1], // threshold 1: only certainty trades
    [0, 1, -1, 1],
    [0.99, 1, 0, 0.99],
    [0.35, 0.65, -1, 0.65], // 1 - 0.35 = 0.65 at the boundary
    [0.8, 0.8, 1, 0.8],
    [0.2, 0.8, -1, 0.8],
  ];
  it.each(table)('p = %d, threshold %d -> signal %d, confidence %d', (p, threshold, signal, confidence) => {
    const out = applyThreshold([p], threshold);
    expect(out.signals[0]).toBe(signal);
    expect(out.confidences[0]).toBeCloseTo(confidence, 12);
  });

  it('NaN probability -> HOLD with confidence NaN', () => {
    const out = applyThreshold([N, 0.9, N], 0.6);
    expect(Array.from(out.signals)).toEqual([0, 1, 0]);
    expect(out.confidences[0]).toBeNaN();
    expect(out.confidences[2]).toBeNaN();
  });

  it('rejects a probability outside [0, 1] naming the row, and a threshold outside [0.5, 1]', () => {
    for (const bad of [1.2, -0.1, Infinity]) {
      expect(catchAlgoTradingError(() => applyThreshold([0.5, bad], 0.6), 'INVALID_DATA').message).toContain('probabilities[1]');
    }
    for (const bad of [0.49, 1.01, N]) {
      expect(catchAlgoTradingError(() => applyThreshold([0.5], bad), 'INVALID_ARGUMENT').message).toContain('threshold');
    }
  });
});

describe('getSignalStatistics', () => {
  it('counts, ratios, trade frequency, direction changes and average confidence', () => {
    const s = getSignalStatistics([1, 0, -1, 1, 0, 0, 1, -1], [0.7, 0.5, 0.8, 0.6, N, 0.52, 0.9, N]);
    expect(s).toEqual({
      total: 8,
      buySignals: 3,
      sellSignals: 2,
      holdSignals: 3,
      buyRatio: 3 / 8,
      sellRatio: 2 / 8,
      holdRatio: 3 / 8,
      tradeFrequency: 5 / 8,
      directionChanges: 3, // 1 -> -1 -> 1 (-> 1) -> -1
      averageConfidence: (0.7 + 0.8 + 0.6 + 0.9) / 4,
    });
  });

  it('empty series: zeros and NaN confidence', () => {
    const s = getSignalStatistics(new Int8Array(0));
    expect(s.total).toBe(0);
    expect(s.tradeFrequency).toBe(0);
    expect(s.holdRatio).toBe(0);
    expect(s.averageConfidence).toBeNaN();
  });

  it('rejects a value other than -1 / 0 / 1 and misaligned confidences', () => {
    expect(() => getSignalStatistics([1, 2])).toThrow(/signals\[1\] must be -1, 0 or 1, got 2/);
    expect(() => getSignalStatistics([1, 0], [0.5])).toThrow(/confidences has 1 values/);
  });
});
