import { describe, expect, it } from 'vitest';
import { nanMean, nanStd, pairwiseSum, Scratch } from './numeric';

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
  const scratch = new Scratch();
  it('skips NaN and shifts', () => {
    const values = Float64Array.of(1, Number.NaN, 3);
    expect(nanMean(values, 0, scratch)).toBe(2);
    expect(nanMean(values, 1, scratch)).toBe(1);
    expect(nanStd(values, 0, 1, 2, scratch)).toBe(Math.SQRT2);
    expect(nanStd(values, 0, 0, 2, scratch)).toBe(1);
  });

  it('mean of nine 0.01 is exactly 0.01, so the std is exactly 0', () => {
    const values = new Float64Array(9).fill(0.01);
    const mean = nanMean(values, 0, scratch);
    expect(mean).toBe(0.01);
    expect(nanStd(values, 0, 1, mean, scratch)).toBe(0);
  });

  it('NaN without enough observations', () => {
    expect(nanMean(Float64Array.of(Number.NaN), 0, scratch)).toBeNaN();
    expect(nanStd(Float64Array.of(1), 0, 1, 1, scratch)).toBeNaN();
  });

  it('Scratch grows on demand', () => {
    const s = new Scratch(2);
    expect(s.get(1).length).toBe(2);
    expect(s.get(10).length).toBe(10);
  });
});
