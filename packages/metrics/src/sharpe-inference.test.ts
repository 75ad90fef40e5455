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

describe('deflatedSharpeRatio / expectedMaxSharpe', () => {
  it('expected maximum Sharpe of N trials', () => {
    expect(expectedMaxSharpe(10, 1)).toBeCloseTo(1.57459830134575, 12);
    expect(expectedMaxSharpe(100, 0.25)).toBeCloseTo(1.2653014466008423, 12);
    expect(expectedMaxSharpe(2, 4)).toBeCloseTo(1.0395106885611878, 12);
    expect(expectedMaxSharpe(1, 4)).toBe(0);
  });

  it('DSR = PSR against the expected maximum (annualized variance de-annualized)', () => {
    expect(deflatedSharpeRatio(r, { trials: 20, sharpeVariance: 0.5 })).toBeCloseTo(0.7028494155448624, 12);
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
