import { AlgoTradingError, describeValue } from '@algo-trading/core';

/**
 * The drawdown zones of the risk manager, from calm to kill switch. Each zone scales the risk
 * new trades may take (see `zoneRiskMultipliers`); `EMERGENCY` refuses new trades.
 */
export const DrawdownZone = {
  NORMAL: 'NORMAL',
  CAUTION: 'CAUTION',
  ALERT: 'ALERT',
  EMERGENCY: 'EMERGENCY',
} as const;
/** One of {@link DrawdownZone}. */
export type DrawdownZone = (typeof DrawdownZone)[keyof typeof DrawdownZone];

/** Every {@link DrawdownZone}, from the calmest to the worst. */
export const DRAWDOWN_ZONES = [
  DrawdownZone.NORMAL,
  DrawdownZone.CAUTION,
  DrawdownZone.ALERT,
  DrawdownZone.EMERGENCY,
] as const satisfies readonly DrawdownZone[];

/**
 * Drawdown thresholds (positive fractions of the equity peak), strictly increasing:
 * NORMAL below `normal`, CAUTION below `caution`, ALERT below `alert`, EMERGENCY from `alert` on;
 * the kill switch fires from `emergency` on.
 */
export interface DrawdownZoneThresholds {
  readonly normal: number;
  readonly caution: number;
  readonly alert: number;
  readonly emergency: number;
}

/**
 * The zone of a drawdown (a positive fraction, 0.12 = 12% below the peak). Each threshold is the
 * first drawdown of the worse zone: with the defaults, 0.05 is already CAUTION. Allocation-free.
 *
 * @throws AlgoTradingError `INVALID_ARGUMENT` when `drawdown` is NaN.
 */
export function zoneForDrawdown(drawdown: number, thresholds: DrawdownZoneThresholds): DrawdownZone {
  if (Number.isNaN(drawdown)) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `drawdown must be a number, got ${describeValue(drawdown)}`, {
      details: { field: 'drawdown', value: drawdown },
    });
  }
  if (drawdown < thresholds.normal) return DrawdownZone.NORMAL;
  if (drawdown < thresholds.caution) return DrawdownZone.CAUTION;
  if (drawdown < thresholds.alert) return DrawdownZone.ALERT;
  return DrawdownZone.EMERGENCY;
}

/** Risk multiplier per zone, each in [0, 1] (defaults 1, 0.5, 0.25, 0). */
export interface ZoneRiskMultipliers {
  readonly normal: number;
  readonly caution: number;
  readonly alert: number;
  readonly emergency: number;
}

/** The multiplier of `zone` in `multipliers` (allocation-free). */
export function riskMultiplierForZone(zone: DrawdownZone, multipliers: ZoneRiskMultipliers): number {
  switch (zone) {
    case DrawdownZone.NORMAL:
      return multipliers.normal;
    case DrawdownZone.CAUTION:
      return multipliers.caution;
    case DrawdownZone.ALERT:
      return multipliers.alert;
    default:
      return multipliers.emergency;
  }
}
