import type { Trade } from '@algo-trading/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthlyReturns, yearlyReturns } from './monthly-returns';
import { timeInMarket } from './time-in-market';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

const trade = (entryBarIndex: number, exitBarIndex: number) =>
  ({ entryBarIndex, exitBarIndex, entryTime: T0 + entryBarIndex * DAY, exitTime: T0 + exitBarIndex * DAY, barsHeld: exitBarIndex - entryBarIndex }) as Trade;

describe('timeInMarket', () => {
  it('counts bars closed with a position, calendar days held and holding periods, by hand', () => {
    const time = Array.from({ length: 10 }, (_, i) => T0 + i * DAY);
    // Held at the closes of 1..2 and 4..6; a position opened at bar 8 is still open at the end (bars 8, 9).
    const m = timeInMarket(time, [trade(1, 3), trade(4, 7)], [{ entryTime: T0 + 8 * DAY }]);
    expect(m).toEqual({
      bars: 10,
      barsInMarket: 7,
      exposure: 0.7,
      days: 9,
      daysInMarket: 2 + 3 + 1,
      averageBarsHeld: 2.5,
      averageDaysHeld: 2.5,
      longestBarsHeld: 3,
    });
  });

  it('counts overlapping holdings once and handles no trade', () => {
    const time = Array.from({ length: 5 }, (_, i) => T0 + i * DAY);
    expect(timeInMarket(time, [trade(0, 3), trade(1, 4)], []).daysInMarket).toBe(4);
    const none = timeInMarket(time, [], []);
    expect(none.exposure).toBe(0);
    expect(none.averageBarsHeld).toBeNaN();
    expect(none.longestBarsHeld).toBe(0);
  });
});

describe('yearlyReturns', () => {
  it('measures each year from the previous year-end, the first from the initial capital, by hand', () => {
    const t = [Date.UTC(2023, 11, 28), Date.UTC(2023, 11, 29), Date.UTC(2024, 5, 3), Date.UTC(2024, 11, 31), Date.UTC(2025, 0, 2)];
    const e = [100, 110, 99, 121, 133.1];
    const years = yearlyReturns(t, e, 100);
    expect(years.map((y) => y.year)).toEqual([2023, 2024, 2025]);
    expect(years[0]!.value).toBeCloseTo(0.1, 12); // 110 / 100
    expect(years[1]!.value).toBeCloseTo(0.1, 12); // 121 / 110
    expect(years[2]!.value).toBeCloseTo(0.1, 12); // 133.1 / 121
  });

  it('compounds to the total return from the initial capital (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -300, max: 300 }), { minLength: 1, maxLength: 1500 }), fc.integer({ min: 1, max: 40 }), (moves, step) => {
        const time = moves.map((_, i) => Date.UTC(2001, 0, 1) + i * step * DAY);
        let e = 1000;
        const equity = moves.map((m) => (e *= 1 + m / 10_000));
        const total = equity.at(-1)! / 1000;
        const years = yearlyReturns(time, equity, 1000).reduce((g, y) => g * (1 + y.value), 1);
        const months = monthlyReturns(time, equity, 1000).reduce((g, m) => g * (1 + m.value), 1);
        expect(years).toBeCloseTo(total, 9);
        expect(months).toBeCloseTo(total, 9);
      }),
      { numRuns: 60 },
    );
  });
});
