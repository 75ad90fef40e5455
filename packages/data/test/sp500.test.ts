import { readFileSync } from 'node:fs';
import { isBarSeries, validateBarColumns } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { SAMPLE_NAMES, loadSampleBars, parseBarsCsv, readBarsCsv, samplePath } from '../src/index';
import { catchError } from './helpers';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('the real S&P 500 sample (vega-datasets data/sp500-2000.csv)', () => {
  const bars = loadSampleBars('sp500');

  it('has every trading day from 2000-01-03 to 2020-04-17, validated', () => {
    expect(isBarSeries(bars)).toBe(true);
    expect(bars.symbol).toBe('SP500');
    // The file has 5,106 lines: a header and 5,105 bars.
    expect(bars.length).toBe(5105);
    expect(day(bars.time[0]!)).toBe('2000-01-03');
    expect(day(bars.time[bars.length - 1]!)).toBe('2020-04-17');
    expect(() => validateBarColumns(bars)).not.toThrow();
  });

  it('first and last bars match the file', () => {
    expect(bars.at(0)).toEqual({ time: Date.UTC(2000, 0, 3), open: 1469.25, high: 1478, low: 1438.359985, close: 1455.219971, volume: 931_800_000 });
    expect(bars.at(-1)).toEqual({
      time: Date.UTC(2020, 3, 17),
      open: 2842.429932,
      high: 2879.219971,
      low: 2830.879883,
      close: 2874.560059,
      volume: 5_792_140_000,
    });
  });

  it('contains the known extremes: the 2009 low and the 2020 high close', () => {
    let minAt = 0;
    let maxAt = 0;
    for (let i = 1; i < bars.length; i++) {
      if (bars.close[i]! < bars.close[minAt]!) minAt = i;
      if (bars.close[i]! > bars.close[maxAt]!) maxAt = i;
    }
    expect(day(bars.time[minAt]!)).toBe('2009-03-09');
    expect(bars.close[minAt]).toBe(676.530029);
    expect(day(bars.time[maxAt]!)).toBe('2020-02-19');
    expect(bars.close[maxAt]).toBe(3386.149902);
  });

  it('trading days only: whole-day gaps, the longest being the 9/11 market closure', () => {
    let longest = 0;
    let longestEnd = 0;
    for (let i = 1; i < bars.length; i++) {
      const gap = (bars.time[i]! - bars.time[i - 1]!) / 86_400_000;
      expect(Number.isInteger(gap)).toBe(true);
      if (gap > longest) {
        longest = gap;
        longestEnd = i;
      }
    }
    expect(longest).toBe(7); // Monday 2001-09-10 -> Monday 2001-09-17
    expect(day(bars.time[longestEnd]!)).toBe('2001-09-17');
  });

  it('samplePath points at the file; readBarsCsv and useAdjusted give the same bars (adjclose = close)', async () => {
    const path = samplePath('sp500');
    expect(path.replaceAll('\\', '/')).toMatch(/vega-datasets\/data\/sp500-2000\.csv$/);
    expect(readFileSync(path, 'utf8').startsWith('date,open,high,low,close,adjclose,volume\n')).toBe(true);
    const read = await readBarsCsv(path);
    expect([...read.close]).toEqual([...bars.close]);
    const adjusted = parseBarsCsv(readFileSync(path, 'utf8'), { useAdjusted: true });
    expect([...adjusted.open]).toEqual([...bars.open]);
  });

  it('unknown sample names are rejected, listing the known ones', () => {
    expect(SAMPLE_NAMES).toEqual(['sp500']);
    expect(catchError(() => loadSampleBars('nasdaq' as never), 'INVALID_ARGUMENT').message).toBe(
      'loadSampleBars: name must be one of sp500, got "nasdaq"',
    );
    expect(catchError(() => samplePath('toString' as never), 'INVALID_ARGUMENT').details).toEqual({ field: 'name', value: 'toString' });
  });
});
