import type { SeededRandom } from '@algo-trading/core';
import { featureMoments, type Observations } from '../observations';
import { cholesky } from './linalg';
import { backwardPass, backwardScratch, emissionLogDensities, forwardPass, type BackwardScratch } from './inference';
import type { CovarianceType, ModelArrays } from './model-arrays';

/*
 * Baum-Welch (EM) for a Gaussian HMM on one sequence (internal): initialisation, the M-step with
 * the variance floor, and the iteration loop of one restart.
 */

/** How a restart chose its starting point. */
export type InitMethod = 'kmeans' | 'dispersion';

/** States whose posterior weight is below this are left as they were by the M-step. */
export const EMPTY_STATE_WEIGHT = 1e-10;

/** Buffers of one fit, sized for the series and reused by every iteration and restart. */
export interface EmWorkspace {
  /** T x K log densities, then scaled densities. */
  readonly b: Float64Array;
  /** T x K filtered, then smoothed probabilities. */
  readonly gamma: Float64Array;
  readonly prior: Float64Array;
  readonly xiSum: Float64Array;
  readonly backward: BackwardScratch;
  readonly chol: Float64Array;
  /** D weighted sums of the M-step. */
  readonly sum: Float64Array;
}

/** Allocates an {@link EmWorkspace}. */
export function emWorkspace(rows: number, states: number, dims: number): EmWorkspace {
  return {
    b: new Float64Array(rows * states),
    gamma: new Float64Array(rows * states),
    prior: new Float64Array(states),
    xiSum: new Float64Array(states * states),
    backward: backwardScratch(states),
    chol: new Float64Array(dims * dims),
    sum: new Float64Array(dims),
  };
}

/**
 * Enforces the variance floor on one `D x D` covariance at `cov[offset..]`: diagonal entries
 * below the floor are raised to it; if the matrix is then still (nearly) singular (a Cholesky
 * pivot below the smallest floor), the floor is added to the diagonal, doubling until it is not.
 * Returns how many corrections were made.
 */
export function regulariseFull(cov: Float64Array, offset: number, D: number, floor: Float64Array, chol: Float64Array): number {
  let hits = 0;
  let minFloor = Number.POSITIVE_INFINITY;
  for (let j = 0; j < D; j++) {
    const f = floor[j]!;
    if (f < minFloor) minFloor = f;
    if (!(cov[offset + j * D + j]! >= f)) {
      cov[offset + j * D + j] = f;
      hits++;
    }
  }
  let scale = 1;
  for (let attempt = 0; attempt < 64 && !(cholesky(cov, offset, D, chol, 0) >= minFloor); attempt++) {
    for (let j = 0; j < D; j++) cov[offset + j * D + j]! += floor[j]! * scale;
    scale *= 2;
    hits++;
  }
  return hits;
}

/** Weighted mean and covariance of the rows labelled `k` into state k; false if too few rows. */
function stateFromLabels(model: ModelArrays, obs: Observations, labels: Int32Array, k: number): boolean {
  const { data, rows, dims: D } = obs;
  let n = 0;
  const mean = new Float64Array(D);
  for (let t = 0; t < rows; t++) {
    if (labels[t] !== k) continue;
    n++;
    for (let j = 0; j < D; j++) mean[j]! += data[t * D + j]!;
  }
  if (n === 0) return false;
  for (let j = 0; j < D; j++) mean[j]! /= n;
  model.means.set(mean, k * D);
  if (n < (model.covariance === 'diag' ? 2 : D + 1)) return false;
  const full = model.covariance === 'full';
  const block = full ? D * D : D;
  const cov = new Float64Array(block);
  for (let t = 0; t < rows; t++) {
    if (labels[t] !== k) continue;
    for (let i = 0; i < D; i++) {
      const di = data[t * D + i]! - mean[i]!;
      if (!full) cov[i]! += di * di;
      else for (let j = 0; j <= i; j++) cov[i * D + j]! += di * (data[t * D + j]! - mean[j]!);
    }
  }
  for (let i = 0; i < block; i++) cov[i]! /= n;
  if (full) for (let i = 0; i < D; i++) for (let j = 0; j < i; j++) cov[j * D + i] = cov[i * D + j]!;
  model.covars.set(cov, k * block);
  return true;
}

/** Overall covariance of the observations (population). */
function globalCovariance(obs: Observations, covariance: CovarianceType): Float64Array {
  const { data, rows, dims: D } = obs;
  const { mean, variance } = featureMoments(obs);
  if (covariance === 'diag') return variance;
  const cov = new Float64Array(D * D);
  for (let t = 0; t < rows; t++) {
    for (let i = 0; i < D; i++) {
      const di = data[t * D + i]! - mean[i]!;
      for (let j = 0; j <= i; j++) cov[i * D + j]! += di * (data[t * D + j]! - mean[j]!);
    }
  }
  for (let i = 0; i < D; i++) {
    for (let j = 0; j <= i; j++) {
      cov[i * D + j]! /= rows;
      cov[j * D + i] = cov[i * D + j]!;
    }
  }
  return cov;
}

/**
 * Sets the model from a hard labelling of the rows: per-label means and covariances (the overall
 * covariance for a label with too few rows, the overall mean plus a random row's offset for an
 * empty one), uniform start probabilities (as hmmlearn) and transitions from the label sequence
 * with one pseudo-count per cell.
 */
function modelFromLabels(model: ModelArrays, obs: Observations, labels: Int32Array, floor: Float64Array, rng: SeededRandom, chol: Float64Array): void {
  const K = model.states;
  const D = obs.dims;
  const full = model.covariance === 'full';
  const block = full ? D * D : D;
  const global = globalCovariance(obs, model.covariance);
  for (let k = 0; k < K; k++) {
    if (!stateFromLabels(model, obs, labels, k)) {
      let hasRows = false;
      for (let t = 0; t < obs.rows && !hasRows; t++) hasRows = labels[t] === k;
      if (!hasRows) {
        const r = rng.nextInt(obs.rows);
        model.means.set(obs.data.subarray(r * D, r * D + D), k * D);
      }
      model.covars.set(global, k * block);
    }
    if (full) regulariseFull(model.covars, k * block, D, floor, chol);
    else for (let j = 0; j < D; j++) model.covars[k * D + j] = Math.max(model.covars[k * D + j]!, floor[j]!);
  }
  model.startProb.fill(1 / K);
  const counts = new Float64Array(K * K).fill(1);
  for (let t = 1; t < obs.rows; t++) counts[labels[t - 1]! * K + labels[t]!]! += 1;
  for (let i = 0; i < K; i++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += counts[i * K + j]!;
    for (let j = 0; j < K; j++) model.transition[i * K + j] = counts[i * K + j]! / s;
  }
  model.prepare();
}

/**
 * k-means++ seeding and Lloyd iterations on the features scaled by their overall standard
 * deviation; returns the labels.
 */
function kmeansLabels(obs: Observations, K: number, rng: SeededRandom): Int32Array {
  const { data, rows, dims: D } = obs;
  const { variance } = featureMoments(obs);
  const scale = new Float64Array(D);
  for (let j = 0; j < D; j++) scale[j] = variance[j]! > 0 ? 1 / variance[j]! : 1;
  const dist = (t: number, centers: Float64Array, c: number): number => {
    let s = 0;
    for (let j = 0; j < D; j++) {
      const d = data[t * D + j]! - centers[c * D + j]!;
      s += d * d * scale[j]!;
    }
    return s;
  };
  const centers = new Float64Array(K * D);
  const first = rng.nextInt(rows);
  centers.set(data.subarray(first * D, first * D + D), 0);
  const nearest = new Float64Array(rows).fill(Number.POSITIVE_INFINITY);
  for (let c = 1; c < K; c++) {
    let total = 0;
    for (let t = 0; t < rows; t++) {
      const d = dist(t, centers, c - 1);
      if (d < nearest[t]!) nearest[t] = d;
      total += nearest[t]!;
    }
    let pick = rng.nextInt(rows);
    if (total > 0) {
      let target = rng.next() * total;
      for (let t = 0; t < rows; t++) {
        target -= nearest[t]!;
        if (target <= 0 && nearest[t]! > 0) {
          pick = t;
          break;
        }
      }
    }
    centers.set(data.subarray(pick * D, pick * D + D), c * D);
  }
  const labels = new Int32Array(rows);
  const sums = new Float64Array(K * D);
  const counts = new Int32Array(K);
  for (let iteration = 0; iteration < 25; iteration++) {
    let changed = 0;
    for (let t = 0; t < rows; t++) {
      let best = 0;
      let bestDist = dist(t, centers, 0);
      for (let c = 1; c < K; c++) {
        const d = dist(t, centers, c);
        if (d < bestDist) {
          bestDist = d;
          best = c;
        }
      }
      if (labels[t] !== best || iteration === 0) changed++;
      labels[t] = best;
    }
    if (changed === 0) break;
    sums.fill(0);
    counts.fill(0);
    for (let t = 0; t < rows; t++) {
      const c = labels[t]!;
      counts[c]!++;
      for (let j = 0; j < D; j++) sums[c * D + j]! += data[t * D + j]!;
    }
    for (let c = 0; c < K; c++) {
      if (counts[c] === 0) continue;
      for (let j = 0; j < D; j++) centers[c * D + j] = sums[c * D + j]! / counts[c]!;
    }
  }
  return labels;
}

/**
 * Labels by dispersion: rows ranked by their standardised squared distance from the overall mean
 * and cut into K groups at jittered quantiles, so that the states start apart in volatility
 * (the typical structure of return series, which k-means on the values does not see).
 */
function dispersionLabels(obs: Observations, K: number, rng: SeededRandom): Int32Array {
  const { data, rows, dims: D } = obs;
  const { mean, variance } = featureMoments(obs);
  const distance = new Float64Array(rows);
  for (let t = 0; t < rows; t++) {
    let s = 0;
    for (let j = 0; j < D; j++) {
      const d = data[t * D + j]! - mean[j]!;
      s += variance[j]! > 0 ? (d * d) / variance[j]! : 0;
    }
    distance[t] = s;
  }
  const sorted = Float64Array.from(distance).sort();
  const cuts = new Float64Array(K - 1);
  for (let k = 1; k < K; k++) {
    const q = (k + (rng.next() - 0.5) * 0.5) / K;
    cuts[k - 1] = sorted[Math.min(rows - 1, Math.max(0, Math.floor(q * rows)))]!;
  }
  cuts.sort();
  const labels = new Int32Array(rows);
  for (let t = 0; t < rows; t++) {
    let k = 0;
    while (k < K - 1 && distance[t]! > cuts[k]!) k++;
    labels[t] = k;
  }
  return labels;
}

/** Initialises `model` for restart number `restart`: even restarts k-means, odd ones dispersion. */
export function initialise(model: ModelArrays, obs: Observations, restart: number, floor: Float64Array, rng: SeededRandom, work: EmWorkspace): InitMethod {
  const method: InitMethod = restart % 2 === 0 ? 'kmeans' : 'dispersion';
  const labels = method === 'kmeans' ? kmeansLabels(obs, model.states, rng) : dispersionLabels(obs, model.states, rng);
  modelFromLabels(model, obs, labels, floor, rng, work.chol);
  return method;
}

/** What one M-step had to correct. */
interface MStepOutcome {
  floorHits: number;
  emptyStates: number;
}

/**
 * Re-estimates the parameters from the posteriors in `work` (smoothed probabilities and summed
 * transition posteriors): start probabilities = gamma at t = 0, transitions = normalised
 * expected counts, means and covariances = posterior-weighted moments, floored. A state with
 * (almost) no posterior weight keeps its emission parameters; a transition row with none keeps
 * its row.
 */
function mStep(model: ModelArrays, obs: Observations, work: EmWorkspace, floor: Float64Array): MStepOutcome {
  const { states: K, dims: D } = model;
  const { data, rows } = obs;
  const gamma = work.gamma;
  const full = model.covariance === 'full';
  const block = full ? D * D : D;
  let floorHits = 0;
  let emptyStates = 0;
  const sum = work.sum;

  let s0 = 0;
  for (let k = 0; k < K; k++) s0 += gamma[k]!;
  for (let k = 0; k < K; k++) model.startProb[k] = gamma[k]! / s0;

  const xi = work.xiSum;
  for (let i = 0; i < K; i++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += xi[i * K + j]!;
    if (s > 0) for (let j = 0; j < K; j++) model.transition[i * K + j] = xi[i * K + j]! / s;
  }

  for (let k = 0; k < K; k++) {
    sum.fill(0);
    let weight = 0;
    for (let t = 0; t < rows; t++) {
      const g = gamma[t * K + k]!;
      if (g === 0) continue;
      weight += g;
      for (let j = 0; j < D; j++) sum[j]! += g * data[t * D + j]!;
    }
    if (!(weight > EMPTY_STATE_WEIGHT)) {
      emptyStates++;
      continue;
    }
    const inv = 1 / weight;
    const mBase = k * D;
    for (let j = 0; j < D; j++) model.means[mBase + j] = sum[j]! * inv;
    const cBase = k * block;
    for (let i = 0; i < block; i++) model.covars[cBase + i] = 0;
    for (let t = 0; t < rows; t++) {
      const g = gamma[t * K + k]!;
      if (g === 0) continue;
      const x = t * D;
      if (!full) {
        for (let j = 0; j < D; j++) {
          const d = data[x + j]! - model.means[mBase + j]!;
          model.covars[cBase + j]! += g * d * d;
        }
      } else {
        for (let i = 0; i < D; i++) {
          const di = g * (data[x + i]! - model.means[mBase + i]!);
          for (let j = 0; j <= i; j++) model.covars[cBase + i * D + j]! += di * (data[x + j]! - model.means[mBase + j]!);
        }
      }
    }
    if (!full) {
      for (let j = 0; j < D; j++) {
        const v = model.covars[cBase + j]! * inv;
        if (v < floor[j]!) {
          model.covars[cBase + j] = floor[j]!;
          floorHits++;
        } else {
          model.covars[cBase + j] = v;
        }
      }
    } else {
      for (let i = 0; i < D; i++) {
        for (let j = 0; j <= i; j++) {
          const v = model.covars[cBase + i * D + j]! * inv;
          model.covars[cBase + i * D + j] = v;
          model.covars[cBase + j * D + i] = v;
        }
      }
      floorHits += regulariseFull(model.covars, cBase, D, floor, work.chol);
    }
  }
  model.prepare();
  return { floorHits, emptyStates };
}

/** Result of one EM run. */
export interface EmRun {
  readonly logLikelihoodTrace: Float64Array;
  readonly converged: boolean;
  readonly floorHits: number;
  readonly emptyStates: number;
  /** False when an update lowered the log-likelihood beyond rounding. */
  readonly monotonic: boolean;
}

/** Relative size of a log-likelihood drop still counted as rounding. */
const ROUNDING = 1e-10;

/** Log-likelihood of `model` on `obs`, leaving filtered probabilities and scaled densities in `work`. */
export function evaluate(model: ModelArrays, obs: Observations, work: EmWorkspace): number {
  emissionLogDensities(model, obs, work.b);
  return forwardPass(model, work.b, obs.rows, work.gamma, work.prior);
}

/**
 * Runs EM from the current parameters of `model` until the log-likelihood gain of an update
 * falls below `tolerance` or `maxIterations` updates were made. The model ends with the last
 * evaluated parameters: `logLikelihoodTrace[i]` is the log-likelihood after i updates.
 */
export function runEm(model: ModelArrays, obs: Observations, work: EmWorkspace, floor: Float64Array, maxIterations: number, tolerance: number): EmRun {
  const trace = new Float64Array(maxIterations + 1);
  let ll = evaluate(model, obs, work);
  trace[0] = ll;
  let n = 0;
  let converged = false;
  let floorHits = 0;
  let emptyStates = 0;
  let monotonic = true;
  while (n < maxIterations) {
    work.xiSum.fill(0);
    backwardPass(model, work.b, obs.rows, work.gamma, work.backward, work.xiSum);
    const outcome = mStep(model, obs, work, floor);
    floorHits += outcome.floorHits;
    emptyStates += outcome.emptyStates;
    const next = evaluate(model, obs, work);
    n++;
    trace[n] = next;
    const gain = next - ll;
    if (gain < -ROUNDING * Math.max(1, Math.abs(ll))) monotonic = false;
    ll = next;
    if (gain < tolerance) {
      converged = true;
      break;
    }
  }
  return { logLikelihoodTrace: trace.slice(0, n + 1), converged, floorHits, emptyStates, monotonic };
}
