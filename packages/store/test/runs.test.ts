import { join } from 'node:path';
import { isAlgoTradingError, type Fill, type Trade } from '@algo-trading/core';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIST_METRICS, newRunId, openStore, type RecordRunInput, type Store } from '../src/index';
import { rejection, tempDir } from './helpers';

const open: Store[] = [];
async function newStore(): Promise<Store> {
  const store = await openStore({ path: join(tempDir(), 'runs.duckdb') });
  open.push(store);
  return store;
}
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

const trade: Trade = {
  symbol: 'SPY',
  side: 'long',
  quantity: 10,
  entryTime: Date.UTC(2024, 0, 3),
  exitTime: Date.UTC(2024, 0, 10),
  entryPrice: 100.25,
  exitPrice: 103.1,
  entryBarIndex: 1,
  exitBarIndex: 6,
  grossPnl: 28.5,
  commission: 2.03,
  slippageCost: 0.1,
  pnl: 26.47,
  returnPct: 0.026404,
  initialRisk: null,
  rMultiple: null,
  exitReason: 'signal',
  barsHeld: 5,
};
const fills: Fill[] = [
  { time: Date.UTC(2024, 0, 3), barIndex: 1, orderId: 0, symbol: 'SPY', side: 'buy', effect: 'open', quantity: 10, price: 100.25, referencePrice: 100.2, commission: 1.0025, slippageCost: 0.05, reason: 'entry' },
  { time: Date.UTC(2024, 0, 10), barIndex: 6, orderId: 1, symbol: 'SPY', side: 'sell', effect: 'close', quantity: 10, price: 103.1, referencePrice: 103.15, commission: 1.031, slippageCost: 0.05, reason: 'signal' },
];

function run(overrides: Partial<RecordRunInput> = {}): RecordRunInput {
  return { command: 'backtest', configHash: 'cfg-1', dataHash: 'data-1', codeVersion: '@algo-trading/cli@0.1.0', gitCommit: null, ...overrides };
}

describe('recording runs', () => {
  it('keeps everything a run recorded: summary, parameters, metrics (NaN, Infinity, null), trades, fills and the equity curve', async () => {
    const store = await newStore();
    const time = Float64Array.from({ length: 500 }, (_, i) => Date.UTC(2024, 0, 1) + i * 86_400_000);
    const equity = Float64Array.from(time, (_, i) => 10_000 * (1 + Math.sin(i / 7) / 100 + i / 3e3));
    const drawdown = Float64Array.from(equity, (_, i) => (i % 5) / 97);
    const id = await store.recordRun(
      run({
        id: 'run-1',
        createdAt: '2024-06-01T12:00:00Z',
        title: 'SMA crossover on SPY',
        strategy: 'sma-crossover',
        folder: '/results/run-1',
        dataSource: 'store:SPY@1d',
        symbols: ['SPY'],
        timeframe: '1d',
        startTime: time[0],
        endTime: time[499],
        bars: 500,
        config: { backtest: { initial_capital: 10_000, commission_pct: 0.001 }, note: Infinity },
        parameters: { fast: 10, slow: 20, sizing: { method: 'fixed_fractional', riskPct: 0.01 }, windows: [5, 10], enabled: true },
        metrics: { totalReturn: 0.1666, sharpeRatio: NaN, profitFactor: Infinity, expectancy: null, tradeCount: 1 },
        trades: [trade],
        fills,
        equityCurve: { time, equity, drawdown },
      }),
    );
    expect(id).toBe('run-1');
    const detail = await store.getRun('run-1');
    expect(detail).toMatchObject({
      id: 'run-1',
      createdAt: Date.UTC(2024, 5, 1, 12),
      command: 'backtest',
      status: 'completed',
      error: null,
      title: 'SMA crossover on SPY',
      strategy: 'sma-crossover',
      configHash: 'cfg-1',
      dataHash: 'data-1',
      codeVersion: '@algo-trading/cli@0.1.0',
      gitCommit: null,
      folder: '/results/run-1',
      dataSource: 'store:SPY@1d',
      symbols: ['SPY'],
      timeframe: '1d',
      startTime: time[0],
      endTime: time[499],
      bars: 500,
    });
    expect(detail.metrics).toEqual({ totalReturn: 0.1666, sharpeRatio: NaN, profitFactor: Infinity, expectancy: null, tradeCount: 1 });
    expect(Object.keys(detail.metrics)).toEqual(['totalReturn', 'sharpeRatio', 'profitFactor', 'expectancy', 'tradeCount']);
    expect(detail.parameters).toEqual({ fast: 10, slow: 20, 'sizing.method': 'fixed_fractional', 'sizing.riskPct': 0.01, windows: [5, 10], enabled: true });
    expect(detail.config).toEqual({ backtest: { initial_capital: 10_000, commission_pct: 0.001 }, note: 'Infinity' });
    expect(detail.trades).toEqual([trade]);
    expect(detail.fills).toEqual(fills);
    expect(detail.equityCurve!.time).toEqual(time);
    expect(detail.equityCurve!.equity).toEqual(equity);
    expect(detail.equityCurve!.drawdown).toEqual(drawdown);
    expect(detail.equityCurve!.cash).toBeUndefined();
  });

  it('generates time-ordered ids and detects the git commit unless told', async () => {
    expect(newRunId(new Date(Date.UTC(2024, 0, 2, 9, 30)))).toMatch(/^20240102T093000Z-[0-9a-f]{8}$/);
    const store = await newStore();
    const id = await store.recordRun(run({ gitCommit: undefined }));
    expect(id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    const detail = await store.getRun(id);
    // This repository is a git checkout: the commit (and whether the tree was dirty) is recorded.
    expect(detail.gitCommit).toMatch(/^[0-9a-f]{40}(-dirty)?$/);
  });

  it('refuses a second run with the same id unless replace is set, which replaces everything', async () => {
    const store = await newStore();
    await store.recordRun(run({ id: 'r', metrics: { a: 1, b: 2 }, trades: [trade] }));
    const error = await rejection(store.recordRun(run({ id: 'r' })));
    expect(isAlgoTradingError(error, 'INVALID_STATE')).toBe(true);
    expect(error.message).toBe('run "r" is already recorded: pass replace: true to replace it');
    await store.recordRun(run({ id: 'r', command: 'optimize', metrics: { a: 3 } }), { replace: true });
    const detail = await store.getRun('r');
    expect([detail.command, detail.metrics, detail.trades]).toEqual(['optimize', { a: 3 }, []]);
    expect((await store.listRuns({ metrics: ['a', 'b'] })).map((r) => r.metrics)).toEqual([{ a: 3, b: null }]);
  });

  it('records a sweep in one transaction: one invalid run records none', async () => {
    const store = await newStore();
    const error = await rejection(store.recordRuns([run({ id: 'a' }), run({ id: 'b', configHash: '' })]));
    expect(isAlgoTradingError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(error.message).toContain('runs[1]');
    expect(error.message).toContain('configHash');
    await store.recordRun(run({ id: 'a' }));
    const clash = await rejection(store.recordRuns([run({ id: 'b' }), run({ id: 'a' })]));
    expect(isAlgoTradingError(clash, 'INVALID_STATE')).toBe(true);
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['a']);
    expect((await rejection(store.recordRuns([run({ id: 'x' }), run({ id: 'x' })]))).message).toBe('run id "x" appears twice in one call');
  });

  it('updates the status and deletes runs', async () => {
    const store = await newStore();
    await store.recordRun(run({ id: 'r', status: 'running', equityCurve: { time: [1, 2], equity: [1, 1] } }));
    await store.setRunStatus({ id: 'r', status: 'failed', error: 'out of memory' });
    expect((await store.listRuns()).map((r) => [r.status, r.error])).toEqual([['failed', 'out of memory']]);
    expect(isAlgoTradingError(await rejection(store.setRunStatus({ id: 'nope', status: 'completed' })), 'NOT_FOUND')).toBe(true);
    expect(await store.deleteRun('r')).toBe(true);
    expect(await store.deleteRun('r')).toBe(false);
    expect(isAlgoTradingError(await rejection(store.getRun('r')), 'NOT_FOUND')).toBe(true);
  });

  it('validates runs: names the field and refuses control characters in text', async () => {
    const store = await newStore();
    const cases: [Partial<RecordRunInput>, string][] = [
      [{ status: 'done' as never }, 'status'],
      [{ id: 'has space' }, 'id'],
      [{ title: 'a\u001fb' }, 'title'],
      [{ symbols: ['SPY,QQQ'] }, 'symbols.0'],
      [{ timeframe: 'daily' }, 'timeframe'],
      [{ metrics: { sharpe: '1.2' as never } }, 'metrics.sharpe'],
      [{ equityCurve: { time: [1, 2], equity: [1] } }, 'equityCurve.equity'],
    ];
    for (const [overrides, field] of cases) {
      const error = await rejection(store.recordRun(run(overrides)));
      expect(isAlgoTradingError(error, 'INVALID_ARGUMENT'), field).toBe(true);
      expect(error.message, field).toContain(field);
    }
    expect(await store.listRuns()).toEqual([]);
  });
});

describe('querying runs', () => {
  async function sweep(store: Store): Promise<void> {
    await store.recordRuns([
      run({ id: 'old', createdAt: Date.UTC(2024, 0, 1), command: 'sweep', strategy: 's1', metrics: { totalReturn: 0.1, sharpeRatio: 1.5, maxDrawdown: -0.2, extra: 7 }, parameters: { fast: 5, slow: 20 } }),
      run({ id: 'mid', createdAt: Date.UTC(2024, 0, 2), command: 'sweep', strategy: 's1', metrics: { totalReturn: -0.05, sharpeRatio: -0.3 }, parameters: { fast: 10, slow: 20 } }),
      run({ id: 'new', createdAt: Date.UTC(2024, 0, 3), command: 'backtest', strategy: 's2', status: 'failed', metrics: {} }),
    ]);
  }

  it('lists runs newest first with their headline metrics, filtered and limited', async () => {
    const store = await newStore();
    await sweep(store);
    const all = await store.listRuns();
    expect(all.map((r) => r.id)).toEqual(['new', 'mid', 'old']);
    expect(Object.keys(all[2]!.metrics)).toEqual([...DEFAULT_LIST_METRICS]);
    expect(all[2]!.metrics).toEqual({ totalReturn: 0.1, cagr: null, sharpeRatio: 1.5, maxDrawdown: -0.2, tradeCount: null });
    expect(all[0]).toMatchObject({ id: 'new', createdAt: Date.UTC(2024, 0, 3), status: 'failed', symbols: [], folder: null, bars: null });
    expect((await store.listRuns({ command: 'sweep' })).map((r) => r.id)).toEqual(['mid', 'old']);
    expect((await store.listRuns({ status: 'failed' })).map((r) => r.id)).toEqual(['new']);
    expect((await store.listRuns({ since: '2024-01-02' })).map((r) => r.id)).toEqual(['new', 'mid']);
    const limited = await store.listRuns({ limit: 2, metrics: ['extra', 'sharpeRatio'] });
    expect(limited.map((r) => [r.id, r.metrics])).toEqual([
      ['new', { extra: null, sharpeRatio: null }],
      ['mid', { extra: null, sharpeRatio: -0.3 }],
    ]);
    expect((await store.listRuns({ strategy: 's1', metrics: ['extra'] })).map((r) => r.metrics.extra)).toEqual([null, 7]);
  });

  it('lists exactly what getRun returns for the summary fields', async () => {
    const store = await newStore();
    await store.recordRun(run({ id: 'full', title: 'tab\there', folder: '/a b/c', symbols: ['SPY', 'QQQ'], timeframe: '1h', startTime: 1.5, endTime: 2, bars: 2, metrics: { totalReturn: 0.30000000000000004 } }));
    const [listed] = await store.listRuns();
    const { parameters: _p, config: _c, trades: _t, fills: _f, equityCurve: _e, metrics: _m, ...summary } = await store.getRun('full');
    expect({ ...listed, metrics: undefined }).toEqual({ ...summary, metrics: undefined });
    expect(listed!.metrics.totalReturn).toBe(0.30000000000000004);
    expect(listed!.startTime).toBe(1.5);
  });

  it('compares runs side by side, flagging what differs, with their equity curves on request', async () => {
    const store = await newStore();
    await sweep(store);
    await store.recordRun(run({ id: 'curve', equityCurve: { time: [10, 20], equity: [100, 101], cash: [50, 50] } }));
    const comparison = await store.compareRuns(['old', 'mid']);
    expect(comparison.runs.map((r) => r.id)).toEqual(['old', 'mid']);
    expect(comparison.metrics).toEqual([
      { name: 'totalReturn', values: [0.1, -0.05], differs: true },
      { name: 'sharpeRatio', values: [1.5, -0.3], differs: true },
      { name: 'maxDrawdown', values: [-0.2, null], differs: true },
      { name: 'extra', values: [7, null], differs: true },
    ]);
    expect(comparison.parameters).toEqual([
      { name: 'fast', values: [5, 10], differs: true },
      { name: 'slow', values: [20, 20], differs: false },
    ]);
    expect(comparison.equityCurves).toBeUndefined();
    const chosen = await store.compareRuns(['mid', 'curve'], { metrics: ['sharpeRatio'], includeEquity: true });
    expect(chosen.metrics).toEqual([{ name: 'sharpeRatio', values: [-0.3, null], differs: true }]);
    expect(chosen.equityCurves![0]).toBeNull();
    expect(Array.from(chosen.equityCurves![1]!.cash!)).toEqual([50, 50]);
    const missing = await rejection(store.compareRuns(['old', 'gone', 'lost']));
    expect(isAlgoTradingError(missing, 'NOT_FOUND')).toBe(true);
    expect(missing.message).toBe('no run "gone", "lost" in the store');
  });
});
