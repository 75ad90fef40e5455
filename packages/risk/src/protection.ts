import {
  IntrabarHit,
  ratchetTrail,
  resolveIntrabarExit,
  stopInForce,
  trailGoverns,
  type BarPrices,
  type ExitReason,
  type IntrabarExitOut,
  type IntrabarPolicy,
  type PositionInfo,
  type ProtectionPlan,
  type ProtectiveLevels,
  type Side,
  type Trail,
} from '@algo-trading/core';

const MS_PER_DAY = 86_400_000;

/** The protective-level rules of a risk manager (resolved options). */
export interface ProtectionRules {
  /** Hard stop distance from the entry; null: no default stop. */
  readonly hardStopPct: number | null;
  /** Take-profit distance from the entry; null: no default target. */
  readonly takeProfitPct: number | null;
  /** Trail distance from the best price; null: no trailing. */
  readonly trailingStopPct: number | null;
  /** Favourable move from the entry that arms the trail. */
  readonly trailingActivationPct: number;
  /** Calendar days to the time stop; null: none. */
  readonly timeStopDays: number | null;
}

/**
 * The protective-level policy: where a new position's stop-loss and take-profit sit, how its stop
 * trails and when its time stop fires. Inside the engine these become the position's resting
 * orders; standalone they become a {@link ProtectionState}.
 */
export class ProtectionPolicy {
  constructor(readonly rules: ProtectionRules) {}

  /**
   * Stop at entry x (1 - hardStopPct), target at entry x (1 + takeProfitPct) for a long, mirrored
   * for a short. A short's target at or below 0 (takeProfitPct >= 1) is no target (null); the
   * risk manager's `protectiveLevels` refuses that configuration for a short.
   */
  levels(side: Side, entryPrice: number): ProtectiveLevels {
    const d = side === 'long' ? 1 : -1;
    const { hardStopPct, takeProfitPct } = this.rules;
    return {
      stopLoss: hardStopPct === null ? null : entryPrice * (1 - d * hardStopPct),
      takeProfit: takeProfitPct === null || (d === -1 && takeProfitPct >= 1) ? null : entryPrice * (1 + d * takeProfitPct),
    };
  }

  /** The best price at which the trail arms (NaN when trailing is off). */
  armPrice(side: Side, entryPrice: number): number {
    const pct = this.rules.trailingStopPct;
    return pct === null ? Number.NaN : entryPrice * (1 + (side === 'long' ? 1 : -1) * this.rules.trailingActivationPct);
  }

  /** Time at which the time stop fires (Infinity when off). */
  timeStopAt(entryTime: number): number {
    const days = this.rules.timeStopDays;
    return days === null ? Number.POSITIVE_INFINITY : entryTime + days * MS_PER_DAY;
  }

  /** Everything at once: the orders the engine rests on a new position. */
  plan(side: Side, entryPrice: number, entryTime: number): ProtectionPlan {
    const { stopLoss, takeProfit } = this.levels(side, entryPrice);
    const pct = this.rules.trailingStopPct;
    const timeStopAt = this.timeStopAt(entryTime);
    return {
      stopLoss,
      takeProfit,
      trailing: pct === null ? null : { percent: pct, activationPrice: this.armPrice(side, entryPrice) },
      timeStopAt: Number.isFinite(timeStopAt) ? timeStopAt : null,
    };
  }
}

/**
 * A standalone position's protective state, updated in place on every bar: the hard stop, the
 * trail of its stop (core {@link Trail}: its `direction` is the stop order's side, -1 for a long),
 * the target and the time stop. Missing levels are NaN.
 */
export interface ProtectionState extends Trail {
  readonly symbol: string;
  /** The position's side. */
  readonly side: Side;
  /** Hard stop; NaN when none. */
  stopLoss: number;
  /** Take-profit; NaN when none. */
  takeProfit: number;
  /** Whether the stop trails (`trailPercent` and `activationPrice` are then set). */
  readonly trailing: boolean;
  /** Time from which the time stop fires (Infinity when off). */
  timeStopAt: number;
}

/** A new {@link ProtectionState} for a position opened at `entryPrice`. */
export function createProtectionState(
  policy: ProtectionPolicy,
  input: { readonly symbol: string; readonly side: Side; readonly entryPrice: number; readonly entryTime: number; readonly levels: ProtectiveLevels },
): ProtectionState {
  const pct = policy.rules.trailingStopPct;
  return {
    symbol: input.symbol,
    side: input.side,
    direction: input.side === 'long' ? -1 : 1,
    stopLoss: input.levels.stopLoss ?? Number.NaN,
    takeProfit: input.levels.takeProfit ?? Number.NaN,
    trailing: pct !== null,
    trailPercent: pct ?? Number.NaN,
    trailAmount: Number.NaN,
    activationPrice: policy.armPrice(input.side, input.entryPrice),
    timeStopAt: policy.timeStopAt(input.entryTime),
    extreme: input.entryPrice,
    trailLevel: Number.NaN,
  };
}

/** The stop in force: the tighter of the hard stop and the armed trail (NaN when none). */
export function effectiveStop(state: ProtectionState): number {
  return stopInForce(state.direction, state.stopLoss, state.trailLevel);
}

/**
 * Evaluates a standalone position against one bar with core's matching rules (the same as the
 * engine's protective orders): the stop in force and the target (a gap through a level fills at
 * the open, a touch at the level, both touched: `policy`), then the time stop at the close;
 * otherwise the trail ratchets from the bar's best price, in force from the next bar. A plain
 * price is a bar whose four prices are equal. Writes the reference exit price to `out`.
 */
export function evaluateProtection(
  state: ProtectionState,
  bar: BarPrices & { readonly time: number },
  policy: IntrabarPolicy,
  out: IntrabarExitOut,
): ExitReason | null {
  const stop = stopInForce(state.direction, state.stopLoss, state.trailLevel);
  const position = state.side === 'long' ? 1 : -1;
  const hit = resolveIntrabarExit(position, bar.open, bar.high, bar.low, stop, state.takeProfit, policy, out);
  if (hit === IntrabarHit.STOP) return trailGoverns(state.direction, state.stopLoss, state.trailLevel) ? 'trailing_stop' : 'hard_stop';
  if (hit === IntrabarHit.TARGET) return 'take_profit';
  if (bar.time >= state.timeStopAt) {
    out.price = bar.close;
    return 'time_stop';
  }
  if (state.trailing) ratchetTrail(state, bar, true);
  return null;
}

/**
 * Money at risk if the stop in force fills from the latest price: quantity x distance to the
 * stop; 0 once the stop locks in at least break-even or the price is already beyond it; the whole
 * market value when the position has no stop.
 */
export function openRisk(position: PositionInfo): number {
  const stop = position.stopPrice;
  if (Number.isNaN(stop)) return position.quantity * position.lastPrice;
  if (position.side === 'long') {
    if (stop >= position.entryPrice) return 0;
    const distance = position.lastPrice - stop;
    return distance > 0 ? distance * position.quantity : 0;
  }
  if (stop <= position.entryPrice) return 0;
  const distance = stop - position.lastPrice;
  return distance > 0 ? distance * position.quantity : 0;
}
