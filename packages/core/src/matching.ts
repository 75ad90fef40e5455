/**
 * The matching rules of resting orders against one OHLC bar (docs/trading-rules.md, "Matching"),
 * as small allocation-free functions. The backtest engine's order book and the risk manager's
 * standalone `updatePositions` both call these, so one rule has one implementation.
 *
 * Conventions: a level belongs to an order whose `direction` is 1 for a buy and -1 for a sell. It
 * is limit-like (a buy executes at or below it, a sell at or above it: limit orders, take-profits,
 * triggered stop-limits) or stop-like (a buy triggers at or above it, a sell at or below it:
 * stops, trailing stops). A NaN level never executes.
 *
 * The per-bar functions take the level and the bar as objects, never loose prices: a number
 * passed to a call the optimizer does not inline is boxed (one allocation per call), and these
 * run for every resting order on every bar.
 */

import type { IntrabarPolicy } from './intrabar';

/** The two kinds of resting level. */
export const LevelKind = { LIMIT: 0, STOP: 1 } as const;
/** One of {@link LevelKind}. */
export type LevelKindCode = (typeof LevelKind)[keyof typeof LevelKind];

/** A resting level: its kind, its order's side and its price (NaN: none). */
export interface RestingLevel {
  readonly kind: LevelKindCode;
  /** 1 for a buy, -1 for a sell. */
  readonly direction: 1 | -1;
  readonly level: number;
}

/** The prices of one bar. */
export interface BarPrices {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/**
 * Whether the bar reaches the level on its way down from the open: buy limits and sell stops
 * sit below the price; sell limits and buy stops above it.
 */
export function reachedGoingDown(kind: LevelKindCode, direction: 1 | -1): boolean {
  return (kind === LevelKind.LIMIT) === (direction === 1);
}

/**
 * Whether the order executes at `price` (the open, the close, a fill price): a buy limit when
 * price <= level, a sell limit when price >= level, a buy stop when price >= level, a sell stop
 * when price <= level.
 */
export function executesAt(r: RestingLevel, price: number): boolean {
  return reachedGoingDown(r.kind, r.direction) ? price <= r.level : price >= r.level;
}

/** {@link executesAt} the bar's open: a gap through the level (the fill is at the open). */
export function executesAtOpen(r: RestingLevel, bar: BarPrices): boolean {
  return executesAt(r, bar.open);
}

/** {@link executesAt} the bar's close. */
export function executesAtClose(r: RestingLevel, bar: BarPrices): boolean {
  return executesAt(r, bar.close);
}

/**
 * Whether the bar's range reaches the level: low <= level for a level below the price, high >=
 * level for a level above it. The fill is then at the level (a touch); a level the open already
 * satisfies fills at the open instead ({@link executesAtOpen}).
 */
export function touches(r: RestingLevel, bar: BarPrices): boolean {
  return reachedGoingDown(r.kind, r.direction) ? bar.low <= r.level : bar.high >= r.level;
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
 * the bar reaches the level; smaller means earlier. Only meaningful for touched levels.
 *
 * @param firstDown the path's first move ({@link firstMoveDown}).
 */
export function pathDistance(r: RestingLevel, bar: BarPrices, firstDown: boolean): number {
  const level = r.level;
  const down = reachedGoingDown(r.kind, r.direction);
  if (firstDown) return down ? bar.open - level : bar.open - bar.low + (level - bar.low);
  return down ? bar.high - bar.open + (bar.high - level) : level - bar.open;
}

/**
 * A trailing stop: the side of its stop order, its distance and activation, and its state (the
 * best price seen since it went live and the armed trail level). The engine's trailing orders and
 * the risk manager's standalone positions hold one.
 */
export interface Trail {
  /** The stop order's side: -1 (a sell stop) trails a long's highs, 1 (a buy stop) a short's lows. */
  readonly direction: 1 | -1;
  /** Distance as a fraction of the best price (NaN when `trailAmount` is used). */
  readonly trailPercent: number;
  /** Distance in price units (NaN when `trailPercent` is used). */
  readonly trailAmount: number;
  /** Best price from which the trail applies (NaN: at once). */
  readonly activationPrice: number;
  /** Highest price seen (a sell stop), lowest (a buy stop). */
  extreme: number;
  /** The trailing level in force, NaN until the trail arms. */
  trailLevel: number;
}

/**
 * Moves a trail to the prices of `bar`: the best price advances (the bar's high for a sell stop,
 * its low for a buy stop, or only its close when `wholeBar` is false: the order was placed inside
 * the bar and the path after that is unknown), and once it reaches the activation price the level
 * becomes best x (1 - percent) or best - amount for a sell stop (mirrored for a buy stop), never
 * loosening. A level set from a bar applies from the next bar on (the caller ratchets after
 * matching the bar).
 */
export function ratchetTrail(trail: Trail, bar: BarPrices, wholeBar: boolean): void {
  const activation = trail.activationPrice;
  const percent = trail.trailPercent;
  if (trail.direction === -1) {
    const price = wholeBar ? bar.high : bar.close;
    if (price > trail.extreme || trail.extreme !== trail.extreme) trail.extreme = price;
    if (!(trail.extreme >= activation) && activation === activation) return;
    const level = percent === percent ? trail.extreme * (1 - percent) : trail.extreme - trail.trailAmount;
    if (!(level <= trail.trailLevel)) trail.trailLevel = level;
  } else {
    const price = wholeBar ? bar.low : bar.close;
    if (price < trail.extreme || trail.extreme !== trail.extreme) trail.extreme = price;
    if (!(trail.extreme <= activation) && activation === activation) return;
    const level = percent === percent ? trail.extreme * (1 + percent) : trail.extreme + trail.trailAmount;
    if (!(level >= trail.trailLevel)) trail.trailLevel = level;
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
