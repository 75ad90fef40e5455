/**
 * Repeated runs of a command in child processes, for startup and end-to-end benchmarks: wall
 * time of each run, peak RSS (from GNU time's `%M` when `/usr/bin/time` exists), the machine's
 * load average, and the files a run opens (from `strace` when installed). Runs of several
 * commands are interleaved, so a change in the machine's load affects them alike.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

/** The value after `--name` on this process's command line, if any. */
export function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** A command to run. */
export interface Command {
  readonly name: string;
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd?: string | undefined;
}

/** One run's measurements. */
export interface RunSample {
  readonly wallMs: number;
  /** Peak resident set size in MB, or NaN when `/usr/bin/time` is missing. */
  readonly peakRssMb: number;
}

/** Summary of repeated runs of one command. */
export interface RunSummary {
  readonly name: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Interquartile range of the wall times. */
  readonly iqrMs: number;
  readonly medianPeakRssMb: number;
  readonly maxPeakRssMb: number;
}

const GNU_TIME = '/usr/bin/time';

/** The value at quantile q (0..1) of sorted values, linear interpolation. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** Runs `command` once and measures it; throws with its stderr when it fails. */
export function runOnce(command: Command): RunSample {
  const useTime = existsSync(GNU_TIME);
  const dir = mkdtempSync(join(tmpdir(), 'algo-bench-'));
  const timeFile = join(dir, 'time.txt');
  const file = useTime ? GNU_TIME : command.file;
  const args = useTime ? ['-f', '%M', '-o', timeFile, command.file, ...command.args] : [...command.args];
  const start = performance.now();
  const child = spawnSync(file, args, { cwd: command.cwd, encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'] });
  const wallMs = performance.now() - start;
  try {
    if (child.status !== 0) throw new Error(`${command.name} failed with status ${child.status ?? child.signal}:\n${child.stderr}`);
    const peakKb = useTime ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)) : NaN;
    return { wallMs, peakRssMb: peakKb / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs every command `runs` times, interleaved, after `warmup` unmeasured rounds. */
export function measureInterleaved(commands: readonly Command[], options: { runs: number; warmup: number }): RunSummary[] {
  const samples = commands.map(() => [] as RunSample[]);
  for (let round = 0; round < options.warmup + options.runs; round++) {
    commands.forEach((command, k) => {
      const sample = runOnce(command);
      if (round >= options.warmup) samples[k]!.push(sample);
    });
  }
  return commands.map((command, k) => {
    const wall = samples[k]!.map((s) => s.wallMs).sort((a, b) => a - b);
    const rss = samples[k]!.map((s) => s.peakRssMb).sort((a, b) => a - b);
    return {
      name: command.name,
      runs: wall.length,
      medianMs: quantile(wall, 0.5),
      minMs: wall[0]!,
      maxMs: wall.at(-1)!,
      iqrMs: quantile(wall, 0.75) - quantile(wall, 0.25),
      medianPeakRssMb: quantile(rss, 0.5),
      maxPeakRssMb: rss.at(-1)!,
    };
  });
}

/**
 * Files a command opens successfully (`openat` calls that did not fail), counted with strace;
 * undefined when strace is not installed.
 */
export function filesOpened(command: Command): number | undefined {
  const probe = spawnSync('strace', ['-V'], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'algo-bench-'));
  const out = join(dir, 'trace.txt');
  try {
    spawnSync('strace', ['-f', '-e', 'trace=openat', '-o', out, command.file, ...command.args], { cwd: command.cwd, stdio: 'ignore' });
    return readFileSync(out, 'utf8')
      .split('\n')
      .filter((line) => line.includes('openat(') && !/= -1 /.test(line)).length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The 1-, 5- and 15-minute load averages and the number of CPUs, for the report line. */
export function machineLoad(): string {
  const [one, five, fifteen] = loadavg().map((x) => x.toFixed(2));
  return `load average ${one}, ${five}, ${fifteen} on ${availableParallelism()} CPUs`;
}

/** `median 123 ms (min 110, max 150, IQR 12)`. */
export function describeTimes(summary: RunSummary): string {
  const ms = (x: number) => x.toFixed(0);
  const rss = Number.isNaN(summary.medianPeakRssMb) ? '' : `, peak RSS median ${summary.medianPeakRssMb.toFixed(0)} MB (max ${summary.maxPeakRssMb.toFixed(0)})`;
  return `median ${ms(summary.medianMs)} ms (min ${ms(summary.minMs)}, max ${ms(summary.maxMs)}, IQR ${ms(summary.iqrMs)}; ${summary.runs} runs)${rss}`;
}
