import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSeededRandom, type BarSeries } from '@algo-trading/core';
import { afterEach } from 'vitest';

const folders: string[] = [];

/** A fresh temporary folder, removed after the test. */
export function tempDir(prefix = 'algo-store-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `text` to `dir/name` and returns the path. */
export function writeText(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Seeded bars with full-precision prices (every digit of the shortest round-trip text matters). */
export function randomBars(options: { n: number; seed: number; start?: number; stepMs?: number }): {
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
} {
  const rng = createSeededRandom(options.seed);
  const out = { time: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] };
  let price = 100 * (1 + rng.next());
  for (let i = 0; i < options.n; i++) {
    const open = price * Math.exp(0.01 * rng.normal());
    const close = open * Math.exp(0.01 * rng.normal());
    out.time.push((options.start ?? Date.UTC(2020, 0, 1)) + i * (options.stepMs ?? 60_000));
    out.open.push(open);
    out.close.push(close);
    out.high.push(Math.max(open, close) * (1 + 0.005 * rng.next()));
    out.low.push(Math.min(open, close) * (1 - 0.005 * rng.next()));
    out.volume.push(Math.round(rng.next() * 1e6) / 100);
    price = close;
  }
  return out;
}

/** CSV text (ISO times, shortest round-trip numbers) of bars from {@link randomBars}. */
export function barsCsv(bars: ReturnType<typeof randomBars>, header = 'date,open,high,low,close,volume'): string {
  const lines = [header];
  for (let i = 0; i < bars.time.length; i++) {
    lines.push(`${new Date(bars.time[i]!).toISOString()},${bars.open[i]},${bars.high[i]},${bars.low[i]},${bars.close[i]},${bars.volume[i]}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The bytes of every column of a series, for bit-for-bit comparisons. */
export function columnBytes(series: BarSeries): Uint8Array[] {
  return [series.time, series.open, series.high, series.low, series.close, series.volume].map(
    (c) => new Uint8Array(c.buffer, c.byteOffset, c.byteLength),
  );
}

/** Every column of two series equal bit for bit (Float64 exactness, -0 and NaN included). */
export function sameBits(a: BarSeries, b: BarSeries): boolean {
  const x = columnBytes(a);
  const y = columnBytes(b);
  return x.every((bytes, k) => bytes.length === y[k]!.length && bytes.every((v, i) => v === y[k]![i]));
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; details?: Record<string, unknown> };
  }
  throw new Error('expected the promise to reject');
}
