import { BarSeries } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { expectCode } from '../test/expect-code';
import { logReturns, realizedVolatility } from './series';

describe('logReturns', () => {
  it('is NaN at bar 0 and ln(p[t] / p[t-1]) after', () => {
    const r = logReturns([100, 110, 99]);
    expect(Number.isNaN(r[0]!)).toBe(true);
    expect(r[1]).toBeCloseTo(Math.log(1.1), 15);
    expect(r[2]).toBeCloseTo(Math.log(0.9), 15);
  });

  it('reads the closes of a BarSeries and rejects non-positive prices', () => {
    const bars = BarSeries.fromPrices([1, 2, 3], [10, 20, 10]);
    expect(Array.from(logReturns(bars)).slice(1)).toEqual([Math.log(2), Math.log(0.5)]);
    expectCode(() => logReturns([1, 0, 2]), 'INVALID_DATA', /prices\[1\]/);
    expectCode(() => logReturns([1, Number.NaN]), 'INVALID_DATA', /prices\[1\]/);
    expectCode(() => logReturns('abc' as never), 'INVALID_DATA');
  });
});

describe('realizedVolatility', () => {
  const prices = Array.from({ length: 120 }, (_, i) => 100 * Math.exp(0.01 * Math.sin(i * 1.7) + 0.002 * i + (i % 5 === 0 ? 0.03 : 0)));
  const r = Array.from(logReturns(prices));

  it('equals the root mean square of the last `window` log returns, NaN before', () => {
    const rv = realizedVolatility(prices, { window: 10 });
    for (let t = 0; t < 10; t++) expect(Number.isNaN(rv[t]!)).toBe(true);
    for (let t = 10; t < prices.length; t++) {
      const w = r.slice(t - 9, t + 1);
      expect(rv[t]).toBeCloseTo(Math.sqrt(w.reduce((s, x) => s + x * x, 0) / 10), 14);
    }
  });

  it('with demean, equals the sample standard deviation', () => {
    const rv = realizedVolatility(prices, { window: 7, demean: true });
    for (let t = 7; t < prices.length; t++) {
      const w = r.slice(t - 6, t + 1);
      const m = w.reduce((s, x) => s + x, 0) / 7;
      expect(rv[t]).toBeCloseTo(Math.sqrt(w.reduce((s, x) => s + (x - m) ** 2, 0) / 6), 14);
    }
  });

  it('is exactly 0 for constant prices and rejects a window below 2', () => {
    expect(Array.from(realizedVolatility(new Array(30).fill(5), { window: 5 }).subarray(5))).toEqual(new Array(25).fill(0));
    expectCode(() => realizedVolatility(prices, { window: 1 }), 'INVALID_ARGUMENT', /window/);
  });
});
