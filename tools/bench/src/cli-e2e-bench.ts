/**
 * End-to-end benchmark of the built `algo-trading` command: read a 1,000,000-bar CSV, backtest the
 * SMA crossover through the risk manager and the sizer, write every output. Run from the repository
 * root after a build (`pnpm build`):
 *
 *   node --conditions=@algo-trading/source --import tsx tools/bench/src/cli-e2e-bench.ts
 *
 * The CSV (one-minute bars of the seeded synthetic series, epoch-millisecond times, prices to 4
 * decimals) is generated once into the system's temporary folder and reused. Each run is a fresh
 * process: `algo-trading backtest --data <csv> --strategy sma-cross --out <dir> --quiet` with the
 * default configuration. Reported: the median wall time with its spread and the median peak RSS
 * (GNU time), of the full run and of the same run without the HTML report (`--no-report`), and the
 * machine's load. For comparison, backtesting.py reads, runs and writes the same kind of series in
 * 13.0 s at 382 MB on the machine these goals were set on (goal: under 0.3x its time, under 500 MB).
 *
 * Options: `--bars N` (default 1000000), `--runs N` (5), `--warmup N` (1), `--json`.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argument, describeTimes, machineLoad, measureInterleaved, type Command } from './process-runs';
import { syntheticBars } from './synthetic';

const BARS = Number(argument('bars') ?? 1_000_000);
const RUNS = Number(argument('runs') ?? 5);
const WARMUP = Number(argument('warmup') ?? 1);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(root, 'apps/cli/bin/algo-trading.js');
if (!existsSync(join(root, 'apps/cli/dist/cli.js'))) throw new Error('apps/cli/dist/cli.js does not exist: run pnpm build first');

/** Writes the benchmark CSV (streamed, a few thousand lines per write) unless it exists. */
async function benchmarkCsv(bars: number): Promise<string> {
  const path = join(tmpdir(), `algo-trading-bench-${bars}-minute-bars.csv`);
  if (existsSync(path)) return path;
  const series = syntheticBars({ length: bars, seed: 42, intervalMs: 60_000, volatility: 0.002, momentum: 0.3 });
  const partial = `${path}.${process.pid}.partial`;
  const out = createWriteStream(partial);
  const round = (x: number) => Math.round(x * 10_000) / 10_000; // monotone: keeps low <= open, close <= high
  let chunk = 'time,open,high,low,close,volume\n';
  for (let i = 0; i < bars; i++) {
    chunk += `${series.time[i]},${round(series.open[i]!)},${round(series.high[i]!)},${round(series.low[i]!)},${round(series.close[i]!)},${series.volume[i]}\n`;
    if (i % 4096 === 4095) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  renameSync(partial, path);
  return path;
}

const csv = await benchmarkCsv(BARS);
const work = mkdtempSync(join(tmpdir(), 'algo-trading-e2e-'));
const args = ['backtest', '--data', csv, '--strategy', 'sma-cross', '--quiet'];
const commands: Command[] = [
  { name: 'backtest --out', file: process.execPath, args: [bin, ...args, '--out', join(work, 'full')], cwd: work },
  { name: 'backtest --out --no-report', file: process.execPath, args: [bin, ...args, '--out', join(work, 'no-report'), '--no-report'], cwd: work },
];
const before = machineLoad();
const summaries = measureInterleaved(commands, { runs: RUNS, warmup: WARMUP });
const after = machineLoad();
rmSync(work, { recursive: true, force: true });

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ bars: BARS, node: process.version, loadBefore: before, loadAfter: after, results: summaries }));
} else {
  console.log(`CLI end to end, ${BARS.toLocaleString('en-US')} one-minute bars from ${csv}; node ${process.version}`);
  console.log(`${before} before, ${after} after (a shared machine: compare runs made together)`);
  for (const s of summaries) console.log(`${s.name.padEnd(28)} ${describeTimes(s)}`);
  console.log('goal: under 3.9 s (0.3x backtesting.py read + run + write, 13.0 s) and under 500 MB peak RSS');
}
