import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSeededRandom } from '@algo-trading/core';
import type { SweepRow, SweepSpecInput } from '../src/index';

/** Folder of the test fixtures. */
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A temporary folder, removed by the returned function. */
export function tempDir(prefix = 'sweep-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Writes a seeded OHLCV CSV (daily bars, a trending random walk so that crossovers trade) and
 * returns its path.
 */
export function writeBarsCsv(dir: string, options: { bars?: number; seed?: number; name?: string } = {}): string {
  const n = options.bars ?? 1500;
  const rng = createSeededRandom(options.seed ?? 7);
  const lines = ['date,open,high,low,close,volume'];
  let price = 100;
  let drift = 0;
  for (let i = 0; i < n; i++) {
    drift = 0.9 * drift + 0.004 * rng.normal();
    const open = price * (1 + 0.002 * rng.normal());
    const close = open * (1 + drift + 0.01 * rng.normal());
    const high = Math.max(open, close) * (1 + 0.004 * Math.abs(rng.normal()));
    const low = Math.min(open, close) * (1 - 0.004 * Math.abs(rng.normal()));
    const date = new Date(Date.UTC(2000, 0, 3) + i * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${date},${open.toFixed(4)},${high.toFixed(4)},${low.toFixed(4)},${close.toFixed(4)},${1000 + Math.floor(rng.next() * 9000)}`);
    price = close;
  }
  const path = join(dir, options.name ?? 'bars.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** A small SMA-crossover sweep over a CSV with the full cost model. */
export function smaSpec(data: string, overrides: Partial<SweepSpecInput> = {}): SweepSpecInput {
  return {
    strategy: '@algo-trading/strategies#smaCross',
    parameters: { fast: [3, 5, 8], slow: { from: 10, to: 30, step: 10 } },
    constraints: ['fast < slow'],
    data,
    engine: { initialCapital: 100_000, commissionPct: 0.001, slippageBps: 5 },
    risk: {},
    sizing: { method: 'fixed_fractional', riskFraction: 0.01 },
    objective: { metric: 'sharpeRatio', minTrades: 1 },
    ...overrides,
  };
}

/** A row without what differs from run to run (its duration and who ran it). */
export function stable(row: SweepRow): Omit<SweepRow, 'runMs' | 'worker'> {
  const { runMs: _runMs, worker: _worker, ...rest } = row;
  return rest;
}
