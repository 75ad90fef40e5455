import { describeValue, parseOptions } from '@algo-trading/core';
import { z } from 'zod';
import { readCovariance, type CheckedCovariance, type CovarianceInput } from './covariance';
import { readExpectedReturns, type ExpectedReturnsInput } from './expected-returns';
import { fail, isArrayLike, readVector, toRecord } from './internal';
import { dot, matVec } from './linalg';

/** Weights by symbol (absent symbols weigh 0) or a vector in the covariance's symbol order. */
export type WeightsInput = Readonly<Record<string, number>> | ArrayLike<number>;

/** Options of {@link portfolioStats}. */
export interface PortfolioStatsOptions {
  readonly weights: WeightsInput;
  readonly cov: CovarianceInput;
  /** Expected returns in the covariance's units; needed for `expectedReturn` and `sharpeRatio`. */
  readonly mu?: ExpectedReturnsInput;
  /** Risk-free rate in the units of mu (default 0). */
  readonly riskFreeRate?: number;
}

/** Result of {@link portfolioStats}. */
export interface PortfolioStats {
  /** `mu' w` (when mu was given). */
  readonly expectedReturn?: number;
  /** `w' Sigma w`. */
  readonly variance: number;
  /** `sqrt(w' Sigma w)`. */
  readonly volatility: number;
  /** `(expectedReturn - riskFreeRate) / volatility` (when mu was given; NaN at zero volatility). */
  readonly sharpeRatio?: number;
  /** Each asset's contribution to the volatility, `w_i (Sigma w)_i / volatility` (sums to the volatility). */
  readonly riskContributions: Readonly<Record<string, number>>;
  /** Each asset's share of the variance, `w_i (Sigma w)_i / w'Sigma w` (sums to 1). */
  readonly riskShares: Readonly<Record<string, number>>;
  /** Sum of the weights (1 for a fully invested portfolio). */
  readonly grossWeight: number;
}

const object = (what: string) => z.custom<object>((v) => typeof v === 'object' && v !== null, { error: `expected ${what}` });
const statsOptionsSchema = z.strictObject({
  weights: object('weights by symbol or a vector'),
  cov: object('a covariance { symbols, matrix }'),
  mu: object('expected returns { symbols, values }').optional(),
  riskFreeRate: z.number().default(0),
});

/** Reads weights against a covariance's symbols. */
export function readWeights(weights: unknown, cov: CheckedCovariance, field = 'weights'): Float64Array {
  if (isArrayLike(weights)) return readVector(weights, cov.n, field);
  if (typeof weights !== 'object' || weights === null) {
    fail('INVALID_ARGUMENT', field, `${field} must be a record of symbol to weight or an array of ${cov.n} numbers, got ${describeValue(weights)}`, weights);
  }
  const index = new Map(cov.symbols.map((s, i) => [s, i]));
  const out = new Float64Array(cov.n);
  for (const [symbol, value] of Object.entries(weights)) {
    const i = index.get(symbol);
    if (i === undefined) fail('INVALID_ARGUMENT', `${field}.${symbol}`, `${field} names ${JSON.stringify(symbol)}, which is not a symbol of the covariance`, symbol);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      fail('INVALID_ARGUMENT', `${field}.${symbol}`, `${field}.${symbol} must be a finite number, got ${describeValue(value)}`, value);
    }
    out[i] = value;
  }
  return out;
}

/**
 * Expected return, volatility, Sharpe ratio and risk contributions of any weights, in the units
 * of the inputs (per period, or annualized when cov and mu are).
 *
 * @example
 * const stats = portfolioStats({ weights: { A: 0.5, B: 0.5 }, cov, mu, riskFreeRate: 0 });
 * stats.volatility; stats.riskShares.A;
 */
export function portfolioStats(options: PortfolioStatsOptions): PortfolioStats {
  const o = parseOptions(statsOptionsSchema, options, { what: 'portfolioStats options', code: 'INVALID_ARGUMENT' });
  const cov = readCovariance(o.cov);
  const w = readWeights(o.weights, cov);
  const rf = o.riskFreeRate;
  const n = cov.n;
  const sw = matVec(cov.matrix, w, n);
  const variance = Math.max(0, dot(w, sw, n));
  const volatility = Math.sqrt(variance);
  const contributions = new Float64Array(n);
  const shares = new Float64Array(n);
  let gross = 0;
  for (let i = 0; i < n; i++) {
    const c = w[i]! * sw[i]!;
    contributions[i] = volatility > 0 ? c / volatility : 0;
    shares[i] = variance > 0 ? c / variance : NaN;
    gross += w[i]!;
  }
  let expected: { expectedReturn: number; sharpeRatio: number } | undefined;
  if (o.mu !== undefined) {
    const mu = readExpectedReturns(o.mu, cov.symbols, cov.annualized);
    const expectedReturn = dot(mu, w, n);
    expected = { expectedReturn, sharpeRatio: volatility > 0 ? (expectedReturn - rf) / volatility : NaN };
  }
  return Object.freeze({
    ...(expected ?? {}),
    variance,
    volatility,
    riskContributions: Object.freeze(toRecord(cov.symbols, contributions)),
    riskShares: Object.freeze(toRecord(cov.symbols, shares)),
    grossWeight: gross,
  });
}
