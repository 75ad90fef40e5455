import { catchAlgoTradingError } from '@algo-trading/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atr, trueRange } from './atr';
import { bollingerBands, bollingerPercentB } from './bollinger';
import { ema, wilderAverage } from './ema';
import { macd } from './macd';
import { rollingStd, zScore } from './rolling-std';
import { rsi } from './rsi';
import { sma } from './sma';

const N = Number.NaN;

function expectSeries(actual: Float64Array, expected: readonly number[], digits = 12): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    if (Number.isNaN(e)) expect(actual[i], `index ${i}`).toBeNaN();
    else expect(actual[i], `index ${i}`).toBeCloseTo(e, digits);
  });
}

describe('sma', () => {
  it('averages the last period values, NaN during warm-up', () => {
    expectSeries(sma([1, 2, 3, 4, 5], 3), [N, N, 2, 3, 4]);
    expectSeries(sma(new Float64Array([10, 20]), 1), [10, 20]);
  });
  it('a NaN input makes the output NaN until period finite values follow', () => {
    expectSeries(sma([1, 2, N, 4, 5, 6], 2), [N, 1.5, N, N, 4.5, 5.5]);
    expectSeries(sma([N, N, 3, 5], 2), [N, N, N, 4]);
  });
  it('returns exactly the value over a constant window after a level change', () => {
    const out = sma([1.1, 7.3, 7.3, 7.3], 3);
    expect(out[3]).toBe(7.3);
  });
  it('stays exact over a long run (no drift)', () => {
    const n = 200_000;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = 1000 + Math.sin(i) * 10 + (i % 7) * 0.1;
    const out = sma(values, 20);
    let naive = 0;
    for (let j = n - 20; j < n; j++) naive += values[j]!;
    expect(out[n - 1]).toBeCloseTo(naive / 20, 10);
  });
  it('rejects a bad period or series', () => {
    expect(catchAlgoTradingError(() => sma([1, 2], 0), 'INVALID_ARGUMENT').message).toContain('period');
    expect(catchAlgoTradingError(() => sma([1, 2], 1.5), 'INVALID_ARGUMENT').message).toContain('period');
    expect(catchAlgoTradingError(() => sma('12' as unknown as number[], 2), 'INVALID_ARGUMENT').message).toContain('values');
  });
});

describe('ema and wilderAverage', () => {
  it('seeds with the simple average then smooths with 2 / (period + 1)', () => {
    expectSeries(ema([1, 2, 3, 4, 5], 3), [N, N, 2, 3, 4]);
    // alpha 2/3: seed (2+4)/2 = 3; 3 + 2/3*3 = 5; 5 + 2/3*3 = 7; 7 + 2/3*5 = 10.333...
    expectSeries(ema([2, 4, 6, 8, 12], 2), [N, 3, 5, 7, 31 / 3]);
  });
  it('skips leading NaNs and restarts after a NaN', () => {
    expectSeries(ema([N, 1, 2, 3, N, 4, 6, 8], 2), [N, N, 1.5, 1.5 + (2 / 3) * 1.5, N, N, 5, 5 + (2 / 3) * 3]);
  });
  it('wilderAverage smooths with 1 / period', () => {
    expectSeries(wilderAverage([1, 2, 3, 4], 2), [N, 1.5, 2.25, 3.125]);
  });
});

describe('rsi', () => {
  it('follows Wilder on a hand-computed series', () => {
    // changes +1, -1, +1, +1; avg gain/loss 0.5/0.5 -> 50, then 0.75/0.25 -> 75, 0.875/0.125 -> 87.5
    expectSeries(rsi([1, 2, 1, 2, 3], 2), [N, N, 50, 75, 87.5]);
  });
  it('is 100 with no loss, 0 with no gain, 50 when flat', () => {
    expectSeries(rsi([1, 2, 3, 4], 2), [N, N, 100, 100]);
    expectSeries(rsi([4, 3, 2, 1], 2), [N, N, 0, 0]);
    expectSeries(rsi([5, 5, 5, 5], 2), [N, N, 50, 50]);
  });
  it('defaults to period 14 and matches a straightforward reference', () => {
    const closes = Array.from({ length: 60 }, (_, i) => 100 + 10 * Math.sin(i / 3) + i * 0.2);
    const out = rsi(closes);
    let g = 0;
    let l = 0;
    for (let i = 1; i <= 14; i++) {
      const d = closes[i]! - closes[i - 1]!;
      g += Math.max(d, 0);
      l += Math.max(-d, 0);
    }
    g /= 14;
    l /= 14;
    for (let i = 0; i < 14; i++) expect(out[i]).toBeNaN();
    expect(out[14]).toBeCloseTo(100 - 100 / (1 + g / l), 10);
    for (let i = 15; i < 60; i++) {
      const d = closes[i]! - closes[i - 1]!;
      g = (g * 13 + Math.max(d, 0)) / 14;
      l = (l * 13 + Math.max(-d, 0)) / 14;
      expect(out[i]).toBeCloseTo(100 - 100 / (1 + g / l), 10);
    }
  });
});

describe('trueRange and atr', () => {
  const bars = { high: [10, 11, 12, 11], low: [9, 10, 10, 9], close: [9.5, 10.5, 11, 10] };
  it('true range uses the previous close', () => {
    expectSeries(trueRange(bars), [1, 1.5, 2, 2]);
  });
  it('ATR seeds with the mean of the first period true ranges (from bar 1), then Wilder', () => {
    expectSeries(atr(bars, 2), [N, N, 1.75, 1.875]);
  });
  it('rejects columns of different lengths', () => {
    expect(catchAlgoTradingError(() => atr({ high: [1, 2], low: [1], close: [1, 2] }, 2), 'INVALID_ARGUMENT').message).toContain('low');
  });
});

describe('macd', () => {
  it('matches a hand-computed fast 2 / slow 3 / signal 2 example', () => {
    const out = macd([1, 3, 2, 6, 4, 8], { fast: 2, slow: 3, signal: 2 });
    expectSeries(out.macd, [N, N, 0, 2 / 3, 2 / 9, 20 / 27]);
    expectSeries(out.signal, [N, N, N, 1 / 3, 7 / 27, 47 / 81]);
    expectSeries(out.histogram, [N, N, N, 1 / 3, -1 / 27, 13 / 81]);
  });
  it('rejects fast >= slow', () => {
    expect(catchAlgoTradingError(() => macd([1, 2, 3], { fast: 26, slow: 12 }), 'INVALID_ARGUMENT').message).toContain('fast');
  });
});

describe('bollinger', () => {
  it('bands use the population standard deviation', () => {
    const sigma = Math.sqrt(2 / 3);
    const out = bollingerBands([1, 2, 3], { period: 3, stdDev: 1 });
    expectSeries(out.middle, [N, N, 2]);
    expectSeries(out.upper, [N, N, 2 + sigma]);
    expectSeries(out.lower, [N, N, 2 - sigma]);
    expectSeries(out.percentB, [N, N, (3 - (2 - sigma)) / (2 * sigma)]);
    expectSeries(bollingerPercentB([1, 2, 3], { period: 3, stdDev: 1 }), [N, N, (3 - (2 - sigma)) / (2 * sigma)]);
  });
  it('%B is 0.5 when the bands collapse, 1 at the upper band, 0 at the lower', () => {
    expectSeries(bollingerPercentB([4, 4, 4, 4], { period: 3 }), [N, N, 0.5, 0.5]);
    // window [0, 0, 3]: mean 1, sigma sqrt(2); x = 3 = mean + sqrt(2) sigma -> with k = sqrt(2), %B = 1
    expect(bollingerPercentB([0, 0, 3], { period: 3, stdDev: Math.SQRT2 })[2]).toBeCloseTo(1, 12);
    expect(bollingerPercentB([3, 3, 0], { period: 3, stdDev: Math.SQRT2 })[2]).toBeCloseTo(0, 12);
  });
  it('rejects a non-positive width', () => {
    expect(catchAlgoTradingError(() => bollingerPercentB([1, 2, 3], { stdDev: 0 }), 'INVALID_ARGUMENT').message).toContain('stdDev');
  });
});

describe('rollingStd and zScore', () => {
  it('sample standard deviation by default, population with ddof 0', () => {
    expectSeries(rollingStd([1, 2, 3, 5], 3), [N, N, 1, Math.sqrt(7 / 3)]);
    expectSeries(rollingStd([1, 2, 3], 3, { ddof: 0 }), [N, N, Math.sqrt(2 / 3)]);
  });
  it('is exactly 0 over identical values', () => {
    const out = rollingStd([1.7, 3.3, 3.3, 3.3], 3);
    expect(out[3]).toBe(0);
  });
  it('z-score of the last value in its window; 0 when constant', () => {
    expectSeries(zScore([1, 2, 3, 6], 3), [N, N, 1, 7 / 3 / Math.sqrt(13 / 3)]);
    expectSeries(zScore([5, 5, 5, 5], 3), [N, N, 0, 0]);
  });
  it('rejects period <= ddof and a bad ddof', () => {
    expect(catchAlgoTradingError(() => rollingStd([1, 2, 3], 1), 'INVALID_ARGUMENT').message).toContain('period');
    expect(catchAlgoTradingError(() => zScore([1, 2, 3], 3, { ddof: 2 as 1 }), 'INVALID_ARGUMENT').message).toContain('ddof');
  });
});

// ---------------------------------------------------------------------------------------------
// One contract every indicator satisfies (the pattern of trading-signals' testIndicatorContract).

interface Case {
  readonly name: string;
  /** Index of the first value (warm-up length) for finite input. */
  readonly warmUp: number;
  readonly run: (values: Float64Array) => Float64Array;
}

const CASES: readonly Case[] = [
  { name: 'sma(5)', warmUp: 4, run: (v) => sma(v, 5) },
  { name: 'ema(5)', warmUp: 4, run: (v) => ema(v, 5) },
  { name: 'wilderAverage(4)', warmUp: 3, run: (v) => wilderAverage(v, 4) },
  { name: 'rsi(6)', warmUp: 6, run: (v) => rsi(v, 6) },
  { name: 'macd(3,6,4).macd', warmUp: 5, run: (v) => macd(v, { fast: 3, slow: 6, signal: 4 }).macd },
  { name: 'macd(3,6,4).signal', warmUp: 8, run: (v) => macd(v, { fast: 3, slow: 6, signal: 4 }).signal },
  { name: 'macd(3,6,4).histogram', warmUp: 8, run: (v) => macd(v, { fast: 3, slow: 6, signal: 4 }).histogram },
  { name: 'bollingerPercentB(5)', warmUp: 4, run: (v) => bollingerPercentB(v, { period: 5 }) },
  { name: 'rollingStd(5)', warmUp: 4, run: (v) => rollingStd(v, 5) },
  { name: 'zScore(5)', warmUp: 4, run: (v) => zScore(v, 5) },
  { name: 'atr(4)', warmUp: 4, run: (v) => atr({ high: v.map((x) => x * 1.01), low: v.map((x) => x * 0.99), close: v }, 4) },
  {
    name: 'trueRange',
    warmUp: 0,
    run: (v) => trueRange({ high: v.map((x) => x * 1.01), low: v.map((x) => x * 0.99), close: v }),
  },
];

const prices = fc
  .array(fc.double({ min: 1, max: 1000, noNaN: true, noDefaultInfinity: true }), { minLength: 12, maxLength: 80 })
  .map((a) => Float64Array.from(a));

describe.each(CASES)('indicator contract: $name', ({ warmUp, run }) => {
  it('NaN exactly during the warm-up, finite after, same length', () => {
    fc.assert(
      fc.property(prices, (values) => {
        const out = run(values);
        expect(out.length).toBe(values.length);
        for (let i = 0; i < out.length; i++) {
          if (i < warmUp) expect(out[i]).toBeNaN();
          else expect(Number.isFinite(out[i]!)).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('no look-ahead: the first k outputs do not change when later values are removed', () => {
    fc.assert(
      fc.property(prices, fc.nat(), (values, cut) => {
        const k = cut % (values.length + 1);
        const full = run(values);
        const prefix = run(values.slice(0, k));
        for (let i = 0; i < k; i++) expect(Object.is(prefix[i], full[i])).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('empty input gives an empty output', () => {
    expect(run(new Float64Array(0)).length).toBe(0);
  });
});

describe('rolling windows agree with a naive reference on random data', () => {
  it('sma, rollingStd, zScore (errors bounded by the scale of the last two windows)', () => {
    fc.assert(
      fc.property(prices, fc.integer({ min: 2, max: 10 }), (values, period) => {
        const m = sma(values, period);
        const s = rollingStd(values, period);
        const z = zScore(values, period);
        for (let i = period - 1; i < values.length; i++) {
          let sum = 0;
          for (let j = i - period + 1; j <= i; j++) sum += values[j]!;
          const mean = sum / period;
          let ss = 0;
          for (let j = i - period + 1; j <= i; j++) ss += (values[j]! - mean) ** 2;
          const variance = ss / (period - 1);
          let scale = 0;
          for (let j = Math.max(0, i - 2 * period + 1); j <= i; j++) scale = Math.max(scale, (values[j]! - mean) ** 2);
          expect(Math.abs(m[i]! - mean)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(mean)));
          expect(Math.abs(s[i]! ** 2 - variance)).toBeLessThanOrEqual(1e-12 * Math.max(1, scale));
          if (variance > 1e-6 * Math.max(1, scale)) {
            expect(Math.abs(z[i]! - (values[i]! - mean) / Math.sqrt(variance))).toBeLessThan(1e-6);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
