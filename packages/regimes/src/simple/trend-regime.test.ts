import { BarSeries } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { expectCode } from '../../test/expect-code';
import { trendRegime } from './trend-regime';

describe('trendRegime', () => {
  const prices = [10, 11, 12, 13, 12, 10, 9, 9.5];

  it('labels a hand-computed example: up above a rising average, down below a falling one', () => {
    const result = trendRegime(prices, { period: 3, slopeWindow: 1 });
    expect(Array.from(result.labels)).toEqual([-1, -1, -1, 2, 1, 0, 0, 1]);
    expect(result.warmup).toBe(3);
    expect(result.names).toEqual(['down', 'sideways', 'up']);
    expect(result.average[4]).toBeCloseTo(37 / 3, 14);
    expect(result.slope[3]).toBeCloseTo(12 / 11 - 1, 14);
    expect(Number.isNaN(result.slope[2]!)).toBe(true);
    expect(Number.isNaN(result.average[1]!)).toBe(true);
  });

  it('a slope threshold turns weak trends into sideways', () => {
    const result = trendRegime(prices, { period: 3, slopeWindow: 1, slopeThreshold: 0.06 });
    // bar 5: slope 35/37 - 1 = -0.054 is weaker than -0.06.
    expect(Array.from(result.labels)).toEqual([-1, -1, -1, 2, 1, 1, 0, 1]);
  });

  it('measures the slope over slopeWindow bars, per bar, and reads BarSeries closes', () => {
    const bars = BarSeries.fromPrices(prices.map((_, i) => i), prices);
    const result = trendRegime(bars, { period: 2, slopeWindow: 3 });
    expect(result.warmup).toBe(4);
    expect(result.slope[4]).toBeCloseTo((12.5 / 10.5 - 1) / 3, 14); // averages at bars 4 and 1
    expect(result.labels[4]).toBe(1); // close 12 < average 12.5, slope > 0
  });

  it('is causal and rejects bad options', () => {
    const full = trendRegime(prices, { period: 3, slopeWindow: 2 });
    const cut = trendRegime(prices.slice(0, 6), { period: 3, slopeWindow: 2 });
    expect(Array.from(cut.labels)).toEqual(Array.from(full.labels.subarray(0, 6)));
    expectCode(() => trendRegime(prices, { period: 1 }), 'INVALID_CONFIG', /period/);
    expectCode(() => trendRegime(prices, { slopeThreshold: -1 }), 'INVALID_CONFIG', /slopeThreshold/);
    expect(Array.from(trendRegime([1, 2], { period: 5 }).labels)).toEqual([-1, -1]);
  });
});
