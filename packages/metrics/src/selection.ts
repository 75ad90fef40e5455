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
/** Digits of the radix sort: 11, 11 and 10 bits of the low word, then the same of the high word. */
const DIGIT_WORD = [0, 0, 0, 1, 1, 1] as const;
const DIGIT_SHIFT = [0, 11, 22, 0, 11, 22] as const;
const DIGIT_MASK = [0x7ff, 0x7ff, 0x3ff, 0x7ff, 0x7ff, 0x3ff] as const;
const BUCKETS = 2048;
/** The six digit histograms (2048 counts each), reused across calls. */
const COUNTS = new Uint32Array(6 * BUCKETS);
/** Scatter target of the radix sort (two words a value), grown on demand and reused across calls. */
let radixScratch = new Uint32Array(0);

/**
 * Sorts `a` ascending in place and returns it: the same order as `Float64Array.prototype.sort`
 * (numeric, -0 before +0), for NaN-free input. Long arrays take an LSD radix sort on the IEEE
 * bits: order-preserving keys, six digits of 11/11/10 bits per 32-bit word (the histograms fit
 * the L1 cache and are all counted in one read), and a digit on which every key agrees (the
 * sign and exponent bits of a tail of returns, often) is skipped. No allocation in the steady
 * state.
 */
export function sortAscending(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < RADIX_MIN || !LITTLE_ENDIAN) return a.sort();
  const words = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  const counts = COUNTS;
  counts.fill(0);
  toKeysCounting(words, counts);
  if (radixScratch.length < 2 * n) radixScratch = new Uint32Array(Math.max(2 * n, 2 * radixScratch.length));
  let source: Uint32Array = words;
  let target: Uint32Array = radixScratch;
  for (let digit = 0; digit < 6; digit++) {
    const base = digit * BUCKETS;
    const word = DIGIT_WORD[digit]!;
    const shift = DIGIT_SHIFT[digit]!;
    const mask = DIGIT_MASK[digit]!;
    // Every key in one bucket: this digit leaves the order as it is.
    if (counts[base + ((source[word]! >>> shift) & mask)] === n) continue;
    let total = 0;
    for (let b = base; b < base + BUCKETS; b++) {
      const c = counts[b]!;
      counts[b] = total;
      total += c;
    }
    scatterByDigit(source, target, counts, { base, word, shift, mask, words: 2 * n });
    const swap = source;
    source = target;
    target = swap;
  }
  fromKeys(source, words);
  return a;
}

// The passes of sortAscending over the keys are leaf kernels (docs/architecture.md, "Performance").

/**
 * Turns the values' words into order-preserving keys in place (negative numbers flip every bit,
 * the others only the sign bit) and counts the six digits of every key into `counts`.
 */
function toKeysCounting(words: Uint32Array, counts: Uint32Array): void {
  for (let i = 0; i < words.length; i += 2) {
    let high = words[i + 1]!;
    let low = words[i]!;
    if (high >= 0x80000000) {
      high = ~high >>> 0;
      low = ~low >>> 0;
      words[i] = low;
    } else {
      high = (high | 0x80000000) >>> 0;
    }
    words[i + 1] = high;
    counts[low & 0x7ff]!++;
    counts[BUCKETS + ((low >>> 11) & 0x7ff)]!++;
    counts[2 * BUCKETS + (low >>> 22)]!++;
    counts[3 * BUCKETS + (high & 0x7ff)]!++;
    counts[4 * BUCKETS + ((high >>> 11) & 0x7ff)]!++;
    counts[5 * BUCKETS + (high >>> 22)]!++;
  }
}

/** One pass of the radix sort: its digit, over the first `words` words. */
interface RadixPass {
  /** Offset of the digit's histogram in the counts (its bucket starts after the prefix sum). */
  readonly base: number;
  /** 0: the low word, 1: the high word. */
  readonly word: number;
  readonly shift: number;
  readonly mask: number;
  /** Words to move (two a key). */
  readonly words: number;
}

/** Moves the keys of `source` to their buckets' next slots in `target` (a stable pass on its digit). */
function scatterByDigit(source: Uint32Array, target: Uint32Array, counts: Uint32Array, pass: RadixPass): void {
  const { base, word, shift, mask, words } = pass;
  for (let i = 0; i < words; i += 2) {
    const low = source[i]!;
    const high = source[i + 1]!;
    const slot = 2 * counts[base + (((word === 0 ? low : high) >>> shift) & mask)]!++;
    target[slot] = low;
    target[slot + 1] = high;
  }
}

/** Undoes the key transform, writing the sorted keys of `source` back as values into `words`. */
function fromKeys(source: Uint32Array, words: Uint32Array): void {
  for (let i = 0; i < words.length; i += 2) {
    const high = source[i + 1]!;
    if (high >= 0x80000000) {
      words[i + 1] = (high & 0x7fffffff) >>> 0;
      words[i] = source[i]!;
    } else {
      words[i + 1] = ~high >>> 0;
      words[i] = ~source[i]! >>> 0;
    }
  }
}
