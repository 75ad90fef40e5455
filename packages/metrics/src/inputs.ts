import { AlgoTradingError, describeValue, zPositive } from '@algo-trading/core';
import { z } from 'zod';

/**
 * Input checks shared by every metric (internal module). Series are read into a Float64Array
 * once; a Float64Array is used as is (no copy).
 */

/** Periods per year when nothing else is known: trading days, as empyrical. */
export const DEFAULT_PERIODS_PER_YEAR = 252;

/**
 * Largest `|riskFree| x periodsPerYear` accepted for a per-period risk-free rate. Above it the
 * rate almost certainly is an annual one passed by mistake (0.05 for daily bars = 1260% a year).
 */
export const MAX_ANNUALIZED_PER_PERIOD_RATE = 0.25;

function notAnArray(field: string, values: unknown): never {
  throw new AlgoTradingError(
    'INVALID_ARGUMENT',
    `${field} must be an array of numbers (number[] or Float64Array), got ${describeValue(values)}`,
    { details: { field, value: values } },
  );
}

function isArrayLike(values: unknown): values is ArrayLike<unknown> {
  if (typeof values !== 'object' || values === null) return false;
  const length = (values as { length?: unknown }).length;
  return typeof length === 'number' && Number.isInteger(length) && length >= 0;
}

function badValue(field: string, index: number, value: unknown, expectation: string): never {
  throw new AlgoTradingError('INVALID_DATA', `${field}[${index}] must be ${expectation}, got ${describeValue(value)}`, {
    details: { field, index, value },
  });
}

/**
 * Reads a return series: every entry a number, NaN allowed (a missing observation), +-Infinity
 * rejected. Throws INVALID_ARGUMENT for a non-array and INVALID_DATA naming the index otherwise.
 */
export function readReturns(values: unknown, field = 'returns'): Float64Array {
  if (values instanceof Float64Array) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === Infinity || v === -Infinity) badValue(field, i, v, 'a finite number or NaN (missing)');
    }
    return values;
  }
  if (!isArrayLike(values) || typeof values === 'string') notAnArray(field, values);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || v === Infinity || v === -Infinity) {
      badValue(field, i, v, 'a finite number or NaN (missing)');
    }
    out[i] = v;
  }
  return out;
}

/**
 * Reads an equity curve: finite numbers >= 0 with a first value > 0 (the starting peak), unless
 * `hasStart` says a separate positive starting value precedes it.
 */
export function readEquity(values: unknown, field = 'equity', hasStart = false): Float64Array {
  if (!isArrayLike(values) || typeof values === 'string') notAnArray(field, values);
  const n = values.length;
  let out: Float64Array;
  if (values instanceof Float64Array) {
    out = values;
  } else {
    out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v !== 'number') badValue(field, i, v, 'a finite number >= 0');
      out[i] = v;
    }
  }
  const bad = firstNotFiniteNonNegative(out);
  if (bad >= 0) badValue(field, bad, out[bad], 'a finite number >= 0');
  if (n > 0 && !hasStart && out[0] === 0) badValue(field, 0, 0, 'greater than 0 (the starting value)');
  return out;
}

/**
 * Reads bar times (epoch ms): finite and strictly increasing, `expectedLength` entries. With
 * `spacingCounts` ([guess, below, equal]) and a Float64Array of 2 or more times, the validation
 * pass also counts the spacings below and equal to the guess into entries 1 and 2 (entry 1 stays
 * -1 when it does not: the caller counts them itself).
 */
export function readTimes(values: unknown, expectedLength: number, field = 'times', spacingCounts?: Float64Array): Float64Array {
  if (!isArrayLike(values) || typeof values === 'string') notAnArray(field, values);
  if (values.length !== expectedLength) {
    throw new AlgoTradingError(
      'INVALID_DATA',
      `${field} must have one entry per equity value (${expectedLength}), got ${values.length}`,
      { details: { field, value: values.length } },
    );
  }
  if (spacingCounts !== undefined) spacingCounts[1] = -1;
  if (values instanceof Float64Array) {
    // Fast path: finite and strictly increasing in one comparison per entry; with
    // `spacingCounts`, the spacings against the guess counted on the way (medianSpacing). On a
    // failure the loop below finds the same first bad entry.
    if (spacingCounts !== undefined && values.length >= 2) {
      if (countedIncreasingPrefix(values, spacingCounts) === values.length) return values;
      spacingCounts[1] = -1;
    } else if (increasingPrefix(values) === values.length) {
      return values;
    }
  }
  const out = values instanceof Float64Array ? values : new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) badValue(field, i, v, 'a finite epoch-millisecond time');
    if (i > 0 && !(v > (values[i - 1] as number))) {
      badValue(field, i, v, `greater than ${field}[${i - 1}] = ${describeValue(values[i - 1])} (strictly increasing)`);
    }
    out[i] = v;
  }
  return out;
}

// The validation passes over whole columns are leaf kernels (docs/architecture.md, "Performance").

/** Index of the first value that is not a finite number >= 0, or -1. */
function firstNotFiniteNonNegative(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= 0) || v === Infinity) return i;
  }
  return -1;
}

/**
 * Length of the prefix of `values` that is finite and strictly increasing (NaN and -Infinity
 * fail `v > previous`).
 */
function increasingPrefix(values: Float64Array): number {
  let previous = -Infinity;
  let i = 0;
  for (; i < values.length; i++) {
    const v = values[i]!;
    if (!(v > previous) || v === Infinity) break;
    previous = v;
  }
  return i;
}

/**
 * {@link increasingPrefix} of 2 or more values, counting on the way the spacings below and equal
 * to the guess `counts[0]` into `counts[1]` and `counts[2]` (meaningful when the whole array passes).
 */
function countedIncreasingPrefix(values: Float64Array, counts: Float64Array): number {
  const guess = counts[0]!;
  let previous = values[0]!;
  if (!(previous === previous && previous !== -Infinity && previous !== Infinity)) return 0;
  let below = 0;
  let equal = 0;
  let i = 1;
  for (; i < values.length; i++) {
    const v = values[i]!;
    if (!(v > previous) || v === Infinity) break;
    const gap = v - previous;
    if (gap < guess) below++;
    else if (gap === guess) equal++;
    previous = v;
  }
  counts[1] = below;
  counts[2] = equal;
  return i;
}

// ---------------------------------------------------------------------------------------------
// zod pieces for the options objects.

/** `periodsPerYear`: a finite number > 0, default 252. */
export function zPeriodsPerYear() {
  return zPositive().default(DEFAULT_PERIODS_PER_YEAR);
}

/** A finite number (a rate or a return threshold). */
export function zFiniteNumber() {
  const message = 'expected a finite number';
  return z.number({ error: message }).refine(Number.isFinite, { error: message });
}

/** A rate greater than -1 (a -100% rate or lower is meaningless). */
export function zRate() {
  const message = 'expected a finite number greater than -1';
  return z.number({ error: message }).gt(-1, { error: message }).refine(Number.isFinite, { error: message });
}

/** The risk-free part of an options object: at most one of the two. */
export interface RiskFreeInput {
  /** Risk-free return per period (the periodicity of the returns), e.g. 0.0002 for daily bars. */
  readonly riskFree?: number | undefined;
  /** Risk-free rate per year, converted to per period as `(1 + annualRiskFree)^(1 / periodsPerYear) - 1`. */
  readonly annualRiskFree?: number | undefined;
}

/**
 * Resolves the per-period risk-free rate from `riskFree` or `annualRiskFree` (not both), and
 * rejects a `riskFree` that looks annual: `|riskFree| x periodsPerYear > 0.25`.
 */
export function resolveRiskFree(input: RiskFreeInput, periodsPerYear: number, what: string): number {
  const { riskFree, annualRiskFree } = input;
  if (riskFree !== undefined && annualRiskFree !== undefined) {
    throw new AlgoTradingError(
      'INVALID_CONFIG',
      `Invalid ${what}: pass either riskFree (per period) or annualRiskFree (per year), not both; got riskFree ${describeValue(riskFree)} and annualRiskFree ${describeValue(annualRiskFree)}`,
      { details: { field: 'riskFree', value: riskFree } },
    );
  }
  if (annualRiskFree !== undefined) {
    return annualRiskFree === 0 ? 0 : Math.pow(1 + annualRiskFree, 1 / periodsPerYear) - 1;
  }
  const rf = riskFree ?? 0;
  if (Math.abs(rf) * periodsPerYear > MAX_ANNUALIZED_PER_PERIOD_RATE) {
    const perPeriod = Math.pow(1 + rf, 1 / periodsPerYear) - 1;
    throw new AlgoTradingError(
      'INVALID_CONFIG',
      `Invalid ${what}: riskFree is a per-period rate and ${describeValue(rf)} x ${describeValue(periodsPerYear)} periods a year = ${describeValue(rf * periodsPerYear)} looks like an annual rate; pass annualRiskFree: ${describeValue(rf)} instead (= riskFree ${perPeriod.toPrecision(6)} per period)`,
      { details: { field: 'riskFree', value: rf } },
    );
  }
  return rf;
}
