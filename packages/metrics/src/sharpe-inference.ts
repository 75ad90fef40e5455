import { parseOptions, zIntegerAtLeast, zNonNegative } from '@algo-trading/core';
import { z } from 'zod';
import { readReturns, resolveRiskFree, zFiniteNumber, zPeriodsPerYear, zRate } from './inputs';
import { normalCdf, normalQuantile } from './normal';

/**
 * Statistical inference on the Sharpe ratio (Bailey and Lopez de Prado): the probabilistic
 * Sharpe ratio (2012) and the deflated Sharpe ratio (2014), which corrects for the number of
 * strategy variants tried. Both are probabilities in [0, 1].
 *
 * All Sharpe inputs here are in the same ANNUALIZED units as `sharpeRatio` returns; they are
 * de-annualized with `periodsPerYear` internally (the formulas work per period).
 */

/** Euler-Mascheroni constant. */
const EULER_GAMMA = 0.5772156649015329;

/** Per-period Sharpe ratio, skewness and kurtosis of the non-NaN excess returns. */
interface SharpeMoments {
  readonly sharpe: number;
  readonly skewness: number;
  readonly kurtosis: number;
  readonly count: number;
}

function momentsOf(returns: Float64Array, riskFree: number): SharpeMoments {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < returns.length; i++) {
    const x = returns[i]! - riskFree;
    if (x === x) {
      sum += x;
      count++;
    }
  }
  const mean = sum / count;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < returns.length; i++) {
    const x = returns[i]! - riskFree;
    if (x !== x) continue;
    const d = x - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const std = Math.sqrt(m2 / (count - 1)); // sample std, as in sharpeRatio
  m2 /= count;
  m3 /= count;
  m4 /= count;
  return {
    sharpe: mean / std,
    skewness: m3 / Math.pow(m2, 1.5),
    kurtosis: m4 / (m2 * m2),
    count,
  };
}

/** PSR of per-period moments against a per-period benchmark Sharpe. */
function psrOf(moments: SharpeMoments, benchmark: number): number {
  const { sharpe, skewness, kurtosis, count } = moments;
  if (count < 2 || !Number.isFinite(sharpe) || !Number.isFinite(kurtosis)) return Number.NaN;
  const variance = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  if (!(variance > 0)) return Number.NaN;
  return normalCdf(((sharpe - benchmark) * Math.sqrt(count - 1)) / Math.sqrt(variance));
}

const riskFreeFields = {
  riskFree: zFiniteNumber().optional(),
  annualRiskFree: zRate().optional(),
  periodsPerYear: zPeriodsPerYear(),
};

/** Options of {@link probabilisticSharpeRatio}. */
export interface ProbabilisticSharpeOptions {
  /** The Sharpe ratio to beat, ANNUALIZED (as `sharpeRatio` reports it). Default 0. */
  readonly benchmarkSharpe?: number | undefined;
  /** Risk-free return per period (see `sharpeRatio`). */
  readonly riskFree?: number | undefined;
  /** Risk-free rate per year (alternative to `riskFree`). */
  readonly annualRiskFree?: number | undefined;
  /** Periods per year of the returns (252 daily, default). */
  readonly periodsPerYear?: number | undefined;
}

const psrSchema = z.strictObject({ benchmarkSharpe: zFiniteNumber().default(0), ...riskFreeFields });

/**
 * Probabilistic Sharpe ratio: the probability that the true Sharpe ratio exceeds
 * `benchmarkSharpe`, given the sample's length, skewness and kurtosis:
 * `Phi((SR - SR*) sqrt(n - 1) / sqrt(1 - g3 SR + (g4 - 1) / 4 SR^2))`, SR per period (sample std),
 * g3 / g4 the population skewness and (non-excess) kurtosis of the non-NaN excess returns.
 * NaN with fewer than 2 observations, a zero standard deviation, or a non-positive variance term.
 *
 * @example
 * probabilisticSharpeRatio(dailyReturns, { benchmarkSharpe: 1 }); // e.g. 0.93
 */
export function probabilisticSharpeRatio(returns: ArrayLike<number>, options: ProbabilisticSharpeOptions = {}): number {
  const parsed = parseOptions(psrSchema, options, { what: 'probabilisticSharpeRatio options' });
  const { periodsPerYear } = parsed;
  const rf = resolveRiskFree(parsed, periodsPerYear, 'probabilisticSharpeRatio options');
  const moments = momentsOf(readReturns(returns), rf);
  return psrOf(moments, parsed.benchmarkSharpe / Math.sqrt(periodsPerYear));
}

/** Options of {@link deflatedSharpeRatio}. */
export interface DeflatedSharpeOptions {
  /** Number of independent strategy variants (trials) tried, an integer >= 1. */
  readonly trials: number;
  /** Variance of the ANNUALIZED Sharpe ratios across those trials (>= 0). */
  readonly sharpeVariance: number;
  /** Risk-free return per period (see `sharpeRatio`). */
  readonly riskFree?: number | undefined;
  /** Risk-free rate per year (alternative to `riskFree`). */
  readonly annualRiskFree?: number | undefined;
  /** Periods per year of the returns (252 daily, default). */
  readonly periodsPerYear?: number | undefined;
}

const dsrSchema = z.strictObject({
  trials: zIntegerAtLeast(1),
  sharpeVariance: zNonNegative(),
  ...riskFreeFields,
});

/**
 * Expected maximum Sharpe ratio of `trials` unskilled strategies whose Sharpe ratios have
 * variance `sharpeVariance` (same units in and out):
 * `sqrt(V) x ((1 - gamma) Phi^-1(1 - 1/N) + gamma Phi^-1(1 - 1/(N e)))`; 0 for a single trial.
 */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (trials <= 1) return 0;
  return (
    Math.sqrt(sharpeVariance) *
    ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) + EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E)))
  );
}

/**
 * Deflated Sharpe ratio: the probabilistic Sharpe ratio against the Sharpe ratio the best of
 * `trials` unskilled variants would reach by luck ({@link expectedMaxSharpe}). Below 0.95 the
 * strategy's Sharpe ratio is not significant at 5% once selection is accounted for. Same NaN
 * cases as {@link probabilisticSharpeRatio}.
 */
export function deflatedSharpeRatio(returns: ArrayLike<number>, options: DeflatedSharpeOptions): number {
  const parsed = parseOptions(dsrSchema, options, { what: 'deflatedSharpeRatio options' });
  const { periodsPerYear } = parsed;
  const rf = resolveRiskFree(parsed, periodsPerYear, 'deflatedSharpeRatio options');
  const moments = momentsOf(readReturns(returns), rf);
  return psrOf(moments, expectedMaxSharpe(parsed.trials, parsed.sharpeVariance / periodsPerYear));
}
