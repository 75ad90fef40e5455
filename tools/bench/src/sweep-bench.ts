/**
 * Sweep benchmark: a grid of SMA (fast, slow) pairs over synthetic daily bars with the full cost
 * model (fixed-fractional sizing at 1% risk, the RiskManager with every rule at the product
 * defaults, 0.1% commission, 5 bps slippage), run
 *
 * - on the local pool with 1 thread and with 2 threads (the speed-up), each sweep in a plain Node
 *   process on the built package (`sweep-local-run.mjs`): this process runs under tsx, whose
 *   loader every pool thread would inherit,
 * - on the BullMQ queue with one `algo-trading worker --concurrency 2` process on this machine
 *   (the queue's overhead over the local pool with 2 threads), when redis-server is installed.
 *
 * Runs are interleaved (1 thread, 2 threads, queue, then again) so that a change in the machine's
 * load affects them alike. Before each round, the machine's own two-thread ceiling is measured: a
 * fixed loop of floating-point work on one worker thread, then the same loop on two threads at
 * once (no data shared, no messages). On a two-core virtual machine that is not 2x (the cores
 * share caches, memory bandwidth and, often, a physical core), and it bounds the sweep's speed-up. Reported per mode: median, min and max wall time, the median CPU time
 * (user + system of the process with its threads; for the queue, producer + worker process), the
 * combinations per second, and the load average before each run. The machine is shared: read the
 * CPU time beside the wall time.
 *
 * Run from the repository root, on the built packages (`pnpm build` first), so that the threads
 * start from `dist/` as they do for users:
 *
 *   node --import tsx tools/bench/src/sweep-bench.ts [--bars 100000] [--grid standard|dense] [--runs 3] [--no-queue] [--json]
 *
 * Grids of 1,000 pairs, every pair with fast < slow:
 * - `standard` (default): fast 5, 10, ..., 100 (20) x slow 110, 120, ..., 600 (50): the usual daily
 *   search, a few hundred trades per run;
 * - `dense`: fast 2, 3, ..., 41 (40) x slow 50, 60, ..., 290 (25): very short fast averages, up to
 *   thousands of trades (and fills) per run, so each run costs more.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runSweep, type SweepResult, type SweepSpecInput } from '@algo-trading/sweep';
import { REDIS_AVAILABLE, startRedis } from '@algo-trading/testing';
import { quantile } from './process-runs';
import { syntheticBars } from './synthetic';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI_BIN = join(ROOT, 'apps/cli/bin/algo-trading.js');
const LOCAL_RUN = fileURLToPath(new URL('./sweep-local-run.mjs', import.meta.url));

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const BARS = Number(argument('bars') ?? 100_000);
const GRID = argument('grid') ?? 'standard';
const GRIDS = {
  standard: { fast: { from: 5, to: 100, step: 5 }, slow: { from: 110, to: 600, step: 10 } },
  dense: { fast: { from: 2, to: 41, step: 1 }, slow: { from: 50, to: 290, step: 10 } },
} as const;
if (!(GRID in GRIDS)) throw new Error(`--grid must be one of ${Object.keys(GRIDS).join(', ')}`);
const PAIRS = 1000;
const RUNS = Number(argument('runs') ?? 3);
const QUEUE = !process.argv.includes('--no-queue');
const JSON_OUT = process.argv.includes('--json');

/** Writes the synthetic bars as a CSV (epoch-ms times) and returns its path. */
function writeBars(dir: string): string {
  const bars = syntheticBars({ length: BARS, seed: 42, volatility: 0.01, momentum: 0.2 });
  const lines = ['time,open,high,low,close,volume'];
  for (let i = 0; i < bars.length; i++) {
    lines.push(`${bars.time[i]},${bars.open[i]},${bars.high[i]},${bars.low[i]},${bars.close[i]},${bars.volume[i]}`);
  }
  const path = join(dir, 'bars.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function spec(data: string): SweepSpecInput {
  return {
    name: 'sweep benchmark',
    strategy: '@algo-trading/strategies#smaCross',
    parameters: GRIDS[GRID as keyof typeof GRIDS],
    constraints: ['fast < slow'],
    data,
    engine: { initialCapital: 1_000_000, commissionPct: 0.001, slippageBps: 5 },
    risk: {},
    sizing: { method: 'fixed_fractional', riskFraction: 0.01, maxPositionFraction: 0.25 },
    objective: 'sharpeRatio',
  };
}

interface Sample {
  readonly mode: string;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly load1: number;
  readonly rows: number;
  readonly cacheMisses: number;
}

function cpuMsOf(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

/** CPU time (user + system) of a child process so far, from /proc (Linux); NaN elsewhere. */
function childCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return (ticks / 100) * 1000;
  } catch {
    return Number.NaN;
  }
}

/** One local sweep on `threads` threads, in a plain Node process on the built package (`sweep-local-run.mjs`). */
async function local(threads: number, data: string): Promise<Sample> {
  const mode = `local ${threads} thread${threads > 1 ? 's' : ''}`;
  const load1 = loadavg()[0]!;
  const child = spawn(process.execPath, [LOCAL_RUN, JSON.stringify(spec(data)), String(threads)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`${mode}: the sweep process exited with ${code}: ${stderr}`);
  const run = JSON.parse(stdout) as { wallMs: number; cpuMs: number; rows: number; complete: boolean; errors: number; cacheMisses: number };
  if (!run.complete || run.errors > 0) throw new Error(`${mode}: incomplete sweep or errors`);
  return { mode, wallMs: run.wallMs, cpuMs: run.cpuMs, load1, rows: run.rows, cacheMisses: run.cacheMisses };
}

function sample(mode: string, result: SweepResult, wallMs: number, cpuMs: number, load1: number): Sample {
  if (!result.complete || result.summary.errors > 0) throw new Error(`${mode}: incomplete sweep or errors`);
  return { mode, wallMs, cpuMs, load1, rows: result.rows.length, cacheMisses: result.stats.indicatorCache.misses };
}

async function queued(url: string, data: string, run: number): Promise<Sample> {
  const name = `bench-${process.pid}-${run}`;
  const worker = spawn(process.execPath, [CLI_BIN, 'worker', '--queue', url, '--queue-name', name, '--concurrency', '2', '-q', '--log-file', join(dirname(data), 'worker.log')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  worker.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  // The worker is up before the clock starts (as a worker pool of a cluster would be).
  await new Promise<void>((resolveReady, reject) => {
    const timer = setInterval(() => {
      if (existsSync(join(dirname(data), 'worker.log')) && readFileSync(join(dirname(data), 'worker.log'), 'utf8').includes('takes sweep jobs')) {
        clearInterval(timer);
        resolveReady();
      }
      if (worker.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`worker exited: ${stderr}`));
      }
    }, 100);
  });
  const workerCpuBefore = childCpuMs(worker.pid!);
  const load1 = loadavg()[0]!;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await runSweep({ spec: spec(data), queue: { url, name, pollMs: 500 } });
  const wallMs = performance.now() - start;
  const cpuMs = cpuMsOf(process.cpuUsage(cpu)) + childCpuMs(worker.pid!) - workerCpuBefore;
  const exited = new Promise((r) => worker.once('exit', r));
  worker.kill('SIGTERM');
  await exited;
  return sample('queue, 1 worker x 2 threads', result, wallMs, cpuMs, load1);
}

/** The ceiling's work: about half a second of floating-point loops on one thread, nothing shared. */
const CEILING_WORK = `
const { parentPort } = require('node:worker_threads');
const values = new Float64Array(100000);
let sum = 0;
for (let pass = 0; pass < 4000; pass++) for (let i = 0; i < values.length; i++) { values[i] = values[i] * 0.999 + i * 1e-6; sum += values[i]; }
parentPort.postMessage(sum);
`;

/** Wall time of {@link CEILING_WORK} on `threads` threads started together. */
function ceilingRun(threads: number): Promise<number> {
  const start = performance.now();
  return Promise.all(
    Array.from({ length: threads }, () => {
      const worker = new Worker(CEILING_WORK, { eval: true });
      return new Promise<void>((done, fail) => {
        worker.once('message', () => done());
        worker.once('error', fail);
      }).finally(() => void worker.terminate());
    }),
  ).then(() => performance.now() - start);
}

/** The machine's two-thread speed-up on work that shares nothing: twice the work in the same time would be 2.00x. */
async function twoThreadCeiling(): Promise<number> {
  const one = await ceilingRun(1);
  const two = await ceilingRun(2);
  return (2 * one) / two;
}

function summarize(samples: readonly Sample[]) {
  const modes = [...new Set(samples.map((s) => s.mode))];
  return modes.map((mode) => {
    const of = samples.filter((s) => s.mode === mode);
    const wall = of.map((s) => s.wallMs).sort((a, b) => a - b);
    const cpu = of.map((s) => s.cpuMs).sort((a, b) => a - b);
    const median = quantile(wall, 0.5);
    return {
      mode,
      runs: of.length,
      rows: of[0]!.rows,
      medianMs: median,
      minMs: wall[0]!,
      maxMs: wall.at(-1)!,
      medianCpuMs: quantile(cpu, 0.5),
      combinationsPerSecond: (of[0]!.rows / median) * 1000,
      load1: of.map((s) => Number(s.load1.toFixed(2))),
      cacheMisses: of[0]!.cacheMisses,
    };
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-bench-'));
  const redis = QUEUE && REDIS_AVAILABLE ? await startRedis() : undefined;
  try {
    const data = writeBars(dir);
    if (!JSON_OUT) console.log(`sweep benchmark: ${PAIRS} SMA pairs (${GRID} grid) x ${BARS.toLocaleString('en-US')} bars, full cost model, ${RUNS} runs per mode, node ${process.version}`);
    await runSweep({ spec: { ...spec(data), parameters: { fast: [2], slow: [50] } }, workers: 1 }); // warm the file cache
    const samples: Sample[] = [];
    const ceilings: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      ceilings.push(await twoThreadCeiling());
      samples.push(await local(1, data));
      samples.push(await local(2, data));
      if (redis !== undefined) samples.push(await queued(redis.url, data, run));
      if (!JSON_OUT) console.log(samples.slice(-3).map((s) => `${s.mode}: ${(s.wallMs / 1000).toFixed(2)} s wall, ${(s.cpuMs / 1000).toFixed(2)} s CPU, load ${s.load1.toFixed(1)}`).join('; '));
    }
    const summary = summarize(samples);
    if (JSON_OUT) {
      console.log(JSON.stringify({ bars: BARS, grid: GRID, pairs: PAIRS, runs: RUNS, summary, samples, twoThreadCeilings: ceilings }));
      return;
    }
    for (const s of summary) {
      console.log(
        `${s.mode.padEnd(28)} median ${(s.medianMs / 1000).toFixed(2)} s (min ${(s.minMs / 1000).toFixed(2)}, max ${(s.maxMs / 1000).toFixed(2)}), ` +
          `CPU ${(s.medianCpuMs / 1000).toFixed(2)} s, ${s.combinationsPerSecond.toFixed(0)} combinations/s, indicator computations ${s.cacheMisses}, load ${s.load1.join(' / ')}`,
      );
    }
    const one = summary.find((s) => s.mode === 'local 1 thread');
    const two = summary.find((s) => s.mode === 'local 2 threads');
    const queue = summary.find((s) => s.mode.startsWith('queue'));
    const ceiling = quantile([...ceilings].sort((a, b) => a - b), 0.5);
    if (one !== undefined && two !== undefined) {
      const speedUp = one.medianMs / two.medianMs;
      console.log(`speed-up, 2 threads vs 1: ${speedUp.toFixed(2)}x (CPU per combination: ${(one.medianCpuMs / one.rows).toFixed(1)} ms vs ${(two.medianCpuMs / two.rows).toFixed(1)} ms)`);
      console.log(
        `this machine's two-thread speed-up on work that shares nothing, measured before each round: median ${ceiling.toFixed(2)}x (${ceilings.map((c) => c.toFixed(2)).join(', ')})`,
      );
    }
    if (queue !== undefined && two !== undefined) console.log(`queue overhead over the local pool (2 threads): ${((queue.medianMs / two.medianMs - 1) * 100).toFixed(1)}% wall, ${((queue.medianCpuMs / two.medianCpuMs - 1) * 100).toFixed(1)}% CPU`);
    if (QUEUE && redis === undefined) console.log('queue: skipped (redis-server is not installed)');
  } finally {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
