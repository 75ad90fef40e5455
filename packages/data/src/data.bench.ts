import { readFileSync } from 'node:fs';
import { bench, describe } from 'vitest';
import { parseBarsCsv } from './csv';
import { samplePath } from './samples';
import { toBarSeries } from './to-bar-series';

const sp500 = readFileSync(samplePath('sp500'), 'utf8');

const N = 100_000;
const start = Date.UTC(2000, 0, 3);
const time = new Float64Array(N);
const open = new Float64Array(N);
const high = new Float64Array(N);
const low = new Float64Array(N);
const close = new Float64Array(N);
const volume = new Float64Array(N);
const lines = ['date,open,high,low,close,volume'];
let price = 100;
for (let i = 0; i < N; i++) {
  const o = price;
  price *= 1 + Math.sin(i * 12.9898) * 0.01;
  const c = price;
  time[i] = start + i * 60_000;
  open[i] = o;
  close[i] = c;
  high[i] = Math.max(o, c) * 1.002;
  low[i] = Math.min(o, c) * 0.998;
  volume[i] = 1000 + (i % 500);
  lines.push(`${new Date(time[i]!).toISOString()},${open[i]},${high[i]},${low[i]},${close[i]},${volume[i]}`);
}
const bigCsv = lines.join('\n');
const columns = { time, open, high, low, close, volume };
const rows = Array.from({ length: N }, (_, i) => ({ time: time[i]!, open: open[i]!, high: high[i]!, low: low[i]!, close: close[i]!, volume: volume[i]! }));

describe('data loading', () => {
  bench('parseBarsCsv: S&P 500 sample (5,105 rows)', () => {
    parseBarsCsv(sp500);
  });
  bench('parseBarsCsv: 100k rows, ISO timestamps', () => {
    parseBarsCsv(bigCsv);
  });
  bench('toBarSeries: 100k-row Float64Array columns', () => {
    toBarSeries(columns);
  });
  bench('toBarSeries: 100k row objects', () => {
    toBarSeries(rows);
  });
});
