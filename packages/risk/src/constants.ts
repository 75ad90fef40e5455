import type { IntrabarPolicy } from '@algo-trading/core';

/**
 * The risk package's constants, in a module that imports nothing at run time: the
 * `@algo-trading/risk/constants` entry, for code that needs the defaults (a configuration schema)
 * without loading the risk manager.
 */

/** The product defaults of the risk manager (docs/trading-rules.md, "Risk rules"). */
export const DEFAULT_RISK_OPTIONS = Object.freeze({
  initialCapital: 10_000,
  maxDrawdownPct: 0.15,
  dailyLossLimitPct: 0.03,
  maxPortfolioHeat: 0.03,
  hardStopPct: 0.03,
  trailingStopPct: 0.02,
  takeProfitPct: 0.05,
  timeStopDays: 30,
  maxPositionPct: 0.25,
  minConfidence: 0.55,
  drawdownZones: Object.freeze({ caution: 0.05, alert: 0.1, emergency: 0.15, killSwitch: 0.2 }),
  zoneRiskMultipliers: Object.freeze({ normal: 1, caution: 0.5, alert: 0.25, emergency: 0 }),
  intrabarPolicy: 'stop_first' as IntrabarPolicy,
  timeZone: 'UTC',
  varConfidence: 0.95,
  commissionPct: 0,
  maxOpenPositions: null as number | null,
  maxGrossExposure: null as number | null,
});
