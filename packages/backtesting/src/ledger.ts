import { AlgoTradingError, ExactCash, TradeLog, type Decimal, type ExitReason, type Fill, type OrderSide, type Trade } from '@algo-trading/core';
import { FillLog } from './fill-log';

/**
 * An open position inside the engine. The numbers that define it are fixed at entry (no
 * pyramiding, no partial exits).
 */
export class OpenPosition {
  constructor(
    readonly symbol: string,
    /** 1 long, -1 short. */
    readonly direction: 1 | -1,
    readonly quantity: number,
    /** Entry fill price (after slippage). */
    readonly entryPrice: number,
    readonly entryTime: number,
    readonly entryBarIndex: number,
    readonly entryCommission: number,
    readonly entrySlippageCost: number,
    /** Stop-loss level at entry, NaN when none. */
    readonly stopLoss: number,
    /** Take-profit level at entry, NaN when none. */
    readonly takeProfit: number,
  ) {}
}

/**
 * The cash ledger. The exact cash is the `Decimal` sum of the fills: a buy books
 * `-(price x quantity) - commission`, a sell `+(price x quantity) - commission`, each number as
 * the fill carries it (so a risk manager booking the same fills holds the same exact cash).
 * Core's {@link ExactCash} keeps it: the loop runs on a compensated float mirror with a rigorous
 * error bound, the exact sum is materialized on demand, and a purchase within the bound of the
 * cash is decided by the exact ledger, so "cash never negative" holds exactly while the loop
 * stays free of Decimal arithmetic. Positions are keyed by symbol.
 */
export class Ledger {
  /** Float mirror of the cash (compensated sum of the fills), for marks and sizing. */
  cashFloat: number;
  /**
   * Open positions by symbol. A closed position leaves its key mapped to `undefined` instead of
   * being deleted: a delete shrinks (reallocates) the map's table on every round trip.
   */
  readonly positions = new Map<string, OpenPosition | undefined>();
  /** Every fill, in columns. */
  readonly fillLog = new FillLog();
  /** Every closed trade, in columns (core `TradeLog`; objects built on demand). */
  readonly tradeLog = new TradeLog();
  totalCommission = 0;
  totalSlippage = 0;

  readonly #cash: ExactCash;
  #trades: readonly Trade[] = [];
  #realizedSum = 0;
  #realizedCompensation = 0;

  constructor(initialCapital: number) {
    this.#cash = new ExactCash(initialCapital);
    this.cashFloat = initialCapital;
  }

  /** The exact cash: initial capital plus every fill booked in `Decimal`. */
  get cash(): Decimal {
    return this.#cash.exact;
  }

  /** True when the cash covers `price x quantity + commission`; exact near the boundary. */
  canAfford(price: number, quantity: number, commission: number): boolean {
    return this.#cash.canAfford(price, quantity, commission);
  }

  /**
   * The largest multiple of `lotSize` whose purchase at `price` (commission
   * `price x quantity x commissionPct` included) the exact cash covers (core
   * `ExactCash.affordableQuantity`: closed form, exact at the boundary).
   */
  affordableQuantity(price: number, commissionPct: number, lotSize: number): number {
    return this.#cash.affordableQuantity(price, commissionPct, lotSize);
  }

  #book(side: OrderSide, quantity: number, price: number, commission: number, slippageCost: number): void {
    const cash = this.#cash;
    cash.book(side, price, quantity, commission);
    this.cashFloat = cash.value;
    this.totalCommission += commission;
    this.totalSlippage += slippageCost;
  }

  /**
   * Books an opening fill (recorded in {@link fillLog}, no object allocated) and returns the new
   * position.
   */
  open(
    symbol: string,
    direction: 1 | -1,
    quantity: number,
    price: number,
    referencePrice: number,
    commission: number,
    slippageCost: number,
    time: number,
    barIndex: number,
    stopLoss: number,
    takeProfit: number,
  ): OpenPosition {
    if (this.positions.get(symbol) !== undefined) {
      throw new AlgoTradingError('INVARIANT_VIOLATION', `a position in ${symbol} is already open`, {
        details: { field: 'symbol', value: symbol, index: barIndex },
      });
    }
    const side: OrderSide = direction === 1 ? 'buy' : 'sell';
    this.#book(side, quantity, price, commission, slippageCost);
    this.fillLog.push(time, barIndex, symbol, side, 'open', quantity, price, referencePrice, commission, slippageCost, 'entry', this.cashFloat);
    const position = new OpenPosition(symbol, direction, quantity, price, time, barIndex, commission, slippageCost, stopLoss, takeProfit);
    this.positions.set(symbol, position);
    return position;
  }

  /**
   * Books a closing fill of the whole position in `symbol` and records the closed trade in
   * {@link tradeLog} (no object allocated).
   */
  close(
    symbol: string,
    quantity: number,
    price: number,
    referencePrice: number,
    commission: number,
    slippageCost: number,
    time: number,
    barIndex: number,
    reason: ExitReason,
  ): void {
    const position = this.positions.get(symbol);
    if (position === undefined || quantity !== position.quantity) {
      throw new AlgoTradingError('INVARIANT_VIOLATION', `no open position in ${symbol} of quantity ${quantity}`, {
        details: { field: 'symbol', value: symbol, index: barIndex },
      });
    }
    const side: OrderSide = position.direction === 1 ? 'sell' : 'buy';
    this.#book(side, quantity, price, commission, slippageCost);
    this.fillLog.push(time, barIndex, symbol, side, 'close', quantity, price, referencePrice, commission, slippageCost, reason, this.cashFloat);
    this.positions.set(symbol, undefined);
    const q = position.quantity;
    const grossPnl = (price - position.entryPrice) * q * position.direction;
    const totalCommission = position.entryCommission + commission;
    const pnl = grossPnl - totalCommission;
    const realized = this.#realizedSum;
    const t = realized + pnl;
    this.#realizedCompensation += Math.abs(realized) >= Math.abs(pnl) ? realized - t + pnl : pnl - t + realized;
    this.#realizedSum = t;
    const stop = position.stopLoss;
    const initialRisk = stop === stop ? q * Math.abs(position.entryPrice - stop) : null;
    this.tradeLog.push(
      position.symbol,
      position.direction === 1 ? 'long' : 'short',
      q,
      position.entryTime,
      time,
      position.entryPrice,
      price,
      position.entryBarIndex,
      barIndex,
      grossPnl,
      totalCommission,
      position.entrySlippageCost + slippageCost,
      pnl,
      pnl / (position.entryPrice * q),
      initialRisk,
      initialRisk !== null && initialRisk > 0 ? pnl / initialRisk : null,
      reason,
      barIndex - position.entryBarIndex,
    );
  }

  /** Every closed trade as `Trade` objects, in exit order (built on demand from {@link tradeLog}). */
  get trades(): readonly Trade[] {
    if (this.#trades.length !== this.tradeLog.length) this.#trades = this.tradeLog.toArray();
    return this.#trades;
  }

  /** Every fill as `Fill` objects, in order (built on demand from {@link fillLog}). */
  get fills(): readonly Fill[] {
    return this.fillLog.toArray();
  }

  /** Sum of the closed trades' net P&L (compensated summation). */
  get realizedPnl(): number {
    return this.#realizedSum + this.#realizedCompensation;
  }
}
