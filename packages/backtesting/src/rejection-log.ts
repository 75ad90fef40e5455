import type { Side } from '@algo-trading/core';
import { grown } from './columns';
import type { Rejection, RejectionReason } from './types';

/** The first refusal of a {@link RejectionLog} record. */
export interface RejectionRecord {
  readonly orderId: number;
  readonly barIndex: number;
  readonly time: number;
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly price: number;
  readonly reasons: readonly RejectionReason[];
}

/**
 * The refusals of a run in columns, kept (with their buffers) from run to run like the fill and
 * order logs; the `Rejection` objects are built on demand ({@link toArray}). A portfolio whose
 * signals outrun its cash is refused on most bars (hundreds of thousands of refusals per million
 * symbol-bars, tens of thousands of records once coalesced): as objects, kept to the end of the
 * run, the records filled the old generation and the garbage collector's work grew with them.
 */
export class RejectionLog {
  #length = 0;
  #capacity = 0;
  #orderId = new Int32Array(0);
  #barIndex = new Int32Array(0);
  #lastBarIndex = new Int32Array(0);
  #count = new Float64Array(0);
  #time = new Float64Array(0);
  #lastTime = new Float64Array(0);
  #quantity = new Float64Array(0);
  #price = new Float64Array(0);
  /** 0 long, 1 short. */
  #side = new Uint8Array(0);
  // Indexed by record, never shortened (rows past #length are stale): cutting an array to length
  // 0 frees its backing store, which the next run would regrow in fresh memory.
  readonly #symbol: string[] = [];
  readonly #reasons: (readonly RejectionReason[])[] = [];
  #objects: Rejection[] | null = null;

  /** Number of records. */
  get length(): number {
    return this.#length;
  }

  /** Forgets every record (the buffers are kept for the next run). */
  clear(): void {
    this.#length = 0;
    this.#objects = null;
  }

  /** Appends a record of one refused order; returns its index. */
  push(record: RejectionRecord): number {
    const k = this.#length;
    if (k === this.#capacity) this.#grow();
    this.#orderId[k] = record.orderId;
    this.#barIndex[k] = record.barIndex;
    this.#lastBarIndex[k] = record.barIndex;
    this.#count[k] = 1;
    this.#time[k] = record.time;
    this.#lastTime[k] = record.time;
    this.#quantity[k] = record.quantity;
    this.#price[k] = record.price;
    this.#side[k] = record.side === 'long' ? 0 : 1;
    this.#symbol[k] = record.symbol;
    this.#reasons[k] = record.reasons;
    this.#length = k + 1;
    this.#objects = null;
    return k;
  }

  /** Counts one more refusal, at bar `barIndex` (time `time`), into record `k`. */
  extend(k: number, barIndex: number, time: number): void {
    this.#count[k]!++;
    this.#lastBarIndex[k] = barIndex;
    this.#lastTime[k] = time;
    this.#objects = null;
  }

  /** Order id of record `k`'s first refusal. */
  orderIdAt(k: number): number {
    return this.#orderId[k]!;
  }

  /** Bar of record `k`'s latest refusal. */
  lastBarIndexAt(k: number): number {
    return this.#lastBarIndex[k]!;
  }

  /** Side of record `k`. */
  sideAt(k: number): Side {
    return this.#side[k] === 0 ? 'long' : 'short';
  }

  /** Symbol of record `k`. */
  symbolAt(k: number): string {
    return this.#symbol[k]!;
  }

  /** Reasons of record `k`. */
  reasonsAt(k: number): readonly RejectionReason[] {
    return this.#reasons[k]!;
  }

  /** Every record as a `Rejection`, in order (the same array until a record is added or extended). */
  toArray(): readonly Rejection[] {
    if (this.#objects !== null) return this.#objects;
    const out: Rejection[] = [];
    for (let k = 0; k < this.#length; k++) {
      out.push({
        orderId: this.#orderId[k]!,
        time: this.#time[k]!,
        barIndex: this.#barIndex[k]!,
        count: this.#count[k]!,
        lastBarIndex: this.#lastBarIndex[k]!,
        lastTime: this.#lastTime[k]!,
        symbol: this.#symbol[k]!,
        side: this.sideAt(k),
        quantity: this.#quantity[k]!,
        price: this.#price[k]!,
        reasons: this.#reasons[k]!,
      });
    }
    this.#objects = out;
    return out;
  }

  #grow(): void {
    const capacity = Math.max(256, this.#capacity * 2);
    this.#orderId = grown(this.#orderId, capacity);
    this.#barIndex = grown(this.#barIndex, capacity);
    this.#lastBarIndex = grown(this.#lastBarIndex, capacity);
    this.#count = grown(this.#count, capacity);
    this.#time = grown(this.#time, capacity);
    this.#lastTime = grown(this.#lastTime, capacity);
    this.#quantity = grown(this.#quantity, capacity);
    this.#price = grown(this.#price, capacity);
    this.#side = grown(this.#side, capacity);
    this.#capacity = capacity;
  }
}
