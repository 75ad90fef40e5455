import { existsSync } from 'node:fs';
import type { BarSeries, Fill, Trade } from '@algo-trading/core';
import type { RecordRunInput } from '@algo-trading/store';
import type { SweepResult, SweepRow } from '@algo-trading/sweep';
import type { CommandContext } from '../context';
import { UsageError } from '../exit-codes';
import type { EquityCurveData } from '../output/csv';
import type { RunResults } from '../output/results-file';
import { medianSpacing, type BenchmarkResults } from '../pipeline/benchmark';
import type { RunManifest } from '../report/manifest';
import { loadStoreModule, openCliStore, storeAccess, type StoreModule } from './access';

/**
 * Run recording: every backtest, walk-forward, demo and sweep is indexed in the store when its
 * database file exists (never creating one), with its id, configuration and data hashes, code
 * version, parameters, metrics, trades, fills and equity curve. The run folder stays the full
 * record; the store makes the numbers queryable (`algo-trading runs ...`).
 *
 * A run that cannot be recorded (a store locked past its timeout, a corrupt file) still succeeds:
 * its results are written, and a warning says it was not recorded and why.
 */

/** The options of a run command that concern recording. */
export interface RecordFlags {
  /** `--db`: the store file (default `store.path` of the configuration). */
  readonly db?: string | undefined;
  /** false with `--no-record`. */
  readonly record?: boolean | undefined;
}

/** What recording did, as printed and as the `record` field of `--json`. */
export type RecordOutcome =
  | { readonly status: 'recorded'; readonly store: string; readonly ids: readonly string[] }
  | { readonly status: 'skipped'; readonly store: string; readonly reason: 'disabled' | 'no store' }
  | { readonly status: 'failed'; readonly store: string; readonly error: string };

/**
 * Checks, before a run starts, that an explicit `--db` exists when the run is to be recorded:
 * runs are recorded only into an existing store, and a named one that is missing is a mistake
 * to report now rather than after the run.
 *
 * @throws UsageError naming the file.
 */
export function checkRecordTarget(ctx: Pick<CommandContext, 'config' | 'resolvePath'>, flags: RecordFlags): void {
  if (flags.db === undefined || flags.record === false || !ctx.config.store.record_runs) return;
  const path = storeAccess(ctx, flags.db).path;
  if (!existsSync(path)) {
    throw new UsageError(
      `--db ${flags.db}: there is no store database at ${path} to record the run in; create it first (\`algo-trading runs init --db ${flags.db}\`), or pass --no-record`,
    );
  }
}

/**
 * Records the runs `build` describes in the store, in one transaction, when recording is on
 * (`--no-record` and `store.record_runs: false` turn it off) and the store file exists. Writes a
 * warning on stderr when recording failed, and never throws for it: the run's results are
 * already written. {@link recordedLine} says where the runs went.
 */
export async function recordInStore(
  ctx: CommandContext,
  flags: RecordFlags,
  build: (store: StoreModule) => RecordRunInput[] | Promise<RecordRunInput[]>,
): Promise<RecordOutcome> {
  const access = storeAccess(ctx, flags.db);
  if (flags.record === false || !ctx.config.store.record_runs) return { status: 'skipped', store: access.path, reason: 'disabled' };
  if (!existsSync(access.path)) {
    ctx.logger.debug({ store: access.path }, `not recorded: there is no store at ${access.path}`);
    return { status: 'skipped', store: access.path, reason: 'no store' };
  }
  let outcome: RecordOutcome;
  try {
    const module = await loadStoreModule();
    const inputs = await build(module);
    const store = await openCliStore(access, { logger: ctx.logger, what: 'recording the run' });
    try {
      outcome = { status: 'recorded', store: access.path, ids: await store.recordRuns(inputs) };
    } finally {
      await store.close();
    }
  } catch (error) {
    outcome = { status: 'failed', store: access.path, error: (error as Error)?.message ?? String(error) };
  }
  if (outcome.status === 'failed') {
    ctx.io.stderr.write(`algo-trading: WARNING: the run was not recorded in the store ${outcome.store}: ${outcome.error}\n`);
    ctx.logger.warn({ store: outcome.store, error: outcome.error }, 'the run was not recorded in the store');
  } else if (outcome.status === 'recorded') {
    ctx.logger.info({ store: outcome.store, runs: outcome.ids.length, id: outcome.ids[0] }, 'recorded in the store');
  }
  return outcome;
}

/** The line a run prints under its results when it was recorded; undefined otherwise. */
export function recordedLine(outcome: RecordOutcome | null): string | undefined {
  if (outcome?.status !== 'recorded') return undefined;
  const [first] = outcome.ids;
  return outcome.ids.length === 1
    ? `Recorded as run ${first} in ${outcome.store}`
    : `Recorded ${outcome.ids.length} runs (${first} .. ${outcome.ids.at(-1)}) in ${outcome.store}`;
}

/** The timeframe of bars from their median spacing (`1d` for daily bars with weekend gaps), if regular. */
export function timeframeOf(store: Pick<StoreModule, 'timeframeFromSpacing'>, time: ArrayLike<number>): string | undefined {
  return time.length < 2 ? undefined : store.timeframeFromSpacing(medianSpacing(time));
}

/** Numbers only, by name (the metrics of a run are a record of mixed values). */
function numbers(record: Readonly<Record<string, unknown>>, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(record)) if (typeof value === 'number') out[prefix + key] = value;
  return out;
}

/** The benchmark's own figures as `benchmark.<name>`, and the strategy against it (alpha, beta, ...). */
function benchmarkMetrics(benchmark: Pick<BenchmarkResults, 'metrics' | 'relative'> | undefined): Record<string, number> {
  if (benchmark === undefined) return {};
  return { ...numbers({ ...benchmark.metrics }, 'benchmark.'), ...numbers({ ...benchmark.relative }) };
}

/** What a recorded run is made of, whatever command produced it. */
export interface RunRecordSource {
  readonly command: string;
  readonly title: string;
  readonly strategy: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Record<string, unknown>>;
  readonly benchmark?: Pick<BenchmarkResults, 'metrics' | 'relative'> | undefined;
  readonly manifest: RunManifest;
  readonly config: unknown;
  /** Where the bars came from: a file, `sample:sp500`, `store:SPY@1d`. */
  readonly source: string;
  readonly symbol: string | undefined;
  /** The bars the run covers (their first and last times and their count are recorded). */
  readonly time: ArrayLike<number>;
  /** Known for bars from the store; otherwise inferred from the spacing of `time`. */
  readonly timeframe?: string | undefined;
  readonly trades: readonly Trade[];
  readonly fills: readonly Fill[];
  readonly equityCurve: EquityCurveData;
  /** The run folder (`--out`), when one was written. */
  readonly folder?: string | undefined;
}

/** The store record of a run (see {@link RunRecordSource}), under a new id. */
export function runRecord(store: Pick<StoreModule, 'isValidSymbol' | 'newRunId' | 'timeframeFromSpacing'>, run: RunRecordSource): RecordRunInput {
  const n = run.time.length;
  const timeframe = run.timeframe ?? timeframeOf(store, run.time);
  return {
    // The id starts with the run's time (the manifest's), so that ids sort as the runs were made.
    id: store.newRunId(new Date(run.manifest.createdAt)),
    command: run.command,
    createdAt: run.manifest.createdAt,
    title: run.title,
    strategy: run.strategy,
    configHash: run.manifest.configHash,
    dataHash: run.manifest.dataHash,
    codeVersion: `@algo-trading/cli@${run.manifest.packages['@algo-trading/cli'] ?? 'unknown'}`,
    ...(run.folder === undefined ? {} : { folder: run.folder }),
    dataSource: run.source,
    ...(run.symbol !== undefined && store.isValidSymbol(run.symbol) ? { symbols: [run.symbol] } : {}),
    ...(timeframe === undefined ? {} : { timeframe }),
    ...(n === 0 ? {} : { startTime: run.time[0]!, endTime: run.time[n - 1]! }),
    bars: n,
    config: run.config,
    parameters: { ...run.parameters, ...(run.manifest.seed === null ? {} : { seed: run.manifest.seed }) },
    metrics: { ...numbers(run.metrics), ...benchmarkMetrics(run.benchmark) },
    trades: run.trades,
    fills: run.fills,
    equityCurve: run.equityCurve,
  };
}

/**
 * The {@link RunRecordSource} of a backtest or demo (its `results.json` content). `symbol` is the
 * bars' own symbol (undefined for a file without one: the engine's placeholder name is not
 * recorded as a symbol).
 */
export function resultsRecordSource(
  results: RunResults,
  options: { readonly symbol: string | undefined; readonly folder?: string | undefined; readonly timeframe?: string | undefined },
): RunRecordSource {
  return {
    command: results.command,
    title: results.title,
    strategy: results.strategy.name,
    parameters: results.strategy.parameters,
    metrics: results.metrics,
    benchmark: results.benchmark,
    manifest: results.manifest,
    config: results.config,
    source: results.dataRange.source,
    symbol: options.symbol,
    time: results.equityCurve.time,
    timeframe: options.timeframe,
    trades: results.trades,
    fills: results.fills,
    equityCurve: results.equityCurve,
    folder: options.folder,
  };
}

/** Options of {@link sweepRecords}. */
export interface SweepRecordsOptions {
  /** The id of the sweep: each row is recorded as `<id>.<row number>`. */
  readonly id: string;
  readonly result: SweepResult;
  /** The rows as in sweep.csv: every combination (train rows of a walk-forward), then each fold's test row. */
  readonly rows: readonly SweepRow[];
  /** The bars of the sweep (for each row's time range). */
  readonly bars: BarSeries;
  readonly spec: unknown;
  readonly createdAt: string;
  readonly codeVersion: string;
  readonly folder: string;
  /** Known for bars from the store. */
  readonly timeframe?: string | undefined;
}

/**
 * One store record per row of a sweep, ids `<sweep id>.<row number>` (zero-padded, in the order
 * of sweep.csv), the spec hash as the configuration hash. A row that failed is recorded as
 * `failed` with its error. Sweeps keep no trades or curves per row.
 */
export function sweepRecords(store: Pick<StoreModule, 'isValidSymbol' | 'timeframeFromSpacing'>, options: SweepRecordsOptions): RecordRunInput[] {
  const { result, bars } = options;
  const width = String(Math.max(0, options.rows.length - 1)).length;
  const symbol = result.data.symbol;
  const timeframe = options.timeframe ?? timeframeOf(store, bars.time);
  const label = result.name ?? result.strategy.name;
  return options.rows.map((row, k) => {
    const params = Object.entries(row.params)
      .map(([name, value]) => `${name}=${String(value)}`)
      .join(' ');
    const segment = row.fold === null ? '' : ` (fold ${row.fold} ${row.segment})`;
    const last = Math.min(row.end, bars.length) - 1;
    return {
      id: `${options.id}.${String(k).padStart(width, '0')}`,
      command: 'sweep',
      createdAt: options.createdAt,
      ...(row.error === null ? {} : { status: 'failed' as const, error: `${row.error.code}: ${row.error.message}` }),
      title: `${label}: ${params}${segment}`,
      strategy: result.strategy.name,
      configHash: result.specHash,
      dataHash: result.data.hash,
      codeVersion: options.codeVersion,
      folder: options.folder,
      dataSource: result.data.source,
      ...(symbol !== undefined && store.isValidSymbol(symbol) ? { symbols: [symbol] } : {}),
      ...(timeframe === undefined ? {} : { timeframe }),
      ...(last >= row.start ? { startTime: bars.time[row.start]!, endTime: bars.time[last]! } : {}),
      bars: Math.max(0, last - row.start + 1),
      config: options.spec,
      parameters: { ...row.params, ...(row.fold === null ? {} : { fold: row.fold, segment: row.segment }) },
      metrics: { ...(row.metrics ?? {}), ...(row.tradeCount === null ? {} : { tradeCount: row.tradeCount }) },
    };
  });
}
