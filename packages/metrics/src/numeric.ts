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

/**
 * One value under `mapping`. Downside: min(d, 0) without a sign branch (a coin flip on returns):
 * (d - |d|) / 2 is exactly d for d <= 0 and +0 for d > 0 (it overflows to -Infinity only where
 * d * d is Infinity anyway).
 */
function mapValue(x: number, mapping: Mapping, p: number, q: number): number {
  if (mapping === Mapping.Downside) {
    const d = x - p;
    const m = (d - Math.abs(d)) * 0.5;
    return d === d ? m * m : 0;
  }
  const v = p === 0 ? x : x - p;
  if (v !== v) return 0;
  if (mapping === Mapping.SquaredDeviation) {
    const d = v - q;
    return d * d;
  }
  return v;
}

/**
 * pairwiseSum's leaf (n <= 128) over the mapped values of `a[start .. start + n)`, in its order
 * (eight interleaved accumulators); they start at -0 instead of the first eight values, which is
 * the same sum: -0 + v is exactly v for every v, -0 included.
 */
function mappedLeaf(a: Float64Array, start: number, n: number, mapping: Mapping, p: number, q: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += mapValue(a[start + i]!, mapping, p, q);
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
    r0 += mapValue(a[j]!, mapping, p, q);
    r1 += mapValue(a[j + 1]!, mapping, p, q);
    r2 += mapValue(a[j + 2]!, mapping, p, q);
    r3 += mapValue(a[j + 3]!, mapping, p, q);
    r4 += mapValue(a[j + 4]!, mapping, p, q);
    r5 += mapValue(a[j + 5]!, mapping, p, q);
    r6 += mapValue(a[j + 6]!, mapping, p, q);
    r7 += mapValue(a[j + 7]!, mapping, p, q);
  }
  let res = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
  for (; i < n; i++) res += mapValue(a[start + i]!, mapping, p, q);
  return res;
}

/** numpy's pairwise sum of the mapped values of `a[start .. start + n)` (see {@link Mapping}). */
function pairwiseSumMapped(a: Float64Array, start: number, n: number, mapping: Mapping, p: number, q: number): number {
  if (n <= BLOCK) return mappedLeaf(a, start, n, mapping, p, q);
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
