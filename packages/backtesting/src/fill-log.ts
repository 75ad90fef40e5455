import { EXIT_REASONS, type Fill, type FillReason, type OrderSide, type PositionEffect } from '@algo-trading/core';

const REASONS: readonly FillReason[] = ['entry', ...EXIT_REASONS];
const REASON_CODES = new Map<FillReason, number>(REASONS.map((reason, code) => [reason, code]));

/** A `Fill` whose fields can be overwritten (the engine's reused fill for the risk gate). */
export type MutableFill = { -readonly [K in keyof Fill]: Fill[K] };

/** A new {@link MutableFill} (fields zero / placeholder until {@link FillLog.fillInto} writes it). */
export function newMutableFill(): MutableFill {
  return {
    time: 0,
    barIndex: 0,
    orderId: -1,
    symbol: '',
    side: 'buy',
    effect: 'open',
    quantity: 0,
    price: 0,
    referencePrice: 0,
    commission: 0,
    slippageCost: 0,
    reason: 'entry',
  };
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

  /** Number of fills. */
  get length(): number {
    return this.#length;
  }

  /** Appends a fill; returns its index. */
  push(
    time: number,
    barIndex: number,
    symbol: string,
    side: OrderSide,
    effect: PositionEffect,
    quantity: number,
    price: number,
    referencePrice: number,
    commission: number,
    slippageCost: number,
    reason: FillReason,
    cashAfter: number,
  ): number {
    const k = this.#length;
    if (k === this.#capacity) this.#grow();
    this.#time[k] = time;
    this.#barIndex[k] = barIndex;
    this.#quantity[k] = quantity;
    this.#price[k] = price;
    this.#referencePrice[k] = referencePrice;
    this.#commission[k] = commission;
    this.#slippageCost[k] = slippageCost;
    this.#cashAfter[k] = cashAfter;
    this.#side[k] = side === 'buy' ? 0 : 1;
    this.#effect[k] = effect === 'open' ? 0 : 1;
    this.#reason[k] = REASON_CODES.get(reason)!;
    this.#symbol.push(symbol);
    this.#length = k + 1;
    return k;
  }

  /** The fill at index `k` (0 <= k < length), as a new object. */
  get(k: number): Fill {
    return {
      time: this.#time[k]!,
      barIndex: this.#barIndex[k]!,
      orderId: -1,
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
   * Writes the fill at index `k` into `target` (a reused object, for a consumer that copies what
   * it needs, as a `RiskGate.onFill` must) and returns it: no allocation.
   */
  fillInto(k: number, target: MutableFill): Fill {
    target.time = this.#time[k]!;
    target.barIndex = this.#barIndex[k]!;
    target.symbol = this.#symbol[k]!;
    target.side = this.#side[k] === 0 ? 'buy' : 'sell';
    target.effect = this.#effect[k] === 0 ? 'open' : 'close';
    target.quantity = this.#quantity[k]!;
    target.price = this.#price[k]!;
    target.referencePrice = this.#referencePrice[k]!;
    target.commission = this.#commission[k]!;
    target.slippageCost = this.#slippageCost[k]!;
    target.reason = REASONS[this.#reason[k]!]!;
    return target;
  }

  /**
   * The cash at the end of each bar (`bars` of them), from the cash after each fill: every fill
   * of a bar happens before the bar is recorded, so a bar's cash is the cash after its last fill,
   * or after the last earlier fill, or `initialCash`. The same numbers the loop saw.
   */
  cashCurve(bars: number, initialCash: number): Float64Array {
    const out = new Float64Array(bars);
    let cash = initialCash;
    let k = 0;
    const count = this.#length;
    for (let i = 0; i < bars; i++) {
      while (k < count && this.#barIndex[k]! <= i) cash = this.#cashAfter[k++]!;
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
