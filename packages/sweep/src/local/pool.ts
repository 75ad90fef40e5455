import { availableParallelism } from 'node:os';
import { AlgoTradingError, threadEntry } from '@algo-trading/core';
import { Piscina } from 'piscina';
import type { ChunkResult, ChunkTask } from '../run/task';

/**
 * The worker-thread pool of a sweep (piscina). Threads stay up for the whole sweep, so a thread
 * wraps the shared bars, imports the strategy and builds its engine once and keeps its indicator
 * cache across chunks.
 *
 * The built package starts `dist/thread.js` (next to the bundle that creates the pool); from the
 * TypeScript sources, core's `threadEntry` starts `src/thread.ts` through tsx, so a test never
 * runs stale built code.
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

/** A pool of sweep threads. */
export class SweepPool {
  /** Number of threads. */
  readonly threads: number;
  readonly #pool: Piscina<ChunkTask, ChunkResult>;

  constructor(threads: number) {
    this.threads = threads;
    // Built: dist/index.js (or index.cjs) and dist/thread.js side by side.
    const entry = threadEntry(import.meta.url, { built: './thread.js', source: '../thread.ts' });
    this.#pool = new Piscina<ChunkTask, ChunkResult>({
      filename: entry.filename,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Number.POSITIVE_INFINITY,
      ...(entry.execArgv === undefined ? {} : { execArgv: [...entry.execArgv], argv: [...(entry.argv ?? [])] }),
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
