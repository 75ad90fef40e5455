import type { PortfolioView, PositionInfo } from '@algo-trading/core';

/** A hand-driven portfolio view, standing in for the engine's book in the RiskGate tests. */
export class FakePortfolio implements PortfolioView {
  time = 0;
  cash: number;
  readonly held = new Map<string, { side: 'long' | 'short'; quantity: number; entryPrice: number; lastPrice: number; stopPrice: number }>();

  constructor(cash: number) {
    this.cash = cash;
  }

  get equity(): number {
    let equity = this.cash;
    for (const p of this.held.values()) equity += (p.side === 'long' ? 1 : -1) * p.quantity * p.lastPrice;
    return equity;
  }

  get positionCount(): number {
    return this.held.size;
  }

  /** Opens a position, paying (or receiving) its notional. */
  open(symbol: string, side: 'long' | 'short', quantity: number, price: number, stopPrice = Number.NaN): this {
    this.cash += (side === 'long' ? -1 : 1) * quantity * price;
    this.held.set(symbol, { side, quantity, entryPrice: price, lastPrice: price, stopPrice });
    return this;
  }

  /** Closes a position at `price`. */
  close(symbol: string, price: number): this {
    const p = this.held.get(symbol)!;
    this.cash += (p.side === 'long' ? 1 : -1) * p.quantity * price;
    this.held.delete(symbol);
    return this;
  }

  /** Marks `symbol` at `price` at `time`. */
  mark(time: number, prices: Record<string, number> = {}): this {
    this.time = time;
    for (const [symbol, price] of Object.entries(prices)) this.held.get(symbol)!.lastPrice = price;
    return this;
  }

  position(symbol: string): PositionInfo | undefined {
    const p = this.held.get(symbol);
    return p === undefined ? undefined : { symbol, entryTime: 0, ...p };
  }

  positions(): readonly PositionInfo[] {
    return [...this.held.keys()].map((s) => this.position(s)!);
  }
}
