/**
 * Plain reference implementations for the tests, written independently of the package: a
 * simulator, Gaussian log densities from the textbook formulas, a log-space forward pass, and
 * brute-force enumeration of every state path for short series.
 */
import { createSeededRandom } from '@algo-trading/core';

/** A Gaussian HMM as plain arrays; `covariances` (K x D x D) or `variances` (K x D). */
export interface RefParams {
  readonly startProb: readonly number[];
  readonly transition: readonly (readonly number[])[];
  readonly means: readonly (readonly number[])[];
  readonly variances: readonly (readonly number[])[];
  readonly covariances?: readonly (readonly (readonly number[])[])[];
}

/** Draws `length` rows from the model (diagonal, or 2 x 2 full covariances). */
export function simulate(params: RefParams, length: number, seed: number): { x: number[][]; z: number[] } {
  const rng = createSeededRandom(seed);
  const pick = (p: readonly number[]): number => {
    const u = rng.next();
    let acc = 0;
    for (let k = 0; k < p.length; k++) {
      acc += p[k]!;
      if (u < acc) return k;
    }
    return p.length - 1;
  };
  const x: number[][] = [];
  const z: number[] = [];
  let s = pick(params.startProb);
  for (let t = 0; t < length; t++) {
    if (t > 0) s = pick(params.transition[s]!);
    z.push(s);
    const mu = params.means[s]!;
    if (params.covariances === undefined) {
      x.push(mu.map((m, j) => m + Math.sqrt(params.variances[s]![j]!) * rng.normal()));
    } else {
      // 2 x 2 Cholesky by hand: [[a, 0], [b, c]].
      const S = params.covariances[s]!;
      const a = Math.sqrt(S[0]![0]!);
      const b = S[1]![0]! / a;
      const c = Math.sqrt(S[1]![1]! - b * b);
      const e1 = rng.normal();
      const e2 = rng.normal();
      x.push([mu[0]! + a * e1, mu[1]! + b * e1 + c * e2]);
    }
  }
  return { x, z };
}

/** log N(x | state k), textbook formula (diagonal, or 2 x 2 full with the explicit inverse). */
export function logDensity(params: RefParams, k: number, x: readonly number[]): number {
  const mu = params.means[k]!;
  if (params.covariances === undefined) {
    let s = 0;
    for (let j = 0; j < mu.length; j++) {
      const v = params.variances[k]![j]!;
      s += -0.5 * Math.log(2 * Math.PI * v) - ((x[j]! - mu[j]!) ** 2) / (2 * v);
    }
    return s;
  }
  const S = params.covariances[k]!;
  if (mu.length === 1) return -0.5 * Math.log(2 * Math.PI * S[0]![0]!) - ((x[0]! - mu[0]!) ** 2) / (2 * S[0]![0]!);
  const [a, b, c, d] = [S[0]![0]!, S[0]![1]!, S[1]![0]!, S[1]![1]!];
  const det = a * d - b * c;
  const u = x[0]! - mu[0]!;
  const w = x[1]! - mu[1]!;
  const q = (d * u * u - (b + c) * u * w + a * w * w) / det;
  return -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * q;
}

function logSumExp(values: readonly number[]): number {
  const m = Math.max(...values);
  if (m === Number.NEGATIVE_INFINITY) return m;
  return m + Math.log(values.reduce((s, v) => s + Math.exp(v - m), 0));
}

/** Log-space forward algorithm: filtered probabilities per row and the log-likelihood. */
export function logForward(params: RefParams, x: readonly (readonly number[])[]): { filtered: number[][]; logLikelihood: number } {
  const K = params.startProb.length;
  let logAlpha = Array.from({ length: K }, (_, k) => Math.log(params.startProb[k]!) + logDensity(params, k, x[0]!));
  const filtered: number[][] = [];
  const norm = (la: number[]) => {
    const z = logSumExp(la);
    filtered.push(la.map((v) => Math.exp(v - z)));
  };
  norm(logAlpha);
  for (let t = 1; t < x.length; t++) {
    const prev = logAlpha;
    logAlpha = Array.from({ length: K }, (_, j) =>
      logSumExp(prev.map((a, i) => a + Math.log(params.transition[i]![j]!))) + logDensity(params, j, x[t]!),
    );
    norm(logAlpha);
  }
  return { filtered, logLikelihood: logSumExp(logAlpha) };
}

/** Every state path of a short series: log-likelihood, smoothed posteriors and the best path. */
export function bruteForce(params: RefParams, x: readonly (readonly number[])[]): { logLikelihood: number; smoothed: number[][]; best: number[] } {
  const K = params.startProb.length;
  const T = x.length;
  const paths: { path: number[]; logP: number }[] = [];
  const total = K ** T;
  for (let code = 0; code < total; code++) {
    const path: number[] = [];
    let c = code;
    for (let t = 0; t < T; t++) {
      path.push(c % K);
      c = Math.floor(c / K);
    }
    let logP = Math.log(params.startProb[path[0]!]!) + logDensity(params, path[0]!, x[0]!);
    for (let t = 1; t < T; t++) logP += Math.log(params.transition[path[t - 1]!]![path[t]!]!) + logDensity(params, path[t]!, x[t]!);
    paths.push({ path, logP });
  }
  const logLikelihood = logSumExp(paths.map((p) => p.logP));
  const smoothed = Array.from({ length: T }, () => new Array<number>(K).fill(0));
  for (const { path, logP } of paths) {
    const w = Math.exp(logP - logLikelihood);
    for (let t = 0; t < T; t++) smoothed[t]![path[t]!]! += w;
  }
  let best = paths[0]!;
  for (const p of paths) if (p.logP > best.logP) best = p;
  return { logLikelihood, smoothed, best: best.path };
}

/** Share of positions where two label sequences agree. */
export function accuracy(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let same = 0;
  for (let t = 0; t < a.length; t++) if (a[t] === b[t]) same++;
  return same / a.length;
}
