import type { IntrabarPolicy } from '@algo-trading/core';
import { PercentOfEquitySizing } from '@algo-trading/sizing';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';
import { bars, flat as flatBars } from './helpers';

/**
 * Strategy-supplied stops without a risk manager: a long entry at bar 1's open (100) with a stop
 * at 95 and a target at 110, then the bar under test at index 2.
 */
async function longThrough(bar: readonly [number, number, number, number], policy: IntrabarPolicy = 'stop_first', slippageBps = 0) {
  const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps, intrabarPolicy: policy });
  const data = bars([
    [100, 100, 100, 100],
    [100, 102, 98, 101],
    bar,
    [100, 100, 100, 100],
  ]);
  await engine.runBacktest({ data, signals: [1, 0, 0, 0], stopLosses: [95, NaN, NaN, NaN], takeProfits: [110, NaN, NaN, NaN] });
  return engine;
}

describe('intrabar stops and targets (strategy-supplied levels, no risk manager)', () => {
  it('fills a touched stop at the stop price', async () => {
    const engine = await longThrough([101, 103, 94, 96]);
    expect(engine.getFills()[1]).toMatchObject({ barIndex: 2, price: 95, referencePrice: 95, reason: 'hard_stop' });
    expect(engine.getTrades()[0]).toMatchObject({ exitReason: 'hard_stop', pnl: -500, initialRisk: 500, rMultiple: -1 });
  });

  it('fills a stop gapped through at the open', async () => {
    const engine = await longThrough([93, 94, 90, 92]);
    expect(engine.getFills()[1]).toMatchObject({ price: 93, reason: 'hard_stop' });
    expect(engine.getTrades()[0]!.rMultiple).toBeCloseTo(-1.4, 12);
  });

  it('fills a touched target at the target price', async () => {
    const engine = await longThrough([101, 111, 100, 108]);
    expect(engine.getFills()[1]).toMatchObject({ price: 110, reason: 'take_profit' });
    expect(engine.getTrades()[0]!.rMultiple).toBe(2);
  });

  it('fills a target gapped through at the open', async () => {
    const engine = await longThrough([112, 113, 111, 112]);
    expect(engine.getFills()[1]).toMatchObject({ price: 112, reason: 'take_profit' });
  });

  it('assumes the stop came first when a bar touches both (default), configurable', async () => {
    const both = [100, 111, 94, 100] as const;
    expect((await longThrough(both)).getFills()[1]).toMatchObject({ price: 95, reason: 'hard_stop' });
    expect((await longThrough(both, 'target_first')).getFills()[1]).toMatchObject({ price: 110, reason: 'take_profit' });
    // nearest_first: open 100 is 5 from the stop and 10 from the target
    expect((await longThrough(both, 'nearest_first')).getFills()[1]).toMatchObject({ price: 95, reason: 'hard_stop' });
  });

  it('charges slippage on stop fills (a sell at the stop less slippage)', async () => {
    const engine = await longThrough([101, 103, 94, 96], 'stop_first', 100);
    const exit = engine.getFills()[1]!;
    expect(exit.referencePrice).toBe(95);
    expect(exit.price).toBeCloseTo(95 * 0.99, 12);
  });

  it('keeps a position whose levels are not touched', async () => {
    const engine = await longThrough([101, 109, 96, 104]);
    expect(engine.getFills()).toHaveLength(1);
    expect(engine.getOpenPositions()[0]).toMatchObject({ stopLoss: 95, takeProfit: 110 });
  });

  it('evaluates the levels already in the entry bar', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 0 });
    const data = bars([
      [100, 100, 100, 100],
      [100, 101, 94, 97],
      [97, 97, 97, 97],
    ]);
    await engine.runBacktest({ data, signals: [1, 0, 0], stopLosses: [95, NaN, NaN] });
    expect(engine.getFills().map((f) => [f.barIndex, f.price, f.reason])).toEqual([
      [1, 100, 'entry'],
      [1, 95, 'hard_stop'],
    ]);
    expect(engine.getTrades()[0]!.barsHeld).toBe(0);
  });

  it('exits at once, at the fill price, when the fill already passed a supplied stop (gap through it)', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 0 });
    const data = bars([
      [100, 100, 100, 100],
      [94, 95, 93, 94],
      [94, 94, 94, 94],
    ]);
    await engine.runBacktest({ data, signals: [1, 0, 0], stopLosses: [95, NaN, NaN] });
    // 10,000 / 94 = 106 units in at the open 94, out at once at the same price (the stop child).
    expect(engine.getFills().map((f) => [f.barIndex, f.side, f.quantity, f.price, f.reason])).toEqual([
      [1, 'buy', 106, 94, 'entry'],
      [1, 'sell', 106, 94, 'hard_stop'],
    ]);
    expect(engine.getTrades()[0]).toMatchObject({ pnl: 0, barsHeld: 0, exitReason: 'hard_stop' });
    expect(engine.getOpenPositions()).toEqual([]);
  });

  it("rejects an entry whose supplied stop is on the wrong side of the fill with passedLevels: 'reject'", async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 0, passedLevels: 'reject' });
    const data = bars([
      [100, 100, 100, 100],
      [94, 95, 93, 94],
      [94, 94, 94, 94],
    ]);
    await engine.runBacktest({ data, signals: [1, 0, 0], stopLosses: [95, NaN, NaN] });
    expect(engine.getFills()).toEqual([]);
    expect(engine.getRejections()[0]!.reasons).toEqual([{ code: 'invalid_levels', message: expect.stringContaining('stop-loss 95') }]);
  });
});

describe('shorts', () => {
  const data = bars([
    [100, 100, 100, 100],
    [100, 101, 97, 98],
    [95, 96, 91, 92],
    [90, 92, 89, 91],
    [91, 91, 91, 91],
  ]);

  it('opens a short on -1 when flat, covers and reverses on 1', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 0, allowShort: true });
    const results = await engine.runBacktest({ data, signals: [-1, 0, 1, 0, 0] });
    expect(engine.getFills().map((f) => [f.barIndex, f.side, f.effect, f.quantity, f.price, f.reason])).toEqual([
      [1, 'sell', 'open', 100, 100, 'entry'],
      [3, 'buy', 'close', 100, 90, 'signal'],
      [3, 'buy', 'open', 122, 90, 'entry'], // floor(11000 / 90) = 122
    ]);
    expect(engine.getTrades()[0]).toMatchObject({ side: 'short', grossPnl: 1000, pnl: 1000 });
    const curve = engine.getEquityCurve();
    // short: cash 20000, equity 20000 - 100 x 98 = 10200
    expect(curve.cash[1]).toBe(20_000);
    expect(curve.equity[1]).toBe(10_200);
    expect(curve.equity[2]).toBe(20_000 - 9_200);
    expect(curve.cash[3]).toBe(20); // 11000 - 122 x 90
    expect(results.finalEquity).toBe(20 + 122 * 91);
    expect(results.openPositions[0]).toMatchObject({ side: 'long', quantity: 122, unrealizedPnl: 122 });
  });

  it('sells short at the reference less slippage and covers at the reference plus slippage', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 100, allowShort: true });
    await engine.runBacktest({ data, signals: [-1, 0, 1, 0, 0] });
    const [open, close] = engine.getFills();
    expect(open!.price).toBeCloseTo(99, 12);
    expect(close!.price).toBeCloseTo(90.9, 12);
  });

  it('stops a short out above the entry', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 0, allowShort: true });
    const up = bars([
      [100, 100, 100, 100],
      [100, 101, 99, 100],
      [101, 106, 100, 104],
    ]);
    await engine.runBacktest({ data: up, signals: [-1, 0, 0], stopLosses: [105, NaN, NaN] });
    expect(engine.getFills()[1]).toMatchObject({ side: 'buy', price: 105, reason: 'hard_stop' });
    expect(engine.getTrades()[0]).toMatchObject({ pnl: -500, rMultiple: -1 });
  });

  it('buys back a short that ruins the account at the close, then refuses entries for cash', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 0, allowShort: true });
    const squeeze = bars([
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [250, 270, 250, 260],
      [260, 260, 260, 260],
      [260, 260, 260, 260],
    ]);
    const results = await engine.runBacktest({ data: squeeze, signals: [-1, 0, 0, -1, 0] });
    // short 100 at 100: cash 20000; close 260 -> equity 20000 - 26000 = -6000
    expect(engine.getFills()[1]).toMatchObject({ barIndex: 2, side: 'buy', price: 260, reason: 'emergency' });
    expect(engine.getEquityCurve().equity[2]).toBe(-6_000);
    expect(results.finalEquity).toBe(-6_000);
    expect(results.totalReturn).toBe(-1);
    expect(results.maxDrawdown).toBe(-1);
    expect(engine.getRejections().map((r) => [r.barIndex, r.reasons[0]!.code])).toEqual([[4, 'cash']]);
  });

  it('with a sizer, records a cash rejection after a short lost more than the account (regression: the run aborted)', async () => {
    const engine = new BacktestEngine({
      initialCapital: 10_000,
      commissionPct: 0,
      slippageBps: 0,
      allowShort: true,
      positionSizer: new PercentOfEquitySizing({ fraction: 0.5 }),
    });
    const results = await engine.runBacktest({ data: flatBars([100, 100, 400, 400, 400]), signals: [-1, 1, 1, 0, 0] });
    // Short 0.5 x 10,000 / 100 = 50 at bar 1's open (cash 15,000); the 1 of bar 1 buys them back
    // at bar 2's open, 400: cash 15,000 - 20,000 = -5,000. The long entry of that same order, and
    // the 1 of bar 2 at bar 3, find no equity to size from: two cash rejections, no exception.
    expect(engine.getFills().map((f) => [f.barIndex, f.side, f.quantity, f.price])).toEqual([
      [1, 'sell', 50, 100],
      [2, 'buy', 50, 400],
    ]);
    expect(engine.getRejections().map((r) => [r.barIndex, r.side, r.count, r.reasons[0]!.code])).toEqual([[2, 'long', 2, 'cash']]);
    expect(results.finalEquity).toBe(-5_000);
    expect(engine.getCash().toString()).toBe('-5000');
  });

  it('reverses a long into a short on -1 when short selling is allowed', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 0, allowShort: true });
    await engine.runBacktest({ data, signals: [1, -1, 0, 0, 0] });
    expect(engine.getFills().map((f) => [f.barIndex, f.side, f.effect, f.reason])).toEqual([
      [1, 'buy', 'open', 'entry'],
      [2, 'sell', 'close', 'signal'],
      [2, 'sell', 'open', 'entry'],
    ]);
  });

  it('only closes a long on -1 when short selling is off, and records a fresh -1 while flat as no_short', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 0 });
    await engine.runBacktest({ data, signals: [-1, -1, 1, -1, -1] });
    expect(engine.getFills().map((f) => [f.barIndex, f.reason])).toEqual([
      [3, 'entry'],
      [4, 'signal'],
    ]);
    // bar 0's -1 is fresh while flat (order at bar 1); bar 1's -1 repeats it; bar 3's -1 closes the long.
    expect(engine.getRejections().map((r) => [r.barIndex, r.side, r.reasons[0]!.code])).toEqual([[1, 'short', 'no_short']]);
  });
});

describe('end of data', () => {
  const data = bars([
    [100, 100, 100, 100],
    [100, 100, 100, 100],
    [110, 112, 108, 111],
  ]);

  it('marks open positions at the last close and reports them open', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0.001, slippageBps: 0 });
    const results = await engine.runBacktest({ data, signals: [1, 0, 0] });
    expect(engine.getTrades()).toEqual([]);
    const [position] = results.openPositions;
    // 99 units at 100 (floor(10000 / 100.1)), commission 9.9
    expect(position).toMatchObject({ side: 'long', quantity: 99, entryPrice: 100, markPrice: 111, marketValue: 10_989 });
    expect(position!.unrealizedPnl).toBeCloseTo(11 * 99 - 9.9, 9);
    expect(results.finalEquity).toBeCloseTo(90.1 + 10_989, 9);
    expect(results.finalEquity - 10_000).toBeCloseTo(results.realizedPnl + results.unrealizedPnl, 9);
  });

  it('closes open positions at the last close, with costs, when closeAtEnd is set', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0.001, slippageBps: 10, closeAtEnd: true });
    const results = await engine.runBacktest({ data, signals: [1, 0, 0] });
    expect(results.openPositions).toEqual([]);
    const exit = engine.getFills()[1]!;
    expect(exit).toMatchObject({ barIndex: 2, referencePrice: 111, reason: 'end_of_data' });
    expect(exit.price).toBeCloseTo(111 * 0.999, 12);
    expect(engine.getTrades()[0]!.exitReason).toBe('end_of_data');
    expect(results.finalEquity).toBeCloseTo(engine.getCash().toNumber(), 9);
    expect(engine.getEquityCurve().equity[2]).toBe(results.finalEquity);
  });

  it('does not open a position at the last close when it would be closed at once', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, fillAt: 'close', closeAtEnd: true });
    await engine.runBacktest({ data, signals: [0, 0, 1] });
    expect(engine.getFills()).toEqual([]);
  });
});
