import type { ExitReason, Trade } from './types';

/** The numeric fields of a closed trade, in the order of the `Trade` object. */
const QUANTITY = 0;
const ENTRY_TIME = 1;
const EXIT_TIME = 2;
const ENTRY_PRICE = 3;
const EXIT_PRICE = 4;
const ENTRY_BAR = 5;
const EXIT_BAR = 6;
const GROSS_PNL = 7;
const COMMISSION = 8;
const SLIPPAGE = 9;
const PNL = 10;
const RETURN_PCT = 11;
const INITIAL_RISK = 12;
const R_MULTIPLE = 13;
const BARS_HELD = 14;
const STRIDE = 15;

const NULL_INITIAL_RISK = 1;
const NULL_R_MULTIPLE = 2;

/**
 * The closed trades of a run (a risk manager's, the engine's ledger's) in columns (one `Float64Array`, grown by doubling, kept
 * across resets), so that recording a trade allocates no object: the engine closes tens of
 * thousands of trades a run and would otherwise keep a second copy of each as live objects. The
 * `Trade` objects are built on demand, once each ({@link get}, {@link toArray}), with the numbers
 * exactly as recorded.
 */
export class TradeLog {
  #length = 0;
  #numbers = new Float64Array(0);
  /** Bit 0: initialRisk is null; bit 1: rMultiple is null. Bit 2 set: short. */
  #flags = new Uint8Array(0);
  #reasons: ExitReason[] = [];
  #symbols: string[] = [];
  #objects: Trade[] = [];

  /** Number of trades recorded. */
  get length(): number {
    return this.#length;
  }

  /**
   * Forgets every trade (the buffers are kept for the next run). The string columns are not
   * shortened either (rows past {@link length} are stale): `length = 0` frees an array's backing
   * store, which tens of thousands of trades then regrew from empty, in fresh memory, every run.
   */
  clear(): void {
    this.#length = 0;
    this.#objects = [];
  }

  /** Records one closed trade (its numbers are copied; the object is not kept); returns its index. */
  push(trade: Trade): number {
    const k = this.#length;
    if (k === this.#flags.length) this.#grow();
    const n = this.#numbers;
    const o = k * STRIDE;
    n[o + QUANTITY] = trade.quantity;
    n[o + ENTRY_TIME] = trade.entryTime;
    n[o + EXIT_TIME] = trade.exitTime;
    n[o + ENTRY_PRICE] = trade.entryPrice;
    n[o + EXIT_PRICE] = trade.exitPrice;
    n[o + ENTRY_BAR] = trade.entryBarIndex;
    n[o + EXIT_BAR] = trade.exitBarIndex;
    n[o + GROSS_PNL] = trade.grossPnl;
    n[o + COMMISSION] = trade.commission;
    n[o + SLIPPAGE] = trade.slippageCost;
    n[o + PNL] = trade.pnl;
    n[o + RETURN_PCT] = trade.returnPct;
    n[o + INITIAL_RISK] = trade.initialRisk ?? 0;
    n[o + R_MULTIPLE] = trade.rMultiple ?? 0;
    n[o + BARS_HELD] = trade.barsHeld;
    this.#flags[k] =
      (trade.initialRisk === null ? NULL_INITIAL_RISK : 0) | (trade.rMultiple === null ? NULL_R_MULTIPLE : 0) | (trade.side === 'short' ? 4 : 0);
    this.#reasons[k] = trade.exitReason;
    this.#symbols[k] = trade.symbol;
    this.#length = k + 1;
    return k;
  }

  /** Net P&L of trade `k` (0 <= k < length), without building its object. */
  pnlAt(k: number): number {
    return this.#numbers[k * STRIDE + PNL]!;
  }

  /** Symbol of trade `k` (0 <= k < length), without building its object. */
  symbolAt(k: number): string {
    return this.#symbols[k]!;
  }

  /** Initial risk of trade `k` (0 <= k < length; null when it had no stop), without building its object. */
  initialRiskAt(k: number): number | null {
    return (this.#flags[k]! & NULL_INITIAL_RISK) === 0 ? this.#numbers[k * STRIDE + INITIAL_RISK]! : null;
  }

  /** The trade at index `k` (0 <= k < length): the same object on every call. */
  get(k: number): Trade {
    const objects = this.#objects;
    while (objects.length <= k) objects.push(this.#build(objects.length));
    return objects[k]!;
  }

  /** Every trade as objects, in order (a new array of the same objects on every call). */
  toArray(): Trade[] {
    if (this.#length > 0) this.get(this.#length - 1);
    return this.#objects.slice(0, this.#length);
  }

  #build(k: number): Trade {
    const n = this.#numbers;
    const o = k * STRIDE;
    const flags = this.#flags[k]!;
    return {
      symbol: this.#symbols[k]!,
      side: (flags & 4) === 0 ? 'long' : 'short',
      quantity: n[o + QUANTITY]!,
      entryTime: n[o + ENTRY_TIME]!,
      exitTime: n[o + EXIT_TIME]!,
      entryPrice: n[o + ENTRY_PRICE]!,
      exitPrice: n[o + EXIT_PRICE]!,
      entryBarIndex: n[o + ENTRY_BAR]!,
      exitBarIndex: n[o + EXIT_BAR]!,
      grossPnl: n[o + GROSS_PNL]!,
      commission: n[o + COMMISSION]!,
      slippageCost: n[o + SLIPPAGE]!,
      pnl: n[o + PNL]!,
      returnPct: n[o + RETURN_PCT]!,
      initialRisk: (flags & NULL_INITIAL_RISK) === 0 ? n[o + INITIAL_RISK]! : null,
      rMultiple: (flags & NULL_R_MULTIPLE) === 0 ? n[o + R_MULTIPLE]! : null,
      exitReason: this.#reasons[k]!,
      barsHeld: n[o + BARS_HELD]!,
    };
  }

  #grow(): void {
    const capacity = Math.max(64, this.#flags.length * 2);
    const numbers = new Float64Array(capacity * STRIDE);
    numbers.set(this.#numbers);
    const flags = new Uint8Array(capacity);
    flags.set(this.#flags);
    this.#numbers = numbers;
    this.#flags = flags;
  }
}
