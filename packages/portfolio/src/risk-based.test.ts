import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factorCovariance, mulVec, symbolsOf, thrown } from '../test/helpers';
import { inverseVolatility, riskParity } from './risk-based';


const shares = (matrix: ArrayLike<number>, w: ArrayLike<number>) => {
  const sw = mulVec(matrix, w);
  const total = sw.reduce((s, v, i) => s + v * w[i]!, 0);
  return sw.map((v, i) => (v * w[i]!) / total);
};

describe('inverseVolatility', () => {
  it('weights 1 / sigma, normalized', () => {
    const result = inverseVolatility({ symbols: ['A', 'B'], matrix: [0.04, 0.01, 0.01, 0.01] });
    // sigma 0.2 and 0.1: 5 and 10 -> 1/3 and 2/3.
    expect(result.weights.A).toBeCloseTo(1 / 3, 15);
    expect(result.weights.B).toBeCloseTo(2 / 3, 15);
  });

  it('rejects a zero variance', () => {
    expect(thrown(() => inverseVolatility({ symbols: ['A', 'B'], matrix: [0.04, 0, 0, 0] })).message).toMatch(/"B" has variance 0/);
  });
});

describe('riskParity', () => {
  it('two assets: equal risk is inverse volatility whatever the correlation', () => {
    const result = riskParity({ symbols: ['A', 'B'], matrix: [0.04, 0.012, 0.012, 0.09] });
    expect(result.weights.A).toBeCloseTo(0.3 / 0.5, 12);
    expect(result.riskContributions.A).toBeCloseTo(0.5, 10);
  });

  it('uncorrelated assets with budgets: w_i proportional to sqrt(b_i) / sigma_i', () => {
    const result = riskParity({ symbols: ['A', 'B', 'C'], matrix: [0.04, 0, 0, 0, 0.09, 0, 0, 0, 0.01] }, { budgets: { A: 0.5, B: 0.3, C: 0.2 } });
    const raw = [Math.sqrt(0.5) / 0.2, Math.sqrt(0.3) / 0.3, Math.sqrt(0.2) / 0.1];
    const total = raw.reduce((s, v) => s + v, 0);
    expect(result.weights.A).toBeCloseTo(raw[0]! / total, 12);
    expect(result.weights.C).toBeCloseTo(raw[2]! / total, 12);
  });

  it('risk shares equal the budgets to 1e-10 on random covariances (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 15 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.array(fc.double({ min: 0.05, max: 5, noNaN: true }), { minLength: 15, maxLength: 15 }),
        (n, seed, rawBudgets) => {
          const symbols = symbolsOf(n);
          const matrix = factorCovariance(seed, n, 3).map((v) => v * 1e-4); // daily-return scale
          const budgets = Object.fromEntries(symbols.map((s, i) => [s, rawBudgets[i]!]));
          const result = riskParity({ symbols, matrix }, { budgets });
          const total = symbols.reduce((s, sym) => s + budgets[sym]!, 0);
          const got = shares(matrix, result.vector);
          for (let i = 0; i < n; i++) expect(Math.abs(got[i]! - budgets[symbols[i]!]! / total)).toBeLessThanOrEqual(1e-10);
          expect(result.vector.every((w) => w > 0)).toBe(true);
          expect(result.vector.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 14);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('rejects missing, zero or unknown budgets', () => {
    const cov = { symbols: ['A', 'B'], matrix: [0.04, 0, 0, 0.09] };
    expect(thrown(() => riskParity(cov, { budgets: { A: 1 } })).message).toMatch(/budgets.B must be a finite number > 0/);
    expect(thrown(() => riskParity(cov, { budgets: { A: 1, B: 0 } })).message).toMatch(/budgets.B/);
    expect(thrown(() => riskParity(cov, { budgets: { A: 1, B: 1, C: 1 } })).message).toMatch(/"C", which is not a symbol/);
    expect(thrown(() => riskParity(cov, { tol: 1 } as never)).code).toBe('INVALID_ARGUMENT');
  });
});
