import { describe, expect, it } from 'vitest';
import { balancedClassWeights } from './training';

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
