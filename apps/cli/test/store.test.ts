// @long-running: runs store commands through the built CLI (started first, see tools/config/long-running-first.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readBarsCsv } from '@algo-trading/data';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliVersion } from '../src/program';
import { hashBars } from '../src/report/manifest';
import { runInProcess, tempDir, writeSampleCsv } from './helpers';

/**
 * The store's commands (`data`, `runs`), `--data store:...` and run recording, in this process
 * against real DuckDB files in temporary folders.
 */

type Json = Record<string, unknown>;

function json(stdout: string): Json {
  return JSON.parse(stdout) as Json;
}

/** Three daily bars of SPY, then the same file with a revised close and a new bar. */
const SPY = 'date,open,high,low,close,volume\n2024-01-02,100,102,99,101,1000\n2024-01-03,101,103,100,102,1200\n2024-01-04,102,104,101,103,1300\n';
const SPY_REVISED = 'date,open,high,low,close,volume\n2024-01-04,102,104,101,103.5,1300\n2024-01-05,103,105,102,104,1400\n';

let prices: string; // 400 real S&P 500 bars as prices.csv
let dir: string;

beforeAll(() => {
  dir = tempDir('algo-cli-store-');
  prices = writeSampleCsv(dir, 400);
});

/** A fresh folder with its own store made from `files` (name -> CSV text). */
async function storeWith(files: Record<string, string>, args: readonly string[] = []): Promise<string> {
  const cwd = tempDir('algo-cli-store-');
  mkdirSync(join(cwd, 'bars'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, 'bars', name), text);
  const run = await runInProcess(['data', 'import', 'bars', '--quiet', ...args], cwd);
  expect(run.code, run.stderr).toBe(0);
  return cwd;
}

describe('data import / ls / show', () => {
  it('imports a folder, reports new / unchanged rows, and importing again changes nothing', async () => {
    const cwd = tempDir('algo-cli-store-');
    mkdirSync(join(cwd, 'bars'));
    writeFileSync(join(cwd, 'bars', 'SPY.csv'), SPY);
    writeFileSync(join(cwd, 'bars', 'QQQ.csv'), 'date,open,high,low,close,volume\n2024-01-02,400,402,399,401,10\n2024-01-03,401,403,400,402,12\n2024-01-04,402,404,401,403,13\n');
    const first = await runInProcess(['data', 'import', 'bars', '--json', '--quiet'], cwd);
    expect(first.code, first.stderr).toBe(0);
    const imported = json(first.stdout);
    expect(imported).toMatchObject({ ok: true, store: join(cwd, 'algo-trading.duckdb'), created: true, rowsRead: 6, inserted: 6, unchanged: 0, conflicting: 0 });
    expect(imported['series']).toEqual([
      { symbol: 'QQQ', timeframe: '1d', rows: 3, inserted: 3, unchanged: 0, conflicting: 0 },
      { symbol: 'SPY', timeframe: '1d', rows: 3, inserted: 3, unchanged: 0, conflicting: 0 },
    ]);
    const again = await runInProcess(['data', 'import', 'bars/SPY.csv', 'bars/QQQ.csv', '--quiet'], cwd);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Imported 2 files into');
    expect(again.stdout).toContain('6 bars read, 0 new, 6 unchanged, 0 conflicting');

    const ls = json((await runInProcess(['data', 'ls', '--json', '--quiet'], cwd)).stdout);
    expect(ls['series']).toEqual([
      { symbol: 'QQQ', timeframe: '1d', bars: 3, first: '2024-01-02T00:00:00.000Z', last: '2024-01-04T00:00:00.000Z' },
      { symbol: 'SPY', timeframe: '1d', bars: 3, first: '2024-01-02T00:00:00.000Z', last: '2024-01-04T00:00:00.000Z' },
    ]);
    const table = await runInProcess(['data', 'ls', '--quiet'], cwd);
    expect(table.stdout).toContain('2 series, 6 bars in');
    expect(table.stdout).toMatch(/SPY\s+1d\s+3\s+2024-01-02\s+2024-01-04/);
  });

  it('shows a symbol: its range, count, timeframe and first / last rows', async () => {
    const cwd = await storeWith({ 'SPY.csv': SPY });
    const show = await runInProcess(['data', 'show', 'SPY', '--rows', '2', '--json', '--quiet'], cwd);
    expect(show.code).toBe(0);
    const [series] = json(show.stdout)['series'] as Json[];
    expect(series).toMatchObject({ symbol: 'SPY', timeframe: '1d', bars: 3, first: '2024-01-02T00:00:00.000Z', last: '2024-01-04T00:00:00.000Z' });
    expect(series!['head']).toEqual([
      { time: '2024-01-02T00:00:00.000Z', open: 100, high: 102, low: 99, close: 101, volume: 1000 },
      { time: '2024-01-03T00:00:00.000Z', open: 101, high: 103, low: 100, close: 102, volume: 1200 },
    ]);
    expect((series!['tail'] as Json[]).map((b) => b['close'])).toEqual([102, 103]);
    const text = await runInProcess(['data', 'show', 'SPY', '--quiet'], cwd);
    expect(text.stdout).toContain('SPY 1d: 3 bars from 2024-01-02 to 2024-01-04');
    expect(text.stdout).toMatch(/2024-01-04\s+102\s+104\s+101\s+103\s+1300/);
  });

  it('a conflicting bar fails the import by default, listing it; nothing is imported', async () => {
    const cwd = await storeWith({ 'SPY.csv': SPY });
    writeFileSync(join(cwd, 'SPY-revised.csv'), SPY_REVISED);
    const run = await runInProcess(['data', 'import', 'SPY-revised.csv', '--symbol', 'SPY', '--quiet'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error (INVALID_DATA): 1 imported bars differ from stored bars');
    expect(run.stderr).toContain('--on-conflict keep');
    expect(run.stderr).toMatch(/SPY\s+1d\s+2024-01-04\s+close\s+103\s+103\.5\s+.*SPY-revised\.csv/);
    const ls = json((await runInProcess(['data', 'ls', '--json', '--quiet'], cwd)).stdout);
    expect((ls['series'] as Json[])[0]!['bars']).toBe(3); // not even the new 2024-01-05 bar
  });

  it('--on-conflict keep imports the new bars, keeps the stored one and lists the conflict; replace overwrites it', async () => {
    const cwd = await storeWith({ 'SPY.csv': SPY });
    writeFileSync(join(cwd, 'SPY-revised.csv'), SPY_REVISED);
    const keep = await runInProcess(['data', 'import', 'SPY-revised.csv', '--symbol', 'SPY', '--on-conflict', 'keep', '--json', '--quiet'], cwd);
    expect(keep.code, keep.stderr).toBe(0);
    const kept = json(keep.stdout);
    expect([kept['inserted'], kept['unchanged'], kept['conflicting']]).toEqual([1, 0, 1]);
    expect(kept['conflicts']).toEqual([
      {
        symbol: 'SPY',
        timeframe: '1d',
        time: '2024-01-04T00:00:00.000Z',
        source: join(cwd, 'SPY-revised.csv'),
        stored: { open: 102, high: 104, low: 101, close: 103, volume: 1300 },
        incoming: { open: 102, high: 104, low: 101, close: 103.5, volume: 1300 },
      },
    ]);
    const closes = async () => ((json((await runInProcess(['data', 'show', 'SPY', '--json', '--quiet'], cwd)).stdout)['series'] as Json[])[0]!['tail'] as Json[]).map((b) => b['close']);
    expect(await closes()).toEqual([101, 102, 103, 104]);
    const replace = await runInProcess(['data', 'import', 'SPY-revised.csv', '--symbol', 'SPY', '--on-conflict', 'replace', '--quiet'], cwd);
    expect(replace.code).toBe(0);
    expect(replace.stdout).toContain('1 bar(s) differ from the stored ones; the stored bars were replaced');
    expect(await closes()).toEqual([101, 102, 103.5, 104]);
  });

  it('imports the bundled samples; a failed first import leaves no database file behind', async () => {
    const cwd = tempDir('algo-cli-store-');
    writeFileSync(join(cwd, 'bad.csv'), 'date,open,high,low,close\n2024-01-02,10,11,9,10\n2024-01-03,10,9,9.5,9.5\n');
    const bad = await runInProcess(['data', 'import', 'bad.csv', '--quiet'], cwd);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${join(cwd, 'bad.csv')}: line 3, column "high": high must be >= max(open, close) = 10, got 9`);
    expect(existsSync(join(cwd, 'algo-trading.duckdb'))).toBe(false);
    const samples = await runInProcess(['data', 'import', 'sample:sp500', 'sample:stocks', '--json', '--quiet'], cwd);
    expect(samples.code, samples.stderr).toBe(0);
    const series = json(samples.stdout)['series'] as Json[];
    expect(series.map((s) => `${s['symbol']}@${s['timeframe']}:${s['inserted']}`)).toEqual(['SP500@1d:5105', 'AAPL@1M:123', 'AMZN@1M:123', 'GOOG@1M:68', 'IBM@1M:123', 'MSFT@1M:123']);
    const unknown = await runInProcess(['data', 'import', 'sample:nope', '--quiet'], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/data source "sample:nope": unknown sample "nope"; the samples are sp500 \(.*\), stocks \(/);
  });

  it('an unknown symbol is an error listing the stored ones; a missing database names its path', async () => {
    const cwd = await storeWith({ 'SPY.csv': SPY });
    const unknown = await runInProcess(['data', 'show', 'QQQ', '--quiet'], cwd);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('error (NOT_FOUND): symbol "QQQ" is not in the store (stored symbols: SPY)');
    const empty = tempDir('algo-cli-store-');
    for (const args of [['data', 'ls'], ['data', 'show', 'SPY'], ['runs', 'ls'], ['runs', 'show', 'latest']]) {
      const run = await runInProcess([...args, '--db', 'other/none.duckdb', '--quiet'], empty);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toContain(`there is no store database at ${join(empty, 'other/none.duckdb')}`);
    }
    expect(existsSync(join(empty, 'other'))).toBe(false); // reading never creates a store
  });
});

describe('--data store:SYMBOL@TIMEFRAME', () => {
  it('backtests the same bars as the CSV they were imported from: same data hash, same results', async () => {
    const cwd = tempDir('algo-cli-store-');
    writeFileSync(join(cwd, 'SPX.csv'), readFileSync(prices));
    expect((await runInProcess(['data', 'import', 'SPX.csv', '--quiet'], cwd)).code).toBe(0);
    const args = ['backtest', '--strategy', 'sma-cross', '--fast', '10', '--slow', '30', '--json', '--quiet', '--no-record'];
    const fromCsv = json((await runInProcess([...args, '--data', 'SPX.csv'], cwd)).stdout);
    const fromStore = await runInProcess([...args, '--data', 'store:SPX@1d'], cwd);
    expect(fromStore.code, fromStore.stderr).toBe(0);
    const stored = json(fromStore.stdout);
    // The store's bars are the CSV's bit for bit (the store names them SPX, after the file).
    expect((stored['manifest'] as Json)['dataHash']).toBe(hashBars(await readBarsCsv(join(cwd, 'SPX.csv'), { symbol: 'SPX' })));
    expect(stored['metrics']).toEqual(fromCsv['metrics']);
    expect(stored['dataRange']).toEqual({ ...(fromCsv['dataRange'] as Json), source: 'store:SPX@1d', symbol: 'SPX' });
    // Without the timeframe: the symbol's only one.
    const noTimeframe = json((await runInProcess([...args, '--data', 'store:SPX'], cwd)).stdout);
    expect((noTimeframe['dataRange'] as Json)['source']).toBe('store:SPX@1d');
    // The benchmark from the store too.
    const benchmark = json((await runInProcess([...args, '--data', 'SPX.csv', '--benchmark', 'store:SPX@1d'], cwd)).stdout);
    expect((benchmark['benchmark'] as Json)['source']).toBe('store:SPX@1d');
  });

  it('refuses several symbols for a command that runs one series (usage), and names a missing store or symbol', async () => {
    const cwd = await storeWith({ 'SPY.csv': SPY, 'QQQ.csv': SPY });
    const several = await runInProcess(['walk-forward', '--data', 'store:SPY,QQQ@1d', '--quiet'], cwd);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('usage error: --data store:SPY,QQQ@1d names 2 symbols (SPY, QQQ), but walk-forward runs one series: name one symbol, e.g. store:SPY@1d');
    // backtest runs several symbols of the store as one portfolio.
    const universe = await runInProcess(['backtest', '--data', 'store:SPY,QQQ@1d', '--strategy', 'sma-cross', '--fast', '2', '--slow', '4', '--json', '--no-record', '--quiet'], cwd);
    expect(universe.code, universe.stderr).toBe(0);
    expect((json(universe.stdout)['universe'] as { symbols: string[] }).symbols).toEqual(['QQQ', 'SPY']);
    const badBenchmark = await runInProcess(['walk-forward', '--data', prices, '--benchmark', 'store:SPY,QQQ', '--quiet'], cwd);
    expect(badBenchmark.code).toBe(2);
    expect(badBenchmark.stderr).toContain('--benchmark store:SPY,QQQ names 2 symbols');
    const malformed = await runInProcess(['backtest', '--data', 'store:SPY@1x', '--strategy', 'sma-cross', '--quiet'], cwd);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--data: invalid store reference "store:SPY@1x": timeframe "1x" is not a count');
    const unknown = await runInProcess(['backtest', '--data', 'store:IWM@1d', '--strategy', 'sma-cross', '--quiet'], cwd);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`error (NOT_FOUND): --data store:IWM@1d (${join(cwd, 'algo-trading.duckdb')}): symbol "IWM" is not in the store (stored symbols: QQQ, SPY)`);
    const noStore = await runInProcess(['backtest', '--data', 'store:SPY@1d', '--strategy', 'sma-cross', '--quiet'], tempDir());
    expect(noStore.code).toBe(1);
    expect(noStore.stderr).toMatch(/error \(NOT_FOUND\): --data store:SPY@1d: there is no store database at \S+algo-trading\.duckdb/);
  });

  it('--db and store.path choose the database', async () => {
    const cwd = await storeWith({ 'SPY.csv': SPY }, ['--db', 'db/bars.duckdb']);
    const viaFlag = await runInProcess(['data', 'ls', '--db', 'db/bars.duckdb', '--json', '--quiet'], cwd);
    expect((json(viaFlag.stdout)['series'] as Json[]).map((s) => s['symbol'])).toEqual(['SPY']);
    writeFileSync(join(cwd, 'config.yaml'), 'store:\n  path: db/bars.duckdb\nlogging:\n  file: null\n');
    const viaConfig = await runInProcess(['data', 'ls', '--json', '--quiet'], cwd);
    expect(json(viaConfig.stdout)['store']).toBe(join(cwd, 'db/bars.duckdb'));
    expect((json(viaConfig.stdout)['series'] as Json[]).map((s) => s['symbol'])).toEqual(['SPY']);
  });
});

describe('recording runs, runs ls / show / compare', () => {
  it('records a backtest with its id, hashes, code version, parameters, metrics, trades, fills and curve', async () => {
    const cwd = tempDir('algo-cli-store-');
    expect((await runInProcess(['runs', 'init', '--quiet'], cwd)).code).toBe(0);
    const run = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--fast', '10', '--slow', '30', '--out', 'results/a', '--json', '--quiet'], cwd);
    expect(run.code, run.stderr).toBe(0);
    const output = json(run.stdout);
    const record = output['record'] as { status: string; store: string; ids: string[] };
    expect(record.status).toBe('recorded');
    expect(record.store).toBe(join(cwd, 'algo-trading.duckdb'));
    expect(record.ids).toHaveLength(1);
    const id = record.ids[0]!;
    expect(id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/);

    const shown = await runInProcess(['runs', 'show', id, '--json', '--quiet'], cwd);
    expect(shown.code, shown.stderr).toBe(0);
    const detail = json(shown.stdout)['run'] as Json;
    const manifest = output['manifest'] as Json;
    expect(detail).toMatchObject({
      id,
      command: 'backtest',
      status: 'completed',
      strategy: 'SMA crossover (10/30)',
      configHash: manifest['configHash'],
      dataHash: manifest['dataHash'],
      codeVersion: `@algo-trading/cli@${cliVersion()}`,
      folder: join(cwd, 'results/a'),
      dataSource: prices,
      symbols: [], // a CSV file without a symbol column: no symbol
      timeframe: '1d',
      bars: 400,
      startTime: (output['dataRange'] as Json)['start'],
      endTime: (output['dataRange'] as Json)['end'],
      createdAt: manifest['createdAt'],
    });
    expect((detail['parameters'] as Json)['fast']).toBe(10);
    expect((detail['parameters'] as Json)['slow']).toBe(30);
    const metrics = detail['metrics'] as Json;
    for (const [name, value] of Object.entries(output['metrics'] as Json)) expect(metrics[name], name).toEqual(value);
    expect(metrics['benchmark.totalReturn']).toBe(((output['benchmark'] as Json)['metrics'] as Json)['totalReturn']);
    expect((detail['trades'] as unknown[]).length).toBe(output['trades']);
    expect((detail['fills'] as unknown[]).length).toBe(output['fills']);
    expect(detail['equityPoints']).toBe(400);
    const text = await runInProcess(['runs', 'show', 'latest', '--quiet'], cwd);
    expect(text.stdout).toContain(`Run ${id}: backtest, completed`);
    expect(text.stdout).toContain(`folder       ${join(cwd, 'results/a')}`);
    expect(text.stdout).toContain('an equity curve of 400 points recorded');
  });

  it('records a walk-forward (its out-of-sample engine run) and a demo, with store: data and benchmark', async () => {
    const cwd = tempDir('algo-cli-store-');
    writeFileSync(join(cwd, 'SPX.csv'), readFileSync(writeSampleCsv(dir, 600, 'spx-600.csv')));
    expect((await runInProcess(['data', 'import', 'SPX.csv', 'sample:sp500', '--quiet'], cwd)).code).toBe(0);
    const wf = await runInProcess(['walk-forward', '--data', 'store:SPX@1d', '--folds', '2', '--epochs', '2', '--out', 'wf', '--json', '--quiet'], cwd);
    expect(wf.code, wf.stderr).toBe(0);
    const summary = json(wf.stdout);
    const wfRecord = summary['record'] as { status: string; ids: string[] };
    expect(wfRecord.status).toBe('recorded');
    const wfRun = json((await runInProcess(['runs', 'show', wfRecord.ids[0]!, '--json', '--quiet'], cwd)).stdout)['run'] as Json;
    const overall = summary['overall'] as Json;
    const testRows = overall['testRows'] as number;
    expect(wfRun).toMatchObject({
      command: 'walk-forward',
      strategy: 'MLPredictionStrategy',
      dataSource: 'store:SPX@1d',
      symbols: ['SPX'],
      timeframe: '1d',
      folder: join(cwd, 'wf'),
      bars: testRows, // the out-of-sample bars the engine ran on
      equityPoints: testRows,
      configHash: (summary['manifest'] as Json)['configHash'],
      dataHash: (summary['manifest'] as Json)['dataHash'],
    });
    expect(wfRun['parameters']).toMatchObject({ folds: 2, epochs: 2, seed: 42 });
    expect((wfRun['metrics'] as Json)['totalReturn']).toBe(overall['totalReturn']);
    expect((wfRun['metrics'] as Json)['accuracy']).toBe(overall['accuracy']);
    expect((wfRun['trades'] as unknown[]).length).toBe(overall['trades']);

    const demo = await runInProcess(['demo', '--folds', '2', '--epochs', '2', '--out', 'demo-run', '--benchmark', 'store:SP500', '--json', '--quiet'], cwd);
    expect(demo.code, demo.stderr).toBe(0);
    const demoOutput = json(demo.stdout);
    const demoRun = json((await runInProcess(['runs', 'show', 'latest', '--json', '--quiet'], cwd)).stdout)['run'] as Json;
    expect(demoRun).toMatchObject({
      id: (demoOutput['record'] as { ids: string[] }).ids[0],
      command: 'demo',
      dataSource: 'sample:sp500',
      symbols: ['SP500'],
      timeframe: '1d',
      folder: join(cwd, 'demo-run'),
    });
    expect((demoOutput['benchmark'] as Json)['source']).toBe('store:SP500@1d');
    expect((demoRun['metrics'] as Json)['benchmark.totalReturn']).toBe(((demoOutput['benchmark'] as Json)['metrics'] as Json)['totalReturn']);
  }, 240_000);

  it('lists runs newest first, and compares them side by side with an HTML page of overlaid curves', async () => {
    const cwd = tempDir('algo-cli-store-');
    expect((await runInProcess(['runs', 'init', '--quiet'], cwd)).code).toBe(0);
    const ids: string[] = [];
    for (const [fast, slow] of [[5, 20], [10, 30], [20, 50]] as const) {
      const run = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--fast', String(fast), '--slow', String(slow), '--json', '--quiet'], cwd);
      expect(run.code, run.stderr).toBe(0);
      ids.push(((json(run.stdout)['record'] as Json)['ids'] as string[])[0]!);
    }
    const listed = json((await runInProcess(['runs', 'ls', '--json', '--quiet'], cwd)).stdout)['runs'] as Json[];
    expect(listed.map((r) => r['id'])).toEqual([...ids].reverse());
    expect(listed.map((r) => r['strategy'])).toEqual(['SMA crossover (20/50)', 'SMA crossover (10/30)', 'SMA crossover (5/20)']);
    expect(Object.keys(listed[0]!['metrics'] as Json)).toEqual(['totalReturn', 'sharpeRatio', 'maxDrawdown', 'tradeCount']);
    const limited = json((await runInProcess(['runs', 'ls', '--limit', '2', '--json', '--quiet'], cwd)).stdout)['runs'] as Json[];
    expect(limited.map((r) => r['id'])).toEqual([ids[2], ids[1]]);
    const table = await runInProcess(['runs', 'ls', '--limit', '2', '--quiet'], cwd);
    expect(table.stdout).toContain('The newest 2 runs in');
    expect(table.stdout).toMatch(new RegExp(`${ids[2]}\\s+\\S+ \\S+\\s+backtest\\s+SMA crossover \\(20/50\\)`));
    expect((await runInProcess(['runs', 'ls', '--command', 'sweep', '--quiet'], cwd)).stdout).toContain('No run recorded in');

    const compare = await runInProcess(['runs', 'compare', ids[0]!, 'latest', '--out', 'cmp/compare.html', '--json', '--quiet'], cwd);
    expect(compare.code, compare.stderr).toBe(0);
    const comparison = json(compare.stdout);
    expect((comparison['runs'] as Json[]).map((r) => r['id'])).toEqual([ids[0], ids[2]]);
    const fast = (comparison['parameters'] as Json[]).find((p) => p['name'] === 'fast')!;
    expect(fast).toEqual({ name: 'fast', values: [5, 20], differs: true });
    const capital = (comparison['metrics'] as Json[]).find((m) => m['name'] === 'initialCapital')!;
    expect(capital).toEqual({ name: 'initialCapital', values: [10000, 10000], differs: false });
    const html = readFileSync(join(cwd, 'cmp/compare.html'), 'utf8');
    expect(comparison['html']).toBe(join(cwd, 'cmp/compare.html'));
    expect(html).toContain('data-chart="equity-overlay"');
    expect(html.match(/<svg/g)).toHaveLength(1);
    for (const id of [ids[0]!, ids[2]!]) expect(html).toContain(id);
    expect(html).toContain('<tr class="differs"><td>fast</td><td>5</td><td>20</td></tr>');
    expect(html).not.toContain('<script');

    const console = await runInProcess(['runs', 'compare', 'latest~2', 'latest~1', 'latest', '--no-html', '--quiet'], cwd);
    expect(console.code, console.stderr).toBe(0);
    expect(console.stdout).toContain('Comparing 3 runs (* differs):');
    expect(console.stdout).toMatch(/tradeCount \*/);
    expect(console.stdout).toMatch(/slow\s+20\s+30\s+50/);
    expect(console.stdout).not.toContain('Comparison:');
  });

  it('a long curve is downsampled in the comparison as in the report', async () => {
    const cwd = tempDir('algo-cli-store-');
    expect((await runInProcess(['runs', 'init', '--quiet'], cwd)).code).toBe(0);
    const long = writeSampleCsv(cwd, 5000, 'long.csv');
    for (const fast of ['10', '20']) expect((await runInProcess(['backtest', '--data', long, '--strategy', 'sma-cross', '--fast', fast, '--quiet'], cwd)).code).toBe(0);
    expect((await runInProcess(['runs', 'compare', 'latest~1', 'latest', '--out', 'c.html', '--quiet'], cwd)).code).toBe(0);
    const svg = readFileSync(join(cwd, 'c.html'), 'utf8');
    // Four lines (two equity, two drawdown), each at most 2,500 points: far fewer path commands than 4 x 5,000.
    const points = [...svg.matchAll(/<path d="M([^"]*)"/g)].map((m) => m[1]!.split(/[ML]/).length).sort((a, b) => b - a);
    expect(points[0]!).toBeGreaterThan(1000);
    expect(points[0]!).toBeLessThanOrEqual(2600);
  });

  it('is skipped without a store (none is created), with --no-record and with store.record_runs: false', async () => {
    const cwd = tempDir('algo-cli-store-');
    const none = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--json', '--quiet'], cwd);
    expect(json(none.stdout)['record']).toEqual({ status: 'skipped', store: join(cwd, 'algo-trading.duckdb'), reason: 'no store' });
    expect(existsSync(join(cwd, 'algo-trading.duckdb'))).toBe(false);
    expect((await runInProcess(['runs', 'init', '--quiet'], cwd)).code).toBe(0);
    const off = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--no-record', '--json', '--quiet'], cwd);
    expect((json(off.stdout)['record'] as Json)['reason']).toBe('disabled');
    writeFileSync(join(cwd, 'no-record.yaml'), 'store:\n  record_runs: false\nlogging:\n  file: null\n');
    const config = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--config', 'no-record.yaml', '--json', '--quiet'], cwd);
    expect((json(config.stdout)['record'] as Json)['reason']).toBe('disabled');
    expect(json((await runInProcess(['runs', 'ls', '--json', '--quiet'], cwd)).stdout)['runs']).toEqual([]);
    const missingDb = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--db', 'none.duckdb', '--quiet'], cwd);
    expect(missingDb.code).toBe(2);
    expect(missingDb.stderr).toContain(`--db none.duckdb: there is no store database at ${join(cwd, 'none.duckdb')} to record the run in`);
  });

  it('run references: latest~N beyond the runs and unknown ids are errors; compare needs two runs', async () => {
    const cwd = tempDir('algo-cli-store-');
    expect((await runInProcess(['runs', 'init', '--quiet'], cwd)).code).toBe(0);
    expect((await runInProcess(['runs', 'ls', '--quiet'], cwd)).stdout).toContain('No run recorded in');
    expect((await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--quiet'], cwd)).code).toBe(0);
    const beyond = await runInProcess(['runs', 'show', 'latest~3', '--quiet'], cwd);
    expect(beyond.code).toBe(1);
    expect(beyond.stderr).toContain('no run "latest~3": the store holds 1 run(s)');
    const unknown = await runInProcess(['runs', 'show', 'nope', '--quiet'], cwd);
    expect(unknown.stderr).toContain('error (NOT_FOUND): no run "nope" in the store');
    const one = await runInProcess(['runs', 'compare', 'latest', '--quiet'], cwd);
    expect(one.code).toBe(2);
    const same = await runInProcess(['runs', 'compare', 'latest', 'latest', '--no-html', '--quiet'], cwd);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('runs compare needs two different runs');
  });
});

describe('a store another process holds', () => {
  const FIXTURE = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/hold-store.ts');
  const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.stdin?.end();
  });

  async function hold(path: string): Promise<{ pid: number; closed: Promise<void> }> {
    const child = spawn(process.execPath, ['--conditions=@algo-trading/source', '--import', TSX, FIXTURE, path], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    const closed = new Promise<void>((done) => child.on('close', () => done()));
    const pid = await new Promise<number>((done, fail) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const ready = /ready (\d+)/.exec(out);
        if (ready !== null) done(Number(ready[1]));
      });
      child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('close', (code) => fail(new Error(`the holder exited (${code}) before it was ready:\n${out}`)));
    });
    return { pid, closed };
  }

  it(
    'fails clearly after the configured wait for reads, and a run still succeeds, warning that it was not recorded',
    async () => {
      const cwd = tempDir('algo-cli-store-');
      writeFileSync(join(cwd, 'config.yaml'), 'store:\n  lock_timeout_ms: 300\nlogging:\n  file: null\n');
      const path = join(cwd, 'algo-trading.duckdb');
      const holder = await hold(path);
      const ls = await runInProcess(['runs', 'ls', '--quiet'], cwd);
      expect(ls.code).toBe(1);
      expect(ls.stderr).toContain(`error (IO_ERROR): the store ${path} is in use by process ${holder.pid}`);
      const run = await runInProcess(['backtest', '--data', prices, '--strategy', 'sma-cross', '--json', '--quiet'], cwd);
      expect(run.code, run.stderr).toBe(0);
      const record = json(run.stdout)['record'] as Json;
      expect(record['status']).toBe('failed');
      expect(record['error']).toContain(`is in use by process ${holder.pid}`);
      expect(run.stderr).toContain(`algo-trading: WARNING: the run was not recorded in the store ${path}: the store ${path} is in use by process ${holder.pid}`);
      children.splice(0).forEach((c) => c.stdin?.end());
      await holder.closed;
      expect(json((await runInProcess(['runs', 'ls', '--json', '--quiet'], cwd)).stdout)['runs']).toEqual([]);
    },
    120_000,
  );
});
