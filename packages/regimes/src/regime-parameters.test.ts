import { describe, expect, it } from 'vitest';
import { expectCode } from '../test/expect-code';
import { regimeParameter, selectByRegime } from './regime-parameters';

describe('regimeParameter', () => {
  it('picks the value of each bar\'s regime, the warm-up value for -1', () => {
    const out = regimeParameter({ labels: Int32Array.of(-1, 0, 1, 1, 0), values: [0.55, 0.65], warmup: 0.7 });
    expect(Array.from(out)).toEqual([0.7, 0.55, 0.65, 0.65, 0.55]);
    expect(Number.isNaN(regimeParameter({ labels: [-1], values: [1, 2] })[0]!)).toBe(true);
  });

  it('rejects labels outside the table and bad values', () => {
    expectCode(() => regimeParameter({ labels: [0, 2], values: [1, 2] }), 'INVALID_DATA', /labels\[1\]/);
    expectCode(() => regimeParameter({ labels: [0], values: [] }), 'INVALID_ARGUMENT', /values/);
    expectCode(() => regimeParameter({ labels: [0], values: [Number.NaN] }), 'INVALID_ARGUMENT', /values/);
    expectCode(() => regimeParameter({ labels: 5 as never, values: [1] }), 'INVALID_ARGUMENT', /labels/);
  });
});

describe('selectByRegime', () => {
  it('takes, bar by bar, the series of the current regime', () => {
    const calm = [1, 1, 1, 1];
    const volatile = [0, -1, 0, -1];
    expect(Array.from(selectByRegime({ labels: [-1, 0, 1, 1], series: [calm, volatile], warmup: 0 }))).toEqual([0, 1, 0, -1]);
    expect(Array.from(selectByRegime({ labels: [-1, 1], series: [[5, 5], [6, 6]], warmup: [7, 8] }))).toEqual([7, 6]);
  });

  it('rejects series of the wrong length and unknown labels', () => {
    expectCode(() => selectByRegime({ labels: [0, 1], series: [[1, 2], [3]] }), 'INVALID_ARGUMENT', /series\[1\]/);
    expectCode(() => selectByRegime({ labels: [0, 2], series: [[1, 2], [3, 4]] }), 'INVALID_DATA', /labels\[1\]/);
    expectCode(() => selectByRegime({ labels: [0], series: [] }), 'INVALID_ARGUMENT', /series/);
    expectCode(() => selectByRegime({ labels: [0, 1], series: [[1, 2]], warmup: [1] }), 'INVALID_ARGUMENT', /warmup/);
  });
});
