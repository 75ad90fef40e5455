import { BarSeries } from '@algo-trading/core';
import { RiskManager } from '@algo-trading/risk';
import { FixedFractionalSizing } from '@algo-trading/sizing';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';

// The README example, run as written, with the outcome the README describes.
describe('README example', () => {
  const bars = BarSeries.fromRows(
    [
      { time: '2024-01-02', open: 100, high: 101, low: 99, close: 100 },
      { time: '2024-01-03', open: 101, high: 103, low: 100, close: 102 },
      { time: '2024-01-04', open: 102, high: 108, low: 101, close: 107 },
      { time: '2024-01-05', open: 107, high: 108, low: 104, close: 105 },
    ],
    { symbol: 'SPY' },
  );

  it('enters at the next open with slippage, sizes at the stop, exits at the target', async () => {
    const engine = new BacktestEngine({
      initialCapital: 10_000,
      riskManager: new RiskManager(),
      positionSizer: new FixedFractionalSizing({ riskFraction: 0.01 }),
      commissionPct: 0.0015,
      slippageBps: 5,
    });
    const results = await engine.runBacktest({ data: bars, signals: [1, 0, 0, 0], confidences: [0.7, 0.7, 0.7, 0.7] });
    const [entry, exit] = engine.getFills();
    const fillPrice = 101 * 1.0005;
    expect(entry!.price).toBeCloseTo(fillPrice, 12);
    // 1% of 10,000 at a 3% stop is 32 units; the 25% cap allows 2,500 / 101.05 = 24
    expect(entry!.quantity).toBe(24);
    expect(exit).toMatchObject({ barIndex: 2, reason: 'take_profit' });
    expect(exit!.referencePrice).toBeCloseTo(fillPrice * 1.05, 10);
    expect(exit!.price).toBeCloseTo(fillPrice * 1.05 * 0.9995, 10);
    expect(results.tradeCount).toBe(1);
    // 24 x (exit - entry) less 0.15% commission on both legs, on 10,000.
    const exitPrice = fillPrice * 1.05 * 0.9995;
    const pnl = 24 * (exitPrice - fillPrice) - 0.0015 * 24 * (fillPrice + exitPrice);
    expect(engine.getTrades()[0]!.pnl).toBeCloseTo(pnl, 9);
    expect(results.totalReturn).toBeCloseTo(pnl / 10_000, 12);
    expect(results.finalEquity).toBeCloseTo(10_000 + pnl, 9);
    expect(engine.getEquityCurve().equity).toHaveLength(4);
  });

  it('runs the strategy example', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0.0015, slippageBps: 5 });
    await engine.run({
      data: bars,
      strategy: {
        onBar(ctx) {
          if (ctx.index < 1) return 0;
          const up = ctx.bars.close(ctx.index) > ctx.bars.close(ctx.index - 1);
          return { signal: up ? 1 : -1, confidence: 0.8 };
        },
      },
    });
    // up at bars 1 and 2 (entry at bar 2's open), down at bar 3 (exit would be at bar 4: none)
    expect(engine.getFills().map((f) => [f.barIndex, f.reason])).toEqual([[2, 'entry']]);
    expect(engine.getOpenPositions()).toHaveLength(1);
  });
});
