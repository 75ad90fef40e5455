import { AlgoTradingError, describeValue, parseOptions } from '@algo-trading/core';
import { z } from 'zod';
import { readEquity, readReturns, zPeriodsPerYear } from './inputs';
import { nanMean, nanStd, pairwiseSum } from './numeric';

/**
 * Return-based statistics: simple returns from an equity curve, total return, CAGR, annual
 * volatility and stability, each as empyrical computes it (`cum_returns_final`, `annual_return`,
 * `annual_volatility`, `stability_of_timeseries`).
 */

/** Options of {@link returnsFromEquity}. */
export interface ReturnsFromEquityOptions {
  /** Value before the first equity point; when given, the first return is `equity[0] / initialValue - 1`. */
  readonly initialValue?: number | undefined;
}

const returnsFromEquitySchema = z.strictObject({
  initialValue: z
    .number({ error: 'expected a finite number greater than 0' })
    .gt(0, { error: 'expected a finite number greater than 0' })
    .refine(Number.isFinite, { error: 'expected a finite number greater than 0' })
    .optional(),
});

/**
 * Simple returns of an already validated equity curve (see {@link returnsFromEquity}), written
 * to `scratch` (a fresh array by default; a scratch buffer must hold at least as many values) and
 * returned as an array of exactly that many values.
 */
export function simpleReturnsOf(equity: Float64Array, initialValue: number | undefined, scratch?: Float64Array): Float64Array {
  const n = equity.length;
  const offset = initialValue === undefined ? 1 : 0;
  const length = Math.max(0, n - offset);
  const out = scratch === undefined ? new Float64Array(length) : scratch.subarray(0, length);
  let previous = initialValue ?? equity[0] ?? Number.NaN;
  for (let i = offset; i < n; i++) {
    const current = equity[i]!;
    if (previous === 0) {
      if (current !== 0) {
        throw new AlgoTradingError(
          'INVALID_DATA',
          `equity[${i}] = ${describeValue(current)} follows an equity of 0: a return from zero is undefined`,
          { details: { field: 'equity', index: i, value: current } },
        );
      }
      out[i - offset] = 0;
    } else {
      // pandas pct_change form: x[t] / x[t - 1] - 1.
      out[i - offset] = current / previous - 1;
    }
    previous = current;
  }
  return out;
}

/**
 * Simple period returns of an equity curve: `equity[t] / equity[t - 1] - 1` (pandas
 * `pct_change`), n - 1 values; with `initialValue`, n values, the first measured from it.
 * Equity must be finite and >= 0 with a positive start; once equity is 0 it must stay 0 (those
 * returns are 0).
 *
 * @example
 * returnsFromEquity([100, 110, 99]); // Float64Array [0.1, -0.1]
 * returnsFromEquity([110, 99], { initialValue: 100 }); // Float64Array [0.1, -0.1]
 */
export function returnsFromEquity(equity: ArrayLike<number>, options: ReturnsFromEquityOptions = {}): Float64Array {
  const { initialValue } = parseOptions(returnsFromEquitySchema, options, { what: 'returnsFromEquity options' });
  const values = readEquity(equity, 'equity', initialValue !== undefined);
  return simpleReturnsOf(values, initialValue);
}

/** `np.nanprod(returns + 1)`: sequential product, a NaN return counting as 0. */
export function growthOf(returns: Float64Array): number {
  let product = 1;
  for (let i = 0; i < returns.length; i++) {
    const g = returns[i]! + 1;
    if (g === g) product *= g;
  }
  return product;
}

/** Kernel of {@link totalReturn} (validated input). */
export function totalReturnOf(returns: Float64Array): number {
  return returns.length === 0 ? Number.NaN : growthOf(returns) - 1;
}

/**
 * Total compounded return: `prod(1 + r) - 1`, a NaN return counting as 0
 * (empyrical `cum_returns_final`). NaN when empty.
 *
 * @example
 * totalReturn([0.1, -0.1]); // -0.01 (1.1 x 0.9 - 1)
 */
export function totalReturn(returns: ArrayLike<number>): number {
  return totalReturnOf(readReturns(returns));
}

/** Options of {@link cagr} and {@link annualVolatility}. */
export interface AnnualizationOptions {
  /** Periods per year of the returns: 252 (daily, default), 52 (weekly), 12 (monthly), ... */
  readonly periodsPerYear?: number | undefined;
}

const annualizationSchema = z.strictObject({ periodsPerYear: zPeriodsPerYear() });

/** Kernel of {@link cagr} (validated input). */
export function cagrOf(returns: Float64Array, periodsPerYear: number): number {
  return returns.length === 0 ? Number.NaN : cagrOfGrowth(growthOf(returns), returns.length, periodsPerYear);
}

/** CAGR of `n` > 0 returns whose {@link growthOf} is `growth`. */
export function cagrOfGrowth(growth: number, n: number, periodsPerYear: number): number {
  const years = n / periodsPerYear;
  return Math.pow(growth, 1 / years) - 1;
}

/**
 * Compound annual growth rate (empyrical `annual_return` / `cagr`):
 * `prod(1 + r) ^ (periodsPerYear / n) - 1`, n counting every entry (NaN ones too, as 0 returns).
 * NaN when empty; -1 after a -100% return; NaN when the product is negative (returns below -1).
 *
 * @example
 * cagr([0.03, 0.03, 0.03], { periodsPerYear: 1 }); // 0.03
 */
export function cagr(returns: ArrayLike<number>, options: AnnualizationOptions = {}): number {
  const { periodsPerYear } = parseOptions(annualizationSchema, options, { what: 'cagr options' });
  return cagrOf(readReturns(returns), periodsPerYear);
}

/** Kernel of {@link annualVolatility} (validated input). */
export function annualVolatilityOf(returns: Float64Array, periodsPerYear: number): number {
  if (returns.length < 2) return Number.NaN;
  const mean = nanMean(returns, 0);
  return nanStd(returns, 0, 1, mean) * Math.sqrt(periodsPerYear);
}

/**
 * Annualized volatility (empyrical `annual_volatility`): sample standard deviation (ddof 1) of
 * the non-NaN returns x sqrt(periodsPerYear). NaN with fewer than 2 entries or fewer than 2
 * non-NaN returns; 0 for a constant series.
 */
export function annualVolatility(returns: ArrayLike<number>, options: AnnualizationOptions = {}): number {
  const { periodsPerYear } = parseOptions(annualizationSchema, options, { what: 'annualVolatility options' });
  return annualVolatilityOf(readReturns(returns), periodsPerYear);
}

/**
 * Kernel of {@link stability} (validated input). `y` receives the cumulative log returns (at
 * least as long as the returns); it may be the returns array itself, which it then overwrites.
 */
export function stabilityOf(returns: Float64Array, y: Float64Array = new Float64Array(returns.length)): number {
  if (returns.length < 2) return Number.NaN;
  const m = cumulativeLogReturns(returns, y);
  // No line through fewer than 2 points (scipy's linregress rejects empty input; one point gives NaN).
  if (m < 2) return Number.NaN;
  const yMean = pairwiseSum(y, 0, m) / m;
  const sums = centredSums(y.subarray(0, m), yMean, STABILITY_SUMS);
  const inv = 1 / m;
  const ssxm = sums[0]! * inv;
  const ssxym = sums[1]! * inv;
  const ssym = sums[2]! * inv;
  // A flat curve (every return 0, or NaN): the fitted line explains none of a variance that is
  // 0, and the R-squared is 0, as empyrical computes it with the scipy it was written against
  // (linregress sets r = 0 when a variance is 0). Recent scipy (1.17) gives r = NaN there; a
  // flat equity curve is a real outcome (no position) and scores 0, not "undefined".
  if (ssym === 0) return 0;
  let r = ssxym / Math.sqrt(ssxm * ssym);
  if (r > 1) r = 1;
  else if (r < -1) r = -1;
  return r * r;
}

/** [sxx, sxy, syy] of {@link centredSums}. */
const STABILITY_SUMS = new Float64Array(3);

/**
 * Cumulative log returns of the non-NaN returns (np.log1p(r).cumsum(), sequential) written to
 * `y`; returns how many. y[m] is written after returns[i] is read, m <= i, so y may alias the
 * returns. A leaf kernel (docs/architecture.md, "Performance").
 */
function cumulativeLogReturns(returns: Float64Array, y: Float64Array): number {
  let m = 0;
  let cumulative = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    if (r !== r) continue;
    // log1p(+-0) is +-0 and adding a zero leaves the sum unchanged (it is never -0: it starts
    // at +0 and only -0 + -0 gives -0): flat bars (no position) skip the logarithm.
    if (r !== 0) cumulative += Math.log1p(r);
    y[m++] = cumulative;
  }
  return m;
}

/**
 * scipy's ssxm, ssxym, ssym (np.cov(x, y, bias=1) x m) of x = 0 .. m - 1 and the m values of `y`
 * with mean `yMean`, written to `out` as [sxx, sxy, syy] (sequential sums). A leaf kernel
 * (docs/architecture.md, "Performance").
 */
function centredSums(y: Float64Array, yMean: number, out: Float64Array): Float64Array {
  const m = y.length;
  const xMean = (m - 1) / 2;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < m; i++) {
    const dx = i - xMean;
    const dy = y[i]! - yMean;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  out[0] = sxx;
  out[1] = sxy;
  out[2] = syy;
  return out;
}

/**
 * Stability (empyrical `stability_of_timeseries`): R-squared of a least-squares line through the
 * cumulative log returns `cumsum(log1p(r))` of the non-NaN returns. 0 for a flat curve (all
 * returns 0: the R-squared of a constant); NaN with fewer than 2 non-NaN returns and after a
 * -100% return (log 0).
 */
export function stability(returns: ArrayLike<number>): number {
  return stabilityOf(readReturns(returns));
}
