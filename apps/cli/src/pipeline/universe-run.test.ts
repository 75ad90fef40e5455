import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BarSeries, isAlgoTradingError, silentLogger, toUniverse } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type AppConfig } from '../config/schema';
import { parseEveryOption } from '../options';
import { chunksText, symbolColumnsCsvChunks } from '../output/csv';
import { readSymbolColumnsCsv } from '../output/results-file';
import { renderSymbolTable } from '../output/symbol-table';
import { weightChartIndices } from '../report/weights-chart';
import { hashUniverse } from '../report/manifest';
import { equalWeightBenchmark } from './benchmark';
import { parseUniverseSignalsCsv } from './signals-file';
import { universeConfig } from './universe-run';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function costless(): AppConfig {
  const config = defaultConfig();
  return { ...config, backtesting: { ...config.backtesting, initial_capital: 1000, transaction_cost: 0, slippage_bps: 0 } };
}

describe('universeConfig', () => {
  it('caps each position at 0.95 / N of the equity without a config file, when that is below the configured cap', () => {
    const config = defaultConfig();
    expect(config.risk_management.position_sizing.max_position_size).toBe(0.25);
    const five = universeConfig(config, 5, { configFile: false, logger: silentLogger });
    expect(five.config.risk_management.position_sizing.max_position_size).toBe(0.19);
    expect(five.sizing).toContain('at most 19.00%');
    // 0.95 / 7 = 0.135714...: floored to 4 decimals.
    expect(universeConfig(config, 7, { configFile: false, logger: silentLogger }).config.risk_management.position_sizing.max_position_size).toBe(0.1357);
    // 0.95 / 3 is above 0.25: the default stays.
    expect(universeConfig(config, 3, { configFile: false, logger: silentLogger }).config).toBe(config);
    // A config file is used as written.
    const file = universeConfig(config, 5, { configFile: true, logger: silentLogger });
    expect(file.config).toBe(config);
    expect(file.sizing).toContain('from the config file');
  });
});

describe('parseUniverseSignalsCsv', () => {
  const universe = toUniverse({
    A: BarSeries.fromPrices([T0, T0 + DAY, T0 + 2 * DAY], [10, 11, 12], { symbol: 'A' }),
    B: BarSeries.fromPrices([T0 + DAY, T0 + 2 * DAY], [5, 6], { symbol: 'B' }),
  });

  it("aligns each row with its own symbol's bars; symbols without rows hold", () => {
    const parsed = parseUniverseSignalsCsv('date,symbol,signal,confidence\n2024-01-02,A,1,0.7\n2024-01-02,B,-1,\n', universe);
    expect(Array.from(parsed.signals['A']!)).toEqual([0, 1, 0]);
    expect(Array.from(parsed.signals['B']!)).toEqual([-1, 0]);
    expect(Array.from(parsed.confidences!['A']!)).toEqual([NaN, 0.7, NaN]);
    expect(parsed.rows).toBe(2);
    expect(parseUniverseSignalsCsv('date,symbol,signal\n2024-01-03,B,1\n', universe).signals['A']).toEqual(new Int8Array(3));
  });

  it('names the line of a symbol not in the data, a time that is not a bar of its symbol, a duplicate, a missing column', () => {
    const message = (text: string) => {
      try {
        parseUniverseSignalsCsv(text, universe, 'sig.csv');
      } catch (error) {
        expect(isAlgoTradingError(error, 'INVALID_DATA')).toBe(true);
        return (error as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(message('date,symbol,signal\n2024-01-02,C,1\n')).toBe('sig.csv line 2: symbol "C" is not in the data (A, B)');
    expect(message('date,symbol,signal\n2024-01-01,B,1\n')).toBe('sig.csv line 2: "2024-01-01" is not the time of any bar of B in the data');
    expect(message('date,symbol,signal\n2024-01-02,A,1\n2024-01-02,A,0\n')).toBe('sig.csv line 3: "2024-01-02" of A appears twice');
    expect(message('date,signal\n2024-01-02,1\n')).toContain('sig.csv line 1: expected a header with a date (or datetime, timestamp, time) column, a symbol column and a signal column');
  });
});

describe('weights.csv', () => {
  it('writes a time column and one column per symbol, and reads back the same values', async () => {
    const table = { time: [T0, T0 + DAY], symbols: ['A', 'B'], values: { A: [0.5, 0.25], B: [0, 0.123456789] } };
    const text = chunksText(symbolColumnsCsvChunks(table));
    expect(text).toBe('time,A,B\n2024-01-01T00:00:00.000Z,0.5,0\n2024-01-02T00:00:00.000Z,0.25,0.123456789\n');
    const path = join(mkdtempSync(join(tmpdir(), 'algo-weights-')), 'weights.csv');
    writeFileSync(path, text);
    const read = await readSymbolColumnsCsv(path, ['A', 'B']);
    expect(Array.from(read.time)).toEqual(table.time);
    expect(Array.from(read.values['B']!)).toEqual(table.values.B);
    await expect(readSymbolColumnsCsv(path, ['A', 'C'])).rejects.toThrow('line 1: expected the header time,A,C');
  });
});

describe('weightChartIndices', () => {
  it('keeps every slice of a short run, and at most the limit of a long one with each symbol extremes', () => {
    const short = { time: [1, 2, 3], symbols: ['A'], values: { A: [0, 1, 0] } };
    expect(Array.from(weightChartIndices(short, 10))).toEqual([0, 1, 2]);
    const n = 10_000;
    const time = Float64Array.from({ length: n }, (_, i) => i);
    const a = Float64Array.from({ length: n }, (_, i) => (i === 4321 ? 0.9 : 0.2));
    const b = Float64Array.from({ length: n }, (_, i) => (i === 777 ? 0 : 0.5));
    const indices = Array.from(weightChartIndices({ time, symbols: ['A', 'B'], values: { A: a, B: b } }, 200));
    expect(indices.length).toBeLessThanOrEqual(200);
    expect(indices).toContain(4321);
    expect(indices).toContain(777);
    expect(indices).toEqual([...indices].sort((x, y) => x - y));
  });
});

describe('equalWeightBenchmark', () => {
  it('holds 1/k of the symbols listed, rebalanced at the first slice of each month; a later listing joins at the next month', async () => {
    // A and B from 2024-01-30; C lists on 2024-02-02. A 10, then 20 from 02-01; B 10; C 5, then 10 on 03-05.
    const times = [Date.UTC(2024, 0, 30), Date.UTC(2024, 0, 31), Date.UTC(2024, 1, 1), Date.UTC(2024, 1, 2), Date.UTC(2024, 2, 1), Date.UTC(2024, 2, 4), Date.UTC(2024, 2, 5)];
    const universe = toUniverse({
      A: BarSeries.fromPrices(times, [10, 10, 20, 20, 20, 20, 20], { symbol: 'A' }),
      B: BarSeries.fromPrices(times, [10, 10, 10, 10, 10, 10, 10], { symbol: 'B' }),
      C: BarSeries.fromPrices(times.slice(3), [5, 5, 5, 10], { symbol: 'C' }),
    });
    const benchmark = await equalWeightBenchmark(universe, costless(), times);
    // 01-30 close: 500 each in A and B (50 units each), bought at 01-31's open: cash 0.
    // 02-01 (a new month; C not listed yet): equity 1,500 -> 750 each: A floor(750 / 20) = 37
    //   (sell 13), B 75 (buy 25), at 02-02's open: cash 10 + 260 - 250 = 10.
    // 03-01 (a new month; C listed): 500 each: A 25 (sell 12), B 50 (sell 25), C 100 at 5, at
    //   03-04's open: cash 10 + 240 + 250 - 500 = 0. 03-05: C doubles: 500 + 500 + 1,000.
    expect(Array.from(benchmark.equity)).toEqual([1000, 1000, 1500, 1500, 1500, 1500, 2000]);
    expect(benchmark.kind).toBe('equal_weight');
    expect(benchmark.rule).toContain('first slice of every calendar month');
  });
});

describe('hashUniverse, parseEveryOption, renderSymbolTable', () => {
  it('hashes a universe by its symbols and series', () => {
    const a = BarSeries.fromPrices([T0], [1], { symbol: 'A' });
    const b = BarSeries.fromPrices([T0], [2], { symbol: 'B' });
    const b2 = BarSeries.fromPrices([T0], [3], { symbol: 'B' });
    expect(hashUniverse(toUniverse({ A: a, B: b }))).toBe(hashUniverse(toUniverse({ A: BarSeries.fromPrices([T0], [1], { symbol: 'A' }), B: b })));
    expect(hashUniverse(toUniverse({ A: a, B: b }))).not.toBe(hashUniverse(toUniverse({ A: a, B: b2 })));
  });

  it('parses --every as a calendar period or a number of periods', () => {
    expect(parseEveryOption('Month')).toBe('month');
    expect(parseEveryOption('21')).toBe(21);
    expect(() => parseEveryOption('0')).toThrow('expected week, month, quarter, year or a number of return periods');
    expect(() => parseEveryOption('daily')).toThrow('expected week');
  });

  it('prints one row per symbol and the totals', () => {
    const row = { pnl: 100, contribution: 0.01, trades: 2, winRate: 0.5, exposure: 0.25, turnover: 0.4, tradedValue: 4000, averageWeight: 0.1, finalWeight: 0, bars: 3, start: '', end: '', buyAndHoldReturn: 0.2 };
    const text = renderSymbolTable({ symbols: ['A', 'B'], perSymbol: { A: row, B: { ...row, pnl: -50, contribution: -0.005, trades: 1 } }, turnover: 0.8, sizing: 'test sizing' });
    expect(text.split('\n')[0]).toBe('Per symbol (test sizing):');
    expect(text).toMatch(/^A\s+100\.00\s+1\.00%\s+2\s+50\.00%\s+25\.00%\s+0\.40\s+10\.00%\s+0\.00%\s+20\.00%$/m);
    expect(text).toMatch(/^total\s+50\.00\s+0\.50%\s+3\s+0\.80$/m);
  });
});
