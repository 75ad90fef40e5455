import { createSeededRandom } from '@algo-trading/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdam } from './adam';
import { selectBackend } from './backend';

beforeAll(async () => {
  await selectBackend({ preferred: 'wasm' });
});

describe('createAdam', () => {
  it('takes the same steps as tf.train.adam from the same gradients', () => {
    const rng = createSeededRandom(3);
    const init = [Float32Array.from({ length: 6 }, () => rng.normal()), Float32Array.from({ length: 3 }, () => rng.normal())];
    const ours = [tf.variable(tf.tensor2d(init[0]!, [2, 3])), tf.variable(tf.tensor1d(init[1]!))];
    const theirs = [tf.variable(tf.tensor2d(init[0]!, [2, 3])), tf.variable(tf.tensor1d(init[1]!))];
    const adam = createAdam(tf, ours, { learningRate: 0.01 });
    const reference = tf.train.adam(0.01);
    // A quadratic bowl with a different target per step, so that the moments matter.
    for (let step = 0; step < 25; step++) {
      const target = tf.scalar(Math.sin(step));
      const loss = (vars: tf.Variable[]) => () => tf.add(tf.sum(tf.square(tf.sub(vars[0]!, target))), tf.sum(tf.mul(vars[1]!, vars[1]!))) as tf.Scalar;
      const ourGrads = tf.variableGrads(loss(ours), ours);
      adam.update(ourGrads.grads);
      tf.dispose([ourGrads.value, ...Object.values(ourGrads.grads)]);
      const theirGrads = tf.variableGrads(loss(theirs), theirs);
      reference.applyGradients(theirs.map((v) => ({ name: v.name, tensor: theirGrads.grads[v.name]! })));
      tf.dispose([theirGrads.value, ...Object.values(theirGrads.grads), target]);
    }
    ours.forEach((v, i) => {
      const a = v.dataSync();
      const b = theirs[i]!.dataSync();
      expect(v.shape).toEqual(theirs[i]!.shape);
      for (let k = 0; k < a.length; k++) expect(a[k]).toBeCloseTo(b[k]!, 5);
    });
    // The variables did move (25 steps of 0.01).
    expect(Math.abs(ours[1]!.dataSync()[0]! - init[1]![0]!)).toBeGreaterThan(0.05);
    reference.dispose();
    tf.dispose([...ours, ...theirs]);
  });

  it('leaves a variable without a gradient unchanged', () => {
    const a = tf.variable(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.tensor1d([3]));
    const adam = createAdam(tf, [a, b], { learningRate: 0.1 });
    const gradient = tf.tensor1d([1, -1]);
    adam.update({ [a.name]: gradient });
    // First Adam step: lr * g / (|g| + eps) -> 0.1 against the sign of the gradient.
    expect(Array.from(a.dataSync()).map((v) => Number(v.toFixed(5)))).toEqual([0.9, 2.1]);
    expect(Array.from(b.dataSync())).toEqual([3]);
    tf.dispose([a, b, gradient]);
  });
});
