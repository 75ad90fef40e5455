import type { Logger } from '@algo-trading/core';
import type { WalkForwardSplit } from '@algo-trading/strategies';
import { testUnitOf, type PreparedSweep } from './prepare';
import type { SweepRow, WorkUnit } from './results/row';
import { selectBest } from './results/summary';
import type { IndicatorCacheStats } from './run/indicator-cache';

/**
 * What the local pool and the queue share: the options of a run, its progress, the bookkeeping
 * of rows (resumed ones included) and the walk-forward rule (a fold's test runs once every train
 * row of the fold is in, with the combination that is best on the train window).
 */

/** Progress of a sweep. */
export interface SweepProgress {
  /** Units done (resumed ones included). */
  readonly done: number;
  readonly total: number;
  /** Milliseconds since the run started. */
  readonly elapsedMs: number;
  /** Units per second finished by this run (resumed ones excluded); NaN before the first. */
  readonly ratePerSecond: number;
  /** Estimated milliseconds to the end at that rate; NaN when unknown. */
  readonly etaMs: number;
}

/** Options of a run, shared by the local pool and the queue. */
export interface ExecuteOptions {
  /** Stops the run: finished rows are kept and the result says `complete: false`. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Combinations per task (local) or job (queue). Default: local, the remaining combinations over
   * 8 per thread (1 to 64), recomputed for each task so that tasks shrink towards the end; queue 25.
   */
  readonly chunkSize?: number | undefined;
  /** Rows of an earlier run of the same sweep (`--resume`): units with these keys are not run again. */
  readonly resume?: readonly SweepRow[] | undefined;
  /** Receives new rows as they finish (for checkpoints). */
  readonly onRows?: ((rows: readonly SweepRow[]) => void) | undefined;
  readonly onProgress?: ((progress: SweepProgress) => void) | undefined;
  readonly logger?: Logger | undefined;
}

/** What a run produced. */
export interface ExecutionOutcome {
  /** Every row known (resumed and new), train and full rows in index order, then test rows by fold. */
  readonly rows: SweepRow[];
  readonly complete: boolean;
  readonly cache: IndicatorCacheStats;
  /** Distinct workers (`host/pid/thread`) that produced the new rows. */
  readonly workers: readonly string[];
}

/**
 * Splits units into chunks, in order, never across folds. `size` is a fixed chunk size, or a
 * function of the units not yet chunked (this chunk's included) that gives each chunk's size, so
 * that chunks can shrink towards the end of a run.
 */
export function chunkUnits(units: readonly WorkUnit[], size: number | ((remaining: number) => number)): WorkUnit[][] {
  const sizeOf = typeof size === 'number' ? () => size : size;
  const chunks: WorkUnit[][] = [];
  let current: WorkUnit[] = [];
  let limit = Math.max(1, sizeOf(units.length));
  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!;
    if (current.length >= limit || (current.length > 0 && current[0]!.fold !== unit.fold)) {
      chunks.push(current);
      current = [];
      limit = Math.max(1, sizeOf(units.length - i));
    }
    current.push(unit);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Rows of a run: resumed and new, by key, with the progress, the fold bookkeeping and the
 * checkpoint callback. `add` returns the test units that became ready (walk-forward).
 */
export class RowBook {
  readonly #prepared: PreparedSweep;
  readonly #options: ExecuteOptions;
  readonly #byKey = new Map<string, SweepRow>();
  readonly #planned = new Set<string>();
  readonly #remainingByFold = new Map<number, number>();
  readonly #testsScheduled = new Set<number>();
  readonly #workers = new Set<string>();
  readonly #started = performance.now();
  /** Resumed test rows by key (a test unit is known only once its fold's best is). */
  readonly #resumedTests: Map<string, SweepRow>;
  /** Units to run, plus one test per walk-forward fold. */
  readonly total: number;
  readonly cache: IndicatorCacheStats = { hits: 0, misses: 0, evictions: 0 };
  /** Rows finished by this run (not resumed). */
  #newDone = 0;
  /** Folds without an eligible train row: no test to run. */
  #skippedTests = 0;

  constructor(prepared: PreparedSweep, options: ExecuteOptions) {
    this.#prepared = prepared;
    this.#options = options;
    this.total = prepared.units.length + (prepared.folds?.length ?? 0);
    for (const unit of prepared.units) this.#planned.add(unit.key);
    for (const fold of prepared.folds ?? []) this.#remainingByFold.set(fold.fold, prepared.combinations.length);
    const resumed = new Map((options.resume ?? []).map((row) => [row.key, row]));
    for (const unit of prepared.units) {
      const row = resumed.get(unit.key);
      if (row !== undefined) this.#record({ ...row, index: unit.index, combination: unit.combination, fold: unit.fold, segment: unit.segment }, true);
    }
    this.#resumedTests = new Map([...resumed.values()].filter((r) => r.segment === 'test').map((r) => [r.key, r]));
  }

  /** The units still to run, in order. */
  pendingUnits(): WorkUnit[] {
    return this.#prepared.units.filter((u) => !this.#byKey.has(u.key));
  }

  /** Units done (resumed ones included), folds without a test counted as done. */
  get done(): number {
    return this.#byKey.size + this.#skippedTests;
  }

  #record(row: SweepRow, resumed: boolean): boolean {
    if (this.#byKey.has(row.key)) return false;
    this.#byKey.set(row.key, row);
    if (!resumed) {
      this.#newDone++;
      this.#workers.add(row.worker);
    }
    if (row.segment === 'train' && row.fold !== null) this.#remainingByFold.set(row.fold, (this.#remainingByFold.get(row.fold) ?? 1) - 1);
    return true;
  }

  /**
   * Records rows as they arrive (a row seen before, by key, is ignored: every result counts once)
   * and returns the test units that became ready.
   */
  add(rows: readonly SweepRow[]): WorkUnit[] {
    const fresh = rows.filter((row) => (this.#planned.has(row.key) || row.segment === 'test') && this.#record(row, false));
    if (fresh.length > 0) this.#options.onRows?.(fresh);
    const ready = this.#readyTests();
    this.#report();
    return ready;
  }

  /** Test units of folds whose train rows are all in, not yet scheduled; resumed tests are taken as they are. */
  readyTests(): WorkUnit[] {
    const ready = this.#readyTests();
    this.#report();
    return ready;
  }

  #readyTests(): WorkUnit[] {
    const ready: WorkUnit[] = [];
    for (const fold of this.#prepared.folds ?? []) {
      if (this.#testsScheduled.has(fold.fold) || (this.#remainingByFold.get(fold.fold) ?? 0) > 0) continue;
      this.#testsScheduled.add(fold.fold);
      const best = selectBest(this.trainRows(fold), this.#prepared.objective);
      if (best === null) {
        this.#skippedTests++;
        continue;
      }
      const unit = testUnitOf(this.#prepared.specHash, fold, best);
      const resumed = this.#resumedTests.get(unit.key);
      if (resumed !== undefined) {
        this.#record({ ...resumed, index: unit.index }, true);
        continue;
      }
      ready.push(unit);
    }
    return ready;
  }

  /** True when a fold's test row is in, or the fold had no eligible combination to test. */
  foldComplete(fold: number): boolean {
    if ((this.#remainingByFold.get(fold) ?? 0) > 0) return false;
    for (const row of this.#byKey.values()) if (row.segment === 'test' && row.fold === fold) return true;
    const spec = this.#prepared.folds?.find((f) => f.fold === fold);
    return spec !== undefined && selectBest(this.trainRows(spec), this.#prepared.objective) === null;
  }

  /** The train rows of a fold, in combination order. */
  trainRows(fold: WalkForwardSplit): SweepRow[] {
    const rows: SweepRow[] = [];
    for (const row of this.#byKey.values()) if (row.segment === 'train' && row.fold === fold.fold) rows.push(row);
    return rows.sort((a, b) => a.index - b.index);
  }

  /** Adds a chunk's indicator-cache counts. */
  addCache(stats: IndicatorCacheStats): void {
    this.cache.hits += stats.hits;
    this.cache.misses += stats.misses;
    this.cache.evictions += stats.evictions;
  }

  #report(): void {
    const elapsedMs = performance.now() - this.#started;
    const rate = this.#newDone === 0 ? Number.NaN : this.#newDone / (elapsedMs / 1000);
    const remaining = this.total - this.done;
    this.#options.onProgress?.({
      done: this.done,
      total: this.total,
      elapsedMs,
      ratePerSecond: rate,
      etaMs: Number.isFinite(rate) && rate > 0 ? (remaining / rate) * 1000 : remaining === 0 ? 0 : Number.NaN,
    });
  }

  /** Reports the starting point (resumed rows). */
  start(): void {
    this.#report();
  }

  /** The outcome of the run. */
  outcome(complete: boolean): ExecutionOutcome {
    const rows = [...this.#byKey.values()];
    const order = (r: SweepRow) => (r.segment === 'test' ? 1 : 0);
    rows.sort((a, b) => order(a) - order(b) || a.index - b.index);
    return { rows, complete, cache: { ...this.cache }, workers: [...this.#workers].sort() };
  }
}
