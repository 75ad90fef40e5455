import { basename } from 'node:path';
import { BacktestEngine } from '@algo-trading/backtesting';
import { AlgoTradingError, type BarSeries, type Logger, type Universe } from '@algo-trading/core';
import { alphaBeta, computeMetrics, informationRatio, returnsFromEquity } from '@algo-trading/metrics';
import { engineCostsFromConfig } from '../config/mapping';
import type { AppConfig } from '../config/schema';
import type { ConfiguredBacktest } from './engine-run';

/**
 * The benchmark of a run: what the strategy is measured against. A single-symbol run is compared
 * with buying and holding the same data over the same period; `--benchmark` names another series
 * (a CSV file or a bundled sample) to buy and hold instead. Every benchmark goes through the engine
 * with the run's capital, commission, slippage and lot size, entering at the first fill
 * opportunity (the open of the second bar, exactly when the strategy's first order could fill),
 * so the two are comparable. A run of several symbols is compared with an equal-weight portfolio
 * of the same symbols, rebalanced monthly (see {@link equalWeightBenchmark}).
 */

/** How the benchmark's portfolio is built. */
export type BenchmarkKind = 'buy_and_hold' | 'equal_weight';

/** How the benchmark's equity was aligned with the strategy's bars. */
export type BenchmarkAlignment = 'same_bars' | 'same_slices' | 'as_of_time' | 'as_of_date';

/** A benchmark's equity at each of the strategy's bars. */
export interface BenchmarkSeries {
  readonly kind: BenchmarkKind;
  /** For people: `Buy and hold SP500`. */
  readonly label: string;
  /** `same data`, a file path or `sample:<name>`. */
  readonly source: string;
  readonly symbol: string;
  /** Equity at the close of each strategy bar (same length as the strategy's curve). */
  readonly equity: Float64Array;
  readonly alignment: BenchmarkAlignment;
  /** The buy: its time, fill price (with slippage) and quantity; null when nothing was bought (and for an equal-weight benchmark, which buys several). */
  readonly entry: { readonly time: number; readonly price: number; readonly quantity: number } | null;
  /** Things a reader must know (a benchmark that starts late, nothing bought, ...). */
  readonly notes: readonly string[];
  /** How the portfolio is built, in words, when it is more than one buy (the equal-weight rule). */
  readonly rule?: string | undefined;
  /** Its figures as its engine run computed them, when that run was over the strategy's own bars. */
  readonly engineMetrics?: EngineMetrics | undefined;
}

/**
 * A benchmark's figures from its engine run and what they were computed over: `computeMetrics`
 * of its equity at those times, from that capital, with those periods per year. A comparison
 * over the same reuses them instead of computing them again.
 */
export interface EngineMetrics {
  readonly metrics: BenchmarkMetrics;
  readonly time: ArrayLike<number>;
  readonly initialCapital: number;
  readonly periodsPerYear: number;
}

/** The benchmark's own statistics: the strategy's headline figures, for the benchmark. */
export interface BenchmarkMetrics {
  readonly totalReturn: number;
  readonly cagr: number;
  readonly sharpeRatio: number;
  readonly maxDrawdown: number;
  readonly annualVolatility: number;
}

/** The strategy measured against the benchmark (empyrical definitions, per-bar returns). */
export interface RelativeMetrics {
  /** Annualized alpha: `(1 + mean(r - beta x b))^periodsPerYear - 1` (empyrical `alpha`). */
  readonly alpha: number;
  /** `cov(r, b) / var(b)` (empyrical `beta`). */
  readonly beta: number;
  /** `mean(r - b) / std(r - b)` per bar, not annualized (empyrical `excess_sharpe`). */
  readonly informationRatio: number;
  /** Strategy total return minus benchmark total return. */
  readonly excessReturn: number;
}

/** The benchmark as `results.json` stores it and the report draws it. */
export interface BenchmarkResults extends Omit<BenchmarkSeries, 'equity'> {
  /** Equity at each bar of the run's equity curve. */
  readonly equity: ArrayLike<number>;
  readonly metrics: BenchmarkMetrics;
  readonly relative: RelativeMetrics;
  /** The alignment rule in words. */
  readonly alignmentNote: string;
}

/** Words for each {@link BenchmarkAlignment}. */
export const ALIGNMENT_NOTES: Readonly<Record<BenchmarkAlignment, string>> = {
  same_bars: 'the same bars as the strategy',
  same_slices: "the same time slices as the strategy (the union of the symbols' bar times)",
  as_of_time:
    "as of each strategy bar: the benchmark's equity at its last bar at or before the strategy bar's time (its initial capital before its first bar)",
  as_of_date:
    "as of each strategy bar's UTC date (both series daily or slower): the benchmark's equity at its last bar on or before that date, so closes stamped at different hours of the same day match",
};

const DAY_MS = 86_400_000;

/**
 * Buys at the first fill opportunity and holds to the end, through the engine with the run's
 * capital, commission, slippage and lot size (all-in: the largest whole number of lots the cash
 * pays for, commission included). The position is marked at the last close, not sold, as the
 * strategy's open positions are.
 */
export async function buyAndHold(
  bars: BarSeries,
  config: AppConfig,
): Promise<{ equity: Float64Array; entry: BenchmarkSeries['entry']; engineMetrics: EngineMetrics }> {
  // Buy and hold is unleveraged whatever the run's max_leverage: all the capital, no more.
  const engine = new BacktestEngine({ ...engineCostsFromConfig(config), maxLeverage: 1, symbol: bars.symbol ?? 'BENCHMARK' });
  const signals = new Int8Array(bars.length);
  signals[0] = 1;
  const results = await engine.runBacktest({ data: bars, signals });
  const fill = engine.getFills()[0];
  return {
    // The engine runs no more: its equity column is not reused, no need to copy it.
    equity: engine.getEquityCurve().equity,
    entry: fill === undefined ? null : { time: fill.time, price: fill.price, quantity: fill.quantity },
    engineMetrics: {
      metrics: {
        totalReturn: results.totalReturn,
        cagr: results.cagr,
        sharpeRatio: results.sharpeRatio,
        maxDrawdown: results.maxDrawdown,
        annualVolatility: results.annualVolatility,
      },
      time: bars.time,
      initialCapital: results.initialCapital,
      periodsPerYear: results.periodsPerYear,
    },
  };
}

/** Median spacing of bar times, ms (0 for fewer than 2 bars). */
export function medianSpacing(time: ArrayLike<number>): number {
  const n = time.length;
  if (n < 2) return 0;
  const gaps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) gaps[i - 1] = time[i]! - time[i - 1]!;
  gaps.sort();
  return gaps[Math.floor((n - 1) / 2)]!;
}

/**
 * The benchmark's equity at each strategy time, as of: the value at its last time `<=` the
 * strategy time (compared by UTC date when `byDate`), `before` ahead of its first time. Both time
 * arrays ascending. O(n + m).
 */
export function alignAsOf(
  strategyTime: ArrayLike<number>,
  benchmarkTime: ArrayLike<number>,
  benchmarkValue: ArrayLike<number>,
  options: { readonly before: number; readonly byDate: boolean },
): Float64Array {
  const key = options.byDate ? (t: number) => Math.floor(t / DAY_MS) : (t: number) => t;
  const out = new Float64Array(strategyTime.length);
  let j = -1;
  for (let i = 0; i < strategyTime.length; i++) {
    const k = key(strategyTime[i]!);
    while (j + 1 < benchmarkTime.length && key(benchmarkTime[j + 1]!) <= k) j++;
    out[i] = j < 0 ? options.before : benchmarkValue[j]!;
  }
  return out;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Input of {@link benchmarkSeries}. */
export interface BenchmarkSeriesInput {
  /** The strategy's bars (as backtested). */
  readonly bars: BarSeries;
  readonly config: AppConfig;
  /** Another series to buy and hold (`--benchmark`); default: the strategy's own bars. */
  readonly other?: { readonly bars: BarSeries; readonly source: string } | undefined;
  /** Name of the strategy's instrument when its bars carry none (the engine's symbol). */
  readonly symbol?: string | undefined;
  readonly logger?: Logger | undefined;
}

/**
 * The benchmark of a single-symbol run: buy and hold of its own bars, or of `other` cut to the
 * strategy's period and aligned as of each strategy bar (by UTC date when both series are daily
 * or slower, else by time; see {@link ALIGNMENT_NOTES}).
 *
 * @throws AlgoTradingError `INVALID_DATA` when `other` has no bar inside the strategy's period.
 */
export async function benchmarkSeries(input: BenchmarkSeriesInput): Promise<BenchmarkSeries> {
  const { bars, config } = input;
  if (input.other === undefined) {
    const { equity, entry, engineMetrics } = await buyAndHold(bars, config);
    const symbol = bars.symbol ?? input.symbol ?? 'the data';
    return {
      kind: 'buy_and_hold',
      label: `Buy and hold ${symbol}`,
      source: 'same data',
      symbol,
      equity,
      alignment: 'same_bars',
      entry,
      notes: entry === null ? [`nothing was bought: ${config.backtesting.initial_capital} does not pay for one lot of ${config.backtesting.lot_size}`] : [],
      engineMetrics,
    };
  }
  const { source } = input.other;
  const n = bars.length;
  const first = bars.time[0]!;
  const last = bars.time[n - 1]!;
  const daily = medianSpacing(bars.time) >= DAY_MS && medianSpacing(input.other.bars.time) >= DAY_MS;
  // The benchmark's bars inside the strategy's period (by date for daily data).
  const inPeriod = (t: number) => (daily ? Math.floor(t / DAY_MS) >= Math.floor(first / DAY_MS) && Math.floor(t / DAY_MS) <= Math.floor(last / DAY_MS) : t >= first && t <= last);
  const time = input.other.bars.time;
  let from = 0;
  while (from < time.length && !inPeriod(time[from]!)) from++;
  let to = from;
  while (to < time.length && inPeriod(time[to]!)) to++;
  if (to - from < 1) {
    throw new AlgoTradingError(
      'INVALID_DATA',
      `benchmark ${source} has no bar between ${isoDate(first)} and ${isoDate(last)}, the period of the run (it spans ${time.length > 0 ? `${isoDate(time[0]!)} to ${isoDate(time[time.length - 1]!)}` : 'no bars'})`,
      { details: { field: 'benchmark', value: source } },
    );
  }
  const cut = input.other.bars.slice(from, to);
  const { equity, entry } = await buyAndHold(cut, config);
  const capital = config.backtesting.initial_capital;
  const aligned = alignAsOf(bars.time, cut.time, equity, { before: capital, byDate: daily });
  const symbol = cut.symbol ?? basename(source);
  const notes: string[] = [];
  const lateStart = daily ? Math.floor(cut.time[0]! / DAY_MS) > Math.floor(first / DAY_MS) : cut.time[0]! > first;
  if (lateStart) notes.push(`the benchmark's first bar in the period is ${isoDate(cut.time[0]!)}, after the run's first bar ${isoDate(first)}: it holds cash until then`);
  const endKey = (t: number) => (daily ? Math.floor(t / DAY_MS) : t);
  if (endKey(cut.time[cut.length - 1]!) < endKey(last)) {
    notes.push(`the benchmark's last bar is ${isoDate(cut.time[cut.length - 1]!)}, before the run's last bar ${isoDate(last)}: its equity stays at that value`);
  }
  if (entry === null) notes.push(`nothing was bought: ${capital} does not pay for one lot of ${config.backtesting.lot_size}, or the benchmark has a single bar in the period`);
  for (const note of notes) input.logger?.warn({ benchmark: source }, note);
  return {
    kind: 'buy_and_hold',
    label: `Buy and hold ${symbol}`,
    source,
    symbol,
    equity: aligned,
    alignment: daily ? 'as_of_date' : 'as_of_time',
    entry,
    notes,
  };
}

/** The equity with values below 0 (a ruined account) at 0, as the metrics take it. */
function floored(equity: ArrayLike<number>): Float64Array {
  // A plain loop: Float64Array.from with a map function walks an iterator, which took most of the
  // comparison's time on 1M bars.
  const out = new Float64Array(equity.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(equity[i]!, 0);
  return out;
}

/** Per-bar returns of an equity curve from the initial capital; null when the curve reaches 0 or below. */
function barReturns(equity: ArrayLike<number>, initialValue: number): Float64Array | null {
  for (let i = 0; i < equity.length; i++) if (!(equity[i]! > 0)) return null;
  return returnsFromEquity(equity, { initialValue }); // reads a Float64Array in place, copies anything else
}

/** Input of {@link compareWithBenchmark}. */
export interface CompareWithBenchmarkInput {
  readonly benchmark: BenchmarkSeries;
  /** The strategy's equity per bar and its times. */
  readonly equity: ArrayLike<number>;
  readonly time: ArrayLike<number>;
  readonly initialCapital: number;
  /** Annualization used by the strategy's own metrics. */
  readonly periodsPerYear: number;
  /** The strategy's total return (its headline). */
  readonly strategyTotalReturn: number;
}

/**
 * The benchmark's headline figures (computed exactly as the strategy's: `computeMetrics` over its
 * equity at the strategy's bars, from the same capital, with the same periods per year) and the
 * strategy's alpha, beta and information ratio against it, from the two per-bar return series.
 */
export function compareWithBenchmark(input: CompareWithBenchmarkInput): BenchmarkResults {
  const { initialCapital, periodsPerYear } = input;
  const { engineMetrics, ...benchmark } = input.benchmark;
  // The engine computed them the same way (it floors a ruined account at 0 too) when its run was
  // over these times, from this capital, with these periods per year.
  const m =
    engineMetrics !== undefined && engineMetrics.time === input.time && engineMetrics.initialCapital === initialCapital && engineMetrics.periodsPerYear === periodsPerYear
      ? engineMetrics.metrics
      : computeMetrics({ equity: floored(benchmark.equity), times: input.time, initialValue: initialCapital, periodsPerYear });
  const strategyReturns = barReturns(input.equity, initialCapital);
  const benchmarkReturns = barReturns(benchmark.equity, initialCapital);
  let relative: RelativeMetrics = { alpha: Number.NaN, beta: Number.NaN, informationRatio: Number.NaN, excessReturn: input.strategyTotalReturn - m.totalReturn };
  if (strategyReturns !== null && benchmarkReturns !== null) {
    const ab = alphaBeta(strategyReturns, benchmarkReturns, { periodsPerYear });
    relative = { ...relative, alpha: ab.alpha, beta: ab.beta, informationRatio: informationRatio(strategyReturns, benchmarkReturns) };
  }
  return {
    ...benchmark,
    alignmentNote: ALIGNMENT_NOTES[benchmark.alignment],
    metrics: {
      totalReturn: m.totalReturn,
      cagr: m.cagr,
      sharpeRatio: m.sharpeRatio,
      maxDrawdown: m.maxDrawdown,
      annualVolatility: m.annualVolatility,
    },
    relative,
  };
}

/** Input of {@link runBenchmark}. */
export interface RunBenchmarkInput extends BenchmarkSeriesInput {
  /** The strategy's engine run over `bars`. */
  readonly run: ConfiguredBacktest;
}

/** {@link benchmarkSeries} then {@link compareWithBenchmark}: the benchmark of a run, ready for results.json. */
export async function runBenchmark(input: RunBenchmarkInput): Promise<BenchmarkResults> {
  const { results, curve } = input.run;
  const benchmark = await benchmarkSeries({ symbol: results.symbol, ...input });
  return compareWithBenchmark({
    benchmark,
    equity: curve.equity,
    time: input.bars.time,
    initialCapital: results.initialCapital,
    periodsPerYear: results.periodsPerYear,
    strategyTotalReturn: results.totalReturn,
  });
}

/** Words for the rule of {@link equalWeightBenchmark}, shown in the report. */
export const EQUAL_WEIGHT_RULE =
  "equal weight of the symbols listed (1/k of the equity in each of the k symbols with a bar at or before the slice and a later one), set at the first time slice and again at the first slice of every calendar month (UTC), executed at the next open with the run's capital, commission, slippage and lot size, unleveraged (buys cut to the cash left), through the same engine";

/**
 * The month (UTC) of a time, as a number that changes exactly when a new month starts.
 */
function monthOf(ms: number): number {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/**
 * The benchmark of a universe run: an equal-weight portfolio of the same symbols, rebalanced
 * monthly ({@link EQUAL_WEIGHT_RULE}). At the first time slice and at the first slice of each
 * UTC month, every symbol listed then (its first bar at or before the slice, its last bar after
 * it) gets 1/k of the equity, k the number listed; a symbol not yet listed waits for the next
 * month, a delisted one is sold by the engine at its last bar. Target weights through the engine
 * with the run's capital, costs and lot, `maxLeverage` 1 (buys cut to the cash left).
 *
 * @param time the strategy's time slices (the union of the symbols' bar times).
 */
export async function equalWeightBenchmark(universe: Universe, config: AppConfig, time: ArrayLike<number>): Promise<BenchmarkSeries> {
  const symbols = [...universe.keys()];
  const span = symbols.map((s) => {
    const bars = universe.get(s)!;
    return { first: bars.time[0]!, last: bars.time[bars.length - 1]! };
  });
  const rows: number[] = [];
  const columns = symbols.map(() => [] as number[]);
  for (let i = 0; i < time.length; i++) {
    const t = time[i]!;
    if (i > 0 && monthOf(t) === monthOf(time[i - 1]!)) continue;
    const listed = span.map((x) => x.first <= t && t < x.last);
    const k = listed.filter(Boolean).length;
    if (k === 0) continue;
    rows.push(t);
    listed.forEach((on, j) => columns[j]!.push(on ? 1 / k : 0));
  }
  const engine = new BacktestEngine({ ...engineCostsFromConfig(config), maxLeverage: 1 });
  await engine.runBacktest({
    data: universe,
    targetWeights: { time: Float64Array.from(rows), weights: Object.fromEntries(symbols.map((s, j) => [s, Float64Array.from(columns[j]!)])) },
  });
  const notes = engine.getFills().length === 0 ? [`nothing was bought: ${config.backtesting.initial_capital} does not pay for one lot of ${config.backtesting.lot_size} of any symbol`] : [];
  return {
    kind: 'equal_weight',
    label: `Equal weight (${symbols.length} symbols, monthly)`,
    source: 'same data',
    symbol: symbols.join(','),
    equity: Float64Array.from(engine.getEquityCurve().equity),
    alignment: 'same_slices',
    entry: null,
    notes,
    rule: EQUAL_WEIGHT_RULE,
  };
}

/** Input of {@link runUniverseBenchmark}. */
export interface RunUniverseBenchmarkInput {
  readonly universe: Universe;
  readonly config: AppConfig;
  /** The strategy's engine run over `universe`. */
  readonly run: ConfiguredBacktest;
  /** Another series to buy and hold (`--benchmark`) instead of the equal-weight portfolio. */
  readonly other?: { readonly bars: BarSeries; readonly source: string } | undefined;
  readonly logger?: Logger | undefined;
}

/**
 * The benchmark of a universe run, ready for results.json: the equal-weight portfolio of its
 * symbols ({@link equalWeightBenchmark}), or `other` bought and held and aligned as of each time
 * slice; compared as {@link compareWithBenchmark}.
 */
export async function runUniverseBenchmark(input: RunUniverseBenchmarkInput): Promise<BenchmarkResults> {
  const { results, curve } = input.run;
  let benchmark: BenchmarkSeries;
  if (input.other === undefined) {
    benchmark = await equalWeightBenchmark(input.universe, input.config, curve.time);
  } else {
    // The slices stand in for the strategy's bars: only their times are read.
    const slices = { time: curve.time, length: curve.time.length } as unknown as BarSeries;
    benchmark = await benchmarkSeries({ bars: slices, config: input.config, other: input.other, logger: input.logger });
  }
  return compareWithBenchmark({
    benchmark,
    equity: curve.equity,
    time: curve.time,
    initialCapital: results.initialCapital,
    periodsPerYear: results.periodsPerYear,
    strategyTotalReturn: results.totalReturn,
  });
}
