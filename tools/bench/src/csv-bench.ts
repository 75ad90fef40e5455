/**
 * CSV loading benchmark: wall time and peak RSS of `readBarsCsv` on large OHLCV files. Run from the
 * repository root:
 *
 *   node --conditions=@algo-trading/source --import tsx tools/bench/src/csv-bench.ts
 *
 * It writes seeded files into a temporary folder (deleted at the end), then reads each one in a
 * fresh child process per run, so every run's peak RSS is its own and nothing is cached between
 * runs. A child reports the time of the `readBarsCsv` call alone and the process's peak RSS
 * (`process.resourceUsage().maxRSS`), and also the RSS of the same child before the call (Node and
 * tsx loaded), so the loader's own share can be told apart. Figures: median of the runs, with the
 * min-max spread; `uptime` is printed before and after because the machine may be shared.
 *
 * Files (header `time,open,high,low,close,volume`, one bar a minute from 2000-01-03):
 * - `epoch-ms`: times as epoch milliseconds, prices with 4 decimals (what exchange and broker exports hold);
 * - `epoch-ms-full`: the same with prices as JavaScript writes full doubles (`100.12345678901234`),
 *   what pandas `to_csv` writes for computed prices;
 * - `iso`: ISO 8601 times (`2000-01-03T00:00:00Z`), 4 decimals.
 *
 * Options: `--rows 1000000,5000000` (row counts), `--formats epoch-ms,iso,epoch-ms-full`,
 * `--runs 5`, `--keep DIR` (write the files there and keep them), `--json`, `--peer` (also time
 * pandas `read_csv` + `to_datetime` on the same files, in the same conditions, when `python3` with
 * pandas is installed; Debian: `apt-get install python3-pandas`; `--python PATH` picks the interpreter).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSeededRandom } from '@algo-trading/core';
import { readBarsCsv } from '@algo-trading/data';

const FORMATS = ['epoch-ms', 'epoch-ms-full', 'iso'] as const;
type Format = (typeof FORMATS)[number];

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** Writes a seeded OHLCV file of `rows` one-minute bars (a random walk with valid OHLC). */
export function writeBenchCsv(path: string, rows: number, format: Format, seed = 7): void {
  const rng = createSeededRandom(seed);
  const fd = openSync(path, 'w');
  const start = Date.UTC(2000, 0, 3);
  const full = format === 'epoch-ms-full';
  const price = (p: number): string => (full ? String(p) : p.toFixed(4));
  let chunk = 'time,open,high,low,close,volume\n';
  let close = 100;
  for (let i = 0; i < rows; i++) {
    const open = close * (1 + 0.0005 * rng.normal());
    close = open * (1 + 0.001 * rng.normal());
    const high = Math.max(open, close) * (1 + 0.0005 * rng.next());
    const low = Math.min(open, close) * (1 - 0.0005 * rng.next());
    const time = start + i * 60_000;
    const t = format === 'iso' ? new Date(time).toISOString().replace('.000Z', 'Z') : String(time);
    // Prices rounded first, so that the written OHLC still satisfy low <= open, close <= high.
    const [o, h, l, c] = full ? [open, high, low, close] : [open, high, low, close].map((v) => Number(v.toFixed(4))) as [number, number, number, number];
    chunk += `${t},${price(o)},${price(Math.max(h, o, c))},${price(Math.min(l, o, c))},${price(c)},${1000 + rng.nextInt(9000)}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

interface ChildResult {
  readonly ms: number;
  /** CPU time of the call (user + system), less sensitive than wall time to other processes. */
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly baseRssMb: number;
  readonly bars: number;
  readonly lastClose: number;
}

async function child(path: string): Promise<void> {
  const baseRssMb = process.memoryUsage().rss / 2 ** 20;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const bars = await readBarsCsv(path);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const result: ChildResult = { ms, cpuMs: (used.user + used.system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024, baseRssMb, bars: bars.length, lastClose: bars.close[bars.length - 1]! };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** The peer: pandas `read_csv` then `to_datetime` of the time column, timed the same way. */
const PANDAS_SCRIPT = `
import json, resource, sys, time
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
import pandas as pd
path, iso = sys.argv[1], sys.argv[2] == 'iso'
cpu, start = time.process_time(), time.perf_counter()
df = pd.read_csv(path)
df['time'] = pd.to_datetime(df['time'], utc=True) if iso else pd.to_datetime(df['time'], unit='ms', utc=True)
ms = (time.perf_counter() - start) * 1000
print(json.dumps({'ms': ms, 'cpuMs': (time.process_time() - cpu) * 1000, 'peakRssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'baseRssMb': base, 'bars': len(df), 'lastClose': float(df['close'].iloc[-1])}))
`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Prints one tool's figures on one file: median, min-max spread, CPU time, peak RSS. */
function report(input: { tool: string; format: Format; rows: number; runs: number; results: readonly ChildResult[]; json: boolean }): void {
  const { tool, format, rows, runs, results } = input;
  const seconds = results.map((x) => x.ms / 1000);
  const peaks = results.map((x) => x.peakRssMb);
  const summary = {
    tool,
    format,
    rows,
    runs,
    medianSeconds: median(seconds),
    minSeconds: Math.min(...seconds),
    maxSeconds: Math.max(...seconds),
    medianCpuSeconds: median(results.map((x) => x.cpuMs / 1000)),
    rowsPerSecond: rows / median(seconds),
    medianPeakRssMb: median(peaks),
    minPeakRssMb: Math.min(...peaks),
    maxPeakRssMb: Math.max(...peaks),
    baseRssMb: median(results.map((x) => x.baseRssMb)),
    bars: results[0]!.bars,
  };
  if (input.json) {
    console.log(JSON.stringify(summary));
    return;
  }
  console.log(
    `${tool.padEnd(11)} ${format.padEnd(13)} ${String(rows).padStart(9)} rows: ${summary.medianSeconds.toFixed(3)} s ` +
      `(${summary.minSeconds.toFixed(3)}-${summary.maxSeconds.toFixed(3)}; CPU ${summary.medianCpuSeconds.toFixed(3)} s), ` +
      `${(summary.rowsPerSecond / 1e6).toFixed(2)}M rows/s, peak RSS ${summary.medianPeakRssMb.toFixed(0)} MB ` +
      `(${summary.minPeakRssMb.toFixed(0)}-${summary.maxPeakRssMb.toFixed(0)}; ${summary.baseRssMb.toFixed(0)} MB before reading), median of ${runs}`,
  );
}

function uptime(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return 'uptime unavailable';
  }
}

async function main(): Promise<void> {
  const childPath = argument('child');
  if (childPath !== undefined) return child(childPath);
  const rowCounts = (argument('rows') ?? '1000000,5000000').split(',').map(Number);
  const formats = (argument('formats') ?? 'epoch-ms,iso,epoch-ms-full').split(',') as Format[];
  for (const f of formats) if (!FORMATS.includes(f)) throw new Error(`unknown format ${f}; expected ${FORMATS.join(', ')}`);
  const runs = Number(argument('runs') ?? 5);
  const keep = argument('keep');
  const json = process.argv.includes('--json');
  const peer = process.argv.includes('--peer');
  const python = argument('python') ?? 'python3';
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'algo-trading-csv-bench-'));
  if (keep !== undefined) mkdirSync(keep, { recursive: true });
  const script = fileURLToPath(import.meta.url);
  if (!json) console.log(`before: ${uptime()}`);
  try {
    for (const rows of rowCounts) {
      for (const format of formats) {
        const path = join(dir, `bars-${format}-${rows}.csv`);
        writeBenchCsv(path, rows, format);
        const tools = peer ? (['readBarsCsv', 'pandas'] as const) : (['readBarsCsv'] as const);
        const byTool = new Map<string, ChildResult[]>(tools.map((tool) => [tool, []]));
        // Runs of the two tools interleaved, so that both see the same load.
        for (let r = 0; r < runs; r++) {
          for (const tool of tools) {
            const out =
              tool === 'pandas'
                ? spawnSync(python, ['-c', PANDAS_SCRIPT, path, format === 'iso' ? 'iso' : 'ms'], { encoding: 'utf8', maxBuffer: 1 << 20 })
                : spawnSync(process.execPath, [...process.execArgv, script, '--child', path], { encoding: 'utf8', maxBuffer: 1 << 20 });
            if (out.status !== 0) throw new Error(`${tool} failed (${out.status}): ${out.stderr}`);
            byTool.get(tool)!.push(JSON.parse(out.stdout.trim().split('\n').pop()!) as ChildResult);
          }
        }
        for (const [tool, results] of byTool) report({ tool, format, rows, runs, results, json });
        if (keep === undefined) rmSync(path);
      }
    }
  } finally {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
  if (!json) console.log(`after: ${uptime()}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
