import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '@algo-trading/core';
import { minOf, selectInPlace, sortAscending } from './selection';

/** Values with many duplicates (a few distinct levels) or spread out, never NaN. */
const values = fc.oneof(
  fc.array(fc.integer({ min: -3, max: 3 }).map((k) => k / 4), { minLength: 1, maxLength: 2000 }),
  fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 2000 }),
);

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('selectInPlace', () => {
  it('puts the value of a full sort at rank k, smaller before, larger after', () => {
    fc.assert(
      fc.property(values, fc.nat(), (list, seed) => {
        const a = Float64Array.from(list);
        const sorted = Float64Array.from(list).sort();
        const k = seed % a.length;
        selectInPlace(a, k);
        expect(a[k]).toBe(sorted[k]);
        for (let i = 0; i < k; i++) expect(a[i]! <= a[k]!).toBe(true);
        for (let i = k + 1; i < a.length; i++) expect(a[i]! >= a[k]!).toBe(true);
        expect(sameBits(Float64Array.from(a).sort(), sorted)).toBe(true); // a permutation
      }),
    );
  });

  it('handles a million equal values (balanced partitions) and a sub-range', () => {
    const a = new Float64Array(1_000_000).fill(60_000);
    a[10] = 1;
    selectInPlace(a, 500_000);
    expect(a[500_000]).toBe(60_000);
    const b = Float64Array.of(9, 5, 7, 1, 3);
    selectInPlace(b, 2, 1, 3); // ranks of [5, 7, 1] only
    expect(b[2]).toBe(5);
    expect(Array.from(b.subarray(0, 1))).toEqual([9]);
    expect(b[4]).toBe(3);
  });
});

describe('minOf', () => {
  it('is the smallest value of the range', () => {
    expect(minOf(Float64Array.of(4, 2, 8, -1, 3), 0, 3)).toBe(2);
    expect(minOf(Float64Array.of(4, 2, 8, -1, 3), 2, 5)).toBe(-1);
  });
});

describe('sortAscending', () => {
  it('orders exactly as Float64Array.prototype.sort, radix path included (-0 before +0)', () => {
    const rng = createSeededRandom(11);
    for (const n of [10, 20_000, 70_000]) {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const u = rng.next();
        a[i] = u < 0.1 ? 0 : u < 0.2 ? -0 : u < 0.3 ? Math.round(u * 40) - 6 : (rng.next() - 0.5) * 10 ** Math.round(rng.next() * 40 - 20);
      }
      a[0] = Number.MAX_VALUE;
      a[1] = -Number.MAX_VALUE;
      a[2] = Number.MIN_VALUE;
      a[3] = -Number.MIN_VALUE;
      const expected = Float64Array.from(a).sort();
      const result = sortAscending(a);
      expect(result).toBe(a);
      expect(sameBits(a, expected)).toBe(true);
    }
  });
});

describe('sortAscending (digits skipped, scratch reused)', () => {
  it('sorts narrow-range negative values (equal sign and exponent digits) inside a larger buffer', () => {
    const rng = createSeededRandom(5);
    const buffer = new Float64Array(60_000);
    for (let i = 0; i < buffer.length; i++) buffer[i] = -0.0016 - rng.next() * 0.01;
    // A long sort first (grows the scratch), then a shorter one on a subarray at an offset.
    for (const [from, to] of [[0, 60_000], [1000, 40_000]] as const) {
      const a = buffer.subarray(from, to);
      for (let i = 0; i < a.length; i++) a[i] = -0.0016 - rng.next() * 0.01;
      const expected = Float64Array.from(a).sort();
      sortAscending(a);
      expect(sameBits(a, expected)).toBe(true);
    }
    const same = new Float64Array(20_000).fill(-0.5);
    sortAscending(same);
    expect(same.every((v) => Object.is(v, -0.5))).toBe(true);
  });
});
