import highsLoader, { type Highs } from 'highs';
import quadprog from 'quadprog';
import { AlgoTradingError } from '@algo-trading/core';
import { luSolveInPlace } from './linalg';

/**
 * The one adapter to the quadratic-programming solvers (internal).
 *
 * - HiGHS (the `highs` package: HiGHS compiled to WebAssembly, the .wasm file ships inside the
 *   package) solves first: its active-set QP solver is fast (about 6x quadprog on 500 assets).
 * - quadprog (Goldfarb-Idnani dual active set, a port of R's quadprog) solves when HiGHS does not
 *   return an optimum whose KKT residuals are below {@link KKT_TOLERANCE}: HiGHS 1.15 fails on a
 *   small share of well-posed problems ("QP solver claims optimality, but with ... primal
 *   infeasibilities", and a WebAssembly memory fault on one 3-asset problem). quadprog is exact
 *   to rounding but slow in V8 beyond a few hundred assets.
 *
 * Problem form: minimize `1/2 x'Px + q'x` subject to `lower <= x <= upper` and
 * `rowLower <= a_r' x <= rowUpper` for each row r. `P` must be positive semi-definite; callers
 * scale it to a unit mean diagonal (HiGHS stalls on Hessians with entries around 1e-5).
 */

/** One linear constraint row. */
export interface QpRow {
  /** Name used in error messages, e.g. `sum of weights`. */
  readonly name: string;
  readonly coefficients: Float64Array;
  readonly lower: number;
  readonly upper: number;
}

/** A QP in the form above; infinite bounds as +-Infinity. */
export interface QpProblem {
  readonly n: number;
  /** Dense row-major n x n Hessian P (symmetric). */
  readonly hessian: Float64Array;
  readonly linear: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly rows: readonly QpRow[];
}

/** KKT residuals of a solution, in the units of the (scaled) problem. */
export interface KktResiduals {
  /** max |P x + q - A'y - z|: gradient of the Lagrangian. */
  readonly stationarity: number;
  /** Largest violation of a bound or a row. */
  readonly primalFeasibility: number;
  /** Largest multiplier of the wrong sign (pushing against a bound that is not there). */
  readonly dualFeasibility: number;
  /** Largest multiplier x distance to its bound. */
  readonly complementarity: number;
}

/** Outcome of {@link solveQp}. */
export interface QpSolution {
  readonly x: Float64Array;
  /** Row multipliers y (gradient = A'y + z at the optimum; > 0 at a lower row bound). */
  readonly rowDual: Float64Array;
  /** Bound multipliers z (> 0 at a lower bound, < 0 at an upper bound). */
  readonly colDual: Float64Array;
  readonly kkt: KktResiduals;
  /** The solver whose answer this is. */
  readonly solver: 'highs' | 'quadprog';
  /** `Optimal` from HiGHS, or what made the quadprog fallback run. */
  readonly solverStatus: string;
}

/** Largest KKT residual (scaled problem) accepted from HiGHS before quadprog takes over. */
export const KKT_TOLERANCE = 1e-8;

/** Largest of the KKT residuals. */
export function worstResidual(kkt: KktResiduals): number {
  return Math.max(kkt.stationarity, kkt.primalFeasibility, kkt.dualFeasibility, kkt.complementarity);
}

let loading: Promise<Highs> | undefined;

/**
 * Loads the HiGHS WebAssembly module once per process (about 0.1-0.5 s the first time; later calls
 * resolve at once). Loading is deferred to the first optimization, so importing this package has
 * no side effects.
 */
export function loadSolver(): Promise<Highs> {
  loading ??= highsLoader().catch((cause: unknown) => {
    loading = undefined;
    throw new AlgoTradingError('UNSUPPORTED', `cannot load the HiGHS solver (package "highs"): ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
  });
  return loading;
}

// HiGHS model status codes (HighsModelStatus): 7 optimal, 8 infeasible, 9 unbounded or
// infeasible, 10 unbounded, 13 time limit, 14 iteration limit.
const MODEL_STATUS: Record<number, string> = {
  0: 'NotSet',
  1: 'LoadError',
  2: 'ModelError',
  3: 'PresolveError',
  4: 'SolveError',
  5: 'PostsolveError',
  6: 'ModelEmpty',
  7: 'Optimal',
  8: 'Infeasible',
  9: 'UnboundedOrInfeasible',
  10: 'Unbounded',
  11: 'ObjectiveBound',
  12: 'ObjectiveTarget',
  13: 'TimeLimit',
  14: 'IterationLimit',
  15: 'Unknown',
  16: 'SolutionLimit',
  17: 'Interrupt',
  18: 'MemoryLimit',
};

/** Error thrown by {@link solveQp} when HiGHS does not reach an optimum. */
export class QpNotSolved extends Error {
  constructor(
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Solves the QP: HiGHS first, quadprog when HiGHS fails or its answer misses the KKT tolerance
 * (see the module comment). Throws {@link QpNotSolved} (status `Infeasible`) when quadprog finds
 * the constraints inconsistent.
 */
export function solveQp(highs: Highs, problem: QpProblem): QpSolution {
  let reason: string;
  try {
    const solution = solveWithHighs(highs, problem);
    const accepted = acceptOrPolish(problem, solution);
    if (accepted !== undefined) return accepted;
    reason = `HiGHS answer off by ${worstResidual(solution.kkt)} in the KKT conditions`;
  } catch (error) {
    // A WebAssembly fault may leave the module's memory broken: load a fresh one next time.
    if (!(error instanceof QpNotSolved)) loading = undefined;
    reason = `HiGHS failed: ${error instanceof QpNotSolved ? error.status : (error as Error)?.message}`;
  }
  const fallback = solveWithQuadprog(problem, reason);
  return acceptOrPolish(problem, fallback) ?? fallback;
}

/** The solution when it meets {@link KKT_TOLERANCE}, else its polished form when that does. */
function acceptOrPolish(problem: QpProblem, solution: QpSolution): QpSolution | undefined {
  const before = worstResidual(solution.kkt);
  if (before <= KKT_TOLERANCE) return solution;
  const polished = polishOnActiveSet(problem, solution.x);
  if (polished === undefined || worstResidual(polished.kkt) > KKT_TOLERANCE) return undefined;
  return { ...polished, solver: solution.solver, solverStatus: `${solution.solverStatus}, polished on its active set (KKT residual ${before} before)` };
}

/** A bound or an inequality row within this distance (relative) of x is taken as active. */
const ACTIVE_TOLERANCE = 1e-7;

/**
 * Active-set polishing (as OSQP's `polish`). Both solvers occasionally stop a little short of the
 * optimum (HiGHS with a stationarity residual around 1e-7), or return the right x with wrong
 * multipliers (quadprog on some degenerate problems). The bounds and rows that x meets within
 * {@link ACTIVE_TOLERANCE} are taken as equalities, and that equality-constrained QP is solved
 * exactly through its KKT system, which also gives every multiplier. When the active set was
 * guessed right the answer meets the KKT conditions to rounding; callers keep it only then.
 * Returns undefined when the KKT system is singular.
 */
function polishOnActiveSet(problem: QpProblem, x0: Float64Array): Pick<QpSolution, 'x' | 'rowDual' | 'colDual' | 'kkt'> | undefined {
  const { n, hessian, linear, lower, upper, rows } = problem;
  const near = (value: number, bound: number) => Math.abs(value - bound) <= ACTIVE_TOLERANCE * (1 + Math.abs(bound));
  const x = Float64Array.from(x0);
  const free: number[] = [];
  for (let i = 0; i < n; i++) {
    if (near(x0[i]!, lower[i]!)) x[i] = lower[i]!;
    else if (near(x0[i]!, upper[i]!)) x[i] = upper[i]!;
    else free.push(i);
  }
  const active: Array<{ row: number; target: number }> = [];
  for (let r = 0; r < rows.length; r++) {
    const { coefficients, lower: lo, upper: hi } = rows[r]!;
    let activity = 0;
    for (let j = 0; j < n; j++) activity += coefficients[j]! * x0[j]!;
    if (lo === hi || near(activity, lo)) active.push({ row: r, target: lo });
    else if (near(activity, hi)) active.push({ row: r, target: hi });
  }
  const f = free.length;
  const m = active.length;
  if (m > f) return undefined;
  // [H_FF  -A_F'] [x_F]   [-q_F - H_FB x_B     ]
  // [A_F     0  ] [y  ] = [target - A_B x_B    ]  (x_B: the variables held at a bound)
  const size = f + m;
  const kkt = new Float64Array(size * size);
  const rhs = new Float64Array(size);
  const isFree = new Uint8Array(n);
  for (const i of free) isFree[i] = 1;
  for (let a = 0; a < f; a++) {
    const i = free[a]!;
    let value = -linear[i]!;
    for (let j = 0; j < n; j++) if (isFree[j] === 0) value -= hessian[i * n + j]! * x[j]!;
    rhs[a] = value;
    for (let b = 0; b < f; b++) kkt[a * size + b] = hessian[i * n + free[b]!]!;
    for (let c = 0; c < m; c++) kkt[a * size + f + c] = -rows[active[c]!.row]!.coefficients[i]!;
  }
  for (let c = 0; c < m; c++) {
    const { row, target } = active[c]!;
    const a = rows[row]!.coefficients;
    let value = target;
    for (let j = 0; j < n; j++) if (isFree[j] === 0) value -= a[j]! * x[j]!;
    rhs[f + c] = value;
    for (let b = 0; b < f; b++) kkt[(f + c) * size + b] = a[free[b]!]!;
  }
  if (!luSolveInPlace(kkt, size, rhs)) return undefined;
  for (let a = 0; a < f; a++) x[free[a]!] = rhs[a]!;
  const rowDual = new Float64Array(rows.length);
  for (let c = 0; c < m; c++) rowDual[active[c]!.row] = rhs[f + c]!;
  // A variable held at a bound takes the rest of the gradient as its bound multiplier.
  const colDual = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (isFree[i] === 1) continue;
    let g = linear[i]!;
    for (let j = 0; j < n; j++) g += hessian[i * n + j]! * x[j]!;
    for (let r = 0; r < rows.length; r++) g -= rows[r]!.coefficients[i]! * rowDual[r]!;
    colDual[i] = g;
  }
  return { x, rowDual, colDual, kkt: kktResiduals(problem, x, rowDual, colDual) };
}

/**
 * Solves the QP with HiGHS' active-set QP solver, without its default Hessian regularization
 * (`qp_regularization_value` 1e-7 shifts the answer by about 1e-8), under a time limit so a
 * stalled solve cannot hang the caller. Throws {@link QpNotSolved} unless the model status is
 * optimal.
 */
function solveWithHighs(highs: Highs, problem: QpProblem): QpSolution {
  // 500 assets solve in well under a second: a minute there means a stalled solve.
  const timeLimitSeconds = 10 + problem.n / 10;
  const { n, hessian, linear, lower, upper, rows } = problem;
  const inf = highs.infinity;
  const clip = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);
  // Lower triangle of P in compressed columns, explicit zeros dropped.
  const starts = new Int32Array(n + 1);
  let nnz = 0;
  for (let j = 0; j < n; j++) for (let i = j; i < n; i++) if (hessian[i * n + j] !== 0) nnz++;
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  for (let j = 0; j < n; j++) {
    starts[j] = k;
    for (let i = j; i < n; i++) {
      const v = hessian[i * n + j]!;
      if (v !== 0) {
        indices[k] = i;
        values[k++] = v;
      }
    }
  }
  starts[n] = k;
  const m = rows.length;
  const rowStarts = new Int32Array(m + 1);
  const rowIndices: number[] = [];
  const rowValues: number[] = [];
  for (let r = 0; r < m; r++) {
    rowStarts[r] = rowIndices.length;
    const a = rows[r]!.coefficients;
    for (let j = 0; j < n; j++) {
      if (a[j] !== 0) {
        rowIndices.push(j);
        rowValues.push(a[j]!);
      }
    }
  }
  rowStarts[m] = rowIndices.length;
  const model = highs.createModel({
    numCols: n,
    numRows: m,
    colCost: linear,
    colLower: lower.map(clip),
    colUpper: upper.map(clip),
    rowLower: rows.map((r) => clip(r.lower)),
    rowUpper: rows.map((r) => clip(r.upper)),
    matrix: { format: 'csr', numRows: m, numCols: n, starts: rowStarts, indices: Int32Array.from(rowIndices), values: Float64Array.from(rowValues) },
    hessian: { format: 'triangular', dimension: n, starts, indices, values },
  });
  try {
    model.options.set('qp_regularization_value', 0);
    model.options.set('time_limit', timeLimitSeconds);
    model.options.set('output_flag', false);
    model.run();
    const code = model.getModelStatus() as number;
    const status = MODEL_STATUS[code] ?? `status ${code}`;
    if (code !== 7) throw new QpNotSolved(status, `HiGHS stopped with model status ${status}`);
    const solution = model.getSolution();
    const x = Float64Array.from(solution.colValue);
    const rowDual = Float64Array.from(solution.rowDual);
    const colDual = Float64Array.from(solution.colDual);
    return { x, rowDual, colDual, kkt: kktResiduals(problem, x, rowDual, colDual), solver: 'highs', solverStatus: status };
  } finally {
    model.dispose();
  }
}

/** KKT residuals of `x` with multipliers (y, z) for the problem (see {@link KktResiduals}). */
export function kktResiduals(problem: QpProblem, x: Float64Array, y: Float64Array, z: Float64Array): KktResiduals {
  const { n, hessian, linear, lower, upper, rows } = problem;
  let stationarity = 0;
  let primal = 0;
  let dual = 0;
  let comp = 0;
  const grad = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let g = linear[i]!;
    for (let j = 0; j < n; j++) g += hessian[i * n + j]! * x[j]!;
    grad[i] = g - z[i]!;
  }
  for (let r = 0; r < rows.length; r++) {
    const { coefficients: a, lower: lo, upper: hi } = rows[r]!;
    let activity = 0;
    for (let j = 0; j < n; j++) {
      activity += a[j]! * x[j]!;
      grad[j]! -= a[j]! * y[r]!;
    }
    primal = Math.max(primal, lo - activity, activity - hi);
    const yr = y[r]!;
    if (yr > 0) {
      if (lo === -Infinity) dual = Math.max(dual, yr);
      else comp = Math.max(comp, yr * Math.abs(activity - lo));
    } else if (yr < 0) {
      if (hi === Infinity) dual = Math.max(dual, -yr);
      else comp = Math.max(comp, -yr * Math.abs(hi - activity));
    }
  }
  for (let i = 0; i < n; i++) {
    stationarity = Math.max(stationarity, Math.abs(grad[i]!));
    primal = Math.max(primal, lower[i]! - x[i]!, x[i]! - upper[i]!);
    const zi = z[i]!;
    if (zi > 0) {
      if (lower[i] === -Infinity) dual = Math.max(dual, zi);
      else comp = Math.max(comp, zi * Math.abs(x[i]! - lower[i]!));
    } else if (zi < 0) {
      if (upper[i] === Infinity) dual = Math.max(dual, -zi);
      else comp = Math.max(comp, -zi * Math.abs(upper[i]! - x[i]!));
    }
  }
  return { stationarity, primalFeasibility: Math.max(0, primal), dualFeasibility: dual, complementarity: comp };
}

/**
 * quadprog's `solveQP` (1-based arrays): minimize `-d'b + 1/2 b'Db` subject to `A'b >= b0`, the
 * first `meq` constraints as equalities. Rows and bounds become columns of A; the multipliers come
 * back per constraint (>= 0 for inequalities) and are folded into row and bound multipliers.
 */
function solveWithQuadprog(problem: QpProblem, reason: string): QpSolution {
  const { n, hessian, linear, lower, upper, rows } = problem;
  // Constraint list: [coefficients, right-hand side, target (row r or column i), sign].
  const constraints: Array<{ a: (j: number) => number; b: number; row: number; col: number; sign: 1 | -1 }> = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.lower === row.upper) constraints.push({ a: (j) => row.coefficients[j]!, b: row.lower, row: r, col: -1, sign: 1 });
  }
  const meq = constraints.length;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.lower === row.upper) continue;
    if (row.lower > -Infinity) constraints.push({ a: (j) => row.coefficients[j]!, b: row.lower, row: r, col: -1, sign: 1 });
    if (row.upper < Infinity) constraints.push({ a: (j) => -row.coefficients[j]!, b: -row.upper, row: r, col: -1, sign: -1 });
  }
  for (let i = 0; i < n; i++) {
    if (lower[i]! > -Infinity) constraints.push({ a: (j) => (j === i ? 1 : 0), b: lower[i]!, row: -1, col: i, sign: 1 });
    if (upper[i]! < Infinity) constraints.push({ a: (j) => (j === i ? -1 : 0), b: -upper[i]!, row: -1, col: i, sign: -1 });
  }
  const q = constraints.length;
  const run = (ridge: number) => {
    const dmat: Float64Array[] = [new Float64Array(n + 1)];
    const amat: Float64Array[] = [new Float64Array(q + 1)];
    const dvec = new Float64Array(n + 1);
    const bvec = new Float64Array(q + 1);
    for (let i = 1; i <= n; i++) {
      const row = new Float64Array(n + 1);
      for (let j = 1; j <= n; j++) row[j] = hessian[(i - 1) * n + (j - 1)]!;
      row[i]! += ridge;
      dmat.push(row);
      dvec[i] = -linear[i - 1]!;
      const a = new Float64Array(q + 1);
      for (let k = 0; k < q; k++) a[k + 1] = constraints[k]!.a(i - 1);
      amat.push(a);
    }
    for (let k = 0; k < q; k++) bvec[k + 1] = constraints[k]!.b;
    return quadprog.solveQP(dmat, dvec, amat, bvec, meq);
  };
  let result = run(0);
  if (result.message === 'matrix D in quadratic function is not positive definite!') {
    // A singular (PSD) Hessian: a ridge far below the unit scale of the problem.
    result = run(1e-12);
  }
  if (result.message === 'constraints are inconsistent, no solution!') {
    throw new QpNotSolved('Infeasible', 'quadprog: the constraints are inconsistent');
  }
  if (result.message !== '' || result.solution === undefined) {
    throw new QpNotSolved('SolveError', `quadprog: ${result.message}`);
  }
  const x = Float64Array.from({ length: n }, (_, i) => result.solution![i + 1]!);
  const rowDual = new Float64Array(rows.length);
  const colDual = new Float64Array(n);
  for (let k = 0; k < q; k++) {
    const c = constraints[k]!;
    const multiplier = c.sign * (result.Lagrangian![k + 1] ?? 0);
    if (c.row >= 0) rowDual[c.row]! += multiplier;
    else colDual[c.col]! += multiplier;
  }
  return { x, rowDual, colDual, kkt: kktResiduals(problem, x, rowDual, colDual), solver: 'quadprog', solverStatus: reason };
}
