import { describe, expect, it } from 'vitest';
import { GaussianHMM, type GaussianHmmParams } from '../src/index';
import { accuracy, simulate, type RefParams } from './reference';

/**
 * Parameter recovery on data simulated from known HMMs. Tolerances are sampling errors computed
 * from the true state counts: 5 standard errors for means, variances (var x sqrt(2 / n)) and
 * transition probabilities (sqrt(a (1 - a) / n_i)). The true states are numbered by ascending
 * variance, the fitted model's rule, so labels compare directly.
 */
function checkRecovery(truth: RefParams, fitted: GaussianHmmParams, z: readonly number[]): void {
  const K = truth.startProb.length;
  const D = truth.means[0]!.length;
  const n = new Array<number>(K).fill(0);
  const from = new Array<number>(K).fill(0);
  for (let t = 0; t < z.length; t++) {
    n[z[t]!]!++;
    if (t < z.length - 1) from[z[t]!]!++;
  }
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < D; j++) {
      const variance = truth.variances[k]![j]!;
      expect(Math.abs(fitted.means[k]![j]! - truth.means[k]![j]!)).toBeLessThan(5 * Math.sqrt(variance / n[k]!));
      expect(Math.abs(fitted.variances[k]![j]! - variance)).toBeLessThan(5 * variance * Math.sqrt(2 / n[k]!));
    }
    for (let j = 0; j < K; j++) {
      const a = truth.transition[k]![j]!;
      expect(Math.abs(fitted.transition[k]![j]! - a)).toBeLessThan(5 * Math.sqrt((a * (1 - a)) / from[k]!) + 1e-3);
    }
  }
}

describe('recovery of known HMMs', () => {
  it('2 states, 5,000 points: parameters within sampling error, Viterbi accuracy > 90%', () => {
    const truth: RefParams = {
      startProb: [0.5, 0.5],
      transition: [
        [0.97, 0.03],
        [0.06, 0.94],
      ],
      means: [[0.8], [-0.6]],
      variances: [[0.4], [2.5]],
    };
    const { x, z } = simulate(truth, 5000, 101);
    const hmm = new GaussianHMM({ states: 2, seed: 1, restarts: 4 });
    const report = hmm.fit(x);
    expect(report.converged).toBe(true);
    checkRecovery(truth, hmm.params, z);
    expect(accuracy(hmm.viterbi(x), z)).toBeGreaterThan(0.9);
  });

  it('3 states, 6,000 points: parameters within sampling error, Viterbi accuracy > 90%', () => {
    const truth: RefParams = {
      startProb: [1 / 3, 1 / 3, 1 / 3],
      transition: [
        [0.95, 0.03, 0.02],
        [0.04, 0.92, 0.04],
        [0.02, 0.05, 0.93],
      ],
      means: [[-2], [0.5], [3]],
      variances: [[0.3], [0.6], [1.2]],
    };
    const { x, z } = simulate(truth, 6000, 202);
    const hmm = new GaussianHMM({ states: 3, seed: 2, restarts: 4 });
    hmm.fit(x);
    checkRecovery(truth, hmm.params, z);
    expect(accuracy(hmm.viterbi(x), z)).toBeGreaterThan(0.9);
  });

  it('2 states, 2 features, full covariances: covariance matrices within sampling error', () => {
    const truth: RefParams = {
      startProb: [0.5, 0.5],
      transition: [
        [0.96, 0.04],
        [0.05, 0.95],
      ],
      means: [
        [0, 0.5],
        [1.5, -1],
      ],
      variances: [
        [0.5, 1],
        [2, 1.5],
      ],
      covariances: [
        [
          [0.5, 0.35],
          [0.35, 1],
        ],
        [
          [2, -0.9],
          [-0.9, 1.5],
        ],
      ],
    };
    const { x, z } = simulate(truth, 4000, 303);
    const hmm = new GaussianHMM({ states: 2, covariance: 'full', seed: 3, restarts: 2 });
    hmm.fit(x);
    const fitted = hmm.params;
    checkRecovery(truth, fitted, z);
    const n = [0, 0];
    for (const s of z) n[s]!++;
    for (let k = 0; k < 2; k++) {
      const S = truth.covariances![k]!;
      // Standard error of a sample covariance: sqrt((s_ij^2 + s_ii s_jj) / n).
      const se = Math.sqrt((S[0]![1]! ** 2 + S[0]![0]! * S[1]![1]!) / n[k]!);
      expect(Math.abs(fitted.covariances![k]![0]![1]! - S[0]![1]!)).toBeLessThan(5 * se);
    }
    expect(accuracy(hmm.viterbi(x), z)).toBeGreaterThan(0.9);
  });
});
