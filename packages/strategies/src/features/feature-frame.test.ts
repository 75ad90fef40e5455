import { catchAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { FeatureFrame, isFeatureFrame } from './feature-frame';
import { isDataFrameLike, resolveFeatures } from './feature-input';

describe('FeatureFrame', () => {
  const frame = FeatureFrame.fromColumns({ a: [1, 2, Number.NaN, 4], b: [5, 6, 7, Number.POSITIVE_INFINITY] }, { time: [10, 20, 30, 40] });

  it('holds copies of the columns with their order and times', () => {
    expect(frame.columns).toEqual(['a', 'b']);
    expect(frame.length).toBe(4);
    expect(Array.from(frame.column('b'))).toEqual([5, 6, 7, Infinity]);
    expect(Array.from(frame.time!)).toEqual([10, 20, 30, 40]);
    expect(isFeatureFrame(frame)).toBe(true);
    expect(isFeatureFrame({ columns: [], values: {} })).toBe(false);
  });

  it('finiteRows and isRowFinite skip NaN and infinite values', () => {
    expect(Array.from(frame.finiteRows())).toEqual([0, 1]);
    expect(Array.from(frame.finiteRows(['a']))).toEqual([0, 1, 3]);
    expect(frame.isRowFinite(1)).toBe(true);
    expect(frame.isRowFinite(3)).toBe(false);
    expect(frame.isRowFinite(3, ['a'])).toBe(true);
  });

  it('toMatrix gives rows of the selected columns', () => {
    const m = frame.toMatrix([3, 0], ['b', 'a']);
    expect(m.map((r) => Array.from(r))).toEqual([
      [Infinity, 4],
      [5, 1],
    ]);
    expect(frame.toMatrix().length).toBe(4);
    expect(catchAlgoTradingError(() => frame.toMatrix([4]), 'INVALID_ARGUMENT').message).toContain('rows[0]');
  });

  it('select and slice share memory', () => {
    const s = frame.select(['b']);
    expect(s.columns).toEqual(['b']);
    expect(s.column('b')).toBe(frame.column('b'));
    const sl = frame.slice(1, 3);
    expect(sl.length).toBe(2);
    expect(Array.from(sl.column('a'))).toEqual([2, Number.NaN]);
    expect(Array.from(sl.time!)).toEqual([20, 30]);
  });

  it('rejects missing columns, unequal lengths and non-numbers', () => {
    expect(catchAlgoTradingError(() => frame.column('c'), 'INVALID_ARGUMENT').message).toContain('available columns: a, b');
    expect(catchAlgoTradingError(() => frame.column('constructor'), 'INVALID_ARGUMENT').message).toContain('constructor');
    expect(catchAlgoTradingError(() => FeatureFrame.fromColumns({ a: [1, 2], b: [1] }), 'INVALID_DATA').message).toContain('b has 1 rows');
    expect(catchAlgoTradingError(() => FeatureFrame.fromColumns({ a: [1, '2' as unknown as number] }), 'INVALID_DATA').message).toContain('a[1]');
    expect(catchAlgoTradingError(() => FeatureFrame.fromColumns({ a: [1] }, { time: [1, 2] }), 'INVALID_DATA').message).toContain('time');
  });

  it('null and undefined cells become NaN', () => {
    const f = FeatureFrame.fromColumns({ a: [1, null as unknown as number, undefined as unknown as number] });
    expect(Array.from(f.column('a'))).toEqual([1, Number.NaN, Number.NaN]);
  });
});

describe('resolveFeatures', () => {
  it('reads a record of columns, selecting and ordering columns', () => {
    const r = resolveFeatures({ x: [1, 2], y: new Float64Array([3, 4]) }, ['y', 'x']);
    expect(r.columns).toEqual(['y', 'x']);
    expect(r.data.map((d) => Array.from(d))).toEqual([
      [3, 4],
      [1, 2],
    ]);
    expect(r.length).toBe(2);
  });

  it('reads a FeatureFrame and a DataFrame-like object', () => {
    const frame = FeatureFrame.fromColumns({ x: [1, 2], y: [3, 4] });
    expect(resolveFeatures(frame).columns).toEqual(['x', 'y']);
    const fakeDf = {
      columns: ['x', 'y'],
      index: [0, 1],
      shape: [2, 2],
      column: (name: string) => ({ values: name === 'x' ? [1, 2] : [3, Number.NaN] }),
    };
    expect(isDataFrameLike(fakeDf)).toBe(true);
    const r = resolveFeatures(fakeDf, ['y']);
    expect(Array.from(r.data[0]!)).toEqual([3, Number.NaN]);
  });

  it('names a missing column and the available ones', () => {
    expect(catchAlgoTradingError(() => resolveFeatures({ x: [1] }, ['z']), 'INVALID_ARGUMENT').message).toContain('"z" is missing');
    expect(catchAlgoTradingError(() => resolveFeatures(FeatureFrame.fromColumns({ x: [1] }), ['z']), 'INVALID_ARGUMENT').message).toContain('available columns: x');
  });

  it('rejects inputs that are not features', () => {
    expect(catchAlgoTradingError(() => resolveFeatures([[1, 2]] as never), 'INVALID_ARGUMENT').message).toContain('features must be');
    expect(catchAlgoTradingError(() => resolveFeatures(null as never), 'INVALID_ARGUMENT').message).toContain('features must be');
    expect(catchAlgoTradingError(() => resolveFeatures({ x: [1, 2], y: [1] }), 'INVALID_DATA').message).toContain('y has 1 rows');
  });
});
