import { parseOptions, silentLogger, zPositive, type Logger } from '@algo-trading/core';
import { z } from 'zod';
import { longestDrawdownOf, maxDrawdownAndGrowthOf } from './drawdown';
import { DEFAULT_PERIODS_PER_YEAR, readEquity, readTimes, resolveRiskFree, zFiniteNumber, zRate } from './inputs';
import { nanMean, nanStd } from './numeric';
import { inferPeriodsPerYearOf, medianSpacingFrom, spacingGuess } from './periods';
import { calmarOf, downsideRiskOf, omegaRatioOf } from './ratios';
import { cagrOfGrowth, simpleReturnsOf, stabilityOf } from './returns';
import { tailRiskOf } from './tail-risk';
import { tradeStatistics, type TradeLike } from './trades';

/** Input of {@link computeMetrics}. */
export interface ComputeMetricsInput {
  /** Equity per bar (finite, >= 0, positive start). Returns are derived from it. */
  readonly equity: ArrayLike<number>;
  /** Bar times, epoch ms, strictly increasing, one per equity value: infers periodsPerYear and gives drawdown durations in days. */
  readonly times?: ArrayLike<number> | undefined;
  /** Closed trades (core's `Trade` fits): at least `pnl` and `initialRisk`. */
  readonly trades?: readonly TradeLike[] | undefined;
  /** Periods per year; default: inferred from `times` (2 or more), else 252. */
  readonly periodsPerYear?: number | undefined;
  /**
   * Risk-free return PER BAR, default 0. Rejected when `|riskFree| x periodsPerYear > 0.25`
   * (it looks annual); pass `annualRiskFree` for an annual rate. Not both.
   */
  readonly riskFree?: number | undefined;
  /** Risk-free rate PER YEAR, converted to `(1 + annualRiskFree)^(1 / periodsPerYear) - 1` per bar. */
  readonly annualRiskFree?: number | undefined;
  /** Equity before the first bar (the initial capital); the first return is measured from it and it is the first peak. */
  readonly initialValue?: number | undefined;
  /** Receives a debug line with the periodsPerYear used. Default: silent. */
  readonly logger?: Logger | undefined;
}

/** Every metric of a run; the backtest engine spreads it into its results. NaN marks "undefined". */
export interface PerformanceMetrics {
  /** prod(1 + r) - 1. */
  readonly totalReturn: number;
  /** Compound annual growth rate. */
  readonly cagr: number;
  /** Sample std of the returns x sqrt(periodsPerYear). */
  readonly annualVolatility: number;
  /** Annualized Sharpe ratio over the risk-free rate. */
  readonly sharpeRatio: number;
  /** Annualized Sortino ratio with the risk-free rate as the minimum acceptable return. */
  readonly sortinoRatio: number;
  /** Annualized downside deviation below the risk-free rate. */
  readonly downsideRisk: number;
  /** Worst peak-to-valley loss, a negative fraction (-0.2 = 20%). */
  readonly maxDrawdown: number;
  /** cagr / |maxDrawdown|. */
  readonly calmarRatio: number;
  /** 5% historical value at risk of one bar's return. */
  readonly valueAtRisk: number;
  /** 5% historical expected shortfall of one bar's return. */
  readonly conditionalValueAtRisk: number;
  /** Omega ratio over the risk-free rate. */
  readonly omegaRatio: number;
  /** |95th percentile| / |5th percentile| of the returns. */
  readonly tailRatio: number;
  /** R-squared of a line through the cumulative log returns. */
  readonly stability: number;
  /** Longest drawdown (peak to recovery, or to the end), in bars. */
  readonly maxDrawdownDuration: number;
  /** Longest drawdown in calendar days; NaN without times. */
  readonly maxDrawdownDurationDays: number;
  /** Annualization factor used. */
  readonly periodsPerYear: number;
  /** Number of returns. */
  readonly observations: number;
  /** Number of closed trades. */
  readonly tradeCount: number;
  /** Winning trades / all trades; NaN without trades. */
  readonly winRate: number;
  /** Gross profit / gross loss; Infinity without losses, NaN without wins and losses. */
  readonly profitFactor: number;
  /** Mean R multiple over trades with an initial risk; NaN when none has one. */
  readonly expectancy: number;
  /** Mean pnl of the winning trades; NaN without wins. */
  readonly averageWin: number;
  /** Mean pnl of the losing trades (negative); NaN without losses. */
  readonly averageLoss: number;
  /** Mean pnl of all trades; NaN without trades. */
  readonly averageTradePnl: number;
  /** averageWin / |averageLoss|; NaN without wins or losses. */
  readonly payoffRatio: number;
  /** Longest losing streak; 0 without losses. */
  readonly maxConsecutiveLosses: number;
  /** Last equity value (initialValue when equity is empty, else NaN). */
  readonly finalEquity: number;
}

const isLogger = (value: unknown): value is Logger =>
  typeof value === 'object' &&
  value !== null &&
  ['debug', 'info', 'warn', 'error'].every((k) => typeof (value as Record<string, unknown>)[k] === 'function');

const computeMetricsSchema = z.strictObject({
  equity: z.custom<ArrayLike<number>>((v) => v !== undefined, { error: 'expected an array of equity values' }),
  times: z.custom<ArrayLike<number>>(() => true).optional(),
  trades: z.custom<readonly TradeLike[]>(() => true).optional(),
  periodsPerYear: zPositive().optional(),
  riskFree: zFiniteNumber().optional(),
  annualRiskFree: zRate().optional(),
  initialValue: zPositive().optional(),
  logger: z.custom<Logger>(isLogger, { error: 'expected a logger with debug, info, warn and error methods' }).optional(),
});

/** The shared 5% tail cutoff of valueAtRisk and conditionalValueAtRisk. */
const CUTOFF = 0.05;

/**
 * Scratch buffer of the returns, grown on demand and reused across calls, so that the steady
 * state allocates nothing in proportion to the curve (1,000,000 bars: 8 MB a call, most of the
 * full garbage collections of a backtest). The returns never leave computeMetrics. `busy` guards
 * a re-entrant call (a logger or a trade getter calling computeMetrics): it gets a fresh array.
 */
let returnsScratch = new Float64Array(0);
/** [guess, below, equal] of the median spacing of the times (see readTimes). */
const SPACING_COUNTS = new Float64Array(3);
let returnsScratchBusy = false;

function acquireReturnsScratch(length: number): Float64Array | undefined {
  if (returnsScratchBusy) return undefined;
  if (returnsScratch.length < length) returnsScratch = new Float64Array(Math.max(length, 2 * returnsScratch.length));
  returnsScratchBusy = true;
  return returnsScratch;
}

/**
 * Every performance metric of an equity curve (and its trades) in one object, computed as
 * empyrical does from the simple returns of the curve. Expected O(n): the percentiles come from
 * a selection over the tails of the returns (no full sort). The returns and the tail buffers
 * are module-level scratch arrays reused across calls (nothing in proportion to the curve is
 * allocated in the steady state); no per-bar allocation.
 *
 * @example
 * const metrics = computeMetrics({ equity, times, trades, initialValue: 10_000, annualRiskFree: 0.04 });
 * metrics.sharpeRatio; metrics.maxDrawdown; metrics.winRate;
 */
export function computeMetrics(input: ComputeMetricsInput): PerformanceMetrics {
  const options = parseOptions(computeMetricsSchema, input, { what: 'computeMetrics input' });
  const { initialValue } = options;
  const logger = options.logger ?? silentLogger;
  const equity = readEquity(options.equity, 'equity', initialValue !== undefined);
  const n = equity.length;
  // Times to infer periodsPerYear from: their validation pass also counts the spacings for the
  // median spacing (against a guess from a sample), saving a pass.
  const rawTimes = options.times;
  let spacingCounts: Float64Array | undefined;
  if (options.periodsPerYear === undefined && rawTimes instanceof Float64Array && n >= 2 && rawTimes.length === n) {
    spacingCounts = SPACING_COUNTS;
    spacingCounts[0] = spacingGuess(rawTimes);
  }
  const times = rawTimes === undefined ? undefined : readTimes(rawTimes, n, 'times', spacingCounts);

  let periodsPerYear = options.periodsPerYear;
  if (periodsPerYear === undefined) {
    let spacing: number | undefined;
    if (times !== undefined && spacingCounts !== undefined && spacingCounts[1]! >= 0) {
      spacing = medianSpacingFrom(times, spacingCounts[0]!, spacingCounts[1]!, spacingCounts[2]!);
    }
    periodsPerYear = times !== undefined && n >= 2 ? inferPeriodsPerYearOf(times, spacing) : DEFAULT_PERIODS_PER_YEAR;
    logger.debug({ periodsPerYear, inferred: times !== undefined && n >= 2 }, 'metrics: periodsPerYear');
  }
  const riskFree = resolveRiskFree(options, periodsPerYear, 'computeMetrics input');

  const scratch = acquireReturnsScratch(initialValue === undefined ? n - 1 : n);
  try {
    return metricsOf(equity, times, initialValue, periodsPerYear, riskFree, options.trades, scratch);
  } finally {
    if (scratch !== undefined) returnsScratchBusy = false;
  }
}

/** The body of {@link computeMetrics} after validation; `scratch` (or a fresh array) receives the returns. */
function metricsOf(
  equity: Float64Array,
  times: Float64Array | undefined,
  initialValue: number | undefined,
  periodsPerYear: number,
  riskFree: number,
  tradeList: readonly TradeLike[] | undefined,
  scratch: Float64Array | undefined,
): PerformanceMetrics {
  const n = equity.length;
  const returns = simpleReturnsOf(equity, initialValue, scratch); // no NaN: returns of a validated equity curve
  const m = returns.length;
  const { maxDrawdown, growth } = maxDrawdownAndGrowthOf(returns);
  const longest = longestDrawdownOf(equity, initialValue, times);
  const trades = tradeStatistics(tradeList ?? []);
  const cagr = m === 0 ? Number.NaN : cagrOfGrowth(growth, m, periodsPerYear);
  // The same kernels as annualVolatility, sharpeRatio, sortinoRatio and downsideRisk, each
  // moment computed once: with riskFree 0 the excess returns are the returns.
  const downsideRisk = downsideRiskOf(returns, riskFree, periodsPerYear, m);
  let annualVolatility = Number.NaN;
  let sharpeRatio = Number.NaN;
  let sortinoRatio = Number.NaN;
  if (m >= 2) {
    const mean = nanMean(returns, 0, m);
    const std = nanStd(returns, 0, 1, mean, m);
    annualVolatility = std * Math.sqrt(periodsPerYear);
    const excessMean = riskFree === 0 ? mean : nanMean(returns, riskFree, m);
    const excessStd = riskFree === 0 ? std : nanStd(returns, riskFree, 1, excessMean, m);
    sharpeRatio = (excessMean / excessStd) * Math.sqrt(periodsPerYear);
    sortinoRatio = (excessMean * periodsPerYear) / downsideRisk;
  }
  const omegaRatio = omegaRatioOf(returns, riskFree, 0, periodsPerYear);
  const tail = tailRiskOf(returns, CUTOFF);
  // Last: stability overwrites the returns with the cumulative log returns.
  const stability = stabilityOf(returns, returns);

  return Object.freeze({
    totalReturn: m === 0 ? Number.NaN : growth - 1,
    cagr,
    annualVolatility,
    sharpeRatio,
    sortinoRatio,
    downsideRisk,
    maxDrawdown,
    calmarRatio: calmarOf(cagr, maxDrawdown),
    valueAtRisk: tail.valueAtRisk,
    conditionalValueAtRisk: tail.conditionalValueAtRisk,
    omegaRatio,
    tailRatio: tail.tailRatio,
    stability,
    maxDrawdownDuration: longest.bars,
    maxDrawdownDurationDays: longest.days,
    periodsPerYear,
    observations: returns.length,
    tradeCount: trades.tradeCount,
    winRate: trades.winRate,
    profitFactor: trades.profitFactor,
    expectancy: trades.expectancy,
    averageWin: trades.averageWin,
    averageLoss: trades.averageLoss,
    averageTradePnl: trades.averageTradePnl,
    payoffRatio: trades.payoffRatio,
    maxConsecutiveLosses: trades.maxConsecutiveLosses,
    finalEquity: n > 0 ? equity[n - 1]! : (initialValue ?? Number.NaN),
  });
}
