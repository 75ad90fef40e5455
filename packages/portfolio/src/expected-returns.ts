import { describeValue, parseOptions, zPositive } from '@algo-trading/core';
import { z } from 'zod';
import { annualizationFactor } from './covariance';
import { fail, formatTime, readSymbols, readVector } from './internal';
import { returnsMatrix, type ReturnsInput } from './returns-matrix';

/** The estimators of {@link expectedReturns}. */
export const EXPECTED_RETURNS_METHODS = ['mean', 'ema'] as const;
/** One of {@link EXPECTED_RETURNS_METHODS}. */
export type ExpectedReturnsMethod = (typeof EXPECTED_RETURNS_METHODS)[number];

/** Expected return per symbol, with its units. */
export interface ExpectedReturns {
  readonly symbols: readonly string[];
  readonly values: Float64Array;
  readonly method: ExpectedReturnsMethod | 'given';
  /** True when scaled to a year; false: per period of the returns. */
  readonly annualized: boolean;
  readonly periodsPerYear?: number;
}

/** Expected returns from anywhere: an estimate of {@link expectedReturns} or a plain object. */
export interface ExpectedReturnsInput {
  readonly symbols: readonly string[];
  readonly values: ArrayLike<number>;
  /** Units of the values; false (per period) when omitted. */
  readonly annualized?: boolean;
}

/** Options of {@link expectedReturns}. */
export interface ExpectedReturnsOptions {
  /** `mean` (default): historical mean. `ema`: exponentially weighted mean. */
  readonly method?: ExpectedReturnsMethod;
  /** Scale to a year (default false: per period). */
  readonly annualize?: boolean;
  readonly periodsPerYear?: number;
  /**
   * Geometric instead of arithmetic (simple returns, `mean` only): per period
   * `prod(1 + r)^(1/T) - 1`, annualized `prod(1 + r)^(periodsPerYear/T) - 1` (PyPortfolioOpt's
   * `compounding=True`). Default false.
   */
  readonly compounding?: boolean;
  /** `ema` span (pandas convention, alpha = 2 / (span + 1)); default 500 as PyPortfolioOpt. */
  readonly span?: number;
  /** `ema` half-life in periods (alpha = 1 - exp(-ln 2 / halfLife)); exclusive with span. */
  readonly halfLife?: number;
}

/** Schema of {@link ExpectedReturnsOptions} (defaults applied). */
export const expectedReturnsOptionsSchema = z
  .strictObject({
    method: z.enum(EXPECTED_RETURNS_METHODS).default('mean'),
    annualize: z.boolean().default(false),
    periodsPerYear: zPositive().optional(),
    compounding: z.boolean().default(false),
    span: z.number().min(1).optional(),
    halfLife: zPositive().optional(),
  })
  .superRefine((o, ctx) => {
    if (o.span !== undefined && o.halfLife !== undefined) ctx.addIssue({ code: 'custom', path: ['halfLife'], message: 'give span or halfLife, not both' });
    if ((o.span !== undefined || o.halfLife !== undefined) && o.method !== 'ema') {
      ctx.addIssue({ code: 'custom', path: ['method'], message: 'span and halfLife apply to method "ema" only' });
    }
    if (o.compounding && o.method === 'ema') ctx.addIssue({ code: 'custom', path: ['compounding'], message: 'compounding applies to method "mean" only' });
  });

/**
 * Expected return of each symbol from its history, per period unless `annualize`:
 *
 * - `mean`: arithmetic mean of the non-NaN returns (x periodsPerYear when annualized), or with
 *   `compounding` the geometric mean.
 * - `ema`: exponentially weighted mean as pandas' `ewm(span).mean()` at the last row (adjust=True:
 *   weight `(1 - alpha)^k` for the return k periods before the last; NaN returns skipped, their
 *   weight too), x periodsPerYear when annualized: PyPortfolioOpt's `ema_historical_return` with
 *   `returns_data=True, compounding=False`. `span` (default 500) gives alpha = 2 / (span + 1);
 *   `halfLife` h gives alpha = 1 - exp(-ln 2 / h).
 *
 * NaN returns (missing bars) are skipped; a symbol without any return is an INVALID_DATA error.
 *
 * @example
 * const mu = expectedReturns(R, { method: 'ema', span: 60, annualize: true });
 */
export function expectedReturns(returns: ReturnsInput, options?: ExpectedReturnsOptions): ExpectedReturns {
  const opts = parseOptions(expectedReturnsOptionsSchema, options ?? {}, { what: 'expectedReturns options' });
  const R = returnsMatrix(returns);
  const { method, compounding } = opts;
  const { rows, cols, values } = R;
  if (compounding && R.kind === 'log') {
    fail('INVALID_CONFIG', 'compounding', 'compounding needs simple returns, got log returns: the mean of log returns already is a compounded rate');
  }
  const out = new Float64Array(cols);
  const annualized = opts.annualize;
  const ppy = annualized ? annualizationFactor(R, opts.periodsPerYear, 'expectedReturns') : (opts.periodsPerYear ?? R.periodsPerYear);
  const alpha =
    opts.halfLife !== undefined ? 1 - Math.exp(-Math.LN2 / opts.halfLife) : 2 / ((opts.span ?? 500) + 1);
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    let weightSum = 0;
    let count = 0;
    let logGrowth = 0;
    let w = 1;
    for (let t = rows - 1; t >= 0; t--) {
      const r = values[t * cols + j]!;
      if (!Number.isNaN(r)) {
        count++;
        if (method === 'ema') {
          sum += w * r;
          weightSum += w;
        } else if (compounding) {
          if (!(r > -1)) {
            const when = R.times === undefined ? '' : ` (${formatTime(R.times[t]!)})`;
            fail('INVALID_DATA', 'returns', `returns[${t}]${when} of ${JSON.stringify(R.symbols[j])} is ${r} <= -1: a compounded mean is undefined`, r, {
              index: t,
              symbol: R.symbols[j],
            });
          }
          logGrowth += Math.log1p(r);
        } else {
          sum += r;
        }
      }
      if (method === 'ema') w *= 1 - alpha;
    }
    if (count === 0) {
      fail('INVALID_DATA', 'returns', `${JSON.stringify(R.symbols[j])} has no return (every value is NaN): its expected return is undefined`, NaN, {
        symbol: R.symbols[j],
      });
    }
    let mu: number;
    if (method === 'ema') mu = sum / weightSum;
    else if (compounding) mu = Math.expm1((logGrowth / count) * (annualized ? ppy! : 1));
    else mu = sum / count;
    if (annualized && !compounding) mu *= ppy!;
    out[j] = mu;
  }
  return Object.freeze({
    symbols: R.symbols,
    values: out,
    method,
    annualized,
    ...(ppy === undefined ? {} : { periodsPerYear: ppy }),
  });
}

/** Validates expected returns against the covariance's symbols and units; returns them in the covariance's order. */
export function readExpectedReturns(
  input: unknown,
  symbols: readonly string[],
  annualized: boolean,
  field = 'mu',
): Float64Array {
  if (typeof input !== 'object' || input === null || !('symbols' in input) || !('values' in input)) {
    fail('INVALID_ARGUMENT', field, `${field} must be expected returns { symbols, values }, got ${describeValue(input)}`, input);
  }
  const mu = input as ExpectedReturnsInput;
  const own = readSymbols(mu.symbols, `${field}.symbols`);
  const values = readVector(mu.values, own.length, `${field}.values`);
  const muAnnualized = mu.annualized ?? false;
  if (muAnnualized !== annualized) {
    fail(
      'INVALID_ARGUMENT',
      `${field}.annualized`,
      `${field} is ${muAnnualized ? 'annualized' : 'per period'} but the covariance is ${annualized ? 'annualized' : 'per period'}: ` +
        'estimate both with the same annualize option',
      muAnnualized,
    );
  }
  const index = new Map(own.map((s, i) => [s, i]));
  const out = new Float64Array(symbols.length);
  for (let i = 0; i < symbols.length; i++) {
    const k = index.get(symbols[i]!);
    if (k === undefined) fail('INVALID_ARGUMENT', `${field}.symbols`, `${field} has no expected return for ${JSON.stringify(symbols[i])} (a symbol of the covariance)`, symbols[i]);
    out[i] = values[k]!;
  }
  if (own.length !== symbols.length) {
    const extra = own.find((s) => !symbols.includes(s));
    fail('INVALID_ARGUMENT', `${field}.symbols`, `${field} names ${JSON.stringify(extra)}, which the covariance does not have`, extra);
  }
  return out;
}
