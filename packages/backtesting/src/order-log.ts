import {
  ORDER_ROLES,
  ORDER_STATUSES,
  ORDER_TYPES,
  type Order,
  type OrderEvent,
  type OrderStatus,
  type TimeInForce,
} from '@algo-trading/core';
import { grown } from './columns';
import type { FillLog } from './fill-log';
import type { OrderState } from './order-state';
import type { RejectionReason } from './types';

const codes = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v, k) => [v, k])) as Record<T, number>;
const TYPE_CODES = codes(ORDER_TYPES);
const ROLE_CODES = codes(ORDER_ROLES);
const STATUS_CODES = codes(ORDER_STATUSES);

const FLAG_REDUCE_ONLY = 1;
const FLAG_SELL = 2;
/** Rejected when submitted (never accepted). */
const FLAG_REJECTED_AT_SUBMISSION = 4;

/**
 * Writes row `id` of a column by order id: the value, or undefined over a row a previous run left
 * there; a column that never gets a value stays empty (no memory for a field no order uses).
 */
function setRow<T>(column: (T | undefined)[], id: number, value: T | undefined): void {
  if (value !== undefined) column[id] = value;
  else if (id < column.length) column[id] = undefined;
}

/** An order's fields that most orders lack (see `OrderLog`). */
interface RareFields {
  readonly ocoGroup: string | null;
  readonly tag: string | null;
  readonly replacesId: number | null;
}

/** The message of an order refused with `reasons`: "code: reason; code: reason". */
function reasonsMessage(reasons: readonly RejectionReason[]): string {
  return reasons.map((x) => `${x.code}: ${x.message}`).join('; ');
}

/**
 * Every order of a run, one row per order id, in columns. A run makes about as many orders as it
 * has fills and their protective children (tens of thousands per million bars), so a row costs
 * about 100 bytes of typed arrays instead of a few hundred as an object; the state changes are not
 * stored as events: they are rebuilt from the row (submission, final state) and the fill log (each
 * fill) by {@link build}. Live orders are objects (`OrderState`) in the order book and write
 * their row when they change.
 */
export class OrderLog {
  #length = 0;
  #capacity = 0;
  #slot = new Int32Array(0);
  #parent = new Int32Array(0);
  #submittedBar = new Int32Array(0);
  /** Bar of the final state (-1 while live). */
  #finalBar = new Int32Array(0);
  /** Index of the final state's message in #messages (-1 none). */
  #messageId = new Int32Array(0);
  #type = new Uint8Array(0);
  #role = new Uint8Array(0);
  #status = new Uint8Array(0);
  #flags = new Uint8Array(0);
  #quantity = new Float64Array(0);
  #filled = new Float64Array(0);
  #notional = new Float64Array(0);
  #commission = new Float64Array(0);
  #limit = new Float64Array(0);
  #stop = new Float64Array(0);
  #trailPercent = new Float64Array(0);
  #trailAmount = new Float64Array(0);
  #activation = new Float64Array(0);
  #activeFrom = new Float64Array(0);
  #confidence = new Float64Array(0);
  #repeats = new Int32Array(0);
  /**
   * The rare fields of each order and the reasons of a refused one, indexed by order id
   * (undefined: none; a field no order has leaves its array empty, see `setRow`). Arrays rather
   * than a map per field, and never shortened: a map (or an array cut to length 0) frees its
   * table at each run's clear, and tens of thousands of orders a run (the refusals of a
   * portfolio, brackets' time in force) regrew it in fresh memory every run, a few hundred page
   * faults each time. The time in force and the reasons have their own arrays: every entry of a
   * bracket strategy may have a time in force, and a portfolio refuses tens of thousands of
   * orders a run, which would each need a record.
   */
  readonly #rare: (RareFields | undefined)[] = [];
  readonly #timeInForce: (TimeInForce | undefined)[] = [];
  readonly #reasons: (readonly RejectionReason[] | undefined)[] = [];
  /** The distinct messages (most are a few constants: "the position is closed", ...). */
  readonly #messages: string[] = [];
  readonly #messageIds = new Map<string, number>();

  /** Forgets every order (the buffers are kept for the next run; rows past {@link length} are stale). */
  clear(): void {
    this.#length = 0;
    this.#messages.length = 0;
    this.#messageIds.clear();
  }

  /** Number of orders recorded. */
  get length(): number {
    return this.#length;
  }

  /** Records a new order: gives it the next id and writes its row. */
  record(order: OrderState, rejectedAtSubmission = false): number {
    const id = this.#length;
    if (id === this.#capacity) this.#grow();
    order.id = id;
    this.#slot[id] = order.slot;
    this.#parent[id] = order.parentId;
    this.#submittedBar[id] = order.submittedBar;
    this.#type[id] = TYPE_CODES[order.type];
    this.#flags[id] = (order.reduceOnly ? FLAG_REDUCE_ONLY : 0) | (order.side === 'sell' ? FLAG_SELL : 0) | (rejectedAtSubmission ? FLAG_REJECTED_AT_SUBMISSION : 0);
    this.#limit[id] = order.limitPrice;
    this.#stop[id] = order.stopPrice;
    this.#trailPercent[id] = order.trailPercent;
    this.#trailAmount[id] = order.trailAmount;
    this.#activation[id] = order.activationPrice;
    this.#activeFrom[id] = order.activeFrom;
    this.#confidence[id] = order.confidence;
    this.#repeats[id] = 0;
    setRow(
      this.#rare,
      id,
      order.ocoGroup !== null || order.tag !== null || order.replacesId >= 0
        ? { ocoGroup: order.ocoGroup, tag: order.tag, replacesId: order.replacesId >= 0 ? order.replacesId : null }
        : undefined,
    );
    setRow(this.#timeInForce, id, order.timeInForce === 'gtc' ? undefined : order.timeInForce);
    setRow(this.#reasons, id, undefined);
    this.#length = id + 1;
    this.update(order, -1);
    return id;
  }

  /** Writes the order's state now; `bar` is the bar of a final state (-1 while live). */
  update(order: OrderState, bar: number): void {
    const id = order.id;
    this.#status[id] = STATUS_CODES[order.status];
    this.#role[id] = ROLE_CODES[order.role];
    this.#quantity[id] = order.quantity;
    this.#filled[id] = order.filled;
    this.#notional[id] = order.filledNotional;
    this.#commission[id] = order.commission;
    this.#finalBar[id] = bar;
    this.#messageId[id] = order.message === null ? -1 : this.#messageIndex(order.message);
    if (order.rejectReasons !== null) this.#reasons[id] = order.rejectReasons;
  }

  #messageIndex(message: string): number {
    let k = this.#messageIds.get(message);
    if (k === undefined) {
      k = this.#messages.length;
      this.#messages.push(message);
      this.#messageIds.set(message, k);
    }
    return k;
  }

  /** Counts one more identical refusal into order `id`'s row (see `Order.repeats`). */
  addRepeat(id: number): void {
    this.#repeats[id]!++;
  }

  /**
   * Every order as a public `Order` with its state changes: submitted (and accepted, or rejected)
   * at its submission bar, one event per fill from `fills` (partially filled, then filled), and
   * its final state (cancelled, expired, rejected) with the reason.
   */
  build(symbols: readonly string[], times: Float64Array, fills: FillLog): Order[] {
    const n = this.#length;
    const byOrder: number[][] = Array.from({ length: n }, () => []);
    for (let k = 0; k < fills.length; k++) {
      const id = fills.orderIdAt(k);
      if (id >= 0 && id < n) byOrder[id]!.push(k);
    }
    const out: Order[] = [];
    for (let id = 0; id < n; id++) {
      const status = ORDER_STATUSES[this.#status[id]!]!;
      const submitted = this.#submittedBar[id]!;
      const flags = this.#flags[id]!;
      const events: OrderEvent[] = [];
      const event = (s: OrderStatus, bar: number, filled: number, price: number | null, message: string | null) =>
        events.push({ status: s, barIndex: bar, time: times[bar] ?? Number.NaN, filledQuantity: filled, price, message });
      const messageId = this.#messageId[id]!;
      const rare = this.#rare[id];
      const reasons = this.#reasons[id];
      const message = messageId >= 0 ? this.#messages[messageId]! : reasons !== undefined ? reasonsMessage(reasons) : null;
      event('submitted', submitted, 0, null, null);
      if ((flags & FLAG_REJECTED_AT_SUBMISSION) !== 0) {
        event('rejected', submitted, 0, null, message);
      } else {
        event('accepted', submitted, 0, null, null);
        const own = byOrder[id]!;
        let filled = 0;
        for (let j = 0; j < own.length; j++) {
          const f = fills.get(own[j]!);
          filled += f.quantity;
          const last = j === own.length - 1 && status === 'filled';
          event(last ? 'filled' : 'partially_filled', f.barIndex, filled, f.price, null);
        }
        if (status === 'cancelled' || status === 'expired' || status === 'rejected') event(status, this.#finalBar[id]!, filled, null, message);
      }
      const nan = (x: number): number | null => (x === x ? x : null);
      const filledQuantity = this.#filled[id]!;
      out.push({
        id,
        symbol: symbols[this.#slot[id]!]!,
        side: (flags & FLAG_SELL) !== 0 ? 'sell' : 'buy',
        type: ORDER_TYPES[this.#type[id]!]!,
        role: ORDER_ROLES[this.#role[id]!]!,
        quantity: nan(this.#quantity[id]!),
        limitPrice: nan(this.#limit[id]!),
        stopPrice: nan(this.#stop[id]!),
        trailPercent: nan(this.#trailPercent[id]!),
        trailAmount: nan(this.#trailAmount[id]!),
        activationPrice: nan(this.#activation[id]!),
        timeInForce: this.#timeInForce[id] ?? 'gtc',
        reduceOnly: (flags & FLAG_REDUCE_ONLY) !== 0,
        // Bracket children share their entry's group.
        ocoGroup: rare?.ocoGroup ?? (this.#parent[id]! >= 0 ? `bracket #${this.#parent[id]!}` : null),
        parentId: this.#parent[id]! >= 0 ? this.#parent[id]! : null,
        replacesId: rare?.replacesId ?? null,
        confidence: nan(this.#confidence[id]!),
        tag: rare?.tag ?? null,
        activeFrom: nan(this.#activeFrom[id]!),
        status,
        filledQuantity,
        averagePrice: filledQuantity > 0 ? this.#notional[id]! / filledQuantity : null,
        commission: this.#commission[id]!,
        submittedBarIndex: submitted,
        submittedTime: times[submitted] ?? Number.NaN,
        rejectReasons: reasons ?? [],
        repeats: this.#repeats[id]!,
        events,
      });
    }
    return out;
  }

  #grow(): void {
    const capacity = Math.max(256, this.#capacity * 2);
    this.#slot = grown(this.#slot, capacity);
    this.#parent = grown(this.#parent, capacity);
    this.#submittedBar = grown(this.#submittedBar, capacity);
    this.#finalBar = grown(this.#finalBar, capacity);
    this.#messageId = grown(this.#messageId, capacity);
    this.#repeats = grown(this.#repeats, capacity);
    this.#type = grown(this.#type, capacity);
    this.#role = grown(this.#role, capacity);
    this.#status = grown(this.#status, capacity);
    this.#flags = grown(this.#flags, capacity);
    this.#quantity = grown(this.#quantity, capacity);
    this.#filled = grown(this.#filled, capacity);
    this.#notional = grown(this.#notional, capacity);
    this.#commission = grown(this.#commission, capacity);
    this.#limit = grown(this.#limit, capacity);
    this.#stop = grown(this.#stop, capacity);
    this.#trailPercent = grown(this.#trailPercent, capacity);
    this.#trailAmount = grown(this.#trailAmount, capacity);
    this.#activation = grown(this.#activation, capacity);
    this.#activeFrom = grown(this.#activeFrom, capacity);
    this.#confidence = grown(this.#confidence, capacity);
    this.#capacity = capacity;
  }
}
