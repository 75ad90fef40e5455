import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlgoTradingError } from '@algo-trading/core';
import { afterAll, describe, expect, it } from 'vitest';
import { generateUniverse, loadSampleBars, parseBarsCsv, parseBarsCsvBySymbol, readBarsFolder, resampleBars, toBarSeries, toBarUniverse } from '../src/index';

const dir = mkdtempSync(join(tmpdir(), 'data-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The README's example, line by line, with the values it shows. */
describe('README example', () => {
  it('gives the values the README shows', async () => {
    const spx = loadSampleBars('sp500');
    expect(spx.length).toBe(5105);
    expect(spx.close[0]).toBe(1455.219971);

    const stocks = loadSampleBars('stocks');
    expect([...stocks.keys()]).toEqual(['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT']);

    const csv = 'Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,10,12,9,11,5.5,1000\n';
    const adjusted = parseBarsCsv(csv, { useAdjusted: true, symbol: 'XYZ' });
    expect([adjusted.open[0], adjusted.high[0], adjusted.low[0], adjusted.close[0]]).toEqual([5, 6, 4.5, 5.5]);

    expect(parseBarsCsv(',open,high,low,close,volume\n2024-01-02 09:30:00-05:00,1.0,1.5,0.5,1.2,100\n').time[0]).toBe(Date.UTC(2024, 0, 2, 14, 30));

    expect(parseBarsCsv('date,close\n20240102,10\n').time[0]).toBe(Date.UTC(2024, 0, 2));

    const bySymbol = parseBarsCsvBySymbol('ticker,date,close\nBBB,2024-01-02,20\nAAA,2024-01-02,10\n');
    expect([...bySymbol.keys()]).toEqual(['AAA', 'BBB']);
    const folder = join(dir, 'prices');
    mkdirSync(folder);
    writeFileSync(join(folder, 'AAPL.csv'), 'date,close\n2024-01-02,185\n');
    writeFileSync(join(folder, 'MSFT.csv'), 'date,close\n2024-01-02,370\n');
    const prices = await readBarsFolder(folder);
    expect([...prices.keys()]).toEqual(['AAPL', 'MSFT']);

    const weekly = resampleBars(spx, { interval: '1w' });
    expect(weekly.time[0]).toBe(Date.UTC(2000, 0, 3));
    expect(weekly.open[0] === spx.open[0]).toBe(true);
    // The sample ends on Friday 2020-04-17: that week is not shown complete and is dropped.
    expect(weekly.time[weekly.length - 1]).toBe(Date.UTC(2020, 3, 6));

    const synthetic = generateUniverse({ symbols: ['AAA', 'BBB'], bars: 252, correlation: 0.6, seed: 7 });
    expect(synthetic.get('AAA')!.length).toBe(252);

    expect(toBarSeries({ time: [Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)], price: [100, 101] }).high[1]).toBe(101);

    const frame = toBarUniverse([
      { time: '2024-01-02', symbol: 'MSFT', close: 370 },
      { time: '2024-01-02', symbol: 'AAPL', close: 185 },
      { time: '2024-01-03', symbol: 'AAPL', close: 184 },
    ]);
    expect([...frame.keys()]).toEqual(['AAPL', 'MSFT']);
    expect(frame.get('AAPL')!.close[1]).toBe(184);

    let caught: unknown;
    try {
      parseBarsCsv('date,close\n2024-01-02,10\n2024-01-03,n/a\n');
    } catch (error) {
      caught = error;
    }
    expect(isAlgoTradingError(caught, 'PARSE_ERROR')).toBe(true);
    expect((caught as Error).message).toBe('line 3, column "close": expected a number, got "n/a"');
  });
});
