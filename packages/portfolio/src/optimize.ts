import { parseOptions } from '@algo-trading/core';
import { z } from 'zod';
import { readCovariance, type CheckedCovariance, type CovarianceInput } from './covariance';
import { readExpectedReturns, type ExpectedReturnsInput } from './expected-returns';
import { fail, toRecord } from './internal';
import { dot, quadForm } from './linalg';
import { KKT_TOLERANCE, kktResiduals, loadSolver, QpNotSolved, solveQp, worstResidual, type KktResiduals, type QpProblem, type QpRow, type QpSolution } from './qp';
import type { Highs } from 'highs';

/** The objectives of {@link optimizePortfolio}. */
export const OBJECTIVES = ['min_variance', 'max_sharpe', 'target_return', 'target_volatility'] as const;
/** One of {@link OBJECTIVES}. */
export type Objective = (typeof OBJECTIVES)[number];

/** Weight bounds: one `[lower, upper]` pair for every asset, or per symbol (others keep `[0, 1]`). */
export type WeightBounds = readonly [number, number] | Readonly<Record<string, readonly [number, number]>>;

/** Constraints shared by every mean-variance problem. */
export interface PortfolioConstraints {
  /** `[0, 1]` (long-only, the default), e.g. `[-0.5, 1.5]`, or per symbol. Weights always sum to 1. */
  readonly bounds?: WeightBounds;
  /** L2 penalty gamma >= 0: the objective's variance becomes `w'(Sigma + gamma I)w` (default 0). */
  readonly l2Penalty?: number;
  /** Risk-free rate, in the units of `mu` (per period unless annualized). Default 0. */
  readonly riskFreeRate?: number;
}

/** Options of {@link optimizePortfolio}. */
export interface OptimizePortfolioOptions extends PortfolioConstraints {
  /** Covariance matrix (from {@link covariance} or `{ symbols, matrix, annualized? }`). */
  readonly cov: CovarianceInput;
  /** Expected returns; required by every objective except `min_variance`. */
  readonly mu?: ExpectedReturnsInput;
  readonly objective: Objective;
  /** `target_return`: the portfolio's expected return must be at least this. */
  readonly targetReturn?: number;
  /** `target_volatility`: the highest-return portfolio with this volatility. */
  readonly targetVolatility?: number;
}

/** Result of {@link optimizePortfolio}. */
export interface PortfolioOptimization {
  readonly objective: Objective;
  /**
   * `optimal` when every KKT residual is below 1e-8 (on the problem scaled to a unit mean
   * variance), `inaccurate` otherwise. Any other outcome of the solver is an error.
   */
  readonly status: 'optimal' | 'inaccurate';
  /** The solver of the last QP solved: HiGHS, or quadprog when HiGHS failed on it. */
  readonly solver: 'highs' | 'quadprog';
  /** `Optimal` (HiGHS), or why quadprog had to solve. */
  readonly solverStatus: string;
  readonly symbols: readonly string[];
  readonly weights: Readonly<Record<string, number>>;
  /** The weights in `symbols` order. */
  readonly vector: Float64Array;
  /** `mu' w` (when mu was given). */
  readonly expectedReturn?: number;
  /** `sqrt(w' Sigma w)`, without the L2 penalty. */
  readonly volatility: number;
  /** `(expectedReturn - riskFreeRate) / volatility` (when mu was given). */
  readonly sharpeRatio?: number;
  /**
   * KKT residuals of the QP solved: the problem itself for `min_variance` and `target_return`,
   * the homogenized problem for `max_sharpe`, the target-return problem at the found return for
   * `target_volatility`. Units: the problem scaled to a unit mean variance.
   */
  readonly kkt: KktResiduals;
  /** True when cov and mu are annualized. */
  readonly annualized: boolean;
}

const boundPair = z.tuple([z.number(), z.number()]);
/** Schema of {@link WeightBounds}. */
export const weightBoundsSchema = z.union([boundPair, z.record(z.string(), boundPair)]);
const constraintShape = {
  bounds: weightBoundsSchema.default([0, 1]),
  l2Penalty: z.number().min(0).default(0),
  riskFreeRate: z.number().default(0),
};
const optionsSchema = z.strictObject({
  cov: z.custom<CovarianceInput>((v) => typeof v === 'object' && v !== null, { error: 'expected a covariance { symbols, matrix }' }),
  mu: z.custom<ExpectedReturnsInput>((v) => typeof v === 'object' && v !== null, { error: 'expected expected returns { symbols, values }' }).optional(),
  objective: z.enum(OBJECTIVES),
  targetReturn: z.number().optional(),
  targetVolatility: z.number().positive().optional(),
  ...constraintShape,
});

/** Schema of {@link PortfolioConstraints} (defaults applied). */
export const portfolioConstraintsSchema = z.strictObject(constraintShape);

/** A prepared mean-variance problem: validated inputs, bounds and scaling. */
interface Prepared {
  readonly cov: CheckedCovariance;
  readonly n: number;
  readonly mu: Float64Array | undefined;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly riskFreeRate: number;
  readonly l2Penalty: number;
  /** Mean variance: the Hessian is (Sigma + gamma I) / scale. */
  readonly scale: number;
  /** Largest |mu|: the return row is mu / muScale. */
  readonly muScale: number;
  readonly hessian: Float64Array;
}

/** Reads bounds for the symbols and checks that weights summing to 1 fit them. */
export function readBounds(bounds: z.output<typeof constraintShape.bounds>, symbols: readonly string[]): { lower: Float64Array; upper: Float64Array } {
  const n = symbols.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n).fill(1);
  const set = (i: number, pair: readonly [number, number], where: string) => {
    const [lo, hi] = pair;
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
      fail('INVALID_ARGUMENT', where, `${where} must be finite [lower, upper] with lower <= upper, got [${lo}, ${hi}]`, pair);
    }
    lower[i] = lo;
    upper[i] = hi;
  };
  if (Array.isArray(bounds)) {
    for (let i = 0; i < n; i++) set(i, bounds as readonly [number, number], 'bounds');
  } else {
    const index = new Map(symbols.map((s, i) => [s, i]));
    for (const [symbol, pair] of Object.entries(bounds as Record<string, readonly [number, number]>)) {
      const i = index.get(symbol);
      if (i === undefined) fail('INVALID_ARGUMENT', `bounds.${symbol}`, `bounds names ${JSON.stringify(symbol)}, which is not a symbol of the covariance`, symbol);
      set(i, pair, `bounds.${symbol}`);
    }
  }
  let sumLower = 0;
  let sumUpper = 0;
  for (let i = 0; i < n; i++) {
    sumLower += lower[i]!;
    sumUpper += upper[i]!;
  }
  const tol = 1e-12 * n;
  if (sumLower > 1 + tol) {
    fail('INVALID_ARGUMENT', 'bounds', `bounds cannot sum to 1: the lower bounds add up to ${sumLower} > 1`, sumLower);
  }
  if (sumUpper < 1 - tol) {
    fail('INVALID_ARGUMENT', 'bounds', `bounds cannot sum to 1: the upper bounds add up to ${sumUpper} < 1`, sumUpper);
  }
  return { lower, upper };
}

function prepare(
  covInput: unknown,
  muInput: unknown,
  constraints: z.output<typeof portfolioConstraintsSchema>,
  needsMu: string | undefined,
): Prepared {
  const cov = readCovariance(covInput);
  const n = cov.n;
  let mu: Float64Array | undefined;
  if (muInput !== undefined) mu = readExpectedReturns(muInput, cov.symbols, cov.annualized);
  else if (needsMu !== undefined) fail('INVALID_ARGUMENT', 'mu', `${needsMu} needs expected returns mu`);
  const { lower, upper } = readBounds(constraints.bounds, cov.symbols);
  let scale = 0;
  for (let i = 0; i < n; i++) scale += cov.matrix[i * n + i]! + constraints.l2Penalty;
  scale /= n;
  if (!(scale > 0)) fail('INVALID_ARGUMENT', 'cov', 'every variance is 0 (and no l2Penalty): the problem has no risk to minimize');
  const hessian = new Float64Array(n * n);
  for (let k = 0; k < hessian.length; k++) hessian[k] = cov.matrix[k]! / scale;
  for (let i = 0; i < n; i++) hessian[i * n + i]! += constraints.l2Penalty / scale;
  let muScale = 0;
  if (mu !== undefined) for (let i = 0; i < n; i++) muScale = Math.max(muScale, Math.abs(mu[i]! - constraints.riskFreeRate), Math.abs(mu[i]!));
  return {
    cov,
    n,
    mu,
    lower,
    upper,
    riskFreeRate: constraints.riskFreeRate,
    l2Penalty: constraints.l2Penalty,
    scale,
    muScale: muScale > 0 ? muScale : 1,
    hessian,
  };
}

/**
 * Highest (sign 1) or lowest (sign -1) `c' w` over weights within the bounds summing to 1: start
 * from the lower bounds and fill the best assets up to their upper bounds (an exact LP solution).
 */
export function extremeLinear(c: Float64Array, lower: Float64Array, upper: Float64Array, sign: 1 | -1): { value: number; weights: Float64Array } {
  const n = c.length;
  const w = Float64Array.from(lower);
  let remaining = 1;
  for (let i = 0; i < n; i++) remaining -= lower[i]!;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => sign * (c[b]! - c[a]!) || a - b);
  for (const i of order) {
    if (remaining <= 0) break;
    const add = Math.min(upper[i]! - lower[i]!, remaining);
    w[i]! += add;
    remaining -= add;
  }
  return { value: dot(c, w, n), weights: w };
}

const ones = (n: number) => new Float64Array(n).fill(1);

function budgetRow(n: number): QpRow {
  return { name: 'sum of weights = 1', coefficients: ones(n), lower: 1, upper: 1 };
}

function returnRow(p: Prepared, target: number): QpRow {
  const coefficients = new Float64Array(p.n);
  for (let i = 0; i < p.n; i++) coefficients[i] = p.mu![i]! / p.muScale;
  return { name: `expected return >= ${target}`, coefficients, lower: target / p.muScale, upper: Infinity };
}

function weightProblem(p: Prepared, rows: QpRow[]): QpProblem {
  return { n: p.n, hessian: p.hessian, linear: new Float64Array(p.n), lower: p.lower, upper: p.upper, rows };
}

function solveOrThrow(highs: Highs, problem: QpProblem, what: string): QpSolution {
  try {
    return solveQp(highs, problem);
  } catch (error) {
    if (error instanceof QpNotSolved) {
      const constraints = problem.rows.map((r) => r.name).join(', ');
      fail(
        error.status === 'Infeasible' ? 'INVALID_ARGUMENT' : 'INVARIANT_VIOLATION',
        'constraints',
        `${what}: the solver reports ${error.status} for the constraints (${constraints}; per-asset bounds)`,
        error.status,
      );
    }
    throw error;
  }
}

function minVarianceSolve(highs: Highs, p: Prepared): QpSolution {
  return solveOrThrow(highs, weightProblem(p, [budgetRow(p.n)]), 'min_variance');
}

function targetReturnSolve(highs: Highs, p: Prepared, target: number): QpSolution {
  const max = extremeLinear(p.mu!, p.lower, p.upper, 1).value;
  const tol = 1e-12 * Math.max(1, Math.abs(max));
  if (target > max + tol) {
    fail(
      'INVALID_ARGUMENT',
      'targetReturn',
      `targetReturn ${target} is above the highest expected return reachable within the bounds, ${max}`,
      target,
      { max },
    );
  }
  return solveOrThrow(highs, weightProblem(p, [budgetRow(p.n), returnRow(p, Math.min(target, max))]), 'target_return');
}

/**
 * Maximum Sharpe ratio by the homogenized convex problem (Cornuejols and Tutuncu; as
 * PyPortfolioOpt): minimize `y'Sigma y` subject to `(mu - rf)'y = 1`, `kappa = sum(y) >= 0` and
 * `lower kappa <= y <= upper kappa`; then `w = y / kappa`.
 *
 * Solved in shifted variables `z = y - lower kappa >= 0`, with kappa eliminated through
 * `sum(y) = kappa`: `kappa = sum(z) / (1 - L)` (L = sum of the lower bounds), `y = M z` with
 * `M = I + lower 1' / (1 - L)`. Every variable then has a finite lower bound and the Hessian
 * `M'Sigma M` is positive definite: HiGHS' QP solver failed on the textbook form with free
 * variables for some short-selling bounds.
 */
function maxSharpeSolve(highs: Highs, p: Prepared): { solution: QpSolution; weights: Float64Array } {
  const { n, lower, upper, mu, riskFreeRate } = p;
  const excess = new Float64Array(n);
  for (let i = 0; i < n; i++) excess[i] = mu![i]! - riskFreeRate;
  const best = extremeLinear(excess, lower, upper, 1).value;
  if (!(best > 1e-14 * p.muScale)) {
    fail(
      'INVALID_ARGUMENT',
      'riskFreeRate',
      `max_sharpe needs a portfolio whose expected return exceeds riskFreeRate ${riskFreeRate}; the best reachable within the bounds is ${best + riskFreeRate}`,
      riskFreeRate,
    );
  }
  let sumLower = 0;
  for (let i = 0; i < n; i++) sumLower += lower[i]!;
  const slack = 1 - sumLower;
  // readBounds guarantees sum(lower) <= 1 (up to rounding); at 1 the lower bounds are the only portfolio.
  if (!(slack > 1e-12)) return { solution: minVarianceSolve(highs, p), weights: Float64Array.from(lower) };
  // M = I + lower 1' / slack: column j of M is e_j + lower / slack.
  const m = (i: number, j: number) => (i === j ? 1 : 0) + lower[i]! / slack;
  // Hessian M' H M with H the scaled (Sigma + gamma I): first HM, then M'(HM).
  const h = p.hessian;
  const hm = new Float64Array(n * n);
  const hl = new Float64Array(n); // H lower / slack
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let k = 0; k < n; k++) v += h[i * n + k]! * lower[k]!;
    hl[i] = v / slack;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) hm[i * n + j] = h[i * n + j]! + hl[i]!;
  const lhm = new Float64Array(n); // lower' H M / slack, by column
  for (let j = 0; j < n; j++) {
    let v = 0;
    for (let k = 0; k < n; k++) v += lower[k]! * hm[k * n + j]!;
    lhm[j] = v / slack;
  }
  const hessian = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) hessian[i * n + j] = hm[i * n + j]! + lhm[j]!;
  // Symmetrize the rounding.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = (hessian[i * n + j]! + hessian[j * n + i]!) / 2;
      hessian[i * n + j] = v;
      hessian[j * n + i] = v;
    }
  }
  const excessRow = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let v = 0;
    for (let i = 0; i < n; i++) v += excess[i]! * m(i, j);
    excessRow[j] = v / p.muScale;
  }
  const rows: QpRow[] = [{ name: 'excess return of y = 1', coefficients: excessRow, lower: 1, upper: 1 }];
  for (let i = 0; i < n; i++) {
    const ratio = (upper[i]! - lower[i]!) / slack;
    if (ratio >= 1) continue; // z_i <= sum(z) holds for z >= 0
    rows.push({
      name: `upper bound of ${p.cov.symbols[i]}`,
      coefficients: Float64Array.from({ length: n }, (_, j) => ratio - (j === i ? 1 : 0)),
      lower: 0,
      upper: Infinity,
    });
  }
  const problem: QpProblem = {
    n,
    hessian,
    linear: new Float64Array(n),
    lower: new Float64Array(n),
    upper: new Float64Array(n).fill(Infinity),
    rows,
  };
  const solution = solveOrThrow(highs, problem, 'max_sharpe');
  // y = M z, kappa = sum(z) / slack, w = y / kappa.
  let sumZ = 0;
  for (let j = 0; j < n; j++) sumZ += solution.x[j]!;
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) weights[i] = (solution.x[i]! * slack) / sumZ + lower[i]!;
  return { solution, weights };
}

const ACTIVE_TOL = 1e-9;

function activeSetKey(w: Float64Array, p: Prepared): string {
  let key = '';
  for (let i = 0; i < p.n; i++) key += w[i]! <= p.lower[i]! + ACTIVE_TOL ? 'l' : w[i]! >= p.upper[i]! - ACTIVE_TOL ? 'u' : 'f';
  return key;
}

/**
 * On a stretch of the frontier where the same assets sit at their bounds, the optimum of the
 * target-return problem (weights and every multiplier) is affine in the target: the point at
 * fraction `s` from `lo` to `hi` is the optimum at that return, with no further solve. Its KKT
 * residuals are computed on the target-return problem at its own return, as an independent check.
 */
function interpolateOnStretch(p: Prepared, lo: QpSolution, hi: QpSolution, s: number): { solution: QpSolution; weights: Float64Array } {
  const lerp = (a: ArrayLike<number>, b: ArrayLike<number>, length: number) =>
    Float64Array.from({ length }, (_, i) => (a[i] ?? 0) + s * ((b[i] ?? 0) - (a[i] ?? 0)));
  const x = lerp(lo.x, hi.x, p.n);
  // The minimum-variance end has no return row: its multiplier there is 0.
  const rowDual = lerp(lo.rowDual, hi.rowDual, 2);
  const colDual = lerp(lo.colDual, hi.colDual, p.n);
  const problem = weightProblem(p, [budgetRow(p.n), returnRow(p, dot(p.mu!, x, p.n))]);
  const solution: QpSolution = { x, rowDual, colDual, kkt: kktResiduals(problem, x, rowDual, colDual), solver: hi.solver, solverStatus: hi.solverStatus };
  return { solution, weights: x };
}

/**
 * Target volatility: the highest expected return whose (efficient) volatility is the target.
 * Along the efficient frontier the minimum variance for a return target r is increasing in r from
 * the minimum-variance portfolio to the highest reachable return, and piecewise quadratic: on a
 * stretch where the same assets sit at their bounds, the weights are affine in r. So the method
 * bisects r until both ends of the bracket share their active bounds, then solves the quadratic
 * `variance(r) = target^2` on that stretch exactly and takes the weights there (see
 * {@link interpolateOnStretch}). Solving one more QP at the found return instead loses the
 * target when expected returns are nearly equal: the weights then move by about
 * `1 / (mu_i - mu_j)` per unit of return, so one rounding step in r is a visible step in volatility.
 */
function targetVolatilitySolve(highs: Highs, p: Prepared, target: number): { solution: QpSolution; weights: Float64Array } {
  const sigma = p.cov.matrix;
  const n = p.n;
  const variance = (w: Float64Array) => quadForm(sigma, w, n);
  const targetVar = target * target;
  const low = minVarianceSolve(highs, p);
  const lowVar = variance(low.x);
  if (targetVar < lowVar * (1 - 1e-10)) {
    fail(
      'INVALID_ARGUMENT',
      'targetVolatility',
      `targetVolatility ${target} is below the lowest volatility reachable within the bounds, ${Math.sqrt(lowVar)} (the minimum-variance portfolio)`,
      target,
      { min: Math.sqrt(lowVar) },
    );
  }
  const maxReturn = extremeLinear(p.mu!, p.lower, p.upper, 1).value;
  let lo = { r: dot(p.mu!, low.x, n), solution: low, v: lowVar };
  if (targetVar <= lowVar) return { solution: low, weights: low.x };
  const topSolution = targetReturnSolve(highs, p, maxReturn);
  let hi = { r: maxReturn, solution: topSolution, v: variance(topSolution.x) };
  // The highest-return portfolio is within the target: the volatility limit does not bind.
  if (hi.v <= targetVar) return { solution: hi.solution, weights: hi.solution.x };
  for (let iteration = 0; iteration < 200; iteration++) {
    if (activeSetKey(lo.solution.x, p) === activeSetKey(hi.solution.x, p)) {
      // w(s) = w_lo + s (w_hi - w_lo): variance(s) = a s^2 + b s + c.
      const d = hi.solution.x.map((v, i) => v - lo.solution.x[i]!);
      const a = variance(d);
      let b = 0;
      for (let i = 0; i < n; i++) {
        let row = 0;
        for (let j = 0; j < n; j++) row += sigma[i * n + j]! * d[j]!;
        b += 2 * lo.solution.x[i]! * row;
      }
      const c = lo.v - targetVar;
      const disc = Math.max(0, b * b - 4 * a * c);
      const s = a > 0 ? (-b + Math.sqrt(disc)) / (2 * a) : -c / b;
      return interpolateOnStretch(p, lo.solution, hi.solution, Math.min(1, Math.max(0, s)));
    }
    const next = (lo.r + hi.r) / 2;
    const solution = targetReturnSolve(highs, p, next);
    const v = variance(solution.x);
    if (Math.abs(v - targetVar) <= 1e-12 * targetVar || hi.r - lo.r <= 1e-15 * Math.max(1, Math.abs(hi.r))) {
      return { solution, weights: solution.x };
    }
    if (v < targetVar) lo = { r: next, solution, v };
    else hi = { r: next, solution, v };
  }
  fail('INVARIANT_VIOLATION', 'targetVolatility', `target_volatility did not converge to ${target}`);
}

function finish(p: Prepared, objective: Objective, solution: QpSolution, weights: Float64Array): PortfolioOptimization {
  const { n, cov, mu } = p;
  const w = Float64Array.from(weights);
  const volatility = Math.sqrt(Math.max(0, quadForm(cov.matrix, w, n)));
  const expectedReturn = mu === undefined ? undefined : dot(mu, w, n);
  const { kkt } = solution;
  return Object.freeze({
    objective,
    status: worstResidual(kkt) <= KKT_TOLERANCE ? 'optimal' : 'inaccurate',
    solver: solution.solver,
    solverStatus: solution.solverStatus,
    symbols: cov.symbols,
    weights: Object.freeze(toRecord(cov.symbols, w)),
    vector: w,
    ...(expectedReturn === undefined ? {} : { expectedReturn, sharpeRatio: (expectedReturn - p.riskFreeRate) / volatility }),
    volatility,
    kkt,
    annualized: cov.annualized,
  });
}

/**
 * Mean-variance optimization on the HiGHS QP solver, weights summing to 1 within per-asset
 * bounds (long-only `[0, 1]` by default), with an optional L2 penalty:
 *
 * - `min_variance`: minimize `w'(Sigma + gamma I)w`.
 * - `max_sharpe`: maximize `(mu'w - rf) / sqrt(w'(Sigma + gamma I)w)` through the homogenized
 *   convex QP (no search over returns).
 * - `target_return`: minimize variance subject to `mu'w >= targetReturn`.
 * - `target_volatility`: maximize `mu'w` subject to `sqrt(w'Sigma w) <= targetVolatility`, solved
 *   on the efficient frontier (see the README); no L2 penalty.
 *
 * Units: `mu`, `cov` and `riskFreeRate` share one unit (per period, or annualized). Infeasible
 * input is an INVALID_ARGUMENT error naming the constraint (bounds that cannot sum to 1, a target
 * return above the reachable maximum, a target volatility below the minimum).
 *
 * @example
 * const result = await optimizePortfolio({ cov, mu, objective: 'max_sharpe', riskFreeRate: 0.0001 });
 * result.weights; // { AAPL: 0.31, MSFT: 0.69, ... }
 */
export async function optimizePortfolio(options: OptimizePortfolioOptions): Promise<PortfolioOptimization> {
  const o = parseOptions(optionsSchema, options, { what: 'optimizePortfolio options', code: 'INVALID_ARGUMENT' });
  const needsMu = o.objective === 'min_variance' ? undefined : `objective "${o.objective}"`;
  if (o.objective === 'target_return' && o.targetReturn === undefined) fail('INVALID_ARGUMENT', 'targetReturn', 'objective "target_return" needs targetReturn');
  if (o.objective === 'target_volatility' && o.targetVolatility === undefined) {
    fail('INVALID_ARGUMENT', 'targetVolatility', 'objective "target_volatility" needs targetVolatility');
  }
  if (o.objective === 'target_volatility' && o.l2Penalty > 0) {
    fail('INVALID_ARGUMENT', 'l2Penalty', 'objective "target_volatility" does not take an l2Penalty (the volatility target is on w\'Sigma w)', o.l2Penalty);
  }
  const p = prepare(o.cov, o.mu, { bounds: o.bounds, l2Penalty: o.l2Penalty, riskFreeRate: o.riskFreeRate }, needsMu);
  const highs = await loadSolver();
  switch (o.objective) {
    case 'min_variance': {
      const s = minVarianceSolve(highs, p);
      return finish(p, o.objective, s, s.x);
    }
    case 'target_return': {
      const s = targetReturnSolve(highs, p, o.targetReturn!);
      return finish(p, o.objective, s, s.x);
    }
    case 'max_sharpe': {
      const { solution, weights } = maxSharpeSolve(highs, p);
      return finish(p, o.objective, solution, weights);
    }
    case 'target_volatility': {
      const { solution, weights } = targetVolatilitySolve(highs, p, o.targetVolatility!);
      return finish(p, o.objective, solution, weights);
    }
  }
}

/** Options of {@link efficientFrontier}. */
export interface EfficientFrontierOptions extends PortfolioConstraints {
  readonly cov: CovarianceInput;
  readonly mu: ExpectedReturnsInput;
  /** Number of portfolios, evenly spaced in expected return from the minimum-variance one to the highest reachable return (default 20, at least 2). */
  readonly points?: number;
}

/** One portfolio of {@link efficientFrontier}. */
export interface FrontierPoint {
  readonly targetReturn: number;
  readonly expectedReturn: number;
  readonly volatility: number;
  readonly sharpeRatio: number;
  readonly weights: Readonly<Record<string, number>>;
  readonly status: 'optimal' | 'inaccurate';
}

const frontierSchema = z.strictObject({
  cov: optionsSchema.shape.cov,
  mu: z.custom<ExpectedReturnsInput>((v) => typeof v === 'object' && v !== null, { error: 'expected expected returns { symbols, values }' }),
  points: z.number().int().min(2).default(20),
  ...constraintShape,
});

/**
 * The efficient frontier as `points` target-return portfolios, evenly spaced in expected return
 * from the minimum-variance portfolio's return to the highest return reachable within the
 * bounds (both included), each the minimum-variance portfolio for its target.
 *
 * @example
 * const { points } = await efficientFrontier({ cov, mu, points: 30 });
 * points.map((p) => [p.volatility, p.expectedReturn]);
 */
export async function efficientFrontier(options: EfficientFrontierOptions): Promise<{ readonly points: readonly FrontierPoint[] }> {
  const o = parseOptions(frontierSchema, options, { what: 'efficientFrontier options', code: 'INVALID_ARGUMENT' });
  const p = prepare(o.cov, o.mu, { bounds: o.bounds, l2Penalty: o.l2Penalty, riskFreeRate: o.riskFreeRate }, 'efficientFrontier');
  const highs = await loadSolver();
  const low = minVarianceSolve(highs, p);
  const r0 = dot(p.mu!, low.x, p.n);
  const r1 = extremeLinear(p.mu!, p.lower, p.upper, 1).value;
  const points: FrontierPoint[] = [];
  for (let k = 0; k < o.points; k++) {
    const target = k === o.points - 1 ? r1 : r0 + ((r1 - r0) * k) / (o.points - 1);
    const solution = k === 0 ? low : targetReturnSolve(highs, p, target);
    const result = finish(p, 'target_return', solution, solution.x);
    points.push(
      Object.freeze({
        targetReturn: target,
        expectedReturn: result.expectedReturn!,
        volatility: result.volatility,
        sharpeRatio: result.sharpeRatio!,
        weights: result.weights,
        status: result.status,
      }),
    );
  }
  return Object.freeze({ points: Object.freeze(points) });
}
