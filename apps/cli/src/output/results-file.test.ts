import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { sampleResults } from '../../test/fixtures/sample-results';
import { parseResults, readResultsDir, serializeResults } from './results-file';

describe('results.json', () => {
  it('round-trips, non-finite metrics included', () => {
    const results = sampleResults();
    const text = serializeResults(results);
    expect(text).toContain('"sortinoRatio": "Infinity"');
    expect(text).toContain('"calmarRatio": "NaN"');
    const back = parseResults(text);
    expect(back.headline.sortinoRatio).toBe(Infinity);
    expect(back.headline.calmarRatio).toBeNaN();
    expect(back.metrics['omegaRatio']).toBe(-Infinity);
    expect(back.equityCurve).toEqual(results.equityCurve);
    expect(back.trades).toEqual(results.trades);
    expect(back.config).toEqual(results.config);
  });

  it('writes typed arrays as plain arrays', () => {
    const results = { ...sampleResults(), equityCurve: { time: Float64Array.of(1, 2), equity: Float64Array.of(3, NaN), cash: [1, 1], drawdown: [0, 0] } };
    const back = parseResults(serializeResults(results as never));
    expect(back.equityCurve.time).toEqual([1, 2]);
    expect(back.equityCurve.equity[1]).toBeNaN();
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

  it('readResultsDir names the missing path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'algo-cli-results-'));
    await expect(readResultsDir(dir)).rejects.toThrow(`results file not found: ${join(dir, 'results.json')}`);
    writeFileSync(join(dir, 'results.json'), serializeResults(sampleResults()));
    expect((await readResultsDir(dir)).title).toBe(sampleResults().title);
  });
});
