/**
 * HTML report benchmark: time and memory of `renderReportHtml` for a long run. From the
 * repository root:
 *
 *   node --conditions=@algo-trading/source --import tsx tools/bench/src/report-bench.ts [--bars 1000000] [--runs 5]
 *
 * 1. A real run is prepared once: seeded synthetic one-minute bars (`syntheticBars`, 0.2%
 *    volatility a bar, some momentum), SMA(10)/SMA(20) crossover signals through the CLI's
 *    configured backtest (product defaults with 0.01 lots: risk manager, sizing, costs) and its
 *    buy-and-hold benchmark, written as `results.json` to a temporary folder.
 * 2. Each timed run is a fresh child process that reads that `results.json` (what
 *    `algo-trading report <dir>` does), then renders the report once. It reports the render time,
 *    the peak RSS before rendering (the loaded results) and after it, and the size of the page.
 *
 * Printed: median, min and max over the runs. With `--json`, one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildManifest,
  buildRunResults,
  readResultsDir,
  renderReportHtml,
  runBenchmark,
  runConfiguredBacktest,
  serializeResults,
  validateConfig,
} from '@algo-trading/cli';
import { silentLogger } from '@algo-trading/core';
import { smaCrossoverSignals, syntheticBars } from './synthetic';

interface RenderSample {
  readonly renderMs: number;
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
  readonly htmlMb: number;
}

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const BARS = argument('--bars', 1_000_000);
const RUNS = argument('--runs', 5);

/** Step 1: one configured backtest with its benchmark, saved as results.json in `dir`. */
async function prepare(dir: string): Promise<void> {
  const bars = syntheticBars({ length: BARS, volatility: 0.002, momentum: 0.3, intervalMs: 60_000, seed: 7 });
  const config = validateConfig({ backtesting: { lot_size: 0.01 }, risk_management: { position_sizing: { method: 'fixed_fractional' } } }, 'bench');
  const signals = smaCrossoverSignals(bars.close, 10, 20);
  const run = await runConfiguredBacktest({ bars, signals, config, logger: silentLogger });
  const results = buildRunResults({
    command: 'backtest',
    title: `SMA crossover on ${BARS.toLocaleString('en-US')} synthetic bars`,
    strategyName: 'SMA crossover (10/20)',
    strategyParameters: { fast: 10, slow: 20 },
    config,
    bars,
    source: 'synthetic',
    run,
    manifest: buildManifest({ config, bars, seed: 7, argv: ['bench'] }),
    benchmark: await runBenchmark({ bars, config, run }),
  });
  writeFileSync(join(dir, 'results.json'), serializeResults(results));
  console.log(`prepared ${BARS.toLocaleString('en-US')} bars, ${results.trades.length} trades, ${results.fills.length} fills in ${dir}`);
}

/** Step 2 (child process): load, render once, measure. */
async function renderOnce(dir: string): Promise<RenderSample> {
  const results = await readResultsDir(dir);
  const rssBeforeMb = process.resourceUsage().maxRSS / 1024;
  const start = performance.now();
  const html = renderReportHtml(results);
  const renderMs = performance.now() - start;
  return { renderMs, rssBeforeMb, rssAfterMb: process.resourceUsage().maxRSS / 1024, htmlMb: Buffer.byteLength(html) / 1e6 };
}

function stats(values: readonly number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

const childDir = process.argv[process.argv.indexOf('--render') + 1];
if (process.argv.includes('--render') && childDir !== undefined) {
  console.log(JSON.stringify(await renderOnce(childDir)));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'report-bench-'));
  try {
    await prepare(dir);
    const samples: RenderSample[] = [];
    for (let r = 0; r < RUNS; r++) {
      const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--render', dir], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (child.status !== 0) throw new Error(`render run ${r} failed: ${child.stderr}`);
      samples.push(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as RenderSample);
    }
    const time = stats(samples.map((s) => s.renderMs));
    const before = stats(samples.map((s) => s.rssBeforeMb));
    const after = stats(samples.map((s) => s.rssAfterMb));
    const size = stats(samples.map((s) => s.htmlMb));
    const summary = { bars: BARS, runs: RUNS, renderMs: time, rssBeforeMb: before, rssAfterMb: after, htmlMb: size };
    if (process.argv.includes('--json')) console.log(JSON.stringify(summary));
    else {
      const f = (s: { median: number; min: number; max: number }, d = 0) => `${s.median.toFixed(d)} (${s.min.toFixed(d)}-${s.max.toFixed(d)})`;
      console.log(
        `renderReportHtml, ${BARS.toLocaleString('en-US')} bars, ${RUNS} runs, median (min-max): ${f(time)} ms; ` +
          `peak RSS ${f(before)} MB loaded -> ${f(after)} MB after rendering; page ${f(size, 2)} MB`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
