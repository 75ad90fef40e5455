import highsLoader, { type Highs } from 'highs';
import { AlgoTradingError } from '@algo-trading/core';

/**
 * The one adapter to the quadratic-programming solver (internal): HiGHS (the `highs` package,
 * HiGHS compiled to WebAssembly; the .wasm file ships inside the package, nothing is downloaded).
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
  /** HiGHS model status text, e.g. `Optimal`. */
  readonly solverStatus: string;
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
 * Solves the QP with HiGHS' active-set QP solver, without its default Hessian regularization
 * (`qp_regularization_value` 1e-7 shifts the answer by about 1e-8), under a time limit so a
 * stalled solve cannot hang the caller. Throws {@link QpNotSolved} unless the model status is
 * optimal.
 */
export function solveQp(highs: Highs, problem: QpProblem, timeLimitSeconds = 60): QpSolution {
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
    return { x, rowDual, colDual, kkt: kktResiduals(problem, x, rowDual, colDual), solverStatus: status };
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
