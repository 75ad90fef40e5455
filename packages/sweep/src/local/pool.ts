import { availableParallelism } from 'node:os';
import { AlgoTradingError } from '@algo-trading/core';
import { Piscina } from 'piscina';
import type { ChunkResult, ChunkTask } from '../run/task';

/**
 * The worker-thread pool of a sweep (piscina). Threads stay up for the whole sweep, so a thread
 * wraps the shared bars, imports the strategy and builds its engine once and keeps its indicator
 * cache across chunks.
 *
 * Worker threads run JavaScript. From the built package the pool starts `dist/thread.js` (next to
 * the bundle that creates the pool). From the TypeScript sources (this repository's tests, run
 * without a build), it starts `src/thread-source.mjs`, which registers tsx's loader in the thread
 * and imports `src/thread.ts`, with the workspace's `@algo-trading/source` condition, so the
 * threads run the same sources as the caller. That is decided here, once, by the file extension
 * of this module. (Building first would also work, but then a test could run stale code.)
 */

/** Threads of `workers: 'auto'`: the machine's available parallelism. */
export function resolveWorkerCount(workers: number | 'auto' | undefined): number {
  if (workers === undefined || workers === 'auto') return Math.max(1, availableParallelism());
  if (!Number.isInteger(workers) || workers < 1) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `workers must be an integer >= 1 or "auto", got ${String(workers)}`, {
      details: { field: 'workers', value: workers },
    });
  }
  return workers;
}

/** Where the thread entry is, and the Node options it needs. */
export function threadEntry(): { filename: string; execArgv: string[] | undefined } {
  const here = import.meta.url;
  if (!/\.[cm]?ts$/.test(new URL(here).pathname)) {
    // Built: dist/index.js (or index.cjs) and dist/thread.js side by side.
    return { filename: new URL('./thread.js', here).href, execArgv: undefined };
  }
  // Sources: a JavaScript bootstrap registers tsx in the thread, then imports src/thread.ts;
  // sibling packages resolve to their sources too.
  return { filename: new URL('../thread-source.mjs', here).href, execArgv: ['--conditions=@algo-trading/source'] };
}

/** A pool of sweep threads. */
export class SweepPool {
  /** Number of threads. */
  readonly threads: number;
  readonly #pool: Piscina<ChunkTask, ChunkResult>;

  constructor(threads: number) {
    this.threads = threads;
    const entry = threadEntry();
    this.#pool = new Piscina<ChunkTask, ChunkResult>({
      filename: entry.filename,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Number.POSITIVE_INFINITY,
      ...(entry.execArgv === undefined ? {} : { execArgv: entry.execArgv }),
    });
  }

  /** Runs a chunk on the next free thread. */
  run(task: ChunkTask): Promise<ChunkResult> {
    return this.#pool.run(task);
  }

  /** Stops every thread (tasks still running are rejected). */
  async destroy(): Promise<void> {
    await this.#pool.destroy();
  }
}
