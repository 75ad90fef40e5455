// @long-running: trains LSTM models (started first, see tools/config/long-running-first.ts).
import { isAlgoTradingError } from '@algo-trading/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, syntheticData } from '../test/helpers';
import { selectBackend } from './backend';
import { LstmClassifier } from './lstm-classifier';

// The label of row t is the sign of feature 0 three rows earlier: only a model that sees the
// window (not the row alone) can predict it.
const lagged = syntheticData(1200, 3, 31, (_row, i, rows) => (i >= 3 ? rows[i - 3]![0]! : 0));
const options = { windowSize: 5, lstmUnits: [12], dropout: 0, epochs: 15, batchSize: 32, learningRate: 0.02, earlyStoppingPatience: 0 } as const;
// Training an LSTM on the wasm backend takes a few seconds on a quiet machine and over 30 s on a
// loaded two-core one: the training tests get an explicit, generous timeout.
const TRAINING_TIMEOUT = 180_000;

beforeAll(async () => {
  await selectBackend({ preferred: 'wasm' });
});

describe('LstmClassifier', () => {
  it('learns a signal that lives in earlier rows of the window', async () => {
    const model = new LstmClassifier({ ...options, seed: 1 });
    const summary = await model.fit(lagged.X.slice(0, 900), lagged.y.slice(0, 900));
    // 900 rows give 896 windows; 20% (179) held out for validation.
    expect(summary).toMatchObject({ trainSamples: 717, validationSamples: 179 });
    const p = await model.predictProba(lagged.X.slice(900));
    expect(p.slice(0, 4).every(Number.isNaN)).toBe(true);
    expect(accuracy(p, lagged.y.slice(900))).toBeGreaterThan(0.85);
    model.dispose();
  }, TRAINING_TIMEOUT);

  it('is deterministic for a seed', async () => {
    const a = new LstmClassifier({ ...options, epochs: 2, dropout: 0.2, seed: 9 });
    const b = new LstmClassifier({ ...options, epochs: 2, dropout: 0.2, seed: 9 });
    await a.fit(lagged.X.slice(0, 300), lagged.y.slice(0, 300));
    await b.fit(lagged.X.slice(0, 300), lagged.y.slice(0, 300));
    const x = lagged.X.slice(300, 400);
    expect(Array.from(await b.predictProba(x))).toEqual(Array.from(await a.predictProba(x)));
    a.dispose();
    b.dispose();
  }, TRAINING_TIMEOUT);

  it('gives NaN for the first windowSize-1 rows and for windows touching a NaN row', async () => {
    const model = new LstmClassifier({ ...options, epochs: 1, seed: 2 });
    await model.fit(lagged.X.slice(0, 200), lagged.y.slice(0, 200));
    const x = lagged.X.slice(200, 220).map((r) => [...r]);
    x[10]![2] = Number.NaN;
    const p = await model.predictProba(x);
    const nanRows = Array.from(p, (v, i) => (Number.isNaN(v) ? i : -1)).filter((i) => i >= 0);
    // Warm-up rows 0..3, then rows 10..14 whose windows include row 10.
    expect(nanRows).toEqual([0, 1, 2, 3, 10, 11, 12, 13, 14]);
    // A prediction depends only on its own window.
    const alone = await model.predictProba(x.slice(15, 20));
    expect(alone[4]).toBe(p[19]);
    model.dispose();
  }, TRAINING_TIMEOUT);

  it('needs more rows than the window to train', async () => {
    const model = new LstmClassifier({ ...options, windowSize: 10 });
    const error = await model.fit(lagged.X.slice(0, 10), lagged.y.slice(0, 10)).catch((e: unknown) => e);
    expect(isAlgoTradingError(error, 'INVALID_DATA')).toBe(true);
    expect((error as Error).message).toBe('X must have at least 11 row(s), got 10');
  });

  it('keeps memory flat over repeated fits', async () => {
    const model = new LstmClassifier({ ...options, epochs: 1, dropout: 0.1, seed: 4 });
    const counts: number[] = [];
    for (let round = 0; round < 3; round++) {
      await model.fit(lagged.X.slice(0, 200), lagged.y.slice(0, 200));
      await model.predictProba(lagged.X.slice(200, 260));
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    model.dispose();
  }, TRAINING_TIMEOUT);
});
