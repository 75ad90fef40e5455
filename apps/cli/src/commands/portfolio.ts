import { isAlgoTradingError, type Universe } from '@algo-trading/core';
import {
  covariance,
  discreteAllocation,
  efficientFrontier,
  expectedReturns,
  hierarchicalRiskParity,
  inverseVolatility,
  optimizePortfolio,
  portfolioStats,
  returnsMatrix,
  riskParity,
  type CovarianceMatrix,
  type CovarianceMethod,
  type ExpectedReturns,
  type Objective,
  type ReturnsMatrix,
} from '@algo-trading/portfolio';
import { jsonReplacer, type CommandContext } from '../context';
import { UsageError } from '../exit-codes';
import type { PortfolioMethod } from '../options';
import { OutputSet } from '../output/atomic-write';
import { isoTime, toCsv } from '../output/csv';
import { cell, renderTextTable } from '../output/text-table';
import { loadUniverse, type LoadedUniverse } from '../pipeline/load-universe';
import { renderPortfolioReportHtml } from '../report/portfolio-report';
import { checkpoint } from '../yield';

/** Options of `algo-trading portfolio optimize`. */
export interface PortfolioOptimizeCommandOptions {
  readonly data: string;
  readonly sortUnordered?: boolean | undefined;
  readonly method: PortfolioMethod;
  readonly covariance: CovarianceMethod;
  readonly returns: 'mean' | 'ewma';
  /** Annual risk-free rate. */
  readonly riskFree: number;
  readonly targetReturn?: number | undefined;
  readonly targetVolatility?: number | undefined;
  /** `--bounds`; undefined: `[0, 1]`. */
  readonly bounds?: readonly [number, number] | undefined;
  /** Return periods estimated on (the latest); undefined: all. */
  readonly lookback?: number | undefined;
  readonly cash: number;
  readonly frontierPoints: number;
  readonly out?: string | undefined;
  readonly json?: boolean | undefined;
}

/** The mean-variance methods (solved by the QP solver); the others are risk-based or equal weights. */
const MEAN_VARIANCE: ReadonlySet<PortfolioMethod> = new Set<PortfolioMethod>(['min_variance', 'max_sharpe', 'target_return', 'target_volatility']);

/** Default `--bounds`: long only. */
const LONG_ONLY: readonly [number, number] = [0, 1];

/** One symbol of the chosen portfolio. */
export interface PortfolioAsset {
  readonly symbol: string;
  readonly weight: number;
  /** Annualized expected return of the symbol alone. */
  readonly expectedReturn: number;
  /** Annualized volatility of the symbol alone, `sqrt(Sigma_ii)`. */
  readonly volatility: number;
  /** Contribution to the portfolio volatility, `w_i (Sigma w)_i / sigma_p` (they sum to the volatility). */
  readonly riskContribution: number;
  /** Share of the portfolio variance, `w_i (Sigma w)_i / w'Sigma w` (they sum to 1). */
  readonly riskShare: number;
}

/** How the weights were found. */
export interface PortfolioSolver {
  /** `highs` or `quadprog` (mean-variance), `newton` (risk parity), `closed form` (the others). */
  readonly name: string;
  /** `optimal` / `inaccurate` (KKT check of the QP), `converged` (risk parity), `exact`. */
  readonly status: string;
  /** The solver's own status, or what was iterated. */
  readonly detail: string;
}

/** Everything `portfolio optimize` reports (printed, `--json`, portfolio.json and the report). */
export interface PortfolioSummary {
  readonly data: { readonly source: string; readonly kind: LoadedUniverse['kind']; readonly symbols: readonly string[] };
  readonly estimation: {
    /** Time of the first and last return of the window (ISO). */
    readonly start: string;
    readonly end: string;
    /** Return periods used. */
    readonly periods: number;
    /** Return periods available (common to every symbol) before `--lookback`. */
    readonly availablePeriods: number;
    readonly lookback: number | null;
    /** Periods per year the estimates are annualized with, inferred from the bar times. */
    readonly periodsPerYear: number;
    readonly returns: 'simple';
    readonly alignment: 'inner';
  };
  readonly settings: {
    readonly method: PortfolioMethod;
    readonly covariance: CovarianceMethod;
    /** Shrinkage intensity of `ledoit_wolf` / `constant_correlation`; null otherwise. */
    readonly shrinkage: number | null;
    readonly expectedReturns: 'mean' | 'ewma';
    readonly riskFreeRate: number;
    readonly bounds: readonly [number, number];
    readonly targetReturn: number | null;
    readonly targetVolatility: number | null;
    readonly annualized: true;
  };
  readonly solver: PortfolioSolver;
  readonly portfolio: { readonly expectedReturn: number; readonly volatility: number; readonly sharpeRatio: number };
  readonly assets: readonly PortfolioAsset[];
  readonly allocation: PortfolioAllocation;
  readonly frontier: readonly { readonly expectedReturn: number; readonly volatility: number; readonly sharpeRatio: number; readonly weights: Readonly<Record<string, number>> }[];
  readonly warnings: readonly string[];
}

/** The discrete allocation at the last close, or why there is none. */
export interface PortfolioAllocation {
  readonly cash: number;
  /** Last close of each symbol and its time (ISO). */
  readonly prices: Readonly<Record<string, { readonly price: number; readonly time: string }>>;
  /** Whole units per symbol (symbols with none left out); null when not allocated. */
  readonly quantities: Readonly<Record<string, number>> | null;
  readonly invested: number | null;
  readonly leftover: number | null;
  /** RMS of target weight - allocated weight. */
  readonly trackingError: number | null;
  /** Why no allocation was made (short weights); null when there is one. */
  readonly skipped: string | null;
}

/** The option a library field stands for, to name it in usage errors. */
const OPTION_OF_FIELD: Readonly<Record<string, string>> = {
  targetReturn: '--target-return',
  targetVolatility: '--target-volatility',
  riskFreeRate: '--risk-free',
  bounds: '--bounds',
};

/**
 * Runs a library call; its `INVALID_ARGUMENT` about a field the command line sets becomes a usage
 * error naming the option and its value (the library's error as the cause: `--json` reports its code).
 */
async function surfaced<T>(call: () => T | Promise<T>, optionValues: Readonly<Record<string, unknown>>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isAlgoTradingError(error, 'INVALID_ARGUMENT') && typeof error.details.field === 'string') {
      const field = error.details.field.split('.')[0]!;
      const option = OPTION_OF_FIELD[field];
      if (option !== undefined) throw new UsageError(`${option} ${formatOptionValue(optionValues[option])}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function formatOptionValue(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** Checks the options that depend on each other, before any data is read. */
function checkOptions(options: PortfolioOptimizeCommandOptions): void {
  const { method } = options;
  if (method === 'target_return' && options.targetReturn === undefined) throw new UsageError('--method target_return needs --target-return <annual rate>');
  if (method === 'target_volatility' && options.targetVolatility === undefined) {
    throw new UsageError('--method target_volatility needs --target-volatility <annual volatility>');
  }
  if (options.targetReturn !== undefined && method !== 'target_return') {
    throw new UsageError(`--target-return ${options.targetReturn} applies to --method target_return only, not ${method}`);
  }
  if (options.targetVolatility !== undefined && method !== 'target_volatility') {
    throw new UsageError(`--target-volatility ${options.targetVolatility} applies to --method target_volatility only, not ${method}`);
  }
  const bounds = options.bounds;
  if (bounds !== undefined && !MEAN_VARIANCE.has(method) && (bounds[0] !== LONG_ONLY[0] || bounds[1] !== LONG_ONLY[1])) {
    throw new UsageError(
      `--bounds ${bounds.join(',')} applies to the mean-variance methods (min_variance, max_sharpe, target_return, target_volatility); ${method} weights are long only and not bounded`,
    );
  }
}

/**
 * The symbols of a portfolio's universe, in order.
 * @throws UsageError naming `--data` when it holds fewer than two.
 */
export function requireSeveralSymbols(data: string, universe: Universe): string[] {
  const symbols = [...universe.keys()];
  if (symbols.length < 2) {
    throw new UsageError(
      `--data ${data} holds one symbol (${symbols.join(', ')}); a portfolio needs at least two: a folder of CSV files (one symbol per file), a CSV file with a symbol column, or sample:stocks`,
    );
  }
  return symbols;
}

/** The returns matrix of the estimation window: every common period, or the last `--lookback`. */
function estimationWindow(universe: Universe, lookback: number | undefined): { R: ReturnsMatrix; available: number } {
  const full = returnsMatrix(universe, { kind: 'simple', align: 'inner' });
  if (full.periodsPerYear === undefined) {
    throw new UsageError('--data: the bar times do not tell how many periods make a year (irregular times); the estimates cannot be annualized');
  }
  if (lookback === undefined) return { R: full, available: full.rows };
  if (lookback > full.rows) {
    throw new UsageError(`--lookback ${lookback} is more than the ${full.rows} return periods common to every symbol`);
  }
  const start = full.rows - lookback;
  const R = returnsMatrix({
    symbols: full.symbols,
    values: full.values.subarray(start * full.cols),
    ...(full.times === undefined ? {} : { times: full.times.subarray(start) }),
    periodsPerYear: full.periodsPerYear,
    kind: 'simple',
  });
  return { R, available: full.rows };
}

/** Weights, solver and the figures of the chosen method. */
async function chooseWeights(
  options: PortfolioOptimizeCommandOptions,
  cov: CovarianceMatrix,
  mu: ExpectedReturns,
  bounds: readonly [number, number],
  optionValues: Readonly<Record<string, unknown>>,
): Promise<{ weights: Record<string, number>; solver: PortfolioSolver }> {
  const { method } = options;
  if (MEAN_VARIANCE.has(method)) {
    const result = await surfaced(
      () =>
        optimizePortfolio({
          cov,
          mu,
          objective: method as Objective,
          bounds,
          riskFreeRate: options.riskFree,
          ...(options.targetReturn === undefined ? {} : { targetReturn: options.targetReturn }),
          ...(options.targetVolatility === undefined ? {} : { targetVolatility: options.targetVolatility }),
        }),
      optionValues,
    );
    return { weights: { ...result.weights }, solver: { name: result.solver, status: result.status, detail: result.solverStatus } };
  }
  if (method === 'risk_parity') {
    const result = riskParity(cov);
    return {
      weights: { ...result.weights },
      solver: { name: 'newton', status: 'converged', detail: `${result.iterations} iterations, largest risk-share error ${result.maxError.toExponential(2)}` },
    };
  }
  if (method === 'hrp') {
    const result = hierarchicalRiskParity(cov);
    return { weights: { ...result.weights }, solver: { name: 'closed form', status: 'exact', detail: `cluster order ${result.order.join(' ')}` } };
  }
  if (method === 'inverse_volatility') {
    return { weights: { ...inverseVolatility(cov).weights }, solver: { name: 'closed form', status: 'exact', detail: 'w_i proportional to 1 / sigma_i' } };
  }
  const n = cov.symbols.length;
  return { weights: Object.fromEntries(cov.symbols.map((s) => [s, 1 / n])), solver: { name: 'closed form', status: 'exact', detail: `1/${n} each` } };
}

/** The last close of every symbol. */
function lastCloses(universe: Universe): Record<string, { price: number; time: string }> {
  const out: Record<string, { price: number; time: string }> = {};
  for (const [symbol, bars] of universe) {
    const last = bars.length - 1;
    out[symbol] = { price: bars.close[last]!, time: isoTime(bars.time[last]!) };
  }
  return out;
}

/** Weights a solver left a hair below 0 (rounding) are 0 for the allocation. */
const NEGATIVE_TOLERANCE = 1e-12;

function allocate(weights: Readonly<Record<string, number>>, universe: Universe, cash: number): PortfolioAllocation {
  const prices = lastCloses(universe);
  const short = Object.entries(weights).filter(([, w]) => w < -NEGATIVE_TOLERANCE);
  if (short.length > 0) {
    return {
      cash,
      prices,
      quantities: null,
      invested: null,
      leftover: null,
      trackingError: null,
      skipped: `the weights are short in ${short.map(([s]) => s).join(', ')}: the discrete allocation buys long positions only`,
    };
  }
  const target = Object.fromEntries(Object.entries(weights).map(([s, w]) => [s, Math.max(0, w)]));
  const order = discreteAllocation({ weights: target, prices: Object.fromEntries(Object.entries(prices).map(([s, p]) => [s, p.price])), cash });
  return {
    cash,
    prices,
    quantities: order.quantities,
    invested: order.invested,
    leftover: order.leftover,
    trackingError: order.trackingError,
    skipped: null,
  };
}

/**
 * Computes everything `portfolio optimize` reports (no output, no printing): the universe's
 * returns over the estimation window (dates common to every symbol, the last `--lookback`
 * periods), the annualized covariance and expected returns, the chosen method's weights, their
 * statistics and risk contributions, the efficient frontier within the bounds and the discrete
 * allocation of `--cash` at each symbol's last close.
 *
 * @throws UsageError naming the option for bad input (one symbol, infeasible targets, options that
 *   do not go together, a covariance the window cannot estimate).
 */
export async function computePortfolio(ctx: CommandContext, options: PortfolioOptimizeCommandOptions): Promise<PortfolioSummary> {
  checkOptions(options);
  const loaded = await loadUniverse(options.data, ctx.resolvePath, ctx.logger, { sortUnordered: options.sortUnordered });
  const symbols = requireSeveralSymbols(options.data, loaded.universe);
  const { R, available } = estimationWindow(loaded.universe, options.lookback);
  const periodsPerYear = R.periodsPerYear!;
  const bounds = options.bounds ?? LONG_ONLY;
  const optionValues: Record<string, unknown> = {
    '--target-return': options.targetReturn,
    '--target-volatility': options.targetVolatility,
    '--risk-free': options.riskFree,
    '--bounds': bounds,
  };
  let cov: CovarianceMatrix;
  try {
    cov = covariance(R, { method: options.covariance, annualize: true });
  } catch (error) {
    if (isAlgoTradingError(error, 'INVALID_DATA')) {
      const window = options.lookback === undefined ? `${R.rows} return periods` : `--lookback ${options.lookback}`;
      throw new UsageError(`--covariance ${options.covariance} on ${window}: ${error.message}`, { cause: error });
    }
    throw error;
  }
  const mu = expectedReturns(R, { method: options.returns === 'ewma' ? 'ema' : 'mean', annualize: true });
  const { weights, solver } = await chooseWeights(options, cov, mu, bounds, optionValues);
  const stats = portfolioStats({ weights, cov, mu, riskFreeRate: options.riskFree });
  const n = symbols.length;
  const assets: PortfolioAsset[] = cov.symbols.map((symbol, i) => ({
    symbol,
    weight: weights[symbol] ?? 0,
    expectedReturn: mu.values[i]!,
    volatility: Math.sqrt(cov.matrix[i * n + i]!),
    riskContribution: stats.riskContributions[symbol] ?? 0,
    riskShare: stats.riskShares[symbol] ?? 0,
  }));
  const frontier = await surfaced(
    () => efficientFrontier({ cov, mu, points: options.frontierPoints, bounds, riskFreeRate: options.riskFree }),
    optionValues,
  );
  const allocation = allocate(weights, loaded.universe, options.cash);
  const warnings: string[] = [];
  const lastTimes = new Set(Object.values(allocation.prices).map((p) => p.time));
  if (lastTimes.size > 1) {
    warnings.push(`the symbols' last bars are at different times (${[...lastTimes].sort().join(', ')}): each is allocated at its own last close`);
  }
  const times = R.times;
  return {
    data: { source: loaded.source, kind: loaded.kind, symbols: cov.symbols },
    estimation: {
      start: times === undefined ? '' : isoTime(times[0]!),
      end: times === undefined ? '' : isoTime(times[R.rows - 1]!),
      periods: R.rows,
      availablePeriods: available,
      lookback: options.lookback ?? null,
      periodsPerYear,
      returns: 'simple',
      alignment: 'inner',
    },
    settings: {
      method: options.method,
      covariance: options.covariance,
      shrinkage: cov.shrinkage ?? null,
      expectedReturns: options.returns,
      riskFreeRate: options.riskFree,
      bounds,
      targetReturn: options.targetReturn ?? null,
      targetVolatility: options.targetVolatility ?? null,
      annualized: true,
    },
    solver,
    portfolio: { expectedReturn: stats.expectedReturn!, volatility: stats.volatility, sharpeRatio: stats.sharpeRatio! },
    assets,
    allocation,
    frontier: frontier.points.map((p) => ({ expectedReturn: p.expectedReturn, volatility: p.volatility, sharpeRatio: p.sharpeRatio, weights: p.weights })),
    warnings,
  };
}

/** Columns of weights.csv. */
export const WEIGHTS_COLUMNS = ['symbol', 'weight', 'expected_return', 'volatility', 'risk_contribution', 'risk_share', 'last_close', 'quantity'] as const;

/** weights.csv: one row per symbol. */
export function weightsCsv(summary: PortfolioSummary): string {
  const { allocation } = summary;
  return toCsv(
    WEIGHTS_COLUMNS,
    summary.assets.map((a) => [
      a.symbol,
      a.weight,
      a.expectedReturn,
      a.volatility,
      a.riskContribution,
      a.riskShare,
      allocation.prices[a.symbol]?.price,
      allocation.quantities === null ? null : (allocation.quantities[a.symbol] ?? 0),
    ]),
  );
}

/** frontier.csv: one row per frontier portfolio, with its weights (`w_<symbol>`). */
export function frontierCsv(summary: PortfolioSummary): string {
  const symbols = summary.data.symbols;
  return toCsv(
    ['point', 'expected_return', 'volatility', 'sharpe_ratio', ...symbols.map((s) => `w_${s}`)],
    summary.frontier.map((p, k) => [k + 1, p.expectedReturn, p.volatility, p.sharpeRatio, ...symbols.map((s) => p.weights[s] ?? 0)]),
  );
}

/** The output files of `portfolio optimize`, in the order written. */
export const PORTFOLIO_FILES = ['portfolio.json', 'weights.csv', 'frontier.csv', 'report.html'] as const;

/** The JSON document of `--json` and portfolio.json (without the files written). */
export function portfolioDocument(summary: PortfolioSummary, argv: readonly string[]): Record<string, unknown> {
  return { ok: true, command: `algo-trading ${argv.join(' ')}`, ...summary };
}

/** Writes portfolio.json, weights.csv, frontier.csv and report.html into `dir` atomically; returns the paths. */
export function writePortfolioOutputs(dir: string, summary: PortfolioSummary, argv: readonly string[]): string[] {
  const out = new OutputSet(dir);
  out.add('portfolio.json', `${JSON.stringify(portfolioDocument(summary, argv), jsonReplacer, 2)}\n`);
  out.add('weights.csv', weightsCsv(summary));
  out.add('frontier.csv', frontierCsv(summary));
  out.add('report.html', renderPortfolioReportHtml(summary, { argv }));
  return out.commit();
}

function percent(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : `${(value * 100).toFixed(digits)}%`;
}

function money(value: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** What one year is, in words, for the annualization line. */
function periodName(periodsPerYear: number): string {
  const names: Record<number, string> = { 252: 'daily', 365: 'daily (calendar)', 52: 'weekly', 12: 'monthly', 4: 'quarterly', 1: 'yearly' };
  return names[periodsPerYear] ?? `${periodsPerYear} a year`;
}

/** The text `portfolio optimize` prints. */
export function renderPortfolio(summary: PortfolioSummary): string {
  const { estimation: e, settings: s, portfolio: p, allocation: a, solver } = summary;
  const lines: string[] = [];
  lines.push(`Portfolio: ${s.method} on ${summary.data.symbols.length} symbols (${summary.data.symbols.join(', ')}) from ${summary.data.source}`);
  lines.push(
    `Estimation window: ${e.start.slice(0, 10)} to ${e.end.slice(0, 10)}, ${e.periods} ${periodName(e.periodsPerYear)} returns` +
      (e.lookback === null ? ` (every period common to all symbols)` : ` (--lookback ${e.lookback} of ${e.availablePeriods} common periods)`),
  );
  lines.push(`Annualization: x${e.periodsPerYear} periods per year (inferred from the bar times); returns, volatilities and the risk-free rate are annual`);
  lines.push(
    `Covariance: ${s.covariance}${s.shrinkage === null ? '' : ` (shrinkage ${s.shrinkage.toFixed(4)})`}; expected returns: ${s.expectedReturns}; risk-free rate ${percent(s.riskFreeRate)}` +
      (MEAN_VARIANCE.has(s.method) ? `; bounds [${s.bounds.join(', ')}]` : '') +
      (s.targetReturn === null ? '' : `; target return ${percent(s.targetReturn)}`) +
      (s.targetVolatility === null ? '' : `; target volatility ${percent(s.targetVolatility)}`),
  );
  lines.push('');
  lines.push(
    renderTextTable(
      ['symbol', 'weight', 'exp. return', 'volatility', 'risk contrib.', 'risk share'],
      summary.assets.map((x) => [x.symbol, percent(x.weight), percent(x.expectedReturn), percent(x.volatility), percent(x.riskContribution), percent(x.riskShare)]),
    ).trimEnd(),
  );
  lines.push('');
  lines.push(`Portfolio: expected return ${percent(p.expectedReturn)}, volatility ${percent(p.volatility)}, Sharpe ratio ${cell(p.sharpeRatio, 3)}`);
  lines.push(`Solver: ${solver.name}, ${solver.status} (${solver.detail})`);
  const first = summary.frontier[0];
  const last = summary.frontier[summary.frontier.length - 1];
  if (first !== undefined && last !== undefined) {
    lines.push(
      `Efficient frontier: ${summary.frontier.length} portfolios, volatility ${percent(first.volatility)} to ${percent(last.volatility)}, return ${percent(first.expectedReturn)} to ${percent(last.expectedReturn)}`,
    );
  }
  lines.push('');
  if (a.quantities === null) {
    lines.push(`Discrete allocation of ${money(a.cash)}: none (${a.skipped ?? ''})`);
  } else {
    const times = [...new Set(Object.values(a.prices).map((x) => x.time.slice(0, 10)))].sort();
    lines.push(`Discrete allocation of ${money(a.cash)} at the last close (${times.join(', ')}), whole units:`);
    lines.push(
      renderTextTable(
        ['symbol', 'last close', 'quantity', 'value', 'weight'],
        summary.assets.map((x) => {
          const price = a.prices[x.symbol]?.price ?? Number.NaN;
          const quantity = a.quantities![x.symbol] ?? 0;
          return [x.symbol, cell(price, 2), String(quantity), money(quantity * price), percent((quantity * price) / a.cash)];
        }),
      ).trimEnd(),
    );
    lines.push(`Invested ${money(a.invested!)}, leftover cash ${money(a.leftover!)}, tracking error of the weights ${percent(a.trackingError, 3)}`);
  }
  for (const w of summary.warnings) lines.push(`Warning: ${w}`);
  return lines.join('\n');
}

/**
 * `algo-trading portfolio optimize`: weights for a universe (see {@link computePortfolio}).
 * Prints the weights table, the portfolio's statistics, the solver's status, the estimation window
 * and annualization, the frontier's range and the discrete allocation; `--json` prints the same as
 * one document; `--out` writes portfolio.json, weights.csv, frontier.csv and report.html together.
 */
export async function runPortfolioOptimizeCommand(ctx: CommandContext, options: PortfolioOptimizeCommandOptions): Promise<PortfolioSummary> {
  const summary = await computePortfolio(ctx, options);
  await checkpoint(); // a SIGINT that arrived during the run stops it before anything is written
  const files = options.out === undefined ? [] : writePortfolioOutputs(ctx.resolvePath(options.out), summary, ctx.argv);
  ctx.printJson({ ...portfolioDocument(summary, ctx.argv), files });
  ctx.print(renderPortfolio(summary));
  if (files.length > 0) ctx.print(`Written: ${files.join(', ')}`);
  return summary;
}
