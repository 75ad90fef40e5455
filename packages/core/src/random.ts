import { requireInteger } from './validation';

/**
 * A small seeded pseudo-random generator (mulberry32): fast, 32-bit state, reproducible across
 * platforms. For model initialisation, shuffling and synthetic data; not for cryptography.
 */
export interface SeededRandom {
  /** The seed the generator was created with. */
  readonly seed: number;
  /** A uniform number in [0, 1). */
  next(): number;
  /** A uniform integer in [0, n), n >= 1. */
  nextInt(n: number): number;
  /** A standard normal draw (Box-Muller). */
  normal(): number;
  /** Shuffles `values` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [index: number]: unknown }>(values: T): T;
}

/**
 * Creates a {@link SeededRandom}. The same seed gives the same sequence on every platform.
 *
 * @param seed an integer >= 0 (only its low 32 bits are used).
 * @example
 * const rng = createSeededRandom(42);
 * rng.next();        // 0.6011037519201636, always
 * rng.shuffle([1, 2, 3, 4]);
 */
export function createSeededRandom(seed: number): SeededRandom {
  requireInteger('seed', seed, 0);
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    nextInt(n: number): number {
      return Math.floor(next() * n);
    },
    normal(): number {
      let u = next();
      while (u === 0) u = next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    shuffle<T extends { length: number; [index: number]: unknown }>(values: T): T {
      for (let i = values.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = values[i];
        values[i] = values[j];
        values[j] = tmp;
      }
      return values;
    },
  };
}
