import { describe, expect, it } from 'vitest';
import { catchAlgoTradingError } from './testing';
import { createSeededRandom } from './random';

describe('createSeededRandom', () => {
  it('reproduces the reference mulberry32 sequence for seed 42', () => {
    const rng = createSeededRandom(42);
    expect(rng.next()).toBe(0.6011037519201636);
    expect(rng.next()).toBe(0.44829055899754167);
    expect(rng.next()).toBe(0.8524657934904099);
  });

  it('same seed gives the same sequence, another seed another one', () => {
    const a = createSeededRandom(7);
    const b = createSeededRandom(7);
    const c = createSeededRandom(8);
    const sa = Array.from({ length: 20 }, () => a.next());
    const sb = Array.from({ length: 20 }, () => b.next());
    const sc = Array.from({ length: 20 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    for (const v of sa) expect(v >= 0 && v < 1).toBe(true);
  });

  it('nextInt stays in [0, n) and hits every value', () => {
    const rng = createSeededRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const k = rng.nextInt(5);
      expect(Number.isInteger(k) && k >= 0 && k < 5).toBe(true);
      seen.add(k);
    }
    expect(seen.size).toBe(5);
  });

  it('normal draws have mean ~0 and variance ~1', () => {
    const rng = createSeededRandom(3);
    const n = 20_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sumSq / n - mean * mean - 1)).toBeLessThan(0.05);
  });

  it('shuffle is a reproducible permutation', () => {
    const a = createSeededRandom(5).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const b = createSeededRandom(5).shuffle(new Int32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect([...a].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...b]).toEqual(a);
    expect(a).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('rejects a seed that is not a non-negative integer', () => {
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(catchAlgoTradingError(() => createSeededRandom(bad), 'INVALID_ARGUMENT').message).toContain('seed');
    }
  });
});
