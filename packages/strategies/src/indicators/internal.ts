import { AlgoTradingError, describeValue, requireInteger } from '@algo-trading/core';

/** A Float64Array of length n filled with NaN (the warm-up value of every indicator). */
export function nanArray(n: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN);
}

/** Checks that `values` is an array of numbers (number[] or a typed array) and returns it. */
export function requireSeries(field: string, values: unknown): ArrayLike<number> {
  if (
    typeof values !== 'object' ||
    values === null ||
    !(Array.isArray(values) || ArrayBuffer.isView(values)) ||
    typeof (values as ArrayLike<number>).length !== 'number'
  ) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `${field} must be an array of numbers, got ${describeValue(values)}`, {
      details: { field, value: values },
    });
  }
  return values as ArrayLike<number>;
}

/** Checks that every series has the same length as the first one. */
export function requireSameLength(series: Readonly<Record<string, ArrayLike<number>>>): number {
  let n = -1;
  let first = '';
  for (const [name, values] of Object.entries(series)) {
    if (n === -1) {
      n = values.length;
      first = name;
    } else if (values.length !== n) {
      throw new AlgoTradingError(
        'INVALID_ARGUMENT',
        `${name} has ${values.length} values but ${first} has ${n}: the series must have the same length`,
        { details: { field: name, value: values.length } },
      );
    }
  }
  return Math.max(n, 0);
}

/** Checks an indicator period: an integer >= min (default 1). */
export function requirePeriod(field: string, period: unknown, min = 1): number {
  return requireInteger(field, period, min);
}

/**
 * Sliding-window sum and sum of squares with a shifted origin and Kahan compensation. Every
 * `period` steps the caller re-anchors the window on its exact mean ({@link rebase}, O(period),
 * so O(1) amortised): rounding errors never outlive two windows and large values that left the
 * window stop polluting the variance. Call {@link add} for each new value and {@link remove} for
 * the value leaving the window.
 */
export class RollingMoments {
  private shift = 0;
  private sum = 0;
  private sumC = 0;
  private sumSq = 0;
  private sumSqC = 0;

  /** Starts a new run: empties the window and anchors the shift at `origin`. */
  reset(origin: number): void {
    this.shift = origin;
    this.sum = 0;
    this.sumC = 0;
    this.sumSq = 0;
    this.sumSqC = 0;
  }

  private addTerms(d: number, d2: number): void {
    let y = d - this.sumC;
    let t = this.sum + y;
    this.sumC = t - this.sum - y;
    this.sum = t;
    y = d2 - this.sumSqC;
    t = this.sumSq + y;
    this.sumSqC = t - this.sumSq - y;
    this.sumSq = t;
  }

  /** Adds a value to the window. */
  add(x: number): void {
    const d = x - this.shift;
    this.addTerms(d, d * d);
  }

  /** Removes a value that leaves the window. */
  remove(x: number): void {
    const d = x - this.shift;
    this.addTerms(-d, -d * d);
  }

  /**
   * Recomputes the sums exactly (two passes) over `values[start, end)`, anchored on their mean.
   */
  rebase(values: ArrayLike<number>, start: number, end: number): void {
    let total = 0;
    for (let j = start; j < end; j++) total += values[j]!;
    const origin = total / (end - start);
    let sum = 0;
    let sumSq = 0;
    for (let j = start; j < end; j++) {
      const d = values[j]! - origin;
      sum += d;
      sumSq += d * d;
    }
    this.shift = origin;
    this.sum = sum;
    this.sumC = 0;
    this.sumSq = sumSq;
    this.sumSqC = 0;
  }

  /** Mean of the `count` values in the window. */
  mean(count: number): number {
    return this.shift + this.sum / count;
  }

  /** Variance of the `count` values in the window with `ddof` delta degrees of freedom, >= 0. */
  variance(count: number, ddof: number): number {
    const v = (this.sumSq - (this.sum * this.sum) / count) / (count - ddof);
    return v > 0 ? v : 0;
  }
}
