import { isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import type { SweepResult } from '../run-sweep';
import type { PreparedSweep } from '../prepare';
import { SWEEP_RESULTS_FORMAT, parseSweepResults, serializeSweepCheckpoint, serializeSweepResults, sweepTable } from './results-file';
import type { SweepRow } from './row';

const base: SweepRow = {
  index: 0,
  combination: 0,
  key: 'a'.repeat(32),
  params: { fast: 5, slow: 20, mode: 'x' },
  fold: null,
  segment: 'full',
  start: 0,
  end: 10,
  metrics: { sharpeRatio: 1.5, profitFactor: Number.POSITIVE_INFINITY, winRate: Number.NaN, tradeCount: 3 },
  tradeCount: 3,
  runMs: 12.3456789,
  worker: 'host/1/1',
  error: null,
};

function result(rows: SweepRow[], folds: SweepResult['folds'] = null): SweepResult {
  return {
    name: 't',
    specHash: 'f'.repeat(64),
    strategy: { specifier: 'm#e', name: 'E' },
    data: { source: 'x.csv', kind: 'file', hash: 'd'.repeat(64), length: 10, start: '', end: '' },
    objective: { metric: 'sharpeRatio', direction: 'maximize', minTrades: 1 },
    parameterNames: ['fast', 'slow', 'mode'],
    metricNames: ['sharpeRatio', 'profitFactor', 'winRate', 'tradeCount'],
    combinations: rows.length,
    rows,
    folds,
    complete: true,
    summary: {
      best: rows[0] ?? null,
      trials: rows.length,
      evaluated: rows.length,
      eligible: rows.length,
      errors: 0,
      sharpeVariance: 0,
      deflatedSharpe: Number.NaN,
      neighbourhood: null,
      outOfSample: null,
    },
    stats: { elapsedMs: 1, mode: 'local', threads: 1, workers: ['host/1/1'], indicatorCache: { hits: 0, misses: 0, evictions: 0 } },
  };
}

describe('serializeSweepResults / parseSweepResults', () => {
  it('round-trips rows, non-finite metrics included, one row per line', () => {
    const failed: SweepRow = { ...base, index: 1, key: 'b'.repeat(32), metrics: null, tradeCount: null, error: { code: 'RangeError', message: 'no' } };
    const text = serializeSweepResults(result([base, failed]), { createdAt: 'now' });
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(doc['format']).toBe(SWEEP_RESULTS_FORMAT);
    expect(doc['createdAt']).toBe('now');
    expect((doc['summary'] as Record<string, unknown>)['deflatedSharpe']).toBe('NaN');
    expect(text.split('\n').filter((l) => l.startsWith('    {"index"'))).toHaveLength(2);
    const back = parseSweepResults(text);
    expect(back.specHash).toBe('f'.repeat(64));
    expect(back.complete).toBe(true);
    expect(back.rows).toEqual([base, failed]);
    expect(back.rows[0]!.metrics!['profitFactor']).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(back.rows[0]!.metrics!['winRate'])).toBe(true);
  });

  it('reads the test rows of the folds back among the rows', () => {
    const train: SweepRow = { ...base, fold: 0, segment: 'train' };
    const test: SweepRow = { ...base, key: 'c'.repeat(32), fold: 0, segment: 'test', start: 10, end: 20 };
    const fold = { fold: 0, trainStart: 0, trainEnd: 10, testStart: 10, testEnd: 20, trainPeriod: ['', ''], testPeriod: ['', ''], best: train, test } as const;
    const back = parseSweepResults(serializeSweepResults(result([train], [fold])));
    expect(back.rows).toEqual([train, test]);
  });

  it('writes checkpoints that a resumed run reads like a final file', () => {
    const prepared = {
      spec: { name: 'cp' },
      specHash: 'e'.repeat(64),
      strategyRef: { specifier: 'm#e' },
      strategy: { name: 'E' },
      data: { ref: { source: 'x.csv', kind: 'file', hash: 'd', length: 10 } },
      objective: { metric: 'sharpeRatio', direction: 'maximize', minTrades: 1 },
      parameters: [{ name: 'fast' }],
      metricNames: ['sharpeRatio'],
      combinations: [{}, {}],
    } as unknown as PreparedSweep;
    const test: SweepRow = { ...base, key: 'c'.repeat(32), fold: 0, segment: 'test' };
    const second: SweepRow = { ...base, index: 1, key: 'b'.repeat(32) };
    const back = parseSweepResults(serializeSweepCheckpoint(prepared, [test, second, base]));
    expect(back.specHash).toBe('e'.repeat(64));
    expect(back.complete).toBe(false);
    expect(back.rows).toEqual([base, second, test]);
  });

  it('refuses text that is not a sweep results file, naming it', () => {
    const code = (text: string) => {
      try {
        parseSweepResults(text, 'out/sweep.json');
      } catch (error) {
        return isAlgoTradingError(error) ? `${error.code}: ${error.message}` : String(error);
      }
      return 'no error';
    };
    expect(code('{')).toMatch(/^PARSE_ERROR: out\/sweep.json is not valid JSON/);
    expect(code('{"rows": []}')).toBe('PARSE_ERROR: out/sweep.json is not an algo-trading sweep results file');
    expect(code(JSON.stringify({ format: SWEEP_RESULTS_FORMAT, version: 99, specHash: 'x', rows: [] }))).toBe(
      'UNSUPPORTED: out/sweep.json has layout version 99; this version reads up to 1',
    );
  });
});

describe('sweepTable', () => {
  it('puts parameters, trades, metrics and run details in columns', () => {
    const table = sweepTable([base], ['fast', 'slow', 'mode'], ['sharpeRatio', 'winRate']);
    expect(table.header).toEqual(['index', 'fold', 'segment', 'fast', 'slow', 'mode', 'trades', 'sharpeRatio', 'winRate', 'run_ms', 'worker', 'error', 'key']);
    expect(table.rows[0]).toEqual([0, null, 'full', 5, 20, 'x', 3, 1.5, Number.NaN, 12.346, 'host/1/1', null, 'a'.repeat(32)]);
    const failed = sweepTable([{ ...base, metrics: null, tradeCount: null, error: { code: 'E', message: 'm' } }], ['fast'], ['sharpeRatio']);
    expect(failed.rows[0]).toEqual([0, null, 'full', 5, null, null, 12.346, 'host/1/1', 'E: m', 'a'.repeat(32)]);
  });
});
