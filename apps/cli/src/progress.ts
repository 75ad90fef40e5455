import { createRequire } from 'node:module';
import { silentLogger, type Logger } from '@algo-trading/core';
import type CliProgress from 'cli-progress';

/** One unit of long work being reported (training epochs, folds, grid points, bars). */
export interface ProgressTask {
  /** Sets the number of completed steps; `status` is a short text shown next to the bar. */
  update(completed: number, status?: string): void;
  /** Marks the task complete and releases the terminal line. */
  done(status?: string): void;
}

/** Starts progress tasks; {@link createProgressReporter} picks how they are shown. */
export interface ProgressReporter {
  /** How tasks are shown: a live bar on a terminal, log lines otherwise, or nothing. */
  readonly mode: ProgressMode;
  /** Starts a task of `total` steps named `label`. */
  start(label: string, total: number): ProgressTask;
}

/** `bar` (cli-progress on a terminal), `log` (plain log lines), `none` (quiet). */
export type ProgressMode = 'bar' | 'log' | 'none';

/** Options of {@link createProgressReporter}. */
export interface ProgressReporterOptions {
  /** Where bars are drawn; default process.stderr. */
  readonly stream?: NodeJS.WritableStream | undefined;
  /** Force a mode; default: `bar` when the stream is a terminal, else `log`. */
  readonly mode?: ProgressMode | undefined;
  /** Logger for `log` mode. */
  readonly logger?: Logger | undefined;
  /** In `log` mode, log at most every this fraction of the total (default 0.25) plus at the end. */
  readonly logEvery?: number | undefined;
}

const NONE_TASK: ProgressTask = { update: () => undefined, done: () => undefined };

/** A reporter that shows nothing (`--quiet`). */
export const silentProgress: ProgressReporter = { mode: 'none', start: () => NONE_TASK };

/**
 * The progress reporter of the CLI: a cli-progress bar when attached to a terminal, plain log
 * lines (`label: 3/10 (status)`) otherwise, nothing when quiet.
 */
export function createProgressReporter(options: ProgressReporterOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const mode = options.mode ?? ((stream as NodeJS.WriteStream).isTTY === true ? 'bar' : 'log');
  if (mode === 'none') return silentProgress;
  const logger = options.logger ?? silentLogger;
  const logEvery = options.logEvery ?? 0.25;

  if (mode === 'log') {
    return {
      mode,
      start(label, total) {
        let nextLogAt = 0;
        logger.info(`${label}: started (${total} steps)`);
        return {
          update(completed, status) {
            if (completed >= total || completed / total >= nextLogAt) {
              nextLogAt = completed / total + logEvery;
              if (completed < total) logger.info(`${label}: ${completed}/${total}${status ? ` (${status})` : ''}`);
            }
          },
          done(status) {
            logger.info(`${label}: done${status ? ` (${status})` : ''}`);
          },
        };
      },
    };
  }

  return {
    mode,
    start(label, total) {
      // Required when a bar is first drawn (a terminal, not --quiet): most runs never draw one.
      const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
      const bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label} [{bar}] {value}/{total} {status}`,
          hideCursor: true,
          clearOnComplete: false,
          barsize: 30,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { status: '' });
      let finished = false;
      return {
        update(completed, status) {
          if (!finished) bar.update(Math.min(completed, total), { status: status ?? '' });
        },
        done(status) {
          if (finished) return;
          finished = true;
          bar.update(total, { status: status ?? 'done' });
          bar.stop();
        },
      };
    },
  };
}
