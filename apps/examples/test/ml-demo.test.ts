import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoOutcome, RunResults } from '@algo-trading/cli';
import { loadSampleBars } from '@algo-trading/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMlDemo } from '../src/ml-demo';
import { PRODUCT_RISK_DEFAULTS, checkTradesAgainstRules, sharpeOfEquity, type RuleCheckTotals } from './rule-check';

/**
 * Regression test of the ML demo (the same run as `pnpm demo` / `algo-trading demo`): real S&P 500
 * data, walk-forward training of the TensorFlow.js classifier (seed 42, wasm backend), threshold
 * on validation, risk manager, confidence-based sizing, backtest, report. Every trade is checked
 * against the trading rules by an independent replay (./rule-check.ts), and the totals are rebuilt
 * from those checked trades. The pinned figures are this run's output (the model's signals cannot be
 * derived by hand); each total is also rebuilt by the replay. Re-pin from
 * `node --conditions=@algo-trading/source --import tsx apps/examples/src/ml-demo.ts` if a library
 * change moves them on purpose.
 */

const out = join(mkdtempSync(join(tmpdir(), 'algo-examples-')), 'demo');
let outcome: DemoOutcome;
let results: RunResults;

beforeAll(async () => {
  outcome = await runMlDemo({ out });
  results = outcome.results;
}, 120_000);
const rel = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

/** The demo's trades replayed by the rules (./rule-check.ts) over the backtested bars. */
function replay(): RuleCheckTotals {
  // The backtested period of the sample, as the demo reports it.
  const sample = loadSampleBars('sp500');
  const start = sample.time.indexOf(Date.parse(results.dataRange.start));
  const bars = sample.slice(start, start + results.dataRange.bars);
  expect(bars.time[bars.length - 1]).toBe(Date.parse(results.dataRange.end));
  return checkTradesAgainstRules(
    bars,
    results.trades,
    {
      // The demo's configuration: product defaults, lots of 0.01.
      initialCapital: 10_000,
      commissionPct: 0.0015,
      slippageBps: 5,
      ...PRODUCT_RISK_DEFAULTS,
      checkQuantity: (quantity, { capital, entryPrice, stopLoss, multiplier, index }) => {
        // Confidence-based sizing risks 1% (at the minimum confidence) to 2% (at 1) of equity x
        // the zone multiplier over the stop distance, capped at 25% of equity, in lots of 0.01.
        const lots = (x: number) => Math.floor(x * 100 + 1e-9) / 100;
        const cap = (capital * 0.25) / entryPrice;
        const risk = (fraction: number) => (capital * fraction * multiplier) / (entryPrice - stopLoss);
        expect(quantity, `trade ${index}`).toBeGreaterThanOrEqual(lots(Math.min(cap, risk(0.01))));
        expect(quantity, `trade ${index}`).toBeLessThanOrEqual(lots(Math.min(cap, risk(0.02))));
      },
    },
    results.openPositions.map((p) => ({
      entryBarIndex: bars.time.indexOf(p.entryTime),
      quantity: p.quantity,
      entryPrice: p.entryPrice,
      entryCommission: 0.0015 * p.quantity * p.entryPrice,
    })),
  );
}


describe('ML demo', () => {
  it('writes every output and the report', () => {
    expect(readdirSync(out).sort()).toEqual(['equity.csv', 'fills.csv', 'report.html', 'results.json', 'trades.csv']);
    expect(existsSync(outcome.reportPath)).toBe(true);
    expect(results.manifest.seed).toBe(42);
  });

  it('walks forward out of sample only', () => {
    expect(results.dataRange.start).toBe('2008-02-20T00:00:00.000Z');
    expect(results.dataRange.end).toBe('2020-04-15T00:00:00.000Z');
    expect(results.dataRange.bars).toBe(3060);
    const folds = (results.extra['walkForward'] as { folds: { thresholdSource: string; totalReturn: number; trades: number }[] }).folds;
    expect(folds).toHaveLength(4);
    expect(folds.every((f) => f.thresholdSource === 'validation')).toBe(true);
    // The fold table is cut from the same engine run as the headline: the fold returns compound
    // to its total return, prod(1 + r_k) - 1 = final equity / initial capital - 1 (to rounding),
    // and the trades entered in each fold add up to its trade count.
    const compounded = folds.reduce((g, f) => g * (1 + f.totalReturn), 1) - 1;
    expect(Math.abs(compounded - results.headline.totalReturn)).toBeLessThan(1e-12);
    expect(folds.reduce((s, f) => s + f.trades, 0)).toBe(results.headline.trades);
    expect(results.strategy.parameters['fold_thresholds']).toEqual([0.55, 0.6, 0.575, 0.575]);
  });

  it('sizes the first trade by the rules, checked by hand', () => {
    const first = results.trades[0]!;
    const entryFill = results.fills[0]!;
    // Next-open fill plus 5 bps of slippage.
    expect(first.entryPrice).toBeCloseTo(entryFill.referencePrice * 1.0005, 9);
    // Confidence-based risk (1% to 2%) over the 3% hard stop would allow more; the 25% cap of
    // 10,000 gives 2,500 / entry, floored to the demo's 0.01 lot.
    expect(first.quantity).toBe(Math.floor((2500 / first.entryPrice) * 100) / 100);
    expect(first.quantity).toBe(1.83);
    expect(first.initialRisk).toBeCloseTo(first.quantity * first.entryPrice * 0.03, 6);
    expect(first.commission).toBeCloseTo(0.0015 * first.quantity * (first.entryPrice + first.exitPrice), 9);
  });

  it('follows the rules in every trade; the totals rebuilt from the checked trades match the results', () => {
    const totals = replay();
    const metrics = results.metrics as { finalEquity: number };
    expect(rel(metrics.finalEquity, totals.finalEquity)).toBeLessThan(1e-12);
    expect(rel(results.headline.totalReturn, totals.finalEquity / 10_000 - 1)).toBeLessThan(1e-9);
    expect(rel(results.headline.maxDrawdown, totals.maxDrawdown)).toBeLessThan(1e-12);
    expect(results.headline.winRate).toBe(totals.wins / results.trades.length);
    expect(Math.abs(results.headline.sharpeRatio - sharpeOfEquity(totals.equity, 10_000))).toBeLessThan(1e-9);
  });

  it('matches the pinned statistics (the output of this run, each also rebuilt by the rule replay above)', () => {
    const h = results.headline;
    const totals = replay();
    // Pinned from this run (the model's signals decide the trades); the replay gives each total.
    expect(h.trades).toBe(104);
    expect(results.fills).toHaveLength(2 * 104 + results.openPositions.length); // entry and exit per trade
    expect(results.rejections).toHaveLength(78); // records of orders refused by the checks (coalesced)
    // Re-pinned when the classifier's training loop changed (batch size and learning rate 'auto'):
    // the model's signals moved, so the exits and prices did; the replay still rebuilds each total.
    expect(totals.exitReasons).toEqual({ trailing_stop: 19, signal: 25, hard_stop: 35, take_profit: 10, time_stop: 15 });
    expect(totals.wins).toBe(48);
    expect(h.winRate).toBe(48 / 104);
    expect(rel(totals.finalEquity, 9480.041180103517)).toBeLessThan(1e-9);
    expect(rel(h.totalReturn, 9480.041180103517 / 10_000 - 1)).toBeLessThan(1e-9);
    expect(rel(totals.maxDrawdown, -0.08164946160254771)).toBeLessThan(1e-9);
    expect(rel(h.sharpeRatio, -0.23149106162387262)).toBeLessThan(1e-6);
  });
});
