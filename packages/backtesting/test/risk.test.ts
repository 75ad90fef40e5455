import { BarSeries, type PositionSizer } from '@algo-trading/core';
import { RiskManager, type RiskManagerOptions } from '@algo-trading/risk';
import { FixedFractionalSizing, PercentOfEquitySizing } from '@algo-trading/sizing';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';
import { DAY, T0, bars, recordingSizer } from './helpers';

const HOUR = 3_600_000;

/** Engine with the real risk manager, fixed-fractional sizing (1% risk, 25% cap), no costs. */
function engineWith(risk: RiskManagerOptions = {}, sizer: PositionSizer = new FixedFractionalSizing({ riskFraction: 0.01, maxPositionFraction: 0.25 })) {
  const riskManager = new RiskManager(risk);
  const engine = new BacktestEngine({ initialCapital: 10_000, riskManager, positionSizer: sizer, commissionPct: 0, slippageBps: 0 });
  return { engine, riskManager };
}

/** A long entry at bar 1's open 100 (stop 97, target 105 by default), then `rest`. */
function afterEntry(...rest: (readonly [number, number, number, number])[]) {
  return bars([[100, 100, 100, 100], [100, 100.5, 99.5, 100], ...rest]);
}

describe('risk manager stops inside the engine', () => {
  it('uses the risk manager levels at the fill price and sizes against them', async () => {
    const { engine } = engineWith();
    const results = await engine.runBacktest({ data: afterEntry([100, 101, 99, 100]), signals: [1, 0, 0] });
    // risk: 10000 x 1% / 3 = 33 units; cap 25% of 10000 / 100 = 25 units
    expect(engine.getFills()[0]).toMatchObject({ quantity: 25, price: 100 });
    expect(results.openPositions[0]).toMatchObject({ stopLoss: 97, takeProfit: 105 });
  });

  it('fills a touched hard stop at the stop, and a gapped one at the open', async () => {
    const touched = engineWith();
    await touched.engine.runBacktest({ data: afterEntry([99, 99.5, 96, 98]), signals: [1, 0, 0] });
    expect(touched.engine.getFills()[1]).toMatchObject({ barIndex: 2, price: 97, reason: 'hard_stop' });
    expect(touched.engine.getTrades()[0]).toMatchObject({ pnl: -75, initialRisk: 75, rMultiple: -1 });
    const gapped = engineWith();
    await gapped.engine.runBacktest({ data: afterEntry([95, 96, 94, 95]), signals: [1, 0, 0] });
    expect(gapped.engine.getFills()[1]).toMatchObject({ price: 95, reason: 'hard_stop' });
  });

  it('fills a touched take-profit at the target, and a gapped one at the open', async () => {
    const touched = engineWith();
    await touched.engine.runBacktest({ data: afterEntry([101, 106, 100, 104]), signals: [1, 0, 0] });
    expect(touched.engine.getFills()[1]).toMatchObject({ price: 105, reason: 'take_profit' });
    const gapped = engineWith();
    await gapped.engine.runBacktest({ data: afterEntry([107, 108, 106, 107]), signals: [1, 0, 0] });
    expect(gapped.engine.getFills()[1]).toMatchObject({ price: 107, reason: 'take_profit' });
  });

  it("takes the stop first when a bar touches both (default policy), the target with the engine's target_first", async () => {
    const both = [100, 106, 96, 100] as const;
    const stopFirst = engineWith();
    await stopFirst.engine.runBacktest({ data: afterEntry(both), signals: [1, 0, 0] });
    expect(stopFirst.engine.getFills()[1]).toMatchObject({ price: 97, reason: 'hard_stop' });
    // The engine matches the protective orders: its own intrabarPolicy decides (the risk
    // manager's option is for its standalone API).
    const riskManager = new RiskManager();
    const targetFirst = new BacktestEngine({
      initialCapital: 10_000,
      riskManager,
      positionSizer: new FixedFractionalSizing({ riskFraction: 0.01, maxPositionFraction: 0.25 }),
      commissionPct: 0,
      slippageBps: 0,
      intrabarPolicy: 'target_first',
    });
    await targetFirst.runBacktest({ data: afterEntry(both), signals: [1, 0, 0] });
    expect(targetFirst.getFills()[1]).toMatchObject({ price: 105, reason: 'take_profit' });
  });

  it('ratchets the trailing stop from bar highs and applies it from the next bar', async () => {
    const { engine } = engineWith();
    // Bar 2 reaches 104 (arms at 102): trailing stop 104 x 0.98 = 101.92, not in force in bar 2
    // although its low is 100.5; bar 3 trades through it.
    await engine.runBacktest({
      data: afterEntry([101, 104, 100.5, 103], [103, 103.5, 101, 101.5], [101.5, 101.5, 101.5, 101.5]),
      signals: [1, 0, 0, 0, 0],
    });
    const exit = engine.getFills()[1]!;
    expect(exit).toMatchObject({ barIndex: 3, reason: 'trailing_stop' });
    expect(exit.price).toBeCloseTo(101.92, 10);
  });

  it('fills a trailing stop gapped through at the open', async () => {
    const { engine } = engineWith();
    await engine.runBacktest({
      data: afterEntry([101, 104, 100.5, 103], [100, 100.5, 99, 99.5], [99.5, 99.5, 99.5, 99.5]),
      signals: [1, 0, 0, 0, 0],
    });
    expect(engine.getFills()[1]).toMatchObject({ barIndex: 3, price: 100, referencePrice: 100, reason: 'trailing_stop' });
  });

  it('turns a time stop into a market order at the next open', async () => {
    const { engine } = engineWith({ timeStopDays: 2 });
    // entry at bar 1 (day 1); the time stop is due from day 3 -> bar 3 flags it, bar 4's open fills
    await engine.runBacktest({
      data: afterEntry([100, 100.5, 99.5, 100], [100, 100.5, 99.5, 100.2], [100.4, 100.5, 99.5, 100]),
      signals: [1, 0, 0, 0, 0],
    });
    expect(engine.getFills()[1]).toMatchObject({ barIndex: 4, time: T0 + 4 * DAY, price: 100.4, referencePrice: 100.4, reason: 'time_stop' });
    expect(engine.getTrades()[0]!.exitReason).toBe('time_stop');
  });
});

describe('drawdown zones, kill switch and daily limit', () => {
  it('applies the zone multiplier to the next size (CAUTION halves it)', async () => {
    const sizer = recordingSizer(new FixedFractionalSizing({ riskFraction: 0.01, maxPositionFraction: 0.25 }));
    const { engine, riskManager } = engineWith({ drawdownZones: { caution: 0.005, alert: 0.01, emergency: 0.015, killSwitch: 0.02 } }, sizer);
    // Trade 1: 25 units stopped at 97 -> loss 75 -> drawdown 0.75% (CAUTION, multiplier 0.5).
    const data = bars([
      [100, 100, 100, 100],
      [100, 100.5, 99.5, 100],
      [99, 99.5, 96, 98],
      [100, 100, 100, 100],
      [100, 100.5, 99.5, 100],
    ]);
    await engine.runBacktest({ data, signals: [1, 0, 0, 1, 0] });
    expect(sizer.requests.map((r) => r.riskMultiplier)).toEqual([1, 0.5]);
    // risk 9925 x 1% x 0.5 / 3 = 16.5 -> 16 (without the multiplier: min(33, 24) = 24)
    expect(engine.getFills()[2]).toMatchObject({ barIndex: 4, quantity: 16 });
    expect(riskManager.getDrawdownZone()).toBe('CAUTION');
  });

  it('flattens at the next open when the kill switch fires, then refuses entries with the one halt code', async () => {
    const { engine } = engineWith(
      { hardStopPct: null, takeProfitPct: null, trailingStopPct: null, timeStopDays: null, maxPositionPct: 1, maxPortfolioHeat: null },
      new PercentOfEquitySizing({ fraction: 1 }),
    );
    // all in at 100 (100 units); the close at 75 is a 25% drawdown (>= 20%: kill switch)
    const data = bars([
      [100, 100, 100, 100],
      [100, 100, 74, 75],
      [76, 77, 75, 76],
      [76, 77, 75, 76],
      [76, 77, 75, 76],
    ]);
    const results = await engine.runBacktest({ data, signals: [1, 1, 1, 1, 0] });
    expect(engine.getFills().map((f) => [f.barIndex, f.side, f.price, f.reason])).toEqual([
      [1, 'buy', 100, 'entry'],
      [2, 'sell', 76, 'emergency'],
    ]);
    // signals of bars 2 and 3 ask for entries at bars 3 and 4: EMERGENCY zone, multiplier 0
    expect(engine.getRejections().map((r) => [r.barIndex, r.count, r.reasons.map((x) => x.code)])).toEqual([[3, 2, ['drawdown_halt']]]);
    expect(results.rejectionCount).toBe(2);
    expect(results.finalEquity).toBe(7_600);
  });

  it('halts entries for the rest of the day once the daily loss limit is hit', async () => {
    const { engine } = engineWith(
      {
        hardStopPct: null,
        takeProfitPct: null,
        trailingStopPct: null,
        timeStopDays: null,
        maxPositionPct: 1,
        maxPortfolioHeat: null,
        drawdownZones: { caution: 0.5, alert: 0.6, emergency: 0.7, killSwitch: 0.8 },
      },
      new PercentOfEquitySizing({ fraction: 1 }),
    );
    const p = (x: number) => [x, x, x, x] as const;
    const rows = [p(100), [100, 100, 96, 96] as const, p(96), p(96), p(96)];
    const times = [0, 1, 2, 3, 24].map((h) => T0 + h * HOUR);
    const data = BarSeries.fromRows(
      rows.map(([open, high, low, close], i) => ({ time: times[i]!, open, high, low, close })),
      { symbol: 'TEST' },
    );
    // 1h: buy 100 at 100; close 96 = -4% of the day's start (limit 3%); -1 -> sell at 2h;
    // 1 at 2h -> entry at 3h refused (same day); 1 at 3h -> entry at 24h (next day) accepted.
    await engine.runBacktest({ data, signals: [1, -1, 1, 1, 0] });
    expect(engine.getRejections().map((r) => [r.barIndex, r.reasons.map((x) => x.code)])).toEqual([[3, ['daily_loss_limit']]]);
    expect(engine.getFills().map((f) => [f.barIndex, f.reason])).toEqual([
      [1, 'entry'],
      [2, 'signal'],
      [4, 'entry'],
    ]);
  });

  it('records every failed pre-trade check of a rejected entry', async () => {
    const { engine } = engineWith({ minConfidence: 0.6 });
    await engine.runBacktest({ data: afterEntry([100, 101, 99, 100]), signals: [1, 0, 0], confidences: [0.5, NaN, NaN] });
    const [rejection] = engine.getRejections();
    expect(rejection).toMatchObject({ barIndex: 1, side: 'long', quantity: 25, price: 100 });
    expect(rejection!.reasons.map((r) => r.code)).toEqual(['low_confidence']);
    expect(rejection!.reasons[0]!.message).toContain('0.5');
  });

  it('lets strategy-supplied levels override the risk manager defaults', async () => {
    const { engine } = engineWith();
    await engine.runBacktest({ data: afterEntry([99, 99.5, 95.5, 98]), signals: [1, 0, 0], stopLosses: [95, NaN, NaN] });
    // stop 95 (not 97): the bar's low 95.5 does not reach it; sizing uses 5 per unit: 20 units
    expect(engine.getFills()).toHaveLength(1);
    expect(engine.getOpenPositions()[0]).toMatchObject({ stopLoss: 95, takeProfit: 105, quantity: 20 });
  });
});
