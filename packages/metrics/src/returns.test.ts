import { catchAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { annualVolatility, cagr, returnsFromEquity, stability, totalReturn } from './returns';

describe('returnsFromEquity', () => {
  it('simple returns, n - 1 of them', () => {
    const r = returnsFromEquity([100, 110, 99]);
    expect(r).toBeInstanceOf(Float64Array);
    expect(Array.from(r)).toEqual([110 / 100 - 1, 99 / 110 - 1]);
  });

  it('with initialValue the first return is measured from it', () => {
    expect(Array.from(returnsFromEquity([110, 99], { initialValue: 100 }))).toEqual([110 / 100 - 1, 99 / 110 - 1]);
    expect(returnsFromEquity([], { initialValue: 100 }).length).toBe(0);
    expect(returnsFromEquity([100]).length).toBe(0);
  });

  it('after a wipe-out equity stays at 0 with 0 returns; rising from 0 is an error', () => {
    expect(Array.from(returnsFromEquity([100, 0, 0]))).toEqual([-1, 0]);
    expect(catchAlgoTradingError(() => returnsFromEquity([100, 0, 5]), 'INVALID_DATA').message).toContain('equity[2]');
  });

  it('rejects bad equity and options with the field, index and value', () => {
    expect(catchAlgoTradingError(() => returnsFromEquity([100, Number.NaN])).message).toBe('equity[1] must be a finite number >= 0, got NaN');
    expect(catchAlgoTradingError(() => returnsFromEquity([100, -1])).message).toContain('equity[1]');
    expect(catchAlgoTradingError(() => returnsFromEquity([0, 1])).message).toContain('equity[0] must be greater than 0');
    expect(catchAlgoTradingError(() => returnsFromEquity('100' as never), 'INVALID_ARGUMENT').code).toBe('INVALID_ARGUMENT');
    expect(catchAlgoTradingError(() => returnsFromEquity([1, 2], { initialValue: 0 }), 'INVALID_CONFIG').code).toBe('INVALID_CONFIG');
    expect(catchAlgoTradingError(() => returnsFromEquity([1, 2], { initial: 1 } as never)).message).toContain('initial: unknown key');
  });
});

describe('totalReturn / cagr / annualVolatility / stability', () => {
  it('hand values', () => {
    expect(totalReturn([0.1, -0.1])).toBeCloseTo(-0.01, 15);
    expect(cagr([0.1, 0.1], { periodsPerYear: 2 })).toBeCloseTo(0.21, 14); // one year of two +10% periods
    expect(cagr([0.21], { periodsPerYear: 0.5 })).toBeCloseTo(Math.sqrt(1.21) - 1, 14); // two years
    // std of (0.01, 0.03) = sqrt(2) x 0.01, x sqrt(12)
    expect(annualVolatility([0.01, 0.03], { periodsPerYear: 12 })).toBeCloseTo(Math.SQRT2 * 0.01 * Math.sqrt(12), 15);
    expect(stability([0.01, 0.02])).toBeCloseTo(1, 14); // two points: a perfect line
  });

  it('validates returns: non-array, non-number, infinite', () => {
    expect(catchAlgoTradingError(() => totalReturn(null as never), 'INVALID_ARGUMENT').code).toBe('INVALID_ARGUMENT');
    expect(catchAlgoTradingError(() => totalReturn([0.1, '0.2' as never])).message).toBe(
      'returns[1] must be a finite number or NaN (missing), got "0.2"',
    );
    expect(catchAlgoTradingError(() => cagr(Float64Array.of(0.1, Infinity))).message).toContain('returns[1]');
    expect(catchAlgoTradingError(() => cagr([0.1], { periodsPerYear: 0 })).message).toContain('periodsPerYear');
  });

  it('stability skips flat bars (zero returns) without changing the fit', () => {
    // Cumulative log returns [log 1.1, log 1.1, log 1.1 + log 0.9] with zeros between: the same
    // points as without the zeros only when the zeros count as points at an unchanged level.
    const y = [Math.log1p(0.1), Math.log1p(0.1), Math.log1p(0.1), Math.log1p(0.1) + Math.log1p(-0.1)];
    const mean = (y[0]! + y[1]! + y[2]! + y[3]!) / 4;
    const xs = [-1.5, -0.5, 0.5, 1.5];
    let sxy = 0;
    let syy = 0;
    for (let i = 0; i < 4; i++) {
      sxy += xs[i]! * (y[i]! - mean);
      syy += (y[i]! - mean) ** 2;
    }
    const expected = (sxy * sxy) / (5 * syy);
    expect(stability([0.1, 0, -0, -0.1])).toBeCloseTo(expected, 12);
  });

  it('accepts other typed arrays', () => {
    expect(totalReturn(Float32Array.of(0.5, 0.5))).toBe(1.25);
  });
});
