import { basename } from 'node:path';
import type { BarSeries } from '@algo-trading/core';
import { MLPredictionStrategy, buildFeatures, getSignalStatistics, smaCrossSignals } from '@algo-trading/strategies';
import { loadClassifier } from '@algo-trading/strategies-tfjs';
import type { CommandContext } from '../context';
import type { StrategyChoice } from '../options';
import { UsageError } from '../exit-codes';
import { rejectedOrders, type RunResults } from '../output/results-file';
import { checkOutputFolder } from '../output/atomic-write';
import { renderComparisonTable } from '../output/benchmark-table';
import { renderSummaryTable } from '../output/summary-table';
import { renderSymbolTable } from '../output/symbol-table';
import { runBenchmark } from '../pipeline/benchmark';
import { runConfiguredBacktest } from '../pipeline/engine-run';
import { configForData, loadBars } from '../pipeline/load-data';
import { runMlBacktest } from '../pipeline/ml-backtest';
import { buildRunResults } from '../pipeline/run-results';
import { readSignalsCsv } from '../pipeline/signals-file';
import { ALL_RUN_OUTPUT_FILES, writeRunOutputs } from '../pipeline/write-run';
import { loadRunData } from '../pipeline/universe-run';
import { buildManifest } from '../report/manifest';
import { REPORT_THREAD_MIN_BARS, prepareReportThread } from '../report/render-thread';
import { storeAccess } from '../store/access';
import { checkRecordTarget, recordInStore, recordedLine, resultsRecordSource, runRecord, type RecordFlags, type RecordOutcome } from '../store/record';
import { checkpoint } from '../yield';

export { STRATEGY_CHOICES, type StrategyChoice } from '../options';

/** The output flags every backtest command shares. */
export interface RunOutputFlags {
  /** `--out`: the results folder. */
  readonly out?: string | undefined;
  /** false with `--no-report`: write every output but report.html. */
  readonly report?: boolean | undefined;
  readonly json?: boolean | undefined;
  /** `--benchmark`: a CSV file, `sample:<name>` or `store:SYMBOL@TIMEFRAME` to buy and hold as the benchmark (default: the data itself, or an equal-weight portfolio of a universe). */
  readonly benchmark?: string | undefined;
}

/** Options of `algo-trading backtest`. */
export interface BacktestCommandOptions extends RecordFlags, RunOutputFlags {
  readonly data: string;
  /** `--sort-unordered`: sort data rows out of time order instead of failing. */
  readonly sortUnordered?: boolean | undefined;
  readonly signals?: string | undefined;
  readonly strategy?: StrategyChoice | undefined;
  readonly fast: number;
  readonly slow: number;
  readonly model?: string | undefined;
  readonly folds: number;
  readonly epochs: number;
  readonly seed: number;
}

/**
 * What every run command prints with `--json`: the headline, every metric, the files written and
 * what recording in the store did (`record`: recorded with the run's id, skipped, or failed).
 */
export function runJson(results: RunResults, outDir: string | undefined, files: readonly string[], record: RecordOutcome | null = null): Record<string, unknown> {
  return {
    ok: true,
    command: results.command,
    title: results.title,
    strategy: results.strategy,
    summary: results.headline,
    metrics: results.metrics,
    dataRange: results.dataRange,
    trades: results.trades.length,
    fills: results.fills.length,
    rejections: rejectedOrders(results),
    openPositions: results.openPositions.length,
    manifest: results.manifest,
    benchmark: results.benchmark === undefined ? null : { ...results.benchmark, equity: undefined },
    warnings: results.warnings ?? [],
    ...(results.universe === undefined ? {} : { universe: results.universe }),
    outDir: outDir ?? null,
    files,
    record,
  };
}

/** Prints a run's warnings under its results (stdout, so `--quiet` keeps them) and logs them (log file). */
export function printWarnings(ctx: CommandContext, warnings: readonly string[]): void {
  for (const warning of warnings) {
    ctx.print(`WARNING: ${warning}`);
    ctx.engineLogger.warn(warning);
  }
}

/** Prints the run for people (summary table, where the files are) or as JSON. */
export function reportRun(ctx: CommandContext, results: RunResults, outDir: string | undefined, files: readonly string[], record: RecordOutcome | null = null): void {
  ctx.printJson(runJson(results, outDir, files, record));
  ctx.print(`\n${renderSummaryTable(results.headline, results.title)}`);
  if (results.benchmark !== undefined) ctx.print(renderComparisonTable(results.headline, results.benchmark));
  if (results.universe !== undefined) ctx.print(renderSymbolTable(results.universe));
  printWarnings(ctx, results.warnings ?? []);
  if (results.openPositions.length > 0) ctx.print(`Open at the end (marked at the last close): ${results.openPositions.length} position(s)`);
  if (outDir !== undefined) {
    ctx.print(`Results written to ${outDir}: ${files.map((f) => basename(f)).join(', ')}`);
    const report = files.find((f) => f.endsWith('report.html'));
    if (report !== undefined) ctx.print(`Report: ${report}`);
  }
  const recorded = recordedLine(record);
  if (recorded !== undefined) ctx.print(recorded);
}

async function modelSignals(ctx: CommandContext, bars: BarSeries, modelDir: string) {
  const model = await loadClassifier(ctx.resolvePath(modelDir), { logger: ctx.engineLogger });
  let output: Awaited<ReturnType<MLPredictionStrategy['generateSignals']>>;
  try {
    const features = buildFeatures(bars);
    const strategy = new MLPredictionStrategy({
      model,
      confidenceThreshold: ctx.config.strategy.confidence_threshold,
      featureColumns: [...features.columns],
      logger: ctx.logger,
    });
    output = await strategy.generateSignals(features);
  } finally {
    model.dispose();
  }
  ctx.logger.warn('signals come from a saved model: they are out of sample only for bars after its training data');
  return { signals: output.signals, confidences: output.confidences };
}

/**
 * `algo-trading backtest`: backtests a signals file, the SMA crossover or the ML strategy on the
 * data through the configured risk manager, sizer and engine; prints the summary table (or JSON)
 * and, with `--out`, writes results.json, trades.csv, fills.csv, equity.csv and report.html. Data
 * of several symbols (a folder of CSV files, a CSV file with a symbol column, `sample:stocks`,
 * `store:A,B`) runs as a universe (see `universeSignalsBacktest`) and also writes weights.csv and
 * positions.csv.
 */
export async function runBacktestCommand(ctx: CommandContext, options: BacktestCommandOptions): Promise<RunResults> {
  if (options.signals !== undefined && options.strategy !== undefined) {
    throw new UsageError('--signals and --strategy exclude each other: backtest a signals file, or let a strategy generate them');
  }
  const strategy: StrategyChoice = options.strategy ?? (ctx.config.strategy.type === 'SMACrossover' ? 'sma-cross' : 'ml');
  if (options.signals === undefined && strategy === 'sma-cross' && options.fast >= options.slow) {
    throw new UsageError(`--fast must be less than --slow, got --fast ${options.fast} and --slow ${options.slow}`);
  }
  if (options.model !== undefined && (options.signals !== undefined || strategy !== 'ml')) {
    throw new UsageError('--model applies to the ml strategy only');
  }
  const outDir = options.out === undefined ? undefined : ctx.resolvePath(options.out);
  if (outDir !== undefined) checkOutputFolder(outDir, ALL_RUN_OUTPUT_FILES);
  checkRecordTarget(ctx, options);
  const store = storeAccess(ctx, options.db);
  const loaded = await loadRunData(options.data, ctx.resolvePath, ctx.logger, { sortUnordered: options.sortUnordered, store, command: 'backtest' });
  const benchmarkData =
    options.benchmark === undefined ? undefined : await loadBars(options.benchmark, ctx.resolvePath, ctx.logger, { store, option: '--benchmark', command: 'backtest' });
  if (loaded.type === 'universe') {
    const { universeSignalsBacktest } = await import('./universe-backtest');
    const results = await universeSignalsBacktest(ctx, { ...options, strategy }, loaded.universe, benchmarkData);
    const symbols = results.universe?.symbols.join(',');
    return finishRun(ctx, options, results, outDir, { symbol: symbols, timeframe: loaded.universe.timeframe });
  }
  const data = loaded.series;
  const { bars, source } = data;
  // A long run's report renders on its own thread: it loads its modules while the run computes.
  if (outDir !== undefined && options.report !== false && bars.length >= REPORT_THREAD_MIN_BARS) prepareReportThread();
  ctx = { ...ctx, config: configForData(ctx.config, data, { configFile: ctx.configFile !== undefined, logger: ctx.logger }) };
  let results: RunResults;

  if (options.signals === undefined && strategy === 'ml' && options.model === undefined) {
    ({ results } = await runMlBacktest({
      bars,
      source,
      config: ctx.config,
      folds: options.folds,
      epochs: options.epochs,
      seed: options.seed,
      logger: ctx.logger,
      engineLogger: ctx.engineLogger,
      progress: ctx.progress,
      argv: ctx.argv,
      command: 'backtest',
      title: `ML prediction strategy on ${bars.symbol ?? 'the data'} (walk-forward, out of sample)`,
      benchmarkData,
    }));
  } else {
    let signals: ArrayLike<number>;
    let confidences: ArrayLike<number> | undefined;
    let strategyName: string;
    let parameters: Record<string, unknown>;
    if (options.signals !== undefined) {
      const file = await readSignalsCsv(ctx.resolvePath(options.signals), bars);
      ({ signals, confidences } = file);
      strategyName = 'Signals file';
      parameters = { file: ctx.resolvePath(options.signals), rows: file.rows };
    } else if (strategy === 'sma-cross') {
      signals = smaCrossSignals(bars.close, { fast: options.fast, slow: options.slow });
      confidences = undefined;
      strategyName = `SMA crossover (${options.fast}/${options.slow})`;
      parameters = { fast: options.fast, slow: options.slow };
    } else {
      ({ signals, confidences } = await modelSignals(ctx, bars, options.model!));
      strategyName = 'MLPredictionStrategy (saved model)';
      parameters = { model: ctx.resolvePath(options.model!), 'strategy.confidence_threshold': ctx.config.strategy.confidence_threshold };
    }
    const stats = getSignalStatistics(signals, confidences);
    const run = await runConfiguredBacktest({ bars, signals, confidences, config: ctx.config, logger: ctx.logger, engineLogger: ctx.engineLogger });
    results = buildRunResults({
      command: 'backtest',
      title: `${strategyName} on ${bars.symbol ?? 'the data'}`,
      strategyName,
      strategyParameters: { ...parameters, buy_signals: stats.buySignals, sell_signals: stats.sellSignals },
      config: ctx.config,
      bars,
      source,
      run,
      manifest: buildManifest({ config: ctx.config, bars, seed: null, argv: ctx.argv }),
      benchmark: await runBenchmark({ bars, config: ctx.config, run, other: benchmarkData, logger: ctx.logger }),
      buySignals: stats.buySignals,
    });
  }

  return finishRun(ctx, options, results, outDir, { symbol: bars.symbol, timeframe: data.timeframe });
}

/**
 * The end of every run command on one series or a universe: writes the outputs (with `--out`),
 * records the run in the store (unless `--no-record`) and prints it.
 */
export async function finishRun(
  ctx: CommandContext,
  options: RecordFlags & { readonly report?: boolean | undefined },
  results: RunResults,
  outDir: string | undefined,
  recorded: { readonly symbol: string | undefined; readonly timeframe: string | undefined },
): Promise<RunResults> {
  await checkpoint(); // a SIGINT that arrived during the run stops it before anything is written
  const files = outDir === undefined ? [] : await writeRunOutputs(outDir, results, { report: options.report, logger: ctx.logger });
  const record = await recordInStore(ctx, options, (module) => [runRecord(module, resultsRecordSource(results, { ...recorded, folder: outDir }))]);
  reportRun(ctx, results, outDir, files, record);
  return results;
}

