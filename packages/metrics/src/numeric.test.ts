import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downsideSquares, nanMean, nanStd, pairwiseSum } from './numeric';

describe('pairwiseSum (numpy order)', () => {
  it('matches np.sum bit for bit where naive summation does not', () => {
    // np.sum(np.full(1000, 0.1)) = 100.00000000000001; Python's sum() gives 99.9999999999986.
    expect(pairwiseSum(new Float64Array(1000).fill(0.1), 0, 1000)).toBe(100.00000000000001);
    // 17 values: eight accumulators, then the remainder added in order (np.sum = 15.3).
    const a = Float64Array.from({ length: 17 }, (_, i) => (i + 1) / 10);
    expect(pairwiseSum(a, 0, 17)).toBe(15.3);
    let naive = 0;
    for (const x of a) naive += x;
    expect(naive).toBe(15.299999999999999);
  });

  it('sums short runs and sub-ranges in order', () => {
    expect(pairwiseSum(Float64Array.of(1, 2, 3, 4), 1, 2)).toBe(5);
    expect(pairwiseSum(new Float64Array(0), 0, 0)).toBe(0);
  });
});

describe('nanMean / nanStd (np.nanmean / np.nanstd)', () => {
  it('skips NaN and shifts', () => {
    const values = Float64Array.of(1, Number.NaN, 3);
    expect(nanMean(values, 0)).toBe(2);
    expect(nanMean(values, 1)).toBe(1);
    expect(nanStd(values, 0, 1, 2)).toBe(Math.SQRT2);
    expect(nanStd(values, 0, 0, 2)).toBe(1);
  });

  it('mean of nine 0.01 is exactly 0.01, so the std is exactly 0', () => {
    const values = new Float64Array(9).fill(0.01);
    const mean = nanMean(values, 0);
    expect(mean).toBe(0.01);
    expect(nanStd(values, 0, 1, mean)).toBe(0);
  });

  it('NaN without enough observations', () => {
    expect(nanMean(Float64Array.of(Number.NaN), 0)).toBeNaN();
    expect(nanStd(Float64Array.of(1), 0, 1, 1)).toBeNaN();
  });

  it('downsideSquares: squares below the required return, NaN as 0', () => {
    expect(downsideSquares(Float64Array.of(-0.1, 0.2, Number.NaN, -0.3), 0)).toBeCloseTo(0.1, 15);
    expect(downsideSquares(Float64Array.of(0.1, 0.2), 0)).toBe(0);
    expect(downsideSquares(Float64Array.of(0.1, 0.2), 0.15)).toBeCloseTo(0.0025, 15);
  });
});

describe('mapped pairwise sums (no materialized copy)', () => {
  it('nanMean / nanStd / downsideSquares equal numpy-style materialize-then-pairwiseSum bit for bit', () => {
    const value = fc.oneof({ weight: 9, arbitrary: fc.double({ min: -1, max: 1, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(Number.NaN) });
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 1500 }), fc.constantFrom(0, 0.001, -0.02), (list, shift) => {
        const a = Float64Array.from(list);
        const shifted = a.map((v) => (shift === 0 ? v : v - shift));
        const count = shifted.filter((v) => v === v).length;
        const work = shifted.map((v) => (v === v ? v : 0));
        const mean = pairwiseSum(work, 0, work.length) / count;
        expect(Object.is(nanMean(a, shift), mean)).toBe(true);
        const squares = shifted.map((v) => (v === v ? (v - mean) * (v - mean) : 0));
        const std = count - 1 > 0 ? Math.sqrt(pairwiseSum(squares, 0, squares.length) / (count - 1)) : Number.NaN;
        expect(Object.is(nanStd(a, shift, 1, mean), std)).toBe(true);
        const down = a.map((v) => {
          const d = v - shift;
          return d === d ? (d > 0 ? 0 : d * d) : 0;
        });
        expect(Object.is(downsideSquares(a, shift), pairwiseSum(down, 0, down.length))).toBe(true);
      }),
    );
  });
});
