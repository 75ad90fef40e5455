import {
  IntrabarHit,
  resolveIntrabarExit,
  type ExitReason,
  type IntrabarExitOut,
  type IntrabarPolicy,
  type Side,
} from '@algo-trading/core';

/**
 * The mutable per-position state of the risk manager: created once when a position opens and
 * updated in place on every bar, so the hot loop allocates nothing. Missing levels are NaN.
 */
export interface PositionState {
  readonly symbol: string;
  readonly side: Side;
  /** 1 for a long, -1 for a short. */
  readonly direction: 1 | -1;
  /** Units held, > 0. */
  quantity: number;
  /** Average entry price. */
  entryPrice: number;
  /** Time of the first entry fill, epoch ms. */
  entryTime: number;
  /** Bar index of the entry fill (-1 outside a backtest). */
  entryBarIndex: number;
  /** Number of marks the manager had made when the position opened (for barsHeld). */
  entryMark: number;
  /** Protective (hard) stop; NaN when none. */
  stopLoss: number;
  /** Take-profit level; NaN when none. */
  takeProfit: number;
  /** Stop at entry, for the initial risk and the R multiple; NaN when none. */
  initialStop: number;
  /** Trailing stop level once armed; NaN before. */
  trailingStop: number;
  /** Best price since entry: highest (long) or lowest (short). */
  extreme: number;
  /** Best price at which the trailing stop arms; NaN when trailing is off. */
  armPrice: number;
  /** Time from which the time stop fires (Infinity when off). */
  timeStopAt: number;
  /** Latest price, for marking. */
  lastPrice: number;
  /** Entry commission not yet attributed to a closed trade. */
  entryCommission: number;
  /** Entry slippage cost not yet attributed to a closed trade. */
  entrySlippage: number;
}

/** Trailing-stop rule shared by every position of a manager. */
export interface TrailingRule {
  /** Distance of the trailing stop from the best price; 0 disables trailing. */
  readonly trailingStopPct: number;
  /** Favourable move (fraction of the entry) that arms the trailing stop. */
  readonly trailingActivationPct: number;
}

/** Arguments of {@link createPositionState}. */
export interface NewPositionState {
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly entryPrice: number;
  readonly entryTime: number;
  readonly entryBarIndex: number;
  readonly entryMark: number;
  readonly stopLoss: number | null;
  readonly takeProfit: number | null;
  /** Calendar days to the time stop, or null. */
  readonly timeStopDays: number | null;
  readonly entryCommission: number;
  readonly entrySlippage: number;
}

const MS_PER_DAY = 86_400_000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A fresh {@link PositionState}; the trailing stop arms later, from observed prices. With `reuse`
 * (the state of a closed position nobody references any more), that object is overwritten and
 * returned instead of a new one.
 */
export function createPositionState(input: NewPositionState, rule: TrailingRule, reuse?: PositionState): PositionState {
  const direction = input.side === 'long' ? 1 : -1;
  const stop = input.stopLoss ?? Number.NaN;
  const timeStopAt = input.timeStopDays === null ? Number.POSITIVE_INFINITY : input.entryTime + input.timeStopDays * MS_PER_DAY;
  let state: PositionState;
  if (reuse === undefined) {
    state = {
      symbol: input.symbol,
      side: input.side,
      direction,
      quantity: input.quantity,
      entryPrice: input.entryPrice,
      entryTime: input.entryTime,
      entryBarIndex: input.entryBarIndex,
      entryMark: input.entryMark,
      stopLoss: stop,
      takeProfit: input.takeProfit ?? Number.NaN,
      initialStop: stop,
      trailingStop: Number.NaN,
      extreme: input.entryPrice,
      armPrice: Number.NaN,
      timeStopAt,
      lastPrice: input.entryPrice,
      entryCommission: input.entryCommission,
      entrySlippage: input.entrySlippage,
    };
  } else {
    // In place: the same fields, so the object keeps its shape and its number boxes.
    const s = reuse as Mutable<PositionState>;
    s.symbol = input.symbol;
    s.side = input.side;
    s.direction = direction;
    s.quantity = input.quantity;
    s.entryPrice = input.entryPrice;
    s.entryTime = input.entryTime;
    s.entryBarIndex = input.entryBarIndex;
    s.entryMark = input.entryMark;
    s.stopLoss = stop;
    s.takeProfit = input.takeProfit ?? Number.NaN;
    s.initialStop = stop;
    s.trailingStop = Number.NaN;
    s.extreme = input.entryPrice;
    s.armPrice = Number.NaN;
    s.timeStopAt = timeStopAt;
    s.lastPrice = input.entryPrice;
    s.entryCommission = input.entryCommission;
    s.entrySlippage = input.entrySlippage;
    state = s;
  }
  setArmPrice(state, rule);
  return state;
}

/** Recomputes the arming price after the entry price changed (an add to the position). */
export function setArmPrice(state: PositionState, rule: TrailingRule): void {
  state.armPrice =
    rule.trailingStopPct > 0 ? state.entryPrice * (1 + state.direction * rule.trailingActivationPct) : Number.NaN;
}

/**
 * Moves the best price to `price` when it is better and, once the position is far enough in
 * profit, raises (long) or lowers (short) the trailing stop; it never loosens.
 */
export function ratchetTrailingStop(state: PositionState, price: number, rule: TrailingRule): void {
  if (state.direction === 1) {
    if (price > state.extreme) state.extreme = price;
    if (state.extreme >= state.armPrice) {
      const level = state.extreme * (1 - rule.trailingStopPct);
      if (!(level <= state.trailingStop)) state.trailingStop = level;
    }
  } else {
    if (price < state.extreme) state.extreme = price;
    if (state.extreme <= state.armPrice) {
      const level = state.extreme * (1 + rule.trailingStopPct);
      if (!(level >= state.trailingStop)) state.trailingStop = level;
    }
  }
}

/** The stop in force: the tighter of the hard stop and the armed trailing stop (NaN when none). */
export function effectiveStop(state: PositionState): number {
  const hard = state.stopLoss;
  const trail = state.trailingStop;
  if (Number.isNaN(trail)) return hard;
  if (Number.isNaN(hard)) return trail;
  return state.direction === 1 ? Math.max(hard, trail) : Math.min(hard, trail);
}

/** True when the armed trailing stop is strictly tighter than the hard stop. */
function trailingGoverns(state: PositionState): boolean {
  const trail = state.trailingStop;
  if (Number.isNaN(trail)) return false;
  const hard = state.stopLoss;
  if (Number.isNaN(hard)) return true;
  return state.direction === 1 ? trail > hard : trail < hard;
}

/**
 * The one evaluation of a position against a bar (docs/trading-rules.md, section 1), shared by the engine's
 * `checkExit` and the standalone `updatePositions`:
 * 1. the stop in force (hard or trailing) and the target, via core `resolveIntrabarExit`
 *    (gap through a level fills at the open; both touched: `policy`);
 * 2. the time stop at the close;
 * 3. otherwise the trailing stop ratchets from the bar's best price, in force from the next bar.
 * A plain price is a bar whose four prices are equal. Writes the reference exit price to `out`.
 * Allocation-free.
 */
export function evaluatePosition(
  state: PositionState,
  open: number,
  high: number,
  low: number,
  close: number,
  time: number,
  rule: TrailingRule,
  policy: IntrabarPolicy,
  out: IntrabarExitOut,
): ExitReason | null {
  const hit = resolveIntrabarExit(state.direction, open, high, low, effectiveStop(state), state.takeProfit, policy, out);
  if (hit === IntrabarHit.STOP) return trailingGoverns(state) ? 'trailing_stop' : 'hard_stop';
  if (hit === IntrabarHit.TARGET) return 'take_profit';
  if (time >= state.timeStopAt) {
    out.price = close;
    return 'time_stop';
  }
  ratchetTrailingStop(state, state.direction === 1 ? high : low, rule);
  return null;
}

/**
 * Money at risk if the stop in force fills from the current price: quantity x distance to the
 * stop; 0 once the stop locks in at least break-even or the price is already beyond it; the
 * whole market value when the position has no stop.
 */
export function openRisk(state: PositionState): number {
  const stop = effectiveStop(state);
  if (Number.isNaN(stop)) return state.quantity * state.lastPrice;
  if (state.direction === 1) {
    if (stop >= state.entryPrice) return 0;
    const distance = state.lastPrice - stop;
    return distance > 0 ? distance * state.quantity : 0;
  }
  if (stop <= state.entryPrice) return 0;
  const distance = stop - state.lastPrice;
  return distance > 0 ? distance * state.quantity : 0;
}
