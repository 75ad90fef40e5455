import { AlgoTradingError, describeValue } from '@algo-trading/core';

/**
 * Validation of the per-bar inputs of a backtest, once, before the loop. Each throws
 * `INVALID_DATA` naming the field, the index and the value of the first violation, and returns
 * a typed array the loop reads without further checks: the input itself when it already is one
 * (no copy: the run is synchronous, nothing can change it meanwhile), else a typed copy.
 */

function requireArrayLike(field: string, value: unknown, length: number): ArrayLike<unknown> {
  const ok =
    (Array.isArray(value) || ArrayBuffer.isView(value)) && typeof (value as ArrayLike<unknown>).length === 'number';
  if (!ok) {
    throw new AlgoTradingError('INVALID_DATA', `${field} must be an array of numbers, got ${describeValue(value)}`, {
      details: { field, value },
    });
  }
  const array = value as ArrayLike<unknown>;
  if (array.length !== length) {
    // `signals.AAPL` is aligned with `data.AAPL`.
    const dot = field.indexOf('.');
    const bars = dot < 0 ? 'the data' : `data.${field.slice(dot + 1)}`;
    throw new AlgoTradingError(
      'INVALID_DATA',
      `${field} has ${array.length} values but ${bars} has ${length} bars: they must be aligned`,
      { details: { field, value: array.length } },
    );
  }
  return array;
}

/** Signals -1 / 0 / 1 aligned with the bars, as an `Int8Array` (`field` names them in errors, e.g. `signals.AAPL`). */
export function validateSignals(value: unknown, length: number, field = 'signals'): Int8Array {
  const source = requireArrayLike(field, value, length);
  const out = source instanceof Int8Array ? source : new Int8Array(length);
  for (let i = 0; i < length; i++) {
    const v = source[i];
    if (v !== 1 && v !== 0 && v !== -1) {
      throw new AlgoTradingError('INVALID_DATA', `${field}[${i}] must be -1, 0 or 1, got ${describeValue(v)}`, {
        details: { field, index: i, value: v },
      });
    }
    out[i] = v;
  }
  return out;
}

/** Confidences in [0, 1] (NaN = none) aligned with the bars, as a `Float64Array`. */
export function validateConfidences(value: unknown, length: number, field = 'confidences'): Float64Array {
  const source = requireArrayLike(field, value, length);
  const out = source instanceof Float64Array ? source : new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = source[i];
    if (typeof v !== 'number' || !(Number.isNaN(v) || (v >= 0 && v <= 1))) {
      throw new AlgoTradingError(
        'INVALID_DATA',
        `${field}[${i}] must be a number in [0, 1] (or NaN for none), got ${describeValue(v)}`,
        { details: { field, index: i, value: v } },
      );
    }
    out[i] = v;
  }
  return out;
}

/** Price levels (stop-loss or take-profit): finite and > 0, or NaN for none, as a `Float64Array`. */
export function validateLevels(field: string, value: unknown, length: number): Float64Array {
  const source = requireArrayLike(field, value, length);
  const out = source instanceof Float64Array ? source : new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = source[i];
    if (typeof v !== 'number' || !(Number.isNaN(v) || (Number.isFinite(v) && v > 0))) {
      throw new AlgoTradingError(
        'INVALID_DATA',
        `${field}[${i}] must be a finite price greater than 0 (or NaN for none), got ${describeValue(v)}`,
        { details: { field, index: i, value: v } },
      );
    }
    out[i] = v;
  }
  return out;
}

/** Quoted spreads (price units): finite and >= 0, or NaN for none, as a `Float64Array`. */
export function validateSpreads(value: unknown, length: number): Float64Array {
  const source = requireArrayLike('spreads', value, length);
  const out = source instanceof Float64Array ? source : new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = source[i];
    if (typeof v !== 'number' || !(Number.isNaN(v) || (Number.isFinite(v) && v >= 0))) {
      throw new AlgoTradingError('INVALID_DATA', `spreads[${i}] must be a finite number >= 0 (or NaN for none), got ${describeValue(v)}`, {
        details: { field: 'spreads', index: i, value: v },
      });
    }
    out[i] = v;
  }
  return out;
}

/** What decides whether a target weight may be negative. */
export interface WeightShorting {
  readonly symbol: string;
  readonly allowShort: boolean;
  /** False when the symbol's instrument says it cannot be shorted. */
  readonly shortable: boolean;
}

/**
 * One target weight: a finite number, >= 0 unless the symbol may be shorted. Returns it; throws
 * `INVALID_DATA` naming `field` (with `[index]` when given) and the value.
 */
export function checkTargetWeight(field: string, index: number | null, value: unknown, shorting: WeightShorting): number {
  const finite = typeof value === 'number' && Number.isFinite(value);
  if (finite && (value >= 0 || (shorting.allowShort && shorting.shortable))) return value;
  const rule = !finite
    ? 'must be a finite number'
    : shorting.allowShort
      ? `must be >= 0: ${shorting.symbol} cannot be shorted (instruments.${shorting.symbol}.shortable: false)`
      : 'must be >= 0 without allowShort';
  const at = index === null ? field : `${field}[${index}]`;
  throw new AlgoTradingError('INVALID_DATA', `${at} ${rule}, got ${describeValue(value)}`, {
    details: index === null ? { field, value } : { field, index, value },
  });
}

/**
 * The gross of one row of target weights (sum of |weight|) against `maxLeverage`: throws
 * `INVALID_DATA` naming `what` and the sum when it is above.
 */
export function checkGrossWeight(field: string, what: string, index: number | null, gross: number, maxLeverage: number): void {
  if (gross > maxLeverage + 1e-9) {
    throw new AlgoTradingError('INVALID_DATA', `${what} sums to ${gross} in absolute value, above maxLeverage ${maxLeverage}`, {
      details: index === null ? { field, value: gross } : { field, index, value: gross },
    });
  }
}

/**
 * Checks one strategy decision's fields at bar `index` (strategy mode). Returns nothing; throws
 * `INVALID_DATA` naming `decision.<field>` and the bar.
 */
export function invalidDecision(field: string, index: number, value: unknown, rule: string): never {
  throw new AlgoTradingError(
    'INVALID_DATA',
    `strategy decision at bar ${index}: ${field} ${rule}, got ${describeValue(value)}`,
    { details: { field: `decision.${field}`, index, value } },
  );
}
