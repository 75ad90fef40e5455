import { AlgoTradingError, parseOptions } from '@algo-trading/core';
import { z } from 'zod';
import { readReturns, resolveRiskFree, zFiniteNumber, zPeriodsPerYear, zRate, type RiskFreeInput } from './inputs';
import { nanMean, nanStd } from './numeric';

/**
 * Statistics of a strategy relative to a benchmark (a factor), each exactly as empyrical computes
 * it: `beta_aligned`, `alpha_aligned` / `alpha_beta_aligned` and `excess_sharpe`. Both series are
 * simple periodic returns over the same periods (index i of one is the same period as index i of
 * the other); NaN marks a missing observation and drops that period from the pair.
 */

/**
 * Options of {@link alphaBeta} and {@link alpha}: the risk-free rate (`riskFree` per period or
 * `annualRiskFree`, not both; subtracted from both series before alpha is measured, default 0) and
 * the periods per year that annualize alpha (252 daily, default).
 */
export interface AlphaBetaOptions extends RiskFreeInput {
  readonly periodsPerYear?: number | undefined;
}

const alphaBetaSchema = z.strictObject({
  riskFree: zFiniteNumber().optional(),
  annualRiskFree: zRate().optional(),
  periodsPerYear: zPeriodsPerYear(),
});

/** Alpha and beta of {@link alphaBeta}. */
export interface AlphaBeta {
  /** Annualized alpha: `(1 + mean(r - rf - beta x (b - rf)))^periodsPerYear - 1`. */
  readonly alpha: number;
  /** `cov(r, b) / var(b)` over the periods where both are known. */
  readonly beta: number;
}

/** Reads both series and checks that they are aligned (same length). */
function readPair(returns: unknown, factorReturns: unknown): [Float64Array, Float64Array] {
  const r = readReturns(returns, 'returns');
  const b = readReturns(factorReturns, 'factorReturns');
  if (r.length !== b.length) {
    throw new AlgoTradingError(
      'INVALID_DATA',
      `factorReturns has ${b.length} values but returns has ${r.length}: align them on the same periods first`,
      { details: { field: 'factorReturns', value: b.length } },
    );
  }
  return [r, b];
}

/**
 * Kernel of {@link beta} (validated, aligned input). As empyrical's `beta_aligned`: the factor is
 * masked where the returns are NaN, centred on its own mean (numpy's `nanmean`),
 * `beta = nanmean(residual x r) / nanmean(residual^2)`; NaN for fewer than 2 periods and when
 * the factor's variance is below 1e-30 (a constant benchmark). A risk-free rate would cancel out,
 * so there is none.
 */
export function betaOf(returns: Float64Array, factorReturns: Float64Array): number {
  const n = returns.length;
  if (n < 1 || factorReturns.length < 2) return Number.NaN;
  // numpy materializes each intermediate array; so do we, for the same summation order.
  const independent = new Float64Array(n);
  for (let i = 0; i < n; i++) independent[i] = Number.isNaN(returns[i]!) ? Number.NaN : factorReturns[i]!;
  const centre = nanMean(independent, 0);
  const products = new Float64Array(n);
  const squares = independent; // reused in place, as numpy's np.square(out=...)
  for (let i = 0; i < n; i++) {
    const residual = independent[i]! - centre;
    products[i] = residual * returns[i]!;
    squares[i] = residual * residual;
  }
  const covariance = nanMean(products, 0);
  const variance = nanMean(squares, 0);
  if (variance < 1e-30) return Number.NaN;
  return covariance / variance;
}

/**
 * Kernel of {@link alpha} (validated, aligned input, per-period risk-free), with the beta when it
 * is already known. As empyrical's `alpha_aligned`: NaN for fewer than 2 periods.
 */
export function alphaOf(
  returns: Float64Array,
  factorReturns: Float64Array,
  riskFree: number,
  periodsPerYear: number,
  knownBeta: number = betaOf(returns, factorReturns),
): number {
  const n = returns.length;
  if (n < 2) return Number.NaN;
  const series = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // empyrical's _adjust_returns leaves the series untouched for a risk-free rate of 0.
    const r = riskFree === 0 ? returns[i]! : returns[i]! - riskFree;
    const b = riskFree === 0 ? factorReturns[i]! : factorReturns[i]! - riskFree;
    series[i] = r - knownBeta * b;
  }
  return Math.pow(nanMean(series, 0) + 1, periodsPerYear) - 1;
}

/**
 * Annualized alpha and beta of `returns` against `factorReturns` (empyrical `alpha_beta`):
 * `beta = cov(r, b) / var(b)` over the periods where both are known, and
 * `alpha = (1 + mean(r - rf - beta x (b - rf)))^periodsPerYear - 1` (compounded, not multiplied).
 * NaN for fewer than 2 periods, and both NaN when the benchmark is constant.
 *
 * @example
 * alphaBeta(strategyDaily, benchmarkDaily); // { alpha: 0.031, beta: 0.42 }
 * @throws AlgoTradingError `INVALID_DATA` when the series differ in length or hold +-Infinity.
 */
export function alphaBeta(returns: ArrayLike<number>, factorReturns: ArrayLike<number>, options: AlphaBetaOptions = {}): AlphaBeta {
  const parsed = parseOptions(alphaBetaSchema, options, { what: 'alphaBeta options' });
  const rf = resolveRiskFree(parsed, parsed.periodsPerYear, 'alphaBeta options');
  const [r, b] = readPair(returns, factorReturns);
  const beta = betaOf(r, b);
  return { alpha: alphaOf(r, b, rf, parsed.periodsPerYear, beta), beta };
}

/** Annualized alpha alone (empyrical `alpha`); see {@link alphaBeta}. */
export function alpha(returns: ArrayLike<number>, factorReturns: ArrayLike<number>, options: AlphaBetaOptions = {}): number {
  return alphaBeta(returns, factorReturns, options).alpha;
}

/**
 * Beta alone (empyrical `beta`): `cov(r, b) / var(b)` over the periods where both are known. NaN
 * for fewer than 2 periods or a constant benchmark.
 */
export function beta(returns: ArrayLike<number>, factorReturns: ArrayLike<number>): number {
  const [r, b] = readPair(returns, factorReturns);
  return betaOf(r, b);
}

/**
 * Kernel of {@link informationRatio} (validated input; `factorReturns` a series aligned with the
 * returns, or a constant per-period return).
 */
export function informationRatioOf(returns: Float64Array, factorReturns: Float64Array | number): number {
  const n = returns.length;
  if (n < 2) return Number.NaN;
  let active: Float64Array;
  if (typeof factorReturns === 'number') {
    active = factorReturns === 0 ? returns : returns.map((r) => r - factorReturns);
  } else {
    active = new Float64Array(n);
    for (let i = 0; i < n; i++) active[i] = returns[i]! - factorReturns[i]!;
  }
  const mean = nanMean(active, 0);
  const std = nanStd(active, 0, 1, mean);
  // np.nan_to_num: an undefined tracking error (one period left) counts as 0.
  const trackingError = Number.isNaN(std) ? 0 : std;
  return mean / trackingError;
}

/**
 * Information ratio as empyrical's `excess_sharpe`: the mean active return `r - b` over its
 * sample standard deviation (ddof 1, the tracking error), PER PERIOD (not annualized; multiply by
 * `sqrt(periodsPerYear)` for an annual figure). `factorReturns` is a benchmark series aligned with
 * the returns, or a constant per-period return. NaN with fewer than 2 periods and when every
 * active return is equal to the mean of 0; +-Infinity for a constant non-zero active return.
 *
 * @example
 * informationRatio(strategyDaily, benchmarkDaily); // 0.02 per day
 * @throws AlgoTradingError `INVALID_DATA` when the series differ in length or hold +-Infinity.
 */
export function informationRatio(returns: ArrayLike<number>, factorReturns: ArrayLike<number> | number): number {
  if (typeof factorReturns === 'number') {
    if (!Number.isFinite(factorReturns)) {
      throw new AlgoTradingError('INVALID_ARGUMENT', `factorReturns must be a series or a finite number, got ${String(factorReturns)}`, {
        details: { field: 'factorReturns', value: factorReturns },
      });
    }
    return informationRatioOf(readReturns(returns), factorReturns);
  }
  const [r, b] = readPair(returns, factorReturns);
  return informationRatioOf(r, b);
}
