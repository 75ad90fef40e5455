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

/** A reusable work buffer of at least `n` elements (grows, never shrinks). */
export class Scratch {
  private buffer: Float64Array;

  constructor(initialSize = 0) {
    this.buffer = new Float64Array(initialSize);
  }

  /** A buffer with room for `n` values; its contents are unspecified. */
  get(n: number): Float64Array {
    if (this.buffer.length < n) this.buffer = new Float64Array(n);
    return this.buffer;
  }
}

/**
 * `np.nanmean(values - shift)`: NaN entries are replaced by 0 in the pairwise sum and left out of
 * the count. NaN when nothing is left. `shift` 0 leaves values untouched (empyrical's
 * `_adjust_returns` shortcut).
 */
export function nanMean(values: Float64Array, shift: number, scratch: Scratch): number {
  const n = values.length;
  const work = scratch.get(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = shift === 0 ? values[i]! : values[i]! - shift;
    if (v === v) {
      work[i] = v;
      count++;
    } else {
      work[i] = 0;
    }
  }
  return pairwiseSum(work, 0, n) / count;
}

/**
 * `np.nanstd(values - shift, ddof)`: the mean as in {@link nanMean}, then the pairwise sum of
 * squared deviations (0 at NaN positions) divided by count - ddof. NaN when count - ddof <= 0.
 * `mean` must be the value {@link nanMean} returned for the same input.
 */
export function nanStd(values: Float64Array, shift: number, ddof: number, mean: number, scratch: Scratch): number {
  const n = values.length;
  const work = scratch.get(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = shift === 0 ? values[i]! : values[i]! - shift;
    if (v === v) {
      const d = v - mean;
      work[i] = d * d;
      count++;
    } else {
      work[i] = 0;
    }
  }
  const dof = count - ddof;
  if (dof <= 0) return Number.NaN;
  return Math.sqrt(pairwiseSum(work, 0, n) / dof);
}
