import { isAlgoTradingError, type BarSeries } from '@algo-trading/core';
import { rebalanceSchedule, type CovarianceMethod, type RebalancePeriod, type RebalanceSchedule } from '@algo-trading/portfolio';
import type { CommandContext } from '../context';
import { UsageError } from '../exit-codes';
import type { PortfolioBacktestMethod } from '../options';
import { checkOutputFolder } from '../output/atomic-write';
import { isoTime } from '../output/csv';
import type { RunResults } from '../output/results-file';
import { runUniverseBenchmark } from '../pipeline/benchmark';
import { runConfiguredUniverseBacktest } from '../pipeline/engine-run';
import { loadBars } from '../pipeline/load-data';
import { loadUniverse } from '../pipeline/load-universe';
import { buildUniverseRunResults } from '../pipeline/run-results';
import { ALL_RUN_OUTPUT_FILES } from '../pipeline/write-run';
import { buildManifest } from '../report/manifest';
import { storeAccess } from '../store/access';
import { checkRecordTarget, type RecordFlags } from '../store/record';
import { finishRun, type RunOutputFlags } from './backtest';
import { requireSeveralSymbols } from './portfolio';

/** Options of `algo-trading portfolio backtest`. */
export interface PortfolioBacktestCommandOptions extends RecordFlags, RunOutputFlags {
  readonly data: string;
  readonly sortUnordered?: boolean | undefined;
  readonly method: PortfolioBacktestMethod;
  readonly covariance: CovarianceMethod;
  readonly returns: 'mean' | 'ewma';
  /** Annual risk-free rate (`max_sharpe`). */
  readonly riskFree: number;
  /** `--bounds` of `min_variance` and `max_sharpe`; undefined: `[0, 1]`. */
  readonly bounds?: readonly [number, number] | undefined;
  /**
   * `--align`: `outer` (default) keeps every time slice and leaves a symbol with a missing bar in
   * the window out of that rebalance; `inner` keeps only the dates every symbol trades.
   */
  readonly align: 'inner' | 'outer';
  /** Return periods in each estimation window. */
  readonly lookback: number;
  /** A calendar period (`month`) or a number of return periods. */
  readonly every: RebalancePeriod | number;
  /** `--drift-threshold`: trade a symbol only when its weight is further than this from the target. */
  readonly driftThreshold: number;
  /** `--min-trade`: trade a symbol only when the trade is worth at least this. */
  readonly minTrade: number;
}

/** The methods that take `--bounds` (solved by the QP solver). */
const BOUNDED: ReadonlySet<PortfolioBacktestMethod> = new Set<PortfolioBacktestMethod>(['min_variance', 'max_sharpe']);

/** The option a `rebalanceSchedule` field is set by, to name it in usage errors. */
const OPTION_OF_FIELD: Readonly<Record<string, string>> = {
  lookback: '--lookback',
  every: '--every',
  'constraints.bounds': '--bounds',
  bounds: '--bounds',
  riskFreeRate: '--risk-free',
};

/** Checks the options that depend on each other, before any data is read. */
function checkOptions(options: PortfolioBacktestCommandOptions): void {
  const bounds = options.bounds;
  if (bounds !== undefined && !BOUNDED.has(options.method) && (bounds[0] !== 0 || bounds[1] !== 1)) {
    throw new UsageError(`--bounds ${bounds.join(',')} applies to --method min_variance and max_sharpe; ${options.method} weights are long only and not bounded`);
  }
}

/** The walk-forward schedule of target weights; library errors about an option become usage errors naming it. */
async function schedule(options: PortfolioBacktestCommandOptions, universe: ReadonlyMap<string, BarSeries>): Promise<RebalanceSchedule> {
  try {
    return await rebalanceSchedule({
      universe: Object.fromEntries(universe),
      lookback: options.lookback,
      every: options.every,
      method: options.method,
      constraints: { ...(options.bounds === undefined ? {} : { bounds: options.bounds }), riskFreeRate: options.riskFree },
      covariance: { method: options.covariance, annualize: true },
      expectedReturns: { method: options.returns === 'ewma' ? 'ema' : 'mean', annualize: true },
      returns: { kind: 'simple', align: options.align },
    });
  } catch (error) {
    if (isAlgoTradingError(error) && typeof error.details.field === 'string') {
      const option = OPTION_OF_FIELD[error.details.field];
      if (option !== undefined) throw new UsageError(`${option}: ${error.message}`, { cause: error });
      if (isAlgoTradingError(error, 'INVALID_DATA')) throw new UsageError(`--method ${options.method} --covariance ${options.covariance} --lookback ${options.lookback}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/**
 * `algo-trading portfolio backtest`: a walk-forward rebalancing backtest of a universe. At each
 * rebalance date (the first slice with `--lookback` returns, then every `--every`), the method's
 * weights are estimated on the trailing `--lookback` return periods only (`rebalanceSchedule`)
 * and become the engine's target weights: fractions of the portfolio equity at that close,
 * traded at the next open with the configured capital, commission, slippage and lot (sells
 * first, each quantity floored to the lot). Writes the same outputs as `backtest` on a universe
 * (results.json with the per-symbol results and the schedule, equity.csv with the equal-weight
 * benchmark, weights.csv, positions.csv, trades.csv, fills.csv, report.html) and records the run.
 *
 * @throws UsageError for fewer than two symbols, a lookback longer than the data, options that do
 *   not go together.
 */
export async function runPortfolioBacktestCommand(ctx: CommandContext, options: PortfolioBacktestCommandOptions): Promise<RunResults> {
  checkOptions(options);
  const outDir = options.out === undefined ? undefined : ctx.resolvePath(options.out);
  if (outDir !== undefined) checkOutputFolder(outDir, ALL_RUN_OUTPUT_FILES);
  checkRecordTarget(ctx, options);
  const store = storeAccess(ctx, options.db);
  const loaded = await loadUniverse(options.data, ctx.resolvePath, ctx.logger, { sortUnordered: options.sortUnordered, store });
  const { universe } = loaded;
  const symbols = requireSeveralSymbols(options.data, universe);
  const benchmarkData =
    options.benchmark === undefined ? undefined : await loadBars(options.benchmark, ctx.resolvePath, ctx.logger, { store, option: '--benchmark', command: 'portfolio backtest' });
  const plan = await schedule(options, universe);
  if (plan.time.length === 0) {
    throw new UsageError(`--lookback ${options.lookback}: no rebalance date had a complete window (${plan.skipped.map((s) => `${isoTime(s.time).slice(0, 10)}: ${s.reason}`).join('; ')})`);
  }
  for (const skipped of plan.skipped) ctx.logger.warn({ time: isoTime(skipped.time) }, `rebalance on ${isoTime(skipped.time).slice(0, 10)} skipped: ${skipped.reason}`);
  const config = ctx.config;
  const run = await runConfiguredUniverseBacktest({
    universe,
    targetWeights: { time: plan.time, weights: plan.weights },
    rebalance: { driftThreshold: options.driftThreshold, minTradeValue: options.minTrade },
    config,
    logger: ctx.logger,
    engineLogger: ctx.engineLogger,
  });
  const every = typeof options.every === 'number' ? `every ${options.every} periods` : `every ${options.every}`;
  const sizing = `target weights of ${options.method}, estimated on the last ${options.lookback} return periods at each rebalance (${every}); each rebalance sets every symbol to its weight of the portfolio equity at the close, traded at the next open and floored to the lot (${config.backtesting.lot_size}); no sizer, no risk manager`;
  const results = buildUniverseRunResults({
    command: 'portfolio backtest',
    title: `${options.method} rebalanced ${every} on ${symbols.length} symbols (${symbols.join(', ')})`,
    strategyName: `Portfolio rebalance: ${options.method}`,
    strategyParameters: {
      method: options.method,
      lookback: options.lookback,
      every: options.every,
      covariance: options.covariance,
      returns: options.returns,
      align: options.align,
      'risk-free': options.riskFree,
      ...(BOUNDED.has(options.method) ? { bounds: (options.bounds ?? [0, 1]).join(',') } : {}),
      'drift-threshold': options.driftThreshold,
      'min-trade': options.minTrade,
      symbols: symbols.join(','),
      rebalances: plan.time.length,
      skipped_rebalances: plan.skipped.length,
    },
    config,
    universe,
    source: loaded.source,
    run,
    sizing,
    manifest: buildManifest({ config, bars: universe, seed: null, argv: ctx.argv }),
    benchmark: await runUniverseBenchmark({ universe, config, run, other: benchmarkData, logger: ctx.logger }),
    extra: {
      schedule: {
        // The target weights of each rebalance date (ISO time of the close they were set at).
        rebalances: Array.from(plan.time, (t, k) => ({ time: isoTime(t), weights: Object.fromEntries(symbols.map((s) => [s, plan.weights[s]![k]!])) })),
        skipped: plan.skipped.map((s) => ({ time: isoTime(s.time), reason: s.reason })),
      },
    },
  });
  return finishRun(ctx, options, results, outDir, { symbol: symbols.join(','), timeframe: loaded.timeframe });
}
