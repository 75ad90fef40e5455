import { BarSeries } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { thrown } from '../test/helpers';
import { returnsMatrix, universeEntries } from './returns-matrix';

const DAY = 86_400_000;
const t0 = Date.UTC(2024, 0, 1); // a Monday
const bars = (days: number[], close: number[], symbol: string) =>
  BarSeries.fromColumns({ time: days.map((d) => t0 + d * DAY), open: close, high: close, low: close, close }, { symbol });
const A = bars([0, 1, 2, 3], [100, 110, 99, 99], 'A');
const B = bars([0, 1, 3], [50, 55, 66], 'B');


describe('returnsMatrix from bars', () => {
  it('inner alignment keeps the common times and measures returns between them', () => {
    const R = returnsMatrix({ A, B });
    expect(R.symbols).toEqual(['A', 'B']);
    expect(R.rows).toBe(2);
    expect(R.cols).toBe(2);
    // Common times: days 0, 1, 3. A: 110/100 - 1, 99/110 - 1. B: 55/50 - 1, 66/55 - 1.
    expect(R.values[0]).toBeCloseTo(0.1, 15);
    expect(R.values[1]).toBeCloseTo(0.1, 15);
    expect(R.values[2]).toBeCloseTo(-0.1, 15);
    expect(R.values[3]).toBeCloseTo(0.2, 15);
    expect(Array.from(R.times!)).toEqual([t0 + DAY, t0 + 3 * DAY]);
    expect(R.hasMissing).toBe(false);
    expect(R.kind).toBe('simple');
  });

  it('outer alignment marks a return NaN when either end of the period lacks a bar', () => {
    const R = returnsMatrix(new Map([['A', A], ['B', B]]), { align: 'outer' });
    expect(R.rows).toBe(3);
    expect(R.hasMissing).toBe(true);
    expect(R.values[4]).toBeCloseTo(0, 15); // A day 2 -> 3: 99 / 99 - 1
    expect(R.values[3]).toBeNaN(); // B has no bar on day 2
    expect(R.values[5]).toBeNaN(); // nor at the start of day 2 -> 3
    expect(R.values[1]).toBeCloseTo(0.1, 15);
  });

  it('log returns are ln(p1 / p0)', () => {
    const R = returnsMatrix({ A, B }, { kind: 'log' });
    expect(R.values[0]).toBeCloseTo(Math.log(1.1), 15);
    expect(R.values[3]).toBeCloseTo(Math.log(66 / 55), 15);
    expect(R.kind).toBe('log');
  });

  it('infers periodsPerYear from the bar times, or takes it given', () => {
    const times = Array.from({ length: 30 }, (_, i) => t0 + i * 7 * DAY);
    const close = times.map((_, i) => 100 + i);
    const weekly = BarSeries.fromColumns({ time: times, open: close, high: close, low: close, close });
    expect(returnsMatrix({ W: weekly }).periodsPerYear).toBe(52);
    expect(returnsMatrix({ W: weekly }, { periodsPerYear: 50 }).periodsPerYear).toBe(50);
  });

  it('rejects a universe entry that is not a BarSeries, and too few common times', () => {
    expect(thrown(() => returnsMatrix(new Map([['A', { close: [1, 2] } as never]]))).message).toMatch(/universe\["A"\] must be a BarSeries/);
    const C = bars([5, 6], [1, 2], 'C');
    const e = thrown(() => returnsMatrix({ A, C }));
    expect(e.code).toBe('INVALID_DATA');
    expect(e.message).toMatch(/inner alignment of 2 symbols leaves 0 common bar time/);
  });

  it('universeEntries keeps the record or map order', () => {
    expect(universeEntries({ B, A }).map(([s]) => s)).toEqual(['B', 'A']);
    expect(universeEntries(new Map([['A', A], ['B', B]])).map(([s]) => s)).toEqual(['A', 'B']);
  });
});

describe('returnsMatrix from plain returns', () => {
  it('takes flat row-major values or rows, with NaN as missing', () => {
    const flat = returnsMatrix({ symbols: ['X', 'Y'], values: [0.01, 0.02, NaN, -0.01] });
    const nested = returnsMatrix({ symbols: ['X', 'Y'], values: [[0.01, 0.02], [NaN, -0.01]] });
    expect(flat.rows).toBe(2);
    expect(Array.from(flat.values)).toEqual(Array.from(nested.values));
    expect(flat.hasMissing).toBe(true);
    expect(flat.kind).toBe('unspecified');
    expect(flat.periodsPerYear).toBeUndefined();
  });

  it('infers periodsPerYear from given times', () => {
    const times = Array.from({ length: 3 }, (_, i) => Date.UTC(2024, i, 1));
    expect(returnsMatrix({ symbols: ['X'], values: [0.01, 0.02, 0.03], times }).periodsPerYear).toBe(12);
  });

  it('names the bad cell, a ragged row, duplicate symbols and a wrong size', () => {
    const inf = thrown(() => returnsMatrix({ symbols: ['X', 'Y'], values: [[0.01, Infinity]] }));
    expect(inf.code).toBe('INVALID_DATA');
    expect(inf.message).toMatch(/values\[0\]\[1\] must be a finite number or NaN \(missing\), got Infinity/);
    expect(thrown(() => returnsMatrix({ symbols: ['X', 'Y'], values: [[0.01]] })).message).toMatch(/values\[0\] must be an array of 2 numbers/);
    expect(thrown(() => returnsMatrix({ symbols: ['X', 'X'], values: [1, 2] })).message).toMatch(/"X" appears twice/);
    expect(thrown(() => returnsMatrix({ symbols: ['X', 'Y'], values: [1, 2, 3] })).message).toMatch(/not a multiple of 2 columns/);
    expect(thrown(() => returnsMatrix({ symbols: ['X'], values: [1] }, { align: 'outer' })).code).toBe('INVALID_CONFIG');
    expect(thrown(() => returnsMatrix({ A }, { kind: 'pct' as never })).message).toMatch(/kind: /);
  });
});
