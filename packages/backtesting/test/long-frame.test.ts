import { parseBarsCsvBySymbol, toBarUniverse } from '@algo-trading/data';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';
import { DAY, T0, rejects } from './helpers';

const rows = [
  { time: T0, symbol: 'A', open: 10, high: 10, low: 10, close: 10, volume: 100 },
  { time: T0, symbol: 'B', open: 20, high: 20, low: 20, close: 20, volume: 100 },
  { time: T0 + DAY, symbol: 'A', open: 11, high: 11, low: 11, close: 11, volume: 100 },
  { time: T0 + 2 * DAY, symbol: 'A', open: 12, high: 12, low: 12, close: 12, volume: 100 },
  { time: T0 + 2 * DAY, symbol: 'B', open: 25, high: 25, low: 25, close: 25, volume: 100 },
];
const csv = ['date,symbol,open,high,low,close,volume', ...rows.map((r) => `${new Date(r.time).toISOString().slice(0, 10)},${r.symbol},${r.open},${r.high},${r.low},${r.close},${r.volume}`)].join('\n');
const costless = { commissionPct: 0, slippageBps: 0 } as const;

describe('a long-format frame as data', () => {
  it('rows with a symbol column run as the universe of their symbols, like a record of series', async () => {
    const signals = { A: [1, 0, 0], B: [1, 0] };
    const fromRows = new BacktestEngine({ initialCapital: 1000, ...costless });
    const a = await fromRows.runBacktest({ data: rows, signals });
    const fromRecord = new BacktestEngine({ initialCapital: 1000, ...costless });
    const b = await fromRecord.runBacktest({ data: Object.fromEntries(toBarUniverse(rows)), signals });
    expect(a.symbols).toEqual(['A', 'B']);
    expect(a.bars).toBe(3);
    expect(fromRows.getFills()).toEqual(fromRecord.getFills());
    expect(a.finalEquity).toBe(b.finalEquity);
    // A buys all in at 11 (90 units, cash 10); B has no bar on day 1 and buys at day 2's open with nothing left.
    expect(fromRows.getFills().map((f) => [f.symbol, f.quantity, f.price])).toEqual([['A', 90, 11]]);
  });

  it('columns with a ticker column and the multi-symbol output of the CSV reader give the same run', async () => {
    const columns = { time: rows.map((r) => r.time), ticker: rows.map((r) => r.symbol), close: rows.map((r) => r.close) };
    const weights = { time: [T0], weights: { A: [0.5], B: [0.5] } };
    const e1 = new BacktestEngine({ initialCapital: 1000, ...costless });
    await e1.runBacktest({ data: columns, targetWeights: weights });
    const e2 = new BacktestEngine({ initialCapital: 1000, ...costless });
    await e2.runBacktest({ data: parseBarsCsvBySymbol(csv), targetWeights: weights });
    // Day 0's close: 500 / 10 = 50 A and 500 / 20 = 25 B. A fills at day 1's open (11: cash 450);
    // B has no bar until day 2, where its buy is cut to the cash: 450 / 25 = 18.
    const expected = [
      ['A', 50, 11],
      ['B', 18, 25],
    ];
    expect(e1.getFills().map((f) => [f.symbol, f.quantity, f.price])).toEqual(expected);
    expect(e2.getFills().map((f) => [f.symbol, f.quantity, f.price])).toEqual(expected);
  });

  it("run() takes a long frame too; a frame of one symbol is that symbol's single series", async () => {
    const engine = new BacktestEngine({ initialCapital: 1000, ...costless });
    const seen: string[][] = [];
    await engine.run({ data: rows, strategy: { onBar: (ctx) => void seen.push([...ctx.symbols]) } });
    expect(seen[0]).toEqual(['A', 'B']);
    const one = rows.filter((r) => r.symbol === 'A');
    const results = await engine.runBacktest({ data: one, signals: [1, 0, 0] });
    expect(results.symbols).toEqual(['A']);
    expect(results.symbol).toBe('A');
    await rejects(engine.runBacktest({ data: one, signals: [1, 0] }), 'INVALID_DATA', 'signals has 2 values but the data has 3 bars');
  });

  it('a bad row is INVALID_DATA naming the row and the column, before the loop', async () => {
    const engine = new BacktestEngine({ initialCapital: 1000 });
    await rejects(engine.runBacktest({ data: [...rows, { ...rows[0]!, symbol: 'A', time: T0 + DAY, close: Number.NaN }], signals: {} }), 'INVALID_DATA', 'row 5');
  });
});
