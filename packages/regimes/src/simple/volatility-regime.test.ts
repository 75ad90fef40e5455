import { createSeededRandom } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { expectCode } from '../../test/expect-code';
import { volatilityRegime } from './volatility-regime';

/** numpy's linear-interpolation quantile of a small array, by sorting. */
function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (h - lo);
}

describe('volatilityRegime', () => {
  it('labels a hand-computed example (window 2, lookback 3, median)', () => {
    const prices = [100, 100, 101, 101, 105, 105, 105, 100];
    const result = volatilityRegime(prices, { window: 2, lookback: 3, quantiles: [0.5] });
    expect(Array.from(result.labels)).toEqual([-1, -1, -1, -1, 1, 0, 0, 1]);
    expect(result.warmup).toBe(4);
    expect(result.names).toEqual(['low', 'high']);
    expect(result.volatility[2]).toBeCloseTo(Math.log(1.01) / Math.SQRT2, 15);
    expect(result.thresholds[0]![5]).toBeCloseTo(Math.log(105 / 101) / Math.SQRT2, 15);
  });

  it('equals thresholds recomputed from sorted trailing windows (default 3 regimes)', () => {
    const rng = createSeededRandom(3);
    const prices = [100];
    for (let t = 1; t < 700; t++) prices.push(prices[t - 1]! * Math.exp((t % 200 < 100 ? 0.005 : 0.02) * rng.normal()));
    const result = volatilityRegime(prices, { window: 10, lookback: 60 });
    expect(result.names).toEqual(['low', 'normal', 'high']);
    expect(result.warmup).toBe(69);
    const vol = Array.from(result.volatility);
    for (let t = 0; t < prices.length; t++) {
      if (t < 69) {
        expect(result.labels[t]).toBe(-1);
        expect(Number.isNaN(result.thresholds[0]![t]!)).toBe(true);
        continue;
      }
      const window = vol.slice(t - 59, t + 1);
      const lo = quantile(window, 1 / 3);
      const hi = quantile(window, 2 / 3);
      expect(result.thresholds[0]![t]).toBeCloseTo(lo, 15);
      expect(result.thresholds[1]![t]).toBeCloseTo(hi, 15);
      expect(result.labels[t]).toBe(vol[t]! > hi ? 2 : vol[t]! > lo ? 1 : 0);
    }
    // Every regime occurs on a series that alternates calm and turbulent spells.
    expect(new Set(result.labels).size).toBe(4);
  });

  it('is causal: labels up to t do not change when later prices are removed', () => {
    const rng = createSeededRandom(5);
    const prices = [50];
    for (let t = 1; t < 400; t++) prices.push(prices[t - 1]! * Math.exp(0.01 * rng.normal()));
    const full = volatilityRegime(prices, { window: 5, lookback: 50 });
    const cut = volatilityRegime(prices.slice(0, 250), { window: 5, lookback: 50 });
    expect(Array.from(cut.labels)).toEqual(Array.from(full.labels.subarray(0, 250)));
    expect(Array.from(cut.volatility)).toEqual(Array.from(full.volatility.subarray(0, 250)));
  });

  it('marks every bar as warm-up when the series is too short, and rejects bad options', () => {
    const short = volatilityRegime([1, 2, 3], { window: 2, lookback: 5 });
    expect(Array.from(short.labels)).toEqual([-1, -1, -1]);
    expect(short.warmup).toBe(3);
    expectCode(() => volatilityRegime([1, 2], { quantiles: [0.6, 0.4] }), 'INVALID_CONFIG', /increasing/);
    expectCode(() => volatilityRegime([1, 2], { quantiles: [1] }), 'INVALID_CONFIG', /quantile/);
    expectCode(() => volatilityRegime([1, 2], { lookback: 1 }), 'INVALID_CONFIG', /lookback/);
    expectCode(() => volatilityRegime([1, 2], { windw: 3 } as never), 'INVALID_CONFIG', /windw/);
    expectCode(() => volatilityRegime([1, -2]), 'INVALID_DATA', /prices\[1\]/);
  });
});
