import { parseOptions } from '@algo-trading/core';
import { z } from 'zod';
import { maxDrawdownOf } from './drawdown';
import { readReturns, resolveRiskFree, zFiniteNumber, zPeriodsPerYear, zRate } from './inputs';
import { countNonNaN, downsideSquares, nanMean, nanStd } from './numeric';
import { cagrOf } from './returns';
import { quantileSorted, sortedCopy } from './tail-risk';

/**
 * Risk-adjusted ratios, each exactly as empyrical computes it: Sharpe, Sortino (with its
 * downside risk), Calmar, Omega and the tail ratio.
 */

/** Options of {@link sharpeRatio}. */
export interface SharpeRatioOptions {
  /**
   * Risk-free return PER PERIOD (same periodicity as the returns), default 0. Rejected when
   * `|riskFree| x periodsPerYear > 0.25` (it looks annual): use `annualRiskFree` for annual rates.
   */
  readonly riskFree?: number | undefined;
  /** Risk-free rate PER YEAR, converted to `(1 + annualRiskFree)^(1 / periodsPerYear) - 1` per period. */
  readonly annualRiskFree?: number | undefined;
  /** Periods per year of the returns (252 daily, default; 52 weekly; 12 monthly). */
  readonly periodsPerYear?: number | undefined;
}

const sharpeSchema = z.strictObject({
  riskFree: zFiniteNumber().optional(),
  annualRiskFree: zRate().optional(),
  periodsPerYear: zPeriodsPerYear(),
});

/** Kernel of {@link sharpeRatio} (validated input, per-period risk-free). */
export function sharpeRatioOf(returns: Float64Array, riskFree: number, periodsPerYear: number): number {
  if (returns.length < 2) return Number.NaN;
  const mean = nanMean(returns, riskFree);
  const std = nanStd(returns, riskFree, 1, mean);
  return (mean / std) * Math.sqrt(periodsPerYear);
}

/**
 * Annualized Sharpe ratio (empyrical `sharpe_ratio`):
 * `mean(r - rf) / std(r - rf, ddof 1) x sqrt(periodsPerYear)` over the non-NaN returns, rf per
 * period. NaN with fewer than 2 entries (or fewer than 2 non-NaN); +-Infinity for a constant
 * non-zero excess return (std 0); NaN when every excess return is 0.
 *
 * @example
 * sharpeRatio(dailyReturns, { annualRiskFree: 0.04 });
 */
export function sharpeRatio(returns: ArrayLike<number>, options: SharpeRatioOptions = {}): number {
  const parsed = parseOptions(sharpeSchema, options, { what: 'sharpeRatio options' });
  const rf = resolveRiskFree(parsed, parsed.periodsPerYear, 'sharpeRatio options');
  return sharpeRatioOf(readReturns(returns), rf, parsed.periodsPerYear);
}

/** Options of {@link sortinoRatio} and {@link downsideRisk}. */
export interface SortinoOptions {
  /** Minimum acceptable return PER PERIOD (MAR), default 0. */
  readonly requiredReturn?: number | undefined;
  /** Periods per year of the returns (252 daily, default). */
  readonly periodsPerYear?: number | undefined;
}

const sortinoSchema = z.strictObject({
  requiredReturn: zFiniteNumber().default(0),
  periodsPerYear: zPeriodsPerYear(),
});

/** Kernel of {@link downsideRisk} (validated input). */
export function downsideRiskOf(returns: Float64Array, requiredReturn: number, periodsPerYear: number, count = countNonNaN(returns)): number {
  if (returns.length === 0) return Number.NaN;
  // np.clip(r - MAR, -inf, 0) ** 2 summed (NaN as 0), over the count of non-NaN returns.
  return Math.sqrt(downsideSquares(returns, requiredReturn) / count) * Math.sqrt(periodsPerYear);
}

/**
 * Annualized downside deviation (empyrical `downside_risk`):
 * `sqrt(mean(min(r - MAR, 0)^2)) x sqrt(periodsPerYear)`, the mean over ALL non-NaN observations
 * (not only the losing ones). NaN when empty or all NaN; 0 when no return is below the MAR.
 */
export function downsideRisk(returns: ArrayLike<number>, options: SortinoOptions = {}): number {
  const { requiredReturn, periodsPerYear } = parseOptions(sortinoSchema, options, { what: 'downsideRisk options' });
  return downsideRiskOf(readReturns(returns), requiredReturn, periodsPerYear);
}

/** Kernel of {@link sortinoRatio} (validated input). */
export function sortinoRatioOf(returns: Float64Array, requiredReturn: number, periodsPerYear: number): number {
  if (returns.length < 2) return Number.NaN;
  const count = countNonNaN(returns);
  const annualMean = nanMean(returns, requiredReturn, count) * periodsPerYear;
  return annualMean / downsideRiskOf(returns, requiredReturn, periodsPerYear, count);
}

/**
 * Annualized Sortino ratio (empyrical `sortino_ratio`):
 * `mean(r - MAR) x periodsPerYear / downsideRisk(r, MAR)`. NaN with fewer than 2 entries;
 * +Infinity when no return is below the MAR and the mean excess is positive (NaN when it is 0).
 */
export function sortinoRatio(returns: ArrayLike<number>, options: SortinoOptions = {}): number {
  const { requiredReturn, periodsPerYear } = parseOptions(sortinoSchema, options, { what: 'sortinoRatio options' });
  return sortinoRatioOf(readReturns(returns), requiredReturn, periodsPerYear);
}

/** Options of {@link calmarRatio}. */
export interface CalmarRatioOptions {
  /** Periods per year of the returns (252 daily, default). */
  readonly periodsPerYear?: number | undefined;
}

const calmarSchema = z.strictObject({ periodsPerYear: zPeriodsPerYear() });

/** Kernel of {@link calmarRatio} (validated input). */
export function calmarRatioOf(returns: Float64Array, periodsPerYear: number, maxDrawdown = maxDrawdownOf(returns)): number {
  return maxDrawdown < 0 ? calmarOf(cagrOf(returns, periodsPerYear), maxDrawdown) : Number.NaN;
}

/** Calmar ratio from a CAGR and a max drawdown (NaN without a drawdown or for an infinite quotient). */
export function calmarOf(cagr: number, maxDrawdown: number): number {
  if (!(maxDrawdown < 0)) return Number.NaN;
  const ratio = cagr / Math.abs(maxDrawdown);
  return ratio === Infinity || ratio === -Infinity ? Number.NaN : ratio;
}

/**
 * Calmar ratio (empyrical `calmar_ratio`): `cagr / |maxDrawdown|`. NaN when there is no drawdown
 * (maxDrawdown 0), when empty, and when the quotient is infinite.
 */
export function calmarRatio(returns: ArrayLike<number>, options: CalmarRatioOptions = {}): number {
  const { periodsPerYear } = parseOptions(calmarSchema, options, { what: 'calmarRatio options' });
  return calmarRatioOf(readReturns(returns), periodsPerYear);
}

/** Options of {@link omegaRatio}. */
export interface OmegaRatioOptions {
  /** Risk-free return PER PERIOD, subtracted from every return; default 0 (same check as in {@link sharpeRatio}). */
  readonly riskFree?: number | undefined;
  /** Risk-free rate PER YEAR (alternative to `riskFree`). */
  readonly annualRiskFree?: number | undefined;
  /**
   * Threshold return PER YEAR (as in empyrical), converted to per period as
   * `(1 + requiredReturn)^(1 / periodsPerYear) - 1` (unchanged when periodsPerYear is 1). Default 0.
   */
  readonly requiredReturn?: number | undefined;
  /** Periods per year of the returns (252 daily, default). */
  readonly periodsPerYear?: number | undefined;
}

const omegaSchema = z.strictObject({
  riskFree: zFiniteNumber().optional(),
  annualRiskFree: zRate().optional(),
  requiredReturn: zFiniteNumber().default(0),
  periodsPerYear: zPeriodsPerYear(),
});

/** Largest magnitude whose double is finite: the branch-free omega sums below it. */
const HALF_MAX = Number.MAX_VALUE / 2;
const OMEGA_SUMS = new Float64Array(2);

/** Sums of the positive and of the negative excess returns, in order, NaN entries left out. */
function omegaSums(returns: Float64Array, riskFree: number, threshold: number, out: Float64Array): void {
  let gains = 0;
  let losses = 0;
  for (let i = 0; i < returns.length; i++) {
    const x = returns[i]! - riskFree - threshold;
    if (x > 0) gains += x;
    else if (x < 0) losses += x;
  }
  out[0] = gains;
  out[1] = losses;
}

/**
 * {@link omegaSums} without a branch on the sign (the signs of the returns are a coin flip, so
 * branches mispredict half the time): (x + |x|) / 2 is exactly x for x > 0 and +0 otherwise,
 * (x - |x|) / 2 exactly x for x < 0 and +0 otherwise (doubling and halving are exact below
 * HALF_MAX), and adding +0 leaves either sum unchanged. Stops at a NaN or a huge value and returns
 * its index (the length when none): the branching loop then decides. A leaf kernel (see
 * docs/architecture.md, "Hot loops").
 */
function branchFreeOmegaSums(returns: Float64Array, riskFree: number, threshold: number, out: Float64Array): number {
  let gains = 0;
  let losses = 0;
  let i = 0;
  for (; i < returns.length; i++) {
    const x = returns[i]! - riskFree - threshold;
    const a = Math.abs(x);
    if (!(a < HALF_MAX)) break;
    gains += (x + a) * 0.5;
    losses += (x - a) * 0.5;
  }
  out[0] = gains;
  out[1] = losses;
  return i;
}

/** Kernel of {@link omegaRatio} (validated input, per-period risk-free, annual required return). */
export function omegaRatioOf(returns: Float64Array, riskFree: number, requiredReturn: number, periodsPerYear: number): number {
  const n = returns.length;
  if (n < 2) return Number.NaN;
  let threshold: number;
  if (periodsPerYear === 1) threshold = requiredReturn;
  else if (requiredReturn <= -1) return Number.NaN;
  else threshold = Math.pow(1 + requiredReturn, 1 / periodsPerYear) - 1;
  // Python's sum() over the selected entries: sequential, in order. NaN entries drop out.
  if (branchFreeOmegaSums(returns, riskFree, threshold, OMEGA_SUMS) < n) omegaSums(returns, riskFree, threshold, OMEGA_SUMS);
  const gains = OMEGA_SUMS[0]!;
  const losses = OMEGA_SUMS[1]!;
  const denominator = -1 * losses;
  return denominator > 0 ? gains / denominator : Number.NaN;
}

/**
 * Omega ratio (empyrical `omega_ratio`): with `x = r - riskFree - threshold`, the sum of the
 * positive x over minus the sum of the negative x. NaN with fewer than 2 entries, when no x is
 * negative, and when requiredReturn <= -1; 0 when no x is positive.
 */
export function omegaRatio(returns: ArrayLike<number>, options: OmegaRatioOptions = {}): number {
  const parsed = parseOptions(omegaSchema, options, { what: 'omegaRatio options' });
  const rf = resolveRiskFree(parsed, parsed.periodsPerYear, 'omegaRatio options');
  return omegaRatioOf(readReturns(returns), rf, parsed.requiredReturn, parsed.periodsPerYear);
}

/** Kernel of {@link tailRatio} over an ascending sorted copy (NaN last). */
export function tailRatioSorted(sorted: Float64Array): number {
  let m = sorted.length;
  while (m > 0 && Number.isNaN(sorted[m - 1]!)) m--;
  if (m === 0) return Number.NaN;
  const values = m === sorted.length ? sorted : sorted.subarray(0, m);
  return Math.abs(quantileSorted(values, 95 / 100)) / Math.abs(quantileSorted(values, 5 / 100));
}

/**
 * Tail ratio (empyrical `tail_ratio`): `|95th percentile| / |5th percentile|` of the non-NaN
 * returns (linear interpolation). NaN when empty or all NaN; Infinity when the 5th percentile
 * is 0 and the 95th is not; NaN when both are 0.
 */
export function tailRatio(returns: ArrayLike<number>): number {
  return tailRatioSorted(sortedCopy(readReturns(returns)).sorted);
}
