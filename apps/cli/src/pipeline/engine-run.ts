import {
  BacktestEngine,
  type BacktestResults,
  type EquityCurve,
  type Holdings,
  type OpenPositionReport,
  type RebalanceOptions,
  type Rejection,
  type TargetWeights,
} from '@algo-trading/backtesting';
import type { BarSeries, Fill, Logger, Trade, Universe } from '@algo-trading/core';
import { RiskManager } from '@algo-trading/risk';
import { engineCostsFromConfig, positionSizerFromConfig, riskManagerOptionsFromConfig } from '../config/mapping';
import type { AppConfig } from '../config/schema';

/** Input of {@link runConfiguredBacktest}. */
export interface ConfiguredBacktestInput {
  readonly bars: BarSeries;
  /** -1 / 0 / 1 per bar. */
  readonly signals: ArrayLike<number>;
  /** Confidence in [0, 1] per bar (NaN = none); omit for rule-based signals. */
  readonly confidences?: ArrayLike<number> | undefined;
  readonly config: AppConfig;
  /** Receives the run's own messages (e.g. a sizing fallback). */
  readonly logger: Logger;
  /** Logger handed to the engine and the risk manager (per-bar events); default `logger`. */
  readonly engineLogger?: Logger | undefined;
}

/** Order counts of a run, by final status and by role. */
export interface OrderSummary {
  readonly total: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byRole: Readonly<Record<string, number>>;
}

/** Counts `orders` by status and role. */
export function summarizeOrders(orders: readonly { readonly status: string; readonly role: string }[]): OrderSummary {
  const byStatus: Record<string, number> = {};
  const byRole: Record<string, number> = {};
  for (const o of orders) {
    byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
    byRole[o.role] = (byRole[o.role] ?? 0) + 1;
  }
  return { total: orders.length, byStatus, byRole };
}

/** What a configured backtest produced. */
export interface ConfiguredBacktest {
  readonly results: BacktestResults;
  readonly curve: EquityCurve;
  readonly trades: readonly Trade[];
  readonly fills: readonly Fill[];
  readonly rejections: readonly Rejection[];
  readonly openPositions: readonly OpenPositionReport[];
  /** How many orders ended in each status, and how many of each role the run made. */
  readonly orderSummary: OrderSummary;
  /** The sizing method used. */
  readonly sizingMethod: string;
  /** Why the configured sizing method was replaced, when it was. */
  readonly sizingFallback: string | undefined;
  /** Positions and weights per symbol over the time slices (runs of a universe only). */
  readonly holdings?: Holdings | undefined;
}

/** What every run reads back from its engine. */
function collect(engine: BacktestEngine, results: BacktestResults, sizingMethod: string, sizingFallback: string | undefined, multi: boolean): ConfiguredBacktest {
  return {
    results,
    curve: engine.getEquityCurve(),
    trades: engine.getTrades(),
    fills: engine.getFills(),
    rejections: engine.getRejections(),
    openPositions: engine.getOpenPositions(),
    orderSummary: summarizeOrders(engine.getOrders()),
    sizingMethod,
    sizingFallback,
    ...(multi ? { holdings: engine.getHoldings() } : {}),
  };
}

/**
 * Runs the engine the way `config.yaml` describes: the RiskManager with the configured stops,
 * zones and limits, the configured position sizer, commission and slippage; fills at the next
 * open; positions still open at the end are marked at the last close.
 */
export async function runConfiguredBacktest(input: ConfiguredBacktestInput): Promise<ConfiguredBacktest> {
  const { config, logger } = input;
  const engineLogger = input.engineLogger ?? logger;
  const choice = positionSizerFromConfig(config, input.confidences !== undefined);
  if (choice.fallbackReason !== undefined) logger.warn(choice.fallbackReason);
  const riskManager = new RiskManager(riskManagerOptionsFromConfig(config, engineLogger));
  const engine = new BacktestEngine({
    ...engineCostsFromConfig(config),
    riskManager,
    positionSizer: choice.sizer,
    logger: engineLogger,
  });
  const results = await engine.runBacktest({
    data: input.bars,
    signals: input.signals,
    ...(input.confidences === undefined ? {} : { confidences: input.confidences }),
  });
  return collect(engine, results, choice.sizer.method, choice.fallbackReason, false);
}

/** Input of {@link runConfiguredUniverseBacktest}: a universe and signals per symbol, or target weights. */
export interface ConfiguredUniverseInput {
  readonly universe: Universe;
  /** -1 / 0 / 1 per bar of each symbol (aligned with that symbol's bars). */
  readonly signals?: Readonly<Record<string, ArrayLike<number>>> | undefined;
  /** Confidences per bar of each symbol (NaN = none). */
  readonly confidences?: Readonly<Record<string, ArrayLike<number>>> | undefined;
  /** Target weights instead of signals: the weights are the sizing; no risk manager, no sizer. */
  readonly targetWeights?: TargetWeights | undefined;
  readonly rebalance?: RebalanceOptions | undefined;
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly engineLogger?: Logger | undefined;
}

/**
 * Runs a universe through the one engine with one cash ledger. With signals: the configured risk
 * manager and sizer (the sizer gets the portfolio equity), commission and slippage, as
 * {@link runConfiguredBacktest}. With target weights: the configured capital, costs, lot and
 * leverage only; the weights decide every quantity, so neither the sizer nor the risk manager's
 * entry checks and stops apply (sizing method `target_weights`).
 */
export async function runConfiguredUniverseBacktest(input: ConfiguredUniverseInput): Promise<ConfiguredBacktest> {
  const { config, logger } = input;
  const engineLogger = input.engineLogger ?? logger;
  if (input.targetWeights !== undefined) {
    const engine = new BacktestEngine({ ...engineCostsFromConfig(config), logger: engineLogger });
    const results = await engine.runBacktest({
      data: input.universe,
      targetWeights: input.targetWeights,
      ...(input.rebalance === undefined ? {} : { rebalance: input.rebalance }),
    });
    return collect(engine, results, 'target_weights', undefined, true);
  }
  const choice = positionSizerFromConfig(config, input.confidences !== undefined);
  if (choice.fallbackReason !== undefined) logger.warn(choice.fallbackReason);
  const engine = new BacktestEngine({
    ...engineCostsFromConfig(config),
    riskManager: new RiskManager(riskManagerOptionsFromConfig(config, engineLogger)),
    positionSizer: choice.sizer,
    logger: engineLogger,
  });
  const results = await engine.runBacktest({
    data: input.universe,
    signals: input.signals ?? {},
    ...(input.confidences === undefined ? {} : { confidences: input.confidences }),
  });
  return collect(engine, results, choice.sizer.method, choice.fallbackReason, true);
}
