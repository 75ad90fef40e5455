import { describe, expect, it } from 'vitest';
import { bestRow, compareRows, evaluateThresholds, sharpeVariance, thresholdGrid, type ThresholdRow } from './threshold-grid';

describe('thresholdGrid', () => {
  it('is inclusive and free of floating-point drift', () => {
    expect(thresholdGrid(0.5, 0.9, 0.05)).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]);
    expect(thresholdGrid(0.6, 0.6, 0.1)).toEqual([0.6]);
    expect(thresholdGrid(0.5, 0.75, 0.1)).toEqual([0.5, 0.6, 0.7]);
  });
  it('rejects a reversed or out-of-range range and a bad step', () => {
    expect(() => thresholdGrid(0.8, 0.6, 0.05)).toThrow(/low <= high/);
    expect(() => thresholdGrid(0.4, 0.6, 0.05)).toThrow(/thresholdRange\[0\]/);
    expect(() => thresholdGrid(0.5, 0.6, 0)).toThrow(/step/);
    expect(() => thresholdGrid(0.5, 1, 1e-6)).toThrow(/at most 10000/);
  });
});

describe('row ordering and selection', () => {
  const row = (threshold: number, metricValue: number, tooFewTrades = false, sharpe = metricValue): ThresholdRow => ({
    threshold,
    metricValue,
    trades: 0,
    tradeFrequency: 0,
    buySignals: 0,
    sellSignals: 0,
    sharpe,
    totalReturn: 0,
    calmar: 0,
    maxDrawdown: 0,
    tooFewTrades,
  });
  it('sorts best first, NaN last, ties by lower threshold', () => {
    const rows = [row(0.6, 1), row(0.5, Number.NaN), row(0.7, 2), row(0.55, 1)].sort(compareRows);
    expect(rows.map((r) => r.threshold)).toEqual([0.7, 0.55, 0.6, 0.5]);
  });
  it('best skips rows with too few trades or a NaN metric', () => {
    expect(bestRow([row(0.7, 3, true), row(0.6, 2)])?.threshold).toBe(0.6);
    expect(bestRow([row(0.7, Number.NaN), row(0.6, 1, true)])).toBeUndefined();
  });
  it('sharpeVariance is the sample variance of finite Sharpe ratios', () => {
    expect(sharpeVariance([row(0.5, 0, false, 1), row(0.6, 0, false, 3), row(0.7, 0, false, Number.NaN)])).toBe(2);
    expect(sharpeVariance([row(0.5, 0, false, 1)])).toBe(0);
  });
});

describe('evaluateThresholds on a window', () => {
  it('starts flat at the window start and only reads the window', () => {
    const probabilities = [0.9, 0.9, 0.9, 0.9];
    const returns = [Number.NaN, 0.5, 0.1, 0.2];
    const { rows, returnsByThreshold } = evaluateThresholds({
      probabilities,
      returns,
      start: 1,
      end: 4,
      thresholds: [0.6],
      costs: 0,
      allowShort: false,
      metric: 'total_return',
      minTrades: 1,
      periodsPerYear: 252,
    });
    // window bars 1..3: long from bar 1's close: earns 0.1 and 0.2, not the 0.5 before the window
    expect(Array.from(returnsByThreshold.get(0.6)!)).toEqual([0, 0.1, 0.2]);
    expect(rows[0]!.totalReturn).toBeCloseTo(1.1 * 1.2 - 1, 14);
    expect(rows[0]!.trades).toBe(1);
    expect(rows[0]!.tradeFrequency).toBeCloseTo(1 / 3, 14);
  });
});
