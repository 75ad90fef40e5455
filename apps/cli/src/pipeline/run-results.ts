import type { BacktestResults } from '@algo-trading/backtesting';
import type { BarSeries } from '@algo-trading/core';
import type { AppConfig } from '../config/schema';
import { isoTime } from '../output/csv';
import { RESULTS_SCHEMA_VERSION, type RunResults } from '../output/results-file';
import type { HeadlineMetrics } from '../output/summary-table';
import type { RunManifest } from '../report/manifest';
import type { BenchmarkResults } from './benchmark';
import type { ConfiguredBacktest } from './engine-run';
import { runWarnings } from './run-warnings';

/** The headline statistics of an engine run (names of the metrics package). */
export function headlineFromResults(results: BacktestResults): HeadlineMetrics {
  return {
    totalReturn: results.totalReturn,
    cagr: results.cagr,
    sharpeRatio: results.sharpeRatio,
    sortinoRatio: results.sortinoRatio,
    maxDrawdown: results.maxDrawdown,
    calmarRatio: results.calmarRatio,
    winRate: results.winRate,
    profitFactor: results.profitFactor,
    expectancy: results.expectancy,
    valueAtRisk: results.valueAtRisk,
    conditionalValueAtRisk: results.conditionalValueAtRisk,
    trades: results.tradeCount,
  };
}

/** Every numeric figure of an engine run (the metrics package's and the engine's own). */
export function numericMetrics(results: BacktestResults): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(results)) if (typeof value === 'number') out[key] = value;
  return out;
}

/** Options of {@link buildRunResults}. */
export interface BuildRunResultsOptions {
  readonly command: string;
  readonly title: string;
  readonly strategyName: string;
  /**
   * The strategy's parameters, named as the user sets them: the config.yaml key
   * (`strategy.confidence_threshold`) or the command-line option (`fast`), snake_case for values
   * derived from the run (`buy_signals`).
   */
  readonly strategyParameters: Readonly<Record<string, unknown>>;
  readonly config: AppConfig;
  readonly bars: BarSeries;
  /** Where the bars came from (a file path, `sample:sp500`). */
  readonly source: string;
  readonly run: ConfiguredBacktest;
  readonly manifest: RunManifest;
  readonly extra?: Readonly<Record<string, unknown>>;
  /** The run's benchmark (see `runBenchmark`). */
  readonly benchmark?: BenchmarkResults | undefined;
  /** Buy signals the strategy gave (a run without any is told so). */
  readonly buySignals?: number | undefined;
}

/** Assembles the {@link RunResults} written to `results.json` and rendered by the report. */
export function buildRunResults(options: BuildRunResultsOptions): RunResults {
  const { bars, run } = options;
  const n = bars.length;
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    command: options.command,
    title: options.title,
    strategy: {
      name: options.strategyName,
      parameters: {
        ...options.strategyParameters,
        'risk_management.position_sizing.method': run.sizingMethod,
        ...(run.sizingFallback ? { sizing_note: run.sizingFallback } : {}),
      },
    },
    headline: headlineFromResults(run.results),
    metrics: numericMetrics(run.results),
    dataRange: {
      source: options.source,
      symbol: run.results.symbol,
      start: n > 0 ? isoTime(bars.time[0]!) : '',
      end: n > 0 ? isoTime(bars.time[n - 1]!) : '',
      bars: n,
    },
    config: options.config,
    manifest: options.manifest,
    equityCurve: { time: run.curve.time, equity: run.curve.equity, cash: run.curve.cash, drawdown: run.curve.drawdown },
    trades: run.trades,
    fills: run.fills,
    rejections: run.rejections.map((r) => ({
      time: r.time,
      barIndex: r.barIndex,
      count: r.count,
      lastBarIndex: r.lastBarIndex,
      lastTime: r.lastTime,
      symbol: r.symbol,
      reasons: r.reasons.map((reason) => reason.code),
      message: r.reasons.map((reason) => reason.message).join('; '),
    })),
    openPositions: run.openPositions,
    extra: { orders: run.orderSummary, ...options.extra },
    ...(options.benchmark === undefined ? {} : { benchmark: options.benchmark }),
    prices: { symbol: run.results.symbol, close: Array.from(bars.close) },
    warnings: runWarnings({
      bars,
      config: options.config,
      fills: run.fills,
      rejections: run.rejections,
      trades: run.trades.length,
      openPositions: run.openPositions.length,
      buySignals: options.buySignals,
    }),
  };
}

