import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend';
import { orthogonalMatrix } from './orthogonal';

beforeAll(async () => {
  await selectBackend({ preferred: 'wasm' });
});

function gram(m: tf.Tensor2D, rowsOrthonormal: boolean): number[][] {
  return tf.tidy(() => (rowsOrthonormal ? tf.matMul(m, m, false, true) : tf.matMul(m, m, true, false)).arraySync() as number[][]);
}

describe('orthogonalMatrix', () => {
  it('has orthonormal rows when wide ([u, 4u], an LSTM recurrent kernel)', () => {
    const m = orthogonalMatrix(tf, 8, 32, 1);
    expect(m.shape).toEqual([8, 32]);
    const g = gram(m, true);
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) expect(g[i]![j]!).toBeCloseTo(i === j ? 1 : 0, 4);
    m.dispose();
  });

  it('has orthonormal columns when tall, and is reproducible per seed', () => {
    const a = orthogonalMatrix(tf, 10, 4, 7);
    const b = orthogonalMatrix(tf, 10, 4, 7);
    const c = orthogonalMatrix(tf, 10, 4, 8);
    const g = gram(a, false);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(g[i]![j]!).toBeCloseTo(i === j ? 1 : 0, 4);
    expect(a.arraySync()).toEqual(b.arraySync());
    expect(a.arraySync()).not.toEqual(c.arraySync());
    tf.dispose([a, b, c]);
  });
});
