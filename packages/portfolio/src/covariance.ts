import { describeValue, parseOptions, zPositive } from '@algo-trading/core';
import { z } from 'zod';
import { fail, readDense, readSymbols } from './internal';
import { semidefiniteCheck } from './linalg';
import { requireComplete, returnsMatrix, type ReturnsInput, type ReturnsMatrix } from './returns-matrix';

/** The covariance estimators of {@link covariance}. */
export const COVARIANCE_METHODS = ['sample', 'ledoit_wolf', 'constant_correlation', 'ewma'] as const;
/** One of {@link COVARIANCE_METHODS}. */
export type CovarianceMethod = (typeof COVARIANCE_METHODS)[number];

/** An N x N covariance matrix with its symbols and units. */
export interface CovarianceMatrix {
  readonly symbols: readonly string[];
  /** Row-major N x N, symmetric. */
  readonly matrix: Float64Array;
  /** The estimator, or `given` for a matrix supplied by the caller. */
  readonly method: CovarianceMethod | 'given';
  /** Shrinkage intensity in [0, 1] (`ledoit_wolf`, `constant_correlation`). */
  readonly shrinkage?: number;
  /** True when scaled to a year (x periodsPerYear); false: per period of the returns. */
  readonly annualized: boolean;
  readonly periodsPerYear?: number;
  /** Number of return rows used. */
  readonly observations?: number;
}

/** A covariance matrix from anywhere: an estimate of {@link covariance} or a plain object. */
export interface CovarianceInput {
  readonly symbols: readonly string[];
  /** Flat row-major N x N, or an array of N rows. */
  readonly matrix: ArrayLike<number> | readonly (readonly number[])[];
  /** Units of the matrix; false (per period) when omitted. */
  readonly annualized?: boolean;
  readonly periodsPerYear?: number;
}

/** Options of {@link covariance}. */
export interface CovarianceOptions {
  /** Estimator; `sample` by default. */
  readonly method?: CovarianceMethod;
  /** Scale to a year by `periodsPerYear` (default false: per period). */
  readonly annualize?: boolean;
  /** Annualization factor when the returns do not carry one. */
  readonly periodsPerYear?: number;
  /** `ewma` decay lambda in (0, 1); RiskMetrics' 0.94 by default. Exclusive with `span`. */
  readonly lambda?: number;
  /** `ewma` span (pandas convention): lambda = 1 - 2 / (span + 1). */
  readonly span?: number;
  /** `ewma`: subtract the sample mean first (default false: zero mean, as RiskMetrics). */
  readonly demean?: boolean;
}

/** Schema of {@link CovarianceOptions} (defaults applied). */
export const covarianceOptionsSchema = z
  .strictObject({
    method: z.enum(COVARIANCE_METHODS).default('sample'),
    annualize: z.boolean().default(false),
    periodsPerYear: zPositive().optional(),
    lambda: z.number().gt(0).lt(1).optional(),
    span: z.number().min(1).optional(),
    demean: z.boolean().optional(),
  })
  .superRefine((o, ctx) => {
    if (o.lambda !== undefined && o.span !== undefined) ctx.addIssue({ code: 'custom', path: ['span'], message: 'give lambda or span, not both' });
    if ((o.lambda !== undefined || o.span !== undefined || o.demean !== undefined) && o.method !== 'ewma') {
      ctx.addIssue({ code: 'custom', path: ['method'], message: 'lambda, span and demean apply to method "ewma" only' });
    }
  });

// Matrices produced by the estimators of this package are PSD by construction: consumers skip
// the O(n^3) check for them (it costs as much as a small optimization).
const trusted = new WeakSet<object>();

/** The annualization factor for `annualize`, or a clear error when nothing says it. */
export function annualizationFactor(R: ReturnsMatrix, given: number | undefined, what: string): number {
  const ppy = given ?? R.periodsPerYear;
  if (ppy === undefined) {
    fail(
      'INVALID_ARGUMENT',
      'periodsPerYear',
      `${what}: annualize needs periodsPerYear: pass it, or give the returns times so it can be inferred`,
    );
  }
  return ppy;
}

/** Column means of a complete returns matrix. */
export function columnMeans(R: ReturnsMatrix): Float64Array {
  const { rows, cols, values } = R;
  const mean = new Float64Array(cols);
  for (let t = 0; t < rows; t++) {
    const base = t * cols;
    for (let j = 0; j < cols; j++) mean[j]! += values[base + j]!;
  }
  for (let j = 0; j < cols; j++) mean[j]! /= rows;
  return mean;
}

/** Returns minus their column means (a new row-major array). */
function centered(R: ReturnsMatrix): Float64Array {
  const mean = columnMeans(R);
  const out = new Float64Array(R.values.length);
  for (let t = 0; t < R.rows; t++) {
    const base = t * R.cols;
    for (let j = 0; j < R.cols; j++) out[base + j] = R.values[base + j]! - mean[j]!;
  }
  return out;
}

/**
 * `X' D X` of a row-major T x N array (D = diag(weights), or the identity), full symmetric N x N.
 * The columns are first copied to contiguous rows (column-major), so each entry is one dot product
 * over two arrays that stay in cache: about 3x faster than accumulating row by row into the
 * N x N result on 500 x 1,000 returns.
 */
function crossProduct(x: Float64Array, rows: number, cols: number, weights?: Float64Array): Float64Array {
  const columns = new Float64Array(rows * cols);
  const weighted = weights === undefined ? columns : new Float64Array(rows * cols);
  for (let t = 0; t < rows; t++) {
    const base = t * cols;
    const w = weights === undefined ? 1 : weights[t]!;
    for (let j = 0; j < cols; j++) {
      const v = x[base + j]!;
      columns[j * rows + t] = v;
      if (weighted !== columns) weighted[j * rows + t] = v * w;
    }
  }
  const out = new Float64Array(cols * cols);
  const tail = rows - (rows % 4);
  for (let i = 0; i < cols; i++) {
    const a = i * rows;
    for (let j = 0; j <= i; j++) {
      const b = j * rows;
      // Four partial sums: independent additions the CPU can overlap.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t = 0;
      for (; t < tail; t += 4) {
        s0 += weighted[a + t]! * columns[b + t]!;
        s1 += weighted[a + t + 1]! * columns[b + t + 1]!;
        s2 += weighted[a + t + 2]! * columns[b + t + 2]!;
        s3 += weighted[a + t + 3]! * columns[b + t + 3]!;
      }
      for (; t < rows; t++) s0 += weighted[a + t]! * columns[b + t]!;
      const v = s0 + s1 + (s2 + s3);
      out[i * cols + j] = v;
      out[j * cols + i] = v;
    }
  }
  return out;
}

function requireRows(R: ReturnsMatrix, method: CovarianceMethod): void {
  const needsFullRank = method === 'sample' || method === 'ewma';
  if (needsFullRank && R.rows <= R.cols) {
    fail(
      'INVALID_DATA',
      'returns',
      `${method} covariance of ${R.cols} symbols needs more than ${R.cols} return rows, got ${R.rows}: with fewer the matrix is singular ` +
        '(rank at most rows - 1); use method "ledoit_wolf" or "constant_correlation" (shrinkage), fewer symbols or a longer history',
      R.rows,
    );
  }
  if (R.rows < 2) fail('INVALID_DATA', 'returns', `${method} covariance needs at least 2 return rows, got ${R.rows}`, R.rows);
}

/**
 * Estimates the covariance matrix of the returns' columns:
 *
 * - `sample`: unbiased sample covariance (ddof 1).
 * - `ledoit_wolf`: Ledoit and Wolf (2004) shrinkage of the maximum-likelihood covariance
 *   (divided by T) towards `mu I` with `mu` its mean variance, exactly as scikit-learn's
 *   `LedoitWolf` (assume_centered=False); reports the `shrinkage`.
 * - `constant_correlation`: Ledoit and Wolf (2003, "Honey, I shrunk the sample covariance
 *   matrix") shrinkage of the sample covariance (ddof 1) towards the constant-correlation matrix,
 *   as PyPortfolioOpt's `CovarianceShrinkage.ledoit_wolf('constant_correlation')`; reports the
 *   `shrinkage`.
 * - `ewma`: RiskMetrics exponentially weighted covariance `sum w_t r_t r_t'` with
 *   `w_t = (1 - lambda) lambda^(T-1-t) / (1 - lambda^T)` (weights normalized over the window),
 *   lambda 0.94 by default; `demean: true` subtracts the sample mean first.
 *
 * Per period of the returns unless `annualize` (then x periodsPerYear). None of the estimators
 * accepts NaN returns (an INVALID_DATA error names the first one).
 *
 * @example
 * const cov = covariance(R, { method: 'ledoit_wolf' });
 * cov.shrinkage; // in [0, 1]
 * cov.matrix[i * cov.symbols.length + j];
 */
export function covariance(returns: ReturnsInput, options?: CovarianceOptions): CovarianceMatrix {
  const opts = parseOptions(covarianceOptionsSchema, options ?? {}, { what: 'covariance options' });
  const R = returnsMatrix(returns);
  const method = opts.method;
  requireComplete(R, `covariance method "${method}"`);
  requireRows(R, method);
  let matrix: Float64Array;
  let shrinkage: number | undefined;
  switch (method) {
    case 'sample':
      matrix = sampleCovariance(R);
      break;
    case 'ledoit_wolf':
      ({ matrix, shrinkage } = ledoitWolf(R));
      break;
    case 'constant_correlation':
      ({ matrix, shrinkage } = constantCorrelation(R));
      break;
    case 'ewma': {
      const lambda = opts.span !== undefined ? 1 - 2 / (opts.span + 1) : (opts.lambda ?? 0.94);
      matrix = ewmaCovariance(R, lambda, opts.demean ?? false);
      break;
    }
  }
  const annualized = opts.annualize;
  const ppy = annualized ? annualizationFactor(R, opts.periodsPerYear, 'covariance') : (opts.periodsPerYear ?? R.periodsPerYear);
  if (annualized) for (let k = 0; k < matrix.length; k++) matrix[k]! *= ppy!;
  const result: CovarianceMatrix = Object.freeze({
    symbols: R.symbols,
    matrix,
    method,
    ...(shrinkage === undefined ? {} : { shrinkage }),
    annualized,
    ...(ppy === undefined ? {} : { periodsPerYear: ppy }),
    observations: R.rows,
  });
  trusted.add(result);
  return result;
}

/** Sample covariance, ddof 1. */
export function sampleCovariance(R: ReturnsMatrix): Float64Array {
  const s = crossProduct(centered(R), R.rows, R.cols);
  const scale = 1 / (R.rows - 1);
  for (let k = 0; k < s.length; k++) s[k]! *= scale;
  return s;
}

function ledoitWolf(R: ReturnsMatrix): { matrix: Float64Array; shrinkage: number } {
  const { rows: n, cols: p } = R;
  const x = centered(R);
  const emp = crossProduct(x, n, p);
  for (let k = 0; k < emp.length; k++) emp[k]! /= n;
  if (p === 1) return { matrix: emp, shrinkage: 0 };
  let trace = 0;
  for (let i = 0; i < p; i++) trace += emp[i * p + i]!;
  const mu = trace / p;
  // delta_ = sum of squared entries of X'X / n^2 = sum emp_ij^2.
  let deltaSum = 0;
  for (let k = 0; k < emp.length; k++) deltaSum += emp[k]! * emp[k]!;
  // beta_ = sum_ij (X2' X2)_ij = sum_t (sum_i x_ti^2)^2.
  let betaSum = 0;
  for (let t = 0; t < n; t++) {
    let rowSq = 0;
    const base = t * p;
    for (let i = 0; i < p; i++) rowSq += x[base + i]! * x[base + i]!;
    betaSum += rowSq * rowSq;
  }
  let beta = (1 / (p * n)) * (betaSum / n - deltaSum);
  const delta = (deltaSum - 2 * mu * trace + p * mu * mu) / p;
  beta = Math.min(beta, delta);
  // beta >= 0 in exact arithmetic; rounding can leave it at -1e-16 (clamped).
  const shrinkage = beta <= 0 ? 0 : beta / delta;
  const matrix = new Float64Array(p * p);
  for (let k = 0; k < matrix.length; k++) matrix[k] = (1 - shrinkage) * emp[k]!;
  for (let i = 0; i < p; i++) matrix[i * p + i]! += shrinkage * mu;
  return { matrix, shrinkage };
}

function constantCorrelation(R: ReturnsMatrix): { matrix: Float64Array; shrinkage: number } {
  const { rows: t, cols: n } = R;
  const xm = centered(R);
  const s = crossProduct(xm, t, n);
  const help = new Float64Array(s.length);
  for (let k = 0; k < s.length; k++) {
    help[k] = s[k]! / t; // X'X / t
    s[k]! /= t - 1; // sample covariance, ddof 1
  }
  if (n === 1) return { matrix: s, shrinkage: 0 };
  const variance = new Float64Array(n);
  const std = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    variance[i] = s[i * n + i]!;
    std[i] = Math.sqrt(variance[i]!);
    if (!(std[i]! > 0)) {
      fail('INVALID_DATA', 'returns', `constant_correlation covariance: ${JSON.stringify(R.symbols[i])} has zero variance (constant returns)`, 0, {
        symbol: R.symbols[i],
      });
    }
  }
  let corrSum = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) corrSum += s[i * n + j]! / (std[i]! * std[j]!);
  const rBar = (corrSum - n) / (n * (n - 1));
  // Squares and cubes of the centered returns for pi and theta.
  const y = new Float64Array(xm.length);
  const cube = new Float64Array(xm.length);
  for (let k = 0; k < xm.length; k++) {
    const v = xm[k]!;
    y[k] = v * v;
    cube[k] = v * v * v;
  }
  const yy = crossProduct(y, t, n); // (y' y)_ij
  // term1_ij = sum_t x_ti^3 x_tj / t (not symmetric).
  const term1 = new Float64Array(n * n);
  for (let r = 0; r < t; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) {
      const c = cube[base + i]!;
      const row = i * n;
      for (let j = 0; j < n; j++) term1[row + j]! += c * xm[base + j]!;
    }
  }
  let piHat = 0;
  let piDiag = 0;
  let thetaSum = 0;
  let gamma = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      const sij = s[k]!;
      // pi_ij = mean(y_i y_j) - 2 (X'X)_ij S_ij / t + S_ij^2 (PyPortfolioOpt's form).
      const pi = yy[k]! / t - 2 * help[k]! * sij + sij * sij;
      piHat += pi;
      if (i === j) {
        piDiag += pi;
      } else {
        const theta = term1[k]! / t - help[i * n + i]! * sij - help[k]! * variance[i]! + variance[i]! * sij;
        thetaSum += (std[j]! / std[i]!) * theta;
        const f = rBar * std[i]! * std[j]!;
        gamma += (sij - f) * (sij - f);
      }
    }
  }
  const rhoHat = piDiag + rBar * thetaSum;
  const kappa = gamma === 0 ? 0 : (piHat - rhoHat) / gamma;
  const shrinkage = Math.max(0, Math.min(1, kappa / t));
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      const target = i === j ? variance[i]! : rBar * std[i]! * std[j]!;
      matrix[k] = shrinkage * target + (1 - shrinkage) * s[k]!;
    }
  }
  return { matrix, shrinkage };
}

function ewmaCovariance(R: ReturnsMatrix, lambda: number, demean: boolean): Float64Array {
  const { rows, cols } = R;
  const x = demean ? centered(R) : R.values;
  const weights = new Float64Array(rows);
  // Newest row weight (1 - lambda), each older one lambda times the next; normalized to sum 1.
  let w = 1 - lambda;
  let total = 0;
  for (let t = rows - 1; t >= 0; t--) {
    weights[t] = w;
    total += w;
    w *= lambda;
  }
  for (let t = 0; t < rows; t++) weights[t]! /= total;
  return crossProduct(x, rows, cols, weights);
}

/** A validated covariance matrix (internal form). */
export interface CheckedCovariance {
  readonly symbols: readonly string[];
  readonly n: number;
  readonly matrix: Float64Array;
  readonly annualized: boolean;
  readonly periodsPerYear?: number;
}

/**
 * Validates a covariance input: square, finite, symmetric (to 1e-10 relative), non-negative
 * diagonal and positive semi-definite (pivoted Cholesky). Throws INVALID_ARGUMENT naming the
 * symbols at fault.
 */
export function readCovariance(input: unknown, field = 'cov'): CheckedCovariance {
  if (typeof input !== 'object' || input === null || !('symbols' in input) || !('matrix' in input)) {
    fail('INVALID_ARGUMENT', field, `${field} must be a covariance { symbols, matrix }, got ${describeValue(input)}`, input);
  }
  const c = input as CovarianceInput;
  const symbols = readSymbols(c.symbols, `${field}.symbols`);
  const n = symbols.length;
  const annualized = c.annualized ?? false;
  if (typeof annualized !== 'boolean') fail('INVALID_ARGUMENT', `${field}.annualized`, `${field}.annualized must be a boolean, got ${describeValue(annualized)}`);
  const meta = { symbols, n, annualized, ...(c.periodsPerYear === undefined ? {} : { periodsPerYear: c.periodsPerYear }) };
  if (trusted.has(input)) return { ...meta, matrix: (input as CovarianceMatrix).matrix };
  const { values: matrix, rows } = readDense(c.matrix, n, n, `${field}.matrix`, false);
  if (rows !== n) fail('INVALID_ARGUMENT', `${field}.matrix`, `${field}.matrix must be ${n} x ${n} (one row per symbol), got ${rows} rows`, rows);
  let scale = 0;
  for (let i = 0; i < n; i++) {
    const d = matrix[i * n + i]!;
    if (d < 0) {
      fail('INVALID_ARGUMENT', `${field}.matrix`, `${field}.matrix diagonal of ${JSON.stringify(symbols[i])} is a negative variance ${d}`, d, { symbol: symbols[i] });
    }
    scale = Math.max(scale, d);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const a = matrix[i * n + j]!;
      const b = matrix[j * n + i]!;
      if (Math.abs(a - b) > 1e-10 * Math.max(scale, Math.abs(a), Math.abs(b))) {
        fail(
          'INVALID_ARGUMENT',
          `${field}.matrix`,
          `${field}.matrix is not symmetric: [${symbols[i]}, ${symbols[j]}] = ${a} but [${symbols[j]}, ${symbols[i]}] = ${b}`,
          a,
          { symbols: [symbols[i], symbols[j]] },
        );
      }
    }
  }
  const check = semidefiniteCheck(matrix, n);
  if (!check.ok) {
    const at = symbols[check.index ?? 0];
    fail(
      'INVALID_ARGUMENT',
      `${field}.matrix`,
      `${field}.matrix is not positive semi-definite (pivoted Cholesky meets ${check.value} at ${JSON.stringify(at)} after ${check.rank} pivots): ` +
        'it is no valid covariance; estimate it with covariance() (e.g. method "ledoit_wolf") or repair it',
      check.value,
      { symbol: at },
    );
  }
  return { ...meta, matrix };
}

/** Correlation matrix of a covariance (zero-variance assets give an INVALID_DATA error). */
export function correlationFromCovariance(cov: CheckedCovariance): Float64Array {
  const { n, matrix } = cov;
  const std = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    std[i] = Math.sqrt(matrix[i * n + i]!);
    if (!(std[i]! > 0)) {
      fail('INVALID_DATA', 'cov', `${JSON.stringify(cov.symbols[i])} has zero variance: its correlations are undefined`, 0, { symbol: cov.symbols[i] });
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) out[i * n + j] = i === j ? 1 : Math.max(-1, Math.min(1, matrix[i * n + j]! / (std[i]! * std[j]!)));
  }
  return out;
}
