import { EXIT_REASONS, type Fill, type FillReason } from '@algo-trading/core';

const REASONS: readonly FillReason[] = ['entry', ...EXIT_REASONS];
const REASON_CODES = new Map<FillReason, number>(REASONS.map((reason, code) => [reason, code]));

/** One fill as the engine records it, with the cash right after it. */
export interface FillRecord extends Fill {
  /** The ledger's float cash right after the fill. */
  readonly cashAfter: number;
}

/**
 * The fills of a run in columns (typed arrays, grown by doubling), so that booking a fill
 * allocates no object; the `Fill` objects are built on demand ({@link get}, {@link toArray}).
 */
export class FillLog {
  #length = 0;
  #capacity = 0;
  #time = new Float64Array(0);
  #barIndex = new Float64Array(0);
  #orderId = new Int32Array(0);
  #quantity = new Float64Array(0);
  #price = new Float64Array(0);
  #referencePrice = new Float64Array(0);
  #commission = new Float64Array(0);
  #slippageCost = new Float64Array(0);
  /** The ledger's float cash right after the fill. */
  #cashAfter = new Float64Array(0);
  /** 0 buy, 1 sell. */
  #side = new Uint8Array(0);
  /** 0 open, 1 close. */
  #effect = new Uint8Array(0);
  /** Index into REASONS. */
  #reason = new Uint8Array(0);
  #symbol: string[] = [];
  #objects: Fill[] = [];

  /**
   * Forgets every fill (the buffers are kept for the next run; the symbol column too, its rows past
   * {@link length} stale: shortening it would free its backing store, regrown in fresh memory
   * every run).
   */
  clear(): void {
    this.#length = 0;
    this.#objects = [];
  }

  /** Number of fills. */
  get length(): number {
    return this.#length;
  }

  /** Appends a fill (its numbers are copied); returns its index. */
  push(fill: FillRecord): number {
    const k = this.#length;
    if (k === this.#capacity) this.#grow();
    this.#time[k] = fill.time;
    this.#barIndex[k] = fill.barIndex;
    this.#orderId[k] = fill.orderId;
    this.#quantity[k] = fill.quantity;
    this.#price[k] = fill.price;
    this.#referencePrice[k] = fill.referencePrice;
    this.#commission[k] = fill.commission;
    this.#slippageCost[k] = fill.slippageCost;
    this.#cashAfter[k] = fill.cashAfter;
    this.#side[k] = fill.side === 'buy' ? 0 : 1;
    this.#effect[k] = fill.effect === 'open' ? 0 : 1;
    this.#reason[k] = REASON_CODES.get(fill.reason)!;
    this.#symbol[k] = fill.symbol;
    this.#length = k + 1;
    return k;
  }

  /** Symbol of fill `k`. */
  symbolAt(k: number): string {
    return this.#symbol[k]!;
  }

  /** Traded value of fill `k`: quantity x price. */
  notionalAt(k: number): number {
    return this.#quantity[k]! * this.#price[k]!;
  }

  /** Order id of fill `k`. */
  orderIdAt(k: number): number {
    return this.#orderId[k]!;
  }

  /** The fill at index `k` (0 <= k < length), as a new object. */
  get(k: number): Fill {
    return {
      time: this.#time[k]!,
      barIndex: this.#barIndex[k]!,
      orderId: this.#orderId[k]!,
      symbol: this.#symbol[k]!,
      side: this.#side[k] === 0 ? 'buy' : 'sell',
      effect: this.#effect[k] === 0 ? 'open' : 'close',
      quantity: this.#quantity[k]!,
      price: this.#price[k]!,
      referencePrice: this.#referencePrice[k]!,
      commission: this.#commission[k]!,
      slippageCost: this.#slippageCost[k]!,
      reason: REASONS[this.#reason[k]!]!,
    };
  }

  /**
   * The cash at the end of each bar (`bars` of them), from the cash after each fill and after each
   * cash flow (`flows`: financing, in bar order): a bar's cash is the cash after its last booking,
   * or after the last earlier one, or `initialCash`. The same numbers the loop saw.
   */
  cashCurve(bars: number, initialCash: number, flows?: { readonly barIndex: ArrayLike<number>; readonly cashAfter: ArrayLike<number>; readonly length: number }): Float64Array {
    const out = new Float64Array(bars);
    let cash = initialCash;
    let k = 0;
    let f = 0;
    const count = this.#length;
    const flowCount = flows?.length ?? 0;
    for (let i = 0; i < bars; i++) {
      // In time order; within a bar, financing is booked first (at the bar's start), then the fills.
      for (;;) {
        const flowBar = f < flowCount ? flows!.barIndex[f]! : Number.POSITIVE_INFINITY;
        const fillBar = k < count ? this.#barIndex[k]! : Number.POSITIVE_INFINITY;
        if (flowBar > i && fillBar > i) break;
        if (flowBar <= fillBar) cash = flows!.cashAfter[f++]!;
        else cash = this.#cashAfter[k++]!;
      }
      out[i] = cash;
    }
    return out;
  }

  /** Every fill as objects, in order (one array, extended when fills were added since). */
  toArray(): readonly Fill[] {
    const objects = this.#objects;
    for (let k = objects.length; k < this.#length; k++) objects.push(this.get(k));
    return objects;
  }

  #grow(): void {
    const capacity = Math.max(256, this.#capacity * 2);
    const grow64 = (a: Float64Array) => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    const grow8 = (a: Uint8Array) => {
      const b = new Uint8Array(capacity);
      b.set(a);
      return b;
    };
    this.#time = grow64(this.#time);
    this.#barIndex = grow64(this.#barIndex);
    const orderIds = new Int32Array(capacity);
    orderIds.set(this.#orderId);
    this.#orderId = orderIds;
    this.#quantity = grow64(this.#quantity);
    this.#price = grow64(this.#price);
    this.#referencePrice = grow64(this.#referencePrice);
    this.#commission = grow64(this.#commission);
    this.#slippageCost = grow64(this.#slippageCost);
    this.#cashAfter = grow64(this.#cashAfter);
    this.#side = grow8(this.#side);
    this.#effect = grow8(this.#effect);
    this.#reason = grow8(this.#reason);
    this.#capacity = capacity;
  }
}
