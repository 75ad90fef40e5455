import { isAlgoTradingError } from '@algo-trading/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import failure from '../test/fixtures/highs-qp-failure.json';
import { instanceArb, kktViolation, mulVec } from '../test/helpers';
import { efficientFrontier, extremeLinear, optimizePortfolio } from './optimize';

async function rejected(promise: Promise<unknown>): Promise<{ code?: string; message: string; field?: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (isAlgoTradingError(error)) return { code: error.code, message: error.message, field: error.details.field };
    throw error;
  }
  throw new Error('expected an error');
}

const cov3 = { symbols: ['A', 'B', 'C'], matrix: [[0.04, 0.006, 0.01], [0.006, 0.09, 0.012], [0.01, 0.012, 0.0225]] };
const mu3 = { symbols: ['A', 'B', 'C'], values: [0.08, 0.12, 0.06] };

describe('closed forms', () => {
  it('two-asset minimum variance: w1 = (s2^2 - s12) / (s1^2 + s2^2 - 2 s12)', async () => {
    const cov = { symbols: ['X', 'Y'], matrix: [0.04, 0.006, 0.006, 0.09] };
    const result = await optimizePortfolio({ cov, objective: 'min_variance' });
    expect(result.status).toBe('optimal');
    expect(result.weights.X).toBeCloseTo(0.084 / 0.118, 14);
    expect(result.weights.Y).toBeCloseTo(0.034 / 0.118, 14);
    expect(result.volatility).toBeCloseTo(Math.sqrt((0.04 * 0.09 - 0.006 ** 2) / 0.118), 14);
  });

  it('unconstrained tangency portfolio is proportional to inv(Sigma)(mu - rf)', async () => {
    const rf = 0.02;
    // Wide bounds: the constraints do not bind, so Sigma w must be proportional to mu - rf.
    const result = await optimizePortfolio({ cov: cov3, mu: mu3, objective: 'max_sharpe', riskFreeRate: rf, bounds: [-50, 50] });
    const sw = mulVec(cov3.matrix.flat(), result.vector);
    const ratios = sw.map((v, i) => v / (mu3.values[i]! - rf));
    for (const r of ratios) expect(r / ratios[0]!).toBeCloseTo(1, 12);
    // Weights of +-50 cancel: the sum is 1 to about 1e-14.
    expect(result.vector.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    // Its Sharpe ratio is sqrt(e' inv(Sigma) e): the largest possible.
    const e = mu3.values.map((m) => m - rf);
    const k = ratios[0]!; // Sigma w = k e, so w = k inv(Sigma) e and e'w = k e' inv(Sigma) e.
    const eInvE = e.reduce((s, v, i) => s + v * result.vector[i]!, 0) / k;
    expect(result.sharpeRatio).toBeCloseTo(Math.sqrt(eInvE), 12);
  });

  it('a short-selling tangency example: the negative weight is kept', async () => {
    const cov = { symbols: ['X', 'Y'], matrix: [0.04, 0.018, 0.018, 0.09] };
    const mu = { symbols: ['X', 'Y'], values: [0.1, 0.03] };
    const result = await optimizePortfolio({ cov, mu, objective: 'max_sharpe', bounds: [-5, 5] });
    // inv(Sigma) mu ∝ [0.09 x 0.1 - 0.018 x 0.03, -0.018 x 0.1 + 0.04 x 0.03] = [0.00846, -0.0006].
    expect(result.weights.X).toBeCloseTo(0.00846 / 0.00786, 12);
    expect(result.weights.Y).toBeCloseTo(-0.0006 / 0.00786, 12);
  });
});

describe('objectives', () => {
  it('target_return reaches the target on the efficient side', async () => {
    const result = await optimizePortfolio({ cov: cov3, mu: mu3, objective: 'target_return', targetReturn: 0.1 });
    expect(result.expectedReturn).toBeCloseTo(0.1, 14);
    const minVar = await optimizePortfolio({ cov: cov3, objective: 'min_variance' });
    expect(result.volatility).toBeGreaterThan(minVar.volatility);
  });

  it('target_volatility hits the volatility and the frontier return there', async () => {
    const result = await optimizePortfolio({ cov: cov3, mu: mu3, objective: 'target_volatility', targetVolatility: 0.2 });
    expect(result.status).toBe('optimal');
    expect(result.volatility).toBeCloseTo(0.2, 12);
    // The target-return portfolio at that return has the same volatility (it is on the frontier).
    const check = await optimizePortfolio({ cov: cov3, mu: mu3, objective: 'target_return', targetReturn: result.expectedReturn! });
    expect(check.volatility).toBeCloseTo(0.2, 10);
    // Above the highest-return portfolio's volatility the limit does not bind.
    const loose = await optimizePortfolio({ cov: cov3, mu: mu3, objective: 'target_volatility', targetVolatility: 1 });
    expect(loose.weights.B).toBeCloseTo(1, 12);
  });

  it('the efficient frontier runs from the minimum-variance portfolio to the highest return', async () => {
    const { points } = await efficientFrontier({ cov: cov3, mu: mu3, points: 6 });
    expect(points).toHaveLength(6);
    const minVar = await optimizePortfolio({ cov: cov3, mu: mu3, objective: 'min_variance' });
    expect(points[0]!.volatility).toBeCloseTo(minVar.volatility, 14);
    expect(points[5]!.expectedReturn).toBeCloseTo(0.12, 14);
    for (let k = 1; k < points.length; k++) {
      expect(points[k]!.expectedReturn).toBeGreaterThan(points[k - 1]!.expectedReturn);
      expect(points[k]!.volatility).toBeGreaterThan(points[k - 1]!.volatility);
      expect(points[k]!.status).toBe('optimal');
    }
  });

  it('an L2 penalty spreads the weights', async () => {
    const plain = await optimizePortfolio({ cov: cov3, objective: 'min_variance' });
    const penalized = await optimizePortfolio({ cov: cov3, objective: 'min_variance', l2Penalty: 1 });
    const spread = (w: Float64Array) => Math.max(...w) - Math.min(...w);
    expect(spread(penalized.vector)).toBeLessThan(spread(plain.vector));
    // gamma large: nearly equal weights.
    const huge = await optimizePortfolio({ cov: cov3, objective: 'min_variance', l2Penalty: 1e6 });
    for (const w of huge.vector) expect(w).toBeCloseTo(1 / 3, 6);
  });

  it('per-asset bounds are respected', async () => {
    const result = await optimizePortfolio({ cov: cov3, mu: mu3, objective: 'max_sharpe', bounds: { C: [0.5, 0.6] } });
    expect(result.weights.C).toBeGreaterThanOrEqual(0.5 - 1e-12);
    expect(result.weights.C).toBeLessThanOrEqual(0.6 + 1e-12);
  });
});

describe('KKT conditions (property, independent check)', () => {
  const fullCov = (m: Float64Array, gamma: number, n: number) => Array.from(m, (v, k) => v + (k % (n + 1) === 0 ? gamma : 0));

  it('min_variance, target_return, max_sharpe and target_volatility satisfy KKT to 1e-8', async () => {
    await fc.assert(
      fc.asyncProperty(instanceArb, fc.constantFrom(0, 0.1), async ({ n, cov, mu, bounds }, gamma) => {
        const [lower, upper] = bounds;
        const sigma = fullCov(cov.matrix, gamma, n);
        // min variance: gradient 2 (Sigma + gamma I) w.
        const mv = await optimizePortfolio({ cov, objective: 'min_variance', bounds, l2Penalty: gamma });
        expect(mv.status).toBe('optimal');
        expect(Math.max(mv.kkt.stationarity, mv.kkt.primalFeasibility, mv.kkt.dualFeasibility, mv.kkt.complementarity)).toBeLessThanOrEqual(1e-8);
        expect(kktViolation({ gradient: mulVec(sigma, mv.vector).map((v) => 2 * v), w: mv.vector, lower, upper })).toBeLessThanOrEqual(1e-8);

        // target return halfway between the minimum-variance return and the maximum.
        const max = extremeLinear(Float64Array.from(mu.values), Float64Array.from({ length: n }, () => lower), Float64Array.from({ length: n }, () => upper), 1).value;
        const target = (mv.expectedReturn ?? mu.values.reduce((s, v, i) => s + v * mv.vector[i]!, 0)) / 2 + max / 2;
        const tr = await optimizePortfolio({ cov, mu, objective: 'target_return', targetReturn: target, bounds, l2Penalty: gamma });
        expect(tr.status).toBe('optimal');
        expect(tr.expectedReturn!).toBeGreaterThanOrEqual(target - 1e-10);
        const trViolation = kktViolation({
          gradient: mulVec(sigma, tr.vector).map((v) => 2 * v),
          w: tr.vector,
          lower,
          upper,
          extra: mu.values,
        });
        if (!Number.isNaN(trViolation)) expect(trViolation).toBeLessThanOrEqual(1e-8);

        // max Sharpe: gradient of -(e'w) / sqrt(w'Sw) is proportional to -(e - (e'w / w'Sw) S w).
        const lowerVector = new Float64Array(n).fill(lower);
        const upperVector = new Float64Array(n).fill(upper);
        if (extremeLinear(Float64Array.from(mu.values), lowerVector, upperVector, 1).value > 1e-6) {
          const ms = await optimizePortfolio({ cov, mu, objective: 'max_sharpe', bounds, l2Penalty: gamma });
          expect(ms.status).toBe('optimal');
          const sw = mulVec(sigma, ms.vector);
          const ew = mu.values.reduce((s, v, i) => s + v * ms.vector[i]!, 0);
          const wsw = sw.reduce((s, v, i) => s + v * ms.vector[i]!, 0);
          const gradient = mu.values.map((e, i) => -(e - (ew / wsw) * sw[i]!) / Math.abs(ew));
          expect(kktViolation({ gradient, w: ms.vector, lower, upper })).toBeLessThanOrEqual(1e-8);
        }

        // target volatility between the minimum and the top of the frontier (no penalty).
        if (gamma === 0) {
          const top = await optimizePortfolio({ cov, mu, objective: 'target_return', targetReturn: max, bounds });
          if (top.volatility > mv.volatility * 1.01) {
            const sigmaTarget = (mv.volatility + top.volatility) / 2;
            const tv = await optimizePortfolio({ cov, mu, objective: 'target_volatility', targetVolatility: sigmaTarget, bounds });
            expect(tv.status).toBe('optimal');
            expect(Math.abs(tv.volatility - sigmaTarget)).toBeLessThanOrEqual(1e-9 * sigmaTarget);
            // Maximize mu'w s.t. w'Sw <= s^2: -mu + lambda 2 S w = nu 1 + bound multipliers.
            const v = kktViolation({ gradient: mu.values.map((m) => -m), w: tv.vector, lower, upper, extra: mulVec(sigma, tv.vector).map((x) => -2 * x) });
            if (!Number.isNaN(v)) expect(v).toBeLessThanOrEqual(1e-8);
          }
        }
      }),
      // KKT_RUNS=2000 explores more instances (with FC_SEED=random under CI).
      { numRuns: Number(process.env.KKT_RUNS ?? 40) },
    );
  });
});

describe('solver fallback', () => {
  it('solves with quadprog a problem HiGHS fails on, to the same KKT tolerance', async () => {
    const cov = { symbols: failure.symbols, matrix: failure.matrix };
    const mu = { symbols: failure.symbols, values: failure.mu };
    const bounds = failure.bounds as [number, number];
    const result = await optimizePortfolio({ cov, mu, objective: 'target_return', targetReturn: failure.targetReturn, bounds });
    expect(result.solver).toBe('quadprog');
    expect(result.solverStatus).toMatch(/HiGHS failed/);
    expect(result.status).toBe('optimal');
    expect(result.expectedReturn!).toBeGreaterThanOrEqual(failure.targetReturn - 1e-12);
    const v = kktViolation({ gradient: mulVec(failure.matrix, result.vector).map((x) => 2 * x), w: result.vector, lower: bounds[0], upper: bounds[1], extra: failure.mu });
    expect(v).toBeLessThanOrEqual(1e-8);
  });
});

describe('found by the KKT property test', () => {
  it('a HiGHS answer short of the tolerance is polished on its active set, not handed to quadprog', async () => {
    // HiGHS stopped with a stationarity residual of 6.3e-7 on a target-return QP of this
    // target_volatility solve; quadprog's multipliers on it were wrong by 3.
    const symbols = ['S0', 'S1', 'S2', 'S3', 'S4'];
    const matrix = [
      1.1487796841680624, 0.21526061166893415, 0.3654444611779869, 0.7228816315209635, 0.2908032911571947, 0.21526061166893415, 0.5567982823730926,
      0.19939206211311283, -0.08757725237168132, -0.4080030459690791, 0.3654444611779869, 0.19939206211311283, 0.3313605520420799, 0.2186237789278703,
      -0.05586908696582414, 0.7228816315209635, -0.08757725237168132, 0.2186237789278703, 1.2056124067384297, 0.7733495138150055, 0.2908032911571947,
      -0.4080030459690791, -0.05586908696582414, 0.7733495138150055, 1.7574490746783347,
    ];
    const mu = { symbols, values: [-0.04558385461568833, 0.17531306706368924, 0.09657775312662126, 0.09478418920189144, 0.22656471952795984] };
    const result = await optimizePortfolio({ cov: { symbols, matrix }, mu, objective: 'target_volatility', targetVolatility: 2.2282910597340106, bounds: [-2, 3] });
    expect(result.status).toBe('optimal');
    expect(result.volatility).toBeCloseTo(2.2282910597340106, 12);
    // S0 sits at its lower bound; the others are free: -mu + 2 lambda Sigma w = nu 1 on them.
    expect(result.weights.S0).toBe(-2);
    const v = kktViolation({ gradient: mu.values.map((m) => -m), w: result.vector, lower: -2, upper: 3, extra: mulVec(matrix, result.vector).map((x) => -2 * x) });
    expect(v).toBeLessThanOrEqual(1e-8);
  });

  it('target_volatility reaches its target when two expected returns are nearly equal', async () => {
    // The weights move by about 1 / (mu_1 - mu_0) = 3.7e5 per unit of return here: one rounding
    // step of the return is a visible step in volatility.
    const cov = { symbols: ['S0', 'S1'], matrix: [1.1918706249448607, -0.1117810191373835, -0.1117810191373835, 0.8081293750551395] };
    const mu = { symbols: ['S0', 'S1'], values: [0.2629075744189322, 0.2629102532751858] };
    const target = 0.7764177748667953;
    const result = await optimizePortfolio({ cov, mu, objective: 'target_volatility', targetVolatility: target });
    expect(result.status).toBe('optimal');
    expect(Math.abs(result.volatility - target)).toBeLessThanOrEqual(1e-12);
    // Two free assets: w'Sigma w = target^2 with w = (1 - t, t) has the closed form below; the
    // higher-return root (more of S1) is the answer.
    const [a, b, , d] = cov.matrix;
    const quadratic = a! + d! - 2 * b!;
    const linear = 2 * (b! - a!);
    const constant = a! - target * target;
    const t = (-linear + Math.sqrt(linear * linear - 4 * quadratic * constant)) / (2 * quadratic);
    expect(result.weights.S1).toBeCloseTo(t, 10);
  });
});

describe('bad input', () => {
  it('bounds that cannot sum to 1 name the bounds', async () => {
    const e = await rejected(optimizePortfolio({ cov: cov3, objective: 'min_variance', bounds: [0, 0.3] }));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(/bounds cannot sum to 1: the upper bounds add up to 0.8999999999999999 < 1/);
    const low = await rejected(optimizePortfolio({ cov: cov3, objective: 'min_variance', bounds: { A: [0.6, 1], B: [0.5, 1] } }));
    expect(low.message).toMatch(/lower bounds add up to 1.1 > 1/);
    expect((await rejected(optimizePortfolio({ cov: cov3, objective: 'min_variance', bounds: { A: [0.6, 0.1] } }))).message).toMatch(
      /bounds.A must be finite \[lower, upper\] with lower <= upper/,
    );
    expect((await rejected(optimizePortfolio({ cov: cov3, objective: 'min_variance', bounds: { Z: [0, 1] } }))).message).toMatch(/"Z", which is not a symbol/);
  });

  it('a target return above the reachable maximum names targetReturn and the maximum', async () => {
    const e = await rejected(optimizePortfolio({ cov: cov3, mu: mu3, objective: 'target_return', targetReturn: 0.2 }));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.field).toBe('targetReturn');
    expect(e.message).toMatch(/targetReturn 0.2 is above the highest expected return reachable within the bounds, 0.12/);
  });

  it('a target volatility below the minimum names it', async () => {
    const e = await rejected(optimizePortfolio({ cov: cov3, mu: mu3, objective: 'target_volatility', targetVolatility: 0.05 }));
    expect(e.field).toBe('targetVolatility');
    expect(e.message).toMatch(/below the lowest volatility reachable/);
  });

  it('a non-PSD covariance, NaN entries, unit mismatches and missing inputs are errors', async () => {
    const notPsd = await rejected(optimizePortfolio({ cov: { symbols: ['a', 'b'], matrix: [1, 2, 2, 1] }, objective: 'min_variance' }));
    expect(notPsd.message).toMatch(/not positive semi-definite/);
    expect((await rejected(optimizePortfolio({ cov: { symbols: ['a', 'b'], matrix: [1, NaN, 0, 1] }, objective: 'min_variance' }))).code).toBe('INVALID_DATA');
    expect((await rejected(optimizePortfolio({ cov: cov3, mu: { ...mu3, annualized: true }, objective: 'max_sharpe' }))).message).toMatch(
      /mu is annualized but the covariance is per period/,
    );
    expect((await rejected(optimizePortfolio({ cov: cov3, objective: 'max_sharpe' }))).message).toMatch(/needs expected returns mu/);
    expect((await rejected(optimizePortfolio({ cov: cov3, mu: mu3, objective: 'target_return' }))).message).toMatch(/needs targetReturn/);
    expect((await rejected(optimizePortfolio({ cov: cov3, objective: 'min_variance', riskFree: 0 } as never))).message).toMatch(/riskFree/);
    const rf = await rejected(optimizePortfolio({ cov: cov3, mu: mu3, objective: 'max_sharpe', riskFreeRate: 0.5 }));
    expect(rf.message).toMatch(/exceeds riskFreeRate 0.5/);
    expect((await rejected(optimizePortfolio({ cov: cov3, mu: mu3, objective: 'target_volatility', targetVolatility: 0.2, l2Penalty: 1 }))).field).toBe('l2Penalty');
  });
});
