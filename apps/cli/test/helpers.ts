import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { samplePath } from '@algo-trading/data';
import { startRedis, type RedisServer } from '@algo-trading/testing';
import { afterAll, beforeAll } from 'vitest';
import { resetInterrupt } from '../src/interrupt';
import type { CliIo } from '../src/io';
import { runCli } from '../src/program';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The installed command: the package's bin file, which runs the built `dist/cli.js`. */
export const CLI_BIN = join(ROOT, 'apps/cli/bin/algo-trading.js');

/**
 * Makes sure `dist/` holds a build of the current sources (the repository's `pnpm algo-trading`
 * launcher builds what changed, through the Nx cache). Slow only when something changed: call it
 * in a `beforeAll` with a generous timeout.
 */
export function ensureBuiltCli(): void {
  const run = spawnSync(process.execPath, [join(ROOT, 'tools/scripts/src/run-cli.mjs'), '--version'], { encoding: 'utf8', cwd: ROOT });
  if (run.status !== 0) throw new Error(`could not build the CLI (exit ${run.status}):\n${run.stderr}`);
}

/**
 * True when this process ignores SIGINT (inherited, e.g. a runner started in the background by a
 * non-interactive shell): its children inherit that and Node then never sees a SIGINT. Linux only.
 */
export function sigintIgnored(): boolean {
  if (!existsSync('/proc/self/status')) return false;
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('SigIgn:'));
  return line !== undefined && (BigInt(`0x${line.slice(7).trim()}`) & 2n) !== 0n; // bit of signal 2
}

/** The error `fn` throws (the test fails when it throws nothing). */
export function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but nothing was thrown');
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'algo-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Output of one CLI run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A {@link CliIo} in `cwd` whose stdout and stderr are collected into strings. */
export function captureIo(cwd: string): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { io: { stdout, stderr, cwd, progressMode: 'log' }, out: () => out, err: () => err };
}

/** Runs the CLI in this process (fast) with captured output, in `cwd`. */
export async function runInProcess(args: readonly string[], cwd: string): Promise<CliRun> {
  const { io, out, err } = captureIo(cwd);
  resetInterrupt();
  const code = await runCli(args, io);
  return { code, stdout: out(), stderr: err() };
}

/** Options of {@link spawnCli}. */
export interface SpawnOptions {
  readonly cwd: string;
  /** Called with each stderr chunk; may send a signal to the child. */
  readonly onStderr?: (text: string, child: ReturnType<typeof spawn>) => void;
  readonly timeoutMs?: number;
}

/** Runs the real, built `algo-trading` command ({@link CLI_BIN}; see {@link ensureBuiltCli}). */
export function spawnCli(args: readonly string[], options: SpawnOptions): Promise<CliRun & { signal: NodeJS.Signals | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI timed out: ${args.join(' ')}\n${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      options.onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, signal, stdout, stderr });
    });
  });
}

/**
 * The first `rows` bars of the real S&P 500 sample as a CSV file in `dir` (header included).
 * Returns the file's path.
 */
export function writeSampleCsv(dir: string, rows: number, name = 'prices.csv'): string {
  const lines = readFileSync(samplePath('sp500'), 'utf8').trimEnd().split('\n');
  const path = join(dir, name);
  writeFileSync(path, `${lines.slice(0, rows + 1).join('\n')}\n`);
  return path;
}

/** An `algo-trading worker` process started by {@link queueFixture}, with what it printed so far. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * A real redis-server for the tests of a `describe` block (started before them, stopped after),
 * and the `algo-trading worker` processes they start against it (killed after them if still up).
 */
export function queueFixture(timeoutMs: number): { url(): string; startWorker(args: readonly string[], cwd: string): WorkerProcess } {
  let redis: RedisServer | undefined;
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  }, timeoutMs);
  afterAll(async () => {
    for (const child of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await redis?.stop();
  });
  const url = () => {
    if (redis === undefined) throw new Error('redis-server is not running (queueFixture starts it before the tests)');
    return redis.url;
  };
  return {
    url,
    startWorker(args, cwd) {
      const child = spawn(process.execPath, [CLI_BIN, 'worker', '--queue', url(), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      workers.push(child);
      let out = '';
      let err = '';
      child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
      return {
        child,
        stdout: () => out,
        stderr: () => err,
        stop: () => {
          const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
          child.kill('SIGTERM');
          return exited;
        },
      };
    },
  };
}
