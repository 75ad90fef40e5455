import { describe, expect, it } from 'vitest';
import { chunkUnits } from './execution';
import { defaultLocalChunkSize } from './local/run-local';
import type { WorkUnit } from './results/row';

function units(n: number, fold: (i: number) => number | null = () => null): WorkUnit[] {
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    combination: i,
    key: `k${i}`,
    params: { p: i },
    fold: fold(i),
    segment: fold(i) === null ? ('full' as const) : ('train' as const),
    start: 0,
    end: 10,
  }));
}

const sizes = (chunks: WorkUnit[][]) => chunks.map((c) => c.length);

describe('chunkUnits', () => {
  it('fixed size: chunks in order, the last one shorter', () => {
    const chunks = chunkUnits(units(7), 3);
    expect(sizes(chunks)).toEqual([3, 3, 1]);
    expect(chunks.flat().map((u) => u.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('never puts two folds in one chunk', () => {
    expect(sizes(chunkUnits(units(6, (i) => (i < 4 ? 0 : 1)), 3))).toEqual([3, 1, 2]);
  });

  it('a size function gets the units not yet chunked, and each chunk takes its answer', () => {
    const asked: number[] = [];
    const chunks = chunkUnits(units(10), (remaining) => {
      asked.push(remaining);
      return Math.ceil(remaining / 2);
    });
    expect(asked).toEqual([10, 5, 2, 1]);
    expect(sizes(chunks)).toEqual([5, 3, 1, 1]);
    expect(chunks.flat().map((u) => u.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('no units, no chunks', () => {
    expect(chunkUnits([], 4)).toEqual([]);
  });
});

describe('defaultLocalChunkSize', () => {
  it('is the pending units over 8 per thread, 1 to 64', () => {
    expect(defaultLocalChunkSize(1000, 2)).toBe(63); // ceil(1000 / 16)
    expect(defaultLocalChunkSize(160, 2)).toBe(10);
    expect(defaultLocalChunkSize(10_000, 2)).toBe(64);
    expect(defaultLocalChunkSize(3, 4)).toBe(1);
  });

  it('recomputed per chunk, the tasks of 1,000 units on 2 threads shrink to one combination at the end', () => {
    const chunks = sizes(chunkUnits(units(1000), (remaining) => defaultLocalChunkSize(remaining, 2)));
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(chunks[0]).toBe(63);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!).toBeLessThanOrEqual(chunks[i - 1]!);
    expect(chunks.slice(-16)).toEqual(new Array(16).fill(1));
  });
});
