import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { canonicalJson, type BarSeries } from '@algo-trading/core';
import type { SharedBars } from '../data/shared-bars';
import { barsFromShared } from '../data/shared-bars';
import type { SweepRow, WorkUnit } from '../results/row';
import { importStrategy, type StrategyRef } from '../strategy/load-strategy';
import { Evaluator } from './evaluator';
import { LruIndicatorCache, type IndicatorCacheStats } from './indicator-cache';
import type { RunOptions } from './run-options';

/** What every task of a sweep shares: the strategy, the run options and the cache budget. */
export interface TaskContext {
  readonly specHash: string;
  readonly strategy: StrategyRef;
  readonly runOptions: RunOptions;
  /** Byte budget of a worker's indicator cache. */
  readonly cacheBytes: number;
}

/** A chunk of work units for one worker thread. */
export interface ChunkTask {
  /** The bars, in shared memory (posting them to a thread shares, never copies). */
  readonly data: SharedBars;
  readonly context: TaskContext;
  readonly units: readonly WorkUnit[];
  /** An `Int32Array` flag over shared memory: a non-zero value stops the chunk after the current unit. */
  readonly stop: SharedArrayBuffer | null;
  /** Return the equity curve of the (single) unit. */
  readonly keepEquity?: boolean | undefined;
}

/** What a chunk returns. */
export interface ChunkResult {
  /** The rows of the units run, in unit order (fewer than the units when stopped). */
  readonly rows: SweepRow[];
  readonly stopped: boolean;
  /** Indicator-cache counts of this chunk. */
  readonly cache: IndicatorCacheStats;
  /** Equity of the last unit when `keepEquity` was asked. */
  readonly equity: Float64Array | null;
}

/** `host/pid/thread` of the current thread. */
export function workerId(): string {
  return `${hostname()}/${process.pid}/${threadId}`;
}

// Per-thread state: bars by content hash, one indicator cache per data set and strategy, one
// evaluator (engine) per data set, strategy and run options. Kept small: a worker serves one
// sweep at a time, rarely a few.
const MAX_ENTRIES = 4;
const barsByHash = new Map<string, BarSeries>();
const caches = new Map<string, LruIndicatorCache>();
const evaluators = new Map<string, Evaluator>();

function remember<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
    if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
  }
  return value;
}

/**
 * Runs a chunk in the current thread (the body of the pool's worker, and of in-process runs):
 * the bars are wrapped once per data hash, the strategy imported once, the engine built once,
 * and the indicator cache lives as long as the thread.
 */
export async function runChunk(task: ChunkTask): Promise<ChunkResult> {
  const { context, data } = task;
  const bars = remember(barsByHash, data.hash, () => barsFromShared(data));
  const strategy = await importStrategy(context.strategy);
  const strategyKey = `${context.strategy.importTarget}#${context.strategy.exportName}`;
  const cache = remember(caches, `${data.hash}\u0000${strategyKey}`, () => new LruIndicatorCache(context.cacheBytes));
  const evaluator = remember(
    evaluators,
    `${data.hash}\u0000${strategyKey}\u0000${canonicalJson(context.runOptions)}`,
    () => new Evaluator({ bars, strategy, runOptions: context.runOptions, cache, worker: workerId() }),
  );
  const before = { ...cache.stats };
  const stop = task.stop === null ? null : new Int32Array(task.stop);
  const rows: SweepRow[] = [];
  let equity: Float64Array | null = null;
  let stopped = false;
  for (const unit of task.units) {
    if (stop !== null && Atomics.load(stop, 0) !== 0) {
      stopped = true;
      break;
    }
    const run = await evaluator.run(unit, { keepEquity: task.keepEquity === true });
    rows.push(run.row);
    equity = run.equity;
  }
  return {
    rows,
    stopped,
    cache: {
      hits: cache.stats.hits - before.hits,
      misses: cache.stats.misses - before.misses,
      evictions: cache.stats.evictions - before.evictions,
    },
    equity,
  };
}
