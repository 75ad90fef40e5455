import { isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { FeatureFrame, isFeatureFrame } from './feature-frame';
import { isDataFrameLike, resolveFeatures } from './feature-input';

function expectError(fn: () => unknown, code: string, text: string): void {
  try {
    fn();
  } catch (e) {
    expect(isAlgoTradingError(e, code as never)).toBe(true);
    expect((e as Error).message).toContain(text);
    return;
  }
  expect.unreachable(`expected ${code} mentioning ${text}`);
}

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
    expectError(() => frame.toMatrix([4]), 'INVALID_ARGUMENT', 'rows[0]');
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
    expectError(() => frame.column('c'), 'INVALID_ARGUMENT', 'available columns: a, b');
    expectError(() => frame.column('constructor'), 'INVALID_ARGUMENT', 'constructor');
    expectError(() => FeatureFrame.fromColumns({ a: [1, 2], b: [1] }), 'INVALID_DATA', 'b has 1 rows');
    expectError(() => FeatureFrame.fromColumns({ a: [1, '2' as unknown as number] }), 'INVALID_DATA', 'a[1]');
    expectError(() => FeatureFrame.fromColumns({ a: [1] }, { time: [1, 2] }), 'INVALID_DATA', 'time');
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
    expectError(() => resolveFeatures({ x: [1] }, ['z']), 'INVALID_ARGUMENT', '"z" is missing');
    expectError(() => resolveFeatures(FeatureFrame.fromColumns({ x: [1] }), ['z']), 'INVALID_ARGUMENT', 'available columns: x');
  });

  it('rejects inputs that are not features', () => {
    expectError(() => resolveFeatures([[1, 2]] as never), 'INVALID_ARGUMENT', 'features must be');
    expectError(() => resolveFeatures(null as never), 'INVALID_ARGUMENT', 'features must be');
    expectError(() => resolveFeatures({ x: [1, 2], y: [1] }), 'INVALID_DATA', 'y has 1 rows');
  });
});
