import { Worker } from 'node:worker_threads';
import { AlgoTradingError, threadEntry, type AlgoTradingErrorCode } from '@algo-trading/core';
import type { RejectionRecord, RunResults } from '../output/results-file';

/**
 * Renders report.html on a worker thread, so that a run's other outputs are written meanwhile on
 * a second core: on a million bars the report and equity.csv each take about a second.
 *
 * The built CLI starts `dist/report-thread.js` (next to the chunk that imports this module); from
 * the TypeScript sources, core's `threadEntry` starts `report-thread.ts` through tsx.
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

/** The error the thread reported, as the caller would have caught it rendering in its own thread. */
function rethrown(error: Extract<ThreadReply, { error: unknown }>['error']): Error {
  const rebuilt =
    error.name === 'AlgoTradingError' && typeof error.code === 'string'
      ? new AlgoTradingError(error.code as AlgoTradingErrorCode, error.message, { details: (error.details ?? {}) as Record<string, unknown> })
      : new Error(error.message);
  if (error.stack !== undefined) rebuilt.stack = error.stack;
  return rebuilt;
}

/**
 * The rejections as one record per distinct list of reasons, in order of first appearance, with
 * the counts summed. The report reads them only through `rejectionsByReason` and
 * `rejectedOrders`, which give the same totals, in the same order, from either list; a long run
 * can hold tens of thousands of records, whose copy to the thread used to cost more than the
 * rendering of the chart they feed.
 */
export function rejectionTotals(rejections: readonly RejectionRecord[]): RejectionRecord[] {
  const byReasons = new Map<string, RejectionRecord>();
  for (const record of rejections) {
    const key = record.reasons.join('\u0000');
    const seen = byReasons.get(key);
    byReasons.set(key, seen === undefined ? record : { ...seen, count: seen.count + record.count });
  }
  return [...byReasons.values()];
}

/**
 * What the thread gets: the results without the cash curve (the report draws none), with the
 * rejections as totals, and with the per-bar series copied into one `SharedArrayBuffer`. Posting
 * shared memory hands it over without a copy, where a structured clone copies each series twice
 * (into the message, then out of it on the thread) into fresh pages: on a million bars that was
 * about 0.3 s on the way to the report. A series that appears twice (the benchmark's equity) is
 * copied once.
 */
function threadMessage(results: RunResults): RunResults {
  const curve = results.equityCurve;
  const series = [curve.time, curve.equity, curve.drawdown, curve.benchmark, curve.close, results.benchmark?.equity, results.prices?.close];
  const distinct = [...new Set(series.filter((s): s is ArrayLike<number> => s !== undefined))];
  const memory = new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * distinct.reduce((total, s) => total + s.length, 0));
  const copies = new Map<ArrayLike<number>, Float64Array>();
  let offset = 0;
  for (const s of distinct) {
    const copy = new Float64Array(memory, offset * Float64Array.BYTES_PER_ELEMENT, s.length);
    copy.set(s);
    copies.set(s, copy);
    offset += s.length;
  }
  const shared = <T extends ArrayLike<number> | undefined>(s: T): T => (s === undefined ? s : (copies.get(s) as unknown as T));
  return {
    ...results,
    equityCurve: {
      time: shared(curve.time),
      equity: shared(curve.equity),
      cash: [],
      drawdown: shared(curve.drawdown),
      ...(curve.benchmark === undefined ? {} : { benchmark: shared(curve.benchmark) }),
      ...(curve.close === undefined ? {} : { close: shared(curve.close) }),
    },
    rejections: rejectionTotals(results.rejections),
    ...(results.benchmark === undefined ? {} : { benchmark: { ...results.benchmark, equity: shared(results.benchmark.equity) } }),
    ...(results.prices === undefined ? {} : { prices: { ...results.prices, close: shared(results.prices.close) } }),
  };
}

/** A report thread started ahead of its results by {@link prepareReportThread}, not yet given them. */
let prepared: Worker | undefined;

function startThread(): Worker {
  const entry = threadEntry(import.meta.url, { built: './report-thread.js', source: './report-thread.ts' });
  return new Worker(new URL(entry.filename), entry.execArgv === undefined ? {} : { execArgv: [...entry.execArgv], argv: [...(entry.argv ?? [])] });
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
  worker.postMessage(threadMessage(results));
  return { html, cancel: () => void worker.terminate() };
}
