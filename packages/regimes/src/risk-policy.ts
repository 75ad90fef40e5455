import { AlgoTradingError, describeValue, parseOptions, zFraction } from '@algo-trading/core';
import { z } from 'zod';
import { WARMUP_LABEL, probabilityRows } from './labels';

/** zod schema of {@link RegimeRiskPolicyOptions}. */
export const regimeRiskPolicySchema = z.strictObject({
  multipliers: z.array(zFraction()).min(2, { error: 'expected one multiplier per regime (at least 2)' }),
  mode: z.enum(['expected', 'threshold']).default('expected'),
  minProbability: zFraction({ minExclusive: true }).default(0.5),
  uncertainMultiplier: zFraction().optional(),
  warmupMultiplier: zFraction().default(1),
});

/**
 * Options of {@link RegimeRiskPolicy}.
 *
 * - `multipliers` (required): the risk multiplier of each regime, by label, each in [0, 1]
 *   (e.g. `[1, 0.5]`: full risk in state 0, half in state 1).
 * - `mode` (default `'expected'`): from state probabilities, `'expected'` gives the
 *   probability-weighted multiplier sum_k p_k m_k; `'threshold'` the multiplier of the most
 *   probable regime when its probability is at least `minProbability`, else `uncertainMultiplier`.
 * - `minProbability` (default 0.5): the `'threshold'` mode's confidence level, in (0, 1].
 * - `uncertainMultiplier` (default: the smallest multiplier): the `'threshold'` mode's answer
 *   when no regime is probable enough.
 * - `warmupMultiplier` (default 1): the answer while there is no regime yet (label -1, NaN
 *   probabilities), 1 = leave the risk to the other rules.
 */
export type RegimeRiskPolicyOptions = z.input<typeof regimeRiskPolicySchema>;

/** Tolerance on a probability row's sum. */
const SUM_TOLERANCE = 1e-6;

/**
 * Maps a regime (a label, or state probabilities) to a risk multiplier in [0, 1]: a pure policy
 * object. A risk manager multiplies it with its own multiplier (drawdown zone), e.g. with
 * {@link composeRiskMultipliers}, and a sizer scales the risk it takes by the product.
 *
 * @example
 * const policy = new RegimeRiskPolicy({ multipliers: [1, 0.5] });
 * policy.forLabel(1);                       // 0.5
 * policy.forProbabilities([0.8, 0.2]);      // 0.9 (expected value)
 * policy.seriesFromProbabilities(wf.probabilities); // one multiplier per bar
 */
export class RegimeRiskPolicy {
  /** Resolved options. */
  readonly options: Readonly<z.output<typeof regimeRiskPolicySchema>>;
  /** Number of regimes. */
  readonly states: number;
  readonly #multipliers: Float64Array;
  readonly #uncertain: number;

  constructor(options: RegimeRiskPolicyOptions) {
    this.options = Object.freeze(parseOptions(regimeRiskPolicySchema, options, { what: 'RegimeRiskPolicy options' }));
    this.#multipliers = Float64Array.from(this.options.multipliers);
    this.states = this.#multipliers.length;
    this.#uncertain = this.options.uncertainMultiplier ?? Math.min(...this.options.multipliers);
  }

  /**
   * The multiplier of regime `label`; `warmupMultiplier` for -1 or NaN.
   *
   * @throws AlgoTradingError `INVALID_ARGUMENT` for a label that is not -1 or 0 .. states - 1.
   */
  forLabel(label: number): number {
    if (label === WARMUP_LABEL || label !== label) return this.options.warmupMultiplier;
    if (!Number.isInteger(label) || label < 0 || label >= this.states) {
      throw new AlgoTradingError('INVALID_ARGUMENT', `label must be -1 or an integer in [0, ${this.states - 1}], got ${describeValue(label)}`, {
        details: { field: 'label', value: label },
      });
    }
    return this.#multipliers[label]!;
  }

  /**
   * The multiplier for one row of state probabilities: `states` values read from
   * `probabilities[offset..]`. `warmupMultiplier` when any is NaN.
   *
   * @throws AlgoTradingError `INVALID_DATA` when a value lies outside [0, 1] or the row does not sum to 1.
   */
  forProbabilities(probabilities: ArrayLike<number>, offset = 0): number {
    const K = this.states;
    let sum = 0;
    let best = 0;
    let bestP = -1;
    let expected = 0;
    for (let k = 0; k < K; k++) {
      const p = probabilities[offset + k];
      if (p === undefined || p !== p) return this.options.warmupMultiplier;
      if (!(p >= -SUM_TOLERANCE && p <= 1 + SUM_TOLERANCE)) {
        throw new AlgoTradingError('INVALID_DATA', `probabilities[${offset + k}] must be a probability in [0, 1], got ${describeValue(p)}`, {
          details: { field: 'probabilities', index: offset + k, value: p },
        });
      }
      sum += p;
      expected += p * this.#multipliers[k]!;
      if (p > bestP) {
        bestP = p;
        best = k;
      }
    }
    if (!(Math.abs(sum - 1) <= SUM_TOLERANCE)) {
      throw new AlgoTradingError('INVALID_DATA', `probabilities[${offset}..${offset + K - 1}] must sum to 1 (one row of ${K} states), got ${sum}`, {
        details: { field: 'probabilities', index: offset, value: sum },
      });
    }
    if (this.options.mode === 'expected') return Math.min(1, Math.max(0, expected / sum));
    return bestP / sum >= this.options.minProbability ? this.#multipliers[best]! : this.#uncertain;
  }

  /** {@link forLabel} for every bar. */
  seriesFromLabels(labels: ArrayLike<number>): Float64Array {
    const out = new Float64Array(labels.length);
    for (let t = 0; t < labels.length; t++) out[t] = this.forLabel(labels[t]!);
    return out;
  }

  /** {@link forProbabilities} for every row of a T x K row-major matrix (e.g. walk-forward probabilities). */
  seriesFromProbabilities(probabilities: Float64Array): Float64Array {
    const rows = probabilityRows(probabilities, this.states);
    const out = new Float64Array(rows);
    for (let t = 0; t < rows; t++) out[t] = this.forProbabilities(probabilities, t * this.states);
    return out;
  }
}

/**
 * Product of risk multipliers, each in [0, 1] (e.g. the drawdown-zone multiplier and a regime
 * multiplier): how independent risk rules combine, the most cautious rule always binding.
 *
 * @example
 * composeRiskMultipliers(0.5, 0.75); // 0.375
 */
export function composeRiskMultipliers(...multipliers: number[]): number {
  let product = 1;
  multipliers.forEach((m, i) => {
    if (typeof m !== 'number' || !(m >= 0 && m <= 1)) {
      throw new AlgoTradingError('INVALID_ARGUMENT', `multipliers[${i}] must be a number in [0, 1], got ${describeValue(m)}`, {
        details: { field: 'multipliers', index: i, value: m },
      });
    }
    product *= m;
  });
  return product;
}
