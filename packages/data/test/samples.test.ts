import { readFileSync } from 'node:fs';
import { isBarSeries, validateBarColumns } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { SAMPLE_NAMES, loadSampleBars, parseBarsCsv, readBarsCsv, readBarsCsvBySymbol, samplePath } from '../src/index';
import { catchError } from './helpers';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('the real S&P 500 sample (samples/sp500-2000.csv)', () => {
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
    expect(path.replaceAll('\\', '/')).toMatch(/packages\/data\/samples\/sp500-2000\.csv$/);
    expect(readFileSync(path, 'utf8').startsWith('date,open,high,low,close,adjclose,volume\n')).toBe(true);
    const read = await readBarsCsv(path);
    expect([...read.close]).toEqual([...bars.close]);
    const adjusted = parseBarsCsv(readFileSync(path, 'utf8'), { useAdjusted: true });
    expect([...adjusted.open]).toEqual([...bars.open]);
  });

  it('unknown sample names are rejected, listing the known ones', () => {
    expect(SAMPLE_NAMES).toEqual(['sp500', 'stocks']);
    expect(catchError(() => loadSampleBars('nasdaq' as never), 'INVALID_ARGUMENT').message).toMatch(/^loadSampleBars: unknown sample "nasdaq"; the samples are sp500 \(.*\), stocks \(.*\)$/);
    expect(catchError(() => samplePath('toString' as never), 'INVALID_ARGUMENT').details).toEqual({ field: 'name', value: 'toString', samples: ['sp500', 'stocks'] });
  });
});

describe('the real monthly stocks sample (samples/stocks.csv) as a universe', () => {
  const stocks = loadSampleBars('stocks');

  it('holds five symbols in sorted order, each with its own calendar, price only', () => {
    expect([...stocks.keys()]).toEqual(['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT']);
    for (const [symbol, bars] of stocks) {
      expect(bars.symbol).toBe(symbol);
      expect(bars.length).toBe(symbol === 'GOOG' ? 68 : 123);
      expect(day(bars.time[bars.length - 1]!)).toBe('2010-03-01');
      expect(bars.open).toBe(bars.close); // one array: open = high = low = close
      expect([...bars.volume].every((v) => v === 0)).toBe(true);
    }
    expect(day(stocks.get('GOOG')!.time[0]!)).toBe('2004-08-01');
  });

  it('first and last prices match the file; monthly spacing', () => {
    expect(stocks.get('AAPL')!.at(0)).toEqual({ time: Date.UTC(2000, 0, 1), open: 25.94, high: 25.94, low: 25.94, close: 25.94, volume: 0 });
    expect(stocks.get('MSFT')!.close[0]).toBe(39.81);
    expect(stocks.get('MSFT')!.close[122]).toBe(28.8);
    expect(stocks.get('GOOG')!.close[0]).toBe(102.37);
    expect(stocks.get('IBM')!.close[122]).toBe(125.55);
    const aapl = stocks.get('AAPL')!;
    for (let i = 1; i < aapl.length; i++) {
      const previous = new Date(aapl.time[i - 1]!);
      const current = new Date(aapl.time[i]!);
      expect(current.getUTCDate()).toBe(1);
      expect((current.getUTCFullYear() - previous.getUTCFullYear()) * 12 + current.getUTCMonth() - previous.getUTCMonth()).toBe(1);
    }
  });

  it('samplePath gives the file, which readBarsCsvBySymbol reads to the same universe', async () => {
    const path = samplePath('stocks');
    expect(path.replaceAll('\\', '/')).toMatch(/packages\/data\/samples\/stocks\.csv$/);
    const read = await readBarsCsvBySymbol(path);
    expect([...read.keys()]).toEqual([...stocks.keys()]);
    expect([...read.get('AMZN')!.close]).toEqual([...stocks.get('AMZN')!.close]);
  });
});
