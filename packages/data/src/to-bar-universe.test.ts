import { BarSeries, isBarSeries } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { catchError, utc } from '../test/helpers';
import type { DataFrameLike } from './dataframe';
import { toBarSeries, toBarUniverse, toBarsOrUniverse } from './to-bar-series';

const D1 = utc(2024, 1, 2);
const D2 = utc(2024, 1, 3);
const D3 = utc(2024, 1, 4);

/** A minimal DataFrame (the structural part the package reads). */
function frame(columns: Record<string, unknown[]>): DataFrameLike {
  const names = Object.keys(columns);
  const rows = columns[names[0]!]!.length;
  return { columns: names, index: Array.from({ length: rows }, (_, i) => i), shape: [rows, names.length], column: (name) => ({ values: columns[name]! }) };
}

const longRows = [
  { time: D1, symbol: 'MSFT', open: 370, high: 372, low: 368, close: 371, volume: 10 },
  { time: D1, symbol: 'AAPL', open: 185, high: 186, low: 184, close: 185.5, volume: 20 },
  { time: D2, symbol: 'AAPL', open: 185.5, high: 187, low: 185, close: 186, volume: 21 },
  { time: D3, symbol: 'MSFT', open: 371, high: 375, low: 370, close: 374, volume: 11 },
  { time: D3, symbol: 'AAPL', open: 186, high: 188, low: 186, close: 187, volume: 22 },
];

describe('toBarUniverse: long-format frames', () => {
  it('rows with a symbol column become one validated series per symbol, each on its own calendar', () => {
    const universe = toBarUniverse(longRows);
    expect([...universe.keys()]).toEqual(['AAPL', 'MSFT']);
    const aapl = universe.get('AAPL')!;
    expect(aapl.symbol).toBe('AAPL');
    expect(Array.from(aapl.time)).toEqual([D1, D2, D3]);
    expect(Array.from(aapl.close)).toEqual([185.5, 186, 187]);
    const msft = universe.get('MSFT')!;
    expect(Array.from(msft.time)).toEqual([D1, D3]);
    expect(msft.toRows()[1]).toEqual({ time: D3, open: 371, high: 375, low: 370, close: 374, volume: 11 });
  });

  it('columns and a DataFrame with a ticker column give the same universe as the rows', () => {
    const columns = {
      Date: longRows.map((r) => new Date(r.time).toISOString().slice(0, 10)),
      Ticker: longRows.map((r) => r.symbol),
      Close: longRows.map((r) => r.close),
    };
    const fromColumns = toBarUniverse(columns);
    const fromFrame = toBarUniverse(frame(columns));
    for (const universe of [fromColumns, fromFrame]) {
      expect([...universe.keys()]).toEqual(['AAPL', 'MSFT']);
      expect(Array.from(universe.get('MSFT')!.close)).toEqual([371, 374]);
      expect(Array.from(universe.get('AAPL')!.time)).toEqual([D1, D2, D3]);
    }
  });

  it('data without a symbol column is a universe of one, named by options.symbol or the series', () => {
    expect([...toBarUniverse({ time: [D1, D2], price: [1, 2] }, { symbol: 'X' }).keys()]).toEqual(['X']);
    const bars = BarSeries.fromPrices([D1, D2], [1, 2], { symbol: 'S' });
    expect(toBarUniverse(bars).get('S')).toBe(bars);
    expect(catchError(() => toBarUniverse({ time: [D1], price: [1] }), 'INVALID_DATA').message).toContain('the data has no symbol column');
  });

  it('errors name the row, the column and the value', () => {
    const bad = [...longRows, { time: D2, symbol: 'AAPL', open: 1, high: 1, low: 1, close: 1, volume: 1 }];
    expect(catchError(() => toBarUniverse(bad), 'INVALID_DATA').message).toBe(
      'row 5, column "time": time 2024-01-03T00:00:00.000Z is earlier than row 4 (2024-01-04T00:00:00.000Z); rows must be in time order (pass sortUnordered: true to sort them)',
    );
    const unknown = [{ time: D1, symbol: 'A', close: 'abc' }];
    expect(catchError(() => toBarUniverse(unknown), 'INVALID_DATA').message).toMatch(/row 0, column "close".*"abc"/);
    expect(catchError(() => toBarUniverse([]), 'INVALID_DATA').message).toBe('toBarUniverse: the array of rows is empty');
    expect(catchError(() => toBarUniverse(42 as never), 'INVALID_ARGUMENT').message).toMatch(/^toBarUniverse: input must be/);
  });
});

describe('toBarsOrUniverse', () => {
  it('a frame of several symbols is a universe; one symbol (named by it) or no symbol column is one series', () => {
    const many = toBarsOrUniverse(longRows);
    expect(isBarSeries(many)).toBe(false);
    expect([...(many as Map<string, BarSeries>).keys()]).toEqual(['AAPL', 'MSFT']);
    const aaplRows = longRows.filter((r) => r.symbol === 'AAPL');
    const one = toBarsOrUniverse(aaplRows);
    expect(isBarSeries(one)).toBe(true);
    expect((one as BarSeries).symbol).toBe('AAPL');
    expect(one).toEqual(toBarSeries(aaplRows));
    const plain = toBarsOrUniverse({ time: [D1, D2], price: [1, 2] });
    expect(isBarSeries(plain)).toBe(true);
    expect(plain).toEqual(toBarSeries({ time: [D1, D2], price: [1, 2] }));
  });
});
