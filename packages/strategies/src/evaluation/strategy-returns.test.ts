import { catchAlgoTradingError } from '@algo-trading/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barsFromCloses } from '../../test/fixtures';
import { closeToCloseReturns, nextPosition, strategyReturns } from './strategy-returns';

const N = Number.NaN;

describe('closeToCloseReturns', () => {
  it('r[t] = close[t] / close[t-1] - 1, NaN at bar 0', () => {
    const r = Array.from(closeToCloseReturns(barsFromCloses([100, 110, 99])));
    expect(r[0]).toBeNaN();
    expect(r[1]).toBeCloseTo(0.1, 14);
    expect(r[2]).toBeCloseTo(-0.1, 14);
  });
});

describe('nextPosition (engine rules)', () => {
  it.each([
    [0, 1, false, 1],
    [0, -1, false, 0],
    [0, -1, true, -1],
    [0, 0, true, 0],
    [1, -1, true, 0], // -1 closes a long; it does not reverse
    [1, 0, false, 1],
    [1, 1, false, 1],
    [-1, 1, true, 1], // 1 closes the short and opens a long
    [-1, 0, true, -1],
    [-1, -1, true, -1],
  ] as const)('position %d, signal %d, allowShort %s -> %d', (position, signal, allowShort, expected) => {
    expect(nextPosition(position, signal, allowShort)).toBe(expected);
  });
});

describe('strategyReturns', () => {
  it('the position from the signal at t earns the return from t to t+1', () => {
    const out = strategyReturns([1, 0, -1, 0], [N, 0.1, -0.05, 0.02]);
    expect(Array.from(out.positions)).toEqual([1, 1, 0, 0]);
    expect(Array.from(out.returns)).toEqual([0, 0.1, -0.05, 0]);
    expect(out.trades).toBe(1);
    expect(out.turnover).toBe(2);
  });

  it('costs are charged per unit of position change in the first bar of the new position', () => {
    const out = strategyReturns([1, 0, -1, 0], [N, 0.1, -0.05, 0.02], { costs: 0.001 });
    expect(out.returns[1]).toBeCloseTo(0.1 - 0.001, 15);
    expect(out.returns[2]).toBeCloseTo(-0.05, 15);
    expect(out.returns[3]).toBeCloseTo(-0.001, 15);
  });

  it('long-only: -1 is flat; with allowShort -1 from flat is a short and 1 reverses it (turnover 2)', () => {
    const signals = [-1, 0, 1, 0];
    const returns = [N, 0.1, 0.1, -0.2];
    const longOnly = strategyReturns(signals, returns, { costs: 0.01 });
    expect(Array.from(longOnly.positions)).toEqual([0, 0, 1, 1]);
    expect(Array.from(longOnly.returns).map((r) => +r.toFixed(10))).toEqual([0, 0, 0, -0.21]);
    const short = strategyReturns(signals, returns, { costs: 0.01, allowShort: true });
    expect(Array.from(short.positions)).toEqual([-1, -1, 1, 1]);
    expect(Array.from(short.returns).map((r) => +r.toFixed(10))).toEqual([0, -0.11, -0.1, -0.22]);
    expect(short.trades).toBe(2);
    expect(short.turnover).toBe(3);
  });

  it('the last bar signal is not executed; NaN returns count as 0', () => {
    const out = strategyReturns([0, 0, 1], [N, 0.1, 0.1], { costs: 0.5 });
    expect(Array.from(out.returns)).toEqual([0, 0, 0]);
    expect(out.trades).toBe(0);
    expect(Array.from(out.positions)).toEqual([0, 0, 0]);
    const gap = strategyReturns([1, 0, 0], [N, N, 0.1]);
    expect(Array.from(gap.returns)).toEqual([0, 0, 0.1]);
  });

  it('an always-long strategy compounds to the buy-and-hold return (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: 2, maxLength: 50 }), (rs) => {
        const returns = [N, ...rs];
        const out = strategyReturns(new Array(returns.length).fill(1), returns);
        const strat = Array.from(out.returns).reduce((g, r) => g * (1 + r), 1);
        const hold = rs.reduce((g, r) => g * (1 + r), 1);
        expect(strat).toBeCloseTo(hold, 10);
      }),
    );
  });

  it('rejects misaligned or invalid inputs', () => {
    const cases: [() => unknown, string][] = [
      [() => strategyReturns([1, 0], [0]), 'returns has 1 values'],
      [() => strategyReturns([1, 2], [0, 0]), 'signals[1]'],
      [() => strategyReturns([1, 0], [0, Infinity]), 'returns[1]'],
      [() => strategyReturns([1, 0], [0, -1.5]), 'returns[1]'],
      [() => strategyReturns([1, 0], [0, 0], { costs: -0.1 }), 'costs'],
    ];
    for (const [fn, text] of cases) {
      expect(catchAlgoTradingError(() => fn()).message).toContain(text);
    }
  });
});
