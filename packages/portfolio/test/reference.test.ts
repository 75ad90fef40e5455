import { describe, expect, it } from 'vitest';
import { covariance, expectedReturns, hierarchicalRiskParity, returnsMatrix } from '../src/index';
import reference from './fixtures/reference.json';

/**
 * Golden values from numpy/scipy implementations of scikit-learn's Ledoit-Wolf, PyPortfolioOpt's
 * constant-correlation shrinkage and HRP, scipy's single linkage, a RiskMetrics EWMA and pandas'
 * ewm mean (test/fixtures/generate_reference.py), on 60 x 6 factor-model returns.
 */
describe('reference values (numpy / scipy)', () => {
  const R = returnsMatrix({ symbols: ['S0', 'S1', 'S2', 'S3', 'S4', 'S5'], values: reference.X });
  const close = (actual: ArrayLike<number>, expected: number[][] | number[], relative = 1e-13) => {
    const flat = (expected as number[][]).flat();
    expect(actual.length).toBe(flat.length);
    for (let k = 0; k < flat.length; k++) expect(Math.abs(actual[k]! - flat[k]!)).toBeLessThanOrEqual(relative * Math.max(1e-6, Math.abs(flat[k]!)));
  };

  it('covariance estimators', () => {
    close(covariance(R).matrix, reference.sample);
    const lw = covariance(R, { method: 'ledoit_wolf' });
    close(lw.matrix, reference.lw);
    expect(lw.shrinkage).toBeCloseTo(reference.lw_shrinkage, 14);
    const cc = covariance(R, { method: 'constant_correlation' });
    close(cc.matrix, reference.cc);
    expect(cc.shrinkage).toBeCloseTo(reference.cc_shrinkage, 14);
    close(covariance(R, { method: 'ewma' }).matrix, reference.ewma);
  });

  it('exponentially weighted mean (span 10)', () => {
    close(expectedReturns(R, { method: 'ema', span: 10 }).values, reference.ema10);
  });

  it('HRP: linkage, order and weights', () => {
    const hrp = hierarchicalRiskParity(R);
    expect(hrp.linkage.map(([a, b, , size]) => [a, b, size])).toEqual(reference.linkage.map(([a, b, , size]) => [a, b, size]));
    close(hrp.linkage.map((row) => row[2]), reference.linkage.map((row) => row[2]!));
    expect(hrp.order).toEqual(reference.order.map((i) => `S${i}`));
    close(hrp.vector, reference.hrp);
  });
});
