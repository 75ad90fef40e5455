import { catchAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { checkScaler, fitScaler, standardizeInto } from './scaler';

describe('fitScaler', () => {
  it('computes the mean and population standard deviation of the first rows only', () => {
    // Column 0 over rows 0..3: 1,2,3,4 -> mean 2.5, var = (2.25+0.25+0.25+2.25)/4 = 1.25.
    // Column 1 is constant -> scale 1. Row 4 (a test row) must not count.
    const X = [[1, 7], [2, 7], [3, 7], [4, 7], [1000, -50]];
    const s = fitScaler(X, 4, 2);
    expect(s.mean).toEqual([2.5, 7]);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(s.scale[1]).toBe(1);
  });
});

describe('standardizeInto', () => {
  it('writes (x - mean) / scale and zeroes invalid rows', () => {
    const scaler = { mean: [1, 10], scale: [2, 5] };
    const out = new Float32Array(6);
    const valid = new Uint8Array(3);
    standardizeInto([[3, 20], [1, Number.NaN], [-1, 0]], scaler, 2, out, valid);
    expect(Array.from(out)).toEqual([1, 2, 0, 0, -1, -2]);
    expect(Array.from(valid)).toEqual([1, 0, 1]);
  });
});

describe('checkScaler', () => {
  it('accepts a consistent state and rejects a broken one', () => {
    expect(checkScaler({ mean: [0, 1], scale: [1, 2] }, 2, 'dir')).toEqual({ mean: [0, 1], scale: [1, 2] });
    expect(catchAlgoTradingError(() => checkScaler({ mean: [0], scale: [0] }, 1, 'dir'), 'INVALID_DATA').message).toContain('scale');
  });
});
