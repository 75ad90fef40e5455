/**
 * Resting stop and target orders evaluated inside one bar from its OHLC (docs/trading-rules.md, section 1):
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
  // Comparisons with NaN are false, so a missing level never triggers.
  let stopTouched: boolean;
  let stopGapped: boolean;
  let targetTouched: boolean;
  let targetGapped: boolean;
  if (direction === 1) {
    stopGapped = open <= stop;
    stopTouched = low <= stop;
    targetGapped = open >= target;
    targetTouched = high >= target;
  } else {
    stopGapped = open >= stop;
    stopTouched = high >= stop;
    targetGapped = open <= target;
    targetTouched = low <= target;
  }
  if (stopGapped) {
    out.price = open;
    return IntrabarHit.STOP;
  }
  if (targetGapped) {
    out.price = open;
    return IntrabarHit.TARGET;
  }
  if (stopTouched && targetTouched) {
    let stopFirst: boolean;
    if (policy === 'stop_first') stopFirst = true;
    else if (policy === 'target_first') stopFirst = false;
    else stopFirst = Math.abs(open - stop) <= Math.abs(target - open);
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
