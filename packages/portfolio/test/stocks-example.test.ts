import { describe, expect, it } from 'vitest';
import {
  covariance,
  discreteAllocation,
  efficientFrontier,
  expectedReturns,
  hierarchicalRiskParity,
  inverseVolatility,
  optimizePortfolio,
  portfolioStats,
  rebalanceSchedule,
  returnsMatrix,
  riskParity,
} from '../src/index';
import { loadStocks } from './sample-stocks';

/**
 * The whole package on real data: the data package's `stocks` sample: monthly prices of MSFT, AMZN, IBM, GOOG and AAPL
 * (2000-01 to 2010-03; GOOG listed from 2004-08).
 */
describe('five stocks, monthly (the stocks sample)', () => {
  const universe = loadStocks();

  it('estimates, optimizes and allocates on the common history', async () => {
    const R = returnsMatrix(universe, { kind: 'simple', align: 'inner' });
    expect(R.symbols).toEqual(['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL']);
    expect(R.periodsPerYear).toBe(12);
    expect(R.rows).toBe(67); // 68 common months (GOOG's), 67 returns
    const cov = covariance(R, { method: 'ledoit_wolf', annualize: true });
    const mu = expectedReturns(R, { annualize: true });
    expect(cov.shrinkage).toBeGreaterThan(0);
    expect(cov.shrinkage).toBeLessThan(1);

    const minVar = await optimizePortfolio({ cov, objective: 'min_variance' });
    const tangency = await optimizePortfolio({ cov, mu, objective: 'max_sharpe', riskFreeRate: 0.02 });
    const hrp = hierarchicalRiskParity(R, { covariance: { method: 'ledoit_wolf' } });
    const erc = riskParity(cov);
    const ivol = inverseVolatility(cov);
    const equal = Object.fromEntries(R.symbols.map((s) => [s, 0.2]));
    const stat = (weights: Record<string, number>) => portfolioStats({ weights, cov, mu, riskFreeRate: 0.02 });

    // The minimum-variance portfolio is the least volatile of all, the tangency the best Sharpe.
    for (const w of [hrp.weights, erc.weights, ivol.weights, equal]) {
      expect(minVar.volatility).toBeLessThanOrEqual(stat(w).volatility + 1e-12);
      expect(tangency.sharpeRatio!).toBeGreaterThanOrEqual(stat(w).sharpeRatio! - 1e-12);
    }
    for (const s of R.symbols) expect(minVar.volatility).toBeLessThanOrEqual(Math.sqrt(cov.matrix[R.symbols.indexOf(s) * 6]!) + 1e-12);
    // Risk parity: equal shares of the variance.
    for (const share of Object.values(erc.riskContributions)) expect(share).toBeCloseTo(0.2, 10);
    expect([...hrp.order].sort()).toEqual([...R.symbols].sort());

    const { points } = await efficientFrontier({ cov, mu, points: 10, riskFreeRate: 0.02 });
    expect(points[0]!.volatility).toBeCloseTo(minVar.volatility, 12);
    for (const p of points) expect(p.sharpeRatio).toBeLessThanOrEqual(tangency.sharpeRatio! + 1e-12);

    // Buy the tangency portfolio with $100,000 at the last prices.
    const prices = Object.fromEntries([...universe].map(([s, bars]) => [s, bars.close[bars.length - 1]!]));
    const order = discreteAllocation({ weights: tangency.weights, prices, cash: 100_000 });
    expect(order.leftover).toBeGreaterThanOrEqual(0);
    expect(order.leftover).toBeLessThan(Math.max(...Object.values(prices)));
    expect(order.trackingError).toBeLessThan(0.01);
  });

  it('builds an HRP schedule over the full history; GOOG joins once it has a full window', async () => {
    const schedule = await rebalanceSchedule({ universe, lookback: 36, every: 'quarter', method: 'hrp' });
    expect(schedule.time.length).toBeGreaterThan(20);
    const googFull = universe.get('GOOG')!.time[36]!;
    for (let k = 0; k < schedule.time.length; k++) {
      const total = schedule.symbols.reduce((s, sym) => s + schedule.weights[sym]![k]!, 0);
      expect(total).toBeCloseTo(1, 14);
      if (schedule.time[k]! < googFull) expect(schedule.weights.GOOG![k]).toBe(0);
      else expect(schedule.weights.GOOG![k]).toBeGreaterThan(0);
    }
  });
});
