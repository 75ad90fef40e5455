import { cholesky, logDetFromCholesky, mahalanobisSquared } from './linalg';

/** Covariance structure of the Gaussian states. */
export type CovarianceType = 'diag' | 'full';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * The parameters of a Gaussian HMM in flat `Float64Array`s, plus what the densities need
 * precomputed (internal). `covars` is `K x D` variances for `diag`, `K x D x D` matrices for `full`.
 * Call {@link prepare} after changing means or covariances.
 */
export class ModelArrays {
  readonly states: number;
  readonly dims: number;
  readonly covariance: CovarianceType;
  readonly startProb: Float64Array;
  /** Row-major K x K, row i = P(next state | state i). */
  readonly transition: Float64Array;
  readonly means: Float64Array;
  readonly covars: Float64Array;
  /** diag: 1 / variance per state and feature. */
  private readonly invVar: Float64Array;
  /** full: lower Cholesky factor per state. */
  private readonly chol: Float64Array;
  /** -0.5 (D log 2 pi + log det) per state. */
  private readonly logNorm: Float64Array;
  private readonly scratch: Float64Array;

  constructor(states: number, dims: number, covariance: CovarianceType) {
    this.states = states;
    this.dims = dims;
    this.covariance = covariance;
    this.startProb = new Float64Array(states);
    this.transition = new Float64Array(states * states);
    this.means = new Float64Array(states * dims);
    const block = covariance === 'diag' ? dims : dims * dims;
    this.covars = new Float64Array(states * block);
    this.invVar = new Float64Array(covariance === 'diag' ? states * dims : 0);
    this.chol = new Float64Array(covariance === 'full' ? states * dims * dims : 0);
    this.logNorm = new Float64Array(states);
    this.scratch = new Float64Array(dims);
  }

  /** A deep copy. */
  clone(): ModelArrays {
    const copy = new ModelArrays(this.states, this.dims, this.covariance);
    copy.copyFrom(this);
    return copy;
  }

  /** Copies every parameter of `other` (same shape) and re-prepares. */
  copyFrom(other: ModelArrays): void {
    this.startProb.set(other.startProb);
    this.transition.set(other.transition);
    this.means.set(other.means);
    this.covars.set(other.covars);
    this.prepare();
  }

  /**
   * Recomputes the density constants from the covariances. Returns false when a full covariance
   * is not positive definite (the caller regularises it first, so this signals a bug).
   */
  prepare(): boolean {
    const { states: K, dims: D } = this;
    if (this.covariance === 'diag') {
      for (let k = 0; k < K; k++) {
        let logDet = 0;
        for (let j = 0; j < D; j++) {
          const v = this.covars[k * D + j]!;
          this.invVar[k * D + j] = 1 / v;
          logDet += Math.log(v);
        }
        this.logNorm[k] = -0.5 * (D * LOG_2PI + logDet);
      }
      return true;
    }
    const block = D * D;
    for (let k = 0; k < K; k++) {
      if (!(cholesky(this.covars, k * block, D, this.chol, k * block) > 0)) return false;
      this.logNorm[k] = -0.5 * (D * LOG_2PI + logDetFromCholesky(this.chol, k * block, D));
    }
    return true;
  }

  /** log N(x | state k) for every state, x at `x[xOffset..]`, written to `out[outOffset..]`. */
  logDensities(x: Float64Array, xOffset: number, out: Float64Array, outOffset: number): void {
    const { states: K, dims: D, means } = this;
    if (this.covariance === 'diag') {
      const invVar = this.invVar;
      for (let k = 0; k < K; k++) {
        let q = 0;
        const base = k * D;
        for (let j = 0; j < D; j++) {
          const d = x[xOffset + j]! - means[base + j]!;
          q += d * d * invVar[base + j]!;
        }
        out[outOffset + k] = this.logNorm[k]! - 0.5 * q;
      }
      return;
    }
    const block = D * D;
    for (let k = 0; k < K; k++) {
      const q = mahalanobisSquared(x, xOffset, means, k * D, this.chol, k * block, D, this.scratch);
      out[outOffset + k] = this.logNorm[k]! - 0.5 * q;
    }
  }

  /** Variance of feature j in state k (the diagonal for full covariances). */
  variance(k: number, j: number): number {
    const D = this.dims;
    return this.covariance === 'diag' ? this.covars[k * D + j]! : this.covars[k * D * D + j * D + j]!;
  }

  /** Reorders the states: new state s is old state `order[s]`. */
  permute(order: ArrayLike<number>): void {
    const { states: K, dims: D } = this;
    const old = this.clone();
    const block = this.covariance === 'diag' ? D : D * D;
    for (let s = 0; s < K; s++) {
      const o = order[s]!;
      this.startProb[s] = old.startProb[o]!;
      for (let r = 0; r < K; r++) this.transition[s * K + r] = old.transition[o * K + order[r]!]!;
      this.means.set(old.means.subarray(o * D, o * D + D), s * D);
      this.covars.set(old.covars.subarray(o * block, o * block + block), s * block);
    }
    this.prepare();
  }
}
