import { BarSeries, createSeededRandom, isAlgoTradingError } from '@algo-trading/core';
import fc from 'fast-check';

/** Symbols S0, S1, ... */
export function symbolsOf(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `S${i}`);
}

/** A random covariance matrix from a factor model plus a diagonal, scaled to a unit mean variance. */
export function factorCovariance(seed: number, n: number, factors = 2): Float64Array {
  const random = createSeededRandom(seed);
  const loadings = Array.from({ length: n * factors }, () => random.next() * 2 - 1);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let v = 0;
      for (let f = 0; f < factors; f++) v += loadings[i * factors + f]! * loadings[j * factors + f]!;
      m[i * n + j] = v + (i === j ? 0.05 + random.next() : 0);
    }
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += m[i * n + i]!;
  mean /= n;
  for (let k = 0; k < m.length; k++) m[k]! /= mean;
  return m;
}

/** fast-check arbitrary of an optimization instance: covariance, expected returns and bounds. */
export const instanceArb = fc
  .record({
    n: fc.integer({ min: 2, max: 12 }),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
    bounds: fc.constantFrom<[number, number]>([0, 1], [-0.5, 1.5], [0, 0.6], [-2, 3]),
  })
  .map(({ n, seed, bounds }) => {
    const random = createSeededRandom(seed + 1);
    const symbols = symbolsOf(n);
    // The tight upper bound must still let weights sum to 1.
    const b: [number, number] = bounds[1] * n < 1 ? [bounds[0], 1] : bounds;
    return {
      n,
      seed,
      symbols,
      bounds: b,
      cov: { symbols, matrix: factorCovariance(seed, n) },
      mu: { symbols, values: Array.from({ length: n }, () => random.next() * 0.4 - 0.1) },
    };
  });

/** `Sigma w` for a dense row-major matrix. */
export function mulVec(m: ArrayLike<number>, w: ArrayLike<number>): number[] {
  const n = w.length;
  return Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += m[i * n + j]! * w[j]!;
    return s;
  });
}

/**
 * KKT check of `minimize f(w)` (or maximize, via `sign`) over `sum(w) = 1`, `lower <= w <= upper`
 * and at most one more active linear constraint `a'w >= b` (multiplier eta >= 0), given the
 * gradient g of f at w. Independent of any solver output: the budget multiplier nu (and eta)
 * come from the assets strictly inside their bounds; then each asset at a bound must have its
 * gradient on the right side. Returns the largest violation (0 when every condition holds).
 */
export function kktViolation(options: {
  gradient: readonly number[];
  w: ArrayLike<number>;
  lower: number;
  upper: number;
  /** Gradient of an active extra constraint a'w >= b (minimization form). */
  extra?: readonly number[];
}): number {
  const { gradient: g, w, lower, upper, extra } = options;
  const n = g.length;
  const tol = 1e-9;
  const free: number[] = [];
  for (let i = 0; i < n; i++) if (w[i]! > lower + tol && w[i]! < upper - tol) free.push(i);
  let nu: number;
  let eta = 0;
  if (extra === undefined) {
    if (free.length > 0) nu = free.reduce((s, i) => s + g[i]!, 0) / free.length;
    else {
      // nu within [max over upper-bound assets, min over lower-bound assets].
      const atLower = [...Array(n).keys()].filter((i) => w[i]! <= lower + tol).map((i) => g[i]!);
      const atUpper = [...Array(n).keys()].filter((i) => w[i]! >= upper - tol).map((i) => g[i]!);
      nu = ((atLower.length ? Math.min(...atLower) : 0) + (atUpper.length ? Math.max(...atUpper) : 0)) / (atLower.length && atUpper.length ? 2 : 1);
    }
  } else {
    if (free.length < 2) return NaN; // multipliers not identified: skipped by callers
    // Least squares g_i = nu + eta a_i over the free assets, on centred values: the textbook
    // normal equations (m saa - sa^2) cancel catastrophically when the a_i are nearly equal.
    const m = free.length;
    const meanA = free.reduce((s, i) => s + extra[i]!, 0) / m;
    const meanG = free.reduce((s, i) => s + g[i]!, 0) / m;
    const saa = free.reduce((s, i) => s + (extra[i]! - meanA) ** 2, 0);
    const sag = free.reduce((s, i) => s + (extra[i]! - meanA) * (g[i]! - meanG), 0);
    if (!(saa > 1e-24 * Math.max(1, meanA * meanA))) return NaN;
    eta = sag / saa;
    nu = meanG - eta * meanA;
  }
  let worst = extra === undefined ? 0 : Math.max(0, -eta);
  for (let i = 0; i < n; i++) {
    const r = g[i]! - nu - eta * (extra?.[i] ?? 0);
    if (w[i]! > lower + tol && w[i]! < upper - tol) worst = Math.max(worst, Math.abs(r));
    else if (w[i]! <= lower + tol) worst = Math.max(worst, -r);
    else worst = Math.max(worst, r);
    worst = Math.max(worst, lower - w[i]!, w[i]! - upper);
  }
  const sum = Array.from(w).reduce((s, v) => s + v, 0);
  return Math.max(worst, Math.abs(sum - 1));
}

/** Daily bars (weekdays) of a geometric random walk, close-only OHLC. */
export function randomBars(options: { seed: number; days: number; start?: string; symbol: string; drift?: number; volatility?: number }): BarSeries {
  const random = createSeededRandom(options.seed);
  const time: number[] = [];
  const close: number[] = [];
  let t = Date.parse(options.start ?? '2015-01-01T00:00:00Z');
  let price = 100;
  while (time.length < options.days) {
    const weekday = new Date(t).getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      price *= Math.exp((options.drift ?? 0.0003) + (options.volatility ?? 0.02) * random.normal());
      time.push(t);
      close.push(price);
    }
    t += 86_400_000;
  }
  return BarSeries.fromColumns({ time, open: close, high: close, low: close, close }, { symbol: options.symbol });
}

/** The AlgoTradingError a call throws (fails the test when it throws nothing or something else). */
export function thrown(fn: () => unknown): { code: string; message: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    if (isAlgoTradingError(error)) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected an error');
}
