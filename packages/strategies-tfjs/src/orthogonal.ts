import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { TfCoreModule } from './tfjs-runtime';

/**
 * A seeded random orthogonal matrix of shape [rows, columns] (Saxe et al.; Keras' default for
 * recurrent kernels): QR of a standard normal matrix with Q's columns sign-corrected by R's
 * diagonal. Written here because tfjs-layers' Orthogonal initializer prints a console warning for
 * matrices above 2000 elements, and libraries never print.
 */
export function orthogonalMatrix(tf: TfCoreModule, rows: number, columns: number, seed: number): Tensor2D {
  return tf.tidy(() => {
    const tall = Math.max(rows, columns);
    const wide = Math.min(rows, columns);
    const normal = tf.randomNormal([tall, wide], 0, 1, 'float32', seed) as Tensor2D;
    const [q, r] = tf.linalg.qr(normal) as [Tensor2D, Tensor2D];
    const signs = tf.sign(tf.reshape(tf.stridedSlice(tf.reshape(r, [-1]), [0], [wide * wide], [wide + 1]), [1, wide]));
    // sign(0) = 0 would zero a column; treat it as +1.
    const fixed = tf.where(tf.equal(signs, 0), tf.onesLike(signs), signs);
    const orthonormal = tf.mul(q, fixed) as Tensor2D;
    return rows < columns ? tf.transpose(orthonormal) : orthonormal;
  });
}
