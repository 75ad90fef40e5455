/**
 * Example: an SMA crossover on the real S&P 500 daily bars, sized with fixed-fractional sizing
 * and guarded by the risk manager (no ML). Runs in about a second.
 *
 *   node --conditions=@algo-trading/source --import tsx apps/examples/src/sma-crossover.ts
 */
import { pathToFileURL } from 'node:url';
import { BacktestEngine, type BacktestResults } from '@algo-trading/backtesting';
import { headlineFromResults, renderSummaryTable } from '@algo-trading/cli';
import type { BarSeries, Trade } from '@algo-trading/core';
import { loadSampleBars } from '@algo-trading/data';
import { RiskManager } from '@algo-trading/risk';
import { FixedFractionalSizing } from '@algo-trading/sizing';
import { smaCrossSignals } from '@algo-trading/strategies';

/** Settings of {@link runSmaCrossoverExample}; every key optional. */
export interface SmaCrossoverExampleOptions {
  /** Fast SMA period (default 20). */
  readonly fast?: number;
  /** Slow SMA period (default 50). */
  readonly slow?: number;
  /** Starting cash (default 100,000: with whole units, 25% of it buys several units of the index). */
  readonly initialCapital?: number;
}

/** What the example produced. */
export interface SmaCrossoverExampleResult {
  readonly bars: BarSeries;
  readonly signals: Int8Array;
  readonly results: BacktestResults;
  readonly trades: readonly Trade[];
  readonly engine: BacktestEngine;
}

/**
 * Loads the S&P 500 sample, computes SMA crossover signals (1 on a cross up, -1 on a cross down),
 * and backtests them with 1% risk per trade to the risk manager's 3% hard stop (fixed-fractional
 * sizing, positions capped at 25% of equity), the product's risk rules, 0.15% commission and
 * 5 bps slippage, fills at the next open.
 */
export async function runSmaCrossoverExample(options: SmaCrossoverExampleOptions = {}): Promise<SmaCrossoverExampleResult> {
  const { fast = 20, slow = 50, initialCapital = 100_000 } = options;
  const bars = await loadSampleBars('sp500');
  const signals = smaCrossSignals(bars.close, { fast, slow });
  const engine = new BacktestEngine({
    initialCapital,
    riskManager: new RiskManager({ initialCapital }),
    positionSizer: new FixedFractionalSizing({ riskFraction: 0.01, maxPositionFraction: 0.25 }),
    commissionPct: 0.0015,
    slippageBps: 5,
  });
  const results = await engine.runBacktest({ data: bars, signals });
  return { bars, signals, results, trades: engine.getTrades(), engine };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { results } = await runSmaCrossoverExample();
  console.log(
    renderSummaryTable(
      headlineFromResults(results),
      'SMA crossover (20/50) on the S&P 500, fixed-fractional sizing and the risk manager',
    ),
  );
  console.log(`Final equity ${results.finalEquity.toFixed(2)} from ${results.initialCapital}`);
}
