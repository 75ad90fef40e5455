import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '@algo-trading/backtesting';
import { loadSampleBars } from '@algo-trading/data';
import { RiskManager } from '@algo-trading/risk';
import { FixedFractionalSizing } from '@algo-trading/sizing';
import { sma } from '@algo-trading/strategies';

// The root README's "Library use" snippet, run as written.
describe('root README library example', () => {
  it('backtests an SMA crossover with the risk manager and fixed-fractional sizing', async () => {
    const bars = loadSampleBars('sp500');
    const fast = sma(bars.close, 20);
    const slow = sma(bars.close, 50);
    const signals = Int8Array.from(fast, (f, i) => (f > slow[i]! ? 1 : f < slow[i]! ? -1 : 0));

    const engine = new BacktestEngine({
      initialCapital: 100_000,
      riskManager: new RiskManager({ initialCapital: 100_000 }),
      positionSizer: new FixedFractionalSizing({ riskFraction: 0.01 }),
      commissionPct: 0.0015,
      slippageBps: 5,
    });
    const results = await engine.runBacktest({ data: bars, signals });
    expect(engine.getTrades().length).toBeGreaterThan(10);
    expect(Number.isFinite(results.totalReturn)).toBe(true);
    expect(Number.isFinite(results.sharpeRatio)).toBe(true);
    expect(results.maxDrawdown).toBeLessThanOrEqual(0);
    expect(results.finalEquity).toBeCloseTo(100_000 * (1 + results.totalReturn), 6);
  });
});
