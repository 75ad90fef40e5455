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
 * Drawdown thresholds (positive fractions of the equity peak), each named by what it starts,
 * strictly increasing: CAUTION from `caution`, ALERT from `alert`, EMERGENCY (no new trades)
 * from `emergency`, and the kill switch (every position closed) from `killSwitch`. Below
 * `caution` the zone is NORMAL.
 */
export interface DrawdownZoneThresholds {
  readonly caution: number;
  readonly alert: number;
  readonly emergency: number;
  readonly killSwitch: number;
}

/**
 * The zone of a drawdown (a positive fraction, 0.12 = 12% below the peak). Each threshold is the
 * first drawdown of its zone: with the defaults, 0.05 is already CAUTION. Allocation-free.
 *
 * @throws AlgoTradingError `INVALID_ARGUMENT` when `drawdown` is NaN.
 */
export function zoneForDrawdown(drawdown: number, thresholds: DrawdownZoneThresholds): DrawdownZone {
  if (Number.isNaN(drawdown)) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `drawdown must be a number, got ${describeValue(drawdown)}`, {
      details: { field: 'drawdown', value: drawdown },
    });
  }
  if (drawdown < thresholds.caution) return DrawdownZone.NORMAL;
  if (drawdown < thresholds.alert) return DrawdownZone.CAUTION;
  if (drawdown < thresholds.emergency) return DrawdownZone.ALERT;
  return DrawdownZone.EMERGENCY;
}

/**
 * The drawdowns {@link zoneForDrawdown} assigns to `zone`: from `floor` (inclusive) to `ceiling`
 * (exclusive). A tracker looks the zone up again only when the drawdown leaves this range.
 */
export function zoneDrawdownRange(zone: DrawdownZone, thresholds: DrawdownZoneThresholds): { floor: number; ceiling: number } {
  switch (zone) {
    case DrawdownZone.NORMAL:
      return { floor: Number.NEGATIVE_INFINITY, ceiling: thresholds.caution };
    case DrawdownZone.CAUTION:
      return { floor: thresholds.caution, ceiling: thresholds.alert };
    case DrawdownZone.ALERT:
      return { floor: thresholds.alert, ceiling: thresholds.emergency };
    default:
      return { floor: thresholds.emergency, ceiling: Number.POSITIVE_INFINITY };
  }
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
