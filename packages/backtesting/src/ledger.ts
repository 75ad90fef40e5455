import { AlgoTradingError, Decimal, type Fill, type Trade } from '@algo-trading/core';

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

// Relative error of one float term against its Decimal booking: the decimal value of a number
// differs from its binary value by at most 2^-53 relative, a float product by 2^-53 more; with
// margin, 4e-16 per term covers the product, the conversions and the compensated summation.
const TERM_ERROR = 4e-16;

/**
 * The cash ledger. The exact cash is the `Decimal` sum of the fills: a buy books
 * `-(price x quantity) - commission`, a sell `+(price x quantity) - commission`, each number as
 * the fill carries it (so a risk manager booking the same fills holds the same exact cash).
 * The exact sum is materialized on demand, incrementally: the loop runs on a compensated float
 * mirror (Neumaier summation) that carries a rigorous bound of its distance to the exact sum, and
 * consults the exact ledger only when a purchase lands within that bound of the cash, so "cash
 * never negative" holds exactly while the loop stays free of Decimal arithmetic.
 * Positions are keyed by symbol.
 */
export class Ledger {
  /** Float mirror of the cash (compensated sum of the fills), for marks and sizing. */
  cashFloat: number;
  readonly positions = new Map<string, OpenPosition>();
  readonly fills: Fill[] = [];
  readonly trades: Trade[] = [];
  totalCommission = 0;
  totalSlippage = 0;

  #sum: number;
  #compensation = 0;
  /** Upper bound of |cashFloat - exact cash|. */
  #errorBound = 0;
  #realizedSum = 0;
  #realizedCompensation = 0;
  #exact: Decimal;
  #exactFills = 0;

  constructor(initialCapital: number) {
    this.#sum = initialCapital;
    this.cashFloat = initialCapital;
    this.#exact = new Decimal(initialCapital);
  }

  /** The exact cash: initial capital plus every fill booked in `Decimal`. */
  get cash(): Decimal {
    const fills = this.fills;
    let exact = this.#exact;
    for (let k = this.#exactFills; k < fills.length; k++) exact = bookExact(exact, fills[k]!);
    this.#exact = exact;
    this.#exactFills = fills.length;
    return exact;
  }

  /** True when the cash covers `price x quantity + commission`; exact near the boundary. */
  canAfford(price: number, quantity: number, commission: number): boolean {
    const cost = price * quantity + commission;
    const margin = this.cashFloat - cost;
    const band = this.#errorBound + TERM_ERROR * (Math.abs(this.cashFloat) + 2 * cost);
    if (margin > band) return true;
    if (margin < -band) return false;
    return this.cash.gte(new Decimal(price).times(quantity).plus(commission));
  }

  #addCash(x: number): void {
    // Neumaier's compensated summation: the lost low-order bits go to the compensation.
    const sum = this.#sum;
    const t = sum + x;
    this.#compensation += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    this.#sum = t;
  }

  #book(fill: Fill): void {
    const notional = fill.price * fill.quantity;
    this.#addCash(fill.side === 'buy' ? -notional : notional);
    this.#addCash(-fill.commission);
    this.cashFloat = this.#sum + this.#compensation;
    this.#errorBound += TERM_ERROR * (notional + fill.commission + Math.abs(this.cashFloat));
    this.totalCommission += fill.commission;
    this.totalSlippage += fill.slippageCost;
    this.fills.push(fill);
  }

  /** Books an opening fill and returns the new position. */
  open(fill: Fill, stopLoss: number, takeProfit: number): OpenPosition {
    if (this.positions.has(fill.symbol)) {
      throw new AlgoTradingError('INVARIANT_VIOLATION', `a position in ${fill.symbol} is already open`, {
        details: { field: 'symbol', value: fill.symbol, index: fill.barIndex },
      });
    }
    this.#book(fill);
    const position = new OpenPosition(
      fill.symbol,
      fill.side === 'buy' ? 1 : -1,
      fill.quantity,
      fill.price,
      fill.time,
      fill.barIndex,
      fill.commission,
      fill.slippageCost,
      stopLoss,
      takeProfit,
    );
    this.positions.set(fill.symbol, position);
    return position;
  }

  /** Books a closing fill of the whole position and returns the closed trade. */
  close(fill: Fill): Trade {
    const position = this.positions.get(fill.symbol);
    if (position === undefined || fill.quantity !== position.quantity) {
      throw new AlgoTradingError('INVARIANT_VIOLATION', `no open position in ${fill.symbol} of quantity ${fill.quantity}`, {
        details: { field: 'symbol', value: fill.symbol, index: fill.barIndex },
      });
    }
    this.#book(fill);
    this.positions.delete(fill.symbol);
    const q = position.quantity;
    const grossPnl = (fill.price - position.entryPrice) * q * position.direction;
    const commission = position.entryCommission + fill.commission;
    const pnl = grossPnl - commission;
    const realized = this.#realizedSum;
    const t = realized + pnl;
    this.#realizedCompensation += Math.abs(realized) >= Math.abs(pnl) ? realized - t + pnl : pnl - t + realized;
    this.#realizedSum = t;
    const stop = position.stopLoss;
    const initialRisk = stop === stop ? q * Math.abs(position.entryPrice - stop) : null;
    const trade: Trade = {
      symbol: position.symbol,
      side: position.direction === 1 ? 'long' : 'short',
      quantity: q,
      entryTime: position.entryTime,
      exitTime: fill.time,
      entryPrice: position.entryPrice,
      exitPrice: fill.price,
      entryBarIndex: position.entryBarIndex,
      exitBarIndex: fill.barIndex,
      grossPnl,
      commission,
      slippageCost: position.entrySlippageCost + fill.slippageCost,
      pnl,
      returnPct: pnl / (position.entryPrice * q),
      initialRisk,
      rMultiple: initialRisk !== null && initialRisk > 0 ? pnl / initialRisk : null,
      exitReason: fill.reason === 'entry' ? 'manual' : fill.reason,
      barsHeld: fill.barIndex - position.entryBarIndex,
    };
    this.trades.push(trade);
    return trade;
  }

  /** Sum of the closed trades' net P&L (compensated summation). */
  get realizedPnl(): number {
    return this.#realizedSum + this.#realizedCompensation;
  }
}

/** Books one fill into an exact cash amount. */
export function bookExact(cash: Decimal, fill: Fill): Decimal {
  const notional = new Decimal(fill.price).times(fill.quantity);
  return fill.side === 'buy' ? cash.minus(notional).minus(fill.commission) : cash.plus(notional).minus(fill.commission);
}
