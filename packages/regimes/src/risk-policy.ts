import { AlgoTradingError, describeValue, parseOptions, zFraction, type RiskScaleSeries } from '@algo-trading/core';
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
 * object. {@link riskScale} turns a walk-forward run into the `riskScale` series of the risk
 * manager of `@algo-trading/risk`, which composes it with its drawdown-zone multiplier (the
 * product, `composeRiskMultipliers` of core) at every mark, inside the backtest engine too; a
 * sizer then scales the risk it takes by the product.
 *
 * @example
 * const policy = new RegimeRiskPolicy({ multipliers: [1, 0.5] });
 * policy.forLabel(1);                       // 0.5
 * policy.forProbabilities([0.8, 0.2]);      // 0.9 (expected value)
 * policy.seriesFromProbabilities(wf.probabilities); // one multiplier per bar
 * new RiskManager({ riskScale: policy.riskScale({ time: bars.time, probabilities: wf.probabilities }) });
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

  /**
   * The multipliers of a regime series as a `RiskScaleSeries` of core, keyed by the bars' times:
   * what the risk manager's `riskScale` option (or `setRiskScale`) takes. Give exactly one of
   * `probabilities` (T x K row-major, {@link seriesFromProbabilities}) or `labels`
   * ({@link seriesFromLabels}), with one row or label per time. Causal when the regimes are (the
   * filtered, walk-forward ones are): the multiplier at `time[t]` uses data up to t only.
   *
   * @throws AlgoTradingError `INVALID_ARGUMENT` when both or neither of `probabilities` and
   * `labels` are given, or their length does not match `time`'s (naming both lengths); the errors
   * of {@link seriesFromProbabilities} and {@link seriesFromLabels}.
   *
   * @example
   * const scale = policy.riskScale({ time: bars.time, probabilities: wf.probabilities });
   */
  riskScale(input: {
    readonly time: ArrayLike<number>;
    readonly probabilities?: Float64Array | undefined;
    readonly labels?: ArrayLike<number> | undefined;
  }): RiskScaleSeries {
    const { time, probabilities, labels } = input;
    if ((probabilities === undefined) === (labels === undefined)) {
      throw new AlgoTradingError('INVALID_ARGUMENT', 'riskScale needs exactly one of probabilities and labels', {
        details: { field: probabilities === undefined ? 'labels' : 'probabilities', value: undefined },
      });
    }
    const values = probabilities !== undefined ? this.seriesFromProbabilities(probabilities) : this.seriesFromLabels(labels!);
    const field = probabilities !== undefined ? 'probabilities' : 'labels';
    if (typeof time !== 'object' || time === null || time.length !== values.length) {
      const length = typeof time === 'object' && time !== null ? time.length : describeValue(time);
      throw new AlgoTradingError(
        'INVALID_ARGUMENT',
        `riskScale needs one ${field === 'labels' ? 'label' : 'probability row'} per time: time has ${length} entries, ${field} ${values.length}`,
        { details: { field, value: values.length, expected: length } },
      );
    }
    return { time: Float64Array.from(time), values };
  }
}
