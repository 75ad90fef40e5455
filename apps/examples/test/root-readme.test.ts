import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '@algo-trading/backtesting';
import { loadSampleBars } from '@algo-trading/data';
import { RiskManager } from '@algo-trading/risk';
import { FixedFractionalSizing } from '@algo-trading/sizing';
import { sma } from '@algo-trading/strategies';
import { PRODUCT_RISK_DEFAULTS, checkTradesAgainstRules, sharpeOfEquity } from './rule-check';

// The root README's "Library use" snippet, run as written; what it prints is then checked against
// an independent replay of the trading rules (./rule-check.ts) and independent formulas.
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

    // Every trade follows the rules (entry after a 1, the risk manager's default exits, costs),
    // sized at 1% risk in the zone of the moment, capped at 25% of equity (the sizer's default).
    const trades = engine.getTrades();
    const totals = checkTradesAgainstRules(
      bars,
      trades,
      {
        initialCapital: 100_000,
        commissionPct: 0.0015,
        slippageBps: 5,
        ...PRODUCT_RISK_DEFAULTS,
        signals,
        checkQuantity: (quantity, { capital, entryPrice, stopLoss, multiplier, index }) => {
          const byRisk = (capital * (0.01 * multiplier)) / (entryPrice - stopLoss);
          expect(quantity, `trade ${index}`).toBe(Math.floor(Math.min(byRisk, (capital * 0.25) / entryPrice) + 1e-9));
        },
      },
      engine.getOpenPositions(),
    );
    expect(trades.length).toBeGreaterThan(10);
    // What the README prints, rebuilt: total return from the replayed equity, max drawdown from it
    // with the initial capital as the first peak, Sharpe = mean / std (ddof 1) x sqrt(252) of the
    // daily returns of the replayed equity (the initial capital before the first bar).
    expect(Math.abs(results.finalEquity - totals.finalEquity)).toBeLessThan(1e-6);
    expect(Math.abs(results.totalReturn - (totals.finalEquity / 100_000 - 1))).toBeLessThan(1e-12);
    expect(Math.abs(results.maxDrawdown - totals.maxDrawdown)).toBeLessThan(1e-12);
    expect(Math.abs(results.sharpeRatio - sharpeOfEquity(totals.equity, 100_000))).toBeLessThan(1e-9);
    expect(results.totalCommission).toBeCloseTo(totals.totalCommission, 6);
  });
});
