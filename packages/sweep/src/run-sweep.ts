import { silentLogger } from '@algo-trading/core';
import { deflatedSharpeRatio, returnsFromEquity } from '@algo-trading/metrics';
import type { DataRef } from './data/data-source';
import type { ExecuteOptions, ExecutionOutcome } from './execution';
import { SweepPool, resolveWorkerCount } from './local/pool';
import { runLocal } from './local/run-local';
import { prepareSweep, type PrepareSweepOptions, type PreparedSweep } from './prepare';
import { checkRedis, type QueueConnectionOptions } from './queue/connection';
import { runQueued, type QueueRunOptions } from './queue/producer';
import type { SweepRow } from './results/row';
import { isEligible, neighbourhoodStability, objectiveValue, selectBest, type NeighbourhoodStability } from './results/summary';
import { Evaluator } from './run/evaluator';
import { LruIndicatorCache, type IndicatorCacheStats } from './run/indicator-cache';
import { workerId } from './run/task';
import type { SweepObjective } from './spec/schema';

/** Options of {@link runSweep}. */
export interface RunSweepOptions extends PrepareSweepOptions, ExecuteOptions {
  /** Local worker threads: a number or `auto` (the machine's available parallelism, the default). Ignored with `queue`. */
  readonly workers?: number | 'auto' | undefined;
  /** Run on a BullMQ queue instead: the jobs go to Redis and `startSweepWorker` processes on any machine take them. */
  readonly queue?: QueueRunOptions | undefined;
  /** Byte budget of each worker's indicator cache (default 256 MiB). */
  readonly indicatorCacheBytes?: number | undefined;
}

/** One walk-forward fold: the combination chosen on its train window and its test run. */
export interface FoldResult {
  readonly fold: number;
  readonly trainStart: number;
  readonly trainEnd: number;
  readonly testStart: number;
  readonly testEnd: number;
  /** First and last bar times of the windows (ISO 8601). */
  readonly trainPeriod: readonly [string, string];
  readonly testPeriod: readonly [string, string];
  /** The best train row (by the objective), or null when no combination was eligible. */
  readonly best: SweepRow | null;
  /** The chosen combination run on the test window (out of sample), or null. */
  readonly test: SweepRow | null;
}

/** Out-of-sample figures of a walk-forward sweep. */
export interface OutOfSampleSummary {
  readonly folds: number;
  /** Folds with a test run. */
  readonly tested: number;
  /** Mean and median objective over the test runs. */
  readonly meanObjective: number;
  readonly medianObjective: number;
  /** Mean objective of the chosen combinations on their train windows. */
  readonly meanTrainObjective: number;
  /** meanObjective / meanTrainObjective when the train mean is positive (walk-forward efficiency), else NaN. */
  readonly efficiency: number;
}

/** The sweep's headline statistics. */
export interface SweepSummary {
  /** The best row over the whole sweep (not walk-forward), or null. */
  readonly best: SweepRow | null;
  /** Number of trials behind the selection: the sweep's size (combinations). */
  readonly trials: number;
  /** Rows that ran without error. */
  readonly evaluated: number;
  /** Rows that could be chosen (no error, enough trades, finite objective). */
  readonly eligible: number;
  /** Rows that threw. */
  readonly errors: number;
  /** Variance of the annualized Sharpe ratios over the rows that ran. */
  readonly sharpeVariance: number;
  /** Deflated Sharpe ratio of the best row given `trials` and `sharpeVariance` (NaN when not computable). */
  readonly deflatedSharpe: number;
  /** How the objective holds up around the best combination. */
  readonly neighbourhood: NeighbourhoodStability | null;
  /** Walk-forward only. */
  readonly outOfSample: OutOfSampleSummary | null;
}

/** The result of a sweep: what the CLI writes to its results file and `runSweep` returns. */
export interface SweepResult {
  readonly name: string | null;
  readonly specHash: string;
  /** Strategy as written in the spec and its name. */
  readonly strategy: { readonly specifier: string; readonly name: string };
  readonly data: DataRef & { readonly start: string; readonly end: string };
  readonly objective: SweepObjective;
  readonly parameterNames: readonly string[];
  readonly metricNames: readonly string[];
  /** Number of combinations in the parameter space. */
  readonly combinations: number;
  /** One row per combination (walk-forward: per fold and combination, on the train windows), in order. */
  readonly rows: readonly SweepRow[];
  /** Walk-forward folds, or null. */
  readonly folds: readonly FoldResult[] | null;
  /** False when the run was stopped (abort) before every combination ran. */
  readonly complete: boolean;
  readonly summary: SweepSummary;
  readonly stats: {
    readonly elapsedMs: number;
    /** `local` (threads) or `queue`. */
    readonly mode: 'local' | 'queue';
    /** Threads of a local run. */
    readonly threads: number | null;
    /** Distinct workers that produced rows in this run. */
    readonly workers: readonly string[];
    readonly indicatorCache: IndicatorCacheStats;
  };
}

function isoOf(time: number | undefined): string {
  return time === undefined || !Number.isFinite(time) ? '' : new Date(time).toISOString();
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1);
}

/** The deflated Sharpe ratio of the best row: re-runs it here for its returns. */
async function deflatedSharpeOf(prepared: PreparedSweep, best: SweepRow, trials: number, sharpeVariance: number): Promise<number> {
  const evaluator = new Evaluator({
    bars: prepared.data.bars,
    strategy: prepared.strategy,
    runOptions: prepared.runOptions,
    cache: new LruIndicatorCache(prepared.cacheBytes),
    worker: workerId(),
  });
  const run = await evaluator.run(best, { keepEquity: true });
  if (run.equity === null || run.equity.length < 3 || run.row.metrics === null) return Number.NaN;
  const engine = prepared.runOptions.engine;
  const returns = returnsFromEquity(run.equity, { initialValue: run.row.metrics['initialCapital'] ?? (engine['initialCapital'] as number) });
  const riskFree = engine['riskFree'];
  const annualRiskFree = engine['annualRiskFree'];
  return deflatedSharpeRatio(returns, {
    trials,
    sharpeVariance,
    periodsPerYear: run.row.metrics['periodsPerYear'] ?? 252,
    ...(typeof riskFree === 'number' ? { riskFree } : {}),
    ...(typeof annualRiskFree === 'number' ? { annualRiskFree } : {}),
  });
}

/** Assembles the {@link SweepResult} of an execution. */
export async function buildSweepResult(
  prepared: PreparedSweep,
  outcome: ExecutionOutcome,
  stats: { elapsedMs: number; mode: 'local' | 'queue'; threads: number | null },
): Promise<SweepResult> {
  const objective = prepared.objective;
  const rows = outcome.rows.filter((r) => r.segment !== 'test');
  const tests = new Map(outcome.rows.filter((r) => r.segment === 'test').map((r) => [r.fold, r]));
  const bars = prepared.data.bars;
  const time = (i: number) => isoOf(bars.time[i]);
  let folds: FoldResult[] | null = null;
  if (prepared.folds !== null) {
    folds = prepared.folds.map((f) => {
      const train = rows.filter((r) => r.fold === f.fold);
      const complete = train.length === prepared.combinations.length;
      return {
        fold: f.fold,
        trainStart: f.trainStart,
        trainEnd: f.trainEnd,
        testStart: f.testStart,
        testEnd: f.testEnd,
        trainPeriod: [time(f.trainStart), time(f.trainEnd - 1)],
        testPeriod: [time(f.testStart), time(f.testEnd - 1)],
        best: complete ? selectBest(train, objective) : null,
        test: tests.get(f.fold) ?? null,
      };
    });
  }
  const evaluated = rows.filter((r) => r.error === null);
  const sharpes = evaluated.map((r) => r.metrics?.['sharpeRatio'] ?? Number.NaN).filter(Number.isFinite);
  const sharpeVariance = sampleVariance(sharpes);
  const trials = prepared.combinations.length;
  let best: SweepRow | null = null;
  let deflatedSharpe = Number.NaN;
  let neighbourhood: NeighbourhoodStability | null = null;
  let outOfSample: OutOfSampleSummary | null = null;
  if (folds === null) {
    best = selectBest(rows, objective);
    if (best !== null) {
      neighbourhood = neighbourhoodStability(rows, best, objective);
      deflatedSharpe = await deflatedSharpeOf(prepared, best, trials, sharpeVariance);
    }
  } else {
    const tested = folds.filter((f) => f.test !== null && f.test.error === null);
    const testValues = tested.map((f) => objectiveValue(f.test!, objective)).filter(Number.isFinite);
    const trainValues = tested.map((f) => objectiveValue(f.best!, objective)).filter(Number.isFinite);
    const trainMean = mean(trainValues);
    outOfSample = {
      folds: folds.length,
      tested: tested.length,
      meanObjective: mean(testValues),
      medianObjective: median(testValues),
      meanTrainObjective: trainMean,
      efficiency: trainMean > 0 ? mean(testValues) / trainMean : Number.NaN,
    };
  }
  return {
    name: prepared.spec.name ?? null,
    specHash: prepared.specHash,
    strategy: { specifier: prepared.strategyRef.specifier, name: prepared.strategy.name },
    data: { ...prepared.data.ref, start: time(0), end: time(bars.length - 1) },
    objective,
    parameterNames: prepared.parameters.map((p) => p.name),
    metricNames: prepared.metricNames,
    combinations: prepared.combinations.length,
    rows,
    folds,
    complete: outcome.complete,
    summary: {
      best,
      trials,
      evaluated: evaluated.length,
      eligible: rows.filter((r) => isEligible(r, objective)).length,
      errors: rows.length - evaluated.length,
      sharpeVariance,
      deflatedSharpe,
      neighbourhood,
      outOfSample,
    },
    stats: { ...stats, workers: outcome.workers, indicatorCache: outcome.cache },
  };
}

/**
 * Runs a prepared sweep locally (worker threads) or on a queue, and builds its result.
 * See {@link runSweep}.
 */
export function executeSweep(
  prepared: PreparedSweep,
  options: Omit<RunSweepOptions, Exclude<keyof PrepareSweepOptions, 'logger'>>,
): Promise<SweepResult> {
  return execute(prepared, options, undefined);
}

/** {@link executeSweep}, on a pool started beforehand (local runs) when one is given. */
async function execute(
  prepared: PreparedSweep,
  options: Omit<RunSweepOptions, Exclude<keyof PrepareSweepOptions, 'logger'>>,
  pool: SweepPool | undefined,
): Promise<SweepResult> {
  const started = performance.now();
  const logger = options.logger ?? silentLogger;
  if (options.queue !== undefined) {
    const outcome = await runQueued(prepared, { ...options, ...options.queue, logger });
    return buildSweepResult(prepared, outcome, { elapsedMs: performance.now() - started, mode: 'queue', threads: null });
  }
  const threads = pool?.threads ?? resolveWorkerCount(options.workers);
  const outcome = await runLocal(prepared, { ...options, threads, pool, logger });
  return buildSweepResult(prepared, outcome, { elapsedMs: performance.now() - started, mode: 'local', threads });
}

/**
 * Runs a parameter sweep: validates the spec and everything it names before any work starts
 * ({@link prepareSweep}; with `queue`, Redis is reached first), runs every combination on a pool
 * of worker threads or through a BullMQ queue, and returns one row per combination with every
 * metric, plus the best row, its neighbourhood stability and its deflated Sharpe ratio (or the
 * walk-forward folds). The rows are the same, in the same order, whatever the number of workers.
 * A combination that throws is a row with its error; an abort (`signal`) returns the rows
 * finished so far with `complete: false`.
 *
 * @example
 * const result = await runSweep({
 *   spec: {
 *     strategy: '@algo-trading/strategies#smaCross',
 *     parameters: { fast: { from: 5, to: 50, step: 5 }, slow: [50, 100, 200] },
 *     constraints: ['fast < slow'],
 *     data: 'sample:sp500',
 *     engine: { initialCapital: 100_000, commissionPct: 0.001 },
 *     objective: 'sharpeRatio',
 *   },
 *   workers: 2,
 * });
 * result.summary.best?.params; // { fast: 10, slow: 50 }, say
 */
export async function runSweep(options: RunSweepOptions): Promise<SweepResult> {
  const queue = options.queue;
  // A local run starts its threads first: they load their modules (a good part of a second of
  // CPU each) while this thread validates the spec and loads the data.
  const pool = queue === undefined ? new SweepPool(resolveWorkerCount(options.workers)) : undefined;
  let prepared: PreparedSweep;
  try {
    prepared = await prepareSweep({
      ...options,
      ...(queue === undefined ? {} : { beforeLoad: () => checkRedis(queue as QueueConnectionOptions) }),
    });
  } catch (error) {
    await pool?.destroy();
    throw error;
  }
  return execute(options.indicatorCacheBytes === undefined ? prepared : { ...prepared, cacheBytes: options.indicatorCacheBytes }, options, pool);
}
