import { BarSeries } from '@algo-trading/core';
import { RiskManager } from '@algo-trading/risk';
import { FixedFractionalSizing, PercentOfEquitySizing } from '@algo-trading/sizing';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';
import { DAY, T0 } from './helpers';

/** Bars of `symbol` from [open, high, low, close] rows, one a day from T0. */
function ohlc(symbol: string, rows: readonly (readonly [number, number, number, number])[]): BarSeries {
  return BarSeries.fromRows(
    rows.map(([open, high, low, close], i) => ({ time: T0 + i * DAY, open, high, low, close, volume: 1000 })),
    { symbol },
  );
}
const flat = (symbol: string, n: number) => ohlc(symbol, Array.from({ length: n }, () => [100, 100, 100, 100] as const));

describe('portfolio risk across symbols', () => {
  it('sums heat over every symbol: a third entry that would exceed it is refused', async () => {
    // Fixed-fractional 1% risk at the 3% default stop is 33 units, capped at 25% of equity: 25
    // units at 100, a heat of 25 x 3 / 10,000 = 0.75% each. Two: 1.5%; a third would be 2.25% > 2%.
    const riskManager = new RiskManager({ maxPortfolioHeat: 0.02, takeProfitPct: null, trailingStopPct: null, timeStopDays: null });
    const engine = new BacktestEngine({
      initialCapital: 10_000,
      riskManager,
      positionSizer: new FixedFractionalSizing({ riskFraction: 0.01, maxPositionFraction: 0.25 }),
      commissionPct: 0,
      slippageBps: 0,
    });
    const data = { A: flat('A', 3), B: flat('B', 3), C: flat('C', 3) };
    await engine.runBacktest({ data, signals: { A: [1, 0, 0], B: [1, 0, 0], C: [1, 0, 0] } });
    expect(engine.getFills().map((f) => [f.symbol, f.quantity, f.barIndex])).toEqual([
      ['A', 25, 1],
      ['B', 25, 1],
    ]);
    expect(engine.getRejections()).toMatchObject([{ symbol: 'C', barIndex: 1 }]);
    expect(engine.getRejections()[0]!.reasons.map((r) => r.code)).toContain('portfolio_heat');
  });

  it('holds each symbol to the per-symbol limit of the portfolio equity', async () => {
    const riskManager = new RiskManager({ maxPortfolioHeat: null, hardStopPct: null, takeProfitPct: null, trailingStopPct: null, timeStopDays: null });
    const engine = new BacktestEngine({ initialCapital: 10_000, riskManager, positionSizer: new PercentOfEquitySizing({ fraction: 0.3 }), commissionPct: 0, slippageBps: 0 });
    await engine.runBacktest({ data: { A: flat('A', 3), B: flat('B', 3) }, signals: { A: [1, 0, 0], B: [1, 0, 0] } });
    // 30% of the equity is above the 25% limit per symbol: both refused.
    expect(engine.getFills()).toEqual([]);
    expect(engine.getRejections().map((r) => [r.symbol, r.reasons.map((x) => x.code)])).toEqual([
      ['A', ['position_limit']],
      ['B', ['position_limit']],
    ]);
  });

  it('the kill switch on the portfolio drawdown flattens every symbol at the next open', async () => {
    const riskManager = new RiskManager({
      hardStopPct: null,
      takeProfitPct: null,
      trailingStopPct: null,
      timeStopDays: null,
      maxPositionPct: 0.5,
      maxPortfolioHeat: null,
    });
    const engine = new BacktestEngine({ initialCapital: 10_000, riskManager, positionSizer: new PercentOfEquitySizing({ fraction: 0.5 }), commissionPct: 0, slippageBps: 0 });
    // A and B each get 50 units at 100. Day 2: A closes at 55, B at 95: equity 0 + 2,750 + 4,750 =
    // 7,500, a 25% drawdown of the portfolio (>= the 20% kill switch) though B alone lost 5%.
    const data = {
      A: ohlc('A', [[100, 100, 100, 100], [100, 100, 100, 100], [100, 100, 55, 55], [56, 56, 56, 56], [56, 56, 56, 56]]),
      B: ohlc('B', [[100, 100, 100, 100], [100, 100, 100, 100], [100, 100, 95, 95], [96, 96, 96, 96], [96, 96, 96, 96]]),
    };
    await engine.runBacktest({ data, signals: { A: [1, 1, 1, 1, 1], B: [1, 1, 1, 1, 1] } });
    expect(engine.getFills().map((f) => [f.symbol, f.side, f.quantity, f.price, f.barIndex, f.reason])).toEqual([
      ['A', 'buy', 50, 100, 1, 'entry'],
      ['B', 'buy', 50, 100, 1, 'entry'],
      ['A', 'sell', 50, 56, 3, 'emergency'],
      ['B', 'sell', 50, 96, 3, 'emergency'],
    ]);
    expect(engine.getOpenPositions()).toEqual([]);
    expect(engine.getRejections().every((r) => r.reasons.every((x) => x.code === 'drawdown_halt'))).toBe(true);
  });
});
