/** A round trip or an open position, by the bar indexes of the run. */
export interface HoldingSpan {
  readonly entryBarIndex: number;
  /** Exit bar; absent (or undefined) for a position still open at the end. */
  readonly exitBarIndex?: number | undefined;
}

/**
 * 1 for every bar that closed with a position open, as the engine counts its `exposure`: a
 * position entered in bar e and closed in bar x is held at the closes of bars e .. x - 1 (none
 * when it was closed in its entry bar); a position still open at the end, from e to the last bar.
 * Overlapping positions (several symbols) count once. O(bars + spans).
 */
export function inMarketMask(bars: number, spans: Iterable<HoldingSpan>): Uint8Array {
  const delta = new Int32Array(bars + 1);
  for (const span of spans) {
    const from = Math.max(0, span.entryBarIndex);
    const to = Math.min(bars, span.exitBarIndex ?? bars);
    if (!(from < to)) continue;
    delta[from]!++;
    delta[to]!--;
  }
  const mask = new Uint8Array(bars);
  let open = 0;
  for (let i = 0; i < bars; i++) {
    open += delta[i]!;
    mask[i] = open > 0 ? 1 : 0;
  }
  return mask;
}

/** Number of 1s of a mask in `[from, to)`. */
export function countInMarket(mask: Uint8Array, from = 0, to = mask.length): number {
  let count = 0;
  for (let i = from; i < to; i++) count += mask[i]!;
  return count;
}
