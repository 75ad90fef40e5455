import type { NamedTensorMap, Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import type { TfCoreModule } from './tfjs-runtime';

/** An Adam optimizer over a fixed list of variables. */
export interface AdamOptimizer {
  /** Applies one step from gradients keyed by variable name (as `tf.variableGrads` returns them). */
  update(gradients: NamedTensorMap): void;
  /** Frees the moment estimates. */
  dispose(): void;
}

/** Adam's decay rates and epsilon; the defaults of `tf.train.adam` (epsilon: the backend's, 1e-7 in float32). */
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
 * applied to all variables at once: the gradients are concatenated into one vector, so a step is
 * about fifteen tensor ops whatever the number of variables (`tf.train.adam` runs about fourteen
 * per variable, and uploads its constants every time), which matters when each op costs more to
 * dispatch than to compute, as with small networks on the wasm backend.
 */
export function createAdam(tf: TfCoreModule, variables: readonly Variable[], settings: AdamSettings): AdamOptimizer {
  const { learningRate, beta1 = 0.9, beta2 = 0.999 } = settings;
  const epsilon = settings.epsilon ?? tf.backend().epsilon();
  const sizes = variables.map((v) => v.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  // A variable made inside tidy outlives it; the zeros it was made from do not.
  const m = tf.tidy(() => tf.variable(tf.zeros([total]), false));
  const v = tf.tidy(() => tf.variable(tf.zeros([total]), false));
  const constants = tf.tidy(() => ({ beta1: tf.scalar(beta1), beta2: tf.scalar(beta2), rest1: tf.scalar(1 - beta1), rest2: tf.scalar(1 - beta2), epsilon: tf.scalar(epsilon) }));
  let t = 0;
  return {
    update(gradients) {
      t += 1;
      tf.tidy(() => {
        const g = tf.concat(variables.map((variable) => tf.reshape(gradients[variable.name]!, [-1])));
        const m1 = tf.add(tf.mul(m, constants.beta1), tf.mul(g, constants.rest1));
        const v1 = tf.add(tf.mul(v, constants.beta2), tf.mul(tf.square(g), constants.rest2));
        m.assign(m1);
        v.assign(v1);
        // lr * m^ / (sqrt(v^) + eps) with m^ = m / (1 - b1^t), sqrt(v^) = sqrt(v) / sqrt(1 - b2^t).
        const step = tf.div(tf.mul(m1, -learningRate / (1 - beta1 ** t)), tf.add(tf.mul(tf.sqrt(v1), 1 / Math.sqrt(1 - beta2 ** t)), constants.epsilon));
        const parts = tf.split(step, sizes);
        variables.forEach((variable, i) => variable.assign(tf.add(variable, tf.reshape(parts[i]!, variable.shape))));
      });
    },
    dispose() {
      tf.dispose([m, v, ...(Object.values(constants) as Scalar[])] as Tensor[]);
    },
  };
}
