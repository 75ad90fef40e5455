import { catchAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { calmarRatio, downsideRisk, omegaRatio, sharpeRatio, sortinoRatio, tailRatio } from './ratios';

const r = [0.01, -0.02, 0.03, 0.005];

describe('sharpeRatio', () => {
  it('hand value: mean / sample std x sqrt(ppy)', () => {
    const mean = (0.01 - 0.02 + 0.03 + 0.005) / 4;
    const std = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / 3);
    expect(sharpeRatio(r, { periodsPerYear: 12 })).toBeCloseTo((mean / std) * Math.sqrt(12), 12);
    expect(sharpeRatio(r, { riskFree: 0.001, periodsPerYear: 12 })).toBeCloseTo(((mean - 0.001) / std) * Math.sqrt(12), 12);
  });

  it('annualRiskFree converts to per period', () => {
    const perPeriod = Math.pow(1.05, 1 / 252) - 1;
    expect(sharpeRatio(r, { annualRiskFree: 0.05 })).toBe(sharpeRatio(r, { riskFree: perPeriod }));
  });

  it('rejects a riskFree that looks annual, and both rates at once', () => {
    const error = catchAlgoTradingError(() => sharpeRatio(r, { riskFree: 0.05 }), 'INVALID_CONFIG');
    expect(error.message).toContain('looks like an annual rate');
    expect(error.message).toContain('annualRiskFree: 0.05');
    // 0.0009 x 252 = 0.2268 is accepted; 0.001 x 252 = 0.252 is not.
    expect(Number.isFinite(sharpeRatio(r, { riskFree: 0.0009 }))).toBe(true);
    expect(() => sharpeRatio(r, { riskFree: 0.001 })).toThrow(/looks like an annual rate/);
    expect(Number.isFinite(sharpeRatio(r, { riskFree: 0.004, periodsPerYear: 12 }))).toBe(true);
    expect(() => sharpeRatio(r, { riskFree: 0.001, annualRiskFree: 0.02 })).toThrow(/not both/);
    expect(() => sharpeRatio(r, { annualRiskFree: -1 })).toThrow(/annualRiskFree/);
    expect(() => sharpeRatio(r, { riskfree: 0 } as never)).toThrow(/riskfree: unknown key/);
  });
});

describe('downsideRisk / sortinoRatio', () => {
  it('hand values: squared shortfalls averaged over ALL observations', () => {
    const downside = Math.sqrt((0.02 * 0.02) / 4) * Math.sqrt(252);
    expect(downsideRisk(r)).toBeCloseTo(downside, 14);
    expect(sortinoRatio(r)).toBeCloseTo(((0.025 / 4) * 252) / downside, 10);
    // MAR 0.01: shortfalls 0, 0.03, 0, 0.005
    const withMar = Math.sqrt((0.03 ** 2 + 0.005 ** 2) / 4) * Math.sqrt(252);
    expect(downsideRisk(r, { requiredReturn: 0.01 })).toBeCloseTo(withMar, 14);
  });

  it('no shortfall: downside 0, Sortino +Infinity (NaN when the mean excess is 0)', () => {
    expect(downsideRisk([0.01, 0.02])).toBe(0);
    expect(sortinoRatio([0.01, 0.02])).toBe(Infinity);
    expect(sortinoRatio([0, 0])).toBeNaN();
  });
});

describe('calmarRatio / omegaRatio / tailRatio', () => {
  it('calmar = cagr / |max drawdown|', () => {
    const returns = [0.1, -0.1, 0.1];
    const cagr = Math.pow(1.1 * 0.9 * 1.1, 1 / 3) - 1;
    expect(calmarRatio(returns, { periodsPerYear: 1 })).toBeCloseTo(cagr / 0.1, 12);
    expect(calmarRatio([0.01, 0.02])).toBeNaN(); // no drawdown
  });

  it('omega: gains over losses around the threshold', () => {
    expect(omegaRatio(r)).toBeCloseTo((0.01 + 0.03 + 0.005) / 0.02, 14);
    // annual required return 12% with monthly periods: threshold = 1.12^(1/12) - 1
    const t = Math.pow(1.12, 1 / 12) - 1;
    const gains = [0.01, 0.03, 0.005].filter((x) => x > t).reduce((s, x) => s + (x - t), 0);
    const losses = r.filter((x) => x < t).reduce((s, x) => s + (t - x), 0);
    expect(omegaRatio(r, { requiredReturn: 0.12, periodsPerYear: 12 })).toBeCloseTo(gains / losses, 14);
    expect(omegaRatio(r, { requiredReturn: -1 })).toBeNaN();
    expect(omegaRatio([0.01, 0.02])).toBeNaN(); // no loss
  });

  it('tail ratio: |p95| / |p5|', () => {
    // sorted -0.02, 0.005, 0.01, 0.03: p95 at rank 2.85, p5 at rank 0.15
    const p95 = 0.03 - (0.03 - 0.01) * (1 - 0.85);
    const p5 = -0.02 + (0.005 + 0.02) * 0.15;
    expect(tailRatio(r)).toBeCloseTo(Math.abs(p95) / Math.abs(p5), 14);
    expect(tailRatio([0, 0, 1])).toBe(Infinity);
  });
});
