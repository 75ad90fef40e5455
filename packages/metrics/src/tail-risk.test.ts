import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '@algo-trading/core';
import { tailRatioSorted } from './ratios';
import {
  conditionalValueAtRisk,
  conditionalValueAtRiskSorted,
  percentile,
  quantileSorted,
  sortedCopy,
  tailRiskOf,
  valueAtRisk,
  valueAtRiskSorted,
} from './tail-risk';

describe('quantileSorted / percentile / sortedCopy', () => {
  it('linear interpolation between ranks', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 15);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([], 0.5)).toBeNaN();
    expect(quantileSorted([-Infinity, -Infinity, 0], 0)).toBe(-Infinity);
  });

  it('uses numpy form b - (b - a)(1 - t) for t >= 0.5', () => {
    // rank 0.7 between 0.1 and 0.7: numpy gives 0.7 - 0.6 x 0.3 (bit-exact with np.percentile)
    expect(quantileSorted([0.1, 0.7], 0.7)).toBe(0.7 - (0.7 - 0.1) * (1 - 0.7));
  });

  it('percentile propagates NaN; sortedCopy sorts numerically with NaN last', () => {
    expect(percentile([3, Number.NaN, 1], 0.5)).toBeNaN();
    expect(percentile([3, 1, 2], 0.5)).toBe(2);
    const { sorted, hasNaN } = sortedCopy([10, Number.NaN, 9, -1]);
    expect(hasNaN).toBe(true);
    expect(Array.from(sorted.subarray(0, 3))).toEqual([-1, 9, 10]);
    expect(sorted[3]).toBeNaN();
  });
});

describe('valueAtRisk / conditionalValueAtRisk', () => {
  it('hand values', () => {
    const r = [-0.05, -0.02, 0.01, 0.03];
    expect(valueAtRisk(r, { cutoff: 0.5 })).toBeCloseTo(-0.005, 15);
    expect(conditionalValueAtRisk(r, { cutoff: 0.5 })).toBeCloseTo(-0.035, 15); // k = floor(1.5) = 1
    expect(conditionalValueAtRisk(r)).toBe(-0.05); // k = 0
    expect(valueAtRisk([])).toBeNaN();
    expect(conditionalValueAtRisk([])).toBeNaN();
  });

  it('NaN: VaR is NaN; CVaR only when the NaN falls inside the tail', () => {
    expect(valueAtRisk([0.1, Number.NaN])).toBeNaN();
    expect(conditionalValueAtRisk([0.1, Number.NaN, -0.1])).toBe(-0.1);
    expect(conditionalValueAtRisk([0.1, Number.NaN], { cutoff: 1 })).toBeNaN();
  });

  it('rejects a cutoff outside [0, 1] and unknown options', () => {
    expect(() => valueAtRisk([1], { cutoff: 1.5 })).toThrow(/cutoff/);
    expect(() => conditionalValueAtRisk([1], { cutoff: -0.1 })).toThrow(/cutoff/);
    expect(() => valueAtRisk([1], { level: 0.05 } as never)).toThrow(/level: unknown key/);
  });
});

describe('tailRiskOf (computeMetrics kernel)', () => {
  const reference = (values: Float64Array, cutoff: number) => {
    const sorted = Float64Array.from(values).sort();
    return {
      valueAtRisk: valueAtRiskSorted(sorted, false, cutoff),
      conditionalValueAtRisk: conditionalValueAtRiskSorted(sorted, cutoff),
      tailRatio: tailRatioSorted(sorted),
    };
  };

  it('equals the sorted-copy kernels bit for bit: sampled path, fallbacks, small inputs', () => {
    const rng = createSeededRandom(5);
    const cases: Float64Array[] = [];
    for (const [n, zeroShare] of [[100_000, 0.5], [30_000, 0], [20_000, 0.97], [9000, 0.3], [500, 0.2], [3, 0], [1, 0]] as const) {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = rng.next() < zeroShare ? 0 : (rng.next() - 0.49) * 0.01;
      cases.push(a);
    }
    // Trending values (the evenly spaced sample sees a skewed picture) and a few distinct levels.
    cases.push(Float64Array.from({ length: 50_000 }, (_, i) => i / 50_000 - 0.3));
    cases.push(Float64Array.from({ length: 50_000 }, (_, i) => ((i * 7919) % 5) - 2));
    for (const values of cases) {
      const before = Float64Array.from(values);
      const got = tailRiskOf(values, 0.05);
      const want = reference(values, 0.05);
      expect(Object.is(got.valueAtRisk, want.valueAtRisk)).toBe(true);
      expect(Object.is(got.conditionalValueAtRisk, want.conditionalValueAtRisk)).toBe(true);
      expect(Object.is(got.tailRatio, want.tailRatio)).toBe(true);
      expect(values).toEqual(before); // left unchanged
    }
    expect(tailRiskOf(new Float64Array(0), 0.05).valueAtRisk).toBeNaN();
  });
});
