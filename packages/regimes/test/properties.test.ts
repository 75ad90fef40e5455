import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GaussianHMM } from '../src/index';
import { logForward, simulate, type RefParams } from './reference';

/** A random K-state, D-feature diagonal model with well-defined parameters. */
const modelArb = fc
  .record({
    K: fc.integer({ min: 2, max: 3 }),
    D: fc.integer({ min: 1, max: 2 }),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    stay: fc.double({ min: 0.5, max: 0.99, noNaN: true }),
    spread: fc.double({ min: 0.2, max: 3, noNaN: true }),
  })
  .map(({ K, D, seed, stay, spread }): { params: RefParams; seed: number } => {
    const transition = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => (i === j ? stay : (1 - stay) / (K - 1))));
    const means = Array.from({ length: K }, (_, k) => Array.from({ length: D }, (_, j) => (k - 1) * spread * (j + 1)));
    const variances = Array.from({ length: K }, (_, k) => Array.from({ length: D }, (_, j) => 0.2 + k * 0.5 + j * 0.1));
    return { params: { startProb: Array.from({ length: K }, () => 1 / K), transition, means, variances }, seed };
  });

describe('EM invariants (property tests)', () => {
  it('the log-likelihood never decreases over EM iterations (diag and full covariances)', () => {
    fc.assert(
      fc.property(modelArb, fc.boolean(), fc.integer({ min: 30, max: 300 }), ({ params, seed }, full, length) => {
        const { x } = simulate(params, length, seed);
        const K = params.startProb.length;
        const hmm = new GaussianHMM({ states: K, covariance: full ? 'full' : 'diag', seed, restarts: 2, maxIterations: 60, tolerance: 0 });
        const report = hmm.fit(x);
        for (const r of report.restarts) {
          const trace = r.logLikelihoodTrace;
          for (let i = 1; i < trace.length; i++) {
            // Rounding only: relative 1e-9.
            expect(trace[i]!).toBeGreaterThanOrEqual(trace[i - 1]! - 1e-9 * Math.max(1, Math.abs(trace[i - 1]!)));
          }
          expect(r.monotonic).toBe(true);
        }
      }),
      { numRuns: 40, seed: 20260101 },
    );
  });

  it('filtered and smoothed rows are probabilities (no NaN, sum 1) and filter matches the log-space pass', () => {
    fc.assert(
      fc.property(modelArb, fc.integer({ min: 1, max: 200 }), ({ params, seed }, length) => {
        const { x } = simulate(params, length, seed + 1);
        const K = params.startProb.length;
        const hmm = new GaussianHMM({ states: K }).setParams(params);
        const filtered = hmm.filter(x);
        const smoothed = hmm.smooth(x);
        const ref = logForward(params, x);
        for (let t = 0; t < length; t++) {
          let sf = 0;
          let ss = 0;
          for (let k = 0; k < K; k++) {
            const f = filtered[t * K + k]!;
            const s = smoothed[t * K + k]!;
            expect(f >= 0 && f <= 1 && s >= 0 && s <= 1).toBe(true);
            expect(Math.abs(f - ref.filtered[t]![k]!)).toBeLessThan(1e-9);
            sf += f;
            ss += s;
          }
          expect(sf).toBeCloseTo(1, 12);
          expect(ss).toBeCloseTo(1, 12);
        }
        // The last smoothed row conditions on the same data as the last filtered row.
        for (let k = 0; k < K; k++) expect(smoothed[(length - 1) * K + k]!).toBeCloseTo(filtered[(length - 1) * K + k]!, 12);
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});
