import { describe, expect, it } from 'vitest';
import { deflatedSharpeRatio, expectedMaxSharpe, probabilisticSharpeRatio } from './sharpe-inference';

// Reference values from scipy: norm.cdf((sr - sr*) sqrt(n - 1) / sqrt(1 - skew sr + (kurt - 1) / 4 sr^2))
// with sr = mean / std(ddof=1), skew = stats.skew, kurt = stats.kurtosis(fisher=False).
const r = [0.01, -0.02, 0.015, 0.003, -0.007, 0.012, 0.02, -0.011, 0.004, 0.009];

describe('probabilisticSharpeRatio', () => {
  it('matches the reference values', () => {
    expect(probabilisticSharpeRatio(r)).toBeCloseTo(0.7779758737095845, 13);
    expect(probabilisticSharpeRatio(r, { benchmarkSharpe: 1 })).toBeCloseTo(0.7231382517484808, 13);
    expect(probabilisticSharpeRatio(r, { benchmarkSharpe: 2, riskFree: 0.0001 })).toBeCloseTo(0.6547453834147731, 13);
  });

  it('is NaN without variation or with fewer than 2 observations', () => {
    expect(probabilisticSharpeRatio([0.01, 0.01, 0.01])).toBeNaN();
    expect(probabilisticSharpeRatio([0.01])).toBeNaN();
    expect(probabilisticSharpeRatio([])).toBeNaN();
  });

  it('falls as the benchmark rises', () => {
    expect(probabilisticSharpeRatio(r, { benchmarkSharpe: -1 })).toBeGreaterThan(probabilisticSharpeRatio(r));
  });
});

describe('probabilisticSharpeRatio on a series with known moments (by hand)', () => {
  // 100 returns alternating 0.011 and -0.009: mean 0.001, population deviation 0.01, skewness 0
  // and kurtosis 1 exactly, so the variance term 1 - g3 SR + (g4 - 1) / 4 SR^2 is 1. The sample
  // std is 0.01 x sqrt(100 / 99), so SR = 0.1 x sqrt(0.99) and z = SR x sqrt(99) = 0.99:
  // PSR = Phi(0.99) = 0.8389 (normal table; 0.8389129404891691 with scipy's norm.cdf).
  const twoPoint = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 0.011 : -0.009));

  it('PSR = Phi(0.99)', () => {
    expect(probabilisticSharpeRatio(twoPoint)).toBeCloseTo(0.8389129404891691, 12);
  });

  it('DSR against the expected maximum of 100 trials with the paper\'s variance 0.5 (250 days a year)', () => {
    // Bailey and Lopez de Prado (2014), numerical example: N = 100 trials, V[SR] = 0.5 annualized,
    // 250 periods a year give SR0 = sqrt(0.5 / 250) x ((1 - gamma) Phi^-1(0.99) + gamma Phi^-1(1 - 1 / (100 e)))
    // = 0.1132 per period (as printed in the paper; 0.11317200186513214 with scipy's norm.ppf).
    expect(expectedMaxSharpe(100, 0.5 / 250)).toBeCloseTo(0.11317200186513214, 12);
    // Our SR 0.0995 is below SR0: z = (0.0994987 - 0.1131720) x sqrt(99) = -0.13605, Phi = 0.4459.
    const dsr = deflatedSharpeRatio(twoPoint, { trials: 100, sharpeVariance: 0.5, periodsPerYear: 250 });
    expect(dsr).toBeCloseTo(0.4458919834564944, 12);
  });
});

describe('deflatedSharpeRatio / expectedMaxSharpe', () => {
  // The values below: scipy 1.17 (norm.ppf, norm.cdf, stats.skew, stats.kurtosis(fisher=False)) on
  // the published formulas, E[max SR] = sqrt(V) ((1 - gamma) Phi^-1(1 - 1/N) + gamma Phi^-1(1 - 1/(N e)))
  // with gamma = 0.5772156649015329, and DSR = PSR against E[max SR] of the de-annualized variance.
  it('expected maximum Sharpe of N trials', () => {
    expect(expectedMaxSharpe(10, 1)).toBeCloseTo(1.57459830134575, 12);
    expect(expectedMaxSharpe(100, 0.25)).toBeCloseTo(1.2653014466008423, 12);
    expect(expectedMaxSharpe(2, 4)).toBeCloseTo(1.0395106885611878, 12);
    expect(expectedMaxSharpe(1, 4)).toBe(0);
  });

  it('DSR = PSR against the expected maximum (annualized variance de-annualized)', () => {
    // PSR of r against sqrt(0.5 / 252) x ((1 - gamma) Phi^-1(1 - 1/20) + gamma Phi^-1(1 - 1/(20 e))).
    expect(deflatedSharpeRatio(r, { trials: 20, sharpeVariance: 0.5 })).toBeCloseTo(0.7028494155448624, 12);
    expect(deflatedSharpeRatio(r, { trials: 50, sharpeVariance: 0.5 })).toBeCloseTo(0.6867354420392028, 12);
    expect(deflatedSharpeRatio(r, { trials: 1, sharpeVariance: 0.5 })).toBe(probabilisticSharpeRatio(r));
    expect(deflatedSharpeRatio(r, { trials: 50, sharpeVariance: 0.5 })).toBeLessThan(deflatedSharpeRatio(r, { trials: 20, sharpeVariance: 0.5 }));
  });

  it('validates options', () => {
    expect(() => deflatedSharpeRatio(r, { trials: 0, sharpeVariance: 1 })).toThrow(/trials/);
    expect(() => deflatedSharpeRatio(r, { trials: 2.5, sharpeVariance: 1 })).toThrow(/trials/);
    expect(() => deflatedSharpeRatio(r, { trials: 2, sharpeVariance: -1 })).toThrow(/sharpeVariance/);
    expect(() => deflatedSharpeRatio(r, undefined as never)).toThrow(/deflatedSharpeRatio options/);
  });
});
