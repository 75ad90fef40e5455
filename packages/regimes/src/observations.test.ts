import { describe, expect, it } from 'vitest';
import { expectCode } from '../test/expect-code';
import { featureMoments, readObservations, requireVaryingFeatures } from './observations';

describe('readObservations', () => {
  it('reads one feature without copying a Float64Array, and rows of several features row-major', () => {
    const x = Float64Array.of(1, 2, 3);
    const one = readObservations(x);
    expect(one.data).toBe(x);
    expect([one.rows, one.dims]).toEqual([3, 1]);
    expect(Array.from(readObservations([4, 5]).data)).toEqual([4, 5]);
    const many = readObservations([Float64Array.of(1, 2), [3, 4], [5, 6]]);
    expect(Array.from(many.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect([many.rows, many.dims]).toEqual([3, 2]);
  });

  it('names the row and feature of a bad value and checks the width', () => {
    expectCode(() => readObservations([[1, 2], [3, Number.NaN]]), 'INVALID_DATA', /X\[1\]\[1\] must be a finite number/);
    expectCode(() => readObservations([1, '2' as never]), 'INVALID_DATA', /X\[1\]/);
    expectCode(() => readObservations([[1], []]), 'INVALID_DATA', /X\[1\]/);
    expectCode(() => readObservations([[]]), 'INVALID_DATA', /at least one feature/);
    expectCode(() => readObservations(null as never), 'INVALID_DATA');
    expectCode(() => readObservations([1, 2], 'X', 2), 'INVALID_ARGUMENT', /model has 2/);
  });
});

describe('featureMoments and requireVaryingFeatures', () => {
  it('gives population moments per feature and rejects a constant feature by index', () => {
    const obs = readObservations([[1, 10], [3, 10], [5, 10]]);
    const { mean, variance } = featureMoments(obs);
    expect(Array.from(mean)).toEqual([3, 10]);
    expect(Array.from(variance)).toEqual([8 / 3, 0]);
    expectCode(() => requireVaryingFeatures(obs), 'INVALID_DATA', /X feature 1 is constant .*10/);
    expect(() => requireVaryingFeatures(readObservations([1, 1, 2]))).not.toThrow();
  });
});
