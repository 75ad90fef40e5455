import { AlgoTradingError } from '@algo-trading/core';
import { affinityOrder } from '../affinity-order';
import { shareBars } from '../data/shared-bars';
import { RowBook, chunkUnits, type ExecuteOptions, type ExecutionOutcome } from '../execution';
import type { PreparedSweep } from '../prepare';
import type { WorkUnit } from '../results/row';
import type { ChunkTask, TaskContext } from '../run/task';
import { SweepPool } from './pool';

/** Options of {@link runLocal}. */
export interface LocalRunOptions extends ExecuteOptions {
  /** Worker threads. */
  readonly threads: number;
  /**
   * A pool of `threads` threads started earlier, which the run takes over (and destroys at its
   * end): `runSweep` starts it before it prepares the sweep, so that the threads load their
   * modules meanwhile. Default: a pool started here.
   */
  readonly pool?: SweepPool | undefined;
}

/** How long stopped tasks may take to hand back their rows before the threads are terminated. */
const STOP_GRACE_MS = 10_000;

/**
 * Default size of the next task of a local run: the `pending` units (those not yet handed out)
 * over 8 per thread, 1 to 64. It is recomputed for each task, so tasks shrink as the run goes
 * (guided scheduling): the first tasks are large (few messages), the last ones a single
 * combination, so that no thread ends a run idle while another still has a long task. With one
 * size for the whole run, the last task of 1,000 combinations on 2 threads held 63 of them
 * (about 1 s of work on 100,000 bars) while the other thread had nothing left.
 */
export function defaultLocalChunkSize(pending: number, threads: number): number {
  return Math.max(1, Math.min(64, Math.ceil(pending / (threads * 8))));
}

/**
 * Runs a prepared sweep on a pool of worker threads. The bars go to the threads once, in shared
 * memory; tasks are chunks of combinations in {@link affinityOrder} (combinations that share an
 * indicator go to the same thread), at most two per thread in flight (so a thread never waits
 * for its next task). An abort sets a shared flag that every running chunk checks between
 * combinations, so it returns what it finished within one combination's time.
 */
export async function runLocal(prepared: PreparedSweep, options: LocalRunOptions): Promise<ExecutionOutcome> {
  try {
    return await run(prepared, options);
  } finally {
    // A pool handed over is destroyed whatever happens (nothing to run, an error before the run).
    await options.pool?.destroy();
  }
}

async function run(prepared: PreparedSweep, options: LocalRunOptions): Promise<ExecutionOutcome> {
  const book = new RowBook(prepared, options);
  book.start();
  const pending = affinityOrder(book.pendingUnits());
  const queue: WorkUnit[][] = chunkUnits(pending, options.chunkSize ?? ((remaining) => defaultLocalChunkSize(remaining, options.threads)));
  const tests = book.readyTests(); // folds complete from resumed rows
  if (queue.length === 0 && tests.length === 0 && book.done === book.total) return book.outcome(true);
  queue.unshift(...tests.map((unit) => [unit]));

  const context: TaskContext = {
    specHash: prepared.specHash,
    strategy: prepared.strategyRef,
    runOptions: prepared.runOptions,
    cacheBytes: prepared.cacheBytes,
  };
  const data = shareBars(prepared.data.bars, prepared.data.ref.hash);
  const stopBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const stopFlag = new Int32Array(stopBuffer);
  const pool = options.pool ?? new SweepPool(options.threads);
  const limit = options.threads * 2;
  let inFlight = 0;
  let stopped = false;
  let failure: unknown;

  const finished = new Promise<void>((resolve) => {
    const pump = () => {
      while (!stopped && inFlight < limit && queue.length > 0) {
        const units = queue.shift()!;
        const task: ChunkTask = { data, context, units, stop: stopBuffer };
        inFlight++;
        pool.run(task).then(
          (result) => {
            inFlight--;
            book.addCache(result.cache);
            const ready = book.add(result.rows);
            // A fold's test goes first: it is one combination and completes the fold.
            queue.unshift(...ready.map((unit) => [unit]));
            if (result.stopped) stopped = true;
            pump();
          },
          (error: unknown) => {
            inFlight--;
            if (!stopped) {
              failure = error;
              stop();
            }
            pump();
          },
        );
      }
      if (inFlight === 0 && (stopped || queue.length === 0)) resolve();
    };
    pump();
  });

  let killTimer: NodeJS.Timeout | undefined;
  function stop(): void {
    if (stopped) return;
    stopped = true;
    Atomics.store(stopFlag, 0, 1);
    killTimer = setTimeout(() => void pool.destroy(), STOP_GRACE_MS);
    killTimer.unref();
  }
  const onAbort = () => stop();
  if (options.signal?.aborted === true) stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await finished;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (killTimer !== undefined) clearTimeout(killTimer);
    await pool.destroy();
  }
  if (failure !== undefined) {
    throw new AlgoTradingError('INVALID_STATE', `a sweep worker failed: ${(failure as Error)?.message ?? String(failure)}`, { cause: failure });
  }
  const complete = book.done === book.total;
  return book.outcome(complete);
}
