import { BarSeries, catchAlgoTradingError, silentLogger, type Logger, type SizingRequest } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { bars, rejects } from '../test/helpers';
import { BacktestEngine } from './engine';

const data = bars([
  [100, 101, 99, 100],
  [101, 103, 100, 102],
  [102, 104, 101, 103],
]);

describe('BacktestEngine options', () => {
  it('applies the product defaults', () => {
    const { options } = new BacktestEngine({ initialCapital: 10_000 });
    expect(options).toMatchObject({
      initialCapital: 10_000,
      commissionPct: 0.0015,
      slippageBps: 5,
      fillAt: 'next_open',
      allowShort: false,
      lotSize: 1,
      closeAtEnd: false,
      intrabarPolicy: 'stop_first',
    });
    expect(options.logger).toBe(silentLogger);
    expect(options.riskManager).toBeUndefined();
  });

  it('rejects bad values and unknown keys, naming the key and the value', () => {
    expect(catchAlgoTradingError(() => new BacktestEngine({ initialCapital: -5 }), 'INVALID_CONFIG')).toMatchObject({ details: { field: 'initialCapital' } });
    expect(catchAlgoTradingError(() => new BacktestEngine({ initialCapital: -5 }), 'INVALID_CONFIG').message).toContain('got -5');
    expect(catchAlgoTradingError(() => new BacktestEngine({ initialCapital: 1, commissionPct: 1 }), 'INVALID_CONFIG').details.field).toBe('commissionPct');
    expect(catchAlgoTradingError(() => new BacktestEngine({ initialCapital: 1, slippageBps: -1 }), 'INVALID_CONFIG').details.field).toBe('slippageBps');
    expect(catchAlgoTradingError(() => new BacktestEngine({ initialCapital: 1, fillAt: 'open' as never }), 'INVALID_CONFIG').message).toContain('"open"');
    expect(catchAlgoTradingError(() => new BacktestEngine({ initialCapital: 1, lotSize: 0 }), 'INVALID_CONFIG').details.field).toBe('lotSize');
    expect(catchAlgoTradingError(() => new BacktestEngine({ initialCapital: 1, intrabarPolicy: 'random' as never }), 'INVALID_CONFIG').details.field).toBe('intrabarPolicy');
    expect(catchAlgoTradingError(() => new BacktestEngine({ initialCapital: 1, riskManager: {} as never }), 'INVALID_CONFIG').message).toContain('RiskGate');
    expect(catchAlgoTradingError(() => new BacktestEngine({ initialCapital: 1, positionSizer: { calculate: 1 } as never }), 'INVALID_CONFIG').message).toContain('PositionSizer');
    expect(catchAlgoTradingError(() => new BacktestEngine({ initialCapital: 1, comissionPct: 0.1 } as never), 'INVALID_CONFIG').message).toContain('comissionPct: unknown key');
    expect(catchAlgoTradingError(() => new BacktestEngine({ initialCapital: Number.NaN }), 'INVALID_CONFIG').details.field).toBe('initialCapital');
    expect(catchAlgoTradingError(() => new BacktestEngine(undefined as never), 'INVALID_CONFIG').details.field).toBe('initialCapital');
  });
});

describe('BacktestEngine input validation', () => {
  const engine = new BacktestEngine({ initialCapital: 1_000 });

  it('checks signals: length and values -1 / 0 / 1, naming the index and value', async () => {
    await rejects(engine.runBacktest({ data, signals: [0, 1] }), 'INVALID_DATA', 'signals has 2 values', '3 bars');
    const error = await rejects(engine.runBacktest({ data, signals: [0, 2, 0] }), 'INVALID_DATA', 'signals[1]', 'got 2');
    expect(error.details).toMatchObject({ field: 'signals', index: 1, value: 2 });
    await rejects(engine.runBacktest({ data, signals: [0, 0, Number.NaN] }), 'INVALID_DATA', 'signals[2]', 'NaN');
    await rejects(engine.runBacktest({ data, signals: 'abc' as never }), 'INVALID_DATA', 'signals must be an array');
    await rejects(engine.runBacktest({ data, signals: Int8Array.from([0, 1, 3]) }), 'INVALID_DATA', 'signals[2]');
  });

  it('checks confidences in [0, 1] or NaN, and stop / target levels', async () => {
    await rejects(engine.runBacktest({ data, signals: [0, 0, 0], confidences: [0.5, 1.2, 0] }), 'INVALID_DATA', 'confidences[1]', '1.2');
    await rejects(engine.runBacktest({ data, signals: [0, 0, 0], confidences: [0.5] }), 'INVALID_DATA', 'confidences has 1');
    await rejects(engine.runBacktest({ data, signals: [0, 0, 0], stopLosses: [1, 0, 1] }), 'INVALID_DATA', 'stopLosses[1]', 'got 0');
    await rejects(engine.runBacktest({ data, signals: [0, 0, 0], takeProfits: [1, 1, Infinity] }), 'INVALID_DATA', 'takeProfits[2]', 'Infinity');
  });

  it('reads NaN as "none": no confidence and no stop reach the sizer, a number does', async () => {
    const requests: SizingRequest[] = [];
    const recording = {
      method: 'recording',
      calculate: (request: SizingRequest) => {
        requests.push(request);
        return { quantity: 1, riskAmount: 0, riskFraction: 0, riskPerUnit: 0, positionValue: request.entryPrice, limitedBy: 'risk' as const };
      },
      calculateSize: () => 1,
    };
    const sized = new BacktestEngine({ initialCapital: 1_000, positionSizer: recording, commissionPct: 0, slippageBps: 0 });
    // Decided at bar 0 with NaN confidence and stop: filled at bar 1's open (101) with neither.
    await sized.runBacktest({ data, signals: [1, 0, 0], confidences: [Number.NaN, 0, 1], stopLosses: [Number.NaN, 1, 2] });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ entryPrice: 101, confidence: undefined, stopLossPrice: undefined });
    expect(sized.getOpenPositions()[0]).toMatchObject({ entryPrice: 101, stopLoss: null, takeProfit: null });
    // Decided at bar 1 with confidence 0 and stop 1: both reach the sizer and the position.
    await sized.runBacktest({ data, signals: [0, 1, 0], confidences: [Number.NaN, 0, 1], stopLosses: [Number.NaN, 1, 2] });
    expect(requests[1]).toMatchObject({ entryPrice: 102, confidence: 0, stopLossPrice: 1 });
    expect(sized.getOpenPositions()[0]).toMatchObject({ entryPrice: 102, stopLoss: 1, takeProfit: null });
  });

  it('rejects missing data, empty data and unknown input keys', async () => {
    await rejects(engine.runBacktest({ data: undefined as never, signals: [] }), 'INVALID_DATA', 'data');
    const empty = BarSeries.fromRows([]);
    await rejects(engine.runBacktest({ data: empty, signals: [] }), 'INVALID_DATA', 'at least 1 bar');
    await rejects(engine.runBacktest({ data, signals: [0, 0, 0], signal: [] } as never), 'INVALID_ARGUMENT', '"signal"');
    await rejects(engine.runBacktest(null as never), 'INVALID_ARGUMENT', 'options object');
  });

  it('reports getters used before any run as INVALID_STATE', () => {
    const fresh = new BacktestEngine({ initialCapital: 1 });
    const getters: (() => unknown)[] = [
      () => fresh.getTrades(),
      () => fresh.getFills(),
      () => fresh.getRejections(),
      () => fresh.getEquityCurve(),
      () => fresh.getOpenPositions(),
      () => fresh.getCash(),
    ];
    for (const get of getters) expect(get).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });

  it('wraps a sizer failure (e.g. a risk sizer without a stop) as INVALID_CONFIG naming the bar', async () => {
    const sizer = {
      method: 'needs_stop',
      calculate: () => {
        throw new Error('stopLossPrice is required');
      },
      calculateSize: () => 0,
    };
    const withSizer = new BacktestEngine({ initialCapital: 1_000, positionSizer: sizer });
    const error = await rejects(withSizer.runBacktest({ data, signals: [1, 0, 0] }), 'INVALID_CONFIG', 'needs_stop', 'bar 1', 'no stop-loss');
    expect(error.details).toMatchObject({ field: 'positionSizer', index: 1 });
  });

  it('stops the run when a custom sizer answers NaN, a negative number, Infinity or a non-number (regression: silently a lot rejection)', async () => {
    const answering = (quantity: unknown) => ({
      method: 'broken_sizer',
      calculate: () => ({ quantity }) as never,
      calculateSize: () => quantity as number,
    });
    for (const [quantity, shown] of [
      [Number.NaN, 'NaN'],
      [-3, '-3'],
      [Infinity, 'Infinity'],
      ['12', '"12"'],
      [undefined, 'undefined'],
    ] as const) {
      const withSizer = new BacktestEngine({ initialCapital: 1_000, positionSizer: answering(quantity) });
      const error = await rejects(withSizer.runBacktest({ data, signals: [1, 0, 0] }), 'INVALID_CONFIG', 'positionSizer broken_sizer', `a quantity of ${shown}`, 'bar 1');
      expect(error.details).toMatchObject({ field: 'positionSizer', index: 1, method: 'broken_sizer' });
    }
    const noResult = { method: 'no_result', calculate: () => null as never, calculateSize: () => 0 };
    await rejects(new BacktestEngine({ initialCapital: 1_000, positionSizer: noResult }).runBacktest({ data, signals: [1, 0, 0] }), 'INVALID_CONFIG', 'no_result returned null');
    // 0 is a valid answer: a lot rejection, the run goes on.
    const zero = new BacktestEngine({ initialCapital: 1_000, positionSizer: answering(0) });
    await zero.runBacktest({ data, signals: [1, 0, 0] });
    expect(zero.getRejections().map((r) => r.reasons[0]!.code)).toEqual(['lot']);
  });

  it('accepts anything the data package converts: price-only columns, rows', async () => {
    const fromPrices = new BacktestEngine({ initialCapital: 1_000, fillAt: 'close', commissionPct: 0, slippageBps: 0 });
    await fromPrices.runBacktest({ data: { time: [1, 2, 3], close: [10, 11, 12] }, signals: [1, 0, -1] });
    expect(fromPrices.getTrades()[0]).toMatchObject({ entryPrice: 10, exitPrice: 12, quantity: 100, pnl: 200 });
    const rows = [
      { time: '2024-01-01', open: 10, high: 10, low: 10, close: 10 },
      { time: '2024-01-02', open: 11, high: 11, low: 11, close: 11 },
    ];
    const fromRows = new BacktestEngine({ initialCapital: 1_000, commissionPct: 0, slippageBps: 0 });
    await fromRows.runBacktest({ data: rows, signals: [1, 0] });
    expect(fromRows.getFills()[0]).toMatchObject({ price: 11, quantity: 90, time: Date.UTC(2024, 0, 2) });
    await rejects(fromRows.runBacktest({ data: 42 as never, signals: [] }), 'INVALID_ARGUMENT', 'toBarSeries');
  });

  it('uses the symbol option, else the data symbol, else ASSET', async () => {
    expect((await engine.runBacktest({ data, signals: [0, 0, 0] })).symbol).toBe('TEST');
    const named = new BacktestEngine({ initialCapital: 1, symbol: 'SPY' });
    expect((await named.runBacktest({ data, signals: [0, 0, 0] })).symbol).toBe('SPY');
    const anonymous = BarSeries.fromPrices([1, 2], [10, 11]);
    expect((await engine.runBacktest({ data: anonymous, signals: [0, 0] })).symbol).toBe('ASSET');
  });

  it('logs through the given logger only (start and finish at debug level)', async () => {
    const lines: string[] = [];
    const logger: Logger = { debug: (a: unknown, b?: string) => lines.push(typeof a === 'string' ? a : String(b)), info: () => undefined, warn: () => undefined, error: () => undefined };
    await new BacktestEngine({ initialCapital: 1_000, logger }).runBacktest({ data, signals: [0, 0, 0] });
    expect(lines).toEqual(['backtest started', 'metrics: periodsPerYear', 'backtest finished']);
  });

  it('keeps the results of the last run only', async () => {
    const e = new BacktestEngine({ initialCapital: 1_000, commissionPct: 0, slippageBps: 0 });
    await e.runBacktest({ data, signals: [1, 0, 0] });
    expect(e.getFills()).toHaveLength(1);
    await e.runBacktest({ data, signals: [0, 0, 0] });
    expect(e.getFills()).toHaveLength(0);
  });

  it('reuses the columns of a run nobody was given; never one a caller holds', async () => {
    const e = new BacktestEngine({ initialCapital: 1_000, commissionPct: 0, slippageBps: 0 });
    // Bought 9 at the open of bar 1 (101): cash 91, then marked at 102 and 103.
    const long = { equity: [1_000, 91 + 9 * 102, 91 + 9 * 103], positions: [0, 9, 9] };
    const flatRun = { equity: [1_000, 1_000, 1_000], positions: [0, 0, 0] };
    await e.runBacktest({ data, signals: [1, 0, 0] });
    const held = e.getEquityCurve().equity;
    const heldPositions = e.getHoldings().positions.TEST!;
    expect([...held]).toEqual(long.equity);
    // The next runs overwrite neither the curve nor the positions handed out above.
    await e.runBacktest({ data, signals: [0, 0, 0] });
    await e.runBacktest({ data, signals: [1, 0, 0] });
    await e.runBacktest({ data, signals: [0, 0, 0] });
    expect([...held]).toEqual(long.equity);
    expect([...heldPositions]).toEqual(long.positions);
    // The runs in between were never read: their columns were reused, and every value rewritten.
    expect([...e.getEquityCurve().equity]).toEqual(flatRun.equity);
    expect([...e.getHoldings().positions.TEST!]).toEqual(flatRun.positions);
    expect(e.getEquityCurve().equity).not.toBe(held);
    // A shorter series after a longer one gets columns of its own length.
    const results = await e.runBacktest({ data: bars([[100, 101, 99, 100], [101, 103, 100, 102]]), signals: [1, 0] });
    expect(e.getEquityCurve().equity).toHaveLength(2);
    expect(results.finalEquity).toBe(1_000 - 9 * 101 + 9 * 102);
  });
});
