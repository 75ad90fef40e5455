import type { BarSeries, Trade } from '@algo-trading/core';
import { maxDrawdown, sharpeRatio } from '@algo-trading/metrics';
import type { WalkForwardFoldResult } from '@algo-trading/strategies';
import { countInMarket, inMarketMask, type HoldingSpan } from './market-time';

/**
 * One walk-forward fold as the terminal table, `walk-forward.json`, `results.json` and the report
 * show it. Every performance figure comes from the ONE engine run over the out-of-sample bars (the
 * configured risk manager, sizer, commission and slippage), cut at the fold's boundaries: the
 * fold returns therefore compound to the run's total return,
 * `prod(1 + totalReturn_k) - 1 = headline total return`. `signalOnlyReturn` is the exception,
 * and says so.
 */
export interface FoldRow {
  /** 1-based fold number. */
  readonly fold: number;
  /** Training window, `YYYY-MM-DD..YYYY-MM-DD`. */
  readonly train: string;
  /** Test (out-of-sample) window, `YYYY-MM-DD..YYYY-MM-DD`. */
  readonly test: string;
  /** Rows the fold's model was trained on. */
  readonly trainedRows: number;
  /** Confidence threshold applied to the test window. */
  readonly threshold: number;
  /** `validation` (chosen on the training window's tail) or `default` (strategy.confidence_threshold). */
  readonly thresholdSource: 'validation' | 'default';
  /** Share of the test bars whose predicted direction (P(up) >= 0.5) was right. */
  readonly accuracy: number;
  /** Equity at the fold's last bar / equity before its first bar - 1 (engine). */
  readonly totalReturn: number;
  /** Annualized Sharpe ratio of the engine's per-bar returns inside the fold. */
  readonly sharpeRatio: number;
  /** Worst drawdown inside the fold, from the equity it started with (negative fraction). */
  readonly maxDrawdown: number;
  /** Closed trades entered in the fold (over all folds: the headline's trade count). */
  readonly trades: number;
  /** Share of the fold's bars that closed with a position open. */
  readonly exposure: number;
  /**
   * SIGNAL-ONLY figure, not the engine's: the return of being fully invested while the
   * signals say long, close to close, with the configured costs per side, and no risk manager,
   * no sizing, no stops. It is what the threshold search optimizes; kept for comparison only.
   */
  readonly signalOnlyReturn: number;
}

/** Input of {@link foldRows}. */
export interface FoldRowsInput {
  /** The folds of the walk-forward run (test windows as row indexes of `bars`). */
  readonly folds: readonly WalkForwardFoldResult[];
  /** Every bar the walk-forward saw. */
  readonly bars: BarSeries;
  /** Row of `bars` where the engine run starts (the first test row). */
  readonly offset: number;
  /** The engine's equity per bar of its run (index 0 = row `offset`). */
  readonly equity: ArrayLike<number>;
  readonly initialCapital: number;
  /** The engine's closed trades (bar indexes of its run). */
  readonly trades: readonly Trade[];
  /** Positions still open at the end of the run. */
  readonly openPositions: readonly HoldingSpan[];
  /** Annualization of the run's metrics. */
  readonly periodsPerYear: number;
}

function isoDate(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) ? '' : new Date(ms).toISOString().slice(0, 10);
}

/** The {@link FoldRow}s of a walk-forward run backtested through the engine. */
export function foldRows(input: FoldRowsInput): FoldRow[] {
  const { bars, offset, equity, initialCapital, periodsPerYear } = input;
  const n = equity.length;
  const inMarket = inMarketMask(n, [...input.trades, ...input.openPositions]);
  const range = (from: number, to: number) => `${isoDate(bars.time[from])}..${isoDate(bars.time[to - 1])}`;
  return input.folds.map((f) => {
    const { split } = f;
    const a = Math.max(0, split.testStart - offset);
    const b = Math.min(n, split.testEnd - offset);
    const returns = new Float64Array(Math.max(0, b - a));
    let previous = a === 0 ? initialCapital : equity[a - 1]!;
    const start = previous;
    for (let i = a; i < b; i++) {
      returns[i - a] = equity[i]! / previous - 1;
      previous = equity[i]!;
    }
    let trades = 0;
    for (const t of input.trades) if (t.entryBarIndex >= a && t.entryBarIndex < b) trades++;
    return {
      fold: split.fold + 1,
      train: range(split.trainStart, split.trainEnd),
      test: range(split.testStart, split.testEnd),
      trainedRows: f.trainedRows,
      threshold: f.threshold,
      thresholdSource: f.thresholdSource,
      accuracy: f.test.accuracy,
      totalReturn: b > a ? previous / start - 1 : Number.NaN,
      sharpeRatio: sharpeRatio(returns, { periodsPerYear }),
      maxDrawdown: b > a ? maxDrawdown(returns) : Number.NaN,
      trades,
      exposure: b > a ? countInMarket(inMarket, a, b) / (b - a) : Number.NaN,
      signalOnlyReturn: f.test.totalReturn,
    };
  });
}
