import { Worker } from 'node:worker_threads';
import { AlgoTradingError, type AlgoTradingErrorCode } from '@algo-trading/core';
import type { RunResults } from '../output/results-file';

/**
 * Renders report.html on a worker thread, so that a run's other outputs are written meanwhile on
 * a second core: on a million bars the report and equity.csv each take about a second.
 *
 * Worker threads run JavaScript. From the built CLI the thread starts `dist/report-thread.js`
 * (next to the chunk that imports this module). From the TypeScript sources (this repository's
 * tests, run without a build) it starts `report-thread-source.mjs`, which registers tsx's loader
 * in the thread and imports `report-thread.ts` with the workspace's `@algo-trading/source`
 * condition, so the thread runs the same sources as the caller.
 */

/** The thread's one message back: the page, or what it threw. */
export type ThreadReply =
  | { readonly html: string }
  | {
      readonly error: {
        readonly name: string | undefined;
        readonly message: string;
        readonly stack: string | undefined;
        readonly code: unknown;
        readonly details: unknown;
      };
    };

/**
 * Bars from which a run's report renders on its own thread: about 0.1 s of rendering, as much as
 * starting a thread and loading ECharts into it takes. Shorter runs render on the calling thread.
 */
export const REPORT_THREAD_MIN_BARS = 100_000;

/** A report being rendered on its thread. */
export interface ReportRender {
  /** The page; rejects with the error the renderer threw (an `AlgoTradingError` keeps its code and details). */
  readonly html: Promise<string>;
  /** Stops the thread (a run that fails or is interrupted before it needs the page). */
  cancel(): void;
}

function threadEntry(): { filename: URL; execArgv: string[] | undefined } {
  const here = import.meta.url;
  if (!/\.[cm]?ts$/.test(new URL(here).pathname)) return { filename: new URL('./report-thread.js', here), execArgv: undefined };
  return { filename: new URL('./report-thread-source.mjs', here), execArgv: ['--conditions=@algo-trading/source'] };
}

/** The error the thread reported, as the caller would have caught it rendering in its own thread. */
function rethrown(error: Extract<ThreadReply, { error: unknown }>['error']): Error {
  const rebuilt =
    error.name === 'AlgoTradingError' && typeof error.code === 'string'
      ? new AlgoTradingError(error.code as AlgoTradingErrorCode, error.message, { details: (error.details ?? {}) as Record<string, unknown> })
      : new Error(error.message);
  if (error.stack !== undefined) rebuilt.stack = error.stack;
  return rebuilt;
}

/** A report thread started ahead of its results by {@link prepareReportThread}, not yet given them. */
let prepared: Worker | undefined;

function startThread(): Worker {
  const entry = threadEntry();
  return new Worker(entry.filename, entry.execArgv === undefined ? {} : { execArgv: entry.execArgv });
}

/**
 * Starts the report thread ahead of the results, so that its modules (ECharts takes a few hundred
 * milliseconds) load while the run still reads and computes. While it waits it does not keep the
 * process alive; {@link startReportRender} takes it up.
 */
export function prepareReportThread(): void {
  prepared ??= startThread();
  prepared.unref();
}

/**
 * Starts rendering the report of `results` on a worker thread (the prepared one, if any). The
 * results are copied to the thread (structured clone), so the caller may keep using them.
 */
export function startReportRender(results: RunResults): ReportRender {
  const worker = prepared ?? startThread();
  prepared = undefined;
  worker.ref();
  const html = new Promise<string>((resolve, reject) => {
    worker.once('message', (reply: ThreadReply) => {
      if ('html' in reply) resolve(reply.html);
      else reject(rethrown(reply.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the report thread stopped (exit code ${code}) before it sent the report`)));
  }).finally(() => void worker.terminate());
  html.catch(() => undefined); // a caller that fails first never awaits it
  // The report draws no cash curve: no need to copy it.
  worker.postMessage({ ...results, equityCurve: { ...results.equityCurve, cash: [] } });
  return { html, cancel: () => void worker.terminate() };
}
