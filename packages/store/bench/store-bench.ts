/* eslint-disable no-console -- a benchmark script: printing its figures is its job */
/**
 * Store benchmark: import of a 1,000,000-bar CSV against the data package's `readBarsCsv` of
 * the same file, loading 1,000,000 bars of one symbol into a BarSeries, `listRuns` over 10,000
 * recorded runs, and (`cli`) `algo-trading runs ls` over the same 10,000 runs end to end: the
 * built command as a fresh process each time (`pnpm build` first), beside the library doing the
 * same work (open the file read-only, list, close) and Node's own startup. Prints the median and
 * the range (min-max) of the timed runs, wall clock and CPU time of the process (all threads),
 * in ms, and the machine's load (`uptime`) before and after.
 *
 *   node --conditions=@algo-trading/source --import tsx packages/store/bench/store-bench.ts
 *   options: --bars 1000000 --runs 5 --recorded 10000 --dir <scratch folder> --only import,load,list,cli
 *
 * Each scenario (import, load, list) runs in its own child process, so one's garbage and caches
 * do not weigh on the next. Figures depend on the machine and its load; the benchmark never runs
 * as a test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createSeededRandom } from '@algo-trading/core';
import { readBarsCsv } from '@algo-trading/data';
import { openStore, type RecordRunInput, type Store } from '../src/index';

const { values } = parseArgs({
  options: {
    bars: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '5' },
    recorded: { type: 'string', default: '10000' },
    dir: { type: 'string' },
    only: { type: 'string', default: 'import,load,list' },
  },
});
const barCount = Number(values.bars);
const runs = Number(values.runs);
const recorded = Number(values.recorded);
const only = new Set(values.only!.split(','));

if (only.size > 1) {
  // One child process per scenario.
  for (const scenario of only) {
    const args = [...process.execArgv, fileURLToPath(import.meta.url), '--only', scenario, '--bars', String(barCount), '--runs', String(runs), '--recorded', String(recorded)];
    const child = spawnSync(process.execPath, args, { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`scenario ${scenario} failed with status ${child.status}`);
  }
  process.exit(0);
}

const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'store-bench-'));

/** A timed run: wall clock and the process's CPU time (all threads, DuckDB's included), ms. */
interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

function describe(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} (${sorted[0]!.toFixed(0)}-${sorted[sorted.length - 1]!.toFixed(0)})`;
}

function stats(samples: Sample[]): string {
  return `wall median ${describe(samples.map((s) => s.wall))} ms, cpu ${describe(samples.map((s) => s.cpu))} ms, n=${samples.length}`;
}

async function timed(work: () => Promise<unknown>): Promise<Sample> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000 };
}

/** A seeded random walk of 1-minute bars with valid OHLC, written as CSV with ISO times. */
function writeCsv(path: string, n: number): void {
  const rng = createSeededRandom(7);
  const lines: string[] = ['date,open,high,low,close,volume'];
  let price = 100;
  const start = Date.UTC(2015, 0, 1);
  for (let i = 0; i < n; i++) {
    const open = price * Math.exp(0.002 * rng.normal());
    const close = open * Math.exp(0.004 * rng.normal() + 0.0005 * Math.log(100 / open));
    const high = Math.max(open, close) * (1 + 0.002 * Math.abs(rng.normal()));
    const low = Math.min(open, close) * (1 - 0.002 * Math.abs(rng.normal()));
    const volume = Math.round(1000 + 9000 * rng.next());
    lines.push(`${new Date(start + i * 60_000).toISOString()},${open},${high},${low},${close},${volume}`);
    price = close;
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function header(title: string): void {
  console.log(`\n${title}  (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
}

const csv = join(dir, 'SYN.csv');
if (only.has('import') || only.has('load')) writeCsv(csv, barCount);

if (only.has('import')) {
  header(`import of a ${barCount.toLocaleString('en-US')}-bar CSV (${runs} runs each, alternating)`);
  const reader: Sample[] = [];
  const importer: Sample[] = [];
  const reimport: Sample[] = [];
  for (let r = 0; r < runs; r++) {
    reader.push(await timed(() => readBarsCsv(csv, { symbol: 'SYN' })));
    const path = join(dir, `import-${r}.duckdb`);
    const store = await openStore({ path });
    importer.push(await timed(() => store.importBars({ files: csv, symbol: 'SYN', timeframe: '1m' })));
    reimport.push(await timed(() => store.importBars({ files: csv, symbol: 'SYN', timeframe: '1m' })));
    await store.close();
    rmSync(path, { force: true });
  }
  console.log(`  readBarsCsv (data package)         ${stats(reader)}`);
  console.log(`  store.importBars, new symbol       ${stats(importer)}`);
  console.log(`  store.importBars, same file again  ${stats(reimport)}`);
}

if (only.has('load')) {
  header(`loadBars of ${barCount.toLocaleString('en-US')} bars of one symbol`);
  const path = join(dir, 'load.duckdb');
  const store = await openStore({ path });
  await store.importBars({ files: csv, symbol: 'SYN', timeframe: '1m' });
  await store.loadBars({ symbols: 'SYN' });
  const load: Sample[] = [];
  let length = 0;
  for (let r = 0; r < Math.max(runs, 7); r++) {
    load.push(await timed(async () => (length = (await store.loadBars({ symbols: 'SYN', timeframe: '1m' })).length)));
  }
  console.log(`  store.loadBars -> BarSeries (${length} bars)  ${stats(load)}`);
  await store.close();
  rmSync(path, { force: true });
}

/** Records `count` synthetic runs (252-bar curves, 9 metrics, 4 parameters) in batches of 500; returns the seconds it took. */
async function recordSyntheticRuns(store: Store, count: number): Promise<number> {
  const rng = createSeededRandom(11);
  const curveLength = 252;
  const time = Float64Array.from({ length: curveLength }, (_, i) => Date.UTC(2020, 0, 1) + i * 86_400_000);
  const setup = performance.now();
  const batch = 500;
  for (let start = 0; start < count; start += batch) {
    const inputs: RecordRunInput[] = [];
    for (let i = start; i < Math.min(start + batch, count); i++) {
      const equity = new Float64Array(curveLength);
      let value = 10_000;
      for (let k = 0; k < curveLength; k++) equity[k] = value *= 1 + 0.01 * rng.normal();
      inputs.push({
        id: `run-${String(i).padStart(6, '0')}`,
        command: i % 10 === 0 ? 'walk-forward' : 'sweep',
        createdAt: Date.UTC(2024, 0, 1) + i * 1000,
        strategy: 'sma-crossover',
        configHash: `cfg${i}`,
        dataHash: 'data0',
        codeVersion: '@algo-trading/cli@0.1.0',
        gitCommit: null,
        symbols: ['SPY'],
        timeframe: '1d',
        parameters: { fast: 5 + (i % 20), slow: 20 + (i % 50), sizing: { method: 'fixed_fractional', riskPct: 0.01 } },
        metrics: {
          totalReturn: equity[curveLength - 1]! / 10_000 - 1,
          cagr: rng.normal() * 0.1,
          sharpeRatio: rng.normal(),
          sortinoRatio: rng.normal(),
          maxDrawdown: -Math.abs(rng.normal() * 0.1),
          calmarRatio: rng.normal(),
          winRate: rng.next(),
          profitFactor: 1 + rng.normal() * 0.2,
          tradeCount: Math.round(rng.next() * 100),
        },
        equityCurve: { time, equity },
      });
    }
    await store.recordRuns(inputs);
  }
  return (performance.now() - setup) / 1000;
}

if (only.has('list')) {
  header(`listRuns over ${recorded.toLocaleString('en-US')} recorded runs`);
  const path = join(dir, 'runs.duckdb');
  const store = await openStore({ path });
  const seconds = await recordSyntheticRuns(store, recorded);
  console.log(`  setup: recorded ${recorded} runs (252-bar curves, 9 metrics, 4 parameters) in ${seconds.toFixed(1)} s`);
  await store.listRuns();
  const list: Sample[] = [];
  let count = 0;
  for (let r = 0; r < Math.max(runs, 7); r++) list.push(await timed(async () => (count = (await store.listRuns()).length)));
  console.log(`  store.listRuns() -> ${count} summaries with 5 metrics  ${stats(list)}`);
  await store.close();
  rmSync(path, { force: true });
}

if (only.has('cli')) {
  const cli = resolve(dirname(fileURLToPath(import.meta.url)), '../../../apps/cli/bin/algo-trading.js');
  if (!existsSync(resolve(dirname(cli), '../dist/cli.js'))) throw new Error('the CLI is not built: run pnpm build first');
  const path = join(dir, 'cli-runs.duckdb');
  const store = await openStore({ path });
  const seconds = await recordSyntheticRuns(store, recorded);
  await store.close();
  const duckdbEntry = createRequire(import.meta.url).resolve('@duckdb/node-api');
  const uptime = () => spawnSync('uptime', { encoding: 'utf8' }).stdout?.trim() ?? loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`\nalgo-trading runs ls over ${recorded.toLocaleString('en-US')} recorded runs (setup ${seconds.toFixed(1)} s); uptime before: ${uptime()}`);
  const repeat = Math.max(runs, 11);
  /** Wall time and CPU time (user + system, from GNU time when installed; NaN otherwise) of a fresh process, ms. */
  const gnuTime = existsSync('/usr/bin/time');
  const spawnTimed = (args: readonly string[]): Sample => {
    const timeFile = join(dir, 'time.txt');
    const [file, argv] = gnuTime ? ['/usr/bin/time', ['-f', '%U %S', '-o', timeFile, process.execPath, ...args]] : [process.execPath, [...args]];
    const start = performance.now();
    const child = spawnSync(file as string, argv as string[], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
    const wall = performance.now() - start;
    if (child.status !== 0) throw new Error(`${args.join(' ')} failed (${child.status}):\n${child.stderr}`);
    const cpu = gnuTime ? readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').reduce((sum, v) => sum + Number(v) * 1000, 0) : Number.NaN;
    return { wall, cpu };
  };
  const library = async (limit: number | undefined): Promise<Sample> =>
    timed(async () => {
      const reader = await openStore({ path, readOnly: true });
      await reader.listRuns({ limit, metrics: ['totalReturn', 'sharpeRatio', 'maxDrawdown', 'tradeCount'] });
      await reader.close();
    });
  const scenarios: { name: string; run: () => Promise<Sample> }[] = [
    { name: 'node -e 0 (Node startup, the floor)', run: async () => spawnTimed(['-e', '0']) },
    { name: 'node: require @duckdb/node-api (its native library)', run: async () => spawnTimed(['-e', `require(${JSON.stringify(duckdbEntry)})`]) },
    { name: 'algo-trading --version (CLI startup)', run: async () => spawnTimed([cli, '--version']) },
    { name: 'algo-trading runs ls (newest 20, table)', run: async () => spawnTimed([cli, 'runs', 'ls', '--db', path, '--quiet']) },
    { name: 'algo-trading runs ls --all --json (10,000)', run: async () => spawnTimed([cli, 'runs', 'ls', '--all', '--json', '--db', path, '--quiet']) },
    { name: 'library: open read-only + listRuns(limit 20) + close', run: () => library(20) },
    { name: 'library: open read-only + listRuns() all + close', run: () => library(undefined) },
  ];
  const samples = scenarios.map(() => [] as Sample[]);
  for (const scenario of scenarios) await scenario.run(); // warm-up: file cache, DuckDB's first load
  for (let r = 0; r < repeat; r++) for (const [k, scenario] of scenarios.entries()) samples[k]!.push(await scenario.run());
  for (const [k, scenario] of scenarios.entries()) console.log(`  ${scenario.name.padEnd(52)} ${stats(samples[k]!)}`);
  console.log(`  uptime after: ${uptime()}`);
  rmSync(path, { force: true });
}

if (values.dir === undefined) rmSync(dir, { recursive: true, force: true });
