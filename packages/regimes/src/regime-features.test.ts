import { describe, expect, it } from 'vitest';
import { expectCode } from '../test/expect-code';
import { regimeFeatureColumns } from './regime-features';

describe('regimeFeatureColumns', () => {
  const regimes = { probabilities: Float64Array.of(Number.NaN, Number.NaN, Number.NaN, 0.7, 0.2, 0.1, 0.1, 0.1, 0.8), states: 3 };

  it('gives one column per state, aligned with the bars, NaN in the warm-up', () => {
    const columns = regimeFeatureColumns(regimes);
    expect(Object.keys(columns)).toEqual(['regime_p0', 'regime_p1', 'regime_p2']);
    expect(Array.from(columns['regime_p0']!)).toEqual([Number.NaN, 0.7, 0.1]);
    expect(Array.from(columns['regime_p2']!)).toEqual([Number.NaN, 0.1, 0.8]);
  });

  it('takes a prefix and can drop the redundant last column', () => {
    expect(Object.keys(regimeFeatureColumns(regimes, { prefix: 'hmm', dropLast: true }))).toEqual(['hmm_p0', 'hmm_p1']);
    expectCode(() => regimeFeatureColumns(regimes, { prefix: '' }), 'INVALID_ARGUMENT', /prefix/);
    expectCode(() => regimeFeatureColumns({ probabilities: Float64Array.of(1, 0, 0), states: 2 }), 'INVALID_DATA');
  });
});
