/**
 * The matching rules of resting orders against one OHLC bar (docs/trading-rules.md, "Matching"),
 * as small allocation-free functions. The backtest engine's order book and the risk manager's
 * standalone `updatePositions` both call these, so one rule has one implementation.
 *
 * Conventions: `direction` is the order's side, 1 for a buy and -1 for a sell. A level is either
 * limit-like (a buy executes at or below it, a sell at or above it: limit orders, take-profits,
 * triggered stop-limits) or stop-like (a buy triggers at or above it, a sell at or below it:
 * stops, trailing stops). NaN means "no level" and never executes.
 */

import type { IntrabarPolicy } from './intrabar';

/** The two kinds of resting level. */
export const LevelKind = { LIMIT: 0, STOP: 1 } as const;
/** One of {@link LevelKind}. */
export type LevelKindCode = (typeof LevelKind)[keyof typeof LevelKind];

/**
 * Whether the bar reaches the level on its way down from the open: buy limits and sell stops
 * sit below the price; sell limits and buy stops above it.
 */
export function reachedGoingDown(kind: LevelKindCode, direction: 1 | -1): boolean {
  return (kind === LevelKind.LIMIT) === (direction === 1);
}

/**
 * Whether the order executes at `price` (the open, or the close when an order is first placed
 * there): a buy limit when price <= level, a sell limit when price >= level, a buy stop when
 * price >= level, a sell stop when price <= level.
 */
export function executesAt(kind: LevelKindCode, direction: 1 | -1, level: number, price: number): boolean {
  return reachedGoingDown(kind, direction) ? price <= level : price >= level;
}

/**
 * Whether the bar's range reaches the level: low <= level for a level below the price, high >=
 * level for a level above it. The fill is then at the level (a touch); a level the open already
 * satisfies fills at the open instead ({@link executesAt}).
 */
export function touches(kind: LevelKindCode, direction: 1 | -1, level: number, high: number, low: number): boolean {
  return reachedGoingDown(kind, direction) ? low <= level : high >= level;
}

/**
 * Which way the bar moves first from its open, for ordering the levels it touches (OHLC does not
 * say): `stop_first` assumes the move against the position first (down for a long or no
 * position, up for a short), `target_first` the move in its favour (down when flat),
 * `nearest_first` the move towards the touched level nearest to the open (ties go against the
 * position).
 *
 * @param position 1 long, -1 short, 0 flat.
 * @param nearestBelow the touched level nearest below the open (NaN when none).
 * @param nearestAbove the touched level nearest above the open (NaN when none).
 * @returns true when the bar is assumed to go down first.
 */
export function firstMoveDown(policy: IntrabarPolicy, position: 1 | 0 | -1, open: number, nearestBelow: number, nearestAbove: number): boolean {
  const adverseDown = position >= 0;
  if (policy === 'stop_first') return adverseDown;
  if (policy === 'target_first') return position <= 0;
  const below = open - nearestBelow;
  const above = nearestAbove - open;
  if (!(below >= 0)) return false; // no level below
  if (!(above >= 0)) return true; // no level above
  return below === above ? adverseDown : below < above;
}

/**
 * Distance travelled along the assumed intrabar path (open, first extreme, other extreme) until
 * the bar reaches `level`; smaller means earlier. Only meaningful for touched levels.
 *
 * @param down whether the level is reached going down ({@link reachedGoingDown}).
 * @param firstDown the path's first move ({@link firstMoveDown}).
 */
export function pathDistance(level: number, down: boolean, open: number, high: number, low: number, firstDown: boolean): number {
  if (firstDown) return down ? open - level : open - low + (level - low);
  return down ? high - open + (high - level) : level - open;
}

/**
 * A trailing stop's state: the best price seen since it went live and the trail level in force
 * (NaN until armed). The engine's trailing orders and the risk manager's positions hold one.
 */
export interface TrailState {
  /** Highest price seen (protecting a long: a sell stop), lowest (protecting a short). */
  extreme: number;
  /** The trailing level in force, NaN until the trail arms. */
  trailLevel: number;
}

/**
 * Moves a trail to a newly seen `price`: the best price advances, and once it reaches
 * `activation` (NaN: at once) the level becomes best x (1 - percent) or best - amount for a
 * sell stop (mirrored for a buy stop), never loosening. A level set from a bar applies from the
 * next bar on (the caller ratchets after matching the bar).
 *
 * @param direction the stop order's side: -1 (sell) protects a long, 1 (buy) a short.
 * @param percent distance as a fraction of the best price (NaN when `amount` is used).
 * @param amount distance in price units (NaN when `percent` is used).
 */
export function ratchetTrail(state: TrailState, direction: 1 | -1, price: number, percent: number, amount: number, activation: number): void {
  if (direction === -1) {
    if (price > state.extreme) state.extreme = price;
    if (!(state.extreme >= activation) && activation === activation) return;
    const level = percent === percent ? state.extreme * (1 - percent) : state.extreme - amount;
    if (!(level <= state.trailLevel)) state.trailLevel = level;
  } else {
    if (price < state.extreme) state.extreme = price;
    if (!(state.extreme <= activation) && activation === activation) return;
    const level = percent === percent ? state.extreme * (1 + percent) : state.extreme + amount;
    if (!(level >= state.trailLevel)) state.trailLevel = level;
  }
}

/**
 * The stop in force of a trailing stop with an initial level: the tighter of `initial` and the
 * armed trail (the higher for a sell stop, the lower for a buy stop); NaN when neither is set.
 */
export function stopInForce(direction: 1 | -1, initial: number, trailLevel: number): number {
  if (trailLevel !== trailLevel) return initial;
  if (initial !== initial) return trailLevel;
  return direction === -1 ? Math.max(initial, trailLevel) : Math.min(initial, trailLevel);
}

/** True when the armed trail is strictly tighter than the initial level (the exit is a trailing stop). */
export function trailGoverns(direction: 1 | -1, initial: number, trailLevel: number): boolean {
  if (trailLevel !== trailLevel) return false;
  if (initial !== initial) return true;
  return direction === -1 ? trailLevel > initial : trailLevel < initial;
}
