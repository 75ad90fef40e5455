import {
  AlgoTradingError,
  describeValue,
  parseOptions,
  silentLogger,
  zNumberBetween,
  type FitOptions,
  type Logger,
  type ProbabilisticClassifier,
} from '@algo-trading/core';
import { z } from 'zod';
import { finiteRowIndices, rowMatrix } from '../features/feature-frame';
import { resolveFeatures, type FeatureInput, type ResolvedFeatures } from '../features/feature-input';
import { applyThreshold, requireThreshold, type ThresholdedSignals } from './signal-rule';
import { getSignalStatistics, type SignalStatistics } from './signal-statistics';

function isModel(value: unknown): value is ProbabilisticClassifier {
  return typeof value === 'object' && value !== null && typeof (value as ProbabilisticClassifier).predictProba === 'function';
}

function isLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error'].every((k) => typeof v[k] === 'function');
}

/** zod schema of {@link MLPredictionStrategyOptions}. */
export const mlPredictionStrategySchema = z.strictObject({
  model: z.custom<ProbabilisticClassifier>(isModel, { error: 'expected a model with a predictProba(X) method' }),
  confidenceThreshold: zNumberBetween(0.5, 1).default(0.55),
  featureColumns: z
    .array(z.string().min(1, { error: 'expected a non-empty column name' }))
    .min(1, { error: 'expected at least one column' })
    .refine((c) => new Set(c).size === c.length, { error: 'column names must be unique' })
    .optional(),
  allowShort: z.boolean().default(false),
  logger: z.custom<Logger>(isLogger, { error: 'expected a logger with debug, info, warn and error methods' }).optional(),
});

/** Options of {@link MLPredictionStrategy}. */
export type MLPredictionStrategyOptions = z.input<typeof mlPredictionStrategySchema>;

/** What {@link MLPredictionStrategy.generateSignals} returns, aligned with the feature rows. */
export interface SignalOutput extends ThresholdedSignals {
  /** P(up) per row; NaN for rows the model did not see (a missing feature). */
  readonly probabilities: Float64Array;
}

/** Options of {@link MLPredictionStrategy.fit}. */
export interface StrategyFitOptions {
  /** Candidate rows (ascending indices); default every row. Rows with a NaN feature or label are dropped. */
  readonly rows?: ArrayLike<number> | undefined;
  /** Passed to the model's `fit` (progress callback, abort signal). */
  readonly fitOptions?: FitOptions | undefined;
}

/** What {@link MLPredictionStrategy.fit} did. */
export interface StrategyFitResult {
  /** Rows the model was trained on. */
  readonly rows: number;
  /** Share of label 1 among them. */
  readonly positiveRate: number;
}

/**
 * Turns a classifier's P(up) into trading signals. Model-agnostic: any
 * {@link ProbabilisticClassifier} (sync or async) works, e.g. `TfjsClassifier` or
 * {@link LogisticRegression}.
 *
 * Rule (per row, p = P(up)): `p >= threshold` -> BUY (1) with confidence p; `1 - p >= threshold`
 * -> SELL (-1) with confidence 1 - p (an exit; a short only when `allowShort` and the executor
 * supports it); otherwise HOLD (0). Rows with a NaN feature are never shown to the model: HOLD with
 * confidence NaN.
 *
 * @example
 * const strategy = new MLPredictionStrategy({ model, confidenceThreshold: 0.55, featureColumns: features.columns });
 * const { signals, confidences } = await strategy.generateSignals(features);
 * strategy.getSignalStatistics(signals);
 */
export class MLPredictionStrategy {
  /** The classifier. */
  readonly model: ProbabilisticClassifier;
  /** Default threshold of the signal rule, in [0.5, 1]. */
  readonly confidenceThreshold: number;
  /** Whether SELL signals may open shorts (read by `strategyReturns` and the optimizer). */
  readonly allowShort: boolean;
  private readonly logger: Logger;
  private readonly explicitColumns: readonly string[] | undefined;
  private fittedColumns: readonly string[] | undefined;

  constructor(options: MLPredictionStrategyOptions) {
    const o = parseOptions(mlPredictionStrategySchema, options, { what: 'MLPredictionStrategy options' });
    this.model = o.model;
    this.confidenceThreshold = o.confidenceThreshold;
    this.allowShort = o.allowShort;
    this.logger = o.logger ?? silentLogger;
    this.explicitColumns = o.featureColumns === undefined ? undefined : Object.freeze([...o.featureColumns]);
  }

  /**
   * The feature columns the model reads: the `featureColumns` option, else the columns the last
   * {@link fit} used, else undefined (every column of the input, in its order).
   */
  get featureColumns(): readonly string[] | undefined {
    return this.explicitColumns ?? this.fittedColumns;
  }

  /** The same strategy settings with another model (walk-forward folds use it). */
  withModel(model: ProbabilisticClassifier): MLPredictionStrategy {
    return new MLPredictionStrategy({
      model,
      confidenceThreshold: this.confidenceThreshold,
      allowShort: this.allowShort,
      logger: this.logger,
      ...(this.explicitColumns === undefined ? {} : { featureColumns: [...this.explicitColumns] }),
    });
  }

  /** Resolves features to the model's columns. */
  resolve(features: FeatureInput): ResolvedFeatures {
    return resolveFeatures(features, this.featureColumns);
  }

  /**
   * Trains the model on the rows whose features are all finite and whose label is finite
   * (labels must be 0 or 1). Throws `UNSUPPORTED` when the model has no `fit`, `INVALID_DATA` for
   * a bad label or when no row is usable.
   */
  async fit(features: FeatureInput, labels: ArrayLike<number>, options: StrategyFitOptions = {}): Promise<StrategyFitResult> {
    const fit = this.model.fit;
    if (typeof fit !== 'function') {
      throw new AlgoTradingError('UNSUPPORTED', 'the model has no fit method: pass a pre-trained model or one that can be trained', {
        details: { field: 'model' },
      });
    }
    const resolved = this.resolve(features);
    const rows = trainingRows(resolved, labels, options.rows);
    if (rows.length === 0) {
      throw new AlgoTradingError('INVALID_DATA', 'no row has finite features and a finite label: nothing to train on', {
        details: { field: 'labels' },
      });
    }
    const X = rowMatrix(resolved.data, rows, resolved.length);
    const y = new Float64Array(rows.length);
    let positives = 0;
    for (let r = 0; r < rows.length; r++) {
      y[r] = labels[rows[r]!]!;
      positives += y[r]!;
    }
    this.logger.debug({ rows: rows.length, columns: resolved.columns.length }, 'fitting model');
    await fit.call(this.model, X, y, options.fitOptions);
    if (this.explicitColumns === undefined) this.fittedColumns = Object.freeze([...resolved.columns]);
    return { rows: rows.length, positiveRate: positives / rows.length };
  }

  /**
   * P(up) per row: the model sees only rows whose features are all finite, in one call; other rows
   * get NaN. Throws `INVALID_DATA` when the model returns the wrong number of values or a value
   * outside [0, 1].
   */
  async predictProbabilities(features: FeatureInput): Promise<Float64Array> {
    const resolved = this.resolve(features);
    const rows = finiteRowIndices(resolved.data, resolved.length);
    const out = new Float64Array(resolved.length).fill(Number.NaN);
    if (rows.length === 0) {
      this.logger.warn({ rows: resolved.length }, 'no row has all features finite: every signal is HOLD');
      return out;
    }
    const X = rowMatrix(resolved.data, rows, resolved.length);
    const predicted = await this.model.predictProba(X);
    if (typeof predicted !== 'object' || predicted === null || predicted.length !== rows.length) {
      throw new AlgoTradingError(
        'INVALID_DATA',
        `model.predictProba returned ${describeValue(predicted)} for ${rows.length} rows: expected one probability per row`,
        { details: { field: 'predictProba', value: predicted } },
      );
    }
    for (let r = 0; r < rows.length; r++) {
      const p = predicted[r]!;
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
        throw new AlgoTradingError(
          'INVALID_DATA',
          `model.predictProba returned ${describeValue(p)} for feature row ${rows[r]}: expected a probability in [0, 1]`,
          { details: { field: 'predictProba', index: rows[r]!, value: p } },
        );
      }
      out[rows[r]!] = p;
    }
    this.logger.debug({ predicted: rows.length, skipped: resolved.length - rows.length }, 'predicted probabilities');
    return out;
  }

  /**
   * The signal rule over precomputed probabilities (cheap; no model call). `threshold` defaults to
   * {@link confidenceThreshold}.
   */
  applyThreshold(probabilities: ArrayLike<number>, threshold: number = this.confidenceThreshold): ThresholdedSignals {
    return applyThreshold(probabilities, requireThreshold('threshold', threshold));
  }

  /** Predicts and applies the signal rule. `options.threshold` overrides the default threshold. */
  async generateSignals(features: FeatureInput, options: { readonly threshold?: number } = {}): Promise<SignalOutput> {
    const threshold = requireThreshold('threshold', options.threshold ?? this.confidenceThreshold);
    const probabilities = await this.predictProbabilities(features);
    const { signals, confidences } = applyThreshold(probabilities, threshold);
    return { signals, confidences, probabilities };
  }

  /** Statistics of a signal series (see {@link getSignalStatistics}). */
  getSignalStatistics(signals: ArrayLike<number>, confidences?: ArrayLike<number>): SignalStatistics {
    return getSignalStatistics(signals, confidences);
  }
}

/**
 * Rows usable for training: in `candidates` (default all), every feature finite, label finite.
 * Finite labels must be 0 or 1.
 */
export function trainingRows(resolved: ResolvedFeatures, labels: ArrayLike<number>, candidates?: ArrayLike<number>): Int32Array {
  if (typeof labels !== 'object' || labels === null || labels.length !== resolved.length) {
    throw new AlgoTradingError(
      'INVALID_DATA',
      `labels must have one value per feature row (${resolved.length}), got ${describeValue(labels)}`,
      { details: { field: 'labels', value: labels } },
    );
  }
  const count = candidates === undefined ? resolved.length : candidates.length;
  const out = new Int32Array(count);
  let k = 0;
  for (let r = 0; r < count; r++) {
    const i = candidates === undefined ? r : candidates[r]!;
    if (!Number.isInteger(i) || i < 0 || i >= resolved.length) {
      throw new AlgoTradingError('INVALID_ARGUMENT', `rows[${r}] must be a row index in [0, ${resolved.length}), got ${describeValue(i)}`, {
        details: { field: 'rows', index: r, value: i },
      });
    }
    const y = labels[i]!;
    if (!Number.isFinite(y)) continue;
    if (y !== 0 && y !== 1) {
      throw new AlgoTradingError('INVALID_DATA', `labels[${i}] must be 0, 1 or NaN, got ${describeValue(y)}`, {
        details: { field: 'labels', index: i, value: y },
      });
    }
    let ok = true;
    for (let c = 0; c < resolved.data.length; c++) {
      if (!Number.isFinite(resolved.data[c]![i]!)) {
        ok = false;
        break;
      }
    }
    if (ok) out[k++] = i;
  }
  return out.slice(0, k);
}
