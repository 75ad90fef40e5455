import { describe, expect, it } from 'vitest';
import { thrown } from '../test/helpers';
import { expectedReturns, readExpectedReturns } from './expected-returns';


const R = { symbols: ['a', 'b'], values: [[0.01, NaN], [0.03, 0.02], [-0.01, 0.04]], periodsPerYear: 12 };

describe('expectedReturns', () => {
  it('mean skips NaN and is per period unless annualized', () => {
    const mu = expectedReturns(R);
    expect(mu.values[0]).toBeCloseTo(0.01, 15);
    expect(mu.values[1]).toBeCloseTo(0.03, 15);
    expect(mu.annualized).toBe(false);
    const annual = expectedReturns(R, { annualize: true });
    expect(annual.values[0]).toBeCloseTo(0.12, 15);
    expect(annual.annualized).toBe(true);
  });

  it('compounding gives the geometric mean', () => {
    const g = expectedReturns(R, { compounding: true });
    expect(g.values[0]).toBeCloseTo(Math.cbrt(1.01 * 1.03 * 0.99) - 1, 15);
    const annual = expectedReturns(R, { compounding: true, annualize: true });
    expect(annual.values[1]).toBeCloseTo((1.02 * 1.04) ** (12 / 2) - 1, 14);
  });

  it('ema weights (1 - alpha)^age, normalized, with alpha from span or half-life (pandas adjust=True)', () => {
    // Returns 1, 2, 3 with span 3: alpha = 0.5, weights from the last 1, 0.5, 0.25:
    // (3 + 2 x 0.5 + 1 x 0.25) / 1.75 = 4.25 / 1.75.
    const X = { symbols: ['x'], values: [1, 2, 3] };
    expect(expectedReturns(X, { method: 'ema', span: 3 }).values[0]).toBeCloseTo(4.25 / 1.75, 15);
    // Half-life 1: alpha = 1 - exp(-ln 2) = 0.5, the same.
    expect(expectedReturns(X, { method: 'ema', halfLife: 1 }).values[0]).toBeCloseTo(4.25 / 1.75, 15);
    // A NaN keeps its position: weights 1 (3), 0.25 (1); the skipped 2 takes its weight with it.
    expect(expectedReturns({ symbols: ['x'], values: [1, NaN, 3] }, { method: 'ema', span: 3 }).values[0]).toBeCloseTo(3.25 / 1.25, 15);
  });

  it('rejects an all-NaN column, compounding log returns and misplaced options', () => {
    expect(thrown(() => expectedReturns({ symbols: ['x', 'y'], values: [[1, NaN], [2, NaN]] })).message).toMatch(/"y" has no return/);
    expect(thrown(() => expectedReturns({ symbols: ['x'], values: [0.1], kind: 'log' }, { compounding: true })).code).toBe('INVALID_CONFIG');
    expect(thrown(() => expectedReturns(R, { span: 10 })).message).toMatch(/apply to method "ema" only/);
    expect(thrown(() => expectedReturns(R, { method: 'ema', span: 5, halfLife: 3 })).message).toMatch(/not both/);
    expect(thrown(() => expectedReturns({ symbols: ['x'], values: [0.1, -1.5] }, { compounding: true })).message).toMatch(/-1.5 <= -1/);
    expect(thrown(() => expectedReturns({ symbols: ['x'], values: [0.1] }, { annualize: true })).message).toMatch(/needs periodsPerYear/);
  });
});

describe('readExpectedReturns', () => {
  it('reorders to the covariance symbols and checks units', () => {
    expect(Array.from(readExpectedReturns({ symbols: ['b', 'a'], values: [2, 1] }, ['a', 'b'], false))).toEqual([1, 2]);
    expect(thrown(() => readExpectedReturns({ symbols: ['a', 'b'], values: [1, 2], annualized: true }, ['a', 'b'], false)).message).toMatch(
      /mu is annualized but the covariance is per period/,
    );
    expect(thrown(() => readExpectedReturns({ symbols: ['a'], values: [1] }, ['a', 'b'], false)).message).toMatch(/no expected return for "b"/);
    expect(thrown(() => readExpectedReturns({ symbols: ['a', 'b', 'c'], values: [1, 2, 3] }, ['a', 'b'], false)).message).toMatch(/names "c"/);
  });
});
