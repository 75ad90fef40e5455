/**
 * Summation and moments exactly as numpy computes them, so results agree with empyrical
 * (numpy's `np.sum`, `np.nanmean`, `np.nanstd`) to the last bit in most cases.
 *
 * numpy sums float64 arrays with pairwise summation: blocks of up to 128 values are summed with
 * eight interleaved accumulators, longer runs are split in two (at a multiple of 8) and the
 * halves added. Reproducing the same order matters at the edges: a constant series then has a
 * standard deviation of exactly 0 (Sharpe = Infinity) instead of 1e-19 (Sharpe = 1e17).
 *
 * Internal module: not exported from the package index.
 */

const BLOCK = 128;

/** numpy's `pairwise_sum` over `a[start .. start + n)`. 0 for n = 0. */
export function pairwiseSum(a: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i]!;
    return res;
  }
  if (n <= BLOCK) {
    let r0 = a[start]!;
    let r1 = a[start + 1]!;
    let r2 = a[start + 2]!;
    let r3 = a[start + 3]!;
    let r4 = a[start + 4]!;
    let r5 = a[start + 5]!;
    let r6 = a[start + 6]!;
    let r7 = a[start + 7]!;
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const j = start + i;
      r0 += a[j]!;
      r1 += a[j + 1]!;
      r2 += a[j + 2]!;
      r3 += a[j + 3]!;
      r4 += a[j + 4]!;
      r5 += a[j + 5]!;
      r6 += a[j + 6]!;
      r7 += a[j + 7]!;
    }
    // Same association as numpy: ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)).
    let res = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

// Mapped pairwise sums: numpy sums the mapped array (x - shift, squared deviations, ...) that it
// materializes first. The same sum is obtained without that array: the pairwise recursion splits
// exactly as pairwiseSum does, and each leaf (<= 128 values) maps its values as it reads them and
// adds them in pairwiseSum's leaf order (eight interleaved accumulators). Bit-identical to
// materializing, no allocation and no intermediate buffer.
/** Mappings of {@link pairwiseSumMapped}; NaN maps to 0 in every one. */
const Mapping = {
  /** `x - p` (`x` itself when p is 0). */
  Shifted: 0,
  /** `((x - p) - q)^2` (`(x - q)^2` when p is 0). */
  SquaredDeviation: 1,
  /** `min(x - p, 0)^2`. */
  Downside: 2,
} as const;
type Mapping = (typeof Mapping)[keyof typeof Mapping];

// Leaves of the mapped sums, one per mapping (the mapping written out in each, so that nothing
// but arithmetic runs per value): pairwiseSum's leaf order, where the eight accumulators start at
// -0 instead of the first eight values (-0 + v is exactly v for every v, -0 and NaN included).
// Downside: min(d, 0) without a sign branch (a coin flip on returns): (d - |d|) / 2 is exactly d
// for d <= 0 and +0 for d > 0 (it overflows to -Infinity only where d * d is Infinity anyway).

/** pairwiseSum's leaf (n <= 128) over the Shifted mapping of `a[start .. start + n)`. */
function shiftedLeaf(a: Float64Array, start: number, n: number, p: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) {
      const x = a[start + i]!;
      const v = p === 0 ? x : x - p;
      res += v === v ? v : 0;
    }
    return res;
  }
  let r0 = -0;
  let r1 = -0;
  let r2 = -0;
  let r3 = -0;
  let r4 = -0;
  let r5 = -0;
  let r6 = -0;
  let r7 = -0;
  const end = n - (n % 8);
  let i = 0;
  for (; i < end; i += 8) {
    const j = start + i;
    const x0 = a[j]!;
    const v0 = p === 0 ? x0 : x0 - p;
    r0 += v0 === v0 ? v0 : 0;
    const x1 = a[j + 1]!;
    const v1 = p === 0 ? x1 : x1 - p;
    r1 += v1 === v1 ? v1 : 0;
    const x2 = a[j + 2]!;
    const v2 = p === 0 ? x2 : x2 - p;
    r2 += v2 === v2 ? v2 : 0;
    const x3 = a[j + 3]!;
    const v3 = p === 0 ? x3 : x3 - p;
    r3 += v3 === v3 ? v3 : 0;
    const x4 = a[j + 4]!;
    const v4 = p === 0 ? x4 : x4 - p;
    r4 += v4 === v4 ? v4 : 0;
    const x5 = a[j + 5]!;
    const v5 = p === 0 ? x5 : x5 - p;
    r5 += v5 === v5 ? v5 : 0;
    const x6 = a[j + 6]!;
    const v6 = p === 0 ? x6 : x6 - p;
    r6 += v6 === v6 ? v6 : 0;
    const x7 = a[j + 7]!;
    const v7 = p === 0 ? x7 : x7 - p;
    r7 += v7 === v7 ? v7 : 0;
  }
  let res = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
  for (; i < n; i++) {
      const x = a[start + i]!;
      const v = p === 0 ? x : x - p;
    res += v === v ? v : 0;
  }
  return res;
}

/** pairwiseSum's leaf (n <= 128) over the SquaredDeviation mapping of `a[start .. start + n)`. */
function squaredDeviationLeaf(a: Float64Array, start: number, n: number, p: number, q: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) {
      const x = a[start + i]!;
      const v = p === 0 ? x : x - p; const d = v - q;
      res += v === v ? d * d : 0;
    }
    return res;
  }
  let r0 = -0;
  let r1 = -0;
  let r2 = -0;
  let r3 = -0;
  let r4 = -0;
  let r5 = -0;
  let r6 = -0;
  let r7 = -0;
  const end = n - (n % 8);
  let i = 0;
  for (; i < end; i += 8) {
    const j = start + i;
    const x0 = a[j]!;
    const v0 = p === 0 ? x0 : x0 - p; const d0 = v0 - q;
    r0 += v0 === v0 ? d0 * d0 : 0;
    const x1 = a[j + 1]!;
    const v1 = p === 0 ? x1 : x1 - p; const d1 = v1 - q;
    r1 += v1 === v1 ? d1 * d1 : 0;
    const x2 = a[j + 2]!;
    const v2 = p === 0 ? x2 : x2 - p; const d2 = v2 - q;
    r2 += v2 === v2 ? d2 * d2 : 0;
    const x3 = a[j + 3]!;
    const v3 = p === 0 ? x3 : x3 - p; const d3 = v3 - q;
    r3 += v3 === v3 ? d3 * d3 : 0;
    const x4 = a[j + 4]!;
    const v4 = p === 0 ? x4 : x4 - p; const d4 = v4 - q;
    r4 += v4 === v4 ? d4 * d4 : 0;
    const x5 = a[j + 5]!;
    const v5 = p === 0 ? x5 : x5 - p; const d5 = v5 - q;
    r5 += v5 === v5 ? d5 * d5 : 0;
    const x6 = a[j + 6]!;
    const v6 = p === 0 ? x6 : x6 - p; const d6 = v6 - q;
    r6 += v6 === v6 ? d6 * d6 : 0;
    const x7 = a[j + 7]!;
    const v7 = p === 0 ? x7 : x7 - p; const d7 = v7 - q;
    r7 += v7 === v7 ? d7 * d7 : 0;
  }
  let res = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
  for (; i < n; i++) {
      const x = a[start + i]!;
      const v = p === 0 ? x : x - p; const d = v - q;
    res += v === v ? d * d : 0;
  }
  return res;
}

/** pairwiseSum's leaf (n <= 128) over the Downside mapping of `a[start .. start + n)`. */
function downsideLeaf(a: Float64Array, start: number, n: number, p: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) {
      const x = a[start + i]!;
      const d = x - p; const m = (d - Math.abs(d)) * 0.5;
      res += d === d ? m * m : 0;
    }
    return res;
  }
  let r0 = -0;
  let r1 = -0;
  let r2 = -0;
  let r3 = -0;
  let r4 = -0;
  let r5 = -0;
  let r6 = -0;
  let r7 = -0;
  const end = n - (n % 8);
  let i = 0;
  for (; i < end; i += 8) {
    const j = start + i;
    const x0 = a[j]!;
    const d0 = x0 - p; const m0 = (d0 - Math.abs(d0)) * 0.5;
    r0 += d0 === d0 ? m0 * m0 : 0;
    const x1 = a[j + 1]!;
    const d1 = x1 - p; const m1 = (d1 - Math.abs(d1)) * 0.5;
    r1 += d1 === d1 ? m1 * m1 : 0;
    const x2 = a[j + 2]!;
    const d2 = x2 - p; const m2 = (d2 - Math.abs(d2)) * 0.5;
    r2 += d2 === d2 ? m2 * m2 : 0;
    const x3 = a[j + 3]!;
    const d3 = x3 - p; const m3 = (d3 - Math.abs(d3)) * 0.5;
    r3 += d3 === d3 ? m3 * m3 : 0;
    const x4 = a[j + 4]!;
    const d4 = x4 - p; const m4 = (d4 - Math.abs(d4)) * 0.5;
    r4 += d4 === d4 ? m4 * m4 : 0;
    const x5 = a[j + 5]!;
    const d5 = x5 - p; const m5 = (d5 - Math.abs(d5)) * 0.5;
    r5 += d5 === d5 ? m5 * m5 : 0;
    const x6 = a[j + 6]!;
    const d6 = x6 - p; const m6 = (d6 - Math.abs(d6)) * 0.5;
    r6 += d6 === d6 ? m6 * m6 : 0;
    const x7 = a[j + 7]!;
    const d7 = x7 - p; const m7 = (d7 - Math.abs(d7)) * 0.5;
    r7 += d7 === d7 ? m7 * m7 : 0;
  }
  let res = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
  for (; i < n; i++) {
      const x = a[start + i]!;
      const d = x - p; const m = (d - Math.abs(d)) * 0.5;
    res += d === d ? m * m : 0;
  }
  return res;
}

/** numpy's pairwise sum of the mapped values of `a[start .. start + n)` (see {@link Mapping}). */
function pairwiseSumMapped(a: Float64Array, start: number, n: number, mapping: Mapping, p: number, q: number): number {
  if (n <= BLOCK) {
    if (mapping === Mapping.SquaredDeviation) return squaredDeviationLeaf(a, start, n, p, q);
    if (mapping === Mapping.Downside) return downsideLeaf(a, start, n, p);
    return shiftedLeaf(a, start, n, p);
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSumMapped(a, start, n2, mapping, p, q) + pairwiseSumMapped(a, start + n2, n - n2, mapping, p, q);
}

/** Number of non-NaN values. */
export function countNonNaN(values: Float64Array): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) count++;
  return count;
}

/**
 * `np.nanmean(values - shift)`: NaN entries are replaced by 0 in the pairwise sum and left out of
 * the count. NaN when nothing is left. `shift` 0 leaves values untouched (empyrical's
 * `_adjust_returns` shortcut). `count` is {@link countNonNaN} of the values when the caller knows it.
 */
export function nanMean(values: Float64Array, shift: number, count = countNonNaN(values)): number {
  const n = values.length;
  // Nothing to shift and no NaN to drop: the values are summed as they are.
  if (shift === 0 && count === n) return pairwiseSum(values, 0, n) / n;
  return pairwiseSumMapped(values, 0, n, Mapping.Shifted, shift, 0) / count;
}

/**
 * `np.nanstd(values - shift, ddof)`: the mean as in {@link nanMean}, then the pairwise sum of
 * squared deviations (0 at NaN positions) divided by count - ddof. NaN when count - ddof <= 0.
 * `mean` must be the value {@link nanMean} returned for the same input.
 */
export function nanStd(values: Float64Array, shift: number, ddof: number, mean: number, count = countNonNaN(values)): number {
  const dof = count - ddof;
  if (dof <= 0) return Number.NaN;
  return Math.sqrt(pairwiseSumMapped(values, 0, values.length, Mapping.SquaredDeviation, shift, mean) / dof);
}

/**
 * numpy's `np.sum(np.clip(values - requiredReturn, -inf, 0) ** 2)` with NaN entries as 0 (the
 * numerator of empyrical's downside risk).
 */
export function downsideSquares(values: Float64Array, requiredReturn: number): number {
  return pairwiseSumMapped(values, 0, values.length, Mapping.Downside, requiredReturn, 0);
}
