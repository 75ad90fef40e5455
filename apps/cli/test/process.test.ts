// @long-running: runs the built CLI in child processes (started first, see tools/config/long-running-first.ts).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseResults } from '../src/output/results-file';
import { cliVersion } from '../src/program';
import { ensureBuiltCli, sigintIgnored, spawnCli, tempDir, writeSampleCsv, type CliRun } from './helpers';

/**
 * The real, built `algo-trading` command (bin/algo-trading.js running dist/cli.js) as the shell
 * sees it: exit codes, and SIGINT / SIGTERM leaving no partial output. Each test waits for a
 * marker line on stderr before it sends a signal; none measures time. Every test has an explicit
 * timeout, generous enough for a loaded two-core machine.
 */

const PROCESS_TIMEOUT = 180_000;
let cwd: string;
const noSigint = sigintIgnored();
if (noSigint) console.log('Skipping the SIGINT tests: this test runner ignores SIGINT (inherited), so its child processes cannot receive it.');

beforeAll(() => {
  ensureBuiltCli(); // builds only what changed since the last build (Nx cache)
  cwd = tempDir('algo-cli-proc-');
  writeSampleCsv(cwd, 300);
}, 900_000);

/** Every file below `dir`, relative paths. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1));
}

/** Temporary files or folders (hidden `.name.pid.random.tmp`) anywhere below `dir`. */
function leftovers(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));
}

/** A CSV of `n` one-minute bars (a deterministic zigzag, so the SMA crossover trades). */
function writeMinuteBars(dir: string, n: number, name: string): string {
  const t0 = Date.UTC(2020, 0, 1);
  const lines = ['time,open,high,low,close,volume'];
  for (let i = 0; i < n; i++) {
    const close = 100 + 10 * Math.sin(i / 40) + 3 * Math.sin(i / 7);
    lines.push(`${t0 + i * 60_000},${close},${close + 0.5},${close - 0.5},${close},1000`);
  }
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return name;
}

describe('the algo-trading process: exit codes', () => {
  it(
    '--version prints the version, exit 0',
    async () => {
      const run = await spawnCli(['--version'], { cwd });
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(cliVersion());
    },
    PROCESS_TIMEOUT,
  );

  it(
    'bad usage exits 2',
    async () => {
      const run = await spawnCli(['backtest', '--strategy', 'sma-cross'], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("required option '-d, --data <source>' not specified");
    },
    PROCESS_TIMEOUT,
  );

  it(
    'a failed run exits 1 naming the file',
    async () => {
      const run = await spawnCli(['backtest', '--data', 'nope.csv', '--strategy', 'sma-cross', '--quiet'], { cwd });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(join(cwd, 'nope.csv'));
    },
    PROCESS_TIMEOUT,
  );

  it(
    'a successful run exits 0 with one JSON document on stdout',
    async () => {
      const run = await spawnCli(['backtest', '--data', 'prices.csv', '--strategy', 'sma-cross', '--json', '--quiet'], { cwd });
      expect(run.code).toBe(0);
      expect((JSON.parse(run.stdout) as { ok: boolean; dataRange: { bars: number } }).dataRange.bars).toBe(300);
    },
    PROCESS_TIMEOUT,
  );
});

describe.skipIf(noSigint)('the algo-trading process: signals', () => {
  it(
    'SIGINT during training exits 130 and leaves no output and no temporary file',
    async () => {
      const run = await spawnCli(['demo', '--out', 'interrupted', '--folds', '8', '--log-file', 'interrupted.log'], {
        cwd,
        onStderr: (text, child) => {
          if (text.includes('walk-forward folds: started') && child.exitCode === null && !child.killed) child.kill('SIGINT');
        },
      });
      expect(run.stderr).toContain('walk-forward folds: started');
      expect(run.code, `stderr:\n${run.stderr}`).toBe(130);
      expect(run.stderr).toContain('interrupted (SIGINT); no partial output was left behind');
      // Stopped inside training, not after the whole run.
      expect(run.stderr).not.toContain('walk-forward folds: done');
      expect(existsSync(join(cwd, 'interrupted'))).toBe(false);
      expect(leftovers(cwd)).toEqual([]);
    },
    PROCESS_TIMEOUT,
  );

  it(
    'SIGTERM or SIGINT while the outputs are written exits 143 / 130 and leaves nothing: the earlier run stays whole',
    async () => {
      const dir = tempDir('algo-cli-proc-write-');
      const data = writeMinuteBars(dir, 200_000, 'minutes.csv');
      const args = ['backtest', '--data', data, '--strategy', 'sma-cross', '--out', 'run', '--log-file', 'run.log'];
      // An earlier, complete run in the same folder.
      const first = await spawnCli(args, { cwd: dir });
      expect(first.code, first.stderr).toBe(0);
      const earlier = readFileSync(join(dir, 'run', 'results.json'), 'utf8');

      // The signal is sent when the run says it starts writing. A machine slow enough to finish
      // writing before the signal arrives completes the run instead (exit 0, every file whole):
      // the test then tries the other signal, and needs one run stopped while writing.
      const outcomes: CliRun[] = [];
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        const run = await spawnCli(args, {
          cwd: dir,
          onStderr: (text, child) => {
            if (text.includes('writing the outputs to') && child.exitCode === null && !child.killed) child.kill(signal);
          },
        });
        outcomes.push(run);
        expect(run.stderr).toContain('writing the outputs to');
        expect(leftovers(dir)).toEqual([]);
        expect(readdirSync(join(dir, 'run')).sort()).toEqual(['equity.csv', 'fills.csv', 'report.html', 'results.json', 'trades.csv']);
        if (run.code === 0) continue;
        expect(run.code, run.stderr).toBe(signal === 'SIGTERM' ? 143 : 130);
        expect(run.stderr).toContain(`interrupted (${signal}); no partial output was left behind`);
        expect(run.stderr).not.toContain('outputs written');
        // The interrupted run left the earlier run's files, all of them, untouched.
        expect(readFileSync(join(dir, 'run', 'results.json'), 'utf8')).toBe(earlier);
      }
      expect(outcomes.some((run) => run.code !== 0), outcomes.map((r) => r.stderr).join('\n---\n')).toBe(true);
    },
    PROCESS_TIMEOUT * 2,
  );

  it(
    'SIGINT while the results are produced leaves either every file complete or none',
    async () => {
      const run = await spawnCli(['demo', '--out', 'late', '--folds', '2', '--epochs', '2', '--log-file', 'late.log'], {
        cwd,
        onStderr: (text, child) => {
          if (text.includes('backtesting the out-of-sample signals') && child.exitCode === null && !child.killed) child.kill('SIGINT');
        },
      });
      expect([0, 130]).toContain(run.code);
      expect(leftovers(cwd)).toEqual([]);
      const dir = join(cwd, 'late');
      if (existsSync(dir)) {
        expect(readdirSync(dir).sort()).toEqual(['equity.csv', 'fills.csv', 'report.html', 'results.json', 'trades.csv']);
        expect(parseResults(readFileSync(join(dir, 'results.json'), 'utf8')).command).toBe('demo');
        expect(readFileSync(join(dir, 'report.html'), 'utf8').trimEnd().endsWith('</html>')).toBe(true);
      }
      expect(listFiles(cwd).filter((f) => f.startsWith('late/')).length).toBe(existsSync(dir) ? 5 : 0);
    },
    PROCESS_TIMEOUT,
  );
});
