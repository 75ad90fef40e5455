import { describe, expect, it } from 'vitest';
import {
  annualVolatility,
  cagr,
  calmarRatio,
  conditionalValueAtRisk,
  downsideRisk,
  maxDrawdown,
  omegaRatio,
  sharpeRatio,
  sortinoRatio,
  stability,
  tailRatio,
  totalReturn,
  valueAtRisk,
} from '../src/index';
import { expectClose } from './helpers';

type Expected = Record<
  | 'totalReturn'
  | 'cagr'
  | 'annualVolatility'
  | 'sharpeRatio'
  | 'sortinoRatio'
  | 'downsideRisk'
  | 'maxDrawdown'
  | 'calmarRatio'
  | 'omegaRatio'
  | 'tailRatio'
  | 'valueAtRisk'
  | 'conditionalValueAtRisk',
  number
>;

function all(returns: number[]): Expected {
  return {
    totalReturn: totalReturn(returns),
    cagr: cagr(returns),
    annualVolatility: annualVolatility(returns),
    sharpeRatio: sharpeRatio(returns),
    sortinoRatio: sortinoRatio(returns),
    downsideRisk: downsideRisk(returns),
    maxDrawdown: maxDrawdown(returns),
    calmarRatio: calmarRatio(returns),
    omegaRatio: omegaRatio(returns),
    tailRatio: tailRatio(returns),
    valueAtRisk: valueAtRisk(returns),
    conditionalValueAtRisk: conditionalValueAtRisk(returns),
  };
}

function expectAll(actual: Expected, expected: Expected): void {
  for (const key of Object.keys(expected) as (keyof Expected)[]) {
    try {
      expectClose(actual[key], expected[key]);
    } catch (error) {
      throw new Error(`${key}: ${(error as Error).message}`, { cause: error });
    }
  }
}

const NaN_ = Number.NaN;
const Y = 252;
const sqrtY = Math.sqrt(Y);

// Hand-derived expectations (the same values empyrical returns for these series).
describe('edge cases, every metric', () => {
  it('empty series: NaN everywhere', () => {
    const result = all([]);
    for (const value of Object.values(result)) expect(value).toBeNaN();
    expect(stability([])).toBeNaN();
  });

  it('single element', () => {
    expectAll(all([0.05]), {
      totalReturn: 1.05 - 1,
      cagr: Math.pow(1.05, 252) - 1,
      annualVolatility: NaN_,
      sharpeRatio: NaN_,
      sortinoRatio: NaN_,
      downsideRisk: 0,
      maxDrawdown: 0,
      calmarRatio: NaN_,
      omegaRatio: NaN_,
      tailRatio: 1,
      valueAtRisk: 0.05,
      conditionalValueAtRisk: 0.05,
    });
    expect(stability([0.05])).toBeNaN();
    // A single loss: downside = 0.05 x sqrt(252), drawdown -5%, Calmar = CAGR / 0.05.
    const loss = all([-0.05]);
    expectClose(loss.downsideRisk, 0.05 * sqrtY);
    expectClose(loss.maxDrawdown, -0.05);
    expectClose(loss.calmarRatio, (Math.pow(0.95, 252) - 1) / 0.05);
  });

  it('all zero returns', () => {
    expectAll(all([0, 0, 0, 0]), {
      totalReturn: 0,
      cagr: 0,
      annualVolatility: 0,
      sharpeRatio: NaN_, // 0 / 0
      sortinoRatio: NaN_, // 0 / 0
      downsideRisk: 0,
      maxDrawdown: 0,
      calmarRatio: NaN_, // no drawdown
      omegaRatio: NaN_, // no loss
      tailRatio: NaN_, // 0 / 0
      valueAtRisk: 0,
      conditionalValueAtRisk: 0,
    });
    // Flat line: the R-squared of a constant is 0 (empyrical with scipy's r = 0 when a variance is 0).
    expect(stability([0, 0, 0, 0])).toBe(0);
    expect(stability([0, Number.NaN, -0, 0])).toBe(0);
    expect(stability([Number.NaN, 0, Number.NaN])).toBeNaN(); // one point: no line
  });

  it('constant positive returns: std exactly 0, Sharpe and Sortino +Infinity', () => {
    expectAll(all([0.01, 0.01, 0.01, 0.01]), {
      totalReturn: Math.pow(1.01, 4) - 1,
      cagr: Math.pow(1.01, 252) - 1,
      annualVolatility: 0,
      sharpeRatio: Infinity,
      sortinoRatio: Infinity,
      downsideRisk: 0,
      maxDrawdown: 0,
      calmarRatio: NaN_,
      omegaRatio: NaN_,
      tailRatio: 1,
      valueAtRisk: 0.01,
      conditionalValueAtRisk: 0.01,
    });
    expectClose(stability([0.01, 0.01, 0.01, 0.01]), 1);
  });

  const threeValues = (values: number[]): Expected => {
    // Moments of the non-NaN values 0.01, -0.02, 0.03 (n counts the NaN for CAGR only).
    const mean = 0.02 / 3;
    const std = Math.sqrt(((0.01 - mean) ** 2 + (-0.02 - mean) ** 2 + (0.03 - mean) ** 2) / 2);
    const downside = Math.sqrt((0.02 * 0.02) / 3) * sqrtY;
    const growth = 1.01 * 0.98 * 1.03;
    return {
      totalReturn: growth - 1,
      cagr: Math.pow(growth, 252 / values.length) - 1,
      annualVolatility: std * sqrtY,
      sharpeRatio: (mean / std) * sqrtY,
      sortinoRatio: (mean * Y) / downside,
      downsideRisk: downside,
      maxDrawdown: -0.02,
      calmarRatio: (Math.pow(growth, 252 / values.length) - 1) / 0.02,
      omegaRatio: 0.04 / 0.02,
      tailRatio: (0.01 + 0.9 * 0.02) / (0.02 - 0.1 * 0.03), // 95th at rank 1.9, 5th at rank 0.1
      valueAtRisk: NaN_, // np.percentile propagates NaN
      conditionalValueAtRisk: -0.02, // k = floor(3 x 0.05) = 0: the smallest value
    };
  };

  it('NaN first: skipped by the moments, a zero return for compounding', () => {
    const values = [Number.NaN, 0.01, -0.02, 0.03];
    expectAll(all(values), threeValues(values));
  });

  it('NaN inside: same as NaN first', () => {
    const values = [0.01, Number.NaN, -0.02, 0.03];
    expectAll(all(values), threeValues(values));
    expectClose(stability(values), stability([Number.NaN, 0.01, -0.02, 0.03]));
  });

  it('all NaN', () => {
    const result = all([Number.NaN, Number.NaN]);
    expect(result.totalReturn).toBe(0); // nanprod of nothing is 1
    expect(result.cagr).toBe(0);
    expect(result.maxDrawdown).toBe(0);
    for (const key of ['annualVolatility', 'sharpeRatio', 'sortinoRatio', 'downsideRisk', 'calmarRatio', 'omegaRatio', 'tailRatio', 'valueAtRisk', 'conditionalValueAtRisk'] as const) {
      expect(result[key], key).toBeNaN();
    }
    expect(stability([Number.NaN, Number.NaN])).toBeNaN();
  });

  it('all negative returns', () => {
    const values = [-0.01, -0.02, -0.03];
    const growth = 0.99 * 0.98 * 0.97;
    const std = Math.sqrt((0.01 * 0.01 + 0 + 0.01 * 0.01) / 2);
    const downside = Math.sqrt((0.0001 + 0.0004 + 0.0009) / 3) * sqrtY;
    expectAll(all(values), {
      totalReturn: growth - 1,
      cagr: Math.pow(growth, 84) - 1,
      annualVolatility: std * sqrtY,
      sharpeRatio: (-0.02 / std) * sqrtY,
      sortinoRatio: (-0.02 * Y) / downside,
      downsideRisk: downside,
      maxDrawdown: growth - 1, // never a new high after the start
      calmarRatio: (Math.pow(growth, 84) - 1) / (1 - growth),
      omegaRatio: 0, // no gain
      tailRatio: Math.abs(-0.02 + 0.9 * 0.01) / Math.abs(-0.03 + 0.1 * 0.01),
      valueAtRisk: -0.03 + 0.1 * 0.01,
      conditionalValueAtRisk: -0.03,
    });
  });

  it('a -100% return: wealth 0, drawdown -1, CAGR -1, stability NaN', () => {
    const values = [0.1, -1, 0.2];
    const result = all(values);
    expect(result.totalReturn).toBe(-1);
    expect(result.cagr).toBe(-1);
    expect(result.maxDrawdown).toBe(-1);
    expect(result.calmarRatio).toBe(-1);
    expectClose(result.omegaRatio, 0.3 / 1, 1e-12);
    expectClose(result.conditionalValueAtRisk, -1);
    expectClose(result.valueAtRisk, -1 + 0.1 * 1.1);
    expect(stability(values)).toBeNaN(); // log(0)
  });

  it('returns below -1 (leverage): drawdown below -1, CAGR NaN on negative wealth', () => {
    expectClose(maxDrawdown([0.1, -1.5]), -1.5);
    expect(cagr([0.1, -1.5], { periodsPerYear: 1 })).toBeNaN(); // (-0.55)^0.5
  });
});
