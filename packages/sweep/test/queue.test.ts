// @long-running: runs sweeps on a real redis-server with worker processes (started first, see tools/config/long-running-first.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isAlgoTradingError, type Logger } from '@algo-trading/core';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweep, startSweepWorker, type SweepResult, type SweepRow, type SweepSpecInput } from '../src/index';
import { FIXTURES, smaSpec, stable, tempDir, writeBarsCsv } from './helpers';
import { REDIS_AVAILABLE, REDIS_SKIP_REASON, startRedis, type RedisServer } from '@algo-trading/testing';

// Worker processes start from the TypeScript sources (tsx) and the machine may be busy.
const PROCESS_TIMEOUT = 300_000;
const CI = process.env['CI'] === 'true';

describe('redis-server for the queue tests', () => {
  it('is installed (required under CI; skipped with a message elsewhere)', () => {
    if (!REDIS_AVAILABLE) {
      if (CI) throw new Error('redis-server is missing under CI: install Debian\'s redis-server package (.ci/run does)');
      console.warn(REDIS_SKIP_REASON);
    }
    expect(REDIS_AVAILABLE || !CI).toBe(true);
  });
});

interface WorkerEvent {
  readonly id?: string;
  readonly kind?: string;
  readonly phase?: 'start' | 'done' | 'failed';
  readonly error?: string;
  readonly ready?: string;
  readonly pid: number;
}

/** A worker process (test/fixtures/queue-worker.ts) and the job events it prints. */
interface WorkerProcess {
  readonly child: ChildProcess;
  readonly events: WorkerEvent[];
  waitFor(predicate: (e: WorkerEvent) => boolean, timeoutMs?: number): Promise<WorkerEvent>;
  /**
   * The events of a phase once at least `count` of them have been read. A worker writes its line
   * before the job's state changes in Redis, but this process reads the pipe when it gets to it:
   * a producer may return before the last lines are read.
   */
  seen(phase: NonNullable<WorkerEvent['phase']>, count: number): Promise<WorkerEvent[]>;
  stop(): Promise<void>;
}

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function startWorkerProcess(args: readonly string[]): WorkerProcess {
  const child = spawn(process.execPath, ['--conditions=@algo-trading/source', '--import', tsx, join(FIXTURES, 'queue-worker.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: WorkerEvent[] = [];
  const waiters: { predicate: (e: WorkerEvent) => boolean; resolve: (e: WorkerEvent) => void }[] = [];
  let buffer = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as WorkerEvent;
      events.push(event);
      for (const w of [...waiters]) {
        if (w.predicate(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    }
  });
  const waitFor = (predicate: (e: WorkerEvent) => boolean, timeoutMs = 120_000): Promise<WorkerEvent> => {
    const found = events.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker ${child.pid}: no matching event within ${timeoutMs} ms; stderr:\n${stderr}`)), timeoutMs);
      waiters.push({ predicate, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  };
  return {
    child,
    events,
    waitFor,
    async seen(phase, count) {
      const of = () => events.filter((e) => e.phase === phase);
      if (of().length < count) await waitFor((e) => e.phase === phase && of().length >= count);
      return of();
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function capturingLogger(lines: { msg: string; obj: Record<string, unknown> }[]): Logger {
  const log = (obj: unknown, msg?: string) => {
    if (typeof obj === 'string') lines.push({ msg: obj, obj: {} });
    else lines.push({ msg: msg ?? '', obj: obj as Record<string, unknown> });
  };
  return { debug: log, info: log, warn: log, error: log } as unknown as Logger;
}

describe('unreachable Redis', () => {
  it('fails before any work starts, naming the URL (producer and worker)', async () => {
    const url = 'redis://127.0.0.1:1/0';
    const producer = await runSweep({ spec: smaSpec('./no-such-file.csv'), queue: { url, connectTimeoutMs: 2000 } }).catch((error: unknown) => error);
    expect(isAlgoTradingError(producer, 'IO_ERROR')).toBe(true);
    expect((producer as Error).message).toMatch(/^cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/0: /);
    const worker = await startSweepWorker({ url, connectTimeoutMs: 2000 }).catch((error: unknown) => error);
    expect((worker as Error).message).toMatch(/^cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/0: /);
    const malformed = await runSweep({ spec: smaSpec('./x.csv'), queue: { url: 'http://host:1' } }).catch((error: unknown) => error);
    expect((malformed as Error).message).toBe('queue.url: unsupported scheme http:, got "http://host:1" (expected redis://host:port/db)');
  }, PROCESS_TIMEOUT);
});

describe.skipIf(!REDIS_AVAILABLE)('runSweep on a BullMQ queue (real redis-server)', () => {
  let redis: RedisServer;
  let dir: string;
  let remove: () => void;
  let csv: string;
  let local: SweepResult;
  const workers: WorkerProcess[] = [];
  const worker = (args: readonly string[]) => {
    const w = startWorkerProcess(args);
    workers.push(w);
    return w;
  };
  const slowSpec = (delayMs: number): SweepSpecInput =>
    smaSpec(csv, {
      strategy: `${join(FIXTURES, 'strategies.ts')}#slowSmaCross`,
      parameters: { fast: [3, 4, 5, 6], slow: [10, 20], delayMs },
    });

  beforeAll(async () => {
    redis = await startRedis();
    ({ dir, remove } = tempDir());
    csv = writeBarsCsv(dir, { bars: 1200 });
    local = await runSweep({ spec: smaSpec(csv), baseDir: dir, workers: 2 });
  }, PROCESS_TIMEOUT);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await redis?.stop();
    remove?.();
  }, PROCESS_TIMEOUT);

  it('gives the same rows as the local pool, in the same order', async () => {
    const w = worker([redis.url, 'same-rows', '2']);
    const queued = await runSweep({ spec: smaSpec(csv), baseDir: dir, queue: { url: redis.url, name: 'same-rows', pollMs: 500 }, chunkSize: 2 });
    expect(queued.complete).toBe(true);
    expect(queued.stats.mode).toBe('queue');
    expect(queued.rows.map(stable)).toEqual(local.rows.map(stable));
    expect(queued.summary.best?.key).toBe(local.summary.best?.key);
    expect(queued.summary.deflatedSharpe).toBe(local.summary.deflatedSharpe);
    const ready = await w.waitFor((e) => e.ready !== undefined);
    expect(queued.rows.every((r) => r.worker.startsWith(`${ready.ready}/`))).toBe(true);
    // 9 combinations in chunks of 2: 5 jobs, each run once.
    const done = (await w.seen('done', 5)).map((e) => e.id);
    expect(done).toHaveLength(5);
    expect(new Set(done).size).toBe(5);
  }, PROCESS_TIMEOUT);

  it('runs a walk-forward as a flow: per fold a parent picks the best train combination and runs the test window', { timeout: PROCESS_TIMEOUT }, async () => {
    const name = 'walk-forward';
    const spec = smaSpec(csv, { walkForward: { trainSize: 500, testSize: 300, embargo: 5 } });
    const localWf = await runSweep({ spec, baseDir: dir, workers: 2 });
    const w = worker([redis.url, name, '2']);
    const queued = await runSweep({ spec, baseDir: dir, queue: { url: redis.url, name, pollMs: 500 }, chunkSize: 4 });
    expect(queued.complete).toBe(true);
    expect(queued.folds).toHaveLength(2);
    expect(queued.rows.map(stable)).toEqual(localWf.rows.map(stable));
    for (let k = 0; k < 2; k++) {
      expect(stable(queued.folds![k]!.test!)).toEqual(stable(localWf.folds![k]!.test!));
      expect(queued.folds![k]!.best?.key).toBe(localWf.folds![k]!.best?.key);
    }
    expect(queued.summary.outOfSample).toEqual(localWf.summary.outOfSample);
    // Per fold: 9 combinations in chunks of 4 (3 chunk jobs) and one parent.
    const done = await w.seen('done', 8);
    expect(done.filter((e) => e.kind === 'fold')).toHaveLength(2);
    expect(done.filter((e) => e.kind === 'chunk')).toHaveLength(6);
    expect(new Set(done.map((e) => e.id)).size).toBe(8);

    // Resumed from every row (train and test): nothing is queued and the result is the same.
    const lines: { msg: string; obj: Record<string, unknown> }[] = [];
    const resume = [...queued.rows, ...queued.folds!.map((f) => f.test!)];
    const resumed = await runSweep({ spec, baseDir: dir, queue: { url: redis.url, name, pollMs: 500 }, chunkSize: 4, resume, logger: capturingLogger(lines) });
    expect(resumed.complete).toBe(true);
    expect(resumed.rows).toEqual(queued.rows);
    expect(resumed.folds).toEqual(queued.folds);
    expect(lines.find((l) => l.msg === 'sweep jobs queued')?.obj).toMatchObject({ added: 0, existing: 0 });
    expect(w.events.filter((e) => e.phase === 'start')).toHaveLength(8);
  });

  it('a worker killed in the middle of a job: another takes the job up again and every result arrives once', async () => {
    const name = 'killed-worker';
    const first = worker([redis.url, name, '1', '2000', '1000']);
    await first.waitFor((e) => e.ready !== undefined);
    const producer = runSweep({ spec: slowSpec(500), baseDir: dir, queue: { url: redis.url, name, pollMs: 500 }, chunkSize: 2 });
    await first.waitFor((e) => e.phase === 'start');
    first.child.kill('SIGKILL');
    // 'close', not 'exit': every line the worker wrote before it died has been read.
    await new Promise((resolve) => first.child.once('close', resolve));
    const idsOf = (w: WorkerProcess, phase: WorkerEvent['phase']) => w.events.filter((e) => e.phase === phase).map((e) => e.id!);
    // A busy machine may let the first worker finish a job before the kill lands: what it finished
    // is read from its output, not assumed. It ran one job at a time, so it died running one.
    const firstDone = idsOf(first, 'done');
    const killed = idsOf(first, 'start').filter((id) => !firstDone.includes(id));
    expect(killed).toHaveLength(1);

    const second = worker([redis.url, name, '2', '2000', '1000']);
    const result = await producer;
    expect(result.complete).toBe(true);
    expect(result.rows).toHaveLength(8);
    expect(new Set(result.rows.map((r) => r.key)).size).toBe(8);
    // The killed worker's job was taken up (stalled-job recovery) and run once by the other worker;
    // over the two workers every one of the 4 jobs finished once.
    const secondDone = (await second.seen('done', 4 - firstDone.length)).map((e) => e.id!);
    expect(secondDone).toContain(killed[0]);
    expect(new Set([...firstDone, ...secondDone]).size).toBe(4);
    expect(firstDone.length + secondDone.length).toBe(4);
    const [firstId, secondId] = [(await first.waitFor((e) => e.ready !== undefined)).ready, (await second.waitFor((e) => e.ready !== undefined)).ready];
    // Chunks of 2 rows: each row comes from the worker that finished its job.
    expect(result.rows.filter((r) => r.worker.startsWith(`${firstId}/`))).toHaveLength(2 * firstDone.length);
    expect(result.rows.filter((r) => r.worker.startsWith(`${secondId}/`))).toHaveLength(2 * secondDone.length);
    const reference = await runSweep({ spec: slowSpec(500), baseDir: dir, workers: 2 });
    expect(result.rows.map(stable)).toEqual(reference.rows.map(stable));
  }, PROCESS_TIMEOUT);

  it('a producer that stops and comes back collects the finished jobs without queueing them again', async () => {
    const name = 'reconnect';
    const w = worker([redis.url, name, '2']);
    await w.waitFor((e) => e.ready !== undefined);
    const controller = new AbortController();
    const first = await runSweep({
      spec: slowSpec(300),
      baseDir: dir,
      queue: { url: redis.url, name, pollMs: 500 },
      chunkSize: 2,
      signal: controller.signal,
      onRows: () => controller.abort(),
    });
    expect(first.complete).toBe(false);
    expect(first.rows.length).toBeLessThan(8);
    // The workers go on without a producer.
    const doneIds = new Set<string>();
    while (doneIds.size < 4) doneIds.add((await w.waitFor((e) => e.phase === 'done' && !doneIds.has(e.id!))).id!);

    const lines: { msg: string; obj: Record<string, unknown> }[] = [];
    const second = await runSweep({
      spec: slowSpec(300),
      baseDir: dir,
      queue: { url: redis.url, name, pollMs: 500 },
      chunkSize: 2,
      logger: capturingLogger(lines),
    });
    expect(second.complete).toBe(true);
    expect(second.rows).toHaveLength(8);
    expect(lines.find((l) => l.msg === 'sweep jobs queued')?.obj).toMatchObject({ added: 0, existing: 4 });
    expect(w.events.filter((e) => e.phase === 'done')).toHaveLength(4);
    for (const row of first.rows) expect(second.rows[row.index]).toEqual(row);
  }, PROCESS_TIMEOUT);

  it('a worker whose copy of the data differs fails the job, and the producer says so', async () => {
    const name = 'wrong-data';
    const prepared = await import('../src/index').then((m) => m.prepareSweep({ spec: smaSpec(csv), baseDir: dir }));
    const shared = join(dir, 'shared');
    mkdirSync(shared, { recursive: true });
    writeFileSync(join(shared, `${prepared.data.ref.hash}.csv`), 'date,open,high,low,close\n2020-01-01,1,1,1,1\n');
    const w = worker([redis.url, name, '1', '30000', '30000', shared]);
    const error = await runSweep({ spec: smaSpec(csv), baseDir: dir, queue: { url: redis.url, name, pollMs: 500 }, chunkSize: 9 }).catch((e: unknown) => e);
    expect(isAlgoTradingError(error, 'INVALID_STATE')).toBe(true);
    expect((error as Error).message).toMatch(/^sweep job sweep-[0-9a-f-]+ failed on a worker: data .*bars\.csv: .*has content hash [0-9a-f]{64}, the sweep was planned on [0-9a-f]{64}/);
    expect(await w.seen('failed', 1)).toHaveLength(1);
  }, PROCESS_TIMEOUT);

  it('a job that completes without its rows fails the sweep naming the job, instead of counting it done', async () => {
    // A worker that returns nothing (another program on the queue, or another version).
    const name = 'no-result';
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const impostor = new Worker(name, async () => null, { connection, prefix: 'bull' });
    try {
      const error = await runSweep({ spec: smaSpec(csv), baseDir: dir, queue: { url: redis.url, name, pollMs: 500 }, chunkSize: 9 }).catch((e: unknown) => e);
      expect(isAlgoTradingError(error, 'INVALID_STATE')).toBe(true);
      expect((error as Error).message).toMatch(/^sweep job sweep-[0-9a-f]{16}-[0-9a-f]{32} completed without a valid chunk result/);
    } finally {
      await impostor.close();
      connection.disconnect();
    }
  }, PROCESS_TIMEOUT);
});

export type { SweepRow };
