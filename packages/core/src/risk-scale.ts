import { AlgoTradingError, describeValue, type AlgoTradingErrorCode } from './errors';

/**
 * Risk multipliers from outside the risk manager, e.g. a market-regime model's, and the one rule
 * that combines every risk multiplier. See docs/trading-rules.md, "Risk multipliers".
 */

/**
 * An external risk multiplier over time (e.g. from a regime model), keyed by time: `values[k]`
 * is in force from `time[k]` until the next entry, the latest entry at or before a moment being
 * the one that applies (an as-of join).
 *
 * Causality is the producer's promise: `values[k]` must be computed from data up to and including
 * `time[k]` only (a bar's close). A risk gate reads the series when it marks the portfolio at a
 * bar's close, so the value of bar t sizes the entries decided at t's close (filled at t + 1's
 * open, or at t's close with close fills) and never an earlier one.
 */
export interface RiskScaleSeries {
  /** Epoch milliseconds, finite and strictly increasing. */
  readonly time: ArrayLike<number>;
  /** One multiplier in [0, 1] per time: 1 = full risk, 0.5 = half, 0 = no new risk. */
  readonly values: ArrayLike<number>;
}

/** A validated copy of a {@link RiskScaleSeries}. */
export interface CheckedRiskScaleSeries extends RiskScaleSeries {
  readonly time: Float64Array;
  readonly values: Float64Array;
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return (
    (Array.isArray(value) || ArrayBuffer.isView(value)) && typeof (value as { length?: unknown }).length === 'number'
  );
}

/**
 * Validates a {@link RiskScaleSeries} and returns a copy (later changes to the caller's arrays do
 * not reach it).
 *
 * @param field the name the messages use (default `riskScale`).
 * @param code the error code (default `INVALID_ARGUMENT`; an options object passes `INVALID_CONFIG`).
 * @throws AlgoTradingError naming the field, the index and the value: `time` and `values` of
 * different lengths, an empty series, a time that is not finite or not after the one before, a
 * multiplier outside [0, 1] (NaN and negative values included).
 */
export function checkRiskScaleSeries(
  series: RiskScaleSeries,
  field = 'riskScale',
  code: AlgoTradingErrorCode = 'INVALID_ARGUMENT',
): CheckedRiskScaleSeries {
  const fail = (message: string, details: Record<string, unknown>): never => {
    throw new AlgoTradingError(code, message, { details: { field, ...details } });
  };
  if (typeof series !== 'object' || series === null) {
    fail(`${field} must be an object { time, values }, got ${describeValue(series)}`, { value: series });
  }
  const { time, values } = series;
  if (!isArrayLike(time)) fail(`${field}.time must be an array of epoch milliseconds, got ${describeValue(time)}`, { value: time });
  if (!isArrayLike(values)) fail(`${field}.values must be an array of multipliers in [0, 1], got ${describeValue(values)}`, { value: values });
  if (time.length !== values.length) {
    fail(`${field}.values must have one multiplier per time: ${field}.time has ${time.length} entries, ${field}.values ${values.length}`, {
      value: values.length,
      expected: time.length,
    });
  }
  if (time.length === 0) fail(`${field} must hold at least one time and multiplier, got an empty series`, { value: 0 });
  const n = time.length;
  const outTime = new Float64Array(n);
  const outValues = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const t = time[k];
    if (typeof t !== 'number' || !Number.isFinite(t) || (k > 0 && !(t > outTime[k - 1]!))) {
      const expectation = k === 0 ? 'finite epoch milliseconds' : `finite epoch milliseconds after ${field}.time[${k - 1}] (${outTime[k - 1]})`;
      fail(`${field}.time[${k}] must be ${expectation}, got ${describeValue(t)}`, { index: k, value: t });
    }
    const v = values[k];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      fail(`${field}.values[${k}] must be a multiplier in [0, 1], got ${describeValue(v)}`, { index: k, value: v });
    }
    outTime[k] = t as number;
    outValues[k] = v as number;
  }
  return { time: outTime, values: outValues };
}

/**
 * The one rule that combines risk multipliers (the drawdown zone's, a regime's, ...): their
 * product. Each is in [0, 1], so the product is too, and the most cautious rule always binds:
 * any multiplier of 0 allows no new risk, a multiplier of 1 changes nothing.
 *
 * @throws AlgoTradingError `INVALID_ARGUMENT` naming the index and value of a multiplier that is
 * not a number in [0, 1] (NaN included).
 *
 * @example
 * composeRiskMultipliers(0.5, 0.75); // 0.375: CAUTION zone x a regime's 0.75
 */
export function composeRiskMultipliers(...multipliers: number[]): number {
  let product = 1;
  for (let i = 0; i < multipliers.length; i++) {
    const m = multipliers[i];
    if (typeof m !== 'number' || !(m >= 0 && m <= 1)) {
      throw new AlgoTradingError('INVALID_ARGUMENT', `multipliers[${i}] must be a number in [0, 1], got ${describeValue(m)}`, {
        details: { field: 'multipliers', index: i, value: m },
      });
    }
    product *= m;
  }
  return product;
}
