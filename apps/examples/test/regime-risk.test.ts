import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REGIME_RISK_DEFAULTS, backtestRegimeRun, regimeRiskScale, runRegimeRiskExample, type RegimeComparison, type RegimeRiskExampleResult, type RegimeRun } from '../src/regime-risk';
import { PRODUCT_RISK_DEFAULTS, checkTradesAgainstRules } from './rule-check';

/**
 * The regime-risk example on the real S&P 500 sample, as a test of properties, not of returns:
 * the regimes are causal (truncation), well formed (probabilities in [0, 1], no NaN after the
 * warm-up), the multiplier is the policy's formula, every entry of both runs is sized by the rule
 * (zone multiplier x the regime multiplier of the decision bar: never the fill bar's), both runs
 * keep the ledger invariants (an independent replay rebuilds their equity bar by bar), and the
 * scaled run holds less in the high-volatility regime.
 */

const out = mkdtempSync(join(tmpdir(), 'algo-examples-regime-'));
let run: RegimeRiskExampleResult;

beforeAll(async () => {
  run = await runRegimeRiskExample({ out });
}, 120_000);

const rel = (actual: number, expected: number) => Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
const { riskFraction, multipliers } = REGIME_RISK_DEFAULTS;

/**
 * Replays `r`'s trades by the trading rules and checks each entry's size: fixed fractional, 0.5%
 * of the equity x the zone multiplier x the regime multiplier at the bar before the entry (the
 * decision bar; `scaled` false: 1), over the 3% stop distance, whole units; and that it is at most
 * the unscaled rule's size at the same equity times that multiplier.
 */
function replay(comparison: RegimeComparison, r: RegimeRun, scaled: boolean) {
  const { bars, signals, start } = comparison;
  return checkTradesAgainstRules(
    bars,
    r.trades,
    {
      ...PRODUCT_RISK_DEFAULTS,
      initialCapital: REGIME_RISK_DEFAULTS.initialCapital,
      commissionPct: REGIME_RISK_DEFAULTS.commissionPct,
      slippageBps: REGIME_RISK_DEFAULTS.slippageBps,
      signals,
      checkQuantity: (quantity, { capital, entryPrice, stopLoss, multiplier, index }) => {
        const decisionBar = start + r.trades[index]!.entryBarIndex - 1;
        const regime = scaled ? run.riskScale.values[decisionBar]! : 1;
        const unscaled = (capital * riskFraction * multiplier) / (entryPrice - stopLoss);
        expect(quantity, `${r.label}: trade ${index}`).toBe(Math.floor(unscaled * regime + 1e-9));
        expect(quantity, `${r.label}: trade ${index}`).toBeLessThanOrEqual(unscaled * regime + 1e-9);
      },
    },
    r.results.openPositions.map((p) => ({
      entryBarIndex: bars.time.indexOf(p.entryTime),
      quantity: p.quantity,
      entryPrice: p.entryPrice,
      entryCommission: REGIME_RISK_DEFAULTS.commissionPct * p.quantity * p.entryPrice,
    })),
  );
}

describe('regime-risk example (S&P 500, walk-forward HMM, SMA crossover with and without regime scaling)', () => {
  it('regimes: probabilities in [0, 1] summing to 1, no NaN after the warm-up, the multiplier by the policy formula', () => {
    const { regimes, highVolatility, riskScale, bars } = run;
    expect(regimes.states).toBe(2);
    expect(regimes.features).toEqual(['logReturn', 'logVolatility']);
    // The first usable row is the first with a 10-return volatility; the first fit needs 1,000 rows.
    expect(regimes.firstUsableRow).toBe(10);
    expect(regimes.warmup).toBe(1010);
    expect(Array.from(riskScale.time)).toEqual(Array.from(bars.time));
    for (let t = 0; t < bars.length; t++) {
      const p0 = regimes.probabilities[2 * t]!;
      const p1 = regimes.probabilities[2 * t + 1]!;
      if (t < regimes.warmup) {
        expect(Number.isNaN(p0) && Number.isNaN(p1), `bar ${t}`).toBe(true);
        expect(riskScale.values[t], `bar ${t}`).toBe(1);
        continue;
      }
      expect(p0 >= 0 && p0 <= 1 && p1 >= 0 && p1 <= 1, `bar ${t}`).toBe(true);
      expect(Math.abs(p0 + p1 - 1), `bar ${t}`).toBeLessThan(1e-12);
      expect(highVolatility[t]).toBe(p1);
      // Expected mode: 1 x P(calm) + 0.25 x P(high vol).
      expect(Math.abs(riskScale.values[t]! - (multipliers[0]! * p0 + multipliers[1]! * p1)), `bar ${t}`).toBeLessThan(1e-12);
    }
    // State 1 is the turbulent one in every fit, and it is found in the autumn of 2008.
    for (const fold of regimes.folds) expect(fold.params.variances[1]![0]!).toBeGreaterThan(fold.params.variances[0]![0]!);
    const autumn2008 = bars.time.findIndex((t) => t >= Date.parse('2008-10-01'));
    expect(highVolatility[autumn2008]!).toBeGreaterThan(0.5);
  });

  it('no look-ahead: the multiplier at bar t is unchanged when the later bars are removed', () => {
    for (const cut of [2500, 4000]) {
      const truncated = regimeRiskScale(run.bars.slice(0, cut));
      expect(Array.from(truncated.riskScale.values), `cut ${cut}`).toEqual(Array.from(run.riskScale.values.subarray(0, cut)));
      expect(Array.from(truncated.highVolatility), `cut ${cut}`).toEqual(Array.from(run.highVolatility.subarray(0, cut)));
    }
  }, 60_000);

  it('no look-ahead end to end: the scaled run on truncated bars has the same equity up to the cut', async () => {
    const cut = 4000;
    const bars = run.bars.slice(0, cut);
    const { riskScale } = regimeRiskScale(bars);
    const { engine } = await backtestRegimeRun('truncated', bars, run.signals.slice(0, cut), riskScale);
    expect(Array.from(engine.getEquityCurve().equity)).toEqual(Array.from(run.full.scaled.engine.getEquityCurve().equity.subarray(0, cut)));
  }, 60_000);

  it('sizes every entry of both runs by the rule (zone x regime multiplier of the decision bar); the ledgers replay exactly', () => {
    for (const comparison of [run.full, run.outOfSample]) {
      for (const [r, scaled] of [
        [comparison.plain, false],
        [comparison.scaled, true],
      ] as const) {
        expect(r.trades.length, r.label).toBeGreaterThan(20);
        const totals = replay(comparison, r, scaled);
        const results = r.results;
        // Ledger invariants: the engine's equity is the replayed cash + position at every close,
        // final equity - initial = realized + unrealized P&L, costs add up.
        const curve = r.engine.getEquityCurve().equity;
        for (let i = 0; i < curve.length; i++) expect(Math.abs(curve[i]! - totals.equity[i]!), `${r.label} bar ${i}`).toBeLessThan(1e-6);
        expect(rel(results.finalEquity, totals.finalEquity)).toBeLessThan(1e-12);
        expect(rel(results.totalCommission, totals.totalCommission)).toBeLessThan(1e-12);
        const realized = r.trades.reduce((sum, t) => sum + t.pnl, 0);
        expect(rel(results.finalEquity - results.initialCapital, realized + results.unrealizedPnl)).toBeLessThan(1e-9);
        expect(Math.min(...r.engine.getEquityCurve().cash)).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('the whole-sample runs are the same run until the first fit (multiplier 1), then differ', () => {
    const plain = run.full.plain.engine.getEquityCurve().equity;
    const scaled = run.full.scaled.engine.getEquityCurve().equity;
    const w = run.regimes.warmup;
    expect(Array.from(scaled.subarray(0, w + 1))).toEqual(Array.from(plain.subarray(0, w + 1)));
    expect(scaled[plain.length - 1]).not.toBe(plain[plain.length - 1]);
    // The same signals trade: the scaling changes sizes, not the entries and exits.
    expect(run.full.scaled.trades.map((t) => [t.entryBarIndex, t.exitBarIndex])).toEqual(run.full.plain.trades.map((t) => [t.entryBarIndex, t.exitBarIndex]));
  });

  it('holds less in the high-volatility regime: lower exposure than the unscaled run there, and cut more than in calm bars', () => {
    for (const { summary } of [run.full, run.outOfSample]) {
      expect(summary.scaled.highVolatilityExposure).toBeLessThan(summary.plain.highVolatilityExposure);
      expect(summary.scaled.averageExposure).toBeLessThan(summary.plain.averageExposure);
      const highRatio = summary.scaled.highVolatilityExposure / summary.plain.highVolatilityExposure;
      const calmRatio = summary.scaled.calmExposure / summary.plain.calmExposure;
      expect(highRatio).toBeLessThan(calmRatio);
      // Scaling never adds exposure: the multiplier is at most 1.
      expect(calmRatio).toBeLessThanOrEqual(1 + 1e-12);
    }
  });

  it('out of sample: both runs start after the first training window with fresh capital', () => {
    const oos = run.outOfSample;
    expect(oos.start).toBe(run.regimes.warmup);
    expect(oos.bars.time[0]).toBe(run.bars.time[oos.start]);
    expect(oos.bars.length).toBe(run.bars.length - oos.start);
    for (const r of [oos.plain, oos.scaled]) {
      expect(r.results.initialCapital).toBe(REGIME_RISK_DEFAULTS.initialCapital);
      expect(r.results.bars).toBe(oos.bars.length);
    }
  });

  it('writes a self-contained HTML report: the regime chart under the price, the runs side by side', () => {
    expect(run.reportPath).toBe(join(out, 'regime-risk.html'));
    expect(existsSync(run.reportPath!)).toBe(true);
    const html = readFileSync(run.reportPath!, 'utf8');
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toContain('<script');
    for (const chart of ['price-regime', 'equity-oos', 'equity-full']) expect(html).toContain(`data-chart="${chart}"`);
    expect(html.indexOf('Filtered P(high-volatility regime)')).toBeGreaterThan(html.indexOf('S&amp;P 500 close'));
    for (const comparison of [run.full, run.outOfSample]) {
      for (const summary of [comparison.summary.plain, comparison.summary.scaled]) {
        expect(html).toContain(summary.finalEquity.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
      }
    }
  });
});
