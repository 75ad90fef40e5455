import { isAlgoTradingError } from '@algo-trading/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BarSeries } from '@algo-trading/core';
import { sma } from '../indicators/sma';
import { isParameterizedStrategy, type IndicatorCache } from './parameterized-strategy';
import { crossoverSignals, smaCross, smaCrossSignals } from './sma-cross';

describe('smaCrossSignals', () => {
  it('signals the bar of each cross, by hand', () => {
    // SMA(1) is the close; SMA(2) the mean of the last two.
    // closes 10 10 12 13 11 9 9 12 ; sma2: NaN 10 11 12.5 12 10 9 10.5
    // diff:  NaN 0 1 0.5 -1 -1 0 1.5 -> up at 2, down at 4, up at 7 (from 0 at 6)
    expect([...smaCrossSignals([10, 10, 12, 13, 11, 9, 9, 12], { fast: 1, slow: 2 })]).toEqual([0, 0, 1, 0, -1, 0, 0, 1]);
  });

  it('SMA(2) over SMA(3), by hand, from a Float64Array', () => {
    // closes  1  2  3  2  1  2  3
    // sma2  NaN 1.5 2.5 2.5 1.5 1.5 2.5
    // sma3  NaN NaN  2  2.333 2 1.667 2
    // diff  NaN NaN 0.5 0.167 -0.5 -0.167 0.5 -> down at 4, up at 6 (the first defined diff is not a cross)
    expect([...smaCrossSignals(Float64Array.of(1, 2, 3, 2, 1, 2, 3), { fast: 2, slow: 3 })]).toEqual([0, 0, 0, 0, -1, 0, 1]);
  });

  it('is silent during the warm-up and uses closes up to t only', () => {
    const closes = Array.from({ length: 60 }, (_, i) => 100 + 10 * Math.sin(i / 5));
    const full = smaCrossSignals(closes, { fast: 3, slow: 10 });
    expect([...full.subarray(0, 10)].every((s) => s === 0)).toBe(true);
    expect(full.some((s) => s !== 0)).toBe(true);
    const prefix = smaCrossSignals(closes.slice(0, 40), { fast: 3, slow: 10 });
    expect([...prefix]).toEqual([...full.subarray(0, 40)]);
  });

  it('property: matches a naive recomputation, and appending bars never changes earlier signals', () => {
    /** The mean of the `period` closes ending at t, summed afresh (no running sum). */
    const naiveSma = (closes: readonly number[], period: number, t: number) =>
      t + 1 < period ? Number.NaN : closes.slice(t + 1 - period, t + 1).reduce((a, b) => a + b, 0) / period;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 2, maxLength: 120 }), // small integers: ties and plateaus happen
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 6 }),
        (closes, fast, gap) => {
          const slow = fast + gap;
          const signals = smaCrossSignals(closes, { fast, slow });
          for (let t = 1; t < closes.length; t++) {
            const previous = naiveSma(closes, fast, t - 1) - naiveSma(closes, slow, t - 1);
            const diff = naiveSma(closes, fast, t) - naiveSma(closes, slow, t);
            const expected = diff > 1e-9 && previous <= 1e-9 ? 1 : diff < -1e-9 && previous >= -1e-9 ? -1 : 0;
            expect(signals[t], `t=${t}`).toBe(expected);
          }
          const head = Math.floor(closes.length / 2);
          expect([...smaCrossSignals(closes.slice(0, head), { fast, slow })]).toEqual([...signals.subarray(0, head)]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects periods that are not integers with 1 <= fast < slow', () => {
    expect(() => smaCrossSignals([1, 2, 3], { fast: 5, slow: 5 })).toThrow('fast must be less than slow, got fast 5 and slow 5');
    for (const options of [{ fast: 0, slow: 5 }, { fast: 1.5, slow: 5 }, { fast: 2, slow: Number.NaN }]) {
      let caught: unknown;
      try {
        smaCrossSignals([1, 2, 3], options);
      } catch (error) {
        caught = error;
      }
      expect(isAlgoTradingError(caught, 'INVALID_ARGUMENT'), JSON.stringify(options)).toBe(true);
    }
  });
});

describe('crossoverSignals', () => {
  it('marks crosses of any two series, by hand', () => {
    // a - b: -1 0 1 0 -1 -> up at 2 (from 0 at 1), down at 4 (from 0 at 3)
    expect([...crossoverSignals([1, 2, 3, 2, 1], [2, 2, 2, 2, 2])]).toEqual([0, 0, 1, 0, -1]);
  });

  it('counts a tie within rounding noise as equality, so a cross from it is a cross', () => {
    // 23/3 against 46/6 computed along another path: equal but for the last bit.
    const tie = 23 / 3;
    const noisy = tie * (1 + 2 ** -52);
    expect(noisy).not.toBe(tie);
    expect([...crossoverSignals([7, noisy, 8], [7.5, tie, 7.5])]).toEqual([0, 0, 1]);
    expect([...crossoverSignals([8, tie, 7], [7.5, noisy, 7.5])]).toEqual([0, 0, -1]);
    // The counterexample that found it: SMA(3) and SMA(6) of these closes tie at bar 5 (23/3),
    // then SMA(3) is above at bar 6: a cross up there.
    expect(smaCrossSignals([5, 16, 2, 6, 11, 6, 8, 1], { fast: 3, slow: 6 })[6]).toBe(1);
  });

  it('never signals next to a NaN', () => {
    expect([...crossoverSignals([Number.NaN, 3, 1, Number.NaN, 3], [2, 2, 2, 2, 2])]).toEqual([0, 0, -1, 0, 0]);
  });

  it('rejects series of different lengths', () => {
    expect(() => crossoverSignals([1, 2, 3], [1, 2])).toThrow('b has 2 values but a has 3');
  });
});

/** A counting cache: the sweep's contract, with the number of computations done. */
function countingCache(): IndicatorCache & { computed: string[] } {
  const values = new Map<string, unknown>();
  const computed: string[] = [];
  return {
    computed,
    memo<T>(key: string, compute: () => T): T {
      if (!values.has(key)) {
        computed.push(key);
        values.set(key, compute());
      }
      return values.get(key) as T;
    },
  };
}

describe('smaCross (parameterized strategy)', () => {
  const closes = Array.from({ length: 80 }, (_, i) => 100 + 8 * Math.sin(i / 4) + i / 10);
  const bars = BarSeries.fromPrices(
    closes.map((_, i) => Date.UTC(2020, 0, 1 + i)),
    closes,
  );

  it('is a parameterized strategy with parameters fast and slow', () => {
    expect(isParameterizedStrategy(smaCross)).toBe(true);
    expect(Object.keys(smaCross.parameters.shape)).toEqual(['fast', 'slow']);
  });

  it('gives the signals of smaCrossSignals', async () => {
    const out = await smaCross.generate({ bars, params: { fast: 3, slow: 12 }, indicators: countingCache() });
    expect(Array.from(out.signals)).toEqual([...smaCrossSignals(closes, { fast: 3, slow: 12 })]);
  });

  it('computes each SMA period once through the cache, whatever the pairs', async () => {
    const cache = countingCache();
    for (const [fast, slow] of [
      [2, 10],
      [2, 20],
      [5, 10],
      [5, 20],
    ] as const) {
      await smaCross.generate({ bars, params: { fast, slow }, indicators: cache });
    }
    expect(cache.computed).toEqual(['sma:close:2', 'sma:close:10', 'sma:close:20', 'sma:close:5']);
    // The cached series is the SMA itself.
    expect([...cache.memo('sma:close:5', () => new Float64Array(0))]).toEqual([...sma(closes, 5)]);
  });

  it('validates parameters: integers with fast < slow, no unknown keys', () => {
    expect(smaCross.parameters.safeParse({ fast: 5, slow: 20 }).success).toBe(true);
    const inverted = smaCross.parameters.safeParse({ fast: 20, slow: 5 });
    expect(inverted.success).toBe(false);
    if (!inverted.success) expect(inverted.error.issues[0]?.message).toBe('fast must be less than slow');
    expect(smaCross.parameters.safeParse({ fast: 1.5, slow: 5 }).success).toBe(false);
    expect(smaCross.parameters.safeParse({ fast: 2, slow: 5, period: 3 }).success).toBe(false);
  });
});

describe('isParameterizedStrategy', () => {
  it('rejects objects missing a part of the contract', () => {
    const parameters = { shape: {}, safeParse: () => ({ success: true, data: {} }) };
    expect(isParameterizedStrategy({ name: 'x', parameters, generate: () => ({ signals: [] }) })).toBe(true);
    expect(isParameterizedStrategy({ name: 'x', parameters })).toBe(false);
    expect(isParameterizedStrategy({ name: 'x', parameters: { shape: {} }, generate: () => ({ signals: [] }) })).toBe(false);
    expect(isParameterizedStrategy({ parameters, generate: () => ({ signals: [] }) })).toBe(false);
    expect(isParameterizedStrategy(smaCrossSignals)).toBe(false);
    expect(isParameterizedStrategy(null)).toBe(false);
  });
});
