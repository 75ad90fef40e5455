import { describe, expect, it } from 'vitest';
import inaccurate from '../test/fixtures/highs-inaccurate-qp.json';
import { luSolveInPlace } from './linalg';
import { KKT_TOLERANCE, kktResiduals, loadSolver, solveQp, worstResidual } from './qp';

describe('solveQp and kktResiduals', () => {
  // minimize 1/2 (x1^2 + x2^2) - 3 x1 - x2 with x1 + x2 = 1, 0 <= x <= 1.
  // Unconstrained optimum (3, 1); on the budget line the optimum is x = (1, 0), both bounds
  // active: gradient (x1 - 3, x2 - 1) = (-2, -1) = y (1, 1) + z with z1 <= 0 (upper bound) and
  // z2 >= 0 (lower bound); degenerate, e.g. y = -1, z = (-1, 0) or y = -2, z = (0, 1).
  const problem = {
    n: 2,
    hessian: Float64Array.from([1, 0, 0, 1]),
    linear: Float64Array.from([-3, -1]),
    lower: Float64Array.from([0, 0]),
    upper: Float64Array.from([1, 1]),
    rows: [{ name: 'budget', coefficients: Float64Array.from([1, 1]), lower: 1, upper: 1 }],
  };

  it('solves a QP worked by hand and reports zero residuals', async () => {
    const solution = solveQp(await loadSolver(), problem);
    expect(solution.x[0]).toBeCloseTo(1, 14);
    expect(solution.x[1]).toBeCloseTo(0, 14);
    const [y] = solution.rowDual;
    const [z1, z2] = solution.colDual;
    expect(y! + z1!).toBeCloseTo(-2, 12);
    expect(y! + z2!).toBeCloseTo(-1, 12);
    expect(z1).toBeLessThanOrEqual(1e-12);
    expect(z2).toBeGreaterThanOrEqual(-1e-12);
    expect(solution.kkt.stationarity).toBeLessThan(1e-12);
  });

  it('measures each violated condition', () => {
    const x = Float64Array.from([1, 0]);
    const ok = kktResiduals(problem, x, Float64Array.from([-1]), Float64Array.from([-1, 0]));
    expect(ok).toEqual({ stationarity: 0, primalFeasibility: 0, dualFeasibility: 0, complementarity: 0 });
    // Wrong bound multiplier sign at x1's upper bound leaves a gradient residual of 2.
    expect(kktResiduals(problem, x, Float64Array.from([-1]), Float64Array.from([1, 0])).stationarity).toBe(2);
    // Infeasible point: budget off by 0.5.
    expect(kktResiduals(problem, Float64Array.from([0.5, 0]), Float64Array.from([0]), Float64Array.from([0, 0])).primalFeasibility).toBe(0.5);
    // A positive multiplier on a bound that is not active: complementarity 1 x 0.5.
    expect(kktResiduals(problem, Float64Array.from([0.5, 0.5]), Float64Array.from([0]), Float64Array.from([1, 0])).complementarity).toBe(0.5);
  });
});

describe('active-set polishing', () => {
  it('polishes a HiGHS answer that stops short of the KKT tolerance, keeping the HiGHS active set', async () => {
    // A target-return QP (5 assets, bounds [-2, 3], the return row active) on which HiGHS 1.15
    // stops with a stationarity residual of 6.3e-7.
    const problem = {
      n: 5,
      hessian: Float64Array.from(inaccurate.hessian),
      linear: new Float64Array(5),
      lower: Float64Array.from(inaccurate.lower),
      upper: Float64Array.from(inaccurate.upper),
      rows: inaccurate.rows.map((r) => ({ name: r.name, coefficients: Float64Array.from(r.coefficients), lower: r.lower, upper: r.upper ?? Infinity })),
    };
    const solution = solveQp(await loadSolver(), problem);
    expect(solution.solver).toBe('highs');
    expect(solution.solverStatus).toMatch(/^Optimal, polished on its active set \(KKT residual 6\.\d+e-7 before\)$/);
    expect(worstResidual(solution.kkt)).toBeLessThan(1e-12);
    expect(worstResidual(solution.kkt)).toBeLessThanOrEqual(KKT_TOLERANCE);
    // x0 at its lower bound with a positive multiplier; the return row active with a positive one.
    expect(solution.x[0]).toBe(-2);
    expect(solution.colDual[0]).toBeGreaterThan(0);
    expect(solution.rowDual[1]).toBeGreaterThan(0);
    let activity = 0;
    for (let j = 0; j < 5; j++) activity += problem.rows[1]!.coefficients[j]! * solution.x[j]!;
    expect(activity).toBeCloseTo(problem.rows[1]!.lower, 12);
  });
});

describe('luSolveInPlace', () => {
  it('solves a system that needs a row exchange (zero leading entry)', () => {
    // [0 2 1; 1 1 0; 2 0 3] x = b with b = A (1, 2, 3).
    const a = Float64Array.from([0, 2, 1, 1, 1, 0, 2, 0, 3]);
    const b = Float64Array.from([0 * 1 + 2 * 2 + 1 * 3, 1 * 1 + 1 * 2, 2 * 1 + 3 * 3]);
    expect(luSolveInPlace(a, 3, b)).toBe(true);
    expect(Array.from(b, (v) => Number(v.toFixed(12)))).toEqual([1, 2, 3]);
  });

  it('reports a singular system', () => {
    const a = Float64Array.from([1, 2, 2, 4]);
    expect(luSolveInPlace(a, 2, Float64Array.from([1, 2]))).toBe(false);
  });
});
