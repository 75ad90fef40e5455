import { createSeededRandom, type Logger } from '@algo-trading/core';

/** A logger that records every call, for assertions. */
export function recordingLogger(): Logger & { calls: { level: string; args: unknown[] }[] } {
  const calls: { level: string; args: unknown[] }[] = [];
  const make = (level: string) => (...args: unknown[]) => {
    calls.push({ level, args });
  };
  return { calls, debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') } as Logger & {
    calls: { level: string; args: unknown[] }[];
  };
}

/** Synthetic rows: `columns` standard normal features; label = 1 when `signal(row, i)` > 0. */
export function syntheticData(
  rows: number,
  columns: number,
  seed: number,
  signal: (row: number[], i: number, rows: number[][]) => number,
): { X: number[][]; y: number[] } {
  const rng = createSeededRandom(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    const row = Array.from({ length: columns }, () => rng.normal());
    X.push(row);
  }
  for (let i = 0; i < rows; i++) y.push(signal(X[i]!, i, X) > 0 ? 1 : 0);
  return { X, y };
}

/** Share of rows where (p > 0.5) equals the label, over rows with a finite p. */
export function accuracy(p: ArrayLike<number>, y: ArrayLike<number>, from = 0, to = p.length): number {
  let hits = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    const v = p[i]!;
    if (!Number.isFinite(v)) continue;
    n += 1;
    hits += (v > 0.5 ? 1 : 0) === y[i] ? 1 : 0;
  }
  return hits / n;
}
