import type { BarSeries, Logger } from '@algo-trading/core';
import { getSignalStatistics, type OutOfSampleMetrics } from '@algo-trading/strategies';
import type { AppConfig } from '../config/schema';
import type { RunResults } from '../output/results-file';
import type { ProgressReporter } from '../progress';
import { buildManifest } from '../report/manifest';
import { runConfiguredBacktest, type ConfiguredBacktest } from './engine-run';
import { runBenchmark, type BenchmarkResults } from './benchmark';
import { foldRows, type FoldRow } from './fold-report';
import type { LoadedBars } from './load-data';
import { LABEL_HORIZON, runMlWalkForward, type MlWalkForwardRun } from './ml-walk-forward';
import { buildRunResults } from './run-results';

/** Options of {@link runMlBacktest}. */
export interface MlBacktestOptions {
  readonly bars: BarSeries;
  /** Where the bars came from, for the report. */
  readonly source: string;
  readonly config: AppConfig;
  readonly folds: number;
  readonly epochs: number;
  readonly seed: number;
  readonly logger: Logger;
  /** Logger of the models, the engine and the risk manager (per-fit and per-bar events); default `logger`. */
  readonly engineLogger?: Logger | undefined;
  readonly progress: ProgressReporter;
  /** The command line, for the manifest. */
  readonly argv: readonly string[];
  readonly command: string;
  readonly title: string;
  /** `--benchmark`: another series to buy and hold as the benchmark (default: the data itself). */
  readonly benchmarkData?: LoadedBars | undefined;
}

/** Options of {@link runMlOutOfSample}: those of {@link runMlBacktest} without the report's labels. */
export type MlOutOfSampleOptions = Omit<MlBacktestOptions, 'source' | 'argv' | 'command' | 'title'>;

/** The out-of-sample part of the ML pipeline: the walk-forward and the engine run over its test windows. */
export interface MlOutOfSample {
  readonly walkForward: MlWalkForwardRun;
  /** The out-of-sample bars (the concatenated test windows), as backtested. */
  readonly oosBars: BarSeries;
  readonly signals: Int8Array;
  readonly confidences: Float64Array;
  /** One engine run over `oosBars` with the configured risk manager, sizer and costs. */
  readonly run: ConfiguredBacktest;
  /** The folds, every performance figure cut from `run`. */
  readonly folds: readonly FoldRow[];
  /** Buy and hold over the same bars (or `benchmarkData`), through the engine with the run's costs. */
  readonly benchmark: BenchmarkResults;
}

/**
 * Walk-forward training of the classifier, then ONE backtest of the out-of-sample signals and
 * confidences through the configured risk manager, sizer and engine; the fold table is cut from
 * that run, so its returns compound to the run's total return.
 */
export async function runMlOutOfSample(options: MlOutOfSampleOptions): Promise<MlOutOfSample> {
  const { bars, config, logger } = options;
  const walkForward = await runMlWalkForward({
    bars,
    config,
    folds: options.folds,
    epochs: options.epochs,
    seed: options.seed,
    logger,
    detailLogger: options.engineLogger,
    progress: options.progress,
  });
  const { oosStart, oosEnd, result } = walkForward;
  const oosBars = bars.slice(oosStart, oosEnd);
  const signals = result.signals.subarray(oosStart, oosEnd);
  const confidences = result.confidences.subarray(oosStart, oosEnd);
  logger.info({ from: oosStart, to: oosEnd - 1, bars: oosBars.length }, 'backtesting the out-of-sample signals');
  const run = await runConfiguredBacktest({ bars: oosBars, signals, confidences, config, logger, engineLogger: options.engineLogger });
  const folds = foldRows({
    folds: result.folds,
    bars,
    offset: oosStart,
    equity: run.curve.equity,
    initialCapital: run.results.initialCapital,
    trades: run.trades,
    openPositions: run.openPositions,
    periodsPerYear: run.results.periodsPerYear,
  });
  const benchmark = await runBenchmark({ bars: oosBars, config, run, other: options.benchmarkData, logger });
  return { walkForward, oosBars, signals, confidences, run, folds, benchmark };
}

/** The outcome of {@link runMlBacktest}. */
export interface MlBacktestOutcome {
  readonly results: RunResults;
  readonly walkForward: MlWalkForwardRun;
}

/**
 * The ML pipeline end to end: features, walk-forward training of the TensorFlow.js classifier
 * with the threshold chosen on validation data, then a backtest of the out-of-sample signals and
 * confidences through the RiskManager, the configured sizer (confidence based by default) and
 * the engine. Only the out-of-sample range is backtested and reported.
 */
export async function runMlBacktest(options: MlBacktestOptions): Promise<MlBacktestOutcome> {
  const { bars, config } = options;
  const { walkForward, oosBars, signals, confidences, run, folds, benchmark } = await runMlOutOfSample(options);
  const { result } = walkForward;
  const signalStats = getSignalStatistics(signals, confidences);
  const manifest = buildManifest({
    config,
    bars,
    seed: options.seed,
    argv: options.argv,
    notes: { 'tfjs backend': `${walkForward.backend.backend} (${walkForward.backend.reason})` },
  });
  const results = buildRunResults({
    command: options.command,
    title: options.title,
    strategyName: 'MLPredictionStrategy (TensorFlow.js dense classifier, walk-forward)',
    strategyParameters: {
      folds: walkForward.splits.length,
      epochs: options.epochs,
      seed: options.seed,
      features: walkForward.dataset.features.columns.length,
      label_horizon: LABEL_HORIZON,
      'strategy.confidence_threshold': config.strategy.confidence_threshold,
      fold_thresholds: result.folds.map((f) => Number(f.threshold.toFixed(4))),
      out_of_sample_accuracy: Number(result.overall.accuracy.toFixed(4)),
      buy_signals: signalStats.buySignals,
      sell_signals: signalStats.sellSignals,
    },
    config,
    bars: oosBars,
    source: options.source,
    run,
    manifest,
    benchmark,
    buySignals: signalStats.buySignals,
    extra: {
      walkForward: { folds, signalOnly: signalOnlyOverall(result.overall) },
      signalStatistics: signalStats,
    },
  });
  return { results, walkForward };
}

/**
 * The walk-forward's own out-of-sample figures (the signal-only calculation of the threshold
 * search), labelled as such wherever they are kept.
 */
export function signalOnlyOverall(overall: OutOfSampleMetrics): Record<string, unknown> {
  return {
    note: 'signal-only: fully invested while the signals say long, close to close, costs per side; no risk manager, no sizing, no stops',
    totalReturn: overall.totalReturn,
    sharpe: overall.sharpe,
    maxDrawdown: overall.maxDrawdown,
    positionsOpened: overall.trades,
    accuracy: overall.accuracy,
    testRows: overall.testRows,
  };
}
