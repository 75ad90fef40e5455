import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend';
import { registerChainedOps } from './chained-ops';

beforeAll(async () => {
  await selectBackend({ preferred: 'wasm' });
});

type Chained = tf.Tensor & Record<string, (...args: unknown[]) => tf.Tensor>;

describe('registerChainedOps', () => {
  it('adds the chained methods tfjs-layers calls, forwarding to the ops', () => {
    registerChainedOps(tf);
    registerChainedOps(tf); // idempotent
    tf.tidy(() => {
      const t = tf.tensor2d([[1.5, -2], [3, 4]]) as unknown as Chained;
      expect(t['flatten']!().shape).toEqual([4]);
      expect(t['toInt']!().dtype).toBe('int32');
      expect(t['asType']!('bool').dtype).toBe('bool');
      expect(t['as1D']!().shape).toEqual([4]);
      expect(t['abs']!().arraySync()).toEqual([[1.5, 2], [3, 4]]);
      expect(t['add']!(tf.scalar(1)).arraySync()).toEqual([[2.5, -1], [4, 5]]);
      expect(t['sum']!().arraySync()).toBe(6.5);
      expect(t['reshapeAs']!(tf.zeros([4, 1])).shape).toEqual([4, 1]);
      expect(t['concat']!(tf.zeros([1, 2]), 0).shape).toEqual([3, 2]);
      expect((t['stridedSlice']!([0, 0], [1, 2], [1, 1]) as tf.Tensor).arraySync()).toEqual([[1.5, -2]]);
      const one = tf.tensor1d([7]) as unknown as Chained;
      expect(one['asScalar']!().shape).toEqual([]);
      expect(() => t['asScalar']!()).toThrow('only 1 element');
    });
  });

  it('throws on a disposed tensor like tfjs does', () => {
    const t = tf.tensor1d([1, 2]) as unknown as Chained;
    t.dispose();
    expect(() => t['flatten']!()).toThrow(/disposed/);
  });
});
