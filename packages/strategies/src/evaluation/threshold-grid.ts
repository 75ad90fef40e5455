import { AlgoTradingError } from '@algo-trading/core';
import { calmarRatio, maxDrawdown, sharpeRatio, totalReturn } from '@algo-trading/metrics';
import { applyThresholdInto, requireThreshold } from '../strategy/signal-rule';
import { runPositions } from './strategy-returns';

/** The metric a threshold search maximises. */
export type OptimizationMetric = 'sharpe' | 'total_return' | 'calmar';

/** Every {@link OptimizationMetric}. */
export const OPTIMIZATION_METRICS = ['sharpe', 'total_return', 'calmar'] as const satisfies readonly OptimizationMetric[];

/** Performance of following the signals of one threshold. */
export interface ThresholdRow {
  readonly threshold: number;
  /** The value of the optimised metric (one of the fields below). */
  readonly metricValue: number;
  /** Positions opened. */
  readonly trades: number;
  /** trades / bars evaluated. */
  readonly tradeFrequency: number;
  readonly buySignals: number;
  readonly sellSignals: number;
  /** Annualised Sharpe ratio of the strategy returns (empyrical convention). */
  readonly sharpe: number;
  readonly totalReturn: number;
  readonly calmar: number;
  /** Max drawdown as a negative fraction. */
  readonly maxDrawdown: number;
  /** trades < minTrades: the row's statistics rest on too few trades to be trusted. */
  readonly tooFewTrades: boolean;
}

/** Settings of {@link evaluateThresholds} (validated by the caller). */
export interface ThresholdEvaluation {
  readonly probabilities: ArrayLike<number>;
  readonly returns: ArrayLike<number>;
  /** Window `[start, end)` to evaluate; the strategy starts flat at `start`. */
  readonly start: number;
  readonly end: number;
  readonly thresholds: readonly number[];
  readonly costs: number;
  readonly allowShort: boolean;
  readonly metric: OptimizationMetric;
  readonly minTrades: number;
  readonly periodsPerYear: number;
}

/** Rows plus each row's strategy returns over the window (for the deflated Sharpe ratio). */
export interface ThresholdEvaluationResult {
  /** Sorted by the metric, best first (NaN last; ties by lower threshold). */
  readonly rows: ThresholdRow[];
  /** Strategy returns of each threshold over the window, keyed by threshold. */
  readonly returnsByThreshold: ReadonlyMap<number, Float64Array>;
}

/**
 * Thresholds from `lo` to `hi` inclusive by `step`, rounded to 12 decimals so 0.5 + 3 x 0.05 is
 * 0.65 and not 0.6500000000000001.
 */
export function thresholdGrid(lo: number, hi: number, step: number): number[] {
  requireThreshold('thresholdRange[0]', lo);
  requireThreshold('thresholdRange[1]', hi);
  if (lo > hi) {
    throw new AlgoTradingError('INVALID_CONFIG', `thresholdRange must be [low, high] with low <= high, got [${lo}, ${hi}]`, {
      details: { field: 'thresholdRange', value: [lo, hi] },
    });
  }
  if (!(Number.isFinite(step) && step > 0)) {
    throw new AlgoTradingError('INVALID_CONFIG', `step must be a finite number greater than 0, got ${step}`, {
      details: { field: 'step', value: step },
    });
  }
  const count = Math.floor((hi - lo) / step + 1e-9) + 1;
  if (count > 10_000) {
    throw new AlgoTradingError('INVALID_CONFIG', `step ${step} gives ${count} thresholds; use at most 10000`, {
      details: { field: 'step', value: step },
    });
  }
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(Math.round((lo + i * step) * 1e12) / 1e12);
  return out;
}

/** Value of `metric` in a row. */
export function metricOf(row: Pick<ThresholdRow, 'sharpe' | 'totalReturn' | 'calmar'>, metric: OptimizationMetric): number {
  return metric === 'sharpe' ? row.sharpe : metric === 'total_return' ? row.totalReturn : row.calmar;
}

/** Best first; NaN last; ties broken by the lower threshold (fewer assumptions about confidence). */
export function compareRows(a: ThresholdRow, b: ThresholdRow): number {
  const x = a.metricValue;
  const y = b.metricValue;
  const xNaN = Number.isNaN(x);
  const yNaN = Number.isNaN(y);
  if (xNaN !== yNaN) return xNaN ? 1 : -1;
  if (!xNaN && x !== y) return y > x ? 1 : -1;
  return a.threshold - b.threshold;
}

/**
 * Evaluates every threshold over one window of precomputed probabilities: the signal rule, the
 * positions and returns of {@link strategyReturns}, then Sharpe, total return, Calmar and max
 * drawdown. Cheap: no model call; buffers are allocated once and reused per threshold.
 */
export function evaluateThresholds(e: ThresholdEvaluation): ThresholdEvaluationResult {
  const n = e.end - e.start;
  const probabilities = windowOf(e.probabilities, e.start, e.end);
  const returns = windowOf(e.returns, e.start, e.end);
  const signals = new Int8Array(n);
  const confidences = new Float64Array(n);
  const positions = new Int8Array(n);
  const stats = { trades: 0, turnover: 0 };
  const rows: ThresholdRow[] = [];
  const returnsByThreshold = new Map<number, Float64Array>();
  const metricOptions = { periodsPerYear: e.periodsPerYear };
  for (const threshold of e.thresholds) {
    applyThresholdInto(probabilities, threshold, signals, confidences);
    let buy = 0;
    let sell = 0;
    for (let i = 0; i < n; i++) {
      const s = signals[i]!;
      if (s === 1) buy++;
      else if (s === -1) sell++;
    }
    const out = new Float64Array(n);
    runPositions(signals, returns, 0, n, e.costs, e.allowShort, out, positions, stats);
    const base = {
      sharpe: sharpeRatio(out, metricOptions),
      totalReturn: totalReturn(out),
      calmar: calmarRatio(out, metricOptions),
    };
    rows.push({
      threshold,
      metricValue: metricOf(base, e.metric),
      trades: stats.trades,
      tradeFrequency: n === 0 ? 0 : stats.trades / n,
      buySignals: buy,
      sellSignals: sell,
      ...base,
      maxDrawdown: maxDrawdown(out),
      tooFewTrades: stats.trades < e.minTrades,
    });
    returnsByThreshold.set(threshold, out);
  }
  rows.sort(compareRows);
  return { rows, returnsByThreshold };
}

/** `values[start, end)` as a Float64Array: a view when it already is one, else a copy. */
export function windowOf(values: ArrayLike<number>, start: number, end: number): Float64Array {
  if (values instanceof Float64Array) return values.subarray(start, end);
  const out = new Float64Array(end - start);
  for (let i = start; i < end; i++) out[i - start] = values[i]!;
  return out;
}

/** The first row with enough trades and a finite metric, or undefined. */
export function bestRow(rows: readonly ThresholdRow[]): ThresholdRow | undefined {
  return rows.find((r) => !r.tooFewTrades && !Number.isNaN(r.metricValue));
}

/** Sample variance (ddof 1) of the finite Sharpe ratios; 0 with fewer than two. */
export function sharpeVariance(rows: readonly ThresholdRow[]): number {
  let count = 0;
  let sum = 0;
  for (const r of rows) {
    if (Number.isFinite(r.sharpe)) {
      sum += r.sharpe;
      count++;
    }
  }
  if (count < 2) return 0;
  const mean = sum / count;
  let ss = 0;
  for (const r of rows) if (Number.isFinite(r.sharpe)) ss += (r.sharpe - mean) ** 2;
  return ss / (count - 1);
}
