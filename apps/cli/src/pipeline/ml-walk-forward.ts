import { AlgoTradingError, type BarSeries, type Logger } from '@algo-trading/core';
import {
  ThresholdOptimizer,
  buildFeatures,
  closeToCloseReturns,
  directionLabels,
  walkForwardSplits,
  type FeatureFrame,
  type OptimizationMetric,
  type WalkForwardResult,
  type WalkForwardSplit,
} from '@algo-trading/strategies';
import { TfjsClassifier, selectBackend, type BackendSelection, type TfjsClassifierOptions } from '@algo-trading/strategies-tfjs';
import type { AppConfig } from '../config/schema';
import type { ProgressReporter } from '../progress';
import { interruptSignal } from '../interrupt';
import { checkpoint } from '../yield';

/** Label horizon of the ML pipeline: predict the direction of the next bar. */
export const LABEL_HORIZON = 1;

/**
 * The classifier the CLI trains: a small dense network, so that a fold trains in seconds on the
 * wasm backend. Balanced class weights, early stopping on a chronological validation tail.
 */
export function cliClassifierOptions(options: { epochs: number; seed: number; logger?: Logger | undefined }): TfjsClassifierOptions {
  return {
    hiddenUnits: [32, 16],
    dropout: 0.1,
    epochs: options.epochs,
    batchSize: 128,
    learningRate: 1e-3,
    validationSplit: 0.2,
    earlyStoppingPatience: 4,
    classWeight: 'balanced',
    seed: options.seed,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
}

/**
 * Cost per side of the signal-only calculation the threshold search uses: the commission plus
 * the slippage, as fractions of the traded value.
 */
export function perSideCost(config: AppConfig): number {
  return config.backtesting.transaction_cost + config.backtesting.slippage_bps / 10_000;
}

/** The features, labels and returns the ML commands share. */
export interface MlDataset {
  readonly features: FeatureFrame;
  /** Next-bar direction (1 up, 0 not up), NaN for the last bar. */
  readonly labels: Float64Array;
  /** Close-to-close returns aligned with the bars (NaN at bar 0). */
  readonly returns: Float64Array;
}

/** Builds the default feature set (bars <= t only), direction labels and returns of `bars`. */
export function buildMlDataset(bars: BarSeries): MlDataset {
  return {
    features: buildFeatures(bars),
    labels: directionLabels(bars, { horizon: LABEL_HORIZON }),
    returns: closeToCloseReturns(bars),
  };
}

/**
 * Expanding walk-forward folds over `n` rows: the first training window holds `initialTrainFraction`
 * of the rows (default 0.4), then `folds` equal test windows follow, each after an embargo of the
 * label horizon.
 *
 * @throws AlgoTradingError `INVALID_ARGUMENT` when the data is too short for the folds.
 */
export function planFolds(n: number, folds: number, initialTrainFraction = 0.4): WalkForwardSplit[] {
  const trainSize = Math.floor(n * initialTrainFraction);
  const testSize = Math.floor((n - trainSize - LABEL_HORIZON) / folds);
  if (trainSize < 200 || testSize < 20) {
    throw new AlgoTradingError(
      'INVALID_ARGUMENT',
      `${n} bars are too few for ${folds} walk-forward folds (first training window ${trainSize} bars, test windows ${testSize} bars; need at least 200 and 20): use more data or fewer --folds`,
      { details: { field: 'folds', value: folds } },
    );
  }
  return walkForwardSplits({ n, trainSize, testSize, embargo: LABEL_HORIZON, expanding: true });
}

/** Options of {@link runMlWalkForward}. */
export interface MlWalkForwardOptions {
  readonly bars: BarSeries;
  readonly config: AppConfig;
  readonly folds: number;
  readonly epochs: number;
  readonly seed: number;
  readonly logger: Logger;
  /** Logger of the models and the strategy (one line per fit); default `logger`. */
  readonly detailLogger?: Logger | undefined;
  readonly progress: ProgressReporter;
  /** Metric the threshold is chosen by on each fold's validation tail. Default `sharpe`. */
  readonly metric?: OptimizationMetric | undefined;
}

/** The out-of-sample outcome of {@link runMlWalkForward}. */
export interface MlWalkForwardRun {
  readonly dataset: MlDataset;
  readonly result: WalkForwardResult;
  readonly splits: readonly WalkForwardSplit[];
  /** First and (exclusive) last row of the test windows: the out-of-sample range. */
  readonly oosStart: number;
  readonly oosEnd: number;
  readonly backend: BackendSelection;
}

/**
 * Walk-forward training of the TensorFlow.js classifier: for each fold, a fresh model (seeded
 * `seed + fold`) is trained on the fit part of the training window, the confidence threshold is
 * chosen on its validation tail (between `strategy.confidence_threshold` and 0.75, by the metric,
 * net of the configured costs), and the next window is predicted out of sample.
 */
export async function runMlWalkForward(options: MlWalkForwardOptions): Promise<MlWalkForwardRun> {
  const { bars, config, logger, progress } = options;
  const detailLogger = options.detailLogger ?? logger;
  const backend = await selectBackend({ logger });
  const dataset = buildMlDataset(bars);
  const splits = planFolds(bars.length, options.folds);
  const threshold = config.strategy.confidence_threshold;
  logger.info(
    { folds: splits.length, bars: bars.length, features: dataset.features.columns.length, backend: backend.backend },
    'walk-forward training of the TensorFlow.js classifier',
  );
  const task = progress.start('walk-forward folds', splits.length);
  let currentFold = 0;
  const result = await ThresholdOptimizer.walkForward({
    modelFactory: async (fold) => {
      await checkpoint(); // a pending SIGINT / SIGTERM stops the run between folds
      currentFold = fold;
      return new TfjsClassifier(cliClassifierOptions({ epochs: options.epochs, seed: options.seed + fold, logger: detailLogger }));
    },
    strategyOptions: { confidenceThreshold: threshold, featureColumns: [...dataset.features.columns], logger: detailLogger },
    features: dataset.features,
    labels: dataset.labels,
    returns: dataset.returns,
    splits: [...splits],
    validationFraction: 0.2,
    thresholdRange: [threshold, Math.max(threshold, 0.75)],
    step: 0.025,
    metric: options.metric ?? 'sharpe',
    costs: perSideCost(config),
    minTrades: 5,
    fitOptions: {
      signal: interruptSignal(), // and inside a fold, at the next batch
      onEpochEnd: (epoch: number) => task.update(currentFold, `fold ${currentFold + 1}, epoch ${epoch + 1}`),
    },
    onProgress: (p) => {
      task.update(p.completed, `fold ${p.completed}: threshold ${p.fold.threshold.toFixed(3)}, accuracy ${(p.fold.test.accuracy * 100).toFixed(1)}%`);
      logger.debug({ fold: p.completed, threshold: p.fold.threshold, test: p.fold.test }, 'fold done');
    },
    logger: detailLogger,
  });
  task.done(`${splits.length} folds`);
  const oosStart = splits[0]!.testStart;
  const oosEnd = splits[splits.length - 1]!.testEnd;
  return { dataset, result, splits, oosStart, oosEnd, backend };
}
