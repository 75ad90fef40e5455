import { AlgoTradingError } from './errors';
import { ExactCash } from './exact-cash';
import type { Decimal } from './money';
import { TradeLog } from './trade-log';
import type { ExitReason, OrderSide, Side, Trade } from './types';
import { isPositiveFinite, throwInvalid } from './validation';

/** One fill booked into a {@link PositionBook}. */
export interface BookFill {
  readonly symbol: string;
  readonly side: OrderSide;
  /** Units, > 0. A fill against the position reduces it and must not exceed it. */
  readonly quantity: number;
  /** Execution price (after slippage), > 0. */
  readonly price: number;
  /** Commission of this fill, >= 0. */
  readonly commission: number;
  /** Slippage cost of this fill (already in the price), >= 0, for attribution. */
  readonly slippageCost: number;
  /** Execution time, epoch ms. */
  readonly time: number;
  /** Index of the bar (-1 outside a backtest). */
  readonly barIndex: number;
  /** The clock that counts `barsHeld`: default `barIndex` (the standalone risk manager counts its marks). */
  readonly period?: number | undefined;
  /** Exit reason when the fill reduces a position. Default `manual`. */
  readonly reason?: ExitReason | undefined;
  /** Stop at entry of an opening fill, for the trade's initial risk and R multiple (NaN: none). */
  readonly initialStop?: number | undefined;
}

/**
 * An open position of a {@link PositionBook}. The book owns and updates it; read it, never write
 * it, and keep no reference after the position closes: the book reuses the object for a later one.
 */
export class BookPosition {
  /** 1 long, -1 short. */
  declare direction: 1 | -1;
  /** Units held, > 0. */
  declare quantity: number;
  /** Average entry price. */
  declare entryPrice: number;
  /** Time, bar index and period of the first opening fill. */
  declare entryTime: number;
  declare entryBarIndex: number;
  declare entryPeriod: number;
  /** Entry commission not yet attributed to a closed trade. */
  declare entryCommission: number;
  /** Entry slippage cost not yet attributed to a closed trade. */
  declare entrySlippage: number;
  /** Stop at entry (NaN when none), for the initial risk of the trades it makes. */
  declare initialStop: number;
  /** Latest price: the last mark or fill. */
  declare lastPrice: number;

  declare symbol: string;

  constructor(fill: BookFill) {
    // The fields are declared (not initialized) so that `reopen` creates them, in one order: one
    // rule for a new and a reused position, and one object shape.
    this.reopen(fill);
  }

  /** Reopens this (closed) object as a new position from `fill`: every field is set. */
  reopen(fill: BookFill): this {
    this.symbol = fill.symbol;
    this.direction = fill.side === 'buy' ? 1 : -1;
    this.quantity = fill.quantity;
    this.entryPrice = fill.price;
    this.entryTime = fill.time;
    this.entryBarIndex = fill.barIndex;
    this.entryPeriod = fill.period ?? fill.barIndex;
    this.entryCommission = fill.commission;
    this.entrySlippage = fill.slippageCost;
    this.initialStop = fill.initialStop ?? Number.NaN;
    this.lastPrice = fill.price;
    return this;
  }

  /** `long` or `short`. */
  get side(): Side {
    return this.direction === 1 ? 'long' : 'short';
  }
}

// A fill larger than the position by less than this fraction still closes it (float noise).
const QUANTITY_TOLERANCE = 1e-9;

function invalidFill(field: string, expectation: string, value: unknown): never {
  throwInvalid(field === '' ? 'fill' : `fill.${field}`, expectation, value);
}

function isNonNegativeFinite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * The positions and cash of an account, booked from fills: the one ledger of the backtest engine
 * and of the risk manager's standalone API.
 *
 * - Cash is core {@link ExactCash}: a buy books `-(price x quantity) - commission`, a sell
 *   `+(price x quantity) - commission`, each number as the fill carries it; a float mirror for the
 *   per-bar work and the exact `Decimal` on demand. Other cash flows (interest, fees) are booked
 *   with {@link bookCashFlow}.
 * - One position per symbol, long or short. A fill on the position's side adds to it (average
 *   entry price); a fill against it reduces or closes it and records a closed trade for the
 *   quantity reduced, with the entry commission and slippage prorated. A fill never reverses a
 *   position: book the close and the new opening as two fills.
 *
 * @example
 * const book = new PositionBook(10_000);
 * book.applyFill({ symbol: 'AAPL', side: 'buy', quantity: 10, price: 100, commission: 1, slippageCost: 0, time: 0, barIndex: 0 });
 * book.applyFill({ symbol: 'AAPL', side: 'sell', quantity: 10, price: 110, commission: 1, slippageCost: 0, time: 1, barIndex: 1, reason: 'signal' });
 * book.cash;             // 10098
 * book.trades.get(0).pnl; // 98
 */
export class PositionBook {
  /** Every closed trade, in columns (objects built on demand). */
  readonly trades = new TradeLog();
  /** Open positions in opening order. */
  readonly open: BookPosition[] = [];
  /** Sum of the commissions and slippage costs of every fill. */
  totalCommission = 0;
  totalSlippage = 0;
  /** Closed trades with pnl > 0. */
  wins = 0;

  readonly #cash: ExactCash;
  /**
   * Positions by symbol. A closed position leaves its key mapped to `undefined` instead of being
   * deleted: a delete shrinks (reallocates) the map's table on every round trip, and the keys
   * are bounded by the symbols traded.
   */
  readonly #bySymbol = new Map<string, BookPosition | undefined>();
  #realizedSum = 0;
  #realizedCompensation = 0;
  #flows = 0;
  /**
   * Closed positions' objects, reopened by the next positions: an engine run opens tens of
   * thousands of positions and a new object allocates a box per numeric field.
   */
  readonly #spare: BookPosition[] = [];

  /** @param initialCash starting cash, finite. */
  constructor(initialCash: number) {
    this.#cash = new ExactCash(initialCash);
  }

  /** Empties the book: no positions, no trades, cash = `initialCash`. */
  reset(initialCash: number): void {
    this.#cash.reset(initialCash);
    this.#bySymbol.clear();
    this.open.length = 0;
    this.trades.clear();
    this.totalCommission = 0;
    this.totalSlippage = 0;
    this.wins = 0;
    this.#realizedSum = 0;
    this.#realizedCompensation = 0;
    this.#flows = 0;
  }

  /** Cash, the float mirror of the exact ledger. */
  get cash(): number {
    return this.#cash.value;
  }

  /** Cash exactly: the initial cash plus every fill and cash flow, in `Decimal`. */
  get exactCash(): Decimal {
    return this.#cash.exact;
  }

  /** True when the cash covers `price x quantity + commission`, decided exactly near the boundary. */
  canAfford(price: number, quantity: number, commission: number): boolean {
    return this.#cash.canAfford(price, quantity, commission);
  }

  /**
   * The largest multiple of `lotSize` whose purchase at `price` (commission
   * `price x quantity x commissionPct` included) the exact cash covers ({@link ExactCash.affordableQuantity}:
   * closed form, exact at the boundary).
   */
  affordableQuantity(price: number, commissionPct: number, lotSize: number): number {
    return this.#cash.affordableQuantity(price, commissionPct, lotSize);
  }

  /** Sum of the closed trades' net P&L (compensated summation). */
  get realizedPnl(): number {
    return this.#realizedSum + this.#realizedCompensation;
  }

  /** Sum of the cash flows booked with {@link bookCashFlow}. */
  get cashFlows(): number {
    return this.#flows;
  }

  /** The open position in `symbol`, or undefined. */
  position(symbol: string): BookPosition | undefined {
    return this.#bySymbol.get(symbol);
  }

  /** cash + signed quantity x latest price of every position. */
  equity(): number {
    let equity = this.#cash.value;
    const open = this.open;
    for (let k = 0; k < open.length; k++) {
      const p = open[k]!;
      equity += p.direction * p.quantity * p.lastPrice;
    }
    return equity;
  }

  /** Records the latest price of `symbol`'s position (no-op without a position). */
  mark(symbol: string, price: number): void {
    const position = this.#bySymbol.get(symbol);
    if (position !== undefined) position.lastPrice = price;
  }

  /** Books a cash flow that is not a fill (interest credited: positive; a fee: negative). */
  bookCashFlow(amount: number): void {
    if (!Number.isFinite(amount)) throwInvalid('amount', 'a finite number', amount);
    this.#cash.flow(amount);
    this.#flows += amount;
  }

  /**
   * Books a fill: the cash exactly, then opens, adds to, reduces or closes the symbol's position.
   * Returns the index in {@link trades} of the trade a reducing fill records, else -1.
   *
   * @throws AlgoTradingError `INVALID_ARGUMENT` for a malformed fill, `INVALID_STATE` for a
   * reducing fill larger than the position.
   */
  applyFill(fill: BookFill): number {
    checkFill(fill);
    const position = this.#bySymbol.get(fill.symbol);
    const direction = fill.side === 'buy' ? 1 : -1;
    if (position !== undefined && position.direction !== direction && fill.quantity > position.quantity * (1 + QUANTITY_TOLERANCE)) {
      throw new AlgoTradingError(
        'INVALID_STATE',
        `a ${fill.side} fill of ${fill.quantity} ${fill.symbol} exceeds the open ${position.side} position of ${position.quantity}: book the close and the new position as two fills`,
        { details: { field: 'fill.quantity', value: fill.quantity, symbol: fill.symbol } },
      );
    }
    this.#cash.book(fill.side, fill.price, fill.quantity, fill.commission);
    this.totalCommission += fill.commission;
    this.totalSlippage += fill.slippageCost;
    if (position === undefined) {
      const spare = this.#spare.pop();
      const created = spare === undefined ? new BookPosition(fill) : spare.reopen(fill);
      this.#bySymbol.set(fill.symbol, created);
      this.open.push(created);
      return -1;
    }
    if (position.direction === direction) {
      const total = position.quantity + fill.quantity;
      position.entryPrice = (position.entryPrice * position.quantity + fill.price * fill.quantity) / total;
      position.quantity = total;
      position.entryCommission += fill.commission;
      position.entrySlippage += fill.slippageCost;
      position.lastPrice = fill.price;
      return -1;
    }
    return this.#reduce(position, fill);
  }

  #reduce(position: BookPosition, fill: BookFill): number {
    const full = fill.quantity >= position.quantity * (1 - QUANTITY_TOLERANCE);
    const quantity = full ? position.quantity : fill.quantity;
    const share = full ? 1 : quantity / position.quantity;
    const entryCommission = position.entryCommission * share;
    const entrySlippage = position.entrySlippage * share;
    const grossPnl = position.direction * (fill.price - position.entryPrice) * quantity;
    const commission = entryCommission + fill.commission;
    const pnl = grossPnl - commission;
    const stop = position.initialStop;
    const initialRisk = stop === stop ? Math.abs(position.entryPrice - stop) * quantity : null;
    const period = fill.period ?? fill.barIndex;
    const trade: Trade = {
      symbol: position.symbol,
      side: position.side,
      quantity,
      entryTime: position.entryTime,
      exitTime: fill.time,
      entryPrice: position.entryPrice,
      exitPrice: fill.price,
      entryBarIndex: position.entryBarIndex,
      exitBarIndex: fill.barIndex,
      grossPnl,
      commission,
      slippageCost: entrySlippage + fill.slippageCost,
      pnl,
      returnPct: pnl / (position.entryPrice * quantity),
      initialRisk,
      rMultiple: initialRisk !== null && initialRisk > 0 ? pnl / initialRisk : null,
      exitReason: fill.reason ?? 'manual',
      barsHeld: period - position.entryPeriod,
    };
    const index = this.trades.push(trade);
    if (full) {
      this.#bySymbol.set(position.symbol, undefined);
      // Removed in place (a splice would allocate the removed-elements array on every close).
      const open = this.open;
      const last = open.length - 1;
      for (let k = open.indexOf(position); k < last; k++) open[k] = open[k + 1]!;
      open.pop();
      if (this.#spare.length < 16) this.#spare.push(position);
    } else {
      position.quantity -= quantity;
      position.entryCommission -= entryCommission;
      position.entrySlippage -= entrySlippage;
      position.lastPrice = fill.price;
    }
    const realized = this.#realizedSum;
    const t = realized + pnl;
    this.#realizedCompensation += Math.abs(realized) >= Math.abs(pnl) ? realized - t + pnl : pnl - t + realized;
    this.#realizedSum = t;
    if (pnl > 0) this.wins++;
    return index;
  }
}

function checkFill(fill: BookFill): void {
  if (typeof fill !== 'object' || fill === null) invalidFill('', 'an object', fill);
  if (typeof fill.symbol !== 'string' || fill.symbol === '') invalidFill('symbol', 'a non-empty string', fill.symbol);
  if (fill.side !== 'buy' && fill.side !== 'sell') invalidFill('side', '"buy" or "sell"', fill.side);
  if (!isPositiveFinite(fill.quantity)) invalidFill('quantity', 'a finite number greater than 0', fill.quantity);
  if (!isPositiveFinite(fill.price)) invalidFill('price', 'a finite number greater than 0', fill.price);
  if (!isNonNegativeFinite(fill.commission)) invalidFill('commission', 'a finite number >= 0', fill.commission);
  if (!isNonNegativeFinite(fill.slippageCost)) invalidFill('slippageCost', 'a finite number >= 0', fill.slippageCost);
  if (!(typeof fill.time === 'number' && Number.isFinite(fill.time))) invalidFill('time', 'finite epoch milliseconds', fill.time);
  if (!(Number.isInteger(fill.barIndex) && fill.barIndex >= -1)) invalidFill('barIndex', 'an integer >= -1', fill.barIndex);
}
