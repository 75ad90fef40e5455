import { createSeededRandom } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { balancedClassWeights, fillDropoutMask } from './training';

describe('balancedClassWeights', () => {
  it('weighs each class by n / (2 x n_class)', () => {
    // 8 labels: 6 zeros, 2 ones -> w0 = 8 / 12 = 2/3, w1 = 8 / 4 = 2.
    const [w0, w1] = balancedClassWeights([0, 0, 0, 0, 0, 0, 1, 1]);
    expect(w0).toBeCloseTo(2 / 3, 15);
    expect(w1).toBe(2);
  });
  it('gives 1 and 1 for balanced labels or a single class', () => {
    expect(balancedClassWeights([0, 1, 1, 0])).toEqual([1, 1]);
    expect(balancedClassWeights([1, 1, 1])).toEqual([1, 1]);
  });
});

describe('fillDropoutMask', () => {
  const n = 200_000;

  for (const rate of [0.05, 0.1, 0.5, 0.7, 0.95]) {
    it(`drops each value with probability ${rate}, independently, and scales the rest by 1 / (1 - rate)`, () => {
      const mask = new Float32Array(n);
      fillDropoutMask(mask, rate, createSeededRandom(11));
      const keep = Math.fround(1 / (1 - rate));
      let dropped = 0;
      let bothDropped = 0;
      let other = 0;
      for (let i = 0; i < n; i++) {
        if (mask[i] !== 0 && mask[i] !== keep) other += 1;
        if (mask[i] === 0) {
          dropped += 1;
          if (i > 0 && mask[i - 1] === 0) bothDropped += 1;
        }
      }
      expect(other).toBe(0);
      // Binomial(n, rate): the share lies within 5 standard deviations of the rate.
      const sd = Math.sqrt((rate * (1 - rate)) / n);
      expect(Math.abs(dropped / n - rate)).toBeLessThan(5 * sd);
      // Neighbours are independent: P(both dropped) = rate^2.
      const sdPair = Math.sqrt((rate * rate * (1 - rate * rate)) / n);
      expect(Math.abs(bothDropped / (n - 1) - rate * rate)).toBeLessThan(5 * sdPair + 1e-4);
      // The mean of an inverted-dropout mask is 1.
      const mean = mask.reduce((s, v) => s + v, 0) / n;
      expect(Math.abs(mean - 1)).toBeLessThan(5 * sd * keep + 1e-3);
    });
  }

  it('is reproducible for a seed, fills every value, and keeps everything at rate 0', () => {
    const a = new Float32Array(1000).fill(Number.NaN);
    const b = new Float32Array(1000);
    fillDropoutMask(a, 0.3, createSeededRandom(5));
    fillDropoutMask(b, 0.3, createSeededRandom(5));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(a.every((v) => !Number.isNaN(v))).toBe(true);
    const other = new Float32Array(1000);
    fillDropoutMask(other, 0.3, createSeededRandom(6));
    expect(Array.from(other)).not.toEqual(Array.from(a));
    const none = new Float32Array(10).fill(Number.NaN);
    fillDropoutMask(none, 0, createSeededRandom(1));
    expect(Array.from(none)).toEqual(new Array(10).fill(1));
  });
});
