import { describe, expect, it } from 'vitest';
import { portfolioStats } from './stats';

describe('portfolioStats', () => {
  const cov = { symbols: ['X', 'Y'], matrix: [0.04, 0.006, 0.006, 0.09] };
  const mu = { symbols: ['X', 'Y'], values: [0.08, 0.12] };

  it('computes return, volatility, Sharpe and risk contributions (by hand)', () => {
    // w = (0.5, 0.5): variance 0.25 x 0.04 + 0.25 x 0.09 + 2 x 0.25 x 0.006 = 0.0355;
    // Sigma w = (0.023, 0.048); contributions w_i (Sigma w)_i = 0.0115, 0.024.
    const s = portfolioStats({ weights: { X: 0.5, Y: 0.5 }, cov, mu, riskFreeRate: 0.02 });
    expect(s.variance).toBeCloseTo(0.0355, 15);
    expect(s.volatility).toBeCloseTo(Math.sqrt(0.0355), 15);
    expect(s.expectedReturn).toBeCloseTo(0.1, 15);
    expect(s.sharpeRatio).toBeCloseTo(0.08 / Math.sqrt(0.0355), 14);
    expect(s.riskShares.X).toBeCloseTo(0.0115 / 0.0355, 15);
    expect(s.riskContributions.Y).toBeCloseTo(0.024 / Math.sqrt(0.0355), 15);
    expect(s.riskContributions.X! + s.riskContributions.Y!).toBeCloseTo(s.volatility, 15);
    expect(s.grossWeight).toBe(1);
  });

  it('takes a weight vector, treats absent symbols as 0, and rejects unknown ones', () => {
    expect(portfolioStats({ weights: [1, 0], cov }).volatility).toBeCloseTo(0.2, 15);
    expect(portfolioStats({ weights: { Y: 1 }, cov }).volatility).toBeCloseTo(0.3, 15);
    expect(portfolioStats({ weights: { Y: 1 }, cov }).expectedReturn).toBeUndefined();
    expect(() => portfolioStats({ weights: { Z: 1 }, cov })).toThrow(/"Z", which is not a symbol/);
    expect(() => portfolioStats({ weights: { X: Number.NaN }, cov })).toThrow(/weights.X must be a finite number/);
  });
});
