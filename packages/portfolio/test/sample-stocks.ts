import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BarSeries } from '@algo-trading/core';

/**
 * The five monthly price series of vega-datasets' `stocks.csv` (MSFT, AMZN, IBM, GOOG, AAPL,
 * 2000-01 to 2010-03; GOOG from 2004-08) as close-only bar series. The one place that reads the
 * file: switch it to the data package's sample loader once that knows this file.
 */
export function loadStocks(): Map<string, BarSeries> {
  const require = createRequire(import.meta.url);
  const path = join(dirname(require.resolve('vega-datasets')), '..', 'data', 'stocks.csv');
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const rows = new Map<string, { time: number[]; close: number[] }>();
  for (const line of readFileSync(path, 'utf8').trim().split('\n').slice(1)) {
    const [symbol, date, price] = line.split(',') as [string, string, string];
    const [month, day, year] = date.split(' ') as [string, string, string];
    const time = Date.UTC(Number(year), months.indexOf(month), Number(day));
    const entry = rows.get(symbol) ?? { time: [], close: [] };
    entry.time.push(time);
    entry.close.push(Number(price));
    rows.set(symbol, entry);
  }
  const out = new Map<string, BarSeries>();
  for (const [symbol, { time, close }] of rows) {
    out.set(symbol, BarSeries.fromColumns({ time, open: close, high: close, low: close, close }, { symbol }));
  }
  return out;
}
