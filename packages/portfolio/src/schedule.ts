import { AlgoTradingError, describeValue, isAlgoTradingError } from '@algo-trading/core';
import { z } from 'zod';
import { covariance, type CovarianceOptions } from './covariance';
import { expectedReturns, type ExpectedReturnsOptions } from './expected-returns';
import { hierarchicalRiskParity } from './hrp';
import { fail, formatTime } from './internal';
import { optimizePortfolio, weightBoundsSchema, type WeightBounds } from './optimize';
import { returnsMatrix, sliceRows, type ReturnsInput, type ReturnsMatrix, type ReturnsMatrixOptions } from './returns-matrix';
import { inverseVolatility, riskParity } from './risk-based';

/** Allocation methods of {@link rebalanceSchedule}. */
export const REBALANCE_METHODS = ['equal_weight', 'inverse_volatility', 'risk_parity', 'hrp', 'min_variance', 'max_sharpe'] as const;
/** One of {@link REBALANCE_METHODS}. */
export type RebalanceMethod = (typeof REBALANCE_METHODS)[number];

/** Calendar periods of {@link RebalanceScheduleOptions.every} (UTC). */
export const REBALANCE_PERIODS = ['week', 'month', 'quarter', 'year'] as const;
/** One of {@link REBALANCE_PERIODS}. */
export type RebalancePeriod = (typeof REBALANCE_PERIODS)[number];

/** Constraints of the methods that take them (ignored by the others). */
export interface ScheduleConstraints {
  /** `min_variance`, `max_sharpe`: weight bounds (default `[0, 1]`). */
  readonly bounds?: WeightBounds;
  /** `min_variance`, `max_sharpe`: L2 penalty (default 0). */
  readonly l2Penalty?: number;
  /** `max_sharpe`: risk-free rate in the units of the expected returns (default 0). */
  readonly riskFreeRate?: number;
  /** `risk_parity`: risk budgets by symbol (symbols absent from a window are left out). */
  readonly budgets?: Readonly<Record<string, number>>;
}

/** Options of {@link rebalanceSchedule}. */
export interface RebalanceScheduleOptions {
  /** A universe of bars (Record or Map of symbol to BarSeries) or returns with `times`. */
  readonly universe: ReturnsInput;
  /** Return rows in each estimation window (the window ends at the rebalance bar, inclusive). */
  readonly lookback: number;
  /** Rebalance every `every` return rows, or at the first bar of each calendar week, month, quarter or year (UTC). */
  readonly every: number | RebalancePeriod;
  readonly method: RebalanceMethod;
  readonly constraints?: ScheduleConstraints;
  /** Covariance estimator on each window (default `{ method: 'sample' }`). */
  readonly covariance?: CovarianceOptions;
  /** Expected-return estimator on each window (`max_sharpe`; default `{ method: 'mean' }`). */
  readonly expectedReturns?: ExpectedReturnsOptions;
  /** How bars become returns (default `{ kind: 'simple', align: 'outer' }`). */
  readonly returns?: ReturnsMatrixOptions;
}

/** A date that got no weights, and why. */
export interface SkippedRebalance {
  readonly time: number;
  readonly reason: string;
}

/**
 * Target weights over time, for the engine: row k of every `weights[symbol]` is the weight at
 * `time[k]` (the close of that bar; trade it at the next bar). Symbols absent from a window
 * weigh 0 there.
 */
export interface RebalanceSchedule {
  readonly symbols: readonly string[];
  readonly method: RebalanceMethod;
  readonly time: Float64Array;
  readonly weights: Readonly<Record<string, Float64Array>>;
  readonly skipped: readonly SkippedRebalance[];
}

const scheduleSchema = z.strictObject({
  universe: z.custom<ReturnsInput>((v) => typeof v === 'object' && v !== null, { error: 'expected a universe of bars or returns' }),
  lookback: z.number().int().min(2),
  every: z.union([z.number().int().min(1), z.enum(REBALANCE_PERIODS)]),
  method: z.enum(REBALANCE_METHODS),
  constraints: z
    .strictObject({
      bounds: weightBoundsSchema.optional(),
      l2Penalty: z.number().min(0).optional(),
      riskFreeRate: z.number().optional(),
      budgets: z.record(z.string(), z.number()).optional(),
    })
    .default({}),
  covariance: z.custom<CovarianceOptions>((v) => typeof v === 'object' && v !== null).optional(),
  expectedReturns: z.custom<ExpectedReturnsOptions>((v) => typeof v === 'object' && v !== null).optional(),
  returns: z.custom<ReturnsMatrixOptions>((v) => typeof v === 'object' && v !== null).optional(),
});

const DAY_MS = 86_400_000;

/** Calendar period number of a time (UTC): changes exactly when a new period starts. */
function periodOf(time: number, period: RebalancePeriod): number {
  const d = new Date(time);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  switch (period) {
    case 'year':
      return year;
    case 'quarter':
      return year * 4 + Math.floor(month / 3);
    case 'month':
      return year * 12 + month;
    case 'week':
      // Weeks start on Monday: 1970-01-01 was a Thursday, so shift by 3 days.
      return Math.floor((Math.floor(time / DAY_MS) + 3) / 7);
  }
}

/**
 * The rows at which to rebalance: the first row with a full window, then every `every` rows or
 * the first row of each new calendar period. Whether row t is a date depends on rows t and t - 1
 * only, so dropping later data never moves a date.
 */
export function rebalanceRows(R: ReturnsMatrix, lookback: number, every: number | RebalancePeriod): number[] {
  const rows: number[] = [];
  const first = lookback - 1;
  if (typeof every === 'number') {
    for (let t = first; t < R.rows; t += every) rows.push(t);
    return rows;
  }
  const times = R.times;
  if (times === undefined) fail('INVALID_ARGUMENT', 'every', `every: ${JSON.stringify(every)} needs bar times: give a universe of bars or returns with times`);
  for (let t = first; t < R.rows; t++) {
    if (t === first || periodOf(times[t]!, every) !== periodOf(times[t - 1]!, every)) rows.push(t);
  }
  return rows;
}

/**
 * Target weights at each rebalance date, estimated only on the `lookback` return rows ending at
 * that date (inclusive): nothing after the date is read, so the weights at a date do not change
 * when later data is removed.
 *
 * Symbols with a missing return (NaN, outer alignment) inside a window are left out of that
 * window's estimation and weigh 0; a date where no symbol has a full window is listed in
 * `skipped`, as is a `max_sharpe` date where no portfolio beats the risk-free rate.
 *
 * @example
 * const schedule = await rebalanceSchedule({ universe, lookback: 60, every: 'month', method: 'hrp' });
 * schedule.time; schedule.weights.AAPL; // one Float64Array per symbol, aligned with time
 */
export async function rebalanceSchedule(options: RebalanceScheduleOptions): Promise<RebalanceSchedule> {
  const o = scheduleSchema.safeParse(options);
  if (!o.success) {
    const issue = o.error.issues[0]!;
    const path = issue.path.join('.') || '(root)';
    fail('INVALID_ARGUMENT', path, `rebalanceSchedule options: ${path}: ${issue.message}`);
  }
  const { lookback, every, method, constraints } = o.data;
  const returnOptions = o.data.returns;
  const R = returnsMatrix(o.data.universe, isReturnsMatrixLike(o.data.universe) ? undefined : { kind: 'simple', align: 'outer', ...returnOptions });
  if (R.rows < lookback) {
    fail('INVALID_ARGUMENT', 'lookback', `lookback ${lookback} is longer than the ${R.rows} return rows available`, lookback);
  }
  const dates = rebalanceRows(R, lookback, every);
  const times: number[] = [];
  const columns: number[][] = [];
  const skipped: SkippedRebalance[] = [];
  const n = R.cols;
  for (const t of dates) {
    const time = R.times?.[t] ?? t;
    const active: number[] = [];
    for (let j = 0; j < n; j++) {
      let complete = true;
      for (let r = t - lookback + 1; r <= t && complete; r++) if (Number.isNaN(R.values[r * n + j]!)) complete = false;
      if (complete) active.push(j);
    }
    if (active.length === 0) {
      skipped.push({ time, reason: 'no symbol has a complete window' });
      continue;
    }
    const window = sliceRows(R, t - lookback + 1, t + 1, active);
    let w: Float64Array;
    try {
      w = await allocate(window, method, constraints, o.data.covariance, o.data.expectedReturns);
    } catch (error) {
      if (method === 'max_sharpe' && isAlgoTradingError(error, 'INVALID_ARGUMENT') && error.details.field === 'riskFreeRate') {
        skipped.push({ time, reason: error.message });
        continue;
      }
      if (isAlgoTradingError(error)) {
        throw new AlgoTradingError(error.code, `rebalanceSchedule at ${formatTime(time)} (row ${t}): ${error.message}`, {
          cause: error,
          details: { ...error.details, time },
        });
      }
      throw error;
    }
    const full = new Array<number>(n).fill(0);
    active.forEach((j, k) => (full[j] = w[k]!));
    times.push(time);
    columns.push(full);
  }
  const weights: Record<string, Float64Array> = {};
  R.symbols.forEach((symbol, j) => {
    weights[symbol] = Float64Array.from(columns, (row) => row[j]!);
  });
  return Object.freeze({ symbols: R.symbols, method, time: Float64Array.from(times), weights: Object.freeze(weights), skipped: Object.freeze(skipped) });
}

/** Returns given directly (`{ symbols, values }` or a matrix), as opposed to a universe of bars. */
function isReturnsMatrixLike(input: unknown): boolean {
  return typeof input === 'object' && input !== null && !(input instanceof Map) && 'symbols' in input && 'values' in input;
}

async function allocate(
  window: ReturnsMatrix,
  method: RebalanceMethod,
  constraints: { bounds?: WeightBounds | undefined; l2Penalty?: number | undefined; riskFreeRate?: number | undefined; budgets?: Record<string, number> | undefined },
  covOptions: CovarianceOptions | undefined,
  muOptions: ExpectedReturnsOptions | undefined,
): Promise<Float64Array> {
  const k = window.cols;
  if (method === 'equal_weight') return new Float64Array(k).fill(1 / k);
  if (k === 1) return new Float64Array([1]);
  const cov = covariance(window, covOptions);
  switch (method) {
    case 'inverse_volatility':
      return inverseVolatility(cov).vector;
    case 'hrp':
      return hierarchicalRiskParity(cov).vector;
    case 'risk_parity': {
      const budgets = constraints.budgets === undefined ? undefined : Object.fromEntries(window.symbols.map((s) => [s, constraints.budgets![s]!]));
      return riskParity(cov, budgets === undefined ? {} : { budgets }).vector;
    }
    case 'min_variance':
    case 'max_sharpe': {
      let bounds = constraints.bounds;
      if (bounds !== undefined && !Array.isArray(bounds)) {
        const all = bounds as Record<string, readonly [number, number]>;
        bounds = Object.fromEntries(window.symbols.filter((s) => all[s] !== undefined).map((s) => [s, all[s]!]));
      }
      const mu =
        method === 'max_sharpe'
          ? expectedReturns(window, { ...muOptions, annualize: cov.annualized, ...(cov.periodsPerYear === undefined ? {} : { periodsPerYear: cov.periodsPerYear }) })
          : undefined;
      const result = await optimizePortfolio({
        cov,
        ...(mu === undefined ? {} : { mu }),
        objective: method,
        ...(bounds === undefined ? {} : { bounds }),
        ...(constraints.l2Penalty === undefined ? {} : { l2Penalty: constraints.l2Penalty }),
        ...(constraints.riskFreeRate === undefined ? {} : { riskFreeRate: constraints.riskFreeRate }),
      });
      return result.vector;
    }
  }
  fail('INVALID_ARGUMENT', 'method', `unknown method ${describeValue(method)}`);
}
