// @long-running: runs CLI processes against DuckDB stores (started first, see tools/config/long-running-first.ts).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSweepResults } from '@algo-trading/sweep';
import { REDIS_AVAILABLE } from '@algo-trading/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, ensureBuiltCli, queueFixture, runInProcess, spawnCli, tempDir, writeSampleCsv, type CliRun } from './helpers';

/**
 * The store through the real, built `algo-trading` command: the store package is loaded only by
 * what uses it, a missing store package or DuckDB binary is a clear error, and a sweep on
 * `store:` data is recorded row by row. Generous timeouts for a loaded two-core machine; nothing
 * measures time.
 */

const PROCESS_TIMEOUT = 300_000;
const BLOCKER = fileURLToPath(new URL('./fixtures/block-modules.mjs', import.meta.url));

type Json = Record<string, unknown>;

let cwd: string;

beforeAll(async () => {
  ensureBuiltCli(); // builds only what changed since the last build (Nx cache)
  cwd = tempDir('algo-cli-store-proc-');
  writeSampleCsv(cwd, 1200);
  const imported = await runInProcess(['data', 'import', 'prices.csv', '--quiet'], cwd);
  if (imported.code !== 0) throw new Error(imported.stderr);
}, 900_000);

/** Runs the built CLI with the packages `blocked` (comma-separated prefixes) impossible to import. */
function spawnBlocked(args: readonly string[], blocked: string, dir: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', BLOCKER, CLI_BIN, ...args], {
      cwd: dir,
      env: { ...process.env, FORCE_COLOR: '0', BLOCK_MODULES: blocked },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('the store stays optional', () => {
  it(
    '--help, and a backtest without a store file, never import the store package or DuckDB',
    async () => {
      const fresh = tempDir('algo-cli-store-proc-');
      writeSampleCsv(fresh, 300);
      for (const args of [['--help'], ['data', '--help'], ['runs', 'compare', '--help'], ['backtest', '--data', 'prices.csv', '--strategy', 'sma-cross', '--quiet']]) {
        const run = await spawnBlocked(args, '@algo-trading/store,@duckdb/', fresh);
        expect(run.code, `${args.join(' ')}\n${run.stderr}`).toBe(0);
        expect(run.stderr).not.toContain('[blocked');
      }
      expect(existsSync(join(fresh, 'algo-trading.duckdb'))).toBe(false);
    },
    PROCESS_TIMEOUT,
  );

  it(
    'without the store package, the commands that need it say what to install',
    async () => {
      const run = await spawnBlocked(['data', 'ls'], '@algo-trading/store', cwd);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('[blocked import of @algo-trading/store]');
      expect(run.stderr).toContain('error (UNSUPPORTED): the store (algo-trading data, runs, --data store:..., run recording) needs the optional package @algo-trading/store, which is not installed');
      const data = await spawnBlocked(['backtest', '--data', 'store:prices@1d', '--strategy', 'sma-cross', '--quiet'], '@algo-trading/store', cwd);
      expect(data.code).toBe(1);
      expect(data.stderr).toContain('needs the optional package @algo-trading/store');
    },
    PROCESS_TIMEOUT,
  );

  it(
    "without DuckDB's native binary, opening the store says so, and a run still succeeds, unrecorded",
    async () => {
      const run = await spawnBlocked(['runs', 'ls'], '@duckdb/', cwd);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`error (UNSUPPORTED): @algo-trading/store needs DuckDB's native binary for ${process.platform}-${process.arch}`);
      const backtest = await spawnBlocked(['backtest', '--data', 'prices.csv', '--strategy', 'sma-cross', '--quiet'], '@duckdb/', cwd);
      expect(backtest.code, backtest.stderr).toBe(0);
      expect(backtest.stderr).toContain(`algo-trading: WARNING: the run was not recorded in the store ${join(cwd, 'algo-trading.duckdb')}: @algo-trading/store needs DuckDB's native binary`);
    },
    PROCESS_TIMEOUT,
  );
});

describe('the built command with a store', () => {
  it(
    'backtests store: data and records the run; runs ls and runs show read it back',
    async () => {
      const backtest = await spawnCli(['backtest', '--data', 'store:prices@1d', '--strategy', 'sma-cross', '--out', 'results/proc', '--json', '--quiet'], { cwd });
      expect(backtest.code, backtest.stderr).toBe(0);
      const output = JSON.parse(backtest.stdout) as Json;
      const [id] = (output['record'] as { ids: string[] }).ids;
      const ls = await spawnCli(['runs', 'ls', '--limit', '1', '--json'], { cwd });
      expect(ls.code, ls.stderr).toBe(0);
      expect(((JSON.parse(ls.stdout) as Json)['runs'] as Json[]).map((r) => r['id'])).toEqual([id]);
      const show = await spawnCli(['runs', 'show', id!], { cwd });
      expect(show.stdout).toContain(`Run ${id}: backtest, completed`);
      expect(show.stdout).toContain(`data         store:prices@1d`);
    },
    PROCESS_TIMEOUT,
  );

  it(
    'a sweep spec on store: data is resolved through the store, and every row of the finished sweep is recorded',
    async () => {
      writeFileSync(
        join(cwd, 'spec.yaml'),
        `name: store sweep
strategy: "@algo-trading/strategies#smaCross"
parameters:
  fast: [5, 10, 15]
  slow: [30, 50]
data: store:prices@1d
engine: { initialCapital: 100000, commissionPct: 0.001 }
objective: sharpeRatio
`,
      );
      const sweep = await spawnCli(['sweep', 'spec.yaml', '--workers', '1', '--out', 'sweep-out', '--json', '--quiet'], { cwd });
      expect(sweep.code, sweep.stderr).toBe(0);
      const output = JSON.parse(sweep.stdout) as Json;
      const record = output['record'] as { status: string; ids: string[] };
      expect(record.status).toBe('recorded');
      expect(record.ids).toHaveLength(6);
      const base = record.ids[0]!.slice(0, -2);
      expect(record.ids).toEqual([0, 1, 2, 3, 4, 5].map((k) => `${base}.${k}`));
      const file = parseSweepResults(readFileSync(join(cwd, 'sweep-out/sweep.json'), 'utf8'));
      const data = file.document['data'] as Json;
      expect(data['source']).toBe('store:prices@1d');

      const listed = await runInProcess(['runs', 'ls', '--command', 'sweep', '--all', '--json', '--quiet'], cwd);
      const runs = (JSON.parse(listed.stdout) as Json)['runs'] as Json[];
      expect(runs).toHaveLength(6);
      for (const run of runs) {
        const k = Number(String(run['id']).split('.').at(-1));
        const row = file.rows[k]!;
        expect(run).toMatchObject({ command: 'sweep', configHash: file.specHash, dataHash: data['hash'], dataSource: 'store:prices@1d', symbols: ['prices'], timeframe: '1d', folder: join(cwd, 'sweep-out') });
        expect((run['metrics'] as Json)['sharpeRatio']).toBe(row.metrics!['sharpeRatio']);
        expect((run['metrics'] as Json)['tradeCount']).toBe(row.tradeCount);
      }
      const shown = JSON.parse((await runInProcess(['runs', 'show', `${base}.3`, '--json', '--quiet'], cwd)).stdout) as Json;
      expect((shown['run'] as Json)['parameters']).toEqual(file.rows[3]!.params);
      const compared = await runInProcess(['runs', 'compare', `${base}.0`, `${base}.5`, '--out', 'sweep-compare.html', '--quiet'], cwd);
      expect(compared.code, compared.stderr).toBe(0);
      expect(readFileSync(join(cwd, 'sweep-compare.html'), 'utf8')).toContain('None of these runs has a recorded equity curve');

      const several = await spawnCli(['sweep', 'spec.yaml', '--workers', '1', '--out', 'sweep-out'], { cwd });
      expect(several.code).toBe(0); // the same spec again: recorded again, under a new sweep id
      writeFileSync(join(cwd, 'two.yaml'), readFileSync(join(cwd, 'spec.yaml'), 'utf8').replace('store:prices@1d', 'store:prices,other@1d'));
      const two = await spawnCli(['sweep', 'two.yaml', '--workers', '1', '--out', 'sweep-two', '--quiet'], { cwd });
      expect(two.code).toBe(2);
      expect(two.stderr).toContain('data store:prices,other@1d names 2 symbols (prices, other), but a sweep runs one series');
    },
    PROCESS_TIMEOUT,
  );
});

describe.skipIf(!REDIS_AVAILABLE)('a queued sweep on store: data (real redis-server)', () => {
  const queue = queueFixture(PROCESS_TIMEOUT);

  it(
    'a worker started elsewhere loads the bars from the store its --db names, and the producer records the rows',
    async () => {
      const worker = queue.startWorker(['--db', join(cwd, 'algo-trading.duckdb'), '--log-file', 'worker.log'], tempDir('algo-cli-store-worker-'));
      writeFileSync(
        join(cwd, 'queued.yaml'),
        'strategy: "@algo-trading/strategies#smaCross"\nparameters:\n  fast: [5, 10]\n  slow: [30, 50]\ndata: store:prices\nengine: { initialCapital: 100000 }\n',
      );
      const queued = await spawnCli(['sweep', 'queued.yaml', '--queue', queue.url(), '--chunk-size', '1', '--out', 'queued-out', '--json', '--quiet'], { cwd, timeoutMs: PROCESS_TIMEOUT });
      expect(queued.code, `${queued.stderr}\n${worker.stderr()}`).toBe(0);
      const output = JSON.parse(queued.stdout) as Json;
      expect((output['record'] as { ids: string[] }).ids).toHaveLength(4);
      expect(worker.stderr()).toContain('store:prices@1d: 1200 bars loaded from');
      expect(await worker.stop()).toBe(143);
    },
    PROCESS_TIMEOUT,
  );
});
