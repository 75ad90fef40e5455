import { AlgoTradingError, silentLogger } from '@algo-trading/core';
import { FlowProducer, Job, Queue, QueueEvents, type JobsOptions } from 'bullmq';
import { affinityOrder } from '../affinity-order';
import { publishData } from '../data/data-source';
import { RowBook, chunkUnits, type ExecuteOptions, type ExecutionOutcome } from '../execution';
import type { PreparedSweep } from '../prepare';
import type { SweepRow } from '../results/row';
import type { IndicatorCacheStats } from '../run/indicator-cache';
import type { TaskContext } from '../run/task';
import { createRedis, redactRedisUrl, validateRedisUrl, type QueueConnectionOptions } from './connection';
import {
  DEFAULT_QUEUE_NAME,
  JOB_FORMAT,
  chunkJobId,
  decodeRows,
  foldJobId,
  type ChunkJobData,
  type ChunkJobResult,
  type FoldJobData,
  type FoldJobResult,
  type JobBase,
} from './jobs';

/** Options of a distributed run (`runSweep({ queue })`). */
export interface QueueRunOptions extends QueueConnectionOptions {
  /**
   * A folder every worker can read (a shared mount): the producer publishes the data file there as
   * `<sha256>.csv`, and workers started with `dataDir` at that folder load it from there.
   */
  readonly shareDir?: string | undefined;
  /** Attempts per job before it fails (a worker crash is not an attempt: the job stalls and is taken up again). Default 3. */
  readonly attempts?: number | undefined;
  /** How long finished jobs (and their results) are kept in Redis for a producer to collect. Default 7 days. */
  readonly keepSeconds?: number | undefined;
  /** How often the producer checks job states besides listening to events. Default 5000 ms. */
  readonly pollMs?: number | undefined;
}

/** Default combinations per job. */
export const DEFAULT_QUEUE_CHUNK = 25;

interface PlannedJob {
  readonly id: string;
  readonly kind: 'chunk' | 'fold';
  readonly data: ChunkJobData | FoldJobData;
  /** Chunk jobs of a fold's flow. */
  readonly children: PlannedJob[];
}

/**
 * Runs a prepared sweep through a BullMQ queue: adds the jobs (chunks; walk-forward: one flow per
 * fold, a parent over its train chunks), then collects the results as the workers finish them.
 * Jobs that exist already (same ids) are not added again: a completed one is collected at once
 * (a producer that reconnects picks up where it left), a failed one is retried. Every row counts
 * once, by key. An abort stops the waiting; the jobs stay queued for a later producer.
 */
export async function runQueued(prepared: PreparedSweep, options: ExecuteOptions & QueueRunOptions): Promise<ExecutionOutcome> {
  const logger = options.logger ?? silentLogger;
  const url = validateRedisUrl(options.url);
  const name = options.name ?? DEFAULT_QUEUE_NAME;
  const prefix = options.prefix ?? 'bull';
  const book = new RowBook(prepared, options);
  book.start();
  if (options.shareDir !== undefined) {
    const published = await publishData(prepared.data.ref, options.shareDir);
    if (published !== undefined) logger.info({ path: published }, 'data published for the workers');
  }

  const context: TaskContext = {
    specHash: prepared.specHash,
    strategy: prepared.strategyRef,
    runOptions: prepared.runOptions,
    cacheBytes: prepared.cacheBytes,
  };
  const base: JobBase = { format: JOB_FORMAT, context, data: prepared.data.ref, versions: prepared.versions };
  const chunkSize = options.chunkSize ?? DEFAULT_QUEUE_CHUNK;
  // Folds complete from resumed rows first (their resumed test rows recorded, a fold without an
  // eligible combination counted), as the local pool does: such a fold is not queued again.
  book.readyTests();
  const plan = planJobs(prepared, base, chunkSize, book);

  const onError = (error: Error) => logger.warn({ err: error.message, url: redactRedisUrl(url) }, 'Redis connection error');
  const queueConnection = createRedis(url, { onError });
  const eventsConnection = createRedis(url, { blocking: true, onError });
  const flowConnection = createRedis(url, { onError });
  const queue = new Queue(name, { connection: queueConnection, prefix });
  const events = new QueueEvents(name, { connection: eventsConnection, prefix });
  const flows = new FlowProducer({ connection: flowConnection, prefix });
  events.on('error', onError);
  queue.on('error', onError);
  flows.on('error', onError);

  const ours = new Map<string, PlannedJob>();
  for (const job of plan) {
    ours.set(job.id, job);
    for (const child of job.children) ours.set(child.id, child);
  }
  const handled = new Set<string>();
  let failure: AlgoTradingError | undefined;
  let wake: () => void = () => undefined;
  /** Set when the job states must be read before waiting again (start, poll timer, a failure event). */
  let checkStates = true;

  const stop = (message: string, details: { field: string; value: string }): void => {
    failure ??= new AlgoTradingError('INVALID_STATE', message, { details });
    wake();
  };
  /**
   * Records a finished job's rows once. Returns false, recording nothing, when the value is not a
   * result of that job (a job read before it finished has no return value yet): the job stays
   * outstanding and is read again, never counted as done without its rows.
   */
  const collect = (id: string, value: unknown): boolean => {
    const job = ours.get(id);
    if (job === undefined || handled.has(id)) return true;
    const result = readResult(job, value);
    if (result === undefined) return false;
    handled.add(id);
    if (result.cache !== undefined) book.addCache(result.cache);
    book.add(result.rows);
    wake();
    return true;
  };

  // Events make the producer quick; the job states in Redis are the truth (an event can be lost,
  // e.g. while the events connection reconnects, or fire before the listener reads the stream).
  events.on('completed', ({ jobId, returnvalue }) => void collect(jobId, returnvalue));
  events.on('failed', ({ jobId }) => {
    if (!ours.has(jobId)) return;
    // A job that will be retried is not failed: its state says so. Read the states now.
    checkStates = true;
    wake();
  });

  /**
   * Reads the state of every outstanding job, then, for the finished ones, the job itself. The
   * state comes first: BullMQ stores a job's return value in the same atomic step that moves it
   * to `completed`, so a job read after its state is `completed` holds its result; a job read
   * before could be a copy from while it was still running, without one.
   */
  const reconcile = async (): Promise<void> => {
    const outstanding = [...ours.keys()].filter((id) => !handled.has(id));
    for (let i = 0; i < outstanding.length && failure === undefined; i += 100) {
      const batch = outstanding.slice(i, i + 100);
      const states = await Promise.all(batch.map((id) => queue.getJobState(id)));
      await Promise.all(
        batch.map(async (id, k) => {
          const state = states[k];
          if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return;
          const job = await Job.fromId(queue, id);
          if (state === 'unknown' || job === undefined) {
            stop(`sweep job ${id} is no longer in queue ${name}: it was removed (by hand, or its result was older than keepSeconds); run the sweep again to queue it`, { field: 'job', value: id });
          } else if (state === 'failed') {
            // In the failed set a job has no attempt left (a retry waits in delayed or wait).
            stop(`sweep job ${id} failed on a worker: ${job.failedReason}`, { field: 'job', value: id });
          } else if (!collect(id, job.returnvalue)) {
            stop(`sweep job ${id} completed without a valid ${ours.get(id)!.kind} result (a worker of another version?)`, { field: 'job', value: id });
          }
        }),
      );
    }
    if (failure === undefined && handled.size === ours.size && book.done < book.total) {
      // Every job is in but rows are missing: a fold parent chose no test where this producer
      // finds an eligible combination. Waiting longer would not bring them.
      stop(`every sweep job of queue ${name} finished but ${book.total - book.done} of ${book.total} rows are missing (the workers' results disagree with the plan)`, { field: 'queue', value: name });
    }
  };

  try {
    await events.waitUntilReady();
    await addMissing(plan, { queue, flows, options, name, logger });
    const pollMs = options.pollMs ?? 5000;
    const waiting = () => book.done < book.total && failure === undefined && options.signal?.aborted !== true;
    while (waiting()) {
      if (checkStates) {
        checkStates = false;
        await reconcile();
        continue;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(() => {
          checkStates = true;
          done();
        }, pollMs);
        options.signal?.addEventListener('abort', done, { once: true });
        wake = done;
      });
      wake = () => undefined;
    }
  } finally {
    await Promise.allSettled([events.close(), queue.close(), flows.close()]);
    for (const connection of [queueConnection, eventsConnection, flowConnection]) connection.disconnect();
  }
  if (failure !== undefined) throw failure;
  return book.outcome(book.done === book.total);
}

/**
 * The rows of a finished job's return value, checked against the job's plan: a chunk returns one
 * row per unit, in unit order; a fold parent returns its fold and its test row (or null when no
 * train combination was eligible). Undefined when the value is not that.
 */
function readResult(job: PlannedJob, value: unknown): { rows: SweepRow[]; cache?: IndicatorCacheStats } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (job.kind === 'chunk') {
    const { rows, cache } = value as Partial<ChunkJobResult>;
    const units = (job.data as ChunkJobData).units;
    if (!Array.isArray(rows) || rows.length !== units.length || rows.some((row, k) => row?.key !== units[k]!.key)) return undefined;
    return { rows: decodeRows(rows), ...(cache === undefined ? {} : { cache }) };
  }
  const { fold, test } = value as Partial<FoldJobResult>;
  if (fold !== (job.data as FoldJobData).fold.fold || test === undefined) return undefined;
  if (test !== null && (test.segment !== 'test' || test.fold !== fold)) return undefined;
  return { rows: decodeRows(test === null ? [] : [test]) };
}

function planJobs(prepared: PreparedSweep, base: JobBase, chunkSize: number, book: RowBook): PlannedJob[] {
  // Chunks over every unit (resumed ones included) so that the same spec always gives the same
  // job ids; a chunk whose units are all done is not queued. In affinity order, as the local pool:
  // a job's combinations share their indicators.
  const pending = new Set(book.pendingUnits().map((u) => u.key));
  const chunks = chunkUnits(affinityOrder(prepared.units), chunkSize).map(
    (units): PlannedJob => ({
      id: chunkJobId(prepared.specHash, units),
      kind: 'chunk',
      data: { ...base, kind: 'chunk', units },
      children: [],
    }),
  );
  if (prepared.folds === null) return chunks.filter((c) => (c.data as ChunkJobData).units.some((u) => pending.has(u.key)));
  const jobs: PlannedJob[] = [];
  for (const fold of prepared.folds) {
    const children = chunks.filter((c) => (c.data as ChunkJobData).units[0]!.fold === fold.fold);
    const trainDone = children.every((c) => (c.data as ChunkJobData).units.every((u) => !pending.has(u.key)));
    if (trainDone && book.foldComplete(fold.fold)) continue;
    jobs.push({
      id: foldJobId(prepared.specHash, fold, children.map((c) => c.id)),
      kind: 'fold',
      data: { ...base, kind: 'fold', fold, objective: prepared.objective, combinations: prepared.combinations.length },
      children,
    });
  }
  return jobs;
}

interface AddContext {
  readonly queue: Queue;
  readonly flows: FlowProducer;
  readonly options: QueueRunOptions;
  readonly name: string;
  readonly logger: typeof silentLogger;
}

/** Adds the jobs that do not exist; collects completed ones; retries failed ones. */
async function addMissing(plan: readonly PlannedJob[], ctx: AddContext): Promise<void> {
  const keep = ctx.options.keepSeconds ?? 7 * 24 * 3600;
  const jobOptions = (id: string): JobsOptions => ({
    jobId: id,
    attempts: ctx.options.attempts ?? 3,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: keep },
    removeOnFail: { age: keep },
  });
  const missing: PlannedJob[] = [];
  let existing = 0;
  for (let i = 0; i < plan.length; i += 100) {
    const batch = plan.slice(i, i + 100);
    const found = await Promise.all(batch.map((job) => Job.fromId(ctx.queue, job.id)));
    for (let k = 0; k < batch.length; k++) {
      const job = found[k];
      if (job === undefined) {
        missing.push(batch[k]!);
        continue;
      }
      existing++;
      const state = await job.getState();
      if (state === 'failed') await job.retry('failed');
    }
  }
  const plain = missing.filter((j) => j.kind === 'chunk');
  for (let i = 0; i < plain.length; i += 500) {
    await ctx.queue.addBulk(plain.slice(i, i + 500).map((job) => ({ name: 'chunk', data: job.data, opts: jobOptions(job.id) })));
  }
  for (const parent of missing.filter((j) => j.kind === 'fold')) {
    await ctx.flows.add({
      name: 'fold',
      queueName: ctx.name,
      data: parent.data,
      opts: jobOptions(parent.id),
      children: parent.children.map((child) => ({
        name: 'chunk',
        queueName: ctx.name,
        data: child.data,
        opts: { ...jobOptions(child.id), failParentOnFailure: true },
      })),
    });
  }
  ctx.logger.info({ queue: ctx.name, added: missing.length, existing }, 'sweep jobs queued');
}
