import { AlgoTradingError, describeValue } from '@algo-trading/core';
import { cholesky } from './linalg';
import { ModelArrays, type CovarianceType } from './model-arrays';

/**
 * The parameters of a {@link GaussianHMM}, in hmmlearn's conventions (`startprob_`, `transmat_`,
 * `means_`, `covars_`), as plain arrays:
 *
 * - `startProb[k]`: P(first state = k), sums to 1;
 * - `transition[i][j]`: P(state j at t + 1 | state i at t), each row sums to 1;
 * - `means[k][j]`: mean of feature j in state k (K x D);
 * - `variances[k][j]`: variance of feature j in state k (K x D); for a full-covariance model the
 *   diagonals of `covariances`;
 * - `covariances[k]`: the D x D covariance matrix of state k (full-covariance models only).
 */
export interface GaussianHmmParams {
  readonly startProb: readonly number[];
  readonly transition: readonly (readonly number[])[];
  readonly means: readonly (readonly number[])[];
  readonly variances: readonly (readonly number[])[];
  readonly covariances?: readonly (readonly (readonly number[])[])[] | undefined;
}

/** Rule that numbers the states after a fit, so that labels mean the same thing from fit to fit. */
export type StateOrder = 'variance' | 'mean';

/** Largest deviation from 1 accepted for a probability vector's sum (it is then renormalised). */
export const PROBABILITY_SUM_TOLERANCE = 1e-6;

function invalid(field: string, expectation: string, value: unknown): never {
  throw new AlgoTradingError('INVALID_ARGUMENT', `params.${field} must be ${expectation}, got ${describeValue(value)}`, {
    details: { field: `params.${field}`, value },
  });
}

function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

function readVector(field: string, value: unknown, length: number, check: (x: number) => boolean, expectation: string): Float64Array {
  if (!isArray(value) || value.length !== length) invalid(field, `an array of ${length} numbers`, value);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const x = value[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || !check(x)) invalid(`${field}[${i}]`, expectation, x);
    out[i] = x;
  }
  return out;
}

function readProbabilities(field: string, value: unknown, length: number): Float64Array {
  const p = readVector(field, value, length, (x) => x >= 0 && x <= 1, 'a probability in [0, 1]');
  let sum = 0;
  for (let i = 0; i < length; i++) sum += p[i]!;
  if (!(Math.abs(sum - 1) <= PROBABILITY_SUM_TOLERANCE)) invalid(field, 'probabilities summing to 1', value);
  // Rounding-level deviations are kept as given, so saved parameters load back bit for bit.
  if (Math.abs(sum - 1) > 1e-12) for (let i = 0; i < length; i++) p[i]! /= sum;
  return p;
}

/**
 * Validates `params` for a model of `states` states and `covariance` structure and returns them as
 * {@link ModelArrays} (a probability row off 1 by more than rounding, up to 1e-6, is renormalised).
 *
 * @throws AlgoTradingError `INVALID_ARGUMENT` naming the field and value at fault.
 */
export function modelFromParams(params: GaussianHmmParams, states: number, covariance: CovarianceType): ModelArrays {
  if (typeof params !== 'object' || params === null) invalid('', 'an object', params);
  if (!isArray(params.means) || params.means.length !== states) invalid('means', `an array of ${states} rows (one per state)`, params.means);
  const first = params.means[0];
  if (!isArray(first) || first.length < 1) invalid('means[0]', 'a non-empty array (one mean per feature)', first);
  const D = first.length;
  const model = new ModelArrays(states, D, covariance);
  model.startProb.set(readProbabilities('startProb', params.startProb, states));
  if (!isArray(params.transition) || params.transition.length !== states) {
    invalid('transition', `a ${states} x ${states} matrix`, params.transition);
  }
  for (let i = 0; i < states; i++) {
    model.transition.set(readProbabilities(`transition[${i}]`, params.transition[i], states), i * states);
  }
  for (let k = 0; k < states; k++) {
    model.means.set(readVector(`means[${k}]`, params.means[k], D, () => true, 'a finite number'), k * D);
  }
  if (covariance === 'diag') {
    if (!isArray(params.variances) || params.variances.length !== states) {
      invalid('variances', `an array of ${states} rows (one per state)`, params.variances);
    }
    for (let k = 0; k < states; k++) {
      model.covars.set(readVector(`variances[${k}]`, params.variances[k], D, (x) => x > 0, 'a finite variance > 0'), k * D);
    }
  } else {
    const covs = params.covariances;
    if (!isArray(covs) || covs.length !== states) invalid('covariances', `an array of ${states} matrices of ${D} x ${D}`, covs);
    for (let k = 0; k < states; k++) {
      const matrix = covs[k];
      if (!isArray(matrix) || matrix.length !== D) invalid(`covariances[${k}]`, `a ${D} x ${D} matrix`, matrix);
      for (let i = 0; i < D; i++) {
        model.covars.set(readVector(`covariances[${k}][${i}]`, matrix[i], D, () => true, 'a finite number'), k * D * D + i * D);
      }
      const base = k * D * D;
      for (let i = 0; i < D; i++) {
        for (let j = 0; j < i; j++) {
          const a = model.covars[base + i * D + j]!;
          const b = model.covars[base + j * D + i]!;
          if (Math.abs(a - b) > 1e-12 * Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE)) {
            invalid(`covariances[${k}]`, `a symmetric matrix ([${i}][${j}] = ${a} but [${j}][${i}] = ${b})`, matrix);
          }
        }
      }
      if (!(cholesky(model.covars, base, D, new Float64Array(D * D), 0) > 0)) {
        invalid(`covariances[${k}]`, 'a positive-definite matrix', matrix);
      }
    }
    if (params.variances !== undefined) {
      for (let k = 0; k < states; k++) {
        for (let j = 0; j < D; j++) {
          const given = (params.variances[k] as readonly number[] | undefined)?.[j];
          if (given !== model.variance(k, j)) {
            invalid(`variances[${k}][${j}]`, `the diagonal of covariances[${k}] (${model.variance(k, j)}) or left out`, given);
          }
        }
      }
    }
  }
  model.prepare();
  return model;
}

/** The parameters of `model` as fresh plain arrays. */
export function paramsOf(model: ModelArrays): GaussianHmmParams {
  const { states: K, dims: D } = model;
  const rows = (source: Float64Array, n: number, width: number): number[][] =>
    Array.from({ length: n }, (_, i) => Array.from(source.subarray(i * width, i * width + width)));
  const variances = Array.from({ length: K }, (_, k) => Array.from({ length: D }, (_, j) => model.variance(k, j)));
  const base = {
    startProb: Array.from(model.startProb),
    transition: rows(model.transition, K, K),
    means: rows(model.means, K, D),
    variances,
  };
  if (model.covariance === 'diag') return base;
  return { ...base, covariances: Array.from({ length: K }, (_, k) => rows(model.covars.subarray(k * D * D, (k + 1) * D * D), D, D)) };
}

/**
 * The permutation that numbers the states by `order` on feature `feature`: `variance` sorts by
 * ascending variance (state 0 the calmest), ties by ascending mean; `mean` by ascending mean,
 * ties by ascending variance. Remaining ties keep the fitted order. `result[s]` is the fitted
 * state that becomes state s.
 */
export function stateOrder(model: ModelArrays, order: StateOrder, feature: number): Int32Array {
  const K = model.states;
  const D = model.dims;
  const idx = Array.from({ length: K }, (_, k) => k);
  const mean = (k: number) => model.means[k * D + feature]!;
  const variance = (k: number) => model.variance(k, feature);
  const primary = order === 'variance' ? variance : mean;
  const secondary = order === 'variance' ? mean : variance;
  idx.sort((a, b) => primary(a) - primary(b) || secondary(a) - secondary(b) || a - b);
  return Int32Array.from(idx);
}
