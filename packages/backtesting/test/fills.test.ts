import { Decimal } from '@algo-trading/core';
import { FixedFractionalSizing } from '@algo-trading/sizing';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';
import { DAY, T0, bars, fixedSizer } from './helpers';

// Four bars used by most golden tests: opens 100, 101, 102, 105; closes 100, 102, 103, 105.
const four = () =>
  bars([
    [100, 101, 99, 100],
    [101, 103, 100, 102],
    [102, 104, 101, 103],
    [105, 106, 104, 105],
  ]);

describe('next-open fills', () => {
  it('fills a signal of bar t at the open of bar t+1, all in, commission on both legs', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0.001, slippageBps: 0 });
    const results = await engine.runBacktest({ data: four(), signals: [1, 0, -1, 0] });
    const [buy, sell] = engine.getFills();
    // floor(10000 / (101 x 1.001)) = floor(98.91) = 98
    expect(buy).toMatchObject({ barIndex: 1, time: T0 + DAY, side: 'buy', effect: 'open', quantity: 98, price: 101, referencePrice: 101, reason: 'entry', slippageCost: 0 });
    expect(buy!.commission).toBeCloseTo(9.898, 12);
    expect(sell).toMatchObject({ barIndex: 3, side: 'sell', effect: 'close', quantity: 98, price: 105, reason: 'signal' });
    expect(sell!.commission).toBeCloseTo(10.29, 12);
    // cash: 10000 - 9898 - 9.898 = 92.102; then + 10290 - 10.29 = 10371.812. The exact ledger
    // books each fill's commission as the number it is (9.898000000000001 in binary floating point).
    const exact = new Decimal(10_000).minus(9_898).minus(buy!.commission).plus(10_290).minus(sell!.commission);
    expect(engine.getCash().eq(exact)).toBe(true);
    expect(engine.getCash().toNumber()).toBeCloseTo(10371.812, 10);
    const curve = engine.getEquityCurve();
    [10_000, 92.102, 92.102, 10371.812].forEach((cash, i) => expect(curve.cash[i]).toBeCloseTo(cash, 10));
    expect(curve.equity[1]).toBeCloseTo(92.102 + 98 * 102, 9);
    expect(curve.equity[2]).toBeCloseTo(92.102 + 98 * 103, 9);
    expect(Array.from(curve.time)).toEqual([T0, T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY]);
    const [trade] = engine.getTrades();
    expect(trade).toMatchObject({ side: 'long', quantity: 98, entryPrice: 101, exitPrice: 105, entryBarIndex: 1, exitBarIndex: 3, barsHeld: 2, grossPnl: 392, exitReason: 'signal', initialRisk: null, rMultiple: null });
    expect(trade!.pnl).toBeCloseTo(371.812, 9);
    expect(trade!.commission).toBeCloseTo(20.188, 9);
    expect(trade!.returnPct).toBeCloseTo(371.812 / 9898, 12);
    expect(results.finalEquity).toBeCloseTo(10371.812, 9);
    expect(results.realizedPnl).toBeCloseTo(371.812, 9);
    expect(results.fillCount).toBe(2);
    expect(results.rejectionCount).toBe(0);
    expect(results.openPositions).toEqual([]);
    expect(results.exposure).toBe(0.5);
    expect(results.totalReturn).toBeCloseTo(0.0371812, 12);
    expect(results.tradeCount).toBe(1);
  });

  it('gives the last bar signal no fill', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000 });
    const results = await engine.runBacktest({ data: four(), signals: [0, 0, 0, 1] });
    expect(engine.getFills()).toEqual([]);
    expect(engine.getRejections()).toEqual([]);
    expect(results.finalEquity).toBe(10_000);
  });

  it('sees the signal only at the bar after it (shifting the signal shifts the fill)', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 0 });
    await engine.runBacktest({ data: four(), signals: [0, 1, 0, 0] });
    expect(engine.getFills()[0]).toMatchObject({ barIndex: 2, price: 102, quantity: 98 }); // floor(10000 / 102) = 98
  });

  it('ignores a 1 while long and a -1 while flat (long only), no pyramiding', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 0 });
    await engine.runBacktest({ data: four(), signals: [1, 1, 1, 0] });
    expect(engine.getFills()).toHaveLength(1);
    expect(engine.getOpenPositions()).toHaveLength(1);
  });
});

describe('close fills', () => {
  it('fills a signal of bar t at the close of bar t', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0.001, slippageBps: 0, fillAt: 'close' });
    await engine.runBacktest({ data: four(), signals: [1, 0, -1, 0] });
    const [buy, sell] = engine.getFills();
    // floor(10000 / 100.1) = 99; cash 10000 - 9900 - 9.9 = 90.1; + 99 x 103 - 10.197 = 10276.903
    expect(buy).toMatchObject({ barIndex: 0, price: 100, quantity: 99 });
    expect(sell).toMatchObject({ barIndex: 2, price: 103, quantity: 99, reason: 'signal' });
    expect(engine.getCash().toNumber()).toBeCloseTo(10276.903, 10);
    expect(engine.getEquityCurve().equity[0]).toBeCloseTo(90.1 + 9900, 9);
  });

  it('fills the last bar signal at its close', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 0, fillAt: 'close' });
    await engine.runBacktest({ data: four(), signals: [0, 0, 0, 1] });
    expect(engine.getFills()[0]).toMatchObject({ barIndex: 3, price: 105, quantity: 95 });
  });
});

describe('slippage and commission arithmetic', () => {
  it('buys at reference x (1 + bps/1e4), sells at reference x (1 - bps/1e4), commission on each notional', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0.002, slippageBps: 50 });
    const results = await engine.runBacktest({ data: four(), signals: [1, 0, -1, 0] });
    const [buy, sell] = engine.getFills();
    // buy 101 x 1.005 = 101.505; floor(10000 / (101.505 x 1.002)) = floor(98.32) = 98
    expect(buy!.price).toBeCloseTo(101.505, 12);
    expect(buy!.referencePrice).toBe(101);
    expect(buy!.quantity).toBe(98);
    expect(buy!.commission).toBeCloseTo(101.505 * 98 * 0.002, 12); // 19.89498
    expect(buy!.slippageCost).toBeCloseTo(0.505 * 98, 10); // 49.49
    // sell 105 x 0.995 = 104.475
    expect(sell!.price).toBeCloseTo(104.475, 12);
    expect(sell!.commission).toBeCloseTo(104.475 * 98 * 0.002, 12); // 20.4771
    expect(sell!.slippageCost).toBeCloseTo(0.525 * 98, 10); // 51.45
    // 10000 - 9947.49 - 19.89498 + 10238.55 - 20.4771 = 10250.68792
    expect(engine.getCash().toNumber()).toBeCloseTo(10250.68792, 9);
    const [trade] = engine.getTrades();
    expect(trade!.pnl).toBeCloseTo(250.68792, 9);
    expect(trade!.slippageCost).toBeCloseTo(100.94, 9);
    expect(results.totalCommission).toBeCloseTo(40.37208, 9);
    expect(results.totalSlippage).toBeCloseTo(100.94, 9);
  });

  it('uses the product defaults 0.15% commission and 5 bps slippage', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000 });
    await engine.runBacktest({ data: four(), signals: [1, 0, 0, 0] });
    const [buy] = engine.getFills();
    expect(buy!.price).toBeCloseTo(101 * 1.0005, 12);
    expect(buy!.commission).toBeCloseTo(buy!.price * buy!.quantity * 0.0015, 12);
    expect(buy!.quantity).toBe(Math.floor(10_000 / (101 * 1.0005 * 1.0015)));
  });
});

describe('sizing at fill time', () => {
  it('sizes with the fill price as entry and the equity at that moment', async () => {
    const sizer = new FixedFractionalSizing({ riskFraction: 0.01, maxPositionFraction: 1 });
    const engine = new BacktestEngine({ initialCapital: 10_000, positionSizer: sizer, commissionPct: 0, slippageBps: 0 });
    // Signal at bar 0 (close 100) with a stop at 95; the fill is at bar 1's open 101.
    const stops = [95, NaN, NaN, NaN];
    await engine.runBacktest({ data: four(), signals: [1, 0, 0, 0], stopLosses: stops });
    // risk 100 / (101 - 95) = 16.67 -> 16 (sizing at the signal close would give 100 / 5 = 20)
    expect(engine.getFills()[0]).toMatchObject({ quantity: 16, price: 101 });
    expect(engine.getTrades()).toEqual([]);
    expect(engine.getOpenPositions()[0]).toMatchObject({ stopLoss: 95, takeProfit: null, quantity: 16 });
  });

  it('passes the symbol, capital, cash, commission, side and confidence to the sizer', async () => {
    const sizer = fixedSizer(10);
    const engine = new BacktestEngine({ initialCapital: 10_000, positionSizer: sizer, commissionPct: 0.001, slippageBps: 0 });
    await engine.runBacktest({ data: four(), signals: [1, 0, -1, 1], confidences: [0.7, NaN, 0, 0] });
    // second entry has no fill (last bar); first request:
    expect(sizer.requests).toEqual([
      { symbol: 'TEST', capital: 10_000, entryPrice: 101, stopLossPrice: undefined, side: 'long', confidence: 0.7, riskMultiplier: 1, cash: 10_000, commissionPct: 0.001 },
    ]);
  });

  it('uses the equity after the previous trade for the next entry', async () => {
    const sizer = fixedSizer(10);
    const engine = new BacktestEngine({ initialCapital: 1_000, positionSizer: sizer, commissionPct: 0, slippageBps: 0 });
    const data = bars([
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [110, 110, 110, 110],
      [110, 110, 110, 110],
      [110, 110, 110, 110],
    ]);
    await engine.runBacktest({ data, signals: [1, -1, 1, 0, 0] });
    expect(sizer.requests.map((r) => r.capital)).toEqual([1_000, 1_100]);
  });
});

describe('cash cut and lot rules', () => {
  it('cuts a sized quantity to what the cash buys, commission included', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, positionSizer: fixedSizer(1_000), commissionPct: 0.001, slippageBps: 0 });
    await engine.runBacktest({ data: four(), signals: [1, 0, 0, 0] });
    expect(engine.getFills()[0]!.quantity).toBe(98);
    expect(engine.getRejections()).toEqual([]);
    expect(engine.getCash().gte(0)).toBe(true);
  });

  it('rejects a sized quantity below one lot with code lot', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, positionSizer: fixedSizer(0.4), slippageBps: 0 });
    const results = await engine.runBacktest({ data: four(), signals: [1, 0, 0, 0] });
    expect(engine.getFills()).toEqual([]);
    expect(engine.getRejections()).toEqual([
      {
        orderId: 0,
        time: T0 + DAY,
        barIndex: 1,
        count: 1,
        lastBarIndex: 1,
        lastTime: T0 + DAY,
        symbol: 'TEST',
        side: 'long',
        quantity: 0,
        price: 101,
        reasons: [{ code: 'lot', message: 'the sized quantity is below one lot' }],
      },
    ]);
    expect(results.rejectionCount).toBe(1);
  });

  it('rejects with code cash when not even one lot is affordable', async () => {
    const engine = new BacktestEngine({ initialCapital: 100, commissionPct: 0.001, slippageBps: 0 });
    await engine.runBacktest({ data: four(), signals: [1, 0, 0, 0] });
    expect(engine.getRejections()[0]!.reasons.map((r) => r.code)).toEqual(['cash']);
    expect(engine.getFills()).toEqual([]);
  });

  it('re-submits a sustained signal every bar and coalesces identical consecutive rejections', async () => {
    const engine = new BacktestEngine({ initialCapital: 100, commissionPct: 0, slippageBps: 0 });
    const results = await engine.runBacktest({ data: four(), signals: [1, 1, 1, 0] });
    // orders at bars 1, 2 and 3, each refused for cash: one record of 3
    expect(engine.getRejections()).toEqual([
      expect.objectContaining({ barIndex: 1, count: 3, lastBarIndex: 3, lastTime: T0 + 3 * DAY, price: 101, reasons: [expect.objectContaining({ code: 'cash' })] }),
    ]);
    expect(results.rejectionCount).toBe(3);
    // a gap (signal 0 at bar 1) starts a new record
    await engine.runBacktest({ data: four(), signals: [1, 0, 1, 0] });
    expect(engine.getRejections().map((r) => [r.barIndex, r.count])).toEqual([
      [1, 1],
      [3, 1],
    ]);
  });

  it('rejects with code cash when a sizer asks for units the cash cannot buy', async () => {
    const engine = new BacktestEngine({ initialCapital: 100, positionSizer: fixedSizer(5), slippageBps: 0 });
    await engine.runBacktest({ data: four(), signals: [1, 0, 0, 0] });
    expect(engine.getRejections()[0]).toMatchObject({ quantity: 5, reasons: [{ code: 'cash' }] });
  });

  it('floors fractional lots exactly (lotSize 0.01)', async () => {
    const engine = new BacktestEngine({ initialCapital: 1_000, lotSize: 0.01, commissionPct: 0, slippageBps: 0 });
    await engine.runBacktest({ data: four(), signals: [1, 0, 0, 0] });
    // 1000 / 101 = 9.90099 -> 9.9; cash 1000 - 999.9 = 0.1 exactly
    expect(engine.getFills()[0]!.quantity).toBe(9.9);
    expect(engine.getCash().toString()).toBe('0.1');
  });

  it('never lets cash go negative when the cost equals the cash to the cent', async () => {
    const engine = new BacktestEngine({ initialCapital: 1_001, commissionPct: 0.001, slippageBps: 0, fillAt: 'close' });
    await engine.runBacktest({ data: bars([[100, 100, 100, 100], [100, 100, 100, 100]]), signals: [1, 0] });
    // 10 x 100 x 1.001 = 1001 exactly
    expect(engine.getFills()[0]!.quantity).toBe(10);
    expect(engine.getCash().toString()).toBe('0');
  });
});
