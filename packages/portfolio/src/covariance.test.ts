import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thrown } from '../test/helpers';
import { covariance, readCovariance } from './covariance';
import { returnsMatrix } from './returns-matrix';


describe('sample covariance', () => {
  it('is the ddof-1 covariance (worked by hand)', () => {
    // x = [1, 2, 3, 6] (mean 3), y = [2, 2, 4, 4] (mean 3).
    // var x = (4 + 1 + 0 + 9) / 3 = 14/3; var y = (1 + 1 + 1 + 1) / 3 = 4/3;
    // cov = ((-2)(-1) + (-1)(-1) + 0(1) + 3(1)) / 3 = 6/3 = 2.
    const cov = covariance({ symbols: ['x', 'y'], values: [[1, 2], [2, 2], [3, 4], [6, 4]] });
    expect(cov.method).toBe('sample');
    expect(cov.matrix[0]).toBeCloseTo(14 / 3, 14);
    expect(cov.matrix[3]).toBeCloseTo(4 / 3, 14);
    expect(cov.matrix[1]).toBeCloseTo(2, 14);
    expect(cov.matrix[2]).toBe(cov.matrix[1]);
    expect(cov.annualized).toBe(false);
    expect(cov.observations).toBe(4);
  });

  it('annualizes by periodsPerYear when asked', () => {
    const R = { symbols: ['x', 'y'], values: [[1, 2], [2, 2], [3, 4], [6, 4]], periodsPerYear: 12 };
    const cov = covariance(R, { annualize: true });
    expect(cov.matrix[0]).toBeCloseTo((14 / 3) * 12, 12);
    expect(cov.annualized).toBe(true);
    expect(thrown(() => covariance({ symbols: ['x', 'y'], values: [[1, 2], [2, 2], [3, 4]] }, { annualize: true })).message).toMatch(
      /annualize needs periodsPerYear/,
    );
  });

  it('refuses fewer rows than assets, suggesting shrinkage', () => {
    const e = thrown(() => covariance({ symbols: ['a', 'b', 'c'], values: [[1, 2, 3], [2, 1, 0], [0, 0, 1]] }));
    expect(e.code).toBe('INVALID_DATA');
    expect(e.message).toMatch(/needs more than 3 return rows, got 3/);
    expect(e.message).toMatch(/ledoit_wolf/);
  });

  it('refuses NaN returns, naming the row, time and symbol', () => {
    const times = [Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3), Date.UTC(2024, 0, 4), Date.UTC(2024, 0, 5)];
    const e = thrown(() => covariance({ symbols: ['a', 'b'], values: [[1, 2], [2, NaN], [3, 1], [0, 0]], times }, { method: 'ledoit_wolf' }));
    expect(e.code).toBe('INVALID_DATA');
    expect(e.message).toMatch(/returns\[1\] \(2024-01-03\) of "b" is NaN/);
    expect(e.message).toMatch(/ledoit_wolf/);
    expect(e.details?.symbol).toBe('b');
  });
});

describe('Ledoit-Wolf (scikit-learn LedoitWolf)', () => {
  it('matches the formula worked by hand on a small matrix', () => {
    // Centered data (column means 0): x1 = [1, -1, 2, -2, 3, -3], x2 = [2, -2, 1, -1, 3, -3], n = 6, p = 2.
    // Empirical (ML) covariance S = X'X / n = [[28/6, 26/6], [26/6, 28/6]] = [[14/3, 13/3], [13/3, 14/3]].
    // mu = trace(S) / p = 14/3.
    // delta_ = sum S_ij^2 = 2 (14/3)^2 + 2 (13/3)^2 = 730/9.
    // beta_ = sum_t (x1_t^2 + x2_t^2)^2 = 4 x 5^2 + 2 x 18^2 = 748.
    // beta = (beta_ / n - delta_) / (p n) = (1122/9 - 730/9) / 12 = 98/27.
    // delta = (delta_ - 2 mu trace + p mu^2) / p = (730/9 - 784/9 + 392/9) / 2 = 169/9.
    // shrinkage = min(beta, delta) / delta = (98/27) / (169/9) = 98/507.
    // Shrunk = (1 - 98/507) S + (98/507) mu I: diagonal 14/3, off-diagonal (409/507)(13/3).
    const values = [[1, 2], [-1, -2], [2, 1], [-2, -1], [3, 3], [-3, -3]];
    const cov = covariance({ symbols: ['x1', 'x2'], values }, { method: 'ledoit_wolf' });
    expect(cov.shrinkage).toBeCloseTo(98 / 507, 15);
    expect(cov.matrix[0]).toBeCloseTo(14 / 3, 14);
    expect(cov.matrix[3]).toBeCloseTo(14 / 3, 14);
    expect(cov.matrix[1]).toBeCloseTo((409 / 507) * (13 / 3), 14);
  });

  it('centers the data first (assume_centered=False): shifting a column changes nothing', () => {
    const values = [[1, 2], [-1, -2], [2, 1], [-2, -1], [3, 3], [-3, -3]];
    const shifted = values.map(([a, b]) => [a! + 5, b! - 2]);
    const a = covariance({ symbols: ['x1', 'x2'], values }, { method: 'ledoit_wolf' });
    const b = covariance({ symbols: ['x1', 'x2'], values: shifted }, { method: 'ledoit_wolf' });
    expect(b.shrinkage).toBeCloseTo(a.shrinkage!, 14);
    for (let k = 0; k < 4; k++) expect(b.matrix[k]).toBeCloseTo(a.matrix[k]!, 13);
  });

  it('works with fewer rows than assets and gives a positive-definite matrix', () => {
    const values = [[1, 2, 0.5, -1], [-1, 0, 1, 2], [0.5, -2, 0, 1]];
    const cov = covariance({ symbols: ['a', 'b', 'c', 'd'], values }, { method: 'ledoit_wolf' });
    expect(cov.shrinkage).toBeGreaterThan(0);
    expect(() => readCovariance({ symbols: cov.symbols, matrix: Array.from(cov.matrix) })).not.toThrow();
  });

  it('keeps the shrinkage in [0, 1] and the trace of the ML covariance (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 2, max: 30 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 180, maxLength: 180 }),
        (p, n, pool) => {
          const values = Array.from({ length: n }, (_, t) => Array.from({ length: p }, (_, j) => pool[(t * p + j) % pool.length]! + 0.01 * t * j));
          const cov = covariance({ symbols: Array.from({ length: p }, (_, j) => `s${j}`), values }, { method: 'ledoit_wolf' });
          expect(cov.shrinkage).toBeGreaterThanOrEqual(0);
          expect(cov.shrinkage).toBeLessThanOrEqual(1);
          // Shrinking towards mu I keeps the trace of S = X'X / n (centered).
          let trace = 0;
          let ml = 0;
          for (let j = 0; j < p; j++) {
            trace += cov.matrix[j * p + j]!;
            const column = values.map((r) => r[j]!);
            const mean = column.reduce((s, v) => s + v, 0) / n;
            ml += column.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
          }
          expect(Math.abs(trace - ml)).toBeLessThanOrEqual(1e-12 * Math.max(1, ml));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('constant-correlation shrinkage', () => {
  it('keeps the sample variances on the diagonal and reports a shrinkage in [0, 1]', () => {
    const values = [[0.01, 0.02, -0.01], [-0.02, 0.01, 0.0], [0.03, 0.0, 0.02], [0.0, -0.01, 0.01], [0.01, 0.03, -0.02], [-0.01, 0.0, 0.01]];
    const R = { symbols: ['a', 'b', 'c'], values };
    const sample = covariance(R);
    const cc = covariance(R, { method: 'constant_correlation' });
    expect(cc.shrinkage).toBeGreaterThanOrEqual(0);
    expect(cc.shrinkage).toBeLessThanOrEqual(1);
    for (let i = 0; i < 3; i++) expect(cc.matrix[i * 4]).toBeCloseTo(sample.matrix[i * 4]!, 15);
    // Off-diagonal: (1 - d) S_ij + d rBar sqrt(S_ii S_jj), with rBar the mean sample correlation.
    const s = sample.matrix;
    const corr = (i: number, j: number) => s[i * 3 + j]! / Math.sqrt(s[i * 4]! * s[j * 4]!);
    const rBar = (corr(0, 1) + corr(0, 2) + corr(1, 2)) / 3;
    const d = cc.shrinkage!;
    expect(cc.matrix[1]).toBeCloseTo((1 - d) * s[1]! + d * rBar * Math.sqrt(s[0]! * s[4]!), 15);
  });
});

describe('EWMA covariance (RiskMetrics)', () => {
  it('weights the rows (1 - lambda) lambda^age, normalized (worked by hand)', () => {
    // lambda 0.5, 3 rows: raw weights 0.125, 0.25, 0.5 (oldest first), normalized 1/7, 2/7, 4/7.
    // Rows (1, 0), (0, 1), (1, 1), zero mean: S11 = 1/7 + 4/7, S22 = 2/7 + 4/7, S12 = 4/7.
    const R = { symbols: ['a', 'b'], values: [[1, 0], [0, 1], [1, 1]] };
    const cov = covariance(R, { method: 'ewma', lambda: 0.5 });
    expect(cov.matrix[0]).toBeCloseTo(5 / 7, 15);
    expect(cov.matrix[3]).toBeCloseTo(6 / 7, 15);
    expect(cov.matrix[1]).toBeCloseTo(4 / 7, 15);
    // span 3 is lambda = 1 - 2 / 4 = 0.5.
    expect(Array.from(covariance(R, { method: 'ewma', span: 3 }).matrix)).toEqual(Array.from(cov.matrix));
  });

  it('defaults to lambda 0.94 and can demean', () => {
    const values = [[0.01, 0.0], [0.02, -0.01], [-0.01, 0.03], [0.0, 0.01]];
    const R = returnsMatrix({ symbols: ['a', 'b'], values });
    const cov = covariance(R, { method: 'ewma' });
    const w = [0.94 ** 3, 0.94 ** 2, 0.94, 1].map((v) => v * 0.06);
    const total = w.reduce((s, v) => s + v, 0);
    const s11 = values.reduce((s, r, t) => s + (w[t]! / total) * r[0]! * r[0]!, 0);
    expect(cov.matrix[0]).toBeCloseTo(s11, 16);
    const demeaned = covariance(R, { method: 'ewma', demean: true });
    const mean = values.reduce((s, r) => s + r[0]!, 0) / 4;
    const d11 = values.reduce((s, r, t) => s + (w[t]! / total) * (r[0]! - mean) ** 2, 0);
    expect(demeaned.matrix[0]).toBeCloseTo(d11, 16);
  });

  it('rejects conflicting or misplaced options', () => {
    expect(thrown(() => covariance({ symbols: ['a'], values: [1, 2] }, { method: 'ewma', lambda: 0.9, span: 10 })).code).toBe('INVALID_CONFIG');
    expect(thrown(() => covariance({ symbols: ['a'], values: [1, 2] }, { lambda: 0.9 })).message).toMatch(/apply to method "ewma" only/);
    expect(thrown(() => covariance({ symbols: ['a'], values: [1, 2] }, { method: 'ewma', lambda: 1 })).message).toMatch(/lambda: /);
    expect(thrown(() => covariance({ symbols: ['a'], values: [1, 2] }, { metod: 'x' } as never)).message).toMatch(/metod: unknown key/);
  });
});

describe('readCovariance (validation of a given matrix)', () => {
  it('names an asymmetric pair, a negative variance and a non-PSD matrix', () => {
    expect(thrown(() => readCovariance({ symbols: ['a', 'b'], matrix: [1, 0.5, 0.4, 1] })).message).toMatch(/not symmetric: \[b, a\] = 0.4 but \[a, b\] = 0.5/);
    expect(thrown(() => readCovariance({ symbols: ['a', 'b'], matrix: [1, 0, 0, -1] })).message).toMatch(/diagonal of "b" is a negative variance -1/);
    const psd = thrown(() => readCovariance({ symbols: ['a', 'b', 'c'], matrix: [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]] }));
    expect(psd.code).toBe('INVALID_ARGUMENT');
    expect(psd.message).toMatch(/not positive semi-definite/);
    expect(thrown(() => readCovariance({ symbols: ['a', 'b'], matrix: [1, NaN, NaN, 1] })).code).toBe('INVALID_DATA');
  });

  it('accepts singular PSD matrices (a duplicated asset)', () => {
    expect(() => readCovariance({ symbols: ['a', 'b'], matrix: [0.04, 0.04, 0.04, 0.04] })).not.toThrow();
  });
});
