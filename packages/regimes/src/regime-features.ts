import { AlgoTradingError, describeValue, requireInteger } from '@algo-trading/core';
import { probabilityRows } from './labels';

/** Options of {@link regimeFeatureColumns}. */
export interface RegimeFeatureOptions {
  /** Column name prefix; columns are `${prefix}_p0`, `${prefix}_p1`, ... Default `regime`. */
  readonly prefix?: string;
  /**
   * Leave out the last state's column (default false). The K columns sum to 1, so one is
   * redundant; a model without regularisation may prefer K - 1 of them.
   */
  readonly dropLast?: boolean;
}

/**
 * Regime probabilities as named feature columns aligned with the bars: column `${prefix}_p${k}`
 * holds P(state k at t), NaN in the warm-up (so a strategy skips those rows). Pass the
 * walk-forward result (its probabilities are causal) and merge the columns with the other
 * features, e.g. `FeatureFrame.fromColumns({ ...frame.values, ...regimeFeatureColumns(wf) }, { time: frame.time })`
 * in `@algo-trading/strategies`.
 *
 * @example
 * regimeFeatureColumns({ probabilities: Float64Array.of(NaN, NaN, 0.9, 0.1), states: 2 });
 * // { regime_p0: Float64Array [NaN, 0.9], regime_p1: Float64Array [NaN, 0.1] }
 */
export function regimeFeatureColumns(
  regimes: { readonly probabilities: Float64Array; readonly states: number },
  options: RegimeFeatureOptions = {},
): Record<string, Float64Array> {
  const { prefix = 'regime', dropLast = false } = options;
  if (typeof prefix !== 'string' || prefix === '') {
    throw new AlgoTradingError('INVALID_ARGUMENT', `prefix must be a non-empty string, got ${describeValue(prefix)}`, { details: { field: 'prefix', value: prefix } });
  }
  const K = requireInteger('states', regimes.states, 2);
  const rows = probabilityRows(regimes.probabilities, K);
  const out: Record<string, Float64Array> = {};
  const columns = dropLast ? K - 1 : K;
  for (let k = 0; k < columns; k++) {
    const column = new Float64Array(rows);
    for (let t = 0; t < rows; t++) column[t] = regimes.probabilities[t * K + k]!;
    out[`${prefix}_p${k}`] = column;
  }
  return out;
}
