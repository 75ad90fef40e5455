import { validateBarColumns, type BarSeries } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { catchError } from '../test/helpers';
import { generateUniverse } from './synthetic';

const DAY = 86_400_000;

function logReturns(s: BarSeries): Float64Array {
  const out = new Float64Array(s.length - 1);
  for (let i = 1; i < s.length; i++) out[i - 1] = Math.log(s.close[i]! / s.close[i - 1]!);
  return out;
}

/** Pearson correlation, computed directly. */
function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Sample standard deviation. */
function sd(a: Float64Array): number {
  const mean = a.reduce((sum, x) => sum + x, 0) / a.length;
  return Math.sqrt(a.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (a.length - 1));
}

describe('generateUniverse', () => {
  it('is reproducible per seed and differs between seeds', () => {
    const a = generateUniverse({ bars: 300, seed: 42, missingRate: 0.1 });
    const b = generateUniverse({ bars: 300, seed: 42, missingRate: 0.1 });
    const c = generateUniverse({ bars: 300, seed: 43, missingRate: 0.1 });
    expect([...a.keys()]).toEqual(['S01', 'S02', 'S03', 'S04', 'S05']);
    for (const [symbol, series] of a) {
      expect([...series.time]).toEqual([...b.get(symbol)!.time]);
      expect([...series.close]).toEqual([...b.get(symbol)!.close]);
    }
    expect([...a.get('S01')!.close]).not.toEqual([...c.get('S01')!.close]);
  });

  it('gives valid OHLC bars whose opens gap from the previous close', () => {
    const universe = generateUniverse({ bars: 2000, seed: 3, symbols: ['A', 'B', 'C'] });
    for (const series of universe.values()) {
      expect(() => validateBarColumns(series)).not.toThrow();
      let gaps = 0;
      for (let i = 1; i < series.length; i++) {
        expect(series.high[i]).toBeGreaterThanOrEqual(Math.max(series.open[i]!, series.close[i]!));
        expect(series.low[i]).toBeLessThanOrEqual(Math.min(series.open[i]!, series.close[i]!));
        if (series.open[i] !== series.close[i - 1]) gaps++;
      }
      expect(gaps).toBe(series.length - 1);
      expect(series.time[1]! - series.time[0]!).toBe(DAY);
    }
  });

  it('empirical correlation and volatility of returns are near the targets on a long path', () => {
    for (const target of [0.6, -0.3, 0]) {
      const universe = generateUniverse({ bars: 40_000, seed: 11, symbols: ['A', 'B'], correlation: target, volatility: [0.01, 0.02] });
      const ra = logReturns(universe.get('A')!);
      const rb = logReturns(universe.get('B')!);
      // Standard error of a correlation estimate over 40,000 draws is about (1 - rho^2) / 200 <= 0.005.
      expect(Math.abs(correlation(ra, rb) - target), String(target)).toBeLessThan(0.02);
      expect(Math.abs(sd(ra) / 0.01 - 1)).toBeLessThan(0.02);
      expect(Math.abs(sd(rb) / 0.02 - 1)).toBeLessThan(0.02);
    }
  });

  it('a full correlation matrix is honoured pair by pair', () => {
    const matrix = [
      [1, 0.8, 0.1],
      [0.8, 1, 0.3],
      [0.1, 0.3, 1],
    ];
    const u = generateUniverse({ bars: 40_000, seed: 5, symbols: ['X', 'Y', 'Z'], correlation: matrix });
    const [x, y, z] = ['X', 'Y', 'Z'].map((s) => logReturns(u.get(s)!)) as [Float64Array, Float64Array, Float64Array];
    expect(Math.abs(correlation(x, y) - 0.8)).toBeLessThan(0.02);
    expect(Math.abs(correlation(x, z) - 0.1)).toBeLessThan(0.02);
    expect(Math.abs(correlation(y, z) - 0.3)).toBeLessThan(0.02);
  });

  it('calendars, spans and missing bars', () => {
    const u = generateUniverse({
      bars: 700,
      seed: 9,
      symbols: ['BTC', 'NEW', 'OLD', 'SPY'],
      calendar: ['all', 'weekdays', 'weekdays', 'weekdays'],
      spans: { NEW: { first: 100 }, OLD: { last: 349 } },
      start: Date.UTC(2024, 0, 1), // a Monday
    });
    expect(u.get('BTC')!.length).toBe(700);
    // 700 days = 100 weeks: 500 weekdays.
    expect(u.get('SPY')!.length).toBe(500);
    const spy = u.get('SPY')!;
    expect([...spy.time].every((t) => new Date(t).getUTCDay() % 6 !== 0)).toBe(true);
    expect(u.get('NEW')!.time[0]).toBe(Date.UTC(2024, 0, 1) + 100 * DAY); // slot 100 is a Thursday
    expect(u.get('OLD')!.time[u.get('OLD')!.length - 1]).toBe(Date.UTC(2024, 0, 1) + 347 * DAY); // slot 349 is a Sunday: last weekday is slot 347
    // The same seed with holes keeps every other bar as it was.
    const holed = generateUniverse({ bars: 5000, seed: 9, symbols: ['A'], missingRate: 0.2 }).get('A')!;
    const full = generateUniverse({ bars: 5000, seed: 9, symbols: ['A'] }).get('A')!;
    expect(Math.abs(holed.length / 5000 - 0.8)).toBeLessThan(0.03);
    const byTime = new Map([...full.time].map((t, i) => [t, i]));
    for (let i = 0; i < holed.length; i++) expect(holed.close[i]).toBe(full.close[byTime.get(holed.time[i]!)!]);
  });

  it('rejects bad options, naming them', () => {
    expect(catchError(() => generateUniverse({ bars: 0 }), 'INVALID_CONFIG').message).toContain('bars');
    expect(catchError(() => generateUniverse({ bars: 10, symbols: 3, correlation: -0.6 }), 'INVALID_CONFIG').message).toBe(
      'generateUniverse: correlation must be above -1/(n-1) = -0.5 for 3 symbols, got -0.6',
    );
    expect(catchError(() => generateUniverse({ bars: 10, symbols: 2, correlation: [[1, 0.5], [0.4, 1]] }), 'INVALID_CONFIG').message).toBe(
      'generateUniverse: correlation[1][0] must be in (-1, 1) and equal correlation[0][1], got 0.4',
    );
    expect(
      catchError(() => generateUniverse({ bars: 10, symbols: 3, correlation: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]] }), 'INVALID_CONFIG').message,
    ).toContain('must be positive definite');
    expect(catchError(() => generateUniverse({ bars: 10, symbols: 2, volatility: [0.1] }), 'INVALID_CONFIG').message).toBe(
      'generateUniverse: volatility must have one value per symbol (2), got an array of length 1',
    );
    expect(catchError(() => generateUniverse({ bars: 10, symbols: ['A', 'A'] }), 'INVALID_CONFIG').message).toContain('must not repeat');
    expect(catchError(() => generateUniverse({ bars: 10, spans: { Q: { first: 1 } } }), 'INVALID_CONFIG').message).toContain('spans.Q');
    expect(catchError(() => generateUniverse({ bars: 10, seed: -1 }), 'INVALID_CONFIG').message).toContain('seed');
  });
});
