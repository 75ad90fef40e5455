import { getSignalStatistics } from '@algo-trading/strategies';
import type { AppConfig } from '../config/schema';
import { jsonReplacer, type CommandContext } from '../context';
import { OutputSet } from '../output/atomic-write';
import { renderComparisonTable } from '../output/benchmark-table';
import { toCsv } from '../output/csv';
import { headlineRows, type HeadlineMetrics } from '../output/summary-table';
import { cell, renderTextTable } from '../output/text-table';
import type { BenchmarkResults } from '../pipeline/benchmark';
import type { FoldRow } from '../pipeline/fold-report';
import { configForData, loadBars, type LoadedBars } from '../pipeline/load-data';
import { runWarnings } from '../pipeline/run-warnings';
import { runMlOutOfSample, signalOnlyOverall, type MlOutOfSample } from '../pipeline/ml-backtest';
import { headlineFromResults, numericMetrics } from '../pipeline/run-results';
import { buildManifest, type RunManifest } from '../report/manifest';
import { storeAccess } from '../store/access';
import { checkRecordTarget, recordInStore, recordedLine, runRecord, type RecordFlags } from '../store/record';
import { checkpoint } from '../yield';

/** Options of `algo-trading walk-forward`. */
export interface WalkForwardCommandOptions extends RecordFlags {
  readonly data: string;
  /** `--sort-unordered`: sort data rows out of time order instead of failing. */
  readonly sortUnordered?: boolean | undefined;
  readonly folds: number;
  readonly epochs: number;
  readonly seed: number;
  readonly out?: string | undefined;
  readonly json?: boolean | undefined;
  /** `--benchmark`: a CSV file, `sample:<name>` or `store:SYMBOL@TIMEFRAME` to buy and hold as the benchmark (default: the data itself). */
  readonly benchmark?: string | undefined;
}

/**
 * What `walk-forward` reports: one row per fold and the out-of-sample totals, every performance
 * figure from one engine run (configured risk manager, sizer and costs) over the test windows.
 */
export interface WalkForwardSummary {
  /** Where the bars came from, and their symbol. */
  readonly source: string;
  readonly symbol: string;
  readonly folds: readonly FoldRow[];
  /** The engine's headline over all test windows (the product of 1 + each fold's return, minus 1). */
  readonly overall: HeadlineMetrics & { readonly exposure: number; readonly accuracy: number; readonly testRows: number };
  /** Buy and hold over the test windows (or `--benchmark`), and the strategy against it; without its equity curve. */
  readonly benchmark: Omit<BenchmarkResults, 'equity'>;
  /** What a reader must know before trusting the figures (see `runWarnings`). */
  readonly warnings: readonly string[];
  /** The threshold search's own figures over the test windows, labelled signal-only. */
  readonly signalOnly: Readonly<Record<string, unknown>>;
  readonly manifest: RunManifest;
}

/** Columns of the fold table, as printed and in folds.csv. */
export const FOLD_COLUMNS = [
  'fold',
  'train',
  'test',
  'trainedRows',
  'threshold',
  'thresholdSource',
  'accuracy',
  'trades',
  'totalReturn',
  'sharpeRatio',
  'maxDrawdown',
  'exposure',
  'signalOnlyReturn',
] as const satisfies readonly (keyof FoldRow)[];

const PERCENT_COLUMNS: ReadonlySet<string> = new Set(['accuracy', 'totalReturn', 'maxDrawdown', 'exposure', 'signalOnlyReturn']);

/** The printed header: `signal-only*` points to the footnote that says what it is. */
const PRINTED_HEADER = FOLD_COLUMNS.map((c) =>
  c === 'signalOnlyReturn' ? 'signal-only*' : c === 'totalReturn' ? 'return' : c === 'sharpeRatio' ? 'sharpe' : c === 'maxDrawdown' ? 'max dd' : c,
);

/** One fold as printed cells: percentages for fractions, 3 decimals for the threshold. */
export function foldCells(row: FoldRow): string[] {
  return FOLD_COLUMNS.map((k) => {
    const v = row[k];
    if (typeof v === 'string') return v;
    if (PERCENT_COLUMNS.has(k)) return `${cell(v * 100, 2)}%`;
    if (k === 'threshold') return cell(v, 3);
    return Number.isInteger(v) ? String(v) : cell(v, 2);
  });
}

function withoutEquity(benchmark: BenchmarkResults): Omit<BenchmarkResults, 'equity'> {
  const { equity: _equity, ...rest } = benchmark;
  return rest;
}

/** A walk-forward's summary with what it ran on and the engine run behind its figures. */
export interface WalkForwardRun {
  readonly summary: WalkForwardSummary;
  readonly data: LoadedBars;
  /** The configuration the run used (the sample's lot size applied, see `configForData`). */
  readonly config: AppConfig;
  readonly oos: MlOutOfSample;
}

/** Runs the walk-forward and the engine over its test windows (no output, no printing). */
export async function computeWalkForward(ctx: CommandContext, options: WalkForwardCommandOptions): Promise<WalkForwardRun> {
  const store = storeAccess(ctx, options.db);
  const data = await loadBars(options.data, ctx.resolvePath, ctx.logger, { sortUnordered: options.sortUnordered, store, command: 'walk-forward' });
  const { bars, source } = data;
  const config = configForData(ctx.config, data, { configFile: ctx.configFile !== undefined, logger: ctx.logger });
  const benchmarkData =
    options.benchmark === undefined ? undefined : await loadBars(options.benchmark, ctx.resolvePath, ctx.logger, { store, option: '--benchmark', command: 'walk-forward' });
  const oos = await runMlOutOfSample({
    benchmarkData,
    bars,
    config,
    folds: options.folds,
    epochs: options.epochs,
    seed: options.seed,
    logger: ctx.logger,
    engineLogger: ctx.engineLogger,
    progress: ctx.progress,
  });
  const overall = oos.walkForward.result.overall;
  const summary: WalkForwardSummary = {
    source,
    symbol: oos.run.results.symbol,
    folds: oos.folds,
    overall: {
      ...headlineFromResults(oos.run.results),
      exposure: oos.run.results.exposure,
      accuracy: overall.accuracy,
      testRows: overall.testRows,
    },
    benchmark: withoutEquity(oos.benchmark),
    signalOnly: signalOnlyOverall(overall),
    warnings: runWarnings({
      bars: oos.oosBars,
      config,
      fills: oos.run.fills,
      rejections: oos.run.rejections,
      trades: oos.run.trades.length,
      openPositions: oos.run.openPositions.length,
      buySignals: getSignalStatistics(oos.signals).buySignals,
    }),
    manifest: buildManifest({
      config,
      bars,
      seed: options.seed,
      argv: ctx.argv,
      notes: { 'tfjs backend': oos.walkForward.backend.backend },
    }),
  };
  return { summary, data, config, oos };
}

/** Writes folds.csv and walk-forward.json into `dir` atomically; returns the paths. */
export function writeWalkForwardOutputs(dir: string, summary: WalkForwardSummary): string[] {
  const out = new OutputSet(dir);
  out.add('folds.csv', toCsv(FOLD_COLUMNS, summary.folds.map((f) => FOLD_COLUMNS.map((k) => f[k]))));
  out.add('walk-forward.json', `${JSON.stringify(summary, jsonReplacer, 2)}\n`);
  return out.commit();
}

/** The text `walk-forward` prints: the fold table, the totals and what signal-only means. */
export function renderWalkForward(summary: WalkForwardSummary): string {
  const o = summary.overall;
  const totals = headlineRows(o)
    .filter(([label]) => ['Total return', 'CAGR', 'Sharpe ratio', 'Max drawdown', 'Trades'].includes(label))
    .map(([label, value]) => `${label.toLowerCase()} ${value}`)
    .join(', ');
  const signalOnlyReturn = summary.signalOnly['totalReturn'];
  return [
    `Walk-forward on ${summary.symbol}: ${summary.folds.length} folds, out of sample. Returns, Sharpe, drawdown, trades and exposure come from one engine run over the test windows with the configured risk manager, sizing, commission and slippage.`,
    '',
    renderTextTable(PRINTED_HEADER, summary.folds.map(foldCells)).trimEnd(),
    `* signal-only: what the threshold search optimizes, NOT a backtest: fully invested while the signals say long, close to close, costs per side, no risk manager, sizing or stops${typeof signalOnlyReturn === 'number' ? ` (all test windows: ${cell(signalOnlyReturn * 100, 2)}%)` : ''}.`,
    '',
    `Out of sample (engine): ${totals}, exposure ${cell(o.exposure * 100, 2)}%, accuracy ${cell(o.accuracy * 100, 2)}% over ${o.testRows} bars. The fold returns compound to the total: prod(1 + return) - 1.`,
    '',
    renderComparisonTable(o, summary.benchmark).trimEnd(),
    ...summary.warnings.map((w) => `WARNING: ${w}`),
  ].join('\n');
}

/**
 * `algo-trading walk-forward`: out-of-sample evaluation of the ML strategy. Per fold a fresh
 * TensorFlow.js classifier is trained and its threshold chosen on the validation tail of the
 * training window; the test windows' signals are then backtested in one engine run with the
 * configured risk manager, sizer and costs, and the fold table is cut from that run. Prints the
 * table and the totals (or JSON); with `--out`, writes folds.csv and walk-forward.json.
 */
export async function runWalkForwardCommand(ctx: CommandContext, options: WalkForwardCommandOptions): Promise<WalkForwardSummary> {
  checkRecordTarget(ctx, options);
  const { summary, data, config, oos } = await computeWalkForward(ctx, options);
  await checkpoint(); // a SIGINT that arrived during the run stops it before anything is written
  const outDir = options.out === undefined ? undefined : ctx.resolvePath(options.out);
  const files = outDir === undefined ? [] : writeWalkForwardOutputs(outDir, summary);
  const record = await recordInStore(ctx, options, (module) => [
    runRecord(module, {
      command: 'walk-forward',
      title: `ML walk-forward on ${summary.symbol} (${summary.folds.length} folds, out of sample)`,
      strategy: 'MLPredictionStrategy',
      parameters: { folds: options.folds, epochs: options.epochs, 'strategy.confidence_threshold': config.strategy.confidence_threshold },
      metrics: { ...numericMetrics(oos.run.results), accuracy: summary.overall.accuracy },
      benchmark: oos.benchmark,
      manifest: summary.manifest,
      config,
      source: summary.source,
      symbol: data.bars.symbol,
      time: oos.oosBars.time,
      timeframe: data.timeframe,
      trades: oos.run.trades,
      fills: oos.run.fills,
      equityCurve: oos.run.curve,
      folder: outDir,
    }),
  ]);
  ctx.printJson({ ok: true, ...summary, files, record });
  ctx.print(renderWalkForward(summary));
  if (files.length > 0) ctx.print(`Written: ${files.join(', ')}`);
  const recorded = recordedLine(record);
  if (recorded !== undefined) ctx.print(recorded);
  return summary;
}
