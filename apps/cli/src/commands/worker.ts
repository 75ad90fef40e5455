import { startSweepWorker } from '@algo-trading/sweep';
import type { CommandContext } from '../context';
import { interruptSignal, setInterruptGraceMs } from '../interrupt';
import { storeAccess } from '../store/access';
import { storeDataResolver } from '../store/data-source';
import { throwIfInterrupted } from '../yield';

/** Options of `algo-trading worker`. */
export interface WorkerCommandOptions {
  readonly queue: string;
  readonly queueName?: string | undefined;
  /** Jobs at once, each on its own thread (`auto`: available parallelism). */
  readonly concurrency: number | 'auto';
  /** Folder with the content-addressed data copies a producer published (`sweep --share-data`). */
  readonly dataDir?: string | undefined;
  /** Lock duration of a job in ms: a worker that dies leaves its jobs this long before another takes them up. */
  readonly lockDuration: number;
  /** `--db`: the store `store:` data references are loaded from (default `store.path` of the configuration). */
  readonly db?: string | undefined;
}

/** How long a stopped worker may take to finish its running jobs. */
const WORKER_STOP_GRACE_MS = 60_000;

/**
 * `algo-trading worker --queue redis://host:port/db`: takes sweep jobs from the queue and runs
 * them on local worker threads until interrupted. Ctrl-C (or SIGTERM) stops taking jobs and lets
 * the running ones finish; a second Ctrl-C stops at once (the jobs are taken up again by another
 * worker once their locks expire).
 */
export async function runWorkerCommand(ctx: CommandContext, options: WorkerCommandOptions): Promise<void> {
  setInterruptGraceMs(WORKER_STOP_GRACE_MS);
  let done = 0;
  let failed = 0;
  const worker = await startSweepWorker({
    url: options.queue,
    name: options.queueName,
    concurrency: options.concurrency,
    dataDir: options.dataDir === undefined ? undefined : ctx.resolvePath(options.dataDir),
    dataResolvers: { store: storeDataResolver(storeAccess(ctx, options.db), ctx.logger) },
    lockDurationMs: options.lockDuration,
    stalledIntervalMs: options.lockDuration,
    logger: ctx.engineLogger,
    onJob: (event) => {
      if (event.phase === 'done') done++;
      if (event.phase === 'failed') {
        failed++;
        ctx.logger.error({ job: event.id }, `job ${event.id} failed: ${event.error ?? ''}`);
      } else {
        ctx.logger.debug({ job: event.id, kind: event.kind }, `job ${event.id} ${event.phase}`);
      }
    },
  });
  ctx.logger.info(
    `worker ${worker.id} takes sweep jobs from ${options.queueName ?? 'algo-trading-sweep'} on ${options.queue.replace(/\/\/[^@/]*@/, '//***@')} with ${worker.concurrency} thread(s); Ctrl-C stops it`,
  );
  const signal = interruptSignal();
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  ctx.logger.info('stopping: the running jobs finish first (Ctrl-C again to stop at once)');
  await worker.close();
  ctx.print(`worker ${worker.id} stopped: ${done} job(s) done, ${failed} failed`);
  throwIfInterrupted();
}
