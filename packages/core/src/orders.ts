/**
 * Orders: what a strategy submits to the backtest engine, and the record the engine keeps of
 * each one. The engine matches every resting order (user orders, bracket children and the risk
 * manager's protective orders) with one piece of code, from OHLC bars (docs/trading-rules.md).
 */

import type { ExitReason, OrderSide } from './types';

/** How an order executes. */
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';

/** Every {@link OrderType}. */
export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'] as const satisfies readonly OrderType[];

/**
 * How long an order stays live:
 * - `gtc`: until it fills or is cancelled;
 * - `day`: until the end of the UTC calendar day of the first bar it can trade in;
 * - `ioc`: its first price only (the next open, or the bar's close with `fillAt: 'close'`); the
 *   rest is cancelled;
 * - `{ bars: n }`: it can fill on the `n` bars after the one it was submitted at.
 */
export type TimeInForce = 'gtc' | 'day' | 'ioc' | { readonly bars: number };

/** The kinds of {@link TimeInForce}. */
export const TIME_IN_FORCE_KINDS = ['gtc', 'day', 'ioc', 'bars'] as const;

/**
 * The lifecycle of an order: `submitted`, then `accepted` or `rejected` (with reasons); an
 * accepted order may be `partially_filled`, and ends `filled`, `cancelled`, `expired`, or
 * `rejected` when its fill is refused (cash, lot, risk checks, halt).
 */
export type OrderStatus = 'submitted' | 'accepted' | 'rejected' | 'partially_filled' | 'filled' | 'cancelled' | 'expired';

/** Every {@link OrderStatus}. */
export const ORDER_STATUSES = [
  'submitted',
  'accepted',
  'rejected',
  'partially_filled',
  'filled',
  'cancelled',
  'expired',
] as const satisfies readonly OrderStatus[];

/**
 * Why an order exists:
 * - `order`: submitted by the strategy (`ctx.submit`);
 * - `entry` / `exit`: made by the engine from a signal (a `signal` exit);
 * - `stop_loss`, `take_profit`, `time_stop`: protective children of an entry (a bracket or the
 *   risk manager's levels); the stop child may trail (`trailing_stop` exits once the trail governs);
 * - `emergency`: the kill switch or a ruined account flattening a position;
 * - `end_of_data`: `closeAtEnd` closing a position at the last close;
 * - `delisted`: a multi-symbol run closing a symbol's position at its last close when its bars end
 *   before the run's.
 */
export type OrderRole = 'order' | 'entry' | 'exit' | 'stop_loss' | 'take_profit' | 'time_stop' | 'emergency' | 'end_of_data' | 'delisted';

/** Every {@link OrderRole}. */
export const ORDER_ROLES = [
  'order',
  'entry',
  'exit',
  'stop_loss',
  'take_profit',
  'time_stop',
  'emergency',
  'end_of_data',
  'delisted',
] as const satisfies readonly OrderRole[];

/**
 * A trailing stop: it trails the best price since it went live by a distance (`percent` of the
 * best price, or an absolute `amount`), tightens only, and arms once the best price reaches
 * `activationPrice` (at once when omitted).
 */
export interface TrailingSpec {
  /** Distance as a fraction of the best price, in (0, 1). */
  readonly percent?: number | undefined;
  /** Distance in price units, > 0. */
  readonly amount?: number | undefined;
  /** Best price that arms the trail; until then only the initial stop (if any) applies. */
  readonly activationPrice?: number | undefined;
}

/**
 * The children of an entry order: a stop-loss (a stop, or a trailing stop with the stop-loss as
 * its initial level when `trailing` is given) and a take-profit limit. They go live when the entry
 * fills, for the position it opened, and cancel each other (one OCO group).
 */
export interface BracketSpec {
  readonly stopLoss?: number | undefined;
  readonly takeProfit?: number | undefined;
  readonly trailing?: TrailingSpec | undefined;
}

/** An order as a strategy submits it (`ctx.submit`). Unknown or inconsistent fields are rejections. */
export interface OrderRequest {
  /** Default: the run's symbol. */
  readonly symbol?: string | undefined;
  readonly side: OrderSide;
  /** Default `market`. */
  readonly type?: OrderType | undefined;
  /**
   * Units, > 0. Omitted: an order that opens a position is sized when it fills (the position
   * sizer, else all in); a `reduceOnly` order closes the whole position.
   */
  readonly quantity?: number | undefined;
  /** Limit price of `limit` and `stop_limit` orders. */
  readonly limitPrice?: number | undefined;
  /** Trigger price of `stop` and `stop_limit` orders; initial level of a `trailing_stop`. */
  readonly stopPrice?: number | undefined;
  /** `trailing_stop`: distance as a fraction of the best price, in (0, 1). */
  readonly trailPercent?: number | undefined;
  /** `trailing_stop`: distance in price units. */
  readonly trailAmount?: number | undefined;
  /** `trailing_stop`: best price from which the trail applies. */
  readonly activationPrice?: number | undefined;
  /** Default `gtc`. */
  readonly timeInForce?: TimeInForce | undefined;
  /** Only reduces the position; rejected when it would increase it, cancelled when it is flat. */
  readonly reduceOnly?: boolean | undefined;
  /** Orders sharing a group cancel each other: the first fill of one cancels the others. */
  readonly ocoGroup?: string | undefined;
  /** Protective children that go live when this order fills. */
  readonly bracket?: BracketSpec | undefined;
  /** Model confidence in [0, 1], passed to the sizer and the risk checks. */
  readonly confidence?: number | undefined;
  /** A free label kept with the order. */
  readonly tag?: string | undefined;
}

/** The fields of an accepted order that {@link OrderRequest} changes may replace. */
export type OrderChanges = Pick<
  OrderRequest,
  'quantity' | 'limitPrice' | 'stopPrice' | 'trailPercent' | 'trailAmount' | 'activationPrice' | 'timeInForce'
>;

/** One reason an order (or its fill) was refused. */
export interface OrderRejectReason {
  readonly code: string;
  readonly message: string;
}

/** One state change of an order. */
export interface OrderEvent {
  readonly status: OrderStatus;
  /** Time of the bar it happened in, epoch ms. */
  readonly time: number;
  /** Index of that bar. */
  readonly barIndex: number;
  /** Quantity filled so far (after this event). */
  readonly filledQuantity: number;
  /** Fill price of this event's fill (a fill event), else null. */
  readonly price: number | null;
  /** Why, for rejections, cancellations and expiries; null otherwise. */
  readonly message: string | null;
}

/** An order as the engine recorded it: its definition, its final state and its state changes. */
export interface Order {
  readonly id: number;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly role: OrderRole;
  /** Units ordered; null when sized at the fill or closing the whole position and not filled. */
  readonly quantity: number | null;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  readonly trailPercent: number | null;
  readonly trailAmount: number | null;
  readonly activationPrice: number | null;
  readonly timeInForce: TimeInForce;
  readonly reduceOnly: boolean;
  readonly ocoGroup: string | null;
  /** The entry order of a bracket child, else null. */
  readonly parentId: number | null;
  /** The order this one replaced (`ctx.replace`), else null. */
  readonly replacesId: number | null;
  readonly confidence: number | null;
  readonly tag: string | null;
  /** A time stop becomes a market order at the first bar close at or after this time (epoch ms). */
  readonly activeFrom: number | null;
  /** The status now (the final one after a run). */
  readonly status: OrderStatus;
  readonly filledQuantity: number;
  /** Average fill price, null before the first fill. */
  readonly averagePrice: number | null;
  /** Commission paid on the order's fills. */
  readonly commission: number;
  /** Bar index and time of the submission. */
  readonly submittedBarIndex: number;
  readonly submittedTime: number;
  /** Every reason of a rejection (empty otherwise). */
  readonly rejectReasons: readonly OrderRejectReason[];
  /**
   * Identical orders refused on the consecutive bars after this one, counted here instead of
   * being kept (a signal re-submits its refused entry every bar while it holds). 0 otherwise.
   */
  readonly repeats: number;
  /** Every state change, in order. */
  readonly events: readonly OrderEvent[];
}

/** The exit reason of a fill that reduces a position, by the role of its order. */
export function exitReasonOfRole(role: OrderRole, trailing: boolean): ExitReason {
  switch (role) {
    case 'stop_loss':
      return trailing ? 'trailing_stop' : 'hard_stop';
    case 'take_profit':
      return 'take_profit';
    case 'time_stop':
      return 'time_stop';
    case 'emergency':
      return 'emergency';
    case 'end_of_data':
      return 'end_of_data';
    case 'delisted':
      return 'delisted';
    case 'exit':
    case 'entry':
      return 'signal';
    default:
      return 'order';
  }
}
