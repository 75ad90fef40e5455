import type { NamedTensorMap, Variable } from '@tensorflow/tfjs-core';
import type { TfCoreModule } from './tfjs-runtime';

/** An Adam optimizer over a fixed list of variables. */
export interface AdamOptimizer {
  /** Applies one step from gradients keyed by variable name (as `tf.variableGrads` returns them). */
  update(gradients: NamedTensorMap): void;
}

/** Adam's settings; the defaults are those of `tf.train.adam` (epsilon: the backend's, 1e-7 in float32). */
export interface AdamSettings {
  readonly learningRate: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

/**
 * Adam (Kingma and Ba) with the update of `tf.train.adam`:
 * m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
 * w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps),
 * computed in JavaScript over a float32 copy of the weights (moments in float64), then written
 * back to the variables. The networks trained here have a few thousand weights: reading the
 * gradients back and updating them in a plain loop costs a few microseconds, where `tf.train.adam`
 * runs about fourteen tensor ops per variable per step (each costing more to dispatch than to
 * compute on the wasm and cpu backends), and concatenating the variables into one tensor is done
 * in JavaScript by those backends anyway.
 */
export function createAdam(tf: TfCoreModule, variables: readonly Variable[], settings: AdamSettings): AdamOptimizer {
  const { learningRate, beta1 = 0.9, beta2 = 0.999 } = settings;
  const epsilon = settings.epsilon ?? tf.backend().epsilon();
  const offsets: number[] = [];
  let total = 0;
  for (const variable of variables) {
    offsets.push(total);
    total += variable.size;
  }
  const weights = new Float32Array(total);
  variables.forEach((variable, i) => weights.set(variable.dataSync() as Float32Array, offsets[i]));
  const m = new Float64Array(total);
  const v = new Float64Array(total);
  let t = 0;
  return {
    update(gradients) {
      t += 1;
      const stepSize = learningRate / (1 - beta1 ** t);
      const secondCorrection = 1 / (1 - beta2 ** t);
      variables.forEach((variable, i) => {
        const gradient = gradients[variable.name];
        if (gradient === undefined) return;
        const g = gradient.dataSync() as Float32Array;
        const offset = offsets[i]!;
        for (let k = 0; k < g.length; k++) {
          const j = offset + k;
          const gk = g[k]!;
          const mj = beta1 * m[j]! + (1 - beta1) * gk;
          const vj = beta2 * v[j]! + (1 - beta2) * gk * gk;
          m[j] = mj;
          v[j] = vj;
          weights[j] = weights[j]! - (stepSize * mj) / (Math.sqrt(vj * secondCorrection) + epsilon);
        }
        // A copy per upload: the cpu backend keeps the array it is given as the tensor's storage.
        const updated = tf.tensor(weights.slice(offset, offset + g.length), variable.shape, 'float32');
        variable.assign(updated);
        updated.dispose();
      });
    },
  };
}
