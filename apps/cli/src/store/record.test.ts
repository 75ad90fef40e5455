import { BarSeries } from '@algo-trading/core';
import { isValidSymbol, newRunId, timeframeFromSpacing } from '@algo-trading/store';
import type { SweepResult, SweepRow } from '@algo-trading/sweep';
import { describe, expect, it } from 'vitest';
import { sampleResults } from '../../test/fixtures/sample-results';
import { recordedLine, resultsRecordSource, runRecord, sweepRecords, timeframeOf } from './record';

const store = { isValidSymbol, newRunId, timeframeFromSpacing };
const DAY = 86_400_000;

describe('the record of a backtest', () => {
  it('carries the manifest hashes, the code version, the range, every number and the benchmark as benchmark.*', () => {
    const results = sampleResults();
    const record = runRecord(store, resultsRecordSource(results, { symbol: 'TEST', folder: '/runs/a' }));
    expect(record.id).toMatch(/^20240101T000000Z-[0-9a-f]{8}$/); // the manifest's time, not the clock's
    expect(record).toMatchObject({
      command: 'backtest',
      createdAt: '2024-01-01T00:00:00.000Z',
      strategy: 'SMACrossover',
      configHash: 'a'.repeat(64),
      dataHash: 'b'.repeat(64),
      codeVersion: '@algo-trading/cli@0.0.0',
      folder: '/runs/a',
      dataSource: 'test.csv',
      symbols: ['TEST'],
      timeframe: '1d', // inferred from the daily curve
      startTime: Date.UTC(2020, 0, 1),
      endTime: Date.UTC(2020, 0, 1) + 499 * DAY,
      bars: 500,
      parameters: { fast: 20, slow: 50, seed: 42 },
    });
    expect(record.metrics).toEqual({
      totalReturn: results.metrics['totalReturn'],
      // The cost totals of the sample results (test/fixtures/sample-results.ts).
      totalCommission: 9,
      totalSlippage: 1.5,
      totalInterest: 0,
      totalBorrowFees: 0,
      sortinoRatio: Infinity,
      calmarRatio: NaN,
      omegaRatio: -Infinity,
      'benchmark.totalReturn': 0.2994,
      'benchmark.cagr': 0.1412,
      'benchmark.sharpeRatio': 0.95,
      'benchmark.maxDrawdown': -0.2345,
      'benchmark.annualVolatility': 0.18,
      alpha: 0.0123,
      beta: 0.4567,
      informationRatio: -0.0345,
      excessReturn: -0.1,
    });
    expect(record.trades).toBe(results.trades);
    expect(record.equityCurve).toBe(results.equityCurve);
  });

  it('leaves out a symbol the store cannot hold, and a file without one', () => {
    const results = sampleResults();
    expect(runRecord(store, resultsRecordSource(results, { symbol: 'S P Y' })).symbols).toBeUndefined();
    const record = runRecord(store, resultsRecordSource(results, { symbol: undefined }));
    expect(record.symbols).toBeUndefined();
    expect(record.folder).toBeUndefined();
  });
});

describe('timeframeOf', () => {
  it('names regular spacing and nothing else', () => {
    expect(timeframeOf(store, [0, 60_000, 120_000])).toBe('1m');
    // Daily bars with a weekend gap: the median spacing is a day.
    expect(timeframeOf(store, [0, DAY, 2 * DAY, 3 * DAY, 6 * DAY])).toBe('1d');
    expect(timeframeOf(store, [0, 1500])).toBeUndefined();
    expect(timeframeOf(store, [0])).toBeUndefined();
  });
});

function row(index: number, params: Record<string, number>, extra: Partial<SweepRow> = {}): SweepRow {
  return {
    index,
    combination: index,
    key: `k${index}`,
    params,
    fold: null,
    segment: 'full',
    start: 0,
    end: 4,
    metrics: { sharpeRatio: index / 10, totalReturn: 0.01 * index },
    tradeCount: index + 1,
    runMs: 1,
    worker: 'w',
    error: null,
    ...extra,
  };
}

describe('the records of a sweep', () => {
  const bars = BarSeries.fromColumns(
    { time: [0, 1, 2, 3].map((d) => Date.UTC(2024, 0, 1) + d * DAY), open: [1, 1, 1, 1], high: [1, 1, 1, 1], low: [1, 1, 1, 1], close: [1, 1, 1, 1], volume: [0, 0, 0, 0] },
    { symbol: 'SPY' },
  );
  const result = {
    name: 'grid',
    specHash: 'spec-hash',
    strategy: { specifier: 'x#y', name: 'smaCross' },
    data: { source: 'store:SPY@1d', kind: 'resolver', hash: 'data-hash', length: 4, symbol: 'SPY', start: '', end: '' },
  } as unknown as SweepResult;
  const rows = Array.from({ length: 11 }, (_, k) => row(k, { fast: k, slow: 30 }));
  rows[10] = row(10, { fast: 10, slow: 30 }, { metrics: null, tradeCount: null, error: { code: 'INVALID_ARGUMENT', message: 'bad' }, fold: 2, segment: 'test', start: 2, end: 4 });

  it('one per row, ids <sweep id>.<row> padded to sort, the spec hash as the configuration hash', () => {
    const records = sweepRecords(store, { id: 'S', result, rows, bars, spec: { a: 1 }, createdAt: '2024-02-01T00:00:00.000Z', codeVersion: 'cli@1', folder: '/out' });
    expect(records.map((r) => r.id)).toEqual(['S.00', 'S.01', 'S.02', 'S.03', 'S.04', 'S.05', 'S.06', 'S.07', 'S.08', 'S.09', 'S.10']);
    expect(records[3]).toMatchObject({
      command: 'sweep',
      title: 'grid: fast=3 slow=30',
      strategy: 'smaCross',
      configHash: 'spec-hash',
      dataHash: 'data-hash',
      codeVersion: 'cli@1',
      folder: '/out',
      dataSource: 'store:SPY@1d',
      symbols: ['SPY'],
      timeframe: '1d',
      startTime: Date.UTC(2024, 0, 1),
      endTime: Date.UTC(2024, 0, 4),
      bars: 4,
      config: { a: 1 },
      parameters: { fast: 3, slow: 30 },
      metrics: { sharpeRatio: 0.3, totalReturn: 0.03, tradeCount: 4 },
    });
    expect(records[3]!.status).toBeUndefined(); // completed
    // A failed walk-forward test row: failed with its error, its fold and window.
    expect(records[10]).toMatchObject({
      status: 'failed',
      error: 'INVALID_ARGUMENT: bad',
      title: 'grid: fast=10 slow=30 (fold 2 test)',
      parameters: { fast: 10, slow: 30, fold: 2, segment: 'test' },
      metrics: {},
      startTime: Date.UTC(2024, 0, 3),
      bars: 2,
    });
  });
});

describe('recordedLine', () => {
  it('says where the runs went, and nothing when they were not recorded', () => {
    expect(recordedLine({ status: 'recorded', store: '/s.duckdb', ids: ['A'] })).toBe('Recorded as run A in /s.duckdb');
    expect(recordedLine({ status: 'recorded', store: '/s.duckdb', ids: ['A.0', 'A.1', 'A.2'] })).toBe('Recorded 3 runs (A.0 .. A.2) in /s.duckdb');
    expect(recordedLine({ status: 'skipped', store: '/s.duckdb', reason: 'no store' })).toBeUndefined();
    expect(recordedLine({ status: 'failed', store: '/s.duckdb', error: 'locked' })).toBeUndefined();
    expect(recordedLine(null)).toBeUndefined();
  });
});
