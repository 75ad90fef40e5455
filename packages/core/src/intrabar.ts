import { LevelKind, executesAt, firstMoveDown, touches, type LevelKindCode } from './matching';

/**
 * Resting stop and target orders evaluated inside one bar from its OHLC (docs/trading-rules.md):
 * a level gapped through at the open fills at the open; otherwise a touched level fills at the
 * level. When a bar touches both the stop and the target, the policy decides which came first.
 */

/** Which level fills first when one bar touches both the stop and the target. */
export type IntrabarPolicy = 'stop_first' | 'target_first' | 'nearest_first';

/** Every {@link IntrabarPolicy}. */
export const INTRABAR_POLICIES = ['stop_first', 'target_first', 'nearest_first'] as const satisfies readonly IntrabarPolicy[];

/** Result codes of {@link resolveIntrabarExit}. */
export const IntrabarHit = { NONE: 0, STOP: 1, TARGET: 2 } as const;
/** One of {@link IntrabarHit}. */
export type IntrabarHitCode = (typeof IntrabarHit)[keyof typeof IntrabarHit];

/** Scratch output of {@link resolveIntrabarExit}; reuse one per caller to avoid allocation. */
export interface IntrabarExitOut {
  /** Reference fill price (before slippage) of the exit found. */
  price: number;
}

/**
 * Finds whether a position's stop or target fills inside a bar, and at what price.
 *
 * @param direction 1 for a long position, -1 for a short.
 * @param stop stop level, NaN when none.
 * @param target take-profit level, NaN when none.
 * @param out receives the reference price when the result is not NONE.
 * @returns {@link IntrabarHit} code.
 */
export function resolveIntrabarExit(
  direction: 1 | -1,
  open: number,
  high: number,
  low: number,
  stop: number,
  target: number,
  policy: IntrabarPolicy,
  out: IntrabarExitOut,
): IntrabarHitCode {
  // The exits are orders on the other side of the position: a stop-like and a limit-like level,
  // written into scratch records (no allocation). A missing (NaN) level never executes.
  const exit = direction === 1 ? -1 : 1;
  const s = setLevel(STOP_LEVEL, LevelKind.STOP, exit, stop);
  const t = setLevel(TARGET_LEVEL, LevelKind.LIMIT, exit, target);
  const bar = BAR;
  bar.open = open;
  bar.high = high;
  bar.low = low;
  bar.close = open;
  if (executesAt(s, open)) {
    out.price = open;
    return IntrabarHit.STOP;
  }
  if (executesAt(t, open)) {
    out.price = open;
    return IntrabarHit.TARGET;
  }
  const stopTouched = touches(s, bar);
  const targetTouched = touches(t, bar);
  if (stopTouched && targetTouched) {
    // A long's stop is below the open and its target above (mirrored for a short).
    const down = firstMoveDown(policy, direction, open, direction === 1 ? stop : target, direction === 1 ? target : stop);
    const stopFirst = down === (direction === 1);
    out.price = stopFirst ? stop : target;
    return stopFirst ? IntrabarHit.STOP : IntrabarHit.TARGET;
  }
  if (stopTouched) {
    out.price = stop;
    return IntrabarHit.STOP;
  }
  if (targetTouched) {
    out.price = target;
    return IntrabarHit.TARGET;
  }
  return IntrabarHit.NONE;
}

interface MutableLevel {
  kind: LevelKindCode;
  direction: 1 | -1;
  level: number;
}

const STOP_LEVEL: MutableLevel = { kind: LevelKind.STOP, direction: -1, level: Number.NaN };
const TARGET_LEVEL: MutableLevel = { kind: LevelKind.LIMIT, direction: -1, level: Number.NaN };
const BAR = { open: Number.NaN, high: Number.NaN, low: Number.NaN, close: Number.NaN };

function setLevel(r: MutableLevel, kind: LevelKindCode, direction: 1 | -1, level: number): MutableLevel {
  r.kind = kind;
  r.direction = direction;
  r.level = level;
  return r;
}
