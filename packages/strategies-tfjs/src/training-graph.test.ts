import { createSeededRandom } from '@algo-trading/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend';
import { loadTfRuntime } from './tfjs-runtime';
import { binaryCrossEntropy, correctCount, trainingGraph } from './training-graph';

const N = 37;
const FEATURES = 5;

beforeAll(async () => {
  await loadTfRuntime();
  await selectBackend({ preferred: 'wasm' });
});

function randomMatrix(rows: number, columns: number, seed: number): Float32Array {
  const rng = createSeededRandom(seed);
  return Float32Array.from({ length: rows * columns }, () => rng.normal());
}

function dense(hidden: readonly number[], activation: 'relu' | 'tanh' | 'elu' | 'selu', dropout: number): tfl.Sequential {
  const model = tfl.sequential();
  hidden.forEach((units, i) => {
    model.add(tfl.layers.dense({ units, activation, kernelInitializer: tfl.initializers.glorotUniform({ seed: 10 + i }), biasInitializer: tfl.initializers.randomNormal({ seed: 20 + i }), ...(i === 0 ? { inputShape: [FEATURES] } : {}) }));
    if (dropout > 0) model.add(tfl.layers.dropout({ rate: dropout }));
  });
  model.add(tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: 30 }) }));
  return model;
}

/** The same network written with plain tfjs ops (tfjs differentiates it): the reference. */
function referenceLogits(model: tfl.Sequential, x: tf.Tensor, masks: readonly tf.Tensor[], activation: string): tf.Tensor {
  let h = x;
  let site = 0;
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
  dense.forEach((layer, i) => {
    const [w, b] = layer.trainableWeights.map((v) => v.read());
    h = tf.add(tf.matMul(h as tf.Tensor2D, w as tf.Tensor2D), b!);
    if (i === dense.length - 1) return;
    h = activation === 'relu' ? tf.relu(h) : activation === 'tanh' ? tf.tanh(h) : activation === 'elu' ? tf.elu(h) : tf.selu(h);
    if (masks.length > 0) h = tf.mul(h, masks[site++]!);
  });
  return h;
}

function maskTensors(sizes: readonly number[], rate: number, seed: number): tf.Tensor[] {
  const rng = createSeededRandom(seed);
  return sizes.map((units) => tf.tensor2d(Float32Array.from({ length: N * units }, () => (rng.next() < rate ? 0 : 1 / (1 - rate))), [N, units]));
}

function gradientsOf(f: () => tf.Scalar, variables: tf.Variable[]): Float32Array[] {
  const { value, grads } = tf.variableGrads(f, variables);
  const out = variables.map((v) => grads[v.name]!.dataSync() as Float32Array);
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
  expect(worst).toBeLessThan(tolerance);
}

describe('trainingGraph', () => {
  for (const activation of ['relu', 'tanh', 'elu', 'selu'] as const) {
    it(`gives the logits and the gradients tfjs' own differentiation gives (${activation}, dropout masks, transposed input or not)`, () => {
      const model = dense([7, 4], activation, 0.25);
      const graph = trainingGraph(tf, model);
      expect(graph.dropouts).toEqual([{ rate: 0.25, sampleSize: 7 }, { rate: 0.25, sampleSize: 4 }]);
      expect(graph.wantsTransposedInput).toBe(true);
      expect(graph.variables).toHaveLength(6);
      const data = randomMatrix(N, FEATURES, 1);
      const x = tf.tensor2d(data, [N, FEATURES]);
      const xT = tf.transpose(x);
      const y = tf.tensor2d(Float32Array.from({ length: N }, (_, i) => (data[i * FEATURES]! > 0 ? 1 : 0)), [N, 1]);
      const masks = maskTensors([7, 4], 0.25, 2);
      const variables = [...graph.variables];
      const reference = () => tf.losses.sigmoidCrossEntropy(y, referenceLogits(model, x, masks, activation)) as tf.Scalar;

      const expectedLogits = tf.tidy(() => referenceLogits(model, x, masks, activation));
      const logits = tf.tidy(() => graph.logits({ x, xTransposed: xT }, masks));
      expectClose(logits.dataSync(), expectedLogits.dataSync(), 1e-5);
      const expected = gradientsOf(reference, variables);
      const withTransposed = gradientsOf(() => binaryCrossEntropy(tf, graph.logits({ x, xTransposed: xT }, masks), y) as tf.Scalar, variables);
      const withoutTransposed = gradientsOf(() => binaryCrossEntropy(tf, graph.logits({ x }, masks), y) as tf.Scalar, variables);
      withTransposed.forEach((g, i) => expectClose(g, expected[i]!, 1e-4));
      withoutTransposed.forEach((g, i) => expectClose(g, expected[i]!, 1e-4));
      // Without masks (inference): dropout is the identity.
      const plain = tf.tidy(() => graph.logits({ x }));
      const plainReference = tf.tidy(() => referenceLogits(model, x, [], activation));
      expectClose(plain.dataSync(), plainReference.dataSync(), 1e-5);
      tf.dispose([x, xT, y, ...masks, logits, expectedLogits, plain, plainReference]);
      graph.dispose();
      model.dispose();
    });
  }

  it('runs other layers (LSTM) through the layer and lets tfjs differentiate them', () => {
    const model = tfl.sequential();
    model.add(tfl.layers.lstm({ units: 3, inputShape: [4, 2], kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }), recurrentInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }));
    model.add(tfl.layers.dropout({ rate: 0.5 }));
    model.add(tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }));
    const graph = trainingGraph(tf, model);
    expect(graph.wantsTransposedInput).toBe(false);
    expect(graph.dropouts).toEqual([{ rate: 0.5, sampleSize: 3 }]);
    const x = tf.tensor3d(randomMatrix(N, 8, 4), [N, 4, 2]);
    const y = tf.tensor2d(Float32Array.from({ length: N }, (_, i) => i % 2), [N, 1]);
    const [mask] = maskTensors([3], 0.5, 5);
    const variables = [...graph.variables];
    const [kernel, bias] = model.layers[2]!.trainableWeights.map((v) => v.read());
    const reference = () =>
      tf.losses.sigmoidCrossEntropy(y, tf.add(tf.matMul(tf.mul(model.layers[0]!.apply(x, { training: true }) as tf.Tensor, mask!) as tf.Tensor2D, kernel as tf.Tensor2D), bias!)) as tf.Scalar;
    const expected = gradientsOf(reference, variables);
    const actual = gradientsOf(() => binaryCrossEntropy(tf, graph.logits({ x }, [mask!]), y) as tf.Scalar, variables);
    actual.forEach((g, i) => expectClose(g, expected[i]!, 1e-4));
    tf.dispose([x, y, mask!]);
    graph.dispose();
    model.dispose();
  });

  it('refuses a network that does not end with a sigmoid dense layer, and a wrong number of masks', () => {
    const model = tfl.sequential();
    model.add(tfl.layers.dense({ units: 2, inputShape: [3], activation: 'relu' }));
    expect(() => trainingGraph(tf, model)).toThrow('must end with a dense layer with a sigmoid');
    const ok = dense([2], 'relu', 0.1);
    const graph = trainingGraph(tf, ok);
    const x = tf.zeros([N, FEATURES]);
    expect(() => graph.logits({ x }, [])).toThrow('expected 1 dropout mask(s), got 0');
    x.dispose();
    model.dispose();
    ok.dispose();
  });
});

describe('binaryCrossEntropy and correctCount', () => {
  it('equals -mean(w (y log p + (1 - y) log(1 - p))) with p = sigmoid(z), and its gradient is w (p - y) / n', () => {
    const z = [2, -1, 0.5, -3, 0];
    const labels = [1, 0, 0, 1, 1];
    const weights = [0.5, 2, 1, 1.5, 1];
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    const bce = (w: readonly number[]) => -z.reduce((s, v, i) => s + w[i]! * (labels[i]! * Math.log(sigmoid(v)) + (1 - labels[i]!) * Math.log(1 - sigmoid(v))), 0) / z.length;
    const zt = tf.tensor2d(z, [5, 1]);
    const yt = tf.tensor2d(labels, [5, 1]);
    const wt = tf.tensor2d(weights, [5, 1]);
    const unweighted = binaryCrossEntropy(tf, zt, yt);
    const weighted = binaryCrossEntropy(tf, zt, yt, wt);
    expect(unweighted.dataSync()[0]).toBeCloseTo(bce([1, 1, 1, 1, 1]), 6);
    expect(weighted.dataSync()[0]).toBeCloseTo(bce(weights), 6);
    const gradient = tf.grad((logits: tf.Tensor) => binaryCrossEntropy(tf, logits, yt, wt))(zt).dataSync();
    z.forEach((v, i) => expect(gradient[i]).toBeCloseTo((weights[i]! * (sigmoid(v) - labels[i]!)) / 5, 7));
    // Large logits stay finite (no log of 0).
    const extreme = binaryCrossEntropy(tf, tf.tensor2d([80, -80], [2, 1]), tf.tensor2d([0, 1], [2, 1]));
    expect(extreme.dataSync()[0]).toBeCloseTo(80, 4);
    // Predicted 1 when z > 0: [1, 0, 1, 0, 0] against labels [1, 0, 0, 1, 1]: the first two are right.
    expect(correctCount(tf, zt, yt).dataSync()[0]).toBe(2);
    tf.dispose([zt, yt, wt, unweighted, weighted, extreme]);
  });
});
