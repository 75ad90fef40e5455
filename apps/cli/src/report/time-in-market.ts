import type { Trade } from '@algo-trading/core';
import { countInMarket, inMarketMask, type HoldingSpan } from '../pipeline/market-time';

/** How much of the run the strategy spent holding a position. */
export interface TimeInMarket {
  /** Bars of the run. */
  readonly bars: number;
  /** Bars that closed with a position open (the engine's exposure count). */
  readonly barsInMarket: number;
  /** barsInMarket / bars; NaN for an empty run. */
  readonly exposure: number;
  /** Calendar days from the first to the last bar. */
  readonly days: number;
  /** Calendar days with a position open (entry fill to exit fill; open positions to the last bar), overlaps counted once. */
  readonly daysInMarket: number;
  /** Mean bars held by the closed trades (NaN without trades). */
  readonly averageBarsHeld: number;
  /** Mean calendar days held by the closed trades (NaN without trades). */
  readonly averageDaysHeld: number;
  /** Longest closed trade, in bars (0 without trades). */
  readonly longestBarsHeld: number;
}

const DAY_MS = 86_400_000;

/** A position still open at the end, as results.json stores it. */
interface OpenAtEnd {
  readonly entryTime: number;
  readonly entryBarIndex?: number | undefined;
}

/** Index of the first time >= t (times ascending). */
function indexAtOrAfter(time: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Exposure and time in market of a run from its bar times, closed trades and open positions:
 * bars closed with a position (as the engine counts `exposure`), calendar days holding one, and
 * the holding periods of the closed trades.
 */
export function timeInMarket(time: ArrayLike<number>, trades: readonly Trade[], openPositions: readonly OpenAtEnd[]): TimeInMarket {
  const n = time.length;
  const open: HoldingSpan[] = openPositions.map((p) => ({ entryBarIndex: p.entryBarIndex ?? indexAtOrAfter(time, p.entryTime) }));
  const barsInMarket = countInMarket(inMarketMask(n, [...trades, ...open]));
  const first = n > 0 ? time[0]! : 0;
  const last = n > 0 ? time[n - 1]! : 0;
  // Calendar time holding a position: the union of [entry, exit] intervals.
  const intervals = [
    ...trades.map((t) => [t.entryTime, t.exitTime] as const),
    ...openPositions.map((p) => [p.entryTime, last] as const),
  ].sort((a, b) => a[0] - b[0]);
  let held = 0;
  let start = Number.NaN;
  let end = Number.NaN;
  for (const [a, b] of intervals) {
    if (Number.isNaN(start) || a > end) {
      if (!Number.isNaN(start)) held += end - start;
      start = a;
      end = b;
    } else if (b > end) end = b;
  }
  if (!Number.isNaN(start)) held += end - start;
  const count = trades.length;
  return {
    bars: n,
    barsInMarket,
    exposure: n === 0 ? Number.NaN : barsInMarket / n,
    days: (last - first) / DAY_MS,
    daysInMarket: held / DAY_MS,
    averageBarsHeld: count === 0 ? Number.NaN : trades.reduce((s, t) => s + t.barsHeld, 0) / count,
    averageDaysHeld: count === 0 ? Number.NaN : trades.reduce((s, t) => s + (t.exitTime - t.entryTime), 0) / count / DAY_MS,
    longestBarsHeld: trades.reduce((m, t) => Math.max(m, t.barsHeld), 0),
  };
}
