/**
 * Execution models: how the backtest engine prices a fill (slippage), charges it (commission),
 * limits it (volume participation) and finances positions over time (cash interest, borrow
 * fees). Each is a small interface; `@algo-trading/backtesting` has the built-ins, and a user may
 * pass their own object or function. The engine calls them only when a fill (or a daily
 * financing booking) happens, never once per bar.
 */

import type { BarSeries } from './bar-series';
import type { OrderType } from './orders';
import type { OrderSide } from './types';

/**
 * Whether a fill added liquidity (`maker`: a limit order that rested and was filled at its limit
 * inside a bar) or took it (`taker`: market orders, triggered stops, limits filled at the open or
 * as soon as they were placed).
 */
export type Liquidity = 'maker' | 'taker';

/** What a slippage model sees for one fill. */
export interface SlippageContext {
  readonly symbol: string;
  readonly side: OrderSide;
  /** Units of this fill, > 0. */
  readonly quantity: number;
  /** Price before slippage: the open, the close, or the order's level. */
  readonly referencePrice: number;
  readonly orderType: OrderType;
  readonly liquidity: Liquidity;
  /**
   * The symbol's bars and the index of the bar the fill happens in. A model may read that bar's
   * volume and any earlier bar; reading later bars would be look-ahead.
   */
  readonly bars: BarSeries;
  readonly barIndex: number;
  /** Quoted spread (price units) at the fill from the run's `spreads` input; NaN when none. */
  readonly spread: number;
}

/**
 * Prices a fill. `fillPrice` returns the execution price: at or above the reference for a buy,
 * at or below it for a sell (a finite number greater than 0).
 */
export interface SlippageModel {
  /** Model name, e.g. `fixed_bps`. */
  readonly name: string;
  fillPrice(context: SlippageContext): number;
}

/** What a commission model sees for one fill. */
export interface CommissionContext {
  readonly symbol: string;
  readonly side: OrderSide;
  /** Units of this fill, > 0. */
  readonly quantity: number;
  /** Execution price (after slippage). */
  readonly price: number;
  /** price x quantity. */
  readonly notional: number;
  readonly orderType: OrderType;
  readonly liquidity: Liquidity;
  /** Units of the same order filled before this fill (per-order minimums and maximums use it). */
  readonly orderFilledQuantity: number;
  /** Notional of the same order's earlier fills. */
  readonly orderFilledNotional: number;
  /** Commission already charged on the same order's earlier fills. */
  readonly orderCommission: number;
}

/** Charges a fill: a finite amount >= 0 in the account currency. */
export interface CommissionModel {
  /** Model name, e.g. `percent`. */
  readonly name: string;
  commission(context: CommissionContext): number;
}

/** What a participation model sees for one fill opportunity. */
export interface ParticipationContext {
  readonly symbol: string;
  /** Units the order would fill now. */
  readonly quantity: number;
  /** Volume of the bar the fill happens in. */
  readonly barVolume: number;
  /** Units of this symbol already filled in this bar (by any order). */
  readonly filledInBar: number;
}

/** Limits how much of a bar's volume an order may take; the rest waits for later bars. */
export interface ParticipationModel {
  readonly name: string;
  /** Units that may fill now (>= 0; the engine floors it to the lot). */
  maxQuantity(context: ParticipationContext): number;
}

/** The balances a financing model charges over one period. */
export interface FinancingContext {
  /** Cash during the period (negative when borrowed under leverage). */
  readonly cash: number;
  /** Market value of the long positions at the start of the period. */
  readonly longMarketValue: number;
  /** Market value of the short positions at the start of the period, as a positive amount. */
  readonly shortMarketValue: number;
  /** Period start and end, epoch ms. */
  readonly from: number;
  readonly to: number;
  /** Calendar days in the period: (to - from) / 86,400,000. */
  readonly days: number;
}

/** What one period of financing books. */
export interface FinancingCharge {
  /** Interest credited to cash (negative when interest is paid on borrowed cash). */
  readonly interest: number;
  /** Borrow fee paid on the short positions, >= 0. */
  readonly borrowFee: number;
}

/** Accrues cash interest and short borrow fees by calendar time. */
export interface FinancingModel {
  readonly name: string;
  /**
   * Day-count basis of the model's annual rates (365 or 360). Optional; the engine accrues an
   * instrument's own borrow rate on this basis (365 when absent).
   */
  readonly dayCount?: number | undefined;
  accrue(context: FinancingContext): FinancingCharge;
}
