import { catchAlgoTradingRejection, isAlgoTradingError } from '@algo-trading/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, recordingLogger, syntheticData } from '../test/helpers';
import { selectBackend } from './backend';
import { TfjsClassifier } from './tfjs-classifier';

const FAST = { hiddenUnits: [16], epochs: 12, batchSize: 64, learningRate: 0.01, validationSplit: 0.2, earlyStoppingPatience: 0 } as const;

// Label = sign(x0 + 0.5 x1): a signal the network can learn; 1,500 training rows, 500 test rows.
const planted = syntheticData(2000, 5, 11, (row) => row[0]! + 0.5 * row[1]!);
const trainX = planted.X.slice(0, 1500);
const trainY = planted.y.slice(0, 1500);
const testX = planted.X.slice(1500);
const testY = planted.y.slice(1500);

beforeAll(async () => {
  await selectBackend({ preferred: 'wasm' });
});

describe('TfjsClassifier learning', () => {
  it('learns a planted signal out of sample, and not shuffled labels', async () => {
    const model = new TfjsClassifier({ ...FAST, seed: 1 });
    await model.fit(trainX, trainY);
    const p = await model.predictProba(testX);
    expect(p).toBeInstanceOf(Float64Array);
    expect(p).toHaveLength(500);
    expect(p.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(accuracy(p, testY)).toBeGreaterThan(0.9);
    model.dispose();

    // Labels independent of the features (a fair coin per row from another seed): about 50%.
    const coin = syntheticData(2000, 1, 99, (row) => row[0]!).y;
    const noise = new TfjsClassifier({ ...FAST, seed: 1 });
    await noise.fit(trainX, coin.slice(0, 1500));
    const q = await noise.predictProba(testX);
    const acc = accuracy(q, coin.slice(1500));
    expect(acc).toBeGreaterThan(0.4);
    expect(acc).toBeLessThan(0.6);
    noise.dispose();
  });

  it('is deterministic for a seed (initialisation, dropout and shuffling) and differs across seeds', async () => {
    const options = { ...FAST, epochs: 4, dropout: 0.3 };
    const a = new TfjsClassifier({ ...options, seed: 42 });
    const b = new TfjsClassifier({ ...options, seed: 42 });
    const c = new TfjsClassifier({ ...options, seed: 43 });
    const fa = await a.fit(trainX, trainY);
    const fb = await b.fit(trainX, trainY);
    await c.fit(trainX, trainY);
    const [pa, pb, pc] = await Promise.all([a.predictProba(testX), b.predictProba(testX), c.predictProba(testX)]);
    expect(Array.from(pb)).toEqual(Array.from(pa));
    expect(fb.history).toEqual(fa.history);
    expect(Array.from(pc)).not.toEqual(Array.from(pa));
    // Refitting the same instance reproduces the same model.
    await a.fit(trainX, trainY);
    expect(Array.from(await a.predictProba(testX))).toEqual(Array.from(pa));
    for (const m of [a, b, c]) m.dispose();
  });

  it('draws and reports a seed when none is given', async () => {
    const model = new TfjsClassifier({ ...FAST, epochs: 1 });
    const summary = await model.fit(trainX, trainY);
    expect(Number.isInteger(summary.seed)).toBe(true);
    const again = new TfjsClassifier({ ...FAST, epochs: 1, seed: summary.seed });
    await again.fit(trainX, trainY);
    expect(Array.from(await again.predictProba(testX))).toEqual(Array.from(await model.predictProba(testX)));
    model.dispose();
    again.dispose();
  });

  it('weighs an imbalanced minority class up with balanced class weights', async () => {
    // ~10% positives, weakly predictable: without weights P(up) sits near the base rate.
    const hidden = syntheticData(1500, 1, 77, () => 0).X;
    const rare = syntheticData(1500, 4, 5, (row, i) => row[0]! + 0.8 * hidden[i]![0]! - 1.5);
    const positives = rare.y.reduce((s, v) => s + v, 0);
    expect(positives / rare.y.length).toBeGreaterThan(0.05);
    expect(positives / rare.y.length).toBeLessThan(0.2);
    const plain = new TfjsClassifier({ ...FAST, seed: 3, validationSplit: 0 });
    const weighted = new TfjsClassifier({ ...FAST, seed: 3, validationSplit: 0, classWeight: 'balanced' });
    const sPlain = await plain.fit(rare.X, rare.y);
    const sWeighted = await weighted.fit(rare.X, rare.y);
    const n = rare.y.length;
    expect(sPlain.classWeights).toEqual([1, 1]);
    expect(sWeighted.classWeights[0]).toBeCloseTo(n / (2 * (n - positives)), 12);
    expect(sWeighted.classWeights[1]).toBeCloseTo(n / (2 * positives), 12);
    const mean = (p: Float64Array) => p.reduce((s, v) => s + v, 0) / p.length;
    const pPlain = await plain.predictProba(rare.X);
    const pWeighted = await weighted.predictProba(rare.X);
    expect(mean(pPlain)).toBeLessThan(0.25);
    expect(mean(pWeighted)).toBeGreaterThan(mean(pPlain) + 0.15);
    // Recall of the minority class improves.
    const recall = (p: Float64Array) => rare.y.reduce((s, v, i) => s + (v === 1 && p[i]! > 0.5 ? 1 : 0), 0) / positives;
    expect(recall(pWeighted)).toBeGreaterThan(recall(pPlain));
    plain.dispose();
    weighted.dispose();
  });
});

describe('TfjsClassifier training loop', () => {
  it('reports every epoch and holds out the chronological tail for validation', async () => {
    const epochs: number[] = [];
    const model = new TfjsClassifier({ ...FAST, epochs: 3, seed: 2 });
    const summary = await model.fit(trainX, trainY, { onEpochEnd: (epoch, logs) => epochs.push(epoch, logs['loss']!) });
    expect(epochs.filter((_, i) => i % 2 === 0)).toEqual([0, 1, 2]);
    expect(summary).toMatchObject({ epochsRun: 3, trainSamples: 1200, validationSamples: 300, stoppedEarly: false });
    expect(summary.history[0]!.valLoss).toBeTypeOf('number');
    // The scaler is fitted on the 1,200 training rows only.
    const mean0 = trainX.slice(0, 1200).reduce((s, r) => s + r[0]!, 0) / 1200;
    expect(model.scaler!.mean[0]).toBeCloseTo(mean0, 12);
    model.dispose();
  });

  it("reports the batch size and learning rate used, 'auto' resolved from the training samples", async () => {
    const explicit = new TfjsClassifier({ ...FAST, epochs: 1, seed: 2 });
    expect(await explicit.fit(trainX, trainY)).toMatchObject({ trainSamples: 1200, batchSize: 64, learningRate: 0.01 });
    // 1,200 training samples: 75 a batch by the rule, raised to the floor of 256; learning rate 1e-3 at 256.
    const auto = new TfjsClassifier({ epochs: 1, validationSplit: 0.2, seed: 2 });
    expect(await auto.fit(trainX, trainY)).toMatchObject({ trainSamples: 1200, batchSize: 256, learningRate: 1e-3 });
    expect(auto.options).toMatchObject({ batchSize: 'auto', learningRate: 'auto' });
    explicit.dispose();
    auto.dispose();
  });

  it('trains on every row without a validation split', async () => {
    const model = new TfjsClassifier({ ...FAST, epochs: 2, seed: 2, validationSplit: 0, earlyStoppingPatience: 3 });
    const summary = await model.fit(trainX, trainY);
    expect(summary).toMatchObject({ trainSamples: 1500, validationSamples: 0, epochsRun: 2, bestEpoch: 1, stoppedEarly: false });
    expect(summary.history[0]).not.toHaveProperty('valLoss');
    model.dispose();
  });

  it('stops early when the validation loss stops improving and restores the best epoch', async () => {
    const coin = syntheticData(600, 1, 4, (row) => row[0]!).y;
    const noiseX = syntheticData(600, 8, 8, () => 0).X;
    const model = new TfjsClassifier({ hiddenUnits: [64], dropout: 0, epochs: 60, batchSize: 32, learningRate: 0.02, earlyStoppingPatience: 2, seed: 9 });
    const summary = await model.fit(noiseX, coin);
    expect(summary.stoppedEarly).toBe(true);
    expect(summary.epochsRun).toBeLessThan(60);
    expect(summary.epochsRun).toBe(summary.bestEpoch + 3);
    const best = Math.min(...summary.history.map((h) => h.valLoss!));
    expect(summary.history[summary.bestEpoch]!.valLoss).toBe(best);
    model.dispose();
  });

  it('aborts between epochs and keeps the previous model', async () => {
    const model = new TfjsClassifier({ ...FAST, epochs: 2, seed: 4 });
    await model.fit(trainX, trainY);
    const before = await model.predictProba(testX);
    const controller = new AbortController();
    const error = await catchAlgoTradingRejection(
      model.fit(trainX, trainY.map((v) => 1 - v), {
        signal: controller.signal,
        onEpochEnd: (epoch) => {
          if (epoch === 0) controller.abort();
        },
      }),
    );
    expect(isAlgoTradingError(error, 'ABORTED')).toBe(true);
    expect(Array.from(await model.predictProba(testX))).toEqual(Array.from(before));
    const already = new AbortController();
    already.abort();
    expect((await catchAlgoTradingRejection(model.fit(trainX, trainY, { signal: already.signal }), 'ABORTED')).code).toBe('ABORTED');
    model.dispose();
  });

  it('lets timers run while it trains: an abort from a timer stops it between batches', async () => {
    // 500 epochs of 75 small batches would take minutes: only an abort seen mid-fit ends it quickly.
    const model = new TfjsClassifier({ ...FAST, epochs: 500, batchSize: 16, seed: 4 });
    const controller = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
      if (ticks === 3) controller.abort();
    }, 5);
    const error = await catchAlgoTradingRejection(model.fit(trainX, trainY, { signal: controller.signal }));
    clearInterval(timer);
    expect(isAlgoTradingError(error, 'ABORTED')).toBe(true);
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(model.isFitted).toBe(false);
    model.dispose();
  });

  it('refuses a second fit while one is running', async () => {
    const model = new TfjsClassifier({ ...FAST, epochs: 1, seed: 4 });
    const first = model.fit(trainX, trainY);
    const second = await catchAlgoTradingRejection(model.fit(trainX, trainY));
    expect(isAlgoTradingError(second, 'INVALID_STATE')).toBe(true);
    await first;
    model.dispose();
  });

  it('logs through the injected logger only', async () => {
    const logger = recordingLogger();
    const model = new TfjsClassifier({ ...FAST, epochs: 2, seed: 4, logger });
    await model.fit(trainX, trainY);
    expect(logger.calls.filter((c) => c.level === 'debug' && c.args[1] === 'epoch finished')).toHaveLength(2);
    expect(logger.calls.some((c) => c.level === 'info' && c.args[1] === 'classifier fitted')).toBe(true);
    model.dispose();
  });
});

describe('TfjsClassifier inputs and state', () => {
  it('predicts NaN for rows with non-finite features, the others unchanged', async () => {
    const model = new TfjsClassifier({ ...FAST, epochs: 2, seed: 6 });
    await model.fit(trainX, trainY);
    const rows = [testX[0]!, [Number.NaN, 0, 0, 0, 0], testX[1]!, [0, Number.POSITIVE_INFINITY, 0, 0, 0]];
    const p = await model.predictProba(rows);
    const clean = await model.predictProba([testX[0]!, testX[1]!]);
    expect(Number.isNaN(p[1]!)).toBe(true);
    expect(Number.isNaN(p[3]!)).toBe(true);
    expect([p[0], p[2]]).toEqual([clean[0], clean[1]]);
    expect(await model.predictProba([])).toHaveLength(0);
    // Float64Array rows and chunked inference give the same values.
    const chunked = new TfjsClassifier({ ...FAST, epochs: 2, seed: 6, predictBatchSize: 7 });
    await chunked.fit(trainX, trainY);
    const typed = testX.map((r) => Float64Array.from(r));
    expect(Array.from(await chunked.predictProba(typed))).toEqual(Array.from(await model.predictProba(testX)));
    model.dispose();
    chunked.dispose();
  });

  it('rejects bad training data naming row, column and value', async () => {
    const model = new TfjsClassifier({ ...FAST, epochs: 1, seed: 1 });
    const withNaN = trainX.map((r) => [...r]);
    withNaN[3]![1] = Number.NaN;
    const e1 = await catchAlgoTradingRejection(model.fit(withNaN, trainY));
    expect(isAlgoTradingError(e1, 'INVALID_DATA')).toBe(true);
    expect(e1.message).toBe('X[3][1] must be a finite number, got NaN');
    const badLabels = [...trainY];
    badLabels[7] = 2;
    expect((await catchAlgoTradingRejection(model.fit(trainX, badLabels))).message).toBe('y[7] must be 0 or 1, got 2');
    expect((await catchAlgoTradingRejection(model.fit(trainX, trainY.slice(1)))).message).toBe('y has 1499 label(s) but X has 1500 row(s)');
    const halfHeldOut = new TfjsClassifier({ ...FAST, validationSplit: 0.5 });
    expect((await catchAlgoTradingRejection(halfHeldOut.fit([[1], [2]], [0, 1]))).message).toBe(
      'X has too few rows to train: 2 row(s) give 1 training sample(s), need at least 2',
    );
    expect((await catchAlgoTradingRejection(model.fit([[1]], [0]))).message).toBe('X must have at least 2 row(s), got 1');
    expect((await catchAlgoTradingRejection(model.fit(trainX, trainY, 'x' as never), 'INVALID_ARGUMENT')).code).toBe('INVALID_ARGUMENT');
    expect((await catchAlgoTradingRejection(model.fit(trainX, trainY, { onEpochEnd: 1 as never }), 'INVALID_ARGUMENT')).code).toBe('INVALID_ARGUMENT');
  });

  it('refuses to predict or save before fit, after dispose, or with the wrong width', async () => {
    const model = new TfjsClassifier({ ...FAST, epochs: 1, seed: 1 });
    expect((await catchAlgoTradingRejection(model.predictProba(testX), 'INVALID_STATE')).code).toBe('INVALID_STATE');
    expect((await catchAlgoTradingRejection(model.save('/tmp/never'), 'INVALID_STATE')).code).toBe('INVALID_STATE');
    await model.fit(trainX, trainY);
    expect(model.featureCount).toBe(5);
    const wide = await catchAlgoTradingRejection(model.predictProba([[1, 2, 3]]));
    expect(wide.message).toBe('X[0] has 3 column(s), expected 5 (the feature count the model was trained with)');
    model.dispose();
    model.dispose();
    expect(model.isFitted).toBe(false);
    expect((await catchAlgoTradingRejection(model.predictProba(testX), 'INVALID_STATE')).code).toBe('INVALID_STATE');
    expect((await catchAlgoTradingRejection(model.fit(trainX, trainY), 'INVALID_STATE')).code).toBe('INVALID_STATE');
  });

  it('keeps tf.memory().numTensors flat over repeated fit / predict and frees everything on dispose', async () => {
    const baseline = tf.memory().numTensors;
    const model = new TfjsClassifier({ ...FAST, epochs: 2, dropout: 0.2, seed: 8 });
    const counts: number[] = [];
    for (let round = 0; round < 3; round++) {
      await model.fit(trainX, trainY);
      await model.predictProba(testX);
      counts.push(tf.memory().numTensors);
    }
    expect(counts[2]).toBe(counts[1]);
    expect(counts[1]).toBe(counts[0]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
