import type { Position, Side, Signal, TradeCheckCode } from '@algo-trading/core';

/**
 * Why an entry order was not filled. The seven pre-trade check codes of the risk manager, plus
 * the engine's own:
 * - `cash`: the cash cut (quantity x price x (1 + commission) <= cash) left less than one lot;
 * - `lot`: the sizer's quantity was below one lot;
 * - `halted`: the risk manager allows no new risk (risk multiplier 0: emergency zone, kill switch);
 * - `no_short`: a fresh -1 signal while flat with `allowShort: false`;
 * - `invalid_levels`: a strategy-supplied stop or target is on the wrong side of the fill price.
 */
export type RejectionCode = TradeCheckCode | 'cash' | 'lot' | 'halted' | 'no_short' | 'invalid_levels';

/** Every engine-specific {@link RejectionCode} (the risk codes are core's `TRADE_CHECK_CODES`). */
export const ENGINE_REJECTION_CODES = ['cash', 'lot', 'halted', 'no_short', 'invalid_levels'] as const;

/** One reason of a {@link Rejection}. */
export interface RejectionReason {
  readonly code: RejectionCode;
  readonly message: string;
}

/**
 * An entry order that was not filled, with every reason. A sustained signal re-submits its order
 * on every bar; consecutive bars rejecting the same side for the same reason codes share one
 * record (`count` orders, from `barIndex` to `lastBarIndex`); `quantity`, `price` and the
 * messages are those of the first.
 */
export interface Rejection {
  /** Time of the bar where the order would have filled, epoch ms. */
  readonly time: number;
  /** Index of that bar. */
  readonly barIndex: number;
  /** Number of consecutive bars rejected alike (>= 1). */
  readonly count: number;
  /** Index of the last bar of the record (`barIndex + count - 1`). */
  readonly lastBarIndex: number;
  /** Time of that bar. */
  readonly lastTime: number;
  readonly symbol: string;
  /** Direction of the position the order would have opened. */
  readonly side: Side;
  /** Quantity proposed (0 when sizing gave nothing). */
  readonly quantity: number;
  /** Fill price the order would have had (after slippage). */
  readonly price: number;
  readonly reasons: readonly RejectionReason[];
}

/** The per-bar record of a run, one value per bar (at the bar's close). */
export interface EquityCurve {
  /** Bar times, epoch ms. */
  readonly time: Float64Array;
  /** cash + market value of open positions (longs minus shorts), marked at the close. */
  readonly equity: Float64Array;
  /** Cash after the bar's fills. */
  readonly cash: Float64Array;
  /** (peak - equity) / peak, a positive fraction; the initial capital counts as the first peak. */
  readonly drawdown: Float64Array;
}

/** A position still open at the end of a run, marked at the last close. */
export interface OpenPositionReport extends Position {
  /** Index of the entry bar. */
  readonly entryBarIndex: number;
  /** Commission paid on entry. */
  readonly entryCommission: number;
  /** Last close. */
  readonly markPrice: number;
  /** quantity x markPrice (positive for both sides). */
  readonly marketValue: number;
  /** (mark - entry) x quantity, sign-adjusted for shorts, minus the entry commission. */
  readonly unrealizedPnl: number;
}

/**
 * A strategy's decision for one bar: a signal, or an object with the signal and optional
 * confidence in [0, 1], stop-loss and take-profit price levels for a new entry.
 */
export type StrategyDecision =
  | Signal
  | {
      readonly signal: Signal;
      readonly confidence?: number | undefined;
      readonly stopLoss?: number | undefined;
      readonly takeProfit?: number | undefined;
    }
  | null
  | undefined
  | void;

/**
 * Read-only bars up to and including the current one. Access beyond the current bar throws
 * `AlgoTradingError` (`INVALID_ARGUMENT`): look-ahead is impossible by construction.
 */
export interface BarsView {
  /** Number of visible bars: current index + 1. */
  readonly length: number;
  time(index: number): number;
  open(index: number): number;
  high(index: number): number;
  low(index: number): number;
  close(index: number): number;
  volume(index: number): number;
  /** Bars `[0, index]` of one column as a view sharing memory (allocates a view object). */
  column(name: 'time' | 'open' | 'high' | 'low' | 'close' | 'volume'): Float64Array;
}

/** The current position as the strategy sees it (quantity 0 and side null when flat). */
export interface PositionView {
  readonly side: Side | null;
  readonly quantity: number;
  readonly entryPrice: number;
  readonly entryTime: number;
  readonly entryBarIndex: number;
}

/** What {@link Strategy.onBar} receives. One object reused across bars: do not keep it. */
export interface StrategyContext {
  /** Index of the current bar. */
  readonly index: number;
  /** Time of the current bar, epoch ms. */
  readonly time: number;
  readonly symbol: string;
  /** Bars up to the current one. */
  readonly bars: BarsView;
  /** The position after this bar's stops and fills so far. */
  readonly position: PositionView;
  /** Cash now. */
  readonly cash: number;
  /** cash + positions marked at the current close. */
  readonly equity: number;
}

/** A strategy for {@link BacktestEngine.run}: called once per bar, after the bar closed. */
export interface Strategy {
  /** Called once before the first bar. */
  onStart?(info: { readonly symbol: string }): void;
  /** The decision for the bar `ctx.index`. */
  onBar(ctx: StrategyContext): StrategyDecision;
}
