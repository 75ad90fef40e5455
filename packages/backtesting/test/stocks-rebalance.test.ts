import { loadSampleBars } from '@algo-trading/data';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';

// An equal-weight monthly rebalance of the five `stocks` symbols (real monthly prices, 2000-2010;
// GOOG lists in 2004) against buying and holding each. Price-only bars: the rebalance trades at
// the close of the month its weights are dated (`fillAt: 'close'`). Asserts properties of the
// ledger and of the rebalance, not returns.
describe('equal-weight monthly rebalance of the stocks sample', () => {
  const universe = loadSampleBars('stocks');
  const symbols = [...universe.keys()];
  // The union of the months, and which symbols are listed in each.
  const months = [...new Set(symbols.flatMap((s) => Array.from(universe.get(s)!.time)))].sort((a, b) => a - b);
  const listed = (s: string, t: number) => {
    const bars = universe.get(s)!;
    return bars.time[0]! <= t && t <= bars.time[bars.length - 1]!;
  };
  const weights = Object.fromEntries(
    symbols.map((s) => [s, Float64Array.from(months, (t) => (listed(s, t) ? 1 / symbols.filter((x) => listed(x, t)).length : 0))]),
  );

  it('keeps cash >= 0, equity = cash + marked positions, and weights at 1/k after each rebalance', async () => {
    const engine = new BacktestEngine({ initialCapital: 100_000, fillAt: 'close', commissionPct: 0.001, slippageBps: 0 });
    const results = await engine.runBacktest({ data: universe, targetWeights: { time: Float64Array.from(months), weights } });
    const curve = engine.getEquityCurve();
    const holdings = engine.getHoldings();
    expect(results.bars).toBe(months.length);
    for (let i = 0; i < months.length; i++) {
      expect(curve.cash[i]).toBeGreaterThanOrEqual(0);
      let marked = curve.cash[i]!;
      const k = symbols.filter((s) => listed(s, months[i]!)).length;
      for (const s of symbols) {
        const bars = universe.get(s)!;
        const j = bars.time.indexOf(months[i]!);
        const q = holdings.positions[s]![i]!;
        if (j < 0) {
          expect(q).toBe(0); // not listed yet
          continue;
        }
        marked += q * bars.close[j]!;
        // Lot rounding (one share) plus the commission the cash cannot cover.
        const tolerance = bars.close[j]! / curve.equity[i]! + 0.002;
        expect(Math.abs(holdings.weights[s]![i]! - 1 / k)).toBeLessThanOrEqual(tolerance);
      }
      expect(curve.equity[i]).toBeCloseTo(marked, 6);
    }
    const contributions = symbols.reduce((sum, s) => sum + results.perSymbol[s]!.contribution, 0);
    expect(contributions).toBeCloseTo(results.totalReturn, 9);
    expect(results.turnover).toBeGreaterThan(0);
  });

  it('buys and holds each symbol alone for comparison, each with the same ledger properties', async () => {
    for (const s of symbols) {
      const bars = universe.get(s)!;
      const engine = new BacktestEngine({ initialCapital: 100_000, fillAt: 'close', commissionPct: 0.001, slippageBps: 0 });
      const signals = new Int8Array(bars.length);
      signals[0] = 1;
      const results = await engine.runBacktest({ data: bars, signals });
      const [position] = engine.getOpenPositions();
      expect(position!.symbol).toBe(s);
      expect(results.finalCash).toBeGreaterThanOrEqual(0);
      expect(results.finalEquity).toBeCloseTo(results.finalCash + position!.quantity * bars.close[bars.length - 1]!, 6);
      // All in at the first close: less than one share (plus commission) of cash is left.
      expect(results.finalCash).toBeLessThan(bars.close[0]! * 1.001);
    }
  });
});
