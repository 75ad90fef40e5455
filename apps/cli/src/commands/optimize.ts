import { AlgoTradingError } from '@algo-trading/core';
import {
  MLPredictionStrategy,
  OPTIMIZATION_METRICS,
  ThresholdOptimizer,
  type GridSearchResult,
  type OptimizationMetric,
} from '@algo-trading/strategies';
import { TfjsClassifier, loadClassifier, selectBackend } from '@algo-trading/strategies-tfjs';
import type { CommandContext } from '../context';
import { UsageError } from '../exit-codes';
import { OutputSet } from '../output/atomic-write';
import { toCsv } from '../output/csv';
import { cell, renderTextTable } from '../output/text-table';
import { loadBars } from '../pipeline/load-data';
import { LABEL_HORIZON, buildMlDataset, cliClassifierOptions } from '../pipeline/ml-walk-forward';
import { checkpoint } from '../yield';

/** Values of `--metric`. */
export const OPTIMIZE_METRICS: readonly OptimizationMetric[] = OPTIMIZATION_METRICS;

/** Options of `algo-trading optimize`. */
export interface OptimizeCommandOptions {
  readonly data: string;
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

const TABLE_HEADER = ['threshold', 'metric', 'trades', 'trade_freq', 'sharpe', 'total_return', 'calmar', 'max_drawdown', 'too_few_trades'];

/**
 * `algo-trading optimize`: grid-searches the ML strategy's confidence threshold. Without
 * `--model`, the classifier is trained on the first `--train-fraction` of the data and the
 * thresholds are evaluated on the rest only (out of sample); with `--model`, on the whole data
 * (in sample for the model's own training period). Prints the table sorted by the metric, the best
 * threshold and the deflated Sharpe ratio of the winner given the number of thresholds tried.
 */
export async function runOptimizeCommand(ctx: CommandContext, options: OptimizeCommandOptions): Promise<OptimizeSummary> {
  if (!(options.min <= options.max)) throw new UsageError(`--min (${options.min}) must not exceed --max (${options.max})`);
  const { bars } = await loadBars(options.data, ctx.resolvePath, ctx.logger, { sortUnordered: options.sortUnordered });
  const dataset = buildMlDataset(bars);
  const n = bars.length;
  let strategy: MLPredictionStrategy;
  let evalStart: number;
  let modelLabel: string;
  let dispose: () => void;
  if (options.model !== undefined) {
    const model = await loadClassifier(ctx.resolvePath(options.model), { logger: ctx.engineLogger });
    strategy = new MLPredictionStrategy({ model, featureColumns: [...dataset.features.columns], logger: ctx.engineLogger, confidenceThreshold: ctx.config.strategy.confidence_threshold });
    evalStart = 0;
    modelLabel = `loaded from ${ctx.resolvePath(options.model)} (thresholds evaluated in sample for its training period)`;
    dispose = () => model.dispose();
    ctx.logger.warn('with --model the grid covers the whole data, including the model’s own training rows');
  } else {
    await selectBackend({ logger: ctx.logger });
    evalStart = Math.floor(n * options.trainFraction);
    const fitEnd = evalStart - LABEL_HORIZON;
    if (fitEnd < 100 || n - evalStart < 50) {
      throw new AlgoTradingError('INVALID_DATA', `${n} bars are too few to train on ${options.trainFraction} of them and evaluate the rest`, {
        details: { field: 'data', value: n },
      });
    }
    const model = new TfjsClassifier(cliClassifierOptions({ epochs: options.epochs, seed: options.seed, logger: ctx.engineLogger }));
    strategy = new MLPredictionStrategy({ model, featureColumns: [...dataset.features.columns], logger: ctx.engineLogger, confidenceThreshold: ctx.config.strategy.confidence_threshold });
    const task = ctx.progress.start('training epochs', options.epochs);
    await strategy.fit(dataset.features, dataset.labels, {
      rows: Int32Array.from({ length: fitEnd }, (_, i) => i),
      fitOptions: { onEpochEnd: (epoch: number) => task.update(epoch + 1) },
    });
    task.done();
    modelLabel = `trained here on rows 0..${fitEnd - 1} (seed ${options.seed}, ${options.epochs} epochs)`;
    dispose = () => model.dispose();
  }
  const costs = ctx.config.backtesting.transaction_cost + ctx.config.backtesting.slippage_bps / 10_000;
  const grid = await ThresholdOptimizer.gridSearch({
    strategy,
    data: dataset.features.slice(evalStart, n),
    returns: dataset.returns.subarray(evalStart, n),
    thresholdRange: [options.min, options.max],
    step: options.step,
    metric: options.metric,
    costs,
    minTrades: 5,
  });
  dispose();

  const date = (i: number) => new Date(bars.time[i]!).toISOString().slice(0, 10);
  const summary: OptimizeSummary = { metric: options.metric, evaluatedRange: [date(evalStart), date(n - 1)], model: modelLabel, grid };
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
  const files: string[] = [];
  await checkpoint(); // a SIGINT that arrived during the run stops it before anything is written
  if (options.out !== undefined) {
    const out = new OutputSet(ctx.resolvePath(options.out));
    out.add('optimization.csv', toCsv(TABLE_HEADER, grid.rows.map((r) => [r.threshold, r.metricValue, r.trades, r.tradeFrequency, r.sharpe, r.totalReturn, r.calmar, r.maxDrawdown, r.tooFewTrades])));
    out.add(
      'optimization.json',
      `${JSON.stringify({ ...summary, grid: { ...grid, probabilities: undefined } }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`,
    );
    files.push(...out.commit());
  }
  ctx.printJson({
    ok: true,
    metric: summary.metric,
    evaluatedRange: summary.evaluatedRange,
    model: summary.model,
    best: grid.best ?? null,
    deflatedSharpe: grid.deflatedSharpe,
    trials: grid.trials,
    rows: grid.rows,
    files,
  });
  ctx.print(`Threshold grid by ${options.metric} on ${summary.evaluatedRange[0]} to ${summary.evaluatedRange[1]}; model ${modelLabel}\n`);
  ctx.print(renderTextTable(TABLE_HEADER, rows));
  ctx.print(
    grid.best === undefined
      ? 'No threshold had enough trades (at least 5) and a finite metric.'
      : `Best threshold: ${grid.best.threshold.toFixed(3)} (${options.metric} ${cell(grid.best.metricValue)}); deflated Sharpe ratio ${cell(grid.deflatedSharpe)} over ${grid.trials} thresholds tried.`,
  );
  if (files.length > 0) ctx.print(`Written: ${files.join(', ')}`);
  return summary;
}
