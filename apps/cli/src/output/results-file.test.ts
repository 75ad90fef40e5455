import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { sampleResults } from '../../test/fixtures/sample-results';
import { equityCsv } from './csv';
import { parseResults, readEquityCsv, readResultsDir, rejectedOrders, serializeResults } from './results-file';

describe('results.json', () => {
  it('round-trips everything but the per-bar curve, non-finite metrics and rejection counts included', () => {
    const results = sampleResults();
    const text = serializeResults(results);
    expect(text).toContain('"sortinoRatio": "Infinity"');
    expect(text).toContain('"calmarRatio": "NaN"');
    expect(text).not.toContain('equityCurve');
    expect(JSON.parse(text).schemaVersion).toBe(2);
    const back = parseResults(text);
    expect(back.headline.sortinoRatio).toBe(Infinity);
    expect(back.headline.calmarRatio).toBeNaN();
    expect(back.metrics['omegaRatio']).toBe(-Infinity);
    expect(back.equityCurve.time).toHaveLength(0);
    expect(back.trades).toEqual(results.trades);
    expect(back.fills).toEqual(results.fills);
    expect(back.rejections).toEqual(results.rejections);
    expect(rejectedOrders(back)).toBe(4); // two records: 1 order + 3 coalesced orders
    expect(back.config).toEqual(results.config);
    expect(back.extra).toEqual(results.extra);
  });

  it('lists trades one per line, so a large file is never one string', () => {
    const text = serializeResults(sampleResults());
    const tradeLines = text.split('\n').filter((line) => line.startsWith('    {"symbol":"TEST","side":"long"'));
    expect(tradeLines).toHaveLength(3);
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it('still reads layout 1 (curve inside, rejections without count)', () => {
    const v2 = JSON.parse(serializeResults(sampleResults()));
    const v1 = {
      ...v2,
      schemaVersion: 1,
      equityCurve: { time: [1, 2], equity: [3, 'NaN'], cash: [1, 1], drawdown: [0, 0] },
      rejections: [{ time: 5, barIndex: 2, symbol: 'X', reasons: ['cash'], message: 'no cash' }],
    };
    const back = parseResults(JSON.stringify(v1));
    expect(back.equityCurve.time).toEqual([1, 2]);
    expect(back.equityCurve.equity[1]).toBeNaN();
    expect(back.rejections[0]).toMatchObject({ count: 1, barIndex: 2, lastBarIndex: 2, lastTime: 5 });
  });

  it('rejects what is not a results file, and newer layouts', () => {
    expect(() => parseResults('{nope')).toThrow(/results.json is not valid JSON/);
    try {
      parseResults('{"schemaVersion": 1}');
      expect.unreachable();
    } catch (error) {
      expect(isAlgoTradingError(error, 'PARSE_ERROR')).toBe(true);
      expect((error as Error).message).toMatch(/is not an algo-trading results file: command/);
    }
    const newer = JSON.parse(serializeResults(sampleResults()));
    newer.schemaVersion = 99;
    expect(() => parseResults(JSON.stringify(newer))).toThrow(/layout version 99/);
  });

  it('readResultsDir reads results.json and the curve from equity.csv, naming a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'algo-cli-results-'));
    await expect(readResultsDir(dir)).rejects.toThrow(`results file not found: ${join(dir, 'results.json')}`);
    const results = sampleResults();
    writeFileSync(join(dir, 'results.json'), serializeResults(results));
    await expect(readResultsDir(dir)).rejects.toThrow(`cannot read ${join(dir, 'equity.csv')}`);
    writeFileSync(join(dir, 'equity.csv'), equityCsv(results.equityCurve));
    const back = await readResultsDir(dir);
    expect(back.title).toBe(results.title);
    expect(Array.from(back.equityCurve.time)).toEqual(Array.from(results.equityCurve.time));
    // Written at 15 significant digits: equal to within the last digit of a double.
    for (const key of ['equity', 'cash', 'drawdown'] as const) {
      Array.from(back.equityCurve[key]).forEach((v, i) => expect(v).toBeCloseTo(results.equityCurve[key][i]!, 9));
    }
  });

  it('readEquityCsv names the line of a malformed row and a wrong header', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'algo-cli-results-'));
    const path = join(dir, 'equity.csv');
    writeFileSync(path, 'time,equity,cash,drawdown\n2024-01-02T00:00:00.000Z,100,100,0\nyesterday,1,1,0\n');
    await expect(readEquityCsv(path)).rejects.toThrow(`${path} line 3: expected an ISO time and 3 numbers, got "yesterday,1,1,0"`);
    writeFileSync(path, 'date,value\n');
    await expect(readEquityCsv(path)).rejects.toThrow(`${path} line 1: expected the header time,equity,cash,drawdown`);
    writeFileSync(path, 'time,equity,cash,drawdown\n2024-01-02T00:00:00.000Z,100.5,,0.25\n');
    const curve = await readEquityCsv(path);
    expect(Array.from(curve.time)).toEqual([Date.UTC(2024, 0, 2)]);
    expect(curve.equity[0]).toBe(100.5);
    expect(curve.cash[0]).toBeNaN();
    expect(curve.drawdown[0]).toBe(0.25);
    expect(curve.benchmark).toBeUndefined();
    // A run with a benchmark has its curve as a fifth column; a row without it is malformed.
    writeFileSync(path, 'time,equity,cash,drawdown,benchmark\n2024-01-02T00:00:00.000Z,100,100,0,99.75\n2024-01-03T00:00:00.000Z,101,100,0\n');
    await expect(readEquityCsv(path)).rejects.toThrow(`${path} line 3: expected an ISO time and 4 numbers, got "2024-01-03T00:00:00.000Z,101,100,0"`);
    writeFileSync(path, 'time,equity,cash,drawdown,benchmark\n2024-01-02T00:00:00.000Z,100,100,0,99.75\n');
    expect(Array.from((await readEquityCsv(path)).benchmark!)).toEqual([99.75]);
    // The closes of a single-series run come last, with or without a benchmark; unknown or
    // reordered columns are refused.
    writeFileSync(path, 'time,equity,cash,drawdown,close\n2024-01-02T00:00:00.000Z,100,100,0,51.5\n');
    const closes = await readEquityCsv(path);
    expect(closes.benchmark).toBeUndefined();
    expect(Array.from(closes.close!)).toEqual([51.5]);
    writeFileSync(path, 'time,equity,cash,drawdown,benchmark,close\n2024-01-02T00:00:00.000Z,100,100,0,99.75,51.5\n');
    const both = await readEquityCsv(path);
    expect([both.benchmark![0], both.close![0]]).toEqual([99.75, 51.5]);
    for (const header of ['time,equity,cash,drawdown,close,benchmark', 'time,equity,cash,drawdown,volume']) {
      writeFileSync(path, `${header}\n2024-01-02T00:00:00.000Z,100,100,0,1\n`);
      await expect(readEquityCsv(path)).rejects.toThrow(`${path} line 1: expected the header time,equity,cash,drawdown[,benchmark][,close]`);
    }
  });

  it('keeps the closes of the price chart in equity.csv, not in results.json, and reads them back', async () => {
    const results = sampleResults();
    const close = Array.from(results.equityCurve.time, (_, i) => 100 + i * 0.5);
    const withPrices = { ...results, prices: { symbol: 'TEST', close } };
    const text = serializeResults(withPrices);
    expect(JSON.parse(text).prices).toEqual({ symbol: 'TEST' });
    const dir = mkdtempSync(join(tmpdir(), 'algo-cli-results-'));
    writeFileSync(join(dir, 'results.json'), text);
    writeFileSync(join(dir, 'equity.csv'), equityCsv({ ...results.equityCurve, close }));
    const back = (await readResultsDir(dir)).prices!;
    expect(back.symbol).toBe('TEST');
    expect(Array.from(back.close)).toEqual(close);
    // Without the column the run has no closes to chart (results.json names only the symbol).
    writeFileSync(join(dir, 'equity.csv'), equityCsv(results.equityCurve));
    expect((await readResultsDir(dir)).prices).toBeUndefined();
  });
});
