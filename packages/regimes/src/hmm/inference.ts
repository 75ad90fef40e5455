import type { Observations } from '../observations';
import type { ModelArrays } from './model-arrays';

/*
 * Scaled forward-backward and log-space Viterbi (internal).
 *
 * Underflow: densities are handled as logs and rescaled per time step by their largest value
 * (b = exp(log N - max)), and the forward probabilities are renormalised every step, so a series
 * of any length stays in range; the log-likelihood is the sum of the per-step log scales.
 * Backward quantities are renormalised every step too, and the posteriors (gamma, xi) are
 * normalised explicitly, so nothing depends on products of many scale factors.
 */

/** exp() argument cap of the fallback step: keeps scaled densities finite. */
const MAX_EXP = 700;

/** `prior[j] = sum_i p[pOffset + i] transition[i][j]`. */
export function predictInto(p: Float64Array, pOffset: number, transition: Float64Array, K: number, prior: Float64Array): void {
  for (let j = 0; j < K; j++) prior[j] = 0;
  for (let i = 0; i < K; i++) {
    const pi = p[pOffset + i]!;
    if (pi === 0) continue;
    const row = i * K;
    for (let j = 0; j < K; j++) prior[j]! += pi * transition[row + j]!;
  }
}

/**
 * One forward step: from the predicted state distribution `prior` and the log densities of the
 * observation at `b[bOffset..]`, writes the filtered distribution to `alpha[aOffset..]`
 * (sums to 1) and overwrites `b` with the scaled densities used (for the backward pass).
 * Returns the log of the observation's predictive density, log p(x_t | x_1..x_t-1).
 *
 * When every prior-weighted scaled density underflows (the prior puts its weight on states
 * where the observation is astronomically unlikely), the step is redone with the scale taken
 * over the prior-weighted log densities. An observation no state can have produced (every log
 * density -Infinity) carries no information: the filtered distribution is the prior.
 */
export function forwardStep(
  prior: Float64Array,
  b: Float64Array,
  bOffset: number,
  K: number,
  alpha: Float64Array,
  aOffset: number,
): number {
  let s = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < K; k++) {
    const v = b[bOffset + k]!;
    if (v > s) s = v;
  }
  if (s === Number.NEGATIVE_INFINITY) {
    for (let k = 0; k < K; k++) {
      b[bOffset + k] = 1;
      alpha[aOffset + k] = prior[k]!;
    }
    return Number.NEGATIVE_INFINITY;
  }
  let c = 0;
  for (let k = 0; k < K; k++) {
    const v = Math.exp(b[bOffset + k]! - s);
    alpha[aOffset + k] = v;
    c += prior[k]! * v;
  }
  if (c > 0) {
    const inv = 1 / c;
    for (let k = 0; k < K; k++) {
      const v = alpha[aOffset + k]!;
      b[bOffset + k] = v;
      alpha[aOffset + k] = prior[k]! * v * inv;
    }
    return s + Math.log(c);
  }
  return forwardStepFallback(prior, b, bOffset, K, alpha, aOffset);
}

/**
 * The rare branch of {@link forwardStep}, kept apart so the common path stays small: scales by
 * the largest prior-weighted log density instead of the largest log density.
 */
function forwardStepFallback(prior: Float64Array, b: Float64Array, bOffset: number, K: number, alpha: Float64Array, aOffset: number): number {
  let s2 = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < K; k++) {
    const p = prior[k]!;
    if (p > 0) {
      const v = Math.log(p) + b[bOffset + k]!;
      if (v > s2) s2 = v;
    }
  }
  let c = 0;
  for (let k = 0; k < K; k++) {
    const v = Math.exp(Math.min(b[bOffset + k]! - s2, MAX_EXP));
    b[bOffset + k] = v;
    alpha[aOffset + k] = prior[k]! * v;
    c += alpha[aOffset + k]!;
  }
  const inv = 1 / c;
  for (let k = 0; k < K; k++) alpha[aOffset + k]! *= inv;
  return s2 + Math.log(c);
}

/** Log densities of every observation: `logB[t * K + k]`. */
export function emissionLogDensities(model: ModelArrays, obs: Observations, logB: Float64Array): void {
  const K = model.states;
  const D = obs.dims;
  for (let t = 0; t < obs.rows; t++) model.logDensities(obs.data, t * D, logB, t * K);
}

/**
 * Forward pass over `rows` steps whose log densities are in `b` (overwritten with the scaled
 * densities): filtered probabilities into `alpha` (T x K). `prior` is a scratch of length K.
 * Returns the total log-likelihood.
 */
export function forwardPass(model: ModelArrays, b: Float64Array, rows: number, alpha: Float64Array, prior: Float64Array): number {
  const K = model.states;
  prior.set(model.startProb);
  let logLikelihood = forwardStep(prior, b, 0, K, alpha, 0);
  for (let t = 1; t < rows; t++) {
    predictInto(alpha, (t - 1) * K, model.transition, K, prior);
    logLikelihood += forwardStep(prior, b, t * K, K, alpha, t * K);
  }
  return logLikelihood;
}

/** Scratch buffers of {@link backwardPass}, each of length K. */
export interface BackwardScratch {
  readonly beta: Float64Array;
  readonly next: Float64Array;
  readonly v: Float64Array;
}

/** Allocates the scratch of {@link backwardPass} for K states. */
export function backwardScratch(K: number): BackwardScratch {
  return { beta: new Float64Array(K), next: new Float64Array(K), v: new Float64Array(K) };
}

/**
 * Backward pass after {@link forwardPass}: turns the filtered probabilities in `alphaGamma`
 * into smoothed ones, P(state_t | x_1..x_T), in place, using the scaled densities `b` the
 * forward pass left. When `xiSum` is given, adds the expected transition counts
 * sum_t P(s_t = i, s_t+1 = j | x) to it (K x K).
 */
export function backwardPass(
  model: ModelArrays,
  b: Float64Array,
  rows: number,
  alphaGamma: Float64Array,
  scratch: BackwardScratch,
  xiSum: Float64Array | null,
): void {
  const K = model.states;
  const A = model.transition;
  const v = scratch.v;
  let beta = scratch.beta;
  let next = scratch.next;
  beta.fill(1 / K);
  for (let t = rows - 2; t >= 0; t--) {
    const b1 = (t + 1) * K;
    for (let j = 0; j < K; j++) v[j] = b[b1 + j]! * beta[j]!;
    const a0 = t * K;
    let total = 0;
    for (let i = 0; i < K; i++) {
      const row = i * K;
      let s = 0;
      for (let j = 0; j < K; j++) s += A[row + j]! * v[j]!;
      next[i] = s;
      total += alphaGamma[a0 + i]! * s;
    }
    if (xiSum !== null && total > 0) {
      const inv = 1 / total;
      for (let i = 0; i < K; i++) {
        const ai = alphaGamma[a0 + i]! * inv;
        if (ai === 0) continue;
        const row = i * K;
        for (let j = 0; j < K; j++) xiSum[row + j]! += ai * A[row + j]! * v[j]!;
      }
    }
    // gamma_t = alpha_t * beta_t, normalised (total is its normaliser); alpha kept if it vanished.
    if (total > 0) {
      const inv = 1 / total;
      for (let i = 0; i < K; i++) alphaGamma[a0 + i] = alphaGamma[a0 + i]! * next[i]! * inv;
    }
    let sum = 0;
    for (let i = 0; i < K; i++) sum += next[i]!;
    if (sum > 0 && sum < Number.POSITIVE_INFINITY) {
      const inv = 1 / sum;
      for (let i = 0; i < K; i++) next[i]! *= inv;
    } else {
      next.fill(1 / K);
    }
    const swap = beta;
    beta = next;
    next = swap;
  }
}

/**
 * Most likely state path (Viterbi) from the log densities `logB` (T x K), in log space.
 * Ties go to the lower state index.
 */
export function viterbiPath(model: ModelArrays, logB: Float64Array, rows: number): { path: Int32Array; logProbability: number } {
  const K = model.states;
  const logA = new Float64Array(K * K);
  for (let i = 0; i < K * K; i++) logA[i] = Math.log(model.transition[i]!);
  let delta = new Float64Array(K);
  let next = new Float64Array(K);
  const back = new Int32Array(rows * K);
  for (let k = 0; k < K; k++) delta[k] = Math.log(model.startProb[k]!) + logB[k]!;
  for (let t = 1; t < rows; t++) {
    const base = t * K;
    for (let j = 0; j < K; j++) {
      let best = Number.NEGATIVE_INFINITY;
      let arg = 0;
      for (let i = 0; i < K; i++) {
        const v = delta[i]! + logA[i * K + j]!;
        if (v > best) {
          best = v;
          arg = i;
        }
      }
      next[j] = best + logB[base + j]!;
      back[base + j] = arg;
    }
    const swap = delta;
    delta = next;
    next = swap;
  }
  let last = 0;
  for (let k = 1; k < K; k++) if (delta[k]! > delta[last]!) last = k;
  const path = new Int32Array(rows);
  path[rows - 1] = last;
  for (let t = rows - 1; t > 0; t--) path[t - 1] = back[t * K + path[t]!]!;
  return { path, logProbability: delta[last]! };
}
