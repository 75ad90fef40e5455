import { isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { loadSampleBars, parseBarsCsv, parseBarsCsvBySymbol, toBarSeries } from '../src/index';

/** The README's example, line by line, with the values it shows. */
describe('README example', () => {
  it('gives the values the README shows', () => {
    const spx = loadSampleBars('sp500');
    expect(spx.length).toBe(5105);
    expect(spx.close[0]).toBe(1455.219971);

    const csv = 'Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,10,12,9,11,5.5,1000\n';
    const adjusted = parseBarsCsv(csv, { useAdjusted: true, symbol: 'XYZ' });
    expect([adjusted.open[0], adjusted.high[0], adjusted.low[0], adjusted.close[0]]).toEqual([5, 6, 4.5, 5.5]);

    const bySymbol = parseBarsCsvBySymbol('ticker,date,close\nAAA,2024-01-02,10\nBBB,2024-01-02,20\n');
    expect([...bySymbol.keys()]).toEqual(['AAA', 'BBB']);

    const fromColumns = toBarSeries({ time: [Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)], price: [100, 101] });
    expect(fromColumns.high[1]).toBe(101);

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
