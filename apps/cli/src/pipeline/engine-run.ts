import { BacktestEngine, type BacktestResults, type EquityCurve, type OpenPositionReport, type Rejection } from '@algo-trading/backtesting';
import type { BarSeries, Fill, Logger, Trade } from '@algo-trading/core';
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
  return {
    results,
    curve: engine.getEquityCurve(),
    trades: engine.getTrades(),
    fills: engine.getFills(),
    rejections: engine.getRejections(),
    openPositions: engine.getOpenPositions(),
    orderSummary: summarizeOrders(engine.getOrders()),
    sizingMethod: choice.sizer.method,
    sizingFallback: choice.fallbackReason,
  };
}
