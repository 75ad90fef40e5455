import { beforeAll, describe, expect, it } from 'vitest';
import { runSmaCrossoverExample, type SmaCrossoverExampleResult } from '../src/sma-crossover';
import { PRODUCT_RISK_DEFAULTS as RISK_DEFAULTS, checkTradesAgainstRules } from './rule-check';

/**
 * Regression test of the SMA crossover example on the real S&P 500 sample. Every trade is checked
 * against the trading rules by an independent replay (./rule-check.ts: entries after a 1 signal,
 * fixed-fractional sizing in the drawdown zone of the moment, the risk manager's default exits
 * inside each bar, costs), and every total is rebuilt from those checked trades. The pinned counts
 * and figures at the end are this run's output; each of them is also derived by the replay, so
 * they can only change together with a trade that breaks, or follows, the rules. If a library
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

  it('follows the rules in every trade; the totals rebuilt from the checked trades match the results', () => {
    const r = run.results;
    const totals = checkTradesAgainstRules(run.bars, run.trades, {
      ...RISK_DEFAULTS,
      initialCapital: 100_000,
      commissionPct: 0.0015,
      slippageBps: 5,
      signals: run.signals,
      checkQuantity: (quantity, { capital, entryPrice, stopLoss, multiplier, index }) => {
        // Fixed fractional: 1% of equity x the zone multiplier over the stop distance, capped at
        // 25% of equity, whole units.
        const byRisk = (capital * (0.01 * multiplier)) / (entryPrice - stopLoss);
        const byCap = (capital * 0.25) / entryPrice;
        expect(quantity, `trade ${index} quantity`).toBe(Math.floor(Math.min(byRisk, byCap) + 1e-9));
      },
    });
    expect(rel(r.finalEquity, totals.finalEquity)).toBeLessThan(1e-12);
    expect(rel(r.totalCommission, totals.totalCommission)).toBeLessThan(1e-12);
    expect(rel(r.maxDrawdown, totals.maxDrawdown)).toBeLessThan(1e-12);
    expect(r.winRate).toBe(totals.wins / run.trades.length);
    // The engine's equity curve is the replayed one, bar by bar.
    const curve = run.engine.getEquityCurve().equity;
    for (let i = 0; i < curve.length; i++) expect(Math.abs(curve[i]! - totals.equity[i]!)).toBeLessThan(1e-6);
    // Completeness: every 1 signal while flat became a fill or a recorded rejection at the next open.
    const entries = new Set(run.trades.map((t) => t.entryBarIndex));
    const rejected = new Set(run.engine.getRejections().flatMap((x) => Array.from({ length: x.count }, (_, k) => x.barIndex + k)));
    const inTrade = (i: number) => run.trades.some((t) => t.entryBarIndex <= i && i < t.exitBarIndex);
    for (let i = 0; i + 1 < run.signals.length; i++) {
      if (run.signals[i] === 1 && !inTrade(i)) expect(entries.has(i + 1) || rejected.has(i + 1), `signal at bar ${i}`).toBe(true);
    }
  });

  it('keeps the ledger invariant: final equity - initial = realized + unrealized P&L', () => {
    const r = run.results;
    const realized = run.trades.reduce((sum, t) => sum + t.pnl, 0);
    expect(rel(r.finalEquity - r.initialCapital, realized + r.unrealizedPnl)).toBeLessThan(1e-9);
  });

  it('matches the pinned statistics (the output of this run, each also rebuilt by the rule replay above)', () => {
    const r = run.results;
    const totals = checkTradesAgainstRules(run.bars, run.trades, { ...RISK_DEFAULTS, initialCapital: 100_000, commissionPct: 0.0015, slippageBps: 5, signals: run.signals });
    // Pinned from this run; the replay of the rule-checked trades gives each of them.
    expect(r.bars).toBe(5105); // rows of the S&P 500 sample (2000-01-03 to 2020-04-15)
    expect(r.tradeCount).toBe(57);
    expect(r.fillCount).toBe(2 * 57); // every trade closed: an entry and an exit fill each
    expect(r.openPositions).toHaveLength(0);
    expect(totals.exitReasons).toEqual({ hard_stop: 15, trailing_stop: 15, take_profit: 3, time_stop: 20, signal: 4 });
    expect(totals.wins).toBe(33);
    expect(r.winRate).toBe(33 / 57);
    // Re-pinned when take-profits became limit orders (filled at the target, no slippage below it)
    // and touched stops were capped at the bar's range: the same 57 trades on the same bars, 3
    // take-profit and 3 stop prices higher.
    expect(rel(totals.finalEquity, 100497.29960359733)).toBeLessThan(1e-9);
    expect(rel(r.finalEquity, totals.finalEquity)).toBeLessThan(1e-12);
    expect(rel(r.totalReturn, totals.finalEquity / 100_000 - 1)).toBeLessThan(1e-9);
    expect(rel(totals.maxDrawdown, -0.05389324326692062)).toBeLessThan(1e-9);
    expect(rel(totals.totalCommission, 3962.4364946390992)).toBeLessThan(1e-9);
    // Long only: a cross down while flat is one no_short rejection at the next open (none for the
    // last bar, which has no next open). Counted here from the signals and the checked trades.
    const inTrade = (i: number) => run.trades.some((t) => t.entryBarIndex <= i && i < t.exitBarIndex);
    let freshShorts = 0;
    for (let i = 0; i + 1 < run.signals.length; i++) if (run.signals[i] === -1 && !inTrade(i)) freshShorts++;
    expect(run.engine.getRejections().every((x) => x.reasons.every((reason) => reason.code === 'no_short'))).toBe(true);
    expect(r.rejectionCount).toBe(freshShorts);
    expect(r.rejectionCount).toBe(53);
  });
});
