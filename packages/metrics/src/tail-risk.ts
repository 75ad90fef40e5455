import { parseOptions, zFraction } from '@algo-trading/core';
import { z } from 'zod';
import { readReturns } from './inputs';
import { pairwiseSum } from './numeric';

/**
 * Historical tail risk, exactly as empyrical computes it:
 * `value_at_risk = np.percentile(returns, 100 * cutoff)` (linear interpolation) and
 * `conditional_value_at_risk = mean(np.partition(returns, k)[:k + 1])`, k = int((n - 1) * cutoff).
 */

/** Options of {@link valueAtRisk} and {@link conditionalValueAtRisk}. */
export interface TailRiskOptions {
  /** Fraction of the left tail, in [0, 1] (0 gives the worst return, 1 the best). Default 0.05 (95% VaR). */
  readonly cutoff?: number;
}

const tailRiskSchema = z.strictObject({ cutoff: zFraction().default(0.05) });

/**
 * The `q`-quantile (q in [0, 1]) of values already sorted ascending, with numpy's default
 * linear interpolation between the two nearest ranks (numpy's `_lerp`, including its
 * `b - (b - a) x (1 - t)` form for t >= 0.5). NaN for an empty array.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = (n - 1) * q;
  const lower = Math.min(Math.max(Math.floor(position), 0), n - 1);
  const upper = Math.min(lower + 1, n - 1);
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  const t = position - lower;
  // Weight 0 keeps infinities exact (numpy would give NaN from inf - inf there).
  if (t === 0) return a;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Copies values into a Float64Array sorted ascending; reports whether any NaN was present. */
export function sortedCopy(values: ArrayLike<number>): { sorted: Float64Array; hasNaN: boolean } {
  const sorted = Float64Array.from(values as ArrayLike<number>);
  let hasNaN = false;
  for (let i = 0; i < sorted.length; i++) {
    if (Number.isNaN(sorted[i]!)) {
      hasNaN = true;
      break;
    }
  }
  // Typed-array sort is numeric and puts NaN last, like np.sort / np.partition.
  sorted.sort();
  return { sorted, hasNaN };
}

/**
 * numpy's `np.percentile(values, 100 * q)`: linear interpolation; NaN when the input is empty or
 * contains a NaN (numpy propagates NaN).
 */
export function percentile(values: ArrayLike<number>, q: number): number {
  const { sorted, hasNaN } = sortedCopy(values);
  return hasNaN ? Number.NaN : quantileSorted(sorted, q);
}

/** Kernel of {@link valueAtRisk} over an ascending sorted copy (NaN last). */
export function valueAtRiskSorted(sorted: Float64Array, hasNaN: boolean, cutoff: number): number {
  // np.percentile(returns, 100 * cutoff) divides by 100 again: keep that rounding.
  return hasNaN ? Number.NaN : quantileSorted(sorted, (100 * cutoff) / 100);
}

/** Kernel of {@link conditionalValueAtRisk} over an ascending sorted copy (NaN last). */
export function conditionalValueAtRiskSorted(sorted: Float64Array, cutoff: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const k = Math.floor((n - 1) * cutoff);
  return pairwiseSum(sorted, 0, k + 1) / (k + 1);
}

function cutoffOf(options: TailRiskOptions, what: string): number {
  return parseOptions(tailRiskSchema, options, { what }).cutoff;
}

/**
 * Historical value at risk: the `cutoff` percentile of the returns (a return, negative for a loss).
 * NaN when empty or when a NaN is present (empyrical passes NaN through np.percentile).
 *
 * @example
 * valueAtRisk([1, 81, 82, 83, 84, 85], { cutoff: 0.1 }); // 41
 */
export function valueAtRisk(returns: ArrayLike<number>, options: TailRiskOptions = {}): number {
  const cutoff = cutoffOf(options, 'valueAtRisk options');
  const { sorted, hasNaN } = sortedCopy(readReturns(returns));
  return valueAtRiskSorted(sorted, hasNaN, cutoff);
}

/**
 * Historical conditional value at risk (expected shortfall): the mean of the k + 1 smallest
 * returns, k = floor((n - 1) x cutoff). NaN values sort last (as in np.partition), so they only
 * matter when they fall inside the tail. NaN when empty.
 *
 * @example
 * conditionalValueAtRisk([-0.05, -0.02, 0.01, 0.03], { cutoff: 0.5 }); // -0.035 (k = 1)
 */
export function conditionalValueAtRisk(returns: ArrayLike<number>, options: TailRiskOptions = {}): number {
  const cutoff = cutoffOf(options, 'conditionalValueAtRisk options');
  const { sorted } = sortedCopy(readReturns(returns));
  return conditionalValueAtRiskSorted(sorted, cutoff);
}
