import { parseOptions, zFraction } from '@algo-trading/core';
import { z } from 'zod';
import { readReturns } from './inputs';
import { pairwiseSum } from './numeric';
import { minOf, selectInPlace, sortAscending } from './selection';

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
  const lower = lowerRank(n, q);
  return interpolate(sorted[lower]!, sorted[Math.min(lower + 1, n - 1)]!, (n - 1) * q - lower);
}

/** Rank (0-based, clamped to [0, n - 1]) of the lower neighbour of the `q`-quantile of n > 0 values. */
export function lowerRank(n: number, q: number): number {
  return Math.min(Math.max(Math.floor((n - 1) * q), 0), n - 1);
}

/**
 * numpy's `_lerp` between the values at the lower and upper ranks with weight `t` of the upper
 * one (`b - (b - a) x (1 - t)` for t >= 0.5).
 */
export function interpolate(a: number, b: number, t: number): number {
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

/** The tail figures of computeMetrics (see {@link tailRiskOf}). */
export interface TailRisk {
  readonly valueAtRisk: number;
  readonly conditionalValueAtRisk: number;
  readonly tailRatio: number;
}

/** Below this many values a sorted copy is as fast as anything else. */
const SAMPLED_MIN = 8192;
/** Values sampled to place the thresholds of the tail candidates. */
const SAMPLE_SIZE = 2048;

/**
 * Value at risk and expected shortfall at `cutoff`, and the tail ratio, of NaN-free returns,
 * bit-identical to {@link valueAtRiskSorted}, {@link conditionalValueAtRiskSorted} and
 * `tailRatioSorted` over a sorted copy, in expected O(n) and without a copy of the returns:
 * thresholds placed from a sample pick the candidates of both tails in one pass, and only
 * those are selected and sorted. Whenever a threshold misses (the pass proves it: too few
 * candidates, or too many), the sorted copy decides. `values` is left unchanged.
 */
export function tailRiskOf(values: Float64Array, cutoff: number): TailRisk {
  const n = values.length;
  if (n === 0) return { valueAtRisk: Number.NaN, conditionalValueAtRisk: Number.NaN, tailRatio: Number.NaN };
  // Quantiles read: VaR at (100 x cutoff) / 100 (numpy's percentile rounding), the tail ratio at
  // 5/100 and 95/100; the CVaR sums the k + 1 smallest values in sorted order.
  const qVar = (100 * cutoff) / 100;
  const qLow = 5 / 100;
  const qHigh = 95 / 100;
  const k = Math.floor((n - 1) * cutoff);
  const varRank = lowerRank(n, qVar);
  const lowRank = lowerRank(n, qLow);
  const highRank = lowerRank(n, qHigh);
  // Ranks [0, prefix) hold every lower rank read and its neighbour; ranks >= highRank the top.
  const prefix = Math.min(n, Math.max(k + 1, varRank + 2, lowRank + 2));
  const top = n - highRank;
  const tails = n >= SAMPLED_MIN && prefix + top < n / 4 ? tailCandidates(values, prefix, top) : null;
  let low: Float64Array;
  let highA: number;
  let highB: number;
  if (tails === null) {
    low = Float64Array.from(values).sort();
    highA = low[highRank]!;
    highB = low[Math.min(highRank + 1, n - 1)]!;
  } else {
    // The prefix smallest values are the prefix smallest candidates below the low threshold.
    low = tails.low;
    selectInPlace(low, prefix - 1);
    low = sortAscending(low.subarray(0, prefix));
    // Rank highRank overall is rank (count - top) among the candidates above the high threshold.
    const high = tails.high;
    const r = high.length - top;
    selectInPlace(high, r);
    highA = high[r]!;
    highB = r + 1 < high.length ? minOf(high, r + 1, high.length) : highA;
  }
  const at = (rank: number): number => low[Math.min(rank, n - 1)]!;
  const valueAtRisk = interpolate(at(varRank), at(varRank + 1), (n - 1) * qVar - varRank);
  const conditionalValueAtRisk = pairwiseSum(low, 0, k + 1) / (k + 1);
  const lowQuantile = interpolate(at(lowRank), at(lowRank + 1), (n - 1) * qLow - lowRank);
  const highQuantile = interpolate(highA, highB, (n - 1) * qHigh - highRank);
  return { valueAtRisk, conditionalValueAtRisk, tailRatio: Math.abs(highQuantile) / Math.abs(lowQuantile) };
}

/** Scratch of the sample and of the tail candidates, grown on demand and reused across calls. */
const SAMPLE = new Float64Array(SAMPLE_SIZE);
let candidateScratch = new Float64Array(0);

/** [lows, highs] of {@link collectTails}. */
const TAIL_COUNTS = new Float64Array(2);

/** Where {@link collectTails} puts the candidates of each tail. */
interface TailBuffers {
  readonly lowThreshold: number;
  readonly highThreshold: number;
  readonly lowBuffer: Float64Array;
  readonly highBuffer: Float64Array;
  /** Receives [lows, highs]: how many values each buffer got. */
  readonly counts: Float64Array;
}

/**
 * Copies the values <= `lowThreshold` into `lowBuffer` and those >= `highThreshold` into
 * `highBuffer`, in order, and writes their counts to `counts` as [lows, highs]; stops when a
 * buffer is full (its count then equals its length). A leaf kernel (docs/architecture.md,
 * "Performance").
 */
function collectTails(values: Float64Array, into: TailBuffers): Float64Array {
  const { lowThreshold, highThreshold, lowBuffer, highBuffer, counts: out } = into;
  const lowCapacity = lowBuffer.length;
  const highCapacity = highBuffer.length;
  let lows = 0;
  let highs = 0;
  for (let i = 0; i < values.length; i++) {
    // Branch-free: every value is written at the next free slot, which only advances for a
    // candidate (tail candidates come at random, a branch would be mispredicted for each).
    const v = values[i]!;
    lowBuffer[lows] = v;
    highBuffer[highs] = v;
    lows += +(v <= lowThreshold);
    highs += +(v >= highThreshold);
    if (lows === lowCapacity || highs === highCapacity) break;
  }
  out[0] = lows;
  out[1] = highs;
  return out;
}

/**
 * The values <= a low threshold and >= a high threshold, the thresholds placed from an evenly
 * spaced sample so that about `lowCount` (`highCount`) values fall beyond them, with margin.
 * Null when the pass shows that the low candidates miss one of the `lowCount` smallest values
 * (fewer than `lowCount` of them), the high ones one of the `highCount` largest, the thresholds
 * overlap, or a buffer overflows (many equal values at a threshold).
 */
function tailCandidates(values: Float64Array, lowCount: number, highCount: number): { low: Float64Array; high: Float64Array } | null {
  const n = values.length;
  const sample = SAMPLE;
  for (let s = 0; s < SAMPLE_SIZE; s++) sample[s] = values[Math.floor(((s + 0.5) * n) / SAMPLE_SIZE)]!;
  sample.sort();
  // Margin: 25% more than the expected count plus 4 standard deviations of the sample rank.
  const rankOf = (count: number) => {
    const expected = (count / n) * SAMPLE_SIZE;
    return Math.ceil(expected * 1.25 + 4 * Math.sqrt(expected + 1));
  };
  const lowSample = rankOf(lowCount);
  const highSample = rankOf(highCount);
  if (lowSample + highSample >= SAMPLE_SIZE) return null;
  const lowThreshold = sample[lowSample]!;
  const highThreshold = sample[SAMPLE_SIZE - 1 - highSample]!;
  if (!(lowThreshold < highThreshold)) return null;
  // Room for twice the expected candidates; more means the threshold sits in a run of equal values.
  const lowCapacity = Math.ceil((2 * (lowSample + 1) * n) / SAMPLE_SIZE);
  const highCapacity = Math.ceil((2 * (highSample + 1) * n) / SAMPLE_SIZE);
  // Both buffers live in one scratch array, reused across calls (never returned to a caller).
  if (candidateScratch.length < lowCapacity + highCapacity) {
    candidateScratch = new Float64Array(Math.max(lowCapacity + highCapacity, 2 * candidateScratch.length));
  }
  const lowBuffer = candidateScratch.subarray(0, lowCapacity);
  const highBuffer = candidateScratch.subarray(lowCapacity, lowCapacity + highCapacity);
  const counts = collectTails(values, { lowThreshold, highThreshold, lowBuffer, highBuffer, counts: TAIL_COUNTS });
  const lows = counts[0]!;
  const highs = counts[1]!;
  if (lows === lowCapacity || highs === highCapacity) return null;
  if (lows < lowCount || highs < highCount) return null;
  return { low: lowBuffer.subarray(0, lows), high: highBuffer.subarray(0, highs) };
}
