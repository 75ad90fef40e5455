export {
  RiskManager,
  type ClosePositionInput,
  type OhlcPrice,
  type OpenPositionInput,
  type PriceUpdate,
  type TimeInput,
} from './risk-manager';
export {
  DRAWDOWN_ZONES,
  DrawdownZone,
  riskMultiplierForZone,
  zoneForDrawdown,
  type DrawdownZoneThresholds,
  type ZoneRiskMultipliers,
} from './drawdown-zone';
export { DrawdownTracker, type DrawdownLimits } from './drawdown-tracker';
export {
  ProtectionPolicy,
  createProtectionState,
  effectiveStop,
  evaluateProtection,
  openRisk,
  type ProtectionRules,
  type ProtectionState,
} from './protection';
export { findInvalidPrices, runTradeChecks, type TradeCheckContext, type TradeCheckLimits } from './trade-checks';
export {
  DEFAULT_RISK_OPTIONS,
  resolveRiskOptions,
  riskManagerOptionsSchema,
  type ResolvedRiskOptions,
  type RiskManagerOptions,
} from './options';
export { formatRiskSummary, type PositionSnapshot, type RiskMetrics } from './risk-metrics';
export { TradingDayClock } from './trading-day';
export type { RiskScaleInput } from './risk-scale';
