import { expect } from 'vitest';

/** Deterministic uniform [0, 1) generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` normal draws (Box-Muller) with the given mean and standard deviation. */
export function normalSeries(n: number, mean: number, std: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = 1 - random();
    const v = random();
    out[i] = mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return out;
}

/** `values / 100` element-wise, as the empyrical test suite writes its series. */
export function pct(values: readonly number[]): Float64Array {
  return Float64Array.from(values, (v) => v / 100);
}

/**
 * Asserts `actual` equals `expected` within a relative tolerance (absolute near 0); NaN must
 * match NaN and infinities must match exactly.
 */
export function expectClose(actual: number, expected: number, relative = 1e-12, absolute = 1e-15): void {
  if (Number.isNaN(expected)) {
    expect(actual).toBeNaN();
    return;
  }
  if (!Number.isFinite(expected)) {
    expect(actual).toBe(expected);
    return;
  }
  const tolerance = Math.max(absolute, relative * Math.abs(expected));
  if (!(Math.abs(actual - expected) <= tolerance)) {
    expect.fail(`expected ${expected} (±${tolerance}), got ${actual} (off by ${Math.abs(actual - expected)})`);
  }
}
