import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';
import { bars, ohlcPath, peerBacktest, signalsOf } from './helpers';

describe('peer-compatible configuration', () => {
  it('matches a hand-computed SMA-style example', async () => {
    const data = bars([
      [10, 10, 10, 10],
      [10, 11, 10, 11],
      [11.5, 12, 11, 12],
      [12, 12, 10, 10.5],
      [10, 10, 9, 9.5],
      [9.5, 10, 9, 10],
    ]);
    const signals = [0, 1, 1, -1, -1, 0];
    const engine = new BacktestEngine({ initialCapital: 1_000, commissionPct: 0.001, slippageBps: 0 });
    const results = await engine.runBacktest({ data, signals });
    // buy at 11.5: floor(1000 / 11.5115) = 86; sell at 10 (bar 4 open)
    expect(engine.getTrades().map((t) => [t.entryBarIndex, t.exitBarIndex, t.quantity, t.entryPrice, t.exitPrice])).toEqual([[2, 4, 86, 11.5, 10]]);
    const peer = peerBacktest(data, signals, 1_000, 0.001);
    expect(peer.trades).toHaveLength(1);
    expect(results.finalEquity).toBeCloseTo(peer.equity.at(-1)!, 9);
  });

  it('produces the same trades and equity as an independent plain backtester', async () => {
    await fc.assert(
      fc.asyncProperty(
        ohlcPath(2, 80).chain((series) =>
          fc.record({
            series: fc.constant(series),
            signals: signalsOf(series.length),
            commission: fc.constantFrom(0, 0.001, 0.0015, 0.01),
            capital: fc.constantFrom(1_000, 10_000, 123_456.78),
          }),
        ),
        async ({ series, signals, commission, capital }) => {
          const engine = new BacktestEngine({ initialCapital: capital, commissionPct: commission, slippageBps: 0 });
          const results = await engine.runBacktest({ data: series, signals });
          const peer = peerBacktest(series, signals, capital, commission);
          const trades = engine.getTrades();
          expect(trades.map((t) => [t.entryBarIndex, t.exitBarIndex, t.quantity, t.entryPrice, t.exitPrice])).toEqual(
            peer.trades.map((t) => [t.entryIndex, t.exitIndex, t.quantity, t.entryPrice, t.exitPrice]),
          );
          trades.forEach((t, k) => expect(t.pnl).toBeCloseTo(peer.trades[k]!.pnl, 6));
          const equity = engine.getEquityCurve().equity;
          peer.equity.forEach((e, i) => expect(Math.abs(equity[i]! - e)).toBeLessThanOrEqual(1e-9 * e));
          expect(results.rejectionCount).toBe(engine.getRejections().length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
