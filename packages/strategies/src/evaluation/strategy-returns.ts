import { AlgoTradingError, describeValue, parseOptions, zNonNegative } from '@algo-trading/core';
import { z } from 'zod';
import { toBarSeries } from '@algo-trading/data';
import type { BarsInput } from '../features/bars-input';

const strategyReturnsSchema = z
  .strictObject({
    costs: zNonNegative().default(0),
    allowShort: z.boolean().default(false),
  })
  .default({ costs: 0, allowShort: false });

/** Options of {@link strategyReturns}. */
export type StrategyReturnsOptions = z.input<typeof strategyReturnsSchema>;

/** Output of {@link strategyReturns}, aligned with the bars. */
export interface StrategyReturnsResult {
  /** Strategy return of each bar (0 at bar 0): `position[t-1] x returns[t] - costs x |position change at t-1|`. */
  readonly returns: Float64Array;
  /** Position held after the signal at each bar: 1 long, -1 short, 0 flat (the last bar's signal has no fill). */
  readonly positions: Int8Array;
  /** Positions opened (flat -> long/short, or short -> long), excluding a change at the last bar (no fill). */
  readonly trades: number;
  /** Sum of |position changes| that were executed (a reversal counts 2). */
  readonly turnover: number;
}

/**
 * Simple close-to-close returns of bars: `r[t] = close[t] / close[t-1] - 1`, NaN at bar 0. The
 * `returns` input of {@link strategyReturns} and the optimizer.
 *
 * @example
 * closeToCloseReturns(bars); // closes [100, 110, 99] -> [NaN, 0.1, -0.1]
 */
export function closeToCloseReturns(bars: BarsInput): Float64Array {
  const close = toBarSeries(bars).close;
  const n = close.length;
  const out = new Float64Array(n);
  if (n > 0) out[0] = Number.NaN;
  for (let t = 1; t < n; t++) out[t] = close[t]! / close[t - 1]! - 1;
  return out;
}

/** Checks signals (-1 / 0 / 1) and returns (finite or NaN) of equal length; returns n. */
export function checkSignalsAndReturns(signals: ArrayLike<number>, returns: ArrayLike<number>): number {
  for (const [field, value] of [
    ['signals', signals],
    ['returns', returns],
  ] as const) {
    if (typeof value !== 'object' || value === null || typeof value.length !== 'number') {
      throw new AlgoTradingError('INVALID_DATA', `${field} must be an array of numbers, got ${describeValue(value)}`, {
        details: { field, value },
      });
    }
  }
  const n = signals.length;
  if (returns.length !== n) {
    throw new AlgoTradingError('INVALID_DATA', `returns has ${returns.length} values but signals has ${n}: they must be aligned`, {
      details: { field: 'returns', value: returns.length },
    });
  }
  for (let t = 0; t < n; t++) {
    const s = signals[t];
    if (s !== 1 && s !== 0 && s !== -1) {
      throw new AlgoTradingError('INVALID_DATA', `signals[${t}] must be -1, 0 or 1, got ${describeValue(s)}`, {
        details: { field: 'signals', index: t, value: s },
      });
    }
    const r = returns[t]!;
    if (typeof r !== 'number' || r === Infinity || r === -Infinity || r < -1) {
      throw new AlgoTradingError('INVALID_DATA', `returns[${t}] must be a return >= -1 (or NaN for missing), got ${describeValue(r)}`, {
        details: { field: 'returns', index: t, value: r },
      });
    }
  }
  return n;
}

/**
 * Next position from the current one and a signal, with the engine's rules (docs/trading-rules.md, section 1):
 * 1 opens a long (closing a short first); -1 closes a long, and opens a short from flat only when
 * `allowShort`; 0 holds.
 */
export function nextPosition(position: number, signal: number, allowShort: boolean): -1 | 0 | 1 {
  if (signal === 1) return 1;
  if (signal === -1) {
    if (position === 1) return 0;
    if (position === -1) return -1;
    return allowShort ? -1 : 0;
  }
  return position === 1 ? 1 : position === -1 ? -1 : 0;
}

/**
 * Bar-by-bar returns of following `signals`, an honest vectorised approximation of the engine:
 * the position decided by the signal at bar t (after t's close) earns the return from t to t+1,
 * `returns[t+1]`, where `returns[t] = close[t] / close[t-1] - 1` (see {@link closeToCloseReturns}).
 * Costs are a fraction of notional per unit of position change (e.g. 0.0015 for 0.15% per side),
 * charged in the bar the new position first earns. A NaN return counts as 0 (missing bar).
 *
 * @example
 * strategyReturns([1, 0, -1, 0], [NaN, 0.1, -0.05, 0.02], { costs: 0.001 });
 * // positions [1, 1, 0, 0]; returns [0, 0.1 - 0.001, -0.05, 0]; trades 1
 */
export function strategyReturns(
  signals: ArrayLike<number>,
  returns: ArrayLike<number>,
  options?: StrategyReturnsOptions,
): StrategyReturnsResult {
  const { costs, allowShort } = parseOptions(strategyReturnsSchema, options, { what: 'strategyReturns options', code: 'INVALID_ARGUMENT' });
  const n = checkSignalsAndReturns(signals, returns);
  const out = new Float64Array(n);
  const positions = new Int8Array(n);
  const stats = { trades: 0, turnover: 0 };
  runPositions(signals, returns, 0, n, costs, allowShort, out, positions, stats);
  return { returns: out, positions, trades: stats.trades, turnover: stats.turnover };
}

/**
 * The loop of {@link strategyReturns} over `[start, end)`, starting flat, into caller buffers (no
 * allocation; inputs trusted). `out[start]` is 0.
 */
export function runPositions(
  signals: ArrayLike<number>,
  returns: ArrayLike<number>,
  start: number,
  end: number,
  costs: number,
  allowShort: boolean,
  out: Float64Array,
  positions: Int8Array,
  stats: { trades: number; turnover: number },
): void {
  let position = 0; // held during the current bar (decided at the previous close)
  let pendingCost = 0;
  let trades = 0;
  let turnover = 0;
  for (let t = start; t < end; t++) {
    const ret = returns[t]!;
    out[t] = t === start ? 0 : (ret === ret ? position * ret : 0) - pendingCost;
    pendingCost = 0;
    if (t < end - 1) {
      // the last bar's signal has no next bar to be filled in
      const next = nextPosition(position, signals[t]!, allowShort);
      const change = next > position ? next - position : position - next;
      if (change !== 0) {
        pendingCost = costs * change;
        turnover += change;
        if (next !== 0) trades++;
        position = next;
      }
    }
    positions[t] = position;
  }
  stats.trades = trades;
  stats.turnover = turnover;
}
