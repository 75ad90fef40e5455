import { AlgoTradingError, describeValue, requireInteger } from '@algo-trading/core';

/** The label of a bar that has no regime yet (warm-up). */
export const WARMUP_LABEL = -1;

/**
 * Regime labels aligned with bars, the common shape of every regime in this package: label k is
 * regime `names[k]`, {@link WARMUP_LABEL} (-1) marks the warm-up.
 */
export interface RegimeLabels {
  /** One label per bar: 0 .. names.length - 1, or -1 during the warm-up. */
  readonly labels: Int32Array;
  /** Index of the first labelled bar (the number of warm-up bars); the length when none is labelled. */
  readonly warmup: number;
  /** Name of each regime, by label. */
  readonly names: readonly string[];
}

/**
 * Throws `INVALID_DATA` unless `probabilities` is a `Float64Array` of whole rows of `states`
 * values; returns the number of rows.
 */
export function probabilityRows(probabilities: unknown, states: number, field = 'probabilities'): number {
  if (!(probabilities instanceof Float64Array) || probabilities.length % states !== 0) {
    throw new AlgoTradingError(
      'INVALID_DATA',
      `${field} must be a Float64Array of rows of ${states} probabilities (T x K, row-major), got ${describeValue(probabilities)}`,
      { details: { field, value: probabilities } },
    );
  }
  return probabilities.length / states;
}

/**
 * The most probable state of each row of `probabilities` (T x K, row-major), -1 for a row with
 * a NaN (not available yet). Ties go to the lower state.
 *
 * @example
 * labelsFromProbabilities(Float64Array.of(NaN, NaN, 0.2, 0.8, 0.6, 0.4), 2); // Int32Array [-1, 1, 0]
 */
export function labelsFromProbabilities(probabilities: Float64Array, states: number): Int32Array {
  requireInteger('states', states, 2);
  const rows = probabilityRows(probabilities, states);
  const labels = new Int32Array(rows);
  for (let t = 0; t < rows; t++) {
    const base = t * states;
    let best = 0;
    let bestP = probabilities[base]!;
    let missing = bestP !== bestP;
    for (let k = 1; k < states && !missing; k++) {
      const p = probabilities[base + k]!;
      if (p !== p) missing = true;
      else if (p > bestP) {
        best = k;
        bestP = p;
      }
    }
    labels[t] = missing ? WARMUP_LABEL : best;
  }
  return labels;
}
