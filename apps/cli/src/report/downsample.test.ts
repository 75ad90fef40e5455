import fc from 'fast-check';
import { isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { downsampleIndices, downsamplePairs, extremeIndices } from './downsample';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('downsampleIndices (LTTB with the extremes kept)', () => {
  it('picks the largest triangles, by hand', () => {
    // n 7, 4 points: buckets of 2.5 between the first and the last point.
    // Bucket 1 = {1, 2}, next bucket {3, 4, 5} has mean (4, -1/3); from (0, 0) the areas are
    // |-4 y - x / 3| = 20.33 (x = 1) and 4.67 (x = 2): 1 wins.
    // Bucket 2 = {3, 4, 5}, next bucket {6} = (6, 0); from (1, 5) the areas are
    // |-5 (y - 5) + 5 (1 - x)| = 10, 5, 20: 5 wins.
    const y = [0, 5, 1, 1, 1, -3, 0];
    expect([...downsampleIndices(range(7), y, { maxPoints: 4, keepExtremes: false })]).toEqual([0, 1, 5, 6]);
  });

  it('returns every index of a series short enough already', () => {
    expect([...downsampleIndices([1, 2, 3], [3, 1, 2], { maxPoints: 5 })]).toEqual([0, 1, 2]);
    expect([...downsampleIndices([], [], { maxPoints: 5 })]).toEqual([]);
  });

  it('keeps the first and last points, the global max and min and the asked indices, within the bound (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 6, max: 400 }),
        fc.nat(),
        (y, maxPoints, k) => {
          const n = y.length;
          const keep = [k % n];
          const idx = [...downsampleIndices(range(n), y, { maxPoints, keep })];
          expect(idx.length).toBeLessThanOrEqual(Math.max(maxPoints, 0));
          if (n <= maxPoints) {
            expect(idx).toEqual(range(n));
            return;
          }
          expect(idx[0]).toBe(0);
          expect(idx.at(-1)).toBe(n - 1);
          for (let i = 1; i < idx.length; i++) expect(idx[i]!).toBeGreaterThan(idx[i - 1]!);
          const kept = idx.map((i) => y[i]!);
          expect(Math.max(...kept)).toBe(Math.max(...y));
          expect(Math.min(...kept)).toBe(Math.min(...y));
          expect(idx).toContain(keep[0]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('brings a million points down to the bound and keeps a drawdown trough', () => {
    const n = 1_000_000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i * 60_000;
      y[i] = 10_000 + Math.sin(i / 5_000) * 500 + (i === 777_777 ? -4_000 : 0);
    }
    const idx = downsampleIndices(x, y, { maxPoints: 2_500 });
    expect(idx.length).toBeLessThanOrEqual(2_500);
    expect(idx.length).toBeGreaterThan(2_400);
    expect([...idx]).toContain(777_777);
  });

  it('skips non-finite values when choosing and rejects bad arguments', () => {
    expect(extremeIndices([NaN, 2, Infinity, -1])).toEqual({ max: 1, min: 3 });
    expect(extremeIndices([NaN])).toEqual({ max: -1, min: -1 });
    const y = range(20).map((i) => (i % 3 === 0 ? NaN : i));
    const idx = downsampleIndices(range(20), y, { maxPoints: 8 });
    expect(idx.length).toBeLessThanOrEqual(8);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return isAlgoTradingError(error, 'INVALID_ARGUMENT');
      }
      return false;
    };
    expect(code(() => downsampleIndices([1, 2], [1], { maxPoints: 5 }))).toBe(true);
    expect(code(() => downsampleIndices(range(10), range(10), { maxPoints: 4 }))).toBe(true); // 3 + max + min
  });

  it('returns [x, y] pairs for the charts', () => {
    expect(downsamplePairs([10, 20, 30], [1, 2, 3], { maxPoints: 5 })).toEqual([
      [10, 1],
      [20, 2],
      [30, 3],
    ]);
  });
});
