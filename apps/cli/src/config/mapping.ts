import type { BacktestEngineOptions } from '@algo-trading/backtesting';
import type { Logger, PositionSizer } from '@algo-trading/core';
import type { RiskManagerOptions } from '@algo-trading/risk';
import { createPositionSizer } from '@algo-trading/sizing';
import type { AppConfig } from './schema';

/**
 * How `config.yaml` maps onto the library options. One place, so the README's config reference
 * and the behaviour cannot drift apart.
 */

/** RiskManager options from `risk_management`, `strategy` and `backtesting`. */
export function riskManagerOptionsFromConfig(config: AppConfig, logger?: Logger): RiskManagerOptions {
  const risk = config.risk_management;
  const stops = risk.stop_loss;
  return {
    initialCapital: config.backtesting.initial_capital,
    maxDrawdownPct: risk.portfolio.max_drawdown_pct,
    dailyLossLimitPct: risk.portfolio.daily_loss_limit_pct,
    maxPortfolioHeat: risk.portfolio.max_portfolio_heat,
    hardStopPct: stops.enabled ? stops.hard_stop_pct : null,
    trailingStopPct: stops.enabled ? stops.trailing_stop_pct : null,
    takeProfitPct: stops.enabled ? stops.take_profit_pct : null,
    timeStopDays: stops.enabled ? stops.time_stop_days : null,
    maxPositionPct: risk.position_sizing.max_position_size,
    minConfidence: config.strategy.confidence_threshold,
    // config.yaml names each threshold by the zone it ends (`normal: 0.05`: NORMAL below 5%); the
    // RiskManager names it by the zone it starts (`caution: 0.05`).
    drawdownZones: {
      caution: risk.drawdown_zones.normal,
      alert: risk.drawdown_zones.caution,
      emergency: risk.drawdown_zones.alert,
      killSwitch: risk.drawdown_zones.emergency,
    },
    ...(logger === undefined ? {} : { logger }),
  };
}

/** The sizing method actually used, and why it differs from the configured one (if it does). */
export interface SizerChoice {
  readonly sizer: PositionSizer;
  /** Set when the configured method could not be used (e.g. no confidences for confidence_based). */
  readonly fallbackReason?: string;
}

/**
 * The position sizer of `risk_management.position_sizing`:
 * - `confidence_based`: base risk `risk_per_trade` at `strategy.confidence_threshold`, growing
 *   linearly to `2 x risk_per_trade` (at most 1) at confidence 1;
 * - `fixed_fractional`: risk `risk_per_trade` of equity to the stop;
 * - `percent_of_equity`: commit `max_position_size` of equity, commission included.
 * Every method caps the position at `max_position_size` of equity.
 *
 * @param hasConfidences false for rule-based signals (SMA crossover, a signals file without a
 *   confidence column): confidence-based sizing then falls back to fixed fractional at the same
 *   `risk_per_trade`, and `fallbackReason` says so.
 */
export function positionSizerFromConfig(config: AppConfig, hasConfidences: boolean): SizerChoice {
  const sizing = config.risk_management.position_sizing;
  const method = sizing.method;
  if (method === 'confidence_based' && hasConfidences) {
    return {
      sizer: createPositionSizer('confidence_based', {
        baseRiskFraction: sizing.risk_per_trade,
        maxRiskFraction: Math.min(1, 2 * sizing.risk_per_trade),
        minConfidence: config.strategy.confidence_threshold,
        maxPositionFraction: sizing.max_position_size,
        lotSize: config.backtesting.lot_size,
      }),
    };
  }
  if (method === 'percent_of_equity') {
    return {
      sizer: createPositionSizer('percent_of_equity', {
        fraction: sizing.max_position_size,
        commissionPct: config.backtesting.transaction_cost,
        lotSize: config.backtesting.lot_size,
      }),
    };
  }
  const sizer = createPositionSizer('fixed_fractional', {
    riskFraction: sizing.risk_per_trade,
    maxPositionFraction: sizing.max_position_size,
    lotSize: config.backtesting.lot_size,
  });
  return method === 'confidence_based'
    ? {
        sizer,
        fallbackReason:
          'confidence_based sizing needs model confidences and these signals have none: using fixed_fractional at risk_per_trade',
      }
    : { sizer };
}

/**
 * The engine's capital, cost, lot and execution-model options from `backtesting`: the
 * `commission` and `slippage` models replace `transaction_cost` and `slippage_bps` when given.
 */
export function engineCostsFromConfig(config: AppConfig): BacktestEngineOptions {
  const b = config.backtesting;
  return {
    initialCapital: b.initial_capital,
    ...(b.commission === undefined ? { commissionPct: b.transaction_cost } : { commission: b.commission }),
    ...(b.slippage === undefined ? { slippageBps: b.slippage_bps } : { slippage: b.slippage }),
    lotSize: b.lot_size,
    ...(b.volume_participation === undefined ? {} : { volumeParticipation: b.volume_participation }),
    ...(b.financing === undefined ? {} : { financing: b.financing }),
    maxLeverage: b.max_leverage,
    passedLevels: b.passed_levels,
  };
}
