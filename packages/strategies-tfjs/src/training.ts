import { AlgoTradingError, type FitOptions, type Logger, type SeededRandom } from '@algo-trading/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { TfCoreModule } from './tfjs-runtime';

/** Metrics of one training epoch, as passed to `onEpochEnd` and kept in {@link FitSummary.history}. */
export interface EpochLogs {
  /** Training loss (binary cross-entropy, class-weighted when class weights are on). */
  readonly loss: number;
  /** Training accuracy at the 0.5 cut. */
  readonly accuracy: number;
  /** Validation loss (unweighted), when a validation split is used. */
  readonly valLoss?: number;
  /** Validation accuracy, when a validation split is used. */
  readonly valAccuracy?: number;
}

/** What a `fit` call did. */
export interface FitSummary {
  /** Seed actually used (given or drawn). */
  readonly seed: number;
  /** Epochs trained (fewer than `epochs` after an early stop). */
  readonly epochsRun: number;
  /** Epoch (0-based) with the lowest validation loss, or the last epoch without validation. */
  readonly bestEpoch: number;
  /** Whether early stopping ended training. */
  readonly stoppedEarly: boolean;
  /** Samples used for training and for validation (samples = rows for the dense model, windows for the LSTM). */
  readonly trainSamples: number;
  readonly validationSamples: number;
  /** Loss weight of class 0 and class 1 (1 and 1 without class weighting). */
  readonly classWeights: readonly [number, number];
  /** Per-epoch metrics. */
  readonly history: readonly EpochLogs[];
}

/** The training hyper-parameters the loop needs. */
export interface TrainingSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly earlyStoppingPatience: number;
  readonly restoreBestWeights: boolean;
}

/** Inputs of {@link trainNetwork}. */
export interface TrainingInputs {
  readonly tf: TfCoreModule;
  readonly model: LayersModel;
  readonly xTrain: Tensor;
  readonly yTrain: Tensor;
  readonly validation: { readonly x: Tensor; readonly y: Tensor } | undefined;
  readonly classWeights: readonly [number, number];
  readonly settings: TrainingSettings;
  readonly rng: SeededRandom;
  readonly fitOptions: FitOptions;
  readonly logger: Logger;
}

/** Balanced class weights n / (2 x n_c) over `labels`; a missing class gets weight 1. */
export function balancedClassWeights(labels: ArrayLike<number>): [number, number] {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] === 1 ? 1 : 0;
  const n = labels.length;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return [1, 1];
  return [n / (2 * negatives), n / (2 * positives)];
}

function historyValue(history: Record<string, unknown[]>, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const values = history[key];
    const v = values?.[values.length - 1];
    if (typeof v === 'number') return v;
    if (v !== undefined && v !== null && typeof (v as { dataSync?: unknown }).dataSync === 'function') {
      return (v as Tensor).dataSync()[0];
    }
  }
  return undefined;
}

function aborted(epoch: number, signal: AbortSignal | undefined): AlgoTradingError {
  return new AlgoTradingError('ABORTED', `fit aborted by the caller at epoch ${epoch}`, {
    cause: signal?.reason,
    details: { field: 'signal', index: epoch },
  });
}

/**
 * Trains `model` epoch by epoch: a seeded shuffle of the training samples each epoch, fresh
 * seeded dropout masks each batch, optional class weights, validation on the chronological
 * holdout, early stopping with best-weight restore, progress and abort between batches.
 * Every tensor it creates is disposed; the caller owns the inputs.
 */
export async function trainNetwork(inputs: TrainingInputs): Promise<Omit<FitSummary, 'seed' | 'trainSamples' | 'validationSamples'>> {
  const { tf, model, xTrain, yTrain, validation, classWeights, settings, rng, fitOptions, logger } = inputs;
  const { onEpochEnd, signal } = fitOptions;
  const n = xTrain.shape[0]!;
  const dropoutLayers = model.layers.filter((layer) => layer.getClassName() === 'Dropout') as unknown as { seed?: number }[];
  const order = new Int32Array(n);
  const useWeights = classWeights[0] !== 1 || classWeights[1] !== 1;
  const patience = validation === undefined ? 0 : settings.earlyStoppingPatience;

  const history: EpochLogs[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = -1;
  let bestWeights: Tensor[] | undefined;
  let wait = 0;
  let stoppedEarly = false;
  const disposeBest = () => {
    if (bestWeights !== undefined) tf.dispose(bestWeights);
    bestWeights = undefined;
  };

  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      if (signal?.aborted) throw aborted(epoch, signal);
      for (let i = 0; i < n; i++) order[i] = i;
      rng.shuffle(order);
      const indices = tf.tensor1d(order, 'int32');
      const xs = tf.gather(xTrain, indices);
      const ys = tf.gather(yTrain, indices);
      indices.dispose();
      let result;
      try {
        result = await model.fit(xs, ys, {
          epochs: 1,
          batchSize: settings.batchSize,
          shuffle: false,
          verbose: 0,
          ...(validation === undefined ? {} : { validationData: [validation.x, validation.y] as [Tensor, Tensor] }),
          ...(useWeights ? { classWeight: { 0: classWeights[0], 1: classWeights[1] } } : {}),
          callbacks: {
            onBatchBegin: async () => {
              if (signal?.aborted) model.stopTraining = true;
              for (const layer of dropoutLayers) layer.seed = rng.nextInt(2147483647);
            },
          },
        });
      } finally {
        tf.dispose([xs, ys]);
      }
      if (signal?.aborted) throw aborted(epoch, signal);
      const h = result.history as Record<string, unknown[]>;
      const valLoss = historyValue(h, 'val_loss');
      const valAccuracy = historyValue(h, 'val_acc', 'val_accuracy');
      const logs: EpochLogs = {
        loss: historyValue(h, 'loss') ?? Number.NaN,
        accuracy: historyValue(h, 'acc', 'accuracy') ?? Number.NaN,
        ...(valLoss === undefined ? {} : { valLoss }),
        ...(valAccuracy === undefined ? {} : { valAccuracy }),
      };
      history.push(logs);
      logger.debug({ epoch, ...logs }, 'epoch finished');
      onEpochEnd?.(epoch, logs as unknown as Readonly<Record<string, number>>);

      if (valLoss === undefined) {
        bestEpoch = epoch;
        continue;
      }
      if (valLoss < best) {
        best = valLoss;
        bestEpoch = epoch;
        wait = 0;
        if (settings.restoreBestWeights) {
          disposeBest();
          bestWeights = tf.tidy(() => model.getWeights().map((w) => tf.clone(w)));
        }
      } else {
        wait += 1;
        if (patience > 0 && wait >= patience) {
          stoppedEarly = true;
          break;
        }
      }
    }
    if (bestWeights !== undefined && bestEpoch !== history.length - 1) model.setWeights(bestWeights);
  } finally {
    disposeBest();
  }
  return { epochsRun: history.length, bestEpoch, stoppedEarly, classWeights, history };
}
