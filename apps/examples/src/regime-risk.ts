/**
 * Example: regime-aware risk on the real S&P 500 daily bars. A 2-state Gaussian HMM on daily log
 * returns and log realized volatility is refit walk-forward (past data only); the filtered
 * probability of the high-volatility state becomes a risk multiplier (RegimeRiskPolicy), which
 * the risk manager composes with its drawdown-zone multiplier inside the backtest engine. The SMA
 * crossover is backtested with and without that scaling through the same engine, over the whole
 * sample and out of sample (the bars after the first training window), and an HTML report shows
 * the regime probability under the price chart and the two runs side by side.
 *
 *   node --conditions=@algo-trading/source --import tsx apps/examples/src/regime-risk.ts [out-dir]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BacktestEngine, type BacktestResults } from '@algo-trading/backtesting';
import {
  CHART_POINTS,
  COLORS,
  downsamplePairs,
  equityOverlayChart,
  escapeHtml,
  formatReportNumber,
  htmlTable,
  renderChartSvg,
  renderReportPage,
} from '@algo-trading/cli';
import type { BarSeries, RiskScaleSeries, Trade } from '@algo-trading/core';
import { loadSampleBars } from '@algo-trading/data';
import { RegimeRiskPolicy, logReturns, realizedVolatility, walkForwardRegimes, type WalkForwardRegimesResult } from '@algo-trading/regimes';
import { RiskManager } from '@algo-trading/risk';
import { FixedFractionalSizing } from '@algo-trading/sizing';
import { smaCrossSignals } from '@algo-trading/strategies';

/** The example's settings (every one can be overridden through {@link RegimeRiskExampleOptions}). */
export const REGIME_RISK_DEFAULTS = Object.freeze({
  /** SMA crossover periods. */
  fast: 20,
  slow: 50,
  initialCapital: 100_000,
  /**
   * Fixed-fractional sizing: 0.5% of equity at risk to the 3% hard stop (a position of 16.7% of
   * equity at full risk, below the 25% cap, so the risk multiplier always scales the size).
   */
  riskFraction: 0.005,
  maxPositionFraction: 0.25,
  commissionPct: 0.0015,
  slippageBps: 5,
  /** Window of the realized-volatility feature, in returns. */
  volatilityWindow: 10,
  /** Each fit uses the previous 1,000 bars (about four years) and labels the next 63 (a quarter). */
  trainWindow: 1000,
  refitEvery: 63,
  /** HMM restarts and seed (seeded: the same bars give the same regimes). */
  restarts: 2,
  seed: 7,
  /** Risk multiplier of the calm and of the high-volatility state: expected value 1 - 0.75 x P(high vol). */
  multipliers: Object.freeze([1, 0.25]) as readonly number[],
});

/** Options of {@link runRegimeRiskExample}; every key optional. */
export type RegimeRiskExampleOptions = Partial<typeof REGIME_RISK_DEFAULTS> & {
  /** Folder to write `regime-risk.html` to; none: no report. */
  readonly out?: string | undefined;
};

/** The regime side of the example: what {@link regimeRiskScale} computes from the bars. */
export interface RegimeRiskScale {
  readonly regimes: WalkForwardRegimesResult;
  /** Filtered P(high-volatility state) per bar (state 1: states are ordered by return variance); NaN in the warm-up. */
  readonly highVolatility: Float64Array;
  /** The policy's multiplier per bar, keyed by the bars' times (1 in the warm-up). */
  readonly riskScale: RiskScaleSeries & { readonly values: Float64Array };
  readonly policy: RegimeRiskPolicy;
}

/** One backtest of the example. */
export interface RegimeRun {
  readonly label: string;
  readonly results: BacktestResults;
  readonly trades: readonly Trade[];
  readonly engine: BacktestEngine;
  /** Gross exposure at each bar's close: position value / equity (0 when flat). */
  readonly grossExposure: Float64Array;
}

/** Figures of one run for the side-by-side table. */
export interface RegimeRunSummary {
  readonly totalReturn: number;
  readonly cagr: number;
  readonly sharpeRatio: number;
  readonly maxDrawdown: number;
  /** Fraction of bars closed with a position (the engine's `exposure`). */
  readonly timeInMarket: number;
  /** Mean gross exposure over every bar. */
  readonly averageExposure: number;
  /** Mean gross exposure over the bars whose filtered P(high vol) is at least 0.5. */
  readonly highVolatilityExposure: number;
  /** Mean gross exposure over the bars whose filtered P(high vol) is below 0.5. */
  readonly calmExposure: number;
  readonly trades: number;
  readonly finalEquity: number;
}

/** A pair of runs over the same bars: without and with regime scaling. */
export interface RegimeComparison {
  /** Index of the first bar of this period in the sample. */
  readonly start: number;
  readonly bars: BarSeries;
  readonly signals: Int8Array;
  readonly plain: RegimeRun;
  readonly scaled: RegimeRun;
  readonly summary: { readonly plain: RegimeRunSummary; readonly scaled: RegimeRunSummary };
}

/** What the example produced. */
export interface RegimeRiskExampleResult extends RegimeRiskScale {
  readonly settings: typeof REGIME_RISK_DEFAULTS;
  readonly bars: BarSeries;
  readonly signals: Int8Array;
  /** The whole sample (the first `regimes.warmup` bars have no regime yet: multiplier 1). */
  readonly full: RegimeComparison;
  /** Out of sample: the bars from `regimes.warmup` on, after the first training window. */
  readonly outOfSample: RegimeComparison;
  /** Path of the HTML report, or null without `out`. */
  readonly reportPath: string | null;
}

function settingsOf(options: RegimeRiskExampleOptions): typeof REGIME_RISK_DEFAULTS {
  const { out: _out, ...rest } = options;
  return Object.freeze({ ...REGIME_RISK_DEFAULTS, ...rest });
}

/**
 * The regime risk multiplier of every bar, causal: a 2-state HMM on (log return, log realized
 * volatility) refit walk-forward, its filtered P(high-volatility state) mapped by a
 * `RegimeRiskPolicy` (expected mode) to a multiplier. The value at bar t uses bars up to t only.
 */
export function regimeRiskScale(bars: BarSeries, options: RegimeRiskExampleOptions = {}): RegimeRiskScale {
  const s = settingsOf(options);
  const logVolatility = realizedVolatility(bars, { window: s.volatilityWindow }).map(Math.log);
  const regimes = walkForwardRegimes({
    bars,
    features: { logReturn: logReturns(bars), logVolatility },
    model: { states: 2, seed: s.seed, restarts: s.restarts },
    trainWindow: s.trainWindow,
    refitEvery: s.refitEvery,
  });
  const highVolatility = new Float64Array(bars.length);
  for (let t = 0; t < bars.length; t++) highVolatility[t] = regimes.probabilities[2 * t + 1]!;
  const policy = new RegimeRiskPolicy({ multipliers: [...s.multipliers] });
  const riskScale = policy.riskScale({ time: bars.time, probabilities: regimes.probabilities });
  return { regimes, highVolatility, riskScale: riskScale as RegimeRiskScale['riskScale'], policy };
}

/**
 * One backtest of the example's strategy on `bars`: the SMA crossover `signals`, fixed-fractional
 * sizing, the risk manager with the product rules and `riskScale` (null: none), the costs.
 */
export async function backtestRegimeRun(
  label: string,
  bars: BarSeries,
  signals: Int8Array,
  riskScale: RiskScaleSeries | null,
  options: RegimeRiskExampleOptions = {},
): Promise<RegimeRun> {
  const s = settingsOf(options);
  const engine = new BacktestEngine({
    initialCapital: s.initialCapital,
    riskManager: new RiskManager({ initialCapital: s.initialCapital, riskScale }),
    positionSizer: new FixedFractionalSizing({ riskFraction: s.riskFraction, maxPositionFraction: s.maxPositionFraction }),
    commissionPct: s.commissionPct,
    slippageBps: s.slippageBps,
  });
  const results = await engine.runBacktest({ data: bars, signals });
  const weights = Object.values(engine.getHoldings().weights)[0]!;
  const grossExposure = Float64Array.from(weights, Math.abs);
  return { label, results, trades: engine.getTrades(), engine, grossExposure };
}

function meanWhere(values: Float64Array, keep: (t: number) => boolean): number {
  let sum = 0;
  let n = 0;
  for (let t = 0; t < values.length; t++) {
    if (!keep(t)) continue;
    sum += values[t]!;
    n++;
  }
  return n === 0 ? Number.NaN : sum / n;
}

/** The side-by-side figures of `run`; `highVolatility` is aligned with the run's bars. */
export function summarizeRun(run: RegimeRun, highVolatility: ArrayLike<number>): RegimeRunSummary {
  const r = run.results;
  return {
    totalReturn: r.totalReturn,
    cagr: r.cagr,
    sharpeRatio: r.sharpeRatio,
    maxDrawdown: r.maxDrawdown,
    timeInMarket: r.exposure,
    averageExposure: meanWhere(run.grossExposure, () => true),
    highVolatilityExposure: meanWhere(run.grossExposure, (t) => highVolatility[t]! >= 0.5),
    calmExposure: meanWhere(run.grossExposure, (t) => highVolatility[t]! < 0.5),
    trades: r.tradeCount,
    finalEquity: r.finalEquity,
  };
}

async function compare(start: number, bars: BarSeries, signals: Int8Array, scale: RegimeRiskScale, s: typeof REGIME_RISK_DEFAULTS): Promise<RegimeComparison> {
  const plain = await backtestRegimeRun('without regime scaling', bars, signals, null, s);
  // The series is keyed by time: the risk manager reads it as of each bar, whatever the slice.
  const scaled = await backtestRegimeRun('with regime scaling', bars, signals, scale.riskScale, s);
  const high = scale.highVolatility.subarray(start, start + bars.length);
  return { start, bars, signals, plain, scaled, summary: { plain: summarizeRun(plain, high), scaled: summarizeRun(scaled, high) } };
}

/**
 * Runs the example: regimes walk-forward, the risk multiplier, the SMA crossover backtested
 * without and with regime scaling over the whole sample and out of sample, and the report.
 */
export async function runRegimeRiskExample(options: RegimeRiskExampleOptions = {}): Promise<RegimeRiskExampleResult> {
  const s = settingsOf(options);
  const bars = loadSampleBars('sp500');
  const scale = regimeRiskScale(bars, s);
  // SMAs over the whole sample (causal): the out-of-sample period starts with warmed-up averages.
  const signals = smaCrossSignals(bars.close, { fast: s.fast, slow: s.slow });
  const full = await compare(0, bars, signals, scale, s);
  const start = scale.regimes.warmup;
  const outOfSample = await compare(start, bars.slice(start), signals.slice(start), scale, s);
  const result: RegimeRiskExampleResult = { ...scale, settings: s, bars, signals, full, outOfSample, reportPath: null };
  if (options.out === undefined) return result;
  const folder = resolve(options.out);
  mkdirSync(folder, { recursive: true });
  const reportPath = join(folder, 'regime-risk.html');
  writeFileSync(reportPath, renderRegimeRiskReport(result));
  return { ...result, reportPath };
}

// ---------------------------------------------------------------------------------------------
// Report

const pct = (value: number) => `${formatReportNumber(value * 100, 2)}%`;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Rows of the side-by-side table: the metric, then without / with for the whole sample and out of sample. */
export function comparisonRows(result: Pick<RegimeRiskExampleResult, 'full' | 'outOfSample'>): string[][] {
  const runs = [result.full.summary.plain, result.full.summary.scaled, result.outOfSample.summary.plain, result.outOfSample.summary.scaled];
  const row = (name: string, pick: (s: RegimeRunSummary) => string) => [escapeHtml(name), ...runs.map(pick)];
  return [
    row('total return', (s) => pct(s.totalReturn)),
    row('CAGR', (s) => pct(s.cagr)),
    row('Sharpe ratio', (s) => formatReportNumber(s.sharpeRatio, 2)),
    row('max drawdown', (s) => pct(s.maxDrawdown)),
    row('time in market', (s) => pct(s.timeInMarket)),
    row('mean gross exposure', (s) => pct(s.averageExposure)),
    row('mean gross exposure, P(high vol) >= 0.5', (s) => pct(s.highVolatilityExposure)),
    row('mean gross exposure, P(high vol) < 0.5', (s) => pct(s.calmExposure)),
    row('trades', (s) => String(s.trades)),
    row('final equity', (s) => formatReportNumber(s.finalEquity, 2)),
  ];
}

/** The price with the regime probability and the risk multiplier underneath, sharing the time axis. */
function priceRegimeChart(result: RegimeRiskExampleResult): string {
  const { bars, highVolatility, riskScale, regimes } = result;
  const w = regimes.warmup;
  const time = bars.time;
  const min = time[0]!;
  const max = time[bars.length - 1]!;
  return renderChartSvg(
    {
      title: [
        { text: 'S&P 500 close', left: 10, top: 4, textStyle: { fontSize: 14 } },
        { text: 'Filtered P(high-volatility regime) and the risk multiplier', left: 10, top: '60%', textStyle: { fontSize: 14 } },
      ],
      legend: { top: '60%', right: 30, data: ['P(high volatility)', 'risk multiplier'] },
      grid: [
        { left: 80, right: 30, top: 34, height: '48%' },
        { left: 80, right: 30, top: '67%', bottom: 36 },
      ],
      xAxis: [
        { type: 'time', gridIndex: 0, min, max, axisLabel: { show: false } },
        { type: 'time', gridIndex: 1, min, max },
      ],
      yAxis: [
        { type: 'value', gridIndex: 0, scale: true },
        { type: 'value', gridIndex: 1, min: 0, max: 1 },
      ],
      series: [
        {
          name: 'close',
          type: 'line',
          xAxisIndex: 0,
          yAxisIndex: 0,
          data: downsamplePairs(time, bars.close, { maxPoints: CHART_POINTS }),
          showSymbol: false,
          color: COLORS.strategy,
          lineStyle: { width: 1.2, color: COLORS.strategy },
          markLine: { silent: true, symbol: 'none', label: { formatter: 'out of sample' }, lineStyle: { color: COLORS.benchmark, type: 'dashed' }, data: [{ xAxis: time[w]! }] },
        },
        {
          name: 'P(high volatility)',
          type: 'line',
          xAxisIndex: 1,
          yAxisIndex: 1,
          data: downsamplePairs(time.subarray(w), highVolatility.subarray(w), { maxPoints: CHART_POINTS }),
          showSymbol: false,
          color: COLORS.loss,
          lineStyle: { width: 0.8, color: COLORS.loss },
          areaStyle: { color: COLORS.loss, opacity: 0.25 },
        },
        {
          name: 'risk multiplier',
          type: 'line',
          xAxisIndex: 1,
          yAxisIndex: 1,
          data: downsamplePairs(time, riskScale.values, { maxPoints: CHART_POINTS }),
          showSymbol: false,
          color: COLORS.benchmark,
          lineStyle: { width: 1, color: COLORS.benchmark },
        },
      ],
    },
    1000,
    600,
  );
}

function equityChart(comparison: RegimeComparison): string {
  const curve = (run: RegimeRun) => {
    const c = run.engine.getEquityCurve();
    return { label: run.label, time: c.time, equity: c.equity, drawdown: c.drawdown };
  };
  return equityOverlayChart([curve(comparison.plain), curve(comparison.scaled)], { indexed: false });
}

/** The self-contained HTML report of the example (static SVG charts, no script, nothing loaded from the network). */
export function renderRegimeRiskReport(result: RegimeRiskExampleResult): string {
  const { bars, regimes, settings: s } = result;
  const oosStart = result.outOfSample.start;
  const folds = regimes.folds;
  const converged = folds.filter((f) => f.converged).length;
  const setup = htmlTable(
    ['item', 'value'],
    [
      ['data', `S&amp;P 500 daily bars, ${iso(bars.time[0]!)} to ${iso(bars.time[bars.length - 1]!)} (${bars.length} bars)`],
      ['strategy', `SMA crossover ${s.fast}/${s.slow}, long only, fills at the next open`],
      ['sizing', `fixed fractional: ${pct(s.riskFraction)} of equity at risk to the 3% hard stop, positions capped at ${pct(s.maxPositionFraction)} of equity`],
      ['risk manager', "product rules (stops, trailing, take-profit, time stop, drawdown zones, heat, daily loss)"],
      ['costs', `${pct(s.commissionPct)} commission per fill, ${s.slippageBps} bps slippage`],
      [
        'regime model',
        `2-state Gaussian HMM (diagonal covariances, ${s.restarts} seeded restarts) on the daily log return and the log of the ${s.volatilityWindow}-day realized volatility; state 1 is the one with the larger return variance`,
      ],
      ['walk-forward', `refit every ${s.refitEvery} bars on the previous ${s.trainWindow}; ${folds.length} fits, ${converged} converged; filtered probabilities only`],
      ['risk multiplier', `RegimeRiskPolicy, expected mode: ${s.multipliers[0]} x P(calm) + ${s.multipliers[1]} x P(high vol); 1 before the first fit`],
      ['composition', "the risk manager's drawdown-zone multiplier x the regime multiplier, read at each bar's close"],
      ['out of sample', `from ${iso(bars.time[oosStart]!)} (bar ${oosStart}, after the first training window): both runs restart with ${formatReportNumber(s.initialCapital, 0)}`],
    ],
    'setup',
  );
  return renderReportPage({
    title: 'Regime-aware risk: SMA crossover on the S&P 500',
    extraStyle: 'table.setup th, table.setup td { white-space: normal; text-align: left; } table.setup td:first-child { white-space: nowrap; }',
    subtitle: `with and without a regime risk multiplier, through the same engine &middot; ${escapeHtml(iso(bars.time[0]!))} to ${escapeHtml(iso(bars.time[bars.length - 1]!))}`,
    body: `<section id="setup"><h2>Setup</h2>
${setup}
</section>

<section id="regimes"><h2>Price and regime</h2>
<div class="chart" data-chart="price-regime">${priceRegimeChart(result)}</div>
<p class="note">The probability at each bar is filtered (data up to that bar) from a model fitted on earlier bars only; the multiplier of a bar sizes the entries decided at its close. Nothing is shown before the first fit (bar ${regimes.warmup}). Long series are downsampled for drawing.</p>
</section>

<section id="comparison"><h2>Side by side</h2>
${htmlTable(['', 'whole sample, without', 'whole sample, with', 'out of sample, without', 'out of sample, with'], comparisonRows(result))}
<p class="note">Gross exposure is the position's value over equity at each close. The whole-sample runs are identical until the first fit (multiplier 1). The out-of-sample runs start at bar ${oosStart} with fresh capital.</p>
</section>

<section id="equity-oos"><h2>Out of sample: equity and drawdown</h2>
<div class="chart" data-chart="equity-oos">${equityChart(result.outOfSample)}</div>
</section>

<section id="equity-full"><h2>Whole sample: equity and drawdown</h2>
<div class="chart" data-chart="equity-full">${equityChart(result.full)}</div>
</section>`,
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runRegimeRiskExample({ out: process.argv[2] ?? 'results/regime-risk' });
  const head = ['metric', 'full, without', 'full, with', 'OOS, without', 'OOS, with'];
  const rows = comparisonRows(result).map((r) => r.map((c) => c.replace(/&amp;/g, '&').replace(/&gt;/g, '>').replace(/&lt;/g, '<')));
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ');
  console.log([line(head), ...rows.map(line)].join('\n'));
  console.log(`Report: ${result.reportPath}`);
}
