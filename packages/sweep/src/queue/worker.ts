import { hostname } from 'node:os';
import { canonicalJson, isAlgoTradingError, silentLogger, type Logger } from '@algo-trading/core';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { loadDataRef, type DataRef, type DataResolvers } from '../data/data-source';
import { shareBars, type SharedBars } from '../data/shared-bars';
import { SweepPool, resolveWorkerCount } from '../local/pool';
import { pinnedVersions, testUnitOf } from '../prepare';
import type { SweepRow } from '../results/row';
import { selectBest } from '../results/summary';
import { verifyStrategyRef } from '../strategy/load-strategy';
import { checkRedis, createRedis, redactRedisUrl, validateRedisUrl, type QueueConnectionOptions } from './connection';
import {
  DEFAULT_QUEUE_NAME,
  decodeRows,
  encodeRows,
  type ChunkJobData,
  type ChunkJobResult,
  type FoldJobData,
  type FoldJobResult,
  type JobBase,
} from './jobs';

/** Options of {@link startSweepWorker}. */
export interface SweepWorkerOptions extends QueueConnectionOptions {
  /** Jobs run at once, each on its own worker thread: a number or `auto` (available parallelism). Default 1. */
  readonly concurrency?: number | 'auto' | undefined;
  /** A folder with content-addressed data copies `<sha256>.csv` (the producer's `shareDir`, mounted here). */
  readonly dataDir?: string | undefined;
  /** Loaders of `<scheme>:` data references (e.g. the store's), as on the producer. */
  readonly dataResolvers?: DataResolvers | undefined;
  /**
   * How long a job's lock lasts without renewal (the worker renews it every half of this while the
   * job runs). A worker that dies leaves its jobs locked this long before they are taken up again.
   * Default 30000 ms.
   */
  readonly lockDurationMs?: number | undefined;
  /** How often this worker looks for stalled jobs (locks that expired). Default 30000 ms. */
  readonly stalledIntervalMs?: number | undefined;
  /** Times a job may stall (its worker died) before it fails. Default 5. */
  readonly maxStalledCount?: number | undefined;
  /** Called when a job starts and ends (for logs and tests). */
  readonly onJob?: ((event: { readonly id: string; readonly kind: string; readonly phase: 'start' | 'done' | 'failed'; readonly error?: string }) => void) | undefined;
  readonly logger?: Logger | undefined;
}

/** A running queue worker. */
export interface SweepWorker {
  /** `host/pid`. */
  readonly id: string;
  /** Worker threads (= jobs at once). */
  readonly concurrency: number;
  /** Stops taking jobs, lets running jobs finish (or, with `force`, abandons them to be taken up by another worker), then stops. */
  close(options?: { readonly force?: boolean }): Promise<void>;
}

function unrecoverable(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new UnrecoverableError(message);
}

/**
 * Starts a worker of distributed sweeps: it takes chunk jobs from the queue and runs them on its
 * own pool of worker threads (so the process stays free to renew job locks), and runs the
 * walk-forward fold jobs (select the best train combination, run it on the test window). Each
 * job's data is loaded once per process, by content hash, and checked against the hash; the
 * strategy module and the package versions are checked against the producer's. A mismatch fails
 * the job for good (the producer reports it). Redis is checked first.
 *
 * @throws AlgoTradingError `IO_ERROR` naming the URL when Redis does not answer.
 * @example
 * const worker = await startSweepWorker({ url: 'redis://10.0.0.5:6379/0', concurrency: 'auto', dataDir: '/mnt/shared/bars' });
 * process.on('SIGTERM', () => void worker.close());
 */
export async function startSweepWorker(options: SweepWorkerOptions): Promise<SweepWorker> {
  const logger = options.logger ?? silentLogger;
  const url = validateRedisUrl(options.url);
  await checkRedis(options);
  const concurrency = resolveWorkerCount(options.concurrency ?? 1);
  const versions = canonicalJson(pinnedVersions());
  const pool = new SweepPool(concurrency);
  const data = new Map<string, Promise<SharedBars>>();

  const sharedData = (ref: DataRef): Promise<SharedBars> => {
    let pending = data.get(ref.hash);
    if (pending === undefined) {
      pending = loadDataRef(ref, { dataDir: options.dataDir, resolvers: options.dataResolvers, logger }).then((bars) => shareBars(bars, ref.hash));
      data.set(ref.hash, pending);
      pending.catch(() => data.delete(ref.hash));
      if (data.size > 2) data.delete(data.keys().next().value as string);
    }
    return pending;
  };

  const prepareJob = async (payload: JobBase): Promise<SharedBars> => {
    try {
      if (canonicalJson(payload.versions) !== versions) {
        throw new Error(`package versions differ: the sweep was planned with ${canonicalJson(payload.versions)}, this worker has ${versions}`);
      }
      verifyStrategyRef(payload.context.strategy);
      return await sharedData(payload.data);
    } catch (error) {
      throw unrecoverable(error);
    }
  };

  const runChunkJob = async (payload: ChunkJobData): Promise<ChunkJobResult> => {
    const shared = await prepareJob(payload);
    const result = await pool.run({ data: shared, context: payload.context, units: payload.units, stop: null });
    return encodeRows({ rows: result.rows, cache: result.cache });
  };

  const runFoldJob = async (job: Job, payload: FoldJobData): Promise<FoldJobResult> => {
    const shared = await prepareJob(payload);
    const values = (await job.getChildrenValues()) as Record<string, ChunkJobResult | undefined>;
    const rows: SweepRow[] = [];
    for (const value of Object.values(values)) rows.push(...decodeRows(value?.rows));
    rows.sort((a, b) => a.index - b.index);
    if (rows.length !== payload.combinations) {
      throw new Error(`fold ${payload.fold.fold}: ${rows.length} train rows arrived, ${payload.combinations} expected`);
    }
    const best = selectBest(rows, payload.objective);
    if (best === null) return { fold: payload.fold.fold, best: null, test: null };
    const unit = testUnitOf(payload.context.specHash, payload.fold, best);
    const result = await pool.run({ data: shared, context: payload.context, units: [unit], stop: null });
    return encodeRows({ fold: payload.fold.fold, best, test: result.rows[0] ?? null });
  };

  const onError = (error: Error) => logger.warn({ err: error.message, url: redactRedisUrl(url) }, 'sweep worker: Redis connection error');
  const connection = createRedis(url, { blocking: true, onError });
  const worker = new Worker(
    options.name ?? DEFAULT_QUEUE_NAME,
    async (job: Job) => {
      const payload = job.data as ChunkJobData | FoldJobData;
      const id = job.id ?? '?';
      options.onJob?.({ id, kind: payload.kind, phase: 'start' });
      logger.debug({ job: id, kind: payload.kind }, 'sweep job started');
      try {
        const result = payload.kind === 'fold' ? await runFoldJob(job, payload) : await runChunkJob(payload);
        options.onJob?.({ id, kind: payload.kind, phase: 'done' });
        return result;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        options.onJob?.({ id, kind: payload.kind, phase: 'failed', error: message });
        logger.error({ job: id, err: message }, 'sweep job failed');
        throw isAlgoTradingError(error) ? unrecoverable(error) : error;
      }
    },
    {
      connection,
      prefix: options.prefix ?? 'bull',
      concurrency,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: options.maxStalledCount ?? 5,
      autorun: true,
    },
  );
  worker.on('error', onError);
  await worker.waitUntilReady();
  const id = `${hostname()}/${process.pid}`;
  logger.info({ worker: id, queue: options.name ?? DEFAULT_QUEUE_NAME, concurrency, url: redactRedisUrl(url) }, 'sweep worker started');

  let closing: Promise<void> | undefined;
  return {
    id,
    concurrency,
    close(closeOptions = {}) {
      closing ??= (async () => {
        try {
          await worker.close(closeOptions.force === true);
        } finally {
          await pool.destroy();
          connection.disconnect();
        }
      })();
      return closing;
    },
  };
}
