import { AlgoTradingError, type FitOptions, type Logger, type SeededRandom } from '@algo-trading/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createAdam } from './adam';
import { binaryCrossEntropy, correctCount, trainingGraph, type BatchInput, type TrainingGraph } from './training-graph';
import type { TfCoreModule } from './tfjs-runtime';

/** Metrics of one training epoch, as passed to `onEpochEnd` and kept in {@link FitSummary.history}. */
export interface EpochLogs {
  /** Training loss (binary cross-entropy, class-weighted when class weights are on), averaged over the epoch's batches. */
  readonly loss: number;
  /** Training accuracy at the 0.5 cut, over the epoch's batches (with dropout on). */
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
  /** Samples per training step and Adam's learning rate, as used (`'auto'` resolved). */
  readonly batchSize: number;
  readonly learningRate: number;
  /** Loss weight of class 0 and class 1 (1 and 1 without class weighting). */
  readonly classWeights: readonly [number, number];
  /** Per-epoch metrics. */
  readonly history: readonly EpochLogs[];
}

/** The training hyper-parameters the loop needs. */
export interface TrainingSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly earlyStoppingPatience: number;
  readonly restoreBestWeights: boolean;
  /** Samples per forward pass when scoring the validation tail. */
  readonly predictBatchSize: number;
}

/** Samples as one row-major float32 block (`count` samples of `sampleShape`) and their 0/1 labels. */
export interface SampleSet {
  readonly data: Float32Array;
  readonly labels: Float32Array;
  readonly count: number;
}

/** Inputs of {@link trainNetwork}. */
export interface TrainingInputs {
  readonly tf: TfCoreModule;
  readonly model: LayersModel;
  /** Shape of one sample (`[features]`, or `[window, features]`). */
  readonly sampleShape: readonly number[];
  readonly train: SampleSet;
  readonly validation: SampleSet | undefined;
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

function aborted(epoch: number, signal: AbortSignal | undefined): AlgoTradingError {
  return new AlgoTradingError('ABORTED', `fit aborted by the caller at epoch ${epoch}`, {
    cause: signal?.reason,
    details: { field: 'signal', index: epoch },
  });
}

/** Lets timers, I/O and abort handlers run during a long fit (at most every ~50 ms). */
const YIELD_EVERY_MS = 50;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Fills a dropout mask: each value independently 0 with probability `rate`, else 1 / (1 - rate)
 * (inverted dropout, as `tf.dropout`). Rather than one uniform draw per value, it draws the gaps
 * between the rarer outcome's positions, which are geometric: with q the rarer outcome's
 * probability, the gap before the next one is floor(ln(u) / ln(1 - q)), u uniform in (0, 1]. The
 * same distribution, with about q x length draws instead of length (a tenth of them at the default
 * rate 0.1), which matters because the masks are drawn for every unit of every sample of every step.
 */
export function fillDropoutMask(out: Float32Array, rate: number, rng: SeededRandom): void {
  const keep = 1 / (1 - rate);
  const dropsRarer = rate <= 0.5;
  const q = dropsRarer ? rate : 1 - rate;
  out.fill(dropsRarer ? keep : 0);
  if (q <= 0) return;
  const rare = dropsRarer ? 0 : keep;
  const logNot = Math.log1p(-q);
  for (let i = Math.floor(Math.log(1 - rng.next()) / logNot); i < out.length; i += 1 + Math.floor(Math.log(1 - rng.next()) / logNot)) {
    out[i] = rare;
  }
}

/**
 * Reusable float32 staging buffers of one batch: the batch is assembled here from the shuffled
 * sample order, then uploaded. (A fresh typed array per batch costs more in allocation and
 * garbage collection than the copy; slicing a tensor that holds every sample costs more still on
 * the wasm backend, whose slice copies the whole source out of wasm memory.) Each tensor made from
 * a buffer is disposed before the buffer is refilled.
 */
class BatchBuffers {
  readonly x: Float32Array;
  readonly xTransposed: Float32Array | undefined;
  readonly labels: Float32Array;
  readonly weights: Float32Array | undefined;
  readonly masks: Float32Array[];

  constructor(capacity: number, sampleSize: number, graph: TrainingGraph, weighted: boolean) {
    this.x = new Float32Array(capacity * sampleSize);
    this.xTransposed = graph.wantsTransposedInput ? new Float32Array(capacity * sampleSize) : undefined;
    this.labels = new Float32Array(capacity);
    this.weights = weighted ? new Float32Array(capacity) : undefined;
    this.masks = graph.dropouts.map((d) => new Float32Array(capacity * d.sampleSize));
  }
}

interface UploadedBatch {
  readonly input: BatchInput;
  readonly labels: Tensor;
  readonly weights: Tensor | undefined;
  readonly masks: Tensor[];
}

/**
 * Trains `model` epoch by epoch with a custom loop (no `model.fit`): a seeded shuffle of the
 * training samples each epoch; per batch, the samples copied into staging buffers and uploaded,
 * fresh seeded dropout masks, one gradient evaluation of the {@link trainingGraph} and one Adam
 * step over all variables; loss and accuracy kept on the device and read once per epoch;
 * validation on the chronological holdout once per epoch; early stopping with best-weight
 * restore; abort checked between batches and the event loop given a turn about every 50 ms.
 * Every tensor it creates is disposed.
 */
export async function trainNetwork(inputs: TrainingInputs): Promise<Omit<FitSummary, 'seed' | 'trainSamples' | 'validationSamples' | 'batchSize' | 'learningRate'>> {
  const { tf, model, sampleShape, train, validation, classWeights, settings, rng, fitOptions, logger } = inputs;
  const { onEpochEnd, signal } = fitOptions;
  const n = train.count;
  const sampleSize = sampleShape.reduce((a, b) => a * b, 1);
  const batchSize = Math.min(settings.batchSize, n);
  const weighted = classWeights[0] !== 1 || classWeights[1] !== 1;
  const patience = validation === undefined ? 0 : settings.earlyStoppingPatience;
  const graph = trainingGraph(tf, model);
  const adam = createAdam(tf, graph.variables, { learningRate: settings.learningRate });
  const buffers = new BatchBuffers(batchSize, sampleSize, graph, weighted);
  const order = new Int32Array(n);

  const upload = (first: number, count: number, masks: boolean): UploadedBatch => {
    const { x, xTransposed, labels, weights } = buffers;
    const data = train.data;
    for (let k = 0; k < count; k++) {
      const sample = order[first + k]!;
      const from = sample * sampleSize;
      const to = k * sampleSize;
      for (let j = 0; j < sampleSize; j++) x[to + j] = data[from + j]!;
      const label = train.labels[sample]!;
      labels[k] = label;
      if (weights !== undefined) weights[k] = classWeights[label === 1 ? 1 : 0];
    }
    if (xTransposed !== undefined) {
      for (let j = 0; j < sampleSize; j++) {
        const row = j * count;
        for (let k = 0; k < count; k++) xTransposed[row + k] = x[k * sampleSize + j]!;
      }
    }
    const size = count * sampleSize;
    return {
      input: {
        x: tf.tensor(x.subarray(0, size), [count, ...sampleShape]),
        xTransposed: xTransposed === undefined ? undefined : tf.tensor2d(xTransposed.subarray(0, size), [sampleSize, count]),
      },
      labels: tf.tensor2d(labels.subarray(0, count), [count, 1]),
      weights: weights === undefined ? undefined : tf.tensor2d(weights.subarray(0, count), [count, 1]),
      masks: masks
        ? graph.dropouts.map((site, i) => {
            const values = buffers.masks[i]!.subarray(0, count * site.sampleSize);
            fillDropoutMask(values, site.rate, rng);
            return tf.tensor(values, [count, site.sampleSize]);
          })
        : [],
    };
  };
  const release = (batch: UploadedBatch) => {
    tf.dispose([batch.input.x, batch.labels, ...batch.masks]);
    if (batch.input.xTransposed !== undefined) batch.input.xTransposed.dispose();
    if (batch.weights !== undefined) batch.weights.dispose();
  };

  /** Unweighted loss and accuracy on the validation samples, in chunks. */
  const evaluate = async (set: SampleSet): Promise<{ loss: number; accuracy: number }> => {
    const chunk = Math.max(1, settings.predictBatchSize);
    let lossSum = 0;
    let hits = 0;
    for (let first = 0; first < set.count; first += chunk) {
      const count = Math.min(chunk, set.count - first);
      const sums = tf.tidy(() => {
        const x = tf.tensor(set.data.subarray(first * sampleSize, (first + count) * sampleSize), [count, ...sampleShape]);
        const y = tf.tensor2d(set.labels.subarray(first, first + count), [count, 1]);
        const z = graph.logits({ x });
        return tf.stack([tf.mul(binaryCrossEntropy(tf, z, y), count), tf.cast(correctCount(tf, z, y), 'float32')]);
      });
      const [loss, correct] = (await sums.data()) as Float32Array;
      sums.dispose();
      lossSum += loss!;
      hits += correct!;
    }
    return { loss: lossSum / set.count, accuracy: hits / set.count };
  };

  const history: EpochLogs[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = -1;
  let bestWeights: Tensor[] | undefined;
  let wait = 0;
  let stoppedEarly = false;
  let lastYield = performance.now();
  const disposeBest = () => {
    if (bestWeights !== undefined) tf.dispose(bestWeights);
    bestWeights = undefined;
  };

  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      if (signal?.aborted) throw aborted(epoch, signal);
      for (let i = 0; i < n; i++) order[i] = i;
      rng.shuffle(order);
      const losses: Tensor[] = [];
      const corrects: Tensor[] = [];
      const counts: number[] = [];
      let trainLoss: number;
      let trainAccuracy: number;
      try {
        for (let first = 0; first < n; first += batchSize) {
          if (signal?.aborted) throw aborted(epoch, signal);
          const count = Math.min(batchSize, n - first);
          const batch = upload(first, count, true);
          try {
            const { value, grads } = tf.variableGrads(() => {
              const z = graph.logits(batch.input, batch.masks);
              corrects.push(tf.keep(correctCount(tf, z, batch.labels)));
              return binaryCrossEntropy(tf, z, batch.labels, batch.weights) as ReturnType<typeof tf.scalar>;
            }, [...graph.variables]);
            losses.push(value);
            counts.push(count);
            adam.update(grads);
            tf.dispose(Object.values(grads));
          } finally {
            release(batch);
          }
          if (performance.now() - lastYield > YIELD_EVERY_MS) {
            await yieldToEventLoop();
            lastYield = performance.now();
          }
        }
        const [lossValues, correctValues] = await Promise.all([tf.stack(losses), tf.stack(corrects)].map(async (t) => {
          try {
            return await t.data();
          } finally {
            t.dispose();
          }
        }));
        let lossSum = 0;
        let hits = 0;
        counts.forEach((count, b) => {
          lossSum += lossValues![b]! * count;
          hits += correctValues![b]!;
        });
        trainLoss = lossSum / n;
        trainAccuracy = hits / n;
      } finally {
        tf.dispose(losses);
        tf.dispose(corrects);
      }
      if (signal?.aborted) throw aborted(epoch, signal);
      const scored = validation === undefined ? undefined : await evaluate(validation);
      const valLoss = scored?.loss;
      const logs: EpochLogs = {
        loss: trainLoss,
        accuracy: trainAccuracy,
        ...(scored === undefined ? {} : { valLoss: scored.loss, valAccuracy: scored.accuracy }),
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
    graph.dispose();
  }
  return { epochsRun: history.length, bestEpoch, stoppedEarly, classWeights, history };
}
