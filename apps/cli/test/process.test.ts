import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseResults } from '../src/output/results-file';
import { cliVersion } from '../src/program';
import { sigintIgnored, spawnCli, tempDir, writeSampleCsv } from './helpers';

/**
 * The real `algo-trading` process (node --conditions=@algo-trading/source --import tsx
 * src/cli.ts): exit codes as the shell sees them, and SIGINT leaving no partial file.
 */

let cwd: string;
const noSigint = sigintIgnored();
if (noSigint) console.log('Skipping the SIGINT tests: this test runner ignores SIGINT (inherited), so its child processes cannot receive it.');

beforeAll(() => {
  cwd = tempDir('algo-cli-proc-');
  writeSampleCsv(cwd, 300);
});

/** Every file below `dir`, relative paths. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1));
}

describe('the algo-trading process', () => {
  it('exits 0 on success, 2 on bad usage, 1 on a failed run', async () => {
    const version = await spawnCli(['--version'], { cwd });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(cliVersion());

    const usage = await spawnCli(['backtest', '--strategy', 'sma-cross'], { cwd });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("required option '-d, --data <file>' not specified");

    const failed = await spawnCli(['backtest', '--data', 'nope.csv', '--strategy', 'sma-cross', '--quiet'], { cwd });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(join(cwd, 'nope.csv'));

    const ok = await spawnCli(['backtest', '--data', 'prices.csv', '--strategy', 'sma-cross', '--json', '--quiet'], { cwd });
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { ok: boolean }).ok).toBe(true);
  });

  it.skipIf(noSigint)('SIGINT during training exits 130 and leaves no output and no temporary file', async () => {
    const run = await spawnCli(['demo', '--out', 'interrupted', '--folds', '8', '--log-file', 'interrupted.log'], {
      cwd,
      onStderr: (text, child) => {
        if (text.includes('walk-forward folds: started') && child.exitCode === null && !child.killed) child.kill('SIGINT');
      },
    });
    expect(run.stderr).toContain('walk-forward folds: started');
    expect(run.code, `stderr:\n${run.stderr}`).toBe(130);
    expect(run.stderr).toContain('interrupted (SIGINT); no partial output was left behind');
    // Stopped promptly, between folds, not after the whole run.
    expect(run.stderr).not.toContain('walk-forward folds: done');
    expect(existsSync(join(cwd, 'interrupted'))).toBe(false);
    expect(listFiles(cwd).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.skipIf(noSigint)('SIGINT while the results are produced leaves either every file complete or none', async () => {
    const run = await spawnCli(['demo', '--out', 'late', '--folds', '2', '--epochs', '2', '--log-file', 'late.log'], {
      cwd,
      onStderr: (text, child) => {
        if (text.includes('backtesting the out-of-sample signals') && child.exitCode === null && !child.killed) child.kill('SIGINT');
      },
    });
    expect([0, 130]).toContain(run.code);
    expect(listFiles(cwd).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const dir = join(cwd, 'late');
    if (existsSync(dir)) {
      expect(readdirSync(dir).sort()).toEqual(['equity.csv', 'fills.csv', 'report.html', 'results.json', 'trades.csv']);
      expect(parseResults(readFileSync(join(dir, 'results.json'), 'utf8')).command).toBe('demo');
      expect(readFileSync(join(dir, 'report.html'), 'utf8').trimEnd().endsWith('</html>')).toBe(true);
    }
  });
});
