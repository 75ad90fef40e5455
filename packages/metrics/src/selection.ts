/**
 * Order statistics without a full sort (internal module): Floyd-Rivest selection over a
 * Float64Array, in place. NaN-free input only (the callers guarantee it); -0 and +0 count as
 * equal, so a caller that could hold both must not rely on the sign of a selected zero.
 *
 * A selected rank holds exactly the value a full sort would put there; where an order matters
 * (a pairwise sum over the smallest values) the caller sorts the selected segment.
 */

/**
 * Rearranges `a[left..right]` (inclusive) so that `a[k]` is the value a full ascending sort
 * would put at `k`, every value before it is <= and every value after it is >= (Floyd and
 * Rivest, "Algorithm 489", with the sampling step for ranges over 600). Expected O(n); equal
 * values are swapped from both ends, so runs of duplicates stay balanced. NaN-free input only.
 */
export function selectInPlace(a: Float64Array, k: number, left = 0, right = a.length - 1): void {
  while (right > left) {
    if (right - left > 600) {
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      selectInPlace(a, k, newLeft, newRight);
    }
    const t = a[k]!;
    let i = left;
    let j = right;
    a[k] = a[left]!;
    a[left] = t;
    if (a[right]! > t) {
      a[left] = a[right]!;
      a[right] = t;
    }
    while (i < j) {
      const x = a[i]!;
      a[i] = a[j]!;
      a[j] = x;
      i++;
      j--;
      while (a[i]! < t) i++;
      while (a[j]! > t) j--;
    }
    if (a[left] === t) {
      const x = a[left]!;
      a[left] = a[j]!;
      a[j] = x;
    } else {
      j++;
      const x = a[j]!;
      a[j] = a[right]!;
      a[right] = x;
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

/** Smallest value of `a[from..to)` (from < to). */
export function minOf(a: Float64Array, from: number, to: number): number {
  let m = a[from]!;
  for (let i = from + 1; i < to; i++) {
    const v = a[i]!;
    if (v < m) m = v;
  }
  return m;
}

/** Below this length the built-in typed-array sort is faster than the radix sort. */
const RADIX_MIN = 16_384;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Sorts `a` ascending in place and returns it: the same order as `Float64Array.prototype.sort`
 * (numeric, -0 before +0), for NaN-free input. Long arrays take an LSD radix sort on the IEEE
 * bits (4 passes of 16 bits, about twice as fast as the built-in sort at 50,000 values).
 */
export function sortAscending(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < RADIX_MIN || !LITTLE_ENDIAN) return a.sort();
  const words = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  // Order-preserving keys: negative numbers flip every bit, the others only the sign bit.
  for (let i = 0; i < 2 * n; i += 2) {
    const high = words[i + 1]!;
    if (high >= 0x80000000) {
      words[i + 1] = ~high >>> 0;
      words[i] = ~words[i]! >>> 0;
    } else {
      words[i + 1] = (high | 0x80000000) >>> 0;
    }
  }
  let source: Uint32Array = words;
  let target: Uint32Array = new Uint32Array(2 * n);
  const counts = new Uint32Array(65_536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(source[2 * i + word]! >>> shift) & 0xffff]!++;
    let total = 0;
    for (let b = 0; b < 65_536; b++) {
      const c = counts[b]!;
      counts[b] = total;
      total += c;
    }
    for (let i = 0; i < n; i++) {
      const low = source[2 * i]!;
      const high = source[2 * i + 1]!;
      const slot = counts[((word === 0 ? low : high) >>> shift) & 0xffff]!++;
      target[2 * slot] = low;
      target[2 * slot + 1] = high;
    }
    const swap = source;
    source = target;
    target = swap;
  }
  // Four passes: the sorted keys are back in `words`. Undo the key transform.
  for (let i = 0; i < 2 * n; i += 2) {
    const high = words[i + 1]!;
    if (high >= 0x80000000) {
      words[i + 1] = (high & 0x7fffffff) >>> 0;
    } else {
      words[i + 1] = ~high >>> 0;
      words[i] = ~words[i]! >>> 0;
    }
  }
  return a;
}
