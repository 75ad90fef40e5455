import { AlgoTradingError } from '@algo-trading/core';

/**
 * Downsampling of long chart series: Largest-Triangle-Three-Buckets (Steinarsson, 2013) keeps the
 * visual shape of a line with a few thousand points, and the global extremes are always kept so
 * that no peak, low or drawdown trough the report quotes disappears from its chart. One
 * implementation for every chart of the report.
 */

/** Points per long series handed to the charts: two per horizontal pixel of a 1,000 px chart, and some. */
export const CHART_POINTS = 2_500;

/** Options of {@link downsampleIndices}. */
export interface DownsampleOptions {
  /** Most points returned (>= 3 + the number of extra indices to keep). */
  readonly maxPoints: number;
  /** Keep the indices of the largest and the smallest finite y (default true). */
  readonly keepExtremes?: boolean | undefined;
  /** More indices that must be kept (e.g. the equity at the deepest drawdown). */
  readonly keep?: readonly number[] | undefined;
}

/** Index of the largest and of the smallest finite value; -1 when there is none. */
export function extremeIndices(y: ArrayLike<number>): { max: number; min: number } {
  let max = -1;
  let min = -1;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) continue;
    if (max < 0 || v > y[max]!) max = i;
    if (min < 0 || v < y[min]!) min = i;
  }
  return { max, min };
}

/**
 * Plain LTTB over `n` points: `target` indices (>= 3, < n), the first and the last included;
 * each bucket between contributes the point forming the largest triangle with the point chosen
 * before it and the mean of the next bucket. Non-finite y values never win a bucket that has a
 * finite one.
 */
function lttb(x: ArrayLike<number>, y: ArrayLike<number>, n: number, target: number): number[] {
  const out: number[] = [0];
  const every = (n - 2) / (target - 2);
  let a = 0;
  for (let bucket = 0; bucket < target - 2; bucket++) {
    // Mean of the next bucket (the last point for the last bucket).
    const nextStart = Math.floor((bucket + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((bucket + 2) * every) + 1, n);
    let meanX = 0;
    let meanY = 0;
    let count = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      if (!Number.isFinite(y[j]!)) continue;
      meanX += x[j]!;
      meanY += y[j]!;
      count++;
    }
    if (count === 0) {
      meanX = x[nextEnd - 1]!;
      meanY = y[nextEnd - 1]!;
    } else {
      meanX /= count;
      meanY /= count;
    }
    // The point of this bucket with the largest triangle.
    const start = Math.floor(bucket * every) + 1;
    const end = Math.floor((bucket + 1) * every) + 1;
    const ax = x[a]!;
    const ay = y[a]!;
    let chosen = start;
    let largest = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - meanX) * (y[j]! - ay) - (ax - x[j]!) * (meanY - ay));
      if (area > largest) {
        largest = area;
        chosen = j;
      }
    }
    out.push(chosen);
    a = chosen;
  }
  out.push(n - 1);
  return out;
}

/**
 * Indices of at most `maxPoints` points of the series `(x, y)` that draw the same line: every
 * index when the series is that short already, otherwise LTTB plus the global extremes and the
 * `keep` indices, ascending and without duplicates. The first and the last point are always in.
 *
 * @throws AlgoTradingError `INVALID_ARGUMENT` when x and y differ in length or `maxPoints` leaves
 *   no room for the points to keep.
 */
export function downsampleIndices(x: ArrayLike<number>, y: ArrayLike<number>, options: DownsampleOptions): Int32Array {
  const n = y.length;
  if (x.length !== n) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `x has ${x.length} values but y has ${n}: they must be aligned`, {
      details: { field: 'x', value: x.length },
    });
  }
  const extra = new Set<number>();
  if (options.keepExtremes !== false) {
    const { max, min } = extremeIndices(y);
    if (max >= 0) extra.add(max);
    if (min >= 0) extra.add(min);
  }
  for (const i of options.keep ?? []) if (Number.isInteger(i) && i >= 0 && i < n) extra.add(i);
  const maxPoints = options.maxPoints;
  if (!Number.isInteger(maxPoints) || maxPoints < 3 + extra.size) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `maxPoints must be an integer of at least ${3 + extra.size} (3 plus the points to keep), got ${maxPoints}`, {
      details: { field: 'maxPoints', value: maxPoints },
    });
  }
  if (n <= maxPoints) return Int32Array.from({ length: n }, (_, i) => i);
  const chosen = new Set(lttb(x, y, n, maxPoints - extra.size));
  for (const i of extra) chosen.add(i);
  return Int32Array.from(chosen).sort();
}

/** `[x, y]` pairs of the downsampled series (see {@link downsampleIndices}), ready for a chart. */
export function downsamplePairs(x: ArrayLike<number>, y: ArrayLike<number>, options: DownsampleOptions): [number, number][] {
  const indices = downsampleIndices(x, y, options);
  const out: [number, number][] = new Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = [x[indices[k]!]!, y[indices[k]!]!];
  return out;
}
