import { AlgoTradingError } from '@algo-trading/core';
import {
  MLPredictionStrategy,
  OPTIMIZATION_METRICS,
  ThresholdOptimizer,
  type GridSearchResult,
  type OptimizationMetric,
} from '@algo-trading/strategies';
import { TfjsClassifier, loadClassifier, selectBackend } from '@algo-trading/strategies-tfjs';
import { jsonReplacer, type CommandContext } from '../context';
import { UsageError } from '../exit-codes';
import { OutputSet } from '../output/atomic-write';
import { toCsv } from '../output/csv';
import { cell, renderTextTable } from '../output/text-table';
import { loadBars } from '../pipeline/load-data';
import { storeAccess } from '../store/access';
import { LABEL_HORIZON, buildMlDataset, cliClassifierOptions, perSideCost, type MlDataset } from '../pipeline/ml-walk-forward';
import { checkpoint } from '../yield';

/** Values of `--metric`. */
export const OPTIMIZE_METRICS: readonly OptimizationMetric[] = OPTIMIZATION_METRICS;

/** Options of `algo-trading optimize`. */
export interface OptimizeCommandOptions {
  readonly data: string;
  /** `--db`: the store a `--data store:...` reference is loaded from (default `store.path` of the configuration). */
  readonly db?: string | undefined;
  /** `--sort-unordered`: sort data rows out of time order instead of failing. */
  readonly sortUnordered?: boolean | undefined;
  readonly metric: OptimizationMetric;
  readonly model?: string | undefined;
  readonly trainFraction: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly epochs: number;
  readonly seed: number;
  readonly out?: string | undefined;
  readonly json?: boolean | undefined;
}

/** What `optimize` reports. */
export interface OptimizeSummary {
  readonly metric: OptimizationMetric;
  /** Rows the thresholds were evaluated on, as ISO dates. */
  readonly evaluatedRange: readonly [string, string];
  /** How the model was obtained: trained here on the rows before the evaluated range, or loaded. */
  readonly model: string;
  readonly grid: GridSearchResult;
}

/** What the grid's figures are: the threshold search's vectorised calculation, not the engine. */
export const SIGNAL_ONLY_NOTE =
  'signal-only: fully invested while the signals say long, close to close, commission plus slippage per side; no risk manager, no sizing, no stops';

const TABLE_HEADER = ['threshold', 'metric', 'trades', 'trade_freq', 'sharpe', 'total_return', 'calmar', 'max_drawdown', 'too_few_trades'];

/** The model whose thresholds are searched, where it came from, and how to release it. */
interface OptimizeModel {
  readonly strategy: MLPredictionStrategy;
  /** First row evaluated (rows before it trained the model). */
  readonly evalStart: number;
  readonly label: string;
  readonly model: { dispose(): void };
}

/** Loads `--model`, or trains a fresh classifier on the first `--train-fraction` of the rows. */
async function obtainModel(ctx: CommandContext, options: OptimizeCommandOptions, dataset: MlDataset, n: number): Promise<OptimizeModel> {
  const strategyOptions = {
    featureColumns: [...dataset.features.columns],
    logger: ctx.engineLogger,
    confidenceThreshold: ctx.config.strategy.confidence_threshold,
  };
  if (options.model !== undefined) {
    const model = await loadClassifier(ctx.resolvePath(options.model), { logger: ctx.engineLogger });
    ctx.logger.warn('with --model the grid covers the whole data, including the model’s own training rows');
    return {
      strategy: new MLPredictionStrategy({ model, ...strategyOptions }),
      evalStart: 0,
      label: `loaded from ${ctx.resolvePath(options.model)} (thresholds evaluated in sample for its training period)`,
      model,
    };
  }
  await selectBackend({ logger: ctx.logger });
  const evalStart = Math.floor(n * options.trainFraction);
  const fitEnd = evalStart - LABEL_HORIZON;
  if (fitEnd < 100 || n - evalStart < 50) {
    throw new AlgoTradingError('INVALID_DATA', `${n} bars are too few to train on ${options.trainFraction} of them and evaluate the rest`, {
      details: { field: 'data', value: n },
    });
  }
  const model = new TfjsClassifier(cliClassifierOptions({ epochs: options.epochs, seed: options.seed, logger: ctx.engineLogger }));
  try {
    const strategy = new MLPredictionStrategy({ model, ...strategyOptions });
    const task = ctx.progress.start('training epochs', options.epochs);
    await strategy.fit(dataset.features, dataset.labels, {
      rows: Int32Array.from({ length: fitEnd }, (_, i) => i),
      fitOptions: { onEpochEnd: (epoch: number) => task.update(epoch + 1) },
    });
    task.done();
    return { strategy, evalStart, label: `trained here on rows 0..${fitEnd - 1} (seed ${options.seed}, ${options.epochs} epochs)`, model };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * Computes the threshold grid of `optimize` (no output, no printing): the model's probabilities
 * on the evaluated rows, then every threshold's signal-only returns net of the configured costs.
 * The model is disposed when done, also after a failure.
 */
export async function computeThresholdGrid(ctx: CommandContext, options: OptimizeCommandOptions): Promise<OptimizeSummary> {
  if (!(options.min <= options.max)) throw new UsageError(`--min (${options.min}) must not exceed --max (${options.max})`);
  const { bars } = await loadBars(options.data, ctx.resolvePath, ctx.logger, {
    sortUnordered: options.sortUnordered,
    store: storeAccess(ctx, options.db),
    command: 'optimize',
  });
  const dataset = buildMlDataset(bars);
  const n = bars.length;
  const { strategy, evalStart, label, model } = await obtainModel(ctx, options, dataset, n);
  let grid: GridSearchResult;
  try {
    grid = await ThresholdOptimizer.gridSearch({
      strategy,
      data: dataset.features.slice(evalStart, n),
      returns: dataset.returns.subarray(evalStart, n),
      thresholdRange: [options.min, options.max],
      step: options.step,
      metric: options.metric,
      costs: perSideCost(ctx.config),
      minTrades: 5,
    });
  } finally {
    model.dispose();
  }
  const date = (i: number) => new Date(bars.time[i]!).toISOString().slice(0, 10);
  return { metric: options.metric, evaluatedRange: [date(evalStart), date(n - 1)], model: label, grid };
}

/** Writes optimization.csv and optimization.json into `dir` atomically; returns the paths. */
export function writeOptimizeOutputs(dir: string, summary: OptimizeSummary): string[] {
  const { grid } = summary;
  const out = new OutputSet(dir);
  out.add(
    'optimization.csv',
    toCsv(TABLE_HEADER, grid.rows.map((r) => [r.threshold, r.metricValue, r.trades, r.tradeFrequency, r.sharpe, r.totalReturn, r.calmar, r.maxDrawdown, r.tooFewTrades])),
  );
  out.add('optimization.json', `${JSON.stringify({ ...summary, basis: SIGNAL_ONLY_NOTE, grid: { ...grid, probabilities: undefined } }, jsonReplacer, 2)}\n`);
  return out.commit();
}

/** The text `optimize` prints: the grid, the best threshold and what the figures are. */
export function renderThresholdGrid(summary: OptimizeSummary): string {
  const { grid, metric } = summary;
  const rows = grid.rows.map((r) => [
    cell(r.threshold, 3),
    cell(r.metricValue),
    String(r.trades),
    cell(r.tradeFrequency),
    cell(r.sharpe),
    cell(r.totalReturn),
    cell(r.calmar),
    cell(r.maxDrawdown),
    r.tooFewTrades ? 'yes' : 'no',
  ]);
  return [
    `Threshold grid by ${metric} on ${summary.evaluatedRange[0]} to ${summary.evaluatedRange[1]}; model ${summary.model}`,
    `Figures are signal-only (${SIGNAL_ONLY_NOTE}); backtest a threshold for the engine's figures.`,
    '',
    renderTextTable(TABLE_HEADER, rows).trimEnd(),
    grid.best === undefined
      ? 'No threshold had enough trades (at least 5) and a finite metric.'
      : `Best threshold: ${grid.best.threshold.toFixed(3)} (${metric} ${cell(grid.best.metricValue)}); deflated Sharpe ratio ${cell(grid.deflatedSharpe)} over ${grid.trials} thresholds tried.`,
  ].join('\n');
}

/**
 * `algo-trading optimize`: grid-searches the ML strategy's confidence threshold. Without
 * `--model`, the classifier is trained on the first `--train-fraction` of the data and the
 * thresholds are evaluated on the rest only (out of sample); with `--model`, on the whole data
 * (in sample for the model's own training period). Prints the table sorted by the metric, the best
 * threshold and the deflated Sharpe ratio of the winner given the number of thresholds tried.
 */
export async function runOptimizeCommand(ctx: CommandContext, options: OptimizeCommandOptions): Promise<OptimizeSummary> {
  const summary = await computeThresholdGrid(ctx, options);
  await checkpoint(); // a SIGINT that arrived during the run stops it before anything is written
  const files = options.out === undefined ? [] : writeOptimizeOutputs(ctx.resolvePath(options.out), summary);
  const { grid } = summary;
  ctx.printJson({
    ok: true,
    metric: summary.metric,
    basis: SIGNAL_ONLY_NOTE,
    evaluatedRange: summary.evaluatedRange,
    model: summary.model,
    best: grid.best ?? null,
    deflatedSharpe: grid.deflatedSharpe,
    trials: grid.trials,
    rows: grid.rows,
    files,
  });
  ctx.print(renderThresholdGrid(summary));
  if (files.length > 0) ctx.print(`Written: ${files.join(', ')}`);
  return summary;
}
