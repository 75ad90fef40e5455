import { parseOptions, zIntegerAtLeast } from '@algo-trading/core';
import { z } from 'zod';
import { readEquity, readReturns, readTimes } from './inputs';

/**
 * Drawdowns: the maximum drawdown of a return series exactly as empyrical computes it, and the
 * underwater curve and drawdown episodes of an equity curve.
 */

const DAY_MS = 86_400_000;

/** Kernel of {@link maxDrawdown} (validated input). */
export function maxDrawdownOf(returns: Float64Array): number {
  return maxDrawdownAndGrowthOf(returns).maxDrawdown;
}

/**
 * {@link maxDrawdownOf} and, from the same pass, the growth `prod(1 + r)` (NaN returns as 0):
 * bit-identical to `growthOf` of the returns module (the same products in the same order).
 */
export function maxDrawdownAndGrowthOf(returns: Float64Array): { maxDrawdown: number; growth: number } {
  if (returns.length === 0) return { maxDrawdown: Number.NaN, growth: 1 };
  const result = drawdownAndGrowthPass(returns, DRAWDOWN_AND_GROWTH);
  return { maxDrawdown: result[0]!, growth: result[1]! };
}

/** [maxDrawdown, growth] of {@link drawdownAndGrowthPass}. */
const DRAWDOWN_AND_GROWTH = new Float64Array(2);

/**
 * The pass of {@link maxDrawdownAndGrowthOf} over one or more returns, its result written to
 * `out` as [maxDrawdown, growth]. A leaf kernel (docs/architecture.md, "Performance").
 */
function drawdownAndGrowthPass(returns: Float64Array, out: Float64Array): Float64Array {
  // empyrical: cumulative = [100, 100 * cumprod(1 + r)] (NaN returns as 0), running peak by
  // np.fmax.accumulate, nanmin((cumulative - peak) / peak). The start is the first peak.
  const start = 100;
  let growth = 1;
  let peak = start;
  let worst = 0;
  // (wealth - peak) / peak is non-decreasing in wealth for a fixed peak (rounded subtraction
  // and division by a positive number are monotonic), so under one peak only a new low can give
  // a new worst: the division runs only then. `trough` is the lowest wealth since the peak (a
  // NaN wealth, never a new worst, leaves it alone).
  let trough = start;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    growth *= r === r ? r + 1 : 1;
    const wealth = growth * start;
    if (wealth > peak) {
      peak = wealth;
      trough = wealth;
    } else if (wealth < trough) {
      trough = wealth;
      const drawdown = (wealth - peak) / peak;
      if (drawdown < worst) worst = drawdown;
    }
  }
  out[0] = worst;
  out[1] = growth;
  return out;
}

/**
 * Maximum drawdown of a return series (empyrical `max_drawdown`): the most negative
 * `wealth / running peak - 1` of the compounded returns, the starting value counted as the first
 * peak. In [-1, 0] for returns >= -1 (below -1 when a return is below -1); 0 without a loss;
 * -1 after a -100% return; NaN when empty. NaN returns count as 0.
 *
 * @example
 * maxDrawdown([0.1, -0.1, 0.1]); // -0.1
 */
export function maxDrawdown(returns: ArrayLike<number>): number {
  return maxDrawdownOf(readReturns(returns));
}

/** Options of {@link drawdownSeries}. */
export interface DrawdownSeriesOptions {
  /** Value before the first equity point, counted as the first peak. */
  readonly initialValue?: number | undefined;
}

const zInitialValue = () =>
  z
    .number({ error: 'expected a finite number greater than 0' })
    .gt(0, { error: 'expected a finite number greater than 0' })
    .refine(Number.isFinite, { error: 'expected a finite number greater than 0' })
    .optional();

const drawdownSeriesSchema = z.strictObject({ initialValue: zInitialValue() });

/**
 * The underwater curve of an equity curve: `equity[t] / max(start, equity[0..t]) - 1`, one value
 * per point, 0 at a new high, -0.25 when 25% below the peak. The start is `initialValue` when
 * given, otherwise `equity[0]`.
 *
 * @example
 * drawdownSeries([100, 120, 90, 130]); // Float64Array [0, 0, -0.25, 0]
 */
export function drawdownSeries(equity: ArrayLike<number>, options: DrawdownSeriesOptions = {}): Float64Array {
  const { initialValue } = parseOptions(drawdownSeriesSchema, options, { what: 'drawdownSeries options' });
  const values = readEquity(equity, 'equity', initialValue !== undefined);
  const n = values.length;
  const out = new Float64Array(n);
  let peak = initialValue ?? values[0] ?? 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v > peak) peak = v;
    out[i] = v / peak - 1;
  }
  return out;
}

/** One drawdown episode: from a peak, down to its valley, back to the peak level (or not yet). */
export interface DrawdownPeriod {
  /** Bar of the peak the drawdown is measured from (0 when the starting value is that peak). */
  readonly peakIndex: number;
  /** Bar of the lowest equity inside the episode (the first one on ties). */
  readonly valleyIndex: number;
  /** First bar back at or above the peak; null while still under water. */
  readonly recoveryIndex: number | null;
  /** Equity at the peak (the starting value when the episode starts there). */
  readonly peakValue: number;
  /** Equity at the valley. */
  readonly valleyValue: number;
  /** `valleyValue / peakValue - 1`: a negative fraction, -0.2 for a 20% drawdown. */
  readonly depth: number;
  /** Bars from the peak to the recovery, or to the last bar when not recovered. */
  readonly durationBars: number;
  /** Time of the peak bar (epoch ms) when `times` were given, else null. */
  readonly peakTime: number | null;
  /** Time of the valley bar (epoch ms) when `times` were given, else null. */
  readonly valleyTime: number | null;
  /** Time of the recovery bar (epoch ms); null without `times` or while still under water. */
  readonly recoveryTime: number | null;
  /** Calendar days from the peak to the recovery (or the last bar); NaN without `times`. */
  readonly durationDays: number;
}

/** Options of {@link drawdownPeriods}. */
export interface DrawdownPeriodsOptions {
  /** How many of the worst drawdowns to return (an integer >= 1). Default 5. */
  readonly top?: number | undefined;
  /** Bar times (epoch ms, strictly increasing, one per equity value) for dates and durations in days. */
  readonly times?: ArrayLike<number> | undefined;
  /** Value before the first equity point, counted as the first peak. */
  readonly initialValue?: number | undefined;
}

const drawdownPeriodsSchema = z.strictObject({
  top: zIntegerAtLeast(1).default(5),
  times: z.custom<ArrayLike<number>>(() => true).optional(),
  initialValue: zInitialValue(),
});

/**
 * Visits every drawdown episode of a validated equity curve in time order, without allocating
 * per bar. `visit(peak, valley, recovery, peakValue, valleyValue)`; recovery is -1 when the
 * curve ends under water.
 */
export function forEachDrawdown(
  equity: Float64Array,
  initialValue: number | undefined,
  visit: (peak: number, valley: number, recovery: number, peakValue: number, valleyValue: number) => void,
): void {
  const n = equity.length;
  if (n === 0) return;
  let peakValue = initialValue ?? equity[0]!;
  let peakIndex = 0;
  let open = false;
  let valleyIndex = 0;
  let valleyValue = 0;
  for (let i = 0; i < n; i++) {
    const v = equity[i]!;
    if (v >= peakValue) {
      if (open) {
        visit(peakIndex, valleyIndex, i, peakValue, valleyValue);
        open = false;
      }
      peakValue = v;
      peakIndex = i;
    } else if (!open) {
      open = true;
      valleyIndex = i;
      valleyValue = v;
    } else if (v < valleyValue) {
      valleyIndex = i;
      valleyValue = v;
    }
  }
  if (open) visit(peakIndex, valleyIndex, -1, peakValue, valleyValue);
}

/** Longest drawdown of a validated equity curve: in bars, and in days when times are given. */
export function longestDrawdownOf(
  equity: Float64Array,
  initialValue: number | undefined,
  times: Float64Array | undefined,
): { bars: number; days: number } {
  const n = equity.length;
  if (n === 0) return { bars: Number.NaN, days: Number.NaN };
  let bars = 0;
  let days = times === undefined ? Number.NaN : 0;
  forEachDrawdown(equity, initialValue, (peak, _valley, recovery) => {
    const end = recovery === -1 ? n - 1 : recovery;
    if (end - peak > bars) bars = end - peak;
    if (times !== undefined) {
      const d = (times[end]! - times[peak]!) / DAY_MS;
      if (d > days) days = d;
    }
  });
  return { bars, days };
}

/**
 * The worst drawdown episodes of an equity curve, deepest first (ties: earlier first). An
 * episode starts at a peak, reaches a valley and ends at the first bar back at or above the
 * peak (`recoveryIndex`), or is still open at the end (`recoveryIndex` null, duration to the
 * last bar). An empty curve or one that never falls below its running peak has none.
 *
 * @example
 * drawdownPeriods([100, 120, 90, 130, 117], { top: 2 });
 * // [{ peakIndex: 1, valleyIndex: 2, recoveryIndex: 3, depth: -0.25, durationBars: 2, ... },
 * //  { peakIndex: 3, valleyIndex: 4, recoveryIndex: null, depth: -0.1, durationBars: 1, ... }]
 */
export function drawdownPeriods(equity: ArrayLike<number>, options: DrawdownPeriodsOptions = {}): DrawdownPeriod[] {
  const parsed = parseOptions(drawdownPeriodsSchema, options, { what: 'drawdownPeriods options' });
  const { top, initialValue } = parsed;
  const values = readEquity(equity, 'equity', initialValue !== undefined);
  const n = values.length;
  const times = parsed.times === undefined ? undefined : readTimes(parsed.times, n);
  const periods: DrawdownPeriod[] = [];
  forEachDrawdown(values, initialValue, (peak, valley, recovery, peakValue, valleyValue) => {
    const end = recovery === -1 ? n - 1 : recovery;
    periods.push({
      peakIndex: peak,
      valleyIndex: valley,
      recoveryIndex: recovery === -1 ? null : recovery,
      peakValue,
      valleyValue,
      depth: valleyValue / peakValue - 1,
      durationBars: end - peak,
      peakTime: times === undefined ? null : times[peak]!,
      valleyTime: times === undefined ? null : times[valley]!,
      recoveryTime: times === undefined || recovery === -1 ? null : times[recovery]!,
      durationDays: times === undefined ? Number.NaN : (times[end]! - times[peak]!) / DAY_MS,
    });
  });
  // Stable sort: equal depths keep time order.
  periods.sort((a, b) => a.depth - b.depth);
  return periods.slice(0, top);
}
