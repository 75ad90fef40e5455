import { describeValue, parseOptions } from '@algo-trading/core';
import { z } from 'zod';
import { readCovariance, type CheckedCovariance, type CovarianceInput } from './covariance';
import { fail, toRecord } from './internal';
import { choleskyInPlace, choleskySolveInPlace, matVec } from './linalg';

/** Weights from a risk-based allocator, with the risk share of each asset. */
export interface RiskAllocation {
  readonly symbols: readonly string[];
  readonly weights: Readonly<Record<string, number>>;
  /** The weights in `symbols` order. */
  readonly vector: Float64Array;
  /** Each asset's share of the portfolio variance, `w_i (Sigma w)_i / w'Sigma w` (sums to 1). */
  readonly riskContributions: Readonly<Record<string, number>>;
}

/** Each asset's share of the variance of `w` (see {@link RiskAllocation.riskContributions}). */
export function riskShares(cov: CheckedCovariance, w: Float64Array): Float64Array {
  const n = cov.n;
  const sw = matVec(cov.matrix, w, n);
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i]! * sw[i]!;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = total > 0 ? (w[i]! * sw[i]!) / total : NaN;
  return out;
}

function allocation(cov: CheckedCovariance, w: Float64Array): RiskAllocation {
  return {
    symbols: cov.symbols,
    weights: Object.freeze(toRecord(cov.symbols, w)),
    vector: w,
    riskContributions: Object.freeze(toRecord(cov.symbols, riskShares(cov, w))),
  };
}

function requirePositiveVariances(cov: CheckedCovariance, what: string): void {
  for (let i = 0; i < cov.n; i++) {
    const v = cov.matrix[i * cov.n + i]!;
    if (!(v > 0)) {
      fail('INVALID_ARGUMENT', 'cov', `${what}: ${JSON.stringify(cov.symbols[i])} has variance ${v}; every asset needs a positive variance`, v, {
        symbol: cov.symbols[i],
      });
    }
  }
}

/**
 * Inverse-volatility weights `w_i = (1 / sigma_i) / sum_j (1 / sigma_j)`.
 *
 * @example
 * inverseVolatility({ symbols: ['A', 'B'], matrix: [0.04, 0, 0, 0.01] }).weights; // { A: 1/3, B: 2/3 }
 */
export function inverseVolatility(cov: CovarianceInput): RiskAllocation {
  const c = readCovariance(cov);
  requirePositiveVariances(c, 'inverseVolatility');
  const w = new Float64Array(c.n);
  let total = 0;
  for (let i = 0; i < c.n; i++) {
    w[i] = 1 / Math.sqrt(c.matrix[i * c.n + i]!);
    total += w[i]!;
  }
  for (let i = 0; i < c.n; i++) w[i]! /= total;
  return Object.freeze(allocation(c, w));
}

/** Options of {@link riskParity}. */
export interface RiskParityOptions {
  /** Risk budget per symbol (positive; normalized to sum 1). Default: equal budgets. Every symbol must have one. */
  readonly budgets?: Readonly<Record<string, number>>;
  /** Largest accepted |risk share - budget| (default 1e-10). */
  readonly tolerance?: number;
  /** Newton iterations before giving up (default 100). */
  readonly maxIterations?: number;
}

/** Result of {@link riskParity}. */
export interface RiskParityResult extends RiskAllocation {
  /** Newton iterations used. */
  readonly iterations: number;
  /** Largest |risk share - budget| reached. */
  readonly maxError: number;
}

const riskParitySchema = z.strictObject({
  budgets: z.record(z.string(), z.number()).optional(),
  tolerance: z.number().positive().max(1e-3).default(1e-10),
  maxIterations: z.number().int().min(1).default(100),
});

/**
 * Equal risk contribution (risk parity), or risk budgeting with `budgets`: long-only weights whose
 * shares of the portfolio variance equal the (normalized) budgets.
 *
 * Solved through Spinu's (2013) convex formulation: minimize `1/2 x'Sigma x - sum b_i ln x_i`
 * over x > 0, whose unique minimizer has `x_i (Sigma x)_i = b_i`; then `w = x / sum(x)`. Newton's
 * method with a backtracking line search (kept inside x > 0) runs until every risk share is
 * within `tolerance` (1e-10) of its budget; not converging is an INVARIANT_VIOLATION error.
 *
 * @example
 * const erc = riskParity(cov); // equal risk contributions
 * const rb = riskParity(cov, { budgets: { SPY: 0.6, TLT: 0.4 } });
 */
export function riskParity(cov: CovarianceInput, options?: RiskParityOptions): RiskParityResult {
  const o = parseOptions(riskParitySchema, options ?? {}, { what: 'riskParity options', code: 'INVALID_ARGUMENT' });
  const c = readCovariance(cov);
  requirePositiveVariances(c, 'riskParity');
  const n = c.n;
  const b = new Float64Array(n).fill(1 / n);
  if (o.budgets !== undefined) {
    const index = new Map(c.symbols.map((s, i) => [s, i]));
    for (const key of Object.keys(o.budgets)) {
      if (!index.has(key)) fail('INVALID_ARGUMENT', `budgets.${key}`, `budgets names ${JSON.stringify(key)}, which is not a symbol of the covariance`, key);
    }
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = o.budgets[c.symbols[i]!];
      if (v === undefined || !(v > 0) || !Number.isFinite(v)) {
        fail(
          'INVALID_ARGUMENT',
          `budgets.${c.symbols[i]}`,
          `budgets.${c.symbols[i]} must be a finite number > 0 (every symbol needs a positive budget), got ${describeValue(v)}`,
          v,
        );
      }
      b[i] = v;
      total += v;
    }
    for (let i = 0; i < n; i++) b[i]! /= total;
  }
  // Work on Sigma scaled to a unit mean variance (the weights do not change).
  let scale = 0;
  for (let i = 0; i < n; i++) scale += c.matrix[i * n + i]!;
  scale /= n;
  const sigma = new Float64Array(n * n);
  for (let k = 0; k < sigma.length; k++) sigma[k] = c.matrix[k]! / scale;

  const objective = (x: Float64Array, sx: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < n; i++) f += 0.5 * x[i]! * sx[i]! - b[i]! * Math.log(x[i]!);
    return f;
  };
  // Start from the solution for uncorrelated assets.
  let x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sqrt(b[i]! / sigma[i * n + i]!);
  let sx = matVec(sigma, x, n);
  let f = objective(x, sx);
  const hessian = new Float64Array(n * n);
  const step = new Float64Array(n);
  const trial = new Float64Array(n);
  let maxError = Infinity;
  let iteration = 0;
  for (; iteration <= o.maxIterations; iteration++) {
    // Risk shares of w = x / sum(x): x_i (Sigma x)_i / x'Sigma x.
    let total = 0;
    for (let i = 0; i < n; i++) total += x[i]! * sx[i]!;
    maxError = 0;
    for (let i = 0; i < n; i++) maxError = Math.max(maxError, Math.abs((x[i]! * sx[i]!) / total - b[i]!));
    if (maxError <= o.tolerance || iteration === o.maxIterations) break;
    // Newton step: (Sigma + diag(b / x^2)) d = grad = Sigma x - b / x.
    hessian.set(sigma);
    let slope = 0;
    for (let i = 0; i < n; i++) {
      hessian[i * n + i]! += b[i]! / (x[i]! * x[i]!);
      step[i] = sx[i]! - b[i]! / x[i]!;
    }
    const gradient = Float64Array.from(step);
    if (!choleskyInPlace(hessian, n)) fail('INVARIANT_VIOLATION', 'cov', 'riskParity: the Newton system is not positive definite');
    choleskySolveInPlace(hessian, n, step);
    for (let i = 0; i < n; i++) slope += gradient[i]! * step[i]!;
    // Backtracking: stay inside x > 0, then the Armijo condition. Close to the optimum (Newton
    // decrement below 1e-12) the objective changes below its rounding, so Armijo cannot judge a
    // step: the full step is taken there, where Newton's method converges quadratically.
    let t = 1;
    for (let i = 0; i < n; i++) if (step[i]! > 0 && x[i]! - t * step[i]! <= 0) t = Math.min(t, (0.99 * x[i]!) / step[i]!);
    for (let k = 0; k < 60; k++) {
      for (let i = 0; i < n; i++) trial[i] = x[i]! - t * step[i]!;
      const st = matVec(sigma, trial, n);
      const ft = objective(trial, st);
      if (slope < 1e-12 || ft <= f - 1e-4 * t * slope || k === 59) {
        x = Float64Array.from(trial);
        sx = st;
        f = ft;
        break;
      }
      t *= 0.5;
    }
  }
  if (maxError > o.tolerance) {
    fail('INVARIANT_VIOLATION', 'tolerance', `riskParity did not reach tolerance ${o.tolerance} in ${o.maxIterations} Newton iterations (max error ${maxError})`, maxError);
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i]!;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = x[i]! / sum;
  return Object.freeze({ ...allocation(c, w), iterations: iteration, maxError });
}
