import { beforeAll, describe, expect, it } from 'vitest';
import { runSmaCrossoverExample, type SmaCrossoverExampleResult } from '../src/sma-crossover';

/**
 * Regression test of the SMA crossover example on the real S&P 500 sample. The pinned figures
 * were checked by hand on the first trade (below) and against the ledger invariant; if a library
 * change moves them on purpose, re-pin from
 * `node --conditions=@algo-trading/source --import tsx apps/examples/src/sma-crossover.ts`.
 */

let run: SmaCrossoverExampleResult;

beforeAll(async () => {
  run = await runSmaCrossoverExample();
}, 60_000);
const rel = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('SMA crossover example (20/50, fixed fractional, risk manager)', () => {
  it('trades the first cross up by the rules, checked by hand', () => {
    const first = run.trades[0]!;
    const signalBar = run.signals.indexOf(1);
    expect(signalBar).toBe(56);
    // The signal of bar 56 fills at bar 57's open plus 5 bps of slippage.
    expect(first.entryBarIndex).toBe(57);
    const entry = run.bars.open[57]! * 1.0005;
    expect(first.entryPrice).toBeCloseTo(entry, 9);
    // Risk: 1% of 100,000 over a 3% stop would buy 21.8 units; the 25% cap allows 25,000 / 1528.11 = 16.36 -> 16.
    const stop = entry * 0.97;
    expect(Math.floor((1000 / (entry - stop)) * 1e9) / 1e9).toBeGreaterThan(21);
    expect(first.quantity).toBe(16);
    expect(first.initialRisk).toBeCloseTo(16 * (entry - stop), 9);
    // The hard stop fills at the stop less slippage, four bars later.
    expect(first.exitReason).toBe('hard_stop');
    expect(first.exitPrice).toBeCloseTo(stop * 0.9995, 9);
    expect(first.barsHeld).toBe(4);
    // Commission 0.15% on both legs; P&L net of it.
    expect(first.commission).toBeCloseTo(0.0015 * 16 * (entry + first.exitPrice), 9);
    expect(first.pnl).toBeCloseTo(16 * (first.exitPrice - entry) - first.commission, 9);
  });

  it('keeps the ledger invariant: final equity - initial = realized + unrealized P&L', () => {
    const r = run.results;
    const realized = run.trades.reduce((sum, t) => sum + t.pnl, 0);
    expect(rel(r.finalEquity - r.initialCapital, realized + r.unrealizedPnl)).toBeLessThan(1e-9);
  });

  it('matches the pinned statistics', () => {
    const r = run.results;
    expect(r.bars).toBe(5105);
    expect(r.tradeCount).toBe(57);
    expect(r.fillCount).toBe(114);
    expect(r.openPositions).toHaveLength(0);
    // Re-pinned when take-profits became limit orders (filled at the target, no slippage below it)
    // and touched stops were capped at the bar's range: the same 57 trades on the same bars, 3
    // take-profit and 3 stop prices higher.
    expect(rel(r.finalEquity, 100497.29960359733)).toBeLessThan(1e-6);
    expect(rel(r.totalReturn, 0.0049729960359733)).toBeLessThan(1e-6);
    expect(rel(r.maxDrawdown, -0.05389324326692062)).toBeLessThan(1e-6);
    expect(rel(r.totalCommission, 3962.4364946390992)).toBeLessThan(1e-6);
    expect(r.winRate).toBeCloseTo(33 / 57, 12);
    const reasons: Record<string, number> = {};
    for (const t of run.trades) reasons[t.exitReason] = (reasons[t.exitReason] ?? 0) + 1;
    expect(reasons).toEqual({ hard_stop: 15, trailing_stop: 15, take_profit: 3, time_stop: 20, signal: 4 });
    // Cross-down signals while flat (long only) are recorded as no_short rejections.
    expect(run.engine.getRejections().every((x) => x.reasons.every((reason) => reason.code === 'no_short'))).toBe(true);
    expect(r.rejectionCount).toBe(53);
  });
});
