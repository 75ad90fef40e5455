import type { BacktestResults } from '@algo-trading/backtesting';
import type { BarSeries, Universe } from '@algo-trading/core';
import type { AppConfig } from '../config/schema';
import { isoTime } from '../output/csv';
import { RESULTS_SCHEMA_VERSION, type RunResults, type SymbolSummary, type UniverseSummary } from '../output/results-file';
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
  return assemble(options, bars, { symbol: run.results.symbol, close: bars.close });
}

/** The bars a run's warnings and data range read: one series, or a universe's time slices and every close. */
type MarketView = Pick<BarSeries, 'time' | 'close' | 'length'>;

function assemble(options: Omit<BuildRunResultsOptions, 'bars'>, market: MarketView, prices: RunResults['prices']): RunResults {
  const { run } = options;
  const n = market.length;
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
      start: n > 0 ? isoTime(market.time[0]!) : '',
      end: n > 0 ? isoTime(market.time[n - 1]!) : '',
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
    ...(prices === undefined ? {} : { prices }),
    warnings: runWarnings({
      bars: market,
      config: options.config,
      fills: run.fills,
      rejections: run.rejections,
      trades: run.trades.length,
      openPositions: run.openPositions.length,
      buySignals: options.buySignals,
    }),
  };
}

/** Options of {@link buildUniverseRunResults}. */
export interface BuildUniverseRunResultsOptions extends Omit<BuildRunResultsOptions, 'bars'> {
  readonly universe: Universe;
  /** How positions were sized, in words (the report and results.json show it). */
  readonly sizing: string;
}

/**
 * Per-symbol results of a universe run: the engine's attribution (P&L, contribution, trades,
 * exposure, turnover), each symbol's win rate, mean and final weight, its own bars and the return
 * of buying and holding it alone (last close / first close - 1, no costs).
 */
export function summarizeUniverse(universe: Universe, run: ConfiguredBacktest, sizing: string): UniverseSummary {
  const symbols = [...universe.keys()];
  const weights = run.holdings?.weights ?? {};
  const perSymbol: Record<string, SymbolSummary> = {};
  for (const symbol of symbols) {
    const bars = universe.get(symbol)!;
    const engine = run.results.perSymbol[symbol];
    const trades = run.trades.filter((t) => t.symbol === symbol);
    const w = weights[symbol] ?? new Float64Array(0);
    let sum = 0;
    for (let i = 0; i < w.length; i++) sum += w[i]!;
    const last = bars.length - 1;
    perSymbol[symbol] = {
      pnl: engine?.pnl ?? 0,
      contribution: engine?.contribution ?? 0,
      trades: engine?.trades ?? 0,
      winRate: trades.length === 0 ? Number.NaN : trades.filter((t) => t.pnl > 0).length / trades.length,
      exposure: engine?.exposure ?? 0,
      turnover: engine?.turnover ?? 0,
      tradedValue: engine?.tradedValue ?? 0,
      averageWeight: w.length === 0 ? 0 : sum / w.length,
      finalWeight: w.length === 0 ? 0 : w[w.length - 1]!,
      bars: bars.length,
      start: last < 0 ? '' : isoTime(bars.time[0]!),
      end: last < 0 ? '' : isoTime(bars.time[last]!),
      buyAndHoldReturn: last < 1 ? Number.NaN : bars.close[last]! / bars.close[0]! - 1,
    };
  }
  return { symbols, perSymbol, turnover: run.results.turnover, sizing };
}

/**
 * {@link buildRunResults} for a universe: the same results, per time slice, plus the per-symbol
 * summary ({@link summarizeUniverse}) and the weights and positions over time.
 */
export function buildUniverseRunResults(options: BuildUniverseRunResultsOptions): RunResults {
  const { universe, run } = options;
  const time = run.curve.time;
  let total = 0;
  for (const bars of universe.values()) total += bars.length;
  const close = new Float64Array(total);
  let k = 0;
  for (const bars of universe.values()) {
    close.set(bars.close, k);
    k += bars.length;
  }
  const results = assemble(options, { time, close, length: time.length }, undefined);
  const summary = summarizeUniverse(universe, run, options.sizing);
  const holdings = run.holdings;
  return {
    ...results,
    universe: summary,
    ...(holdings === undefined
      ? {}
      : {
          holdings: {
            weights: { time: holdings.time, symbols: summary.symbols, values: holdings.weights },
            positions: { time: holdings.time, symbols: summary.symbols, values: holdings.positions },
          },
        }),
  };
}
