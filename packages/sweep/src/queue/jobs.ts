import { canonicalJson, sha256Hex } from '@algo-trading/core';
import type { WalkForwardSplit } from '@algo-trading/strategies';
import type { DataRef } from '../data/data-source';
import { decodeRow, encodeNonFinite, type SweepRow, type WorkUnit } from '../results/row';
import type { IndicatorCacheStats } from '../run/indicator-cache';
import type { TaskContext } from '../run/task';
import type { SweepObjective } from '../spec/schema';

/**
 * The jobs of a distributed sweep. Payloads are small (parameters, references and hashes, never
 * bars); results are the rows of a chunk. Job ids are content hashes, so adding a job that exists
 * is a no-op and nothing runs twice.
 */

/** Default queue name. */
export const DEFAULT_QUEUE_NAME = 'algo-trading-sweep';

/** Layout version of job payloads. */
export const JOB_FORMAT = 1;

/** What every job carries to run its units. */
export interface JobBase {
  readonly format: typeof JOB_FORMAT;
  readonly context: TaskContext;
  /** The data to load and the content hash to check. */
  readonly data: DataRef;
  /** Versions of the pinned packages of the producer (the worker's must match). */
  readonly versions: Readonly<Record<string, string>>;
}

/** A chunk of combinations (train units of one fold, in walk-forward). */
export interface ChunkJobData extends JobBase {
  readonly kind: 'chunk';
  readonly units: readonly WorkUnit[];
}

/** The parent of a walk-forward fold's train chunks: selects the best and runs the test window. */
export interface FoldJobData extends JobBase {
  readonly kind: 'fold';
  readonly fold: WalkForwardSplit;
  readonly objective: SweepObjective;
  /** Rows expected from the children (the number of combinations). */
  readonly combinations: number;
}

/** What a chunk job returns. */
export interface ChunkJobResult {
  readonly rows: readonly SweepRow[];
  readonly cache: IndicatorCacheStats;
}

/** What a fold job returns. */
export interface FoldJobResult {
  readonly fold: number;
  readonly best: SweepRow | null;
  readonly test: SweepRow | null;
}

/** Job id of a chunk: the spec hash and the keys of its units. */
export function chunkJobId(specHash: string, units: readonly WorkUnit[]): string {
  return `sweep-${specHash.slice(0, 16)}-${sha256Hex(units.map((u) => u.key).join(',')).slice(0, 32)}`;
}

/** Job id of a fold's parent: the spec hash, the fold's windows and its children. */
export function foldJobId(specHash: string, fold: WalkForwardSplit, childIds: readonly string[]): string {
  return `sweep-${specHash.slice(0, 16)}-fold-${fold.fold}-${sha256Hex(canonicalJson({ fold, childIds })).slice(0, 24)}`;
}

/** Rows as JSON-safe values (non-finite numbers as strings; a job's return value is stored as JSON). */
export function encodeRows<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, encodeNonFinite)) as T;
}

/** Restores rows encoded by {@link encodeRows}. */
export function decodeRows(rows: readonly SweepRow[] | null | undefined): SweepRow[] {
  return (rows ?? []).map(decodeRow);
}
