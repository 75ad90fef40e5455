import { describe, expect, it } from 'vitest';
import { BarSeries } from './bar-series';
import { canonicalJson, hashBarSeries, sha256Hex } from './hashing';

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same text for the same value written in another key order', () => {
    expect(canonicalJson({ x: 1, y: { p: 'a', q: true } })).toBe(canonicalJson({ y: { q: true, p: 'a' }, x: 1 }));
  });

  it('drops undefined properties like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vector for "abc"', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes bytes the same as the equal text', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(sha256Hex('abc'));
  });
});

describe('hashBarSeries', () => {
  const columns = { time: [1, 2], open: [10, 11], high: [12, 13], low: [9, 10], close: [11, 12], volume: [100, 200] };

  it('is the sha256 of the symbol followed by the six float64 columns', () => {
    const bars = BarSeries.fromColumns(columns, { symbol: 'ABC' });
    const bytes: number[] = [...new TextEncoder().encode('ABC')];
    for (const name of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
      bytes.push(...new Uint8Array(Float64Array.from(columns[name]).buffer));
    }
    expect(hashBarSeries(bars)).toBe(sha256Hex(Uint8Array.from(bytes)));
  });

  it('changes with one value or the symbol, and ignores how the series was built', () => {
    const a = BarSeries.fromColumns(columns, { symbol: 'ABC' });
    const fromRows = BarSeries.fromRows(a.toRows(), { symbol: 'ABC' });
    expect(hashBarSeries(fromRows)).toBe(hashBarSeries(a));
    expect(hashBarSeries(a.withSymbol('XYZ'))).not.toBe(hashBarSeries(a));
    const changed = BarSeries.fromColumns({ ...columns, close: [11, 12.5] }, { symbol: 'ABC' });
    expect(hashBarSeries(changed)).not.toBe(hashBarSeries(a));
  });

  it('hashes a slice by its own bars only', () => {
    const bars = BarSeries.fromColumns(columns, { symbol: 'ABC' });
    const first = BarSeries.fromColumns({ time: [1], open: [10], high: [12], low: [9], close: [11], volume: [100] }, { symbol: 'ABC' });
    expect(hashBarSeries(bars.slice(0, 1))).toBe(hashBarSeries(first));
  });
});
