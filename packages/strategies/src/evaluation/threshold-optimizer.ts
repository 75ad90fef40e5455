import {
  AlgoTradingError,
  describeValue,
  parseOptions,
  silentLogger,
  zIntegerAtLeast,
  zNonNegative,
  zNumberBetween,
  zPositive,
  type FitOptions,
  type Logger,
  type ProbabilisticClassifier,
} from '@algo-trading/core';
import { calmarRatio, deflatedSharpeRatio, maxDrawdown, sharpeRatio, totalReturn } from '@algo-trading/metrics';
import { z } from 'zod';
import { resolveFeatures, type FeatureInput } from '../features/feature-input';
import { MLPredictionStrategy, type MLPredictionStrategyOptions } from '../strategy/ml-prediction-strategy';
import { applyThresholdInto } from '../strategy/signal-rule';
import { checkSignalsAndReturns, runPositions } from './strategy-returns';
import {
  OPTIMIZATION_METRICS,
  bestRow,
  evaluateThresholds,
  sharpeVariance,
  thresholdGrid,
  windowOf,
  type OptimizationMetric,
  type ThresholdRow,
} from './threshold-grid';
import { walkForwardSplitSchema, walkForwardSplits, type WalkForwardSplit } from './walk-forward-splits';

function isStrategy(value: unknown): value is MLPredictionStrategy {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as MLPredictionStrategy).predictProbabilities === 'function' &&
    typeof (value as MLPredictionStrategy).withModel === 'function'
  );
}

const isFunction = (v: unknown): boolean => typeof v === 'function';
const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null;

const zStrategy = z.custom<MLPredictionStrategy>(isStrategy, { error: 'expected an MLPredictionStrategy' });
const zArrayLike = z.custom<ArrayLike<number>>(
  (v) => isObject(v) && typeof (v as ArrayLike<number>).length === 'number',
  { error: 'expected an array of numbers' },
);
const zThresholdRange = z.tuple([zNumberBetween(0.5, 1), zNumberBetween(0.5, 1)]).default([0.5, 0.9]);

const evaluationFields = {
  returns: zArrayLike,
  thresholdRange: zThresholdRange,
  step: zPositive().default(0.05),
  metric: z.enum(OPTIMIZATION_METRICS).default('sharpe'),
  costs: zNonNegative().default(0),
  minTrades: zIntegerAtLeast(0).default(5),
  periodsPerYear: zPositive().default(252),
  allowShort: z.boolean().optional(),
};

const gridSearchSchema = z
  .strictObject({
    strategy: zStrategy.optional(),
    data: z.custom<FeatureInput>(isObject, { error: 'expected features (a FeatureFrame, a record of columns or a DataFrame)' }).optional(),
    probabilities: zArrayLike.optional(),
    ...evaluationFields,
  })
  .refine((o) => o.probabilities !== undefined || (o.strategy !== undefined && o.data !== undefined), {
    error: 'give either strategy and data, or precomputed probabilities',
    path: ['strategy'],
  });

/** Options of {@link ThresholdOptimizer.gridSearch}. */
export type GridSearchOptions = z.input<typeof gridSearchSchema>;

/** Output of {@link ThresholdOptimizer.gridSearch}. */
export interface GridSearchResult {
  readonly metric: OptimizationMetric;
  /** One row per threshold, sorted by the metric (best first, NaN last). */
  readonly rows: readonly ThresholdRow[];
  /** The best row with at least `minTrades` trades and a finite metric; undefined when none. */
  readonly best: ThresholdRow | undefined;
  /** Number of thresholds tried (the trials of the deflated Sharpe ratio). */
  readonly trials: number;
  /**
   * Deflated Sharpe ratio of the best row: the probability that its Sharpe ratio beats the best
   * of `trials` lucky tries (Bailey and Lopez de Prado). NaN when there is no best row.
   */
  readonly deflatedSharpe: number;
  /** P(up) per row, computed once and shared by every threshold. */
  readonly probabilities: Float64Array;
}

// The split options of walkForwardSplits, less `n` (the number of feature rows).
const walkForwardSplitFields = walkForwardSplitSchema.omit({ n: true });

const zSplit = z.strictObject({
  fold: zIntegerAtLeast(0),
  trainStart: zIntegerAtLeast(0),
  trainEnd: zIntegerAtLeast(0),
  testStart: zIntegerAtLeast(0),
  testEnd: zIntegerAtLeast(0),
});

const walkForwardSchema = z
  .strictObject({
    strategy: zStrategy.optional(),
    modelFactory: z
      .custom<(fold: number) => ProbabilisticClassifier | Promise<ProbabilisticClassifier>>(isFunction, {
        error: 'expected a function (fold) => model',
      })
      .optional(),
    strategyOptions: z.custom<Omit<MLPredictionStrategyOptions, 'model'>>(isObject, { error: 'expected strategy options' }).optional(),
    features: z.custom<FeatureInput>(isObject, { error: 'expected features (a FeatureFrame, a record of columns or a DataFrame)' }),
    labels: zArrayLike,
    splits: z.union([walkForwardSplitFields, z.array(zSplit).min(1)]),
    validationFraction: zNumberBetween(0, 0.9).default(0.2),
    fitOptions: z.custom<FitOptions>(isObject).optional(),
    onProgress: z.custom<(progress: WalkForwardProgress) => void>(isFunction, { error: 'expected a function' }).optional(),
    signal: z.custom<AbortSignal>((v) => isObject(v) && typeof (v as AbortSignal).aborted === 'boolean').optional(),
    logger: z.custom<Logger>(isObject).optional(),
    ...evaluationFields,
  })
  .refine((o) => o.strategy !== undefined || o.modelFactory !== undefined, {
    error: 'give a strategy (a trained model), a modelFactory (one model trained per fold), or both',
    path: ['strategy'],
  });

/** Options of {@link ThresholdOptimizer.walkForward}. */
export type WalkForwardOptions = z.input<typeof walkForwardSchema>;

/** Progress of a walk-forward run, reported after each fold. */
export interface WalkForwardProgress {
  /** Folds completed (1-based). */
  readonly completed: number;
  readonly totalFolds: number;
  /** The fold just completed. */
  readonly fold: WalkForwardFoldResult;
}

/** Out-of-sample metrics of one test window or of all of them. */
export interface OutOfSampleMetrics {
  readonly sharpe: number;
  readonly totalReturn: number;
  readonly calmar: number;
  readonly maxDrawdown: number;
  /** Positions opened. */
  readonly trades: number;
  /** trades / test rows. */
  readonly tradeFrequency: number;
  /** Share of test rows with a prediction and a label where (p >= 0.5) equals the label; NaN when none. */
  readonly accuracy: number;
  /** Test rows that had a prediction and a finite label. */
  readonly labelledRows: number;
  readonly testRows: number;
}

/** What happened in one fold. */
export interface WalkForwardFoldResult {
  readonly split: WalkForwardSplit;
  /** Rows `[fitStart, fitEnd)` the model was trained on (before dropping NaN rows); empty when no factory. */
  readonly fitStart: number;
  readonly fitEnd: number;
  /** Rows actually used for training (finite features and label); 0 without a factory. */
  readonly trainedRows: number;
  /** Validation window `[validationStart, trainEnd)` where the threshold was chosen. */
  readonly validationStart: number;
  /** The threshold applied to the test window. */
  readonly threshold: number;
  /** Where it came from: the validation search, or the strategy's default (no validation / no eligible row). */
  readonly thresholdSource: 'validation' | 'default';
  /** The validation metric of the chosen threshold (NaN when the default was used). */
  readonly validationMetric: number;
  readonly test: OutOfSampleMetrics;
}

/** Output of {@link ThresholdOptimizer.walkForward}. Everything is out of sample. */
export interface WalkForwardResult {
  readonly metric: OptimizationMetric;
  /** Signals aligned with the rows: test-window signals, 0 (HOLD) elsewhere. */
  readonly signals: Int8Array;
  /** Confidences aligned with the rows: NaN outside test windows. */
  readonly confidences: Float64Array;
  /** P(up) aligned with the rows: NaN outside test windows. */
  readonly probabilities: Float64Array;
  /** Strategy returns per row inside test windows (each window starts flat); NaN elsewhere. */
  readonly strategyReturns: Float64Array;
  /** 1 for rows inside a test window. */
  readonly testMask: Uint8Array;
  readonly folds: readonly WalkForwardFoldResult[];
  /** Metrics of the concatenated test windows. */
  readonly overall: OutOfSampleMetrics;
}

function checkAligned(field: string, values: ArrayLike<number>, n: number): void {
  if (values.length !== n) {
    throw new AlgoTradingError('INVALID_DATA', `${field} has ${values.length} values but the features have ${n} rows: they must be aligned`, {
      details: { field, value: values.length },
    });
  }
}

function oosMetrics(
  returns: Float64Array,
  trades: number,
  correct: number,
  labelled: number,
  periodsPerYear: number,
): OutOfSampleMetrics {
  const n = returns.length;
  return {
    sharpe: sharpeRatio(returns, { periodsPerYear }),
    totalReturn: totalReturn(returns),
    calmar: calmarRatio(returns, { periodsPerYear }),
    maxDrawdown: n === 0 ? Number.NaN : maxDrawdown(returns),
    trades,
    tradeFrequency: n === 0 ? 0 : trades / n,
    accuracy: labelled === 0 ? Number.NaN : correct / labelled,
    labelledRows: labelled,
    testRows: n,
  };
}

function checkSplits(splits: readonly WalkForwardSplit[], n: number): void {
  let previousTestEnd = 0;
  for (const s of splits) {
    const ok =
      s.trainStart < s.trainEnd && s.trainEnd <= s.testStart && s.testStart < s.testEnd && s.testEnd <= n && s.testStart >= previousTestEnd;
    if (!ok) {
      throw new AlgoTradingError(
        'INVALID_CONFIG',
        `splits[${s.fold}] ${describeValue(s)} is not a valid walk-forward fold over ${n} rows: need trainStart < trainEnd <= testStart < testEnd <= n, and test windows in order without overlap (step >= testSize)`,
        { details: { field: 'splits', index: s.fold, value: s } },
      );
    }
    previousTestEnd = s.testEnd;
  }
}

/**
 * Chooses confidence thresholds honestly. `gridSearch` evaluates a grid of thresholds on one data
 * set (in-sample: for exploration; it reports the deflated Sharpe ratio of the winner); `walkForward`
 * trains per fold, picks the threshold on a validation tail of each training window and reports
 * only out-of-sample results.
 */
export class ThresholdOptimizer {
  private constructor() {}

  /**
   * Evaluates thresholds from `thresholdRange[0]` to `thresholdRange[1]` by `step` (default
   * [0.5, 0.9] by 0.05). Probabilities are computed ONCE (or passed as `probabilities`); each
   * threshold then costs one pass of the signal rule and {@link strategyReturns}
   * (`returns[t] = close[t] / close[t-1] - 1`, aligned with the rows; optional `costs`).
   * Rows are sorted by `metric` ('sharpe' default, 'total_return', 'calmar'); rows with fewer than
   * `minTrades` (default 5) trades are flagged `tooFewTrades` and never chosen as `best`.
   *
   * @example
   * const table = await ThresholdOptimizer.gridSearch({ strategy, data: features, returns,
   *   thresholdRange: [0.5, 0.9], step: 0.05, metric: 'sharpe' });
   * table.best?.threshold; table.deflatedSharpe;
   */
  static async gridSearch(options: GridSearchOptions): Promise<GridSearchResult> {
    const o = parseOptions(gridSearchSchema, options, { what: 'ThresholdOptimizer.gridSearch options' });
    const thresholds = thresholdGrid(o.thresholdRange[0], o.thresholdRange[1], o.step);
    let probabilities: Float64Array;
    if (o.probabilities !== undefined) probabilities = Float64Array.from(o.probabilities);
    else probabilities = await o.strategy!.predictProbabilities(o.data!);
    const n = probabilities.length;
    checkAligned('returns', o.returns, n);
    checkSignalsAndReturns(new Int8Array(n), o.returns);
    const allowShort = o.allowShort ?? o.strategy?.allowShort ?? false;
    const { rows, returnsByThreshold } = evaluateThresholds({
      probabilities,
      returns: o.returns,
      start: 0,
      end: n,
      thresholds,
      costs: o.costs,
      allowShort,
      metric: o.metric,
      minTrades: o.minTrades,
      periodsPerYear: o.periodsPerYear,
    });
    const best = bestRow(rows);
    const deflatedSharpe =
      best === undefined
        ? Number.NaN
        : deflatedSharpeRatio(returnsByThreshold.get(best.threshold)!, {
            trials: thresholds.length,
            sharpeVariance: sharpeVariance(rows),
            periodsPerYear: o.periodsPerYear,
          });
    return { metric: o.metric, rows, best, trials: thresholds.length, deflatedSharpe, probabilities };
  }

  /**
   * Walk-forward evaluation. For each fold of `splits` (options for {@link walkForwardSplits}, or
   * precomputed folds):
   * 1. the training window is cut into a fit part and a validation tail (`validationFraction`,
   *    default 0.2), separated by the embargo;
   * 2. with a `modelFactory`, a fresh model is trained on the fit part's rows that have finite
   *    features and labels (labels never leave the fit part); after predicting, the fold's model
   *    is disposed when it has a `dispose()` method (TensorFlow.js models), so memory stays flat;
   * 3. the threshold is chosen on the validation tail by `metric` over `thresholdRange` / `step`
   *    (never on test data); with `validationFraction: 0`, or when no threshold has `minTrades`
   *    trades there, the strategy's `confidenceThreshold` is used;
   * 4. the test window is predicted and traded (starting flat).
   * Test windows must not overlap. Signals, confidences and returns are concatenated out of sample;
   * `onProgress` is called after each fold; `signal` aborts between folds.
   *
   * @example
   * const wf = await ThresholdOptimizer.walkForward({
   *   modelFactory: (fold) => new LogisticRegression({ seed: fold }),
   *   features, labels, returns,
   *   splits: { trainSize: 500, testSize: 100, embargo: 1 },
   *   thresholdRange: [0.5, 0.7], step: 0.05, metric: 'sharpe',
   * });
   * wf.overall.sharpe; wf.folds[0].threshold; wf.signals;
   */
  static async walkForward(options: WalkForwardOptions): Promise<WalkForwardResult> {
    const o = parseOptions(walkForwardSchema, options, { what: 'ThresholdOptimizer.walkForward options' });
    const run = prepareWalkForward(o);
    for (const split of run.splits) {
      if (o.signal?.aborted) {
        throw new AlgoTradingError('ABORTED', `walk-forward aborted before fold ${split.fold}`, { cause: o.signal.reason });
      }
      const fold = await runFold(run, split);
      run.folds.push(fold);
      run.logger.debug({ fold: split.fold, threshold: fold.threshold, sharpe: fold.test.sharpe }, 'walk-forward fold done');
      o.onProgress?.({ completed: run.folds.length, totalFolds: run.splits.length, fold });
    }
    return finishWalkForward(run);
  }
}

type ParsedWalkForward = z.output<typeof walkForwardSchema>;

/** The state of one walk-forward run: inputs resolved once, buffers filled fold by fold. */
interface WalkForwardRun {
  readonly o: ParsedWalkForward;
  readonly logger: Logger;
  readonly thresholds: readonly number[];
  /** Strategy whose options every fold shares (its model is replaced per fold by a factory's). */
  readonly base: MLPredictionStrategy;
  readonly columns: readonly string[];
  readonly record: Readonly<Record<string, Float64Array>>;
  readonly n: number;
  readonly allowShort: boolean;
  readonly splits: readonly WalkForwardSplit[];
  readonly embargoOf: (split: WalkForwardSplit) => number;
  readonly signals: Int8Array;
  readonly confidences: Float64Array;
  readonly probabilities: Float64Array;
  readonly strategyReturns: Float64Array;
  readonly testMask: Uint8Array;
  readonly positions: Int8Array;
  readonly folds: WalkForwardFoldResult[];
  totals: { trades: number; correct: number; labelled: number };
}

/** Validates the inputs of a walk-forward run and allocates its output buffers. */
function prepareWalkForward(o: ParsedWalkForward): WalkForwardRun {
  const base =
    o.strategy ??
    new MLPredictionStrategy({
      ...(o.strategyOptions ?? {}),
      model: { predictProba: () => [] },
    });
  const resolved = resolveFeatures(o.features, base.featureColumns);
  const n = resolved.length;
  checkAligned('labels', o.labels, n);
  checkAligned('returns', o.returns, n);
  checkSignalsAndReturns(new Int8Array(n), o.returns);
  const record: Record<string, Float64Array> = {};
  resolved.columns.forEach((name, c) => {
    record[name] = resolved.data[c]!;
  });
  let splits: readonly WalkForwardSplit[];
  let embargoOf: (s: WalkForwardSplit) => number;
  if (Array.isArray(o.splits)) {
    splits = o.splits;
    embargoOf = (s) => s.testStart - s.trainEnd;
  } else {
    const so = o.splits as z.output<typeof walkForwardSplitFields>;
    splits = walkForwardSplits({ n, ...so });
    embargoOf = () => so.embargo;
  }
  checkSplits(splits, n);
  return {
    o,
    logger: o.logger ?? silentLogger,
    thresholds: thresholdGrid(o.thresholdRange[0], o.thresholdRange[1], o.step),
    base,
    columns: resolved.columns,
    record,
    n,
    allowShort: o.allowShort ?? base.allowShort,
    splits,
    embargoOf,
    signals: new Int8Array(n),
    confidences: new Float64Array(n).fill(Number.NaN),
    probabilities: new Float64Array(n).fill(Number.NaN),
    strategyReturns: new Float64Array(n).fill(Number.NaN),
    testMask: new Uint8Array(n),
    positions: new Int8Array(n),
    folds: [],
    totals: { trades: 0, correct: 0, labelled: 0 },
  };
}

/** One fold: train (with a factory), predict validation and test, choose the threshold, trade the test window. */
async function runFold(run: WalkForwardRun, split: WalkForwardSplit): Promise<WalkForwardFoldResult> {
  const { trainStart, trainEnd, testStart } = split;
  const validationSize = Math.floor((trainEnd - trainStart) * run.o.validationFraction);
  const validationStart = trainEnd - validationSize;
  const fitEnd = validationSize > 0 ? Math.max(trainStart, validationStart - run.embargoOf(split)) : trainEnd;
  // Validation tail and test window are predicted in one model call.
  const predictStart = validationSize > 0 ? validationStart : testStart;
  const { p, trainedRows, strategy } = await trainAndPredict(run, split, fitEnd, predictStart);
  const choice =
    validationSize > 0
      ? chooseThreshold(run, split, p, predictStart)
      : { threshold: strategy.confidenceThreshold, thresholdSource: 'default' as const, validationMetric: Number.NaN };
  const test = tradeTestWindow(run, split, p.subarray(testStart - predictStart), choice.threshold);
  return { split, fitStart: trainStart, fitEnd, trainedRows, validationStart, ...choice, test };
}

/**
 * The fold's strategy (a fresh model trained on `[trainStart, fitEnd)` when there is a factory)
 * and its probabilities over `[predictStart, testEnd)`. A factory's model is used for nothing
 * after that: it is disposed (tfjs tensors) even when training or prediction fails, so memory
 * stays flat across folds.
 */
async function trainAndPredict(
  run: WalkForwardRun,
  split: WalkForwardSplit,
  fitEnd: number,
  predictStart: number,
): Promise<{ p: Float64Array; trainedRows: number; strategy: MLPredictionStrategy }> {
  const { o } = run;
  const window: Record<string, Float64Array> = {};
  for (const name of run.columns) window[name] = run.record[name]!.subarray(predictStart, split.testEnd);
  if (o.modelFactory === undefined) {
    return { p: await run.base.predictProbabilities(window), trainedRows: 0, strategy: run.base };
  }
  const model = await o.modelFactory(split.fold);
  try {
    const strategy = run.base.withModel(model);
    const candidates = new Int32Array(fitEnd - split.trainStart);
    for (let i = 0; i < candidates.length; i++) candidates[i] = split.trainStart + i;
    let trainedRows: number;
    try {
      trainedRows = (await strategy.fit(run.record, o.labels, { rows: candidates, fitOptions: o.fitOptions })).rows;
    } catch (error) {
      throw new AlgoTradingError(
        'INVALID_DATA',
        `walk-forward fold ${split.fold} (fit rows ${split.trainStart}..${fitEnd - 1}): ${(error as Error).message}`,
        { cause: error, details: { field: 'fold', index: split.fold } },
      );
    }
    return { p: await strategy.predictProbabilities(window), trainedRows, strategy };
  } finally {
    disposeModel(model);
  }
}

/** The threshold of the fold, chosen on its validation tail only (never on test data). */
function chooseThreshold(
  run: WalkForwardRun,
  split: WalkForwardSplit,
  p: Float64Array,
  predictStart: number,
): Pick<WalkForwardFoldResult, 'threshold' | 'thresholdSource' | 'validationMetric'> {
  const { o } = run;
  const { rows } = evaluateThresholds({
    probabilities: p,
    returns: windowOf(o.returns, predictStart, split.trainEnd),
    start: 0,
    end: split.trainEnd - predictStart,
    thresholds: run.thresholds,
    costs: o.costs,
    allowShort: run.allowShort,
    metric: o.metric,
    minTrades: o.minTrades,
    periodsPerYear: o.periodsPerYear,
  });
  const best = bestRow(rows);
  if (best !== undefined) return { threshold: best.threshold, thresholdSource: 'validation', validationMetric: best.metricValue };
  run.logger.warn(
    { fold: split.fold, minTrades: o.minTrades },
    'no threshold reached minTrades on the validation window: using the default confidenceThreshold',
  );
  return { threshold: run.base.confidenceThreshold, thresholdSource: 'default', validationMetric: Number.NaN };
}

/** Applies the threshold to the test window (out of sample), trades it from flat and scores it. */
function tradeTestWindow(run: WalkForwardRun, split: WalkForwardSplit, testProbabilities: Float64Array, threshold: number): OutOfSampleMetrics {
  const { o } = run;
  const { testStart, testEnd } = split;
  const probabilities = testProbabilities.subarray(0, testEnd - testStart);
  run.probabilities.set(probabilities, testStart);
  applyThresholdInto(probabilities, threshold, run.signals.subarray(testStart, testEnd), run.confidences.subarray(testStart, testEnd));
  const stats = { trades: 0, turnover: 0 };
  runPositions(run.signals, o.returns, testStart, testEnd, o.costs, run.allowShort, run.strategyReturns, run.positions, stats);
  let correct = 0;
  let labelled = 0;
  for (let i = testStart; i < testEnd; i++) {
    run.testMask[i] = 1;
    const y = o.labels[i]!;
    const prob = run.probabilities[i]!;
    if (Number.isFinite(y) && !Number.isNaN(prob)) {
      labelled++;
      if ((prob >= 0.5 ? 1 : 0) === y) correct++;
    }
  }
  run.totals.trades += stats.trades;
  run.totals.correct += correct;
  run.totals.labelled += labelled;
  return oosMetrics(run.strategyReturns.slice(testStart, testEnd), stats.trades, correct, labelled, o.periodsPerYear);
}

/** The result: the concatenated test windows and their overall metrics. */
function finishWalkForward(run: WalkForwardRun): WalkForwardResult {
  const { n, testMask, strategyReturns } = run;
  let testRows = 0;
  for (let i = 0; i < n; i++) testRows += testMask[i]!;
  const concatenated = new Float64Array(testRows);
  for (let i = 0, k = 0; i < n; i++) if (testMask[i] === 1) concatenated[k++] = strategyReturns[i]!;
  const { trades, correct, labelled } = run.totals;
  return {
    metric: run.o.metric,
    signals: run.signals,
    confidences: run.confidences,
    probabilities: run.probabilities,
    strategyReturns,
    testMask,
    folds: run.folds,
    overall: oosMetrics(concatenated, trades, correct, labelled, run.o.periodsPerYear),
  };
}

/** Calls `model.dispose()` when the model has one (e.g. a TensorFlow.js classifier). */
function disposeModel(model: unknown): void {
  const dispose = (model as { dispose?: unknown } | null)?.dispose;
  if (typeof dispose === 'function') dispose.call(model);
}
