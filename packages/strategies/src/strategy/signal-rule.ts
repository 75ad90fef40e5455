import { AlgoTradingError, describeValue, requireInRange } from '@algo-trading/core';

/**
 * Tolerance of the threshold comparisons, so decimal boundaries behave as written: with threshold
 * 0.55, p = 0.45 gives 1 - p = 0.5499999999999999 in binary floating point, which still counts as
 * reaching 0.55.
 */
export const THRESHOLD_TOLERANCE = 1e-12;

/** Signals and confidences aligned with the feature rows. */
export interface ThresholdedSignals {
  /** 1 = BUY, -1 = SELL (an exit, or a short when shorting is allowed), 0 = HOLD. */
  readonly signals: Int8Array;
  /**
   * p for BUY, 1 - p for SELL, max(p, 1 - p) for HOLD, and NaN where there was no prediction
   * (NaN probability: a row with missing features).
   */
  readonly confidences: Float64Array;
}

/** Checks a confidence threshold: a number in [0.5, 1]. */
export function requireThreshold(field: string, threshold: unknown): number {
  return requireInRange(field, threshold, { min: 0.5, max: 1 });
}

/**
 * The signal rule. For each p = P(up):
 * `p >= threshold` -> BUY (1), confidence p; else `1 - p >= threshold` -> SELL (-1), confidence
 * 1 - p; else HOLD (0), confidence max(p, 1 - p). A NaN p (no prediction) -> HOLD with confidence
 * NaN. Comparisons allow {@link THRESHOLD_TOLERANCE}. The threshold must be in [0.5, 1].
 * A probability outside [0, 1] (or infinite) is an `INVALID_DATA` error naming the row.
 *
 * @example
 * applyThreshold([0.7, 0.3, 0.5, NaN], 0.6);
 * // signals [1, -1, 0, 0], confidences [0.7, 0.7, 0.5, NaN]
 */
export function applyThreshold(probabilities: ArrayLike<number>, threshold: number): ThresholdedSignals {
  requireThreshold('threshold', threshold);
  const n = probabilities.length;
  const signals = new Int8Array(n);
  const confidences = new Float64Array(n);
  applyThresholdInto(probabilities, threshold, signals, confidences);
  return { signals, confidences };
}

/**
 * {@link applyThreshold} into caller-owned buffers (no allocation; the grid search reuses them).
 * `threshold` is trusted to be valid.
 */
export function applyThresholdInto(
  probabilities: ArrayLike<number>,
  threshold: number,
  signals: Int8Array,
  confidences: Float64Array,
): void {
  const bar = threshold - THRESHOLD_TOLERANCE;
  const n = probabilities.length;
  for (let i = 0; i < n; i++) {
    const p = probabilities[i]!;
    if (Number.isNaN(p)) {
      signals[i] = 0;
      confidences[i] = Number.NaN;
      continue;
    }
    if (!(p >= 0 && p <= 1)) {
      throw new AlgoTradingError('INVALID_DATA', `probabilities[${i}] must be in [0, 1], got ${describeValue(p)}`, {
        details: { field: 'probabilities', index: i, value: p },
      });
    }
    const q = 1 - p;
    if (p >= bar) {
      signals[i] = 1;
      confidences[i] = p;
    } else if (q >= bar) {
      signals[i] = -1;
      confidences[i] = q;
    } else {
      signals[i] = 0;
      confidences[i] = p > q ? p : q;
    }
  }
}
