// @long-running: runs sweeps through the built CLI (started first, see tools/config/long-running-first.ts).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSweepResults, runSweep, type SweepRow } from '@algo-trading/sweep';
import { beforeAll, describe, expect, it } from 'vitest';
import { REDIS_AVAILABLE } from '@algo-trading/testing';
import { readSpecFile } from '../src/commands/sweep';
import { ensureBuiltCli, queueFixture, runInProcess, spawnCli, tempDir, writeSampleCsv } from './helpers';

// Process tests on the built CLI (worker threads, Redis, signals): generous timeouts.
const PROCESS_TIMEOUT = 300_000;
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A row without what differs between runs (duration, worker). */
function stable(row: SweepRow): Omit<SweepRow, 'runMs' | 'worker'> {
  const { runMs: _runMs, worker: _worker, ...rest } = row;
  return rest;
}

const SPEC = `# SMA crossover sweep of the tests
name: test sweep
strategy: "@algo-trading/strategies#smaCross"
parameters:
  fast: { from: 5, to: 20, step: 5 }
  slow: [30, 50]
constraints: [fast < slow]
data: prices.csv
engine: { initialCapital: 100000, commissionPct: 0.001, slippageBps: 5 }
risk: {}
sizing: { method: fixed_fractional, riskFraction: 0.01 }
objective: { metric: sharpeRatio, minTrades: 1 }
`;

const SLOW_SPEC = `strategy: "${join(FIXTURES, 'sweep-strategies.mjs')}#slowSmaCross"
parameters:
  fast: [3, 4, 5, 6, 7, 8]
  slow: [20, 30, 40]
  delayMs: 400
data: prices.csv
engine: { initialCapital: 100000 }
`;

let dir: string;

beforeAll(() => {
  ensureBuiltCli();
  dir = tempDir('algo-cli-sweep-');
  writeSampleCsv(dir, 1500);
  writeFileSync(join(dir, 'spec.yaml'), SPEC);
  writeFileSync(join(dir, 'slow.yaml'), SLOW_SPEC);
}, PROCESS_TIMEOUT);

describe('algo-trading sweep', () => {
  it(
    'writes sweep.json, sweep.csv and report.html, and runSweep returns the same rows',
    async () => {
      const run = await runInProcess(['sweep', 'spec.yaml', '--workers', '2', '--out', 'out', '--top', '3', '--json', '--log-file', 'run.log'], dir);
      expect(run.code, run.stderr).toBe(0);
      const json = JSON.parse(run.stdout) as { ok: boolean; complete: boolean; combinations: number; top: SweepRow[]; files: string[] };
      expect(json).toMatchObject({ ok: true, complete: true, combinations: 8 });
      expect(json.top).toHaveLength(3);
      expect(json.files.map((f) => f.slice(dir.length + 1))).toEqual(['out/sweep.json', 'out/sweep.csv', 'out/report.html']);

      const file = parseSweepResults(readFileSync(join(dir, 'out/sweep.json'), 'utf8'));
      expect(file.complete).toBe(true);
      expect(file.rows).toHaveLength(8);
      const library = await runSweep({ spec: readSpecFile(join(dir, 'spec.yaml')), baseDir: dir, workers: 1 });
      expect(file.rows.map(stable)).toEqual(library.rows.map(stable));
      expect(file.specHash).toBe(library.specHash);
      expect(json.top.map(stable)).toEqual(file.rows.filter((r) => json.top.some((t) => t.key === r.key)).sort((a, b) => b.metrics!['sharpeRatio']! - a.metrics!['sharpeRatio']!).map(stable));

      const csv = readFileSync(join(dir, 'out/sweep.csv'), 'utf8').trimEnd().split('\n');
      expect(csv).toHaveLength(9);
      expect(csv[0]!.startsWith('index,fold,segment,fast,slow,trades,totalReturn,')).toBe(true);
      const html = readFileSync(join(dir, 'out/report.html'), 'utf8');
      expect(html).toContain('data-chart="sweep-heatmap"');
      expect(html).toContain('<h2>Neighbourhood stability of the best cell</h2>');
      expect(html).toContain('<h2>Deflated Sharpe ratio</h2>');
      expect(html).not.toContain('<script');
    },
    PROCESS_TIMEOUT,
  );

  it(
    'refuses bad input before any work: exit 2 naming the spec field, exit 1 naming an unreachable Redis',
    async () => {
      writeFileSync(join(dir, 'bad.yaml'), SPEC.replace('slow: [30, 50]', 'slow: [30, 50]\n  period: [2]'));
      const unknown = await runInProcess(['sweep', 'bad.yaml', '--log-file', 'run.log'], dir);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('usage error: parameters.period: unknown parameter of @algo-trading/strategies#smaCross (its parameters: fast, slow)');
      writeFileSync(join(dir, 'empty.yaml'), SPEC.replace('slow: [30, 50]', 'slow: []'));
      expect((await runInProcess(['sweep', 'empty.yaml', '--log-file', 'run.log'], dir)).stderr).toContain('parameters.slow: empty grid');
      const missing = await runInProcess(['sweep', 'nope.yaml', '--log-file', 'run.log'], dir);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('cannot read the sweep spec');
      const redis = await runInProcess(['sweep', 'spec.yaml', '--queue', 'redis://127.0.0.1:1/0', '--log-file', 'run.log'], dir);
      expect(redis.code).toBe(1);
      expect(redis.stderr).toContain('error (IO_ERROR): cannot reach Redis at redis://127.0.0.1:1/0');
      expect(existsSync(join(dir, 'results'))).toBe(false);
    },
    PROCESS_TIMEOUT,
  );

  it(
    'Ctrl-C stops cleanly keeping the finished combinations, and --resume finishes without running them again',
    async () => {
      let sent = false;
      const stopped = await spawnCli(['sweep', 'slow.yaml', '--workers', '2', '--chunk-size', '1', '--out', 'slow', '--log-file', 'slow.log'], {
        cwd: dir,
        timeoutMs: PROCESS_TIMEOUT,
        onStderr: (text, child) => {
          // Interrupt once the first quarter is done (the progress log line).
          if (!sent && /sweep: [1-9]\d*\/18/.test(text)) {
            sent = true;
            child.kill('SIGINT');
          }
        },
      });
      expect(stopped.code, stopped.stderr).toBe(130);
      expect(stopped.stderr).toMatch(/the sweep stopped with \d+ of 18 combinations finished, kept in .*slow\/sweep\.json; run it again with --resume/);
      const kept = parseSweepResults(readFileSync(join(dir, 'slow/sweep.json'), 'utf8'));
      expect(kept.complete).toBe(false);
      expect(kept.rows.length).toBeGreaterThan(0);
      expect(kept.rows.length).toBeLessThan(18);

      const resumed = await spawnCli(['sweep', 'slow.yaml', '--workers', '2', '--out', 'slow', '--resume', '--log-file', 'slow.log'], { cwd: dir, timeoutMs: PROCESS_TIMEOUT });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain(`resuming: ${kept.rows.length} finished combination(s)`);
      const whole = parseSweepResults(readFileSync(join(dir, 'slow/sweep.json'), 'utf8'));
      expect(whole.complete).toBe(true);
      expect(whole.rows).toHaveLength(18);
      for (const row of kept.rows) expect(whole.rows[row.index]).toEqual(row);
      expect(resumed.stdout).toContain('Top 10 by sharpeRatio');
    },
    PROCESS_TIMEOUT,
  );

  it(
    '--resume refuses the results of another spec',
    async () => {
      writeFileSync(join(dir, 'other.yaml'), SPEC.replace('commissionPct: 0.001', 'commissionPct: 0.002'));
      const run = await runInProcess(['sweep', 'other.yaml', '--out', 'out', '--resume', '--log-file', 'run.log'], dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--resume: .*out\/sweep\.json holds the results of another sweep/);
    },
    PROCESS_TIMEOUT,
  );
});

describe.skipIf(!REDIS_AVAILABLE)('algo-trading sweep --queue and algo-trading worker (real redis-server)', () => {
  const queue = queueFixture(PROCESS_TIMEOUT);

  it(
    'a worker process takes the jobs; the rows are those of the local run; SIGTERM stops the worker',
    async () => {
      const worker = queue.startWorker(['--concurrency', '2', '--log-file', 'worker.log'], dir);
      const queued = await spawnCli(['sweep', 'spec.yaml', '--queue', queue.url(), '--chunk-size', '3', '--out', 'queued', '--log-file', 'run.log'], {
        cwd: dir,
        timeoutMs: PROCESS_TIMEOUT,
      });
      expect(queued.code, queued.stderr).toBe(0);
      const local = await runSweep({ spec: readSpecFile(join(dir, 'spec.yaml')), baseDir: dir, workers: 2 });
      const rows = parseSweepResults(readFileSync(join(dir, 'queued/sweep.json'), 'utf8')).rows;
      expect(rows.map(stable)).toEqual(local.rows.map(stable));
      expect(worker.stderr()).toContain('takes sweep jobs from algo-trading-sweep');

      expect(await worker.stop()).toBe(143);
      expect(worker.stdout()).toContain('stopped: 3 job(s) done, 0 failed');
    },
    PROCESS_TIMEOUT,
  );
});
