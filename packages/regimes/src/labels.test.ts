import { describe, expect, it } from 'vitest';
import { expectCode } from '../test/expect-code';
import { labelsFromProbabilities } from './labels';

describe('labelsFromProbabilities', () => {
  it('gives the most probable state per row, -1 for NaN rows, the lower state on ties', () => {
    const p = Float64Array.of(Number.NaN, Number.NaN, 0.2, 0.8, 0.6, 0.4, 0.5, 0.5);
    expect(Array.from(labelsFromProbabilities(p, 2))).toEqual([-1, 1, 0, 0]);
    expect(Array.from(labelsFromProbabilities(Float64Array.of(0.1, 0.3, 0.6), 3))).toEqual([2]);
  });

  it('rejects a matrix that is not whole rows and states below 2', () => {
    expectCode(() => labelsFromProbabilities(Float64Array.of(0.5, 0.5, 1), 2), 'INVALID_DATA', /rows of 2/);
    expectCode(() => labelsFromProbabilities(Float64Array.of(1), 1), 'INVALID_ARGUMENT', /states/);
    expectCode(() => labelsFromProbabilities([0.5, 0.5] as never, 2), 'INVALID_DATA');
  });
});
