import {
  AlgoTradingError,
  createSeededRandom,
  describeValue,
  type FeatureMatrix,
  type FitOptions,
  type Logger,
  type ProbabilisticClassifier,
} from '@algo-trading/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { ensureBackend } from './backend';
import { validateFeatureMatrix, validateLabels } from './feature-matrix';
import { readSavedNetwork, writeSavedClassifier, type ModelKind, type SavedClassifierMetadata } from './model-io';
import { checkScaler, fitScaler, standardizeInto, type ScalerState } from './scaler';
import { balancedClassWeights, trainNetwork, type FitSummary } from './training';
import { loadTfRuntime, type TfRuntime } from './tfjs-runtime';
import { autoBatchSize, autoLearningRate, type Auto, type ClassWeightMode } from './options';

/** The resolved options every classifier shares. */
export interface SharedResolvedOptions {
  readonly dropout: number;
  readonly epochs: number;
  readonly batchSize: number | Auto;
  readonly learningRate: number | Auto;
  readonly validationSplit: number;
  readonly earlyStoppingPatience: number;
  readonly restoreBestWeights: boolean;
  readonly seed?: number | undefined;
  readonly classWeight: ClassWeightMode;
  readonly predictBatchSize: number;
  readonly logger: Logger;
}

/**
 * Shared machinery of the TensorFlow.js classifiers: input validation, standardisation fitted on
 * training rows only, chronological validation holdout, seeded training, chunked inference inside
 * `tf.tidy`, save / load and disposal. A sample is the `window` consecutive rows ending at the row
 * it predicts (window 1: the row itself).
 */
export abstract class TfjsClassifierBase<O extends SharedResolvedOptions> implements ProbabilisticClassifier {
  /** Model kind written to saved folders. */
  abstract readonly kind: ModelKind;
  /** Resolved options (defaults applied). */
  readonly options: Readonly<Omit<O, 'logger'>>;
  protected readonly logger: Logger;
  #model: LayersModel | undefined;
  #scaler: ScalerState | undefined;
  #featureCount: number | undefined;
  #lastFit: FitSummary | undefined;
  #busy = false;
  #disposed = false;

  protected constructor(resolved: O) {
    const { logger, ...rest } = resolved;
    this.logger = logger;
    this.options = Object.freeze(rest) as Readonly<Omit<O, 'logger'>>;
  }

  /** Rows per sample (1 for the dense model, `windowSize` for the LSTM). */
  protected abstract get window(): number;

  /** Builds an untrained network for `featureCount` inputs; `nextSeed` feeds every initializer. */
  protected abstract buildNetwork(runtime: TfRuntime, featureCount: number, nextSeed: () => number): LayersModel;

  /** Shape of a batch of `count` samples. */
  protected abstract sampleShape(count: number, featureCount: number): number[];

  /** Whether the model has been fitted or loaded (and not disposed). */
  get isFitted(): boolean {
    return this.#model !== undefined;
  }

  /** Number of features the model was trained on, once fitted. */
  get featureCount(): number | undefined {
    return this.#featureCount;
  }

  /** Summary of the last `fit` (or of the fit a loaded model came from). */
  get lastFit(): FitSummary | undefined {
    return this.#lastFit;
  }

  /** The standardisation fitted on the training rows, once fitted. */
  get scaler(): ScalerState | undefined {
    return this.#scaler;
  }

  #assertUsable(action: string): void {
    if (this.#disposed) {
      throw new AlgoTradingError('INVALID_STATE', `cannot ${action}: the classifier was disposed`);
    }
  }

  #requireModel(action: string): LayersModel {
    this.#assertUsable(action);
    if (this.#model === undefined) {
      throw new AlgoTradingError('INVALID_STATE', `cannot ${action}: the classifier is not fitted (call fit() or load() first)`);
    }
    return this.#model;
  }

  /**
   * Trains a new network from scratch on rows `X` (all finite) and labels `y` (each 0 or 1). The
   * chronological last `validationSplit` of the samples is held out for early stopping; the
   * scaler is fitted on the training samples' rows only. The previous network (if any) is
   * replaced only when training succeeds.
   *
   * @throws AlgoTradingError `INVALID_DATA` naming the row, column and value of a bad input;
   *   `ABORTED` when `options.signal` fires; `INVALID_STATE` when disposed or already fitting.
   */
  async fit(X: FeatureMatrix, y: ArrayLike<number>, fitOptions: FitOptions = {}): Promise<FitSummary> {
    this.#assertUsable('fit');
    if (this.#busy) throw new AlgoTradingError('INVALID_STATE', 'cannot fit: a fit of this classifier is already running');
    this.#busy = true;
    try {
      return await this.#fit(X, y, fitOptions);
    } finally {
      this.#busy = false;
    }
  }

  async #fit(X: FeatureMatrix, y: ArrayLike<number>, fitOptions: FitOptions): Promise<FitSummary> {
    if (fitOptions === null || typeof fitOptions !== 'object') {
      throw new AlgoTradingError('INVALID_ARGUMENT', `fit options must be an object, got ${describeValue(fitOptions)}`, {
        details: { field: 'options', value: fitOptions },
      });
    }
    if (fitOptions.onEpochEnd !== undefined && typeof fitOptions.onEpochEnd !== 'function') {
      throw new AlgoTradingError('INVALID_ARGUMENT', `onEpochEnd must be a function, got ${describeValue(fitOptions.onEpochEnd)}`, {
        details: { field: 'onEpochEnd', value: fitOptions.onEpochEnd },
      });
    }
    const window = this.window;
    const { rows, columns } = validateFeatureMatrix(X, { name: 'X', allowNonFinite: false, minRows: window + 1 });
    const labels = validateLabels(y, rows);
    if (fitOptions.signal?.aborted) {
      throw new AlgoTradingError('ABORTED', 'fit aborted by the caller before training', { cause: fitOptions.signal.reason });
    }

    const o = this.options;
    const samples = rows - window + 1;
    const validationSamples = Math.floor(samples * o.validationSplit);
    const trainSamples = samples - validationSamples;
    if (trainSamples < 2) {
      throw new AlgoTradingError('INVALID_DATA', `X has too few rows to train: ${rows} row(s) give ${trainSamples} training sample(s), need at least 2`, {
        details: { field: 'X', value: rows },
      });
    }
    // Training samples end at rows window-1 .. window-1+trainSamples-1: the scaler sees only those rows.
    const trainRowEnd = window - 1 + trainSamples;
    const scaler = fitScaler(X, trainRowEnd, columns);
    const standardized = new Float32Array(rows * columns);
    const valid = new Uint8Array(rows);
    standardizeInto(X, scaler, columns, standardized, valid);

    const sampleSize = window * columns;
    const fill = (firstSample: number, count: number) => {
      const data = new Float32Array(count * sampleSize);
      const target = new Float32Array(count);
      for (let k = 0; k < count; k++) {
        const row = firstSample + k + window - 1;
        data.set(standardized.subarray((row - window + 1) * columns, (row + 1) * columns), k * sampleSize);
        target[k] = labels[row]!;
      }
      return { data, target };
    };
    const train = fill(0, trainSamples);
    const val = validationSamples > 0 ? fill(trainSamples, validationSamples) : undefined;
    const classWeights: [number, number] = o.classWeight === 'balanced' ? balancedClassWeights(train.target) : [1, 1];
    const batchOption: number | Auto = o.batchSize;
    const rateOption: number | Auto = o.learningRate;
    const batchSize = batchOption === 'auto' ? autoBatchSize(trainSamples) : batchOption;
    const learningRate = rateOption === 'auto' ? autoLearningRate(batchSize) : rateOption;

    const seed = o.seed ?? Math.floor(Math.random() * 4294967296);
    const rng = createSeededRandom(seed);
    const runtime = await loadTfRuntime();
    const { tf } = runtime;
    await ensureBackend(this.logger);

    const model = this.buildNetwork(runtime, columns, () => rng.nextInt(2147483647));
    let result;
    try {
      result = await trainNetwork({
        tf,
        model,
        sampleShape: this.sampleShape(1, columns).slice(1),
        train: { data: train.data, labels: train.target, count: trainSamples },
        validation: val === undefined ? undefined : { data: val.data, labels: val.target, count: validationSamples },
        classWeights,
        settings: { ...o, batchSize, learningRate },
        rng,
        fitOptions,
        logger: this.logger,
      });
    } catch (error) {
      model.dispose();
      throw error;
    }
    if (this.#disposed) {
      model.dispose();
      throw new AlgoTradingError('INVALID_STATE', 'the classifier was disposed while fitting');
    }
    this.#model?.dispose();
    this.#model = model;
    this.#scaler = scaler;
    this.#featureCount = columns;
    this.#lastFit = { seed, trainSamples, validationSamples, batchSize, learningRate, ...result };
    this.logger.info(
      { kind: this.kind, seed, epochsRun: result.epochsRun, bestEpoch: result.bestEpoch, stoppedEarly: result.stoppedEarly, trainSamples, validationSamples, batchSize, learningRate },
      'classifier fitted',
    );
    return this.#lastFit;
  }

  /**
   * P(label = 1) per row of `X`, as a Float64Array aligned with the rows. Rows with a NaN or
   * infinite feature (and, for a window model, rows without `window` complete rows ending at
   * them) get NaN instead of a probability. Inference runs in chunks inside `tf.tidy`.
   *
   * @throws AlgoTradingError `INVALID_STATE` before fit/load; `INVALID_DATA` for a wrong column count.
   */
  async predictProba(X: FeatureMatrix): Promise<Float64Array> {
    const model = this.#requireModel('predict');
    const columns = this.#featureCount!;
    const { rows } = validateFeatureMatrix(X, { name: 'X', columns, allowNonFinite: true, minRows: 0 });
    const out = new Float64Array(rows).fill(Number.NaN);
    if (rows === 0) return out;
    const window = this.window;
    const standardized = new Float32Array(rows * columns);
    const valid = new Uint8Array(rows);
    standardizeInto(X, this.#scaler!, columns, standardized, valid);

    // Rows whose window of `window` rows ending at them is entirely valid.
    const targets = new Int32Array(rows);
    let count = 0;
    let run = 0;
    for (let t = 0; t < rows; t++) {
      run = valid[t] === 1 ? run + 1 : 0;
      if (run >= window) targets[count++] = t;
    }
    if (count === 0) return out;

    const { tf } = await loadTfRuntime();
    await ensureBackend(this.logger);
    const sampleSize = window * columns;
    const chunk = Math.min(count, this.options.predictBatchSize);
    const buffer = new Float32Array(chunk * sampleSize);
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      for (let k = 0; k < n; k++) {
        const t = targets[start + k]!;
        buffer.set(standardized.subarray((t - window + 1) * columns, (t + 1) * columns), k * sampleSize);
      }
      const input = n === chunk ? buffer : buffer.subarray(0, n * sampleSize);
      const probabilities = tf.tidy(() => {
        const x = tf.tensor(input, this.sampleShape(n, columns));
        return model.predict(x, { batchSize: n }) as Tensor;
      });
      let values: Float32Array;
      try {
        values = (await probabilities.data()) as Float32Array;
      } finally {
        probabilities.dispose();
      }
      for (let k = 0; k < n; k++) out[targets[start + k]!] = values[k]!;
    }
    return out;
  }

  /**
   * Saves the fitted model to folder `dir`: `model.json` + `weights.bin` (tfjs layers format) and
   * `classifier.json` (format version, scaler, options, checksum). Load it back with the class's
   * static `load` or `loadClassifier`.
   */
  async save(dir: string): Promise<void> {
    const model = this.#requireModel('save');
    if (typeof dir !== 'string' || dir.trim() === '') {
      throw new AlgoTradingError('INVALID_ARGUMENT', `dir must be a non-empty folder path, got ${describeValue(dir)}`, {
        details: { field: 'dir', value: dir },
      });
    }
    const runtime = await loadTfRuntime();
    await ensureBackend(this.logger);
    await writeSavedClassifier(dir, runtime, model, {
      kind: this.kind,
      featureCount: this.#featureCount!,
      scaler: this.#scaler!,
      options: { ...this.options } as Record<string, unknown>,
      fit: this.#lastFit === undefined ? null : ({ ...this.#lastFit, history: this.#lastFit.history.map((h) => ({ ...h })) } as Record<string, unknown>),
    });
    this.logger.info({ dir, kind: this.kind }, 'classifier saved');
  }

  /** Restores the state read from a saved folder (used by the static `load` methods). */
  protected async restore(dir: string, metadata: SavedClassifierMetadata): Promise<void> {
    const runtime = await loadTfRuntime();
    await ensureBackend(this.logger);
    const scaler = checkScaler(metadata.scaler, metadata.featureCount, dir);
    const model = await readSavedNetwork(dir, runtime, metadata);
    this.#model = model;
    this.#scaler = scaler;
    this.#featureCount = metadata.featureCount;
    this.#lastFit = (metadata.fit ?? undefined) as FitSummary | undefined;
  }

  /** Frees the network's tensors. The classifier cannot be used afterwards. Idempotent. */
  dispose(): void {
    this.#disposed = true;
    this.#model?.dispose();
    this.#model = undefined;
  }
}
