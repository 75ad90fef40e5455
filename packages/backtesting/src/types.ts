import type {
  OrderChanges,
  OrderRequest,
  OrderRole,
  OrderSide,
  OrderStatus,
  OrderType,
  Position,
  Side,
  Signal,
  TimeInForce,
  TradeCheckCode,
} from '@algo-trading/core';

/**
 * Why an order (or its fill) was refused. The seven pre-trade check codes of the risk manager
 * (`drawdown_halt` is also the engine's one code for "the risk manager allows no new risk": risk
 * multiplier 0 in the emergency zone), plus the engine's own:
 * - `cash`: the cash (or, with `maxLeverage`, the gross exposure) does not cover one lot at the fill
 *   price plus commission, or an order's own quantity;
 * - `lot`: the quantity (sized or given) is below one lot;
 * - `no_short`: a sell that would open a short with `allowShort: false`;
 * - `invalid_levels`: with `passedLevels: 'reject'`, a bracket level the fill price already passed;
 * - `invalid_order`: an inconsistent order (a limit without a price, a stop-limit whose limit is on
 *   the wrong side, a quantity that is not a finite number greater than 0, an unknown field);
 * - `unknown_symbol`: a symbol that is not in the run;
 * - `reduce_only`: a reduce-only order that would open or increase a position.
 */
export type RejectionCode = TradeCheckCode | 'cash' | 'lot' | 'no_short' | 'invalid_levels' | 'invalid_order' | 'unknown_symbol' | 'reduce_only';

/** Every engine-specific {@link RejectionCode} (the risk codes are core's `TRADE_CHECK_CODES`). */
export const ENGINE_REJECTION_CODES = ['cash', 'lot', 'no_short', 'invalid_levels', 'invalid_order', 'unknown_symbol', 'reduce_only'] as const;

/** One reason of a {@link Rejection}. */
export interface RejectionReason {
  readonly code: RejectionCode;
  readonly message: string;
}

/**
 * An order that was refused, with every reason: at submission (an inconsistent order) or at its
 * fill (cash, lot, risk checks, halt). A sustained signal re-submits its entry on every bar;
 * consecutive bars refusing the same side for the same reason codes share one record (`count`
 * orders, from `barIndex` to `lastBarIndex`); `quantity`, `price` and the messages are those of
 * the first.
 */
export interface Rejection {
  /** Id of the (first) order refused; see `BacktestEngine.getOrders()`. */
  readonly orderId: number;
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
  /** Direction of the position the order would have opened or increased (a buy: long). */
  readonly side: Side;
  /** Quantity proposed (0 when sizing gave nothing or the order had none). */
  readonly quantity: number;
  /** Fill price the order would have had (after slippage); NaN when refused at submission. */
  readonly price: number;
  readonly reasons: readonly RejectionReason[];
}

/** The per-bar record of a run, one value per bar (at the bar's close). */
export interface EquityCurve {
  /** Bar times, epoch ms. */
  readonly time: Float64Array;
  /** cash + market value of open positions (longs minus shorts), marked at the close. */
  readonly equity: Float64Array;
  /** Cash after the bar's fills and financing. */
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

/** A live order as the strategy sees it (`ctx.openOrders`): a frozen snapshot of its state when taken. */
export interface OpenOrder {
  readonly id: number;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly role: OrderRole;
  readonly status: OrderStatus;
  /** Units ordered; null when sized at the fill or closing the whole position. */
  readonly quantity: number | null;
  readonly filledQuantity: number;
  readonly limitPrice: number | null;
  /** The stop level in force (a trailing stop's current level), null when none. */
  readonly stopPrice: number | null;
  readonly timeInForce: TimeInForce;
  readonly reduceOnly: boolean;
  readonly ocoGroup: string | null;
  /** The entry order of a bracket child, else null. */
  readonly parentId: number | null;
  readonly tag: string | null;
}

/** What {@link Strategy.onBar} receives. One object reused across bars: do not keep it. */
export interface StrategyContext {
  /** Index of the current bar (of a multi-symbol run: of the current time slice). */
  readonly index: number;
  /** Time of the current bar (time slice), epoch ms. */
  readonly time: number;
  /** The symbol of a single-series run (of a multi-symbol run: its first symbol). */
  readonly symbol: string;
  /** Bars up to the current one (of a multi-symbol run: `barsOf(symbol)`). */
  readonly bars: BarsView;
  /** The position after this bar's stops and fills so far (of a multi-symbol run: `positionOf(symbol)`). */
  readonly position: PositionView;
  /** Every symbol of the run, in universe order (one for a single series). */
  readonly symbols: readonly string[];
  /**
   * `symbol`'s own bars up to its latest bar at or before this time slice (length 0 before its
   * first bar). Throws `INVALID_ARGUMENT` for a symbol not in the run.
   */
  barsOf(symbol: string): BarsView;
  /** `symbol`'s position now. Throws `INVALID_ARGUMENT` for a symbol not in the run. */
  positionOf(symbol: string): PositionView;
  /** Whether `symbol` has a bar in this time slice (only then can its orders fill at the next open of its own). */
  hasBar(symbol: string): boolean;
  /** Cash now. */
  readonly cash: number;
  /** cash + positions marked at the current close (each symbol at its last close). */
  readonly equity: number;
  /**
   * The live orders (accepted or partially filled), bracket children included with their parent
   * id: a frozen snapshot. The same array is returned until an order is placed or ends or a live
   * order's state changes (status, filled quantity, a trailing stop's level), then a new one; an
   * array kept across bars still shows the orders as they were when it was taken.
   */
  readonly openOrders: readonly OpenOrder[];
  /**
   * Submits an order; it first looks at the next open (or at this bar's close with
   * `fillAt: 'close'`). Returns its id. An inconsistent order is rejected (see
   * `BacktestEngine.getRejections()` and `getOrders()`), not thrown.
   */
  submit(request: OrderRequest): number;
  /** Cancels a live order; false when it is not live. */
  cancel(orderId: number): boolean;
  /**
   * Replaces a live order with a copy carrying `changes` (the quantity defaults to what is left to
   * fill): the old one is cancelled, the new one gets a new id (returned), or is rejected, and
   * then the old one stays live. Null when the order is not live.
   */
  replace(orderId: number, changes: OrderChanges): number | null;
  /**
   * Sets target weights at this slice's close: `{ AAPL: 0.5, MSFT: 0.3 }`, fractions of the
   * portfolio equity at this close (negative: short, with `allowShort`). They are executed exactly
   * like a `targetWeights` schedule row dated now: market orders at the next open (this close with
   * `fillAt: 'close'`), sells first, each quantity floored to the symbol's lot, with the run's
   * `rebalance` thresholds. A symbol left out is not traded; the last call of a slice wins.
   * Throws `INVALID_DATA` naming the symbol and the value for an unknown symbol, a weight that is
   * not finite (or negative for a symbol that cannot be shorted), or weights whose absolute sum
   * exceeds `maxLeverage`.
   */
  setTargetWeights(weights: Readonly<Record<string, number>>): void;
}

/**
 * A strategy for {@link BacktestEngine.run}: called once per bar (of a multi-symbol run: once per
 * time slice), after the bar closed. In a multi-symbol run it trades with `ctx.submit({ symbol, ... })`;
 * a returned signal is for single-series runs only.
 */
export interface Strategy {
  /** Called once before the first bar. */
  onStart?(info: { readonly symbol: string }): void;
  /** The decision for the bar `ctx.index`. */
  onBar(ctx: StrategyContext): StrategyDecision;
}
