import {
  executesAt,
  executesAtClose,
  executesAtOpen,
  firstMoveDown,
  pathDistance,
  ratchetTrail,
  reachedGoingDown,
  touches,
  type BarPrices,
  type BarSeries,
  type BookPosition,
  type IntrabarPolicy,
} from '@algo-trading/core';
import type { MarketSymbol } from './market';
import { Tif, Where, type OrderState, type WhereCode } from './order-state';

const MS_PER_DAY = 86_400_000;

/** End of the UTC calendar day containing `time`, epoch ms. */
export function utcDayEnd(time: number): number {
  return (Math.floor(time / MS_PER_DAY) + 1) * MS_PER_DAY;
}

/**
 * One symbol of a run: its bars, its live orders (in submission order) and its position. A run
 * over one series has one; a multi-symbol run has one per symbol and walks them slice by slice.
 */
export class Instrument {
  /** Live orders, in submission order. */
  readonly active: OrderState[] = [];
  /** The open position (the ledger's object), or undefined. */
  position: BookPosition | undefined = undefined;
  /** Units filled in the bar `volumeBar` (volume participation). */
  filledInBar = 0;
  volumeBar = -1;
  /**
   * The symbol's last refusal (its record in the run's rejection log, -1 none) and whether it came
   * from a signal: a signal refused again on the symbol's next bar for the same reasons is counted
   * into it (per symbol, so that other symbols' refusals in between do not break the run of
   * repeats).
   */
  lastRejection = -1;
  lastRejectedFromSignal = false;
  /** Signals mode: the previous bar's signal and the pending signal entry. */
  previousSignal = 0;
  pendingEntry: OrderState | null = null;
  /** The current bar's prices, written once per bar the order book matches (see core `BarPrices`). */
  readonly bar = { open: Number.NaN, high: Number.NaN, low: Number.NaN, close: Number.NaN, index: -1 };

  /** Signed units held at the end of each time slice (the per-symbol position column). */
  readonly positions: Float64Array;
  /** 1 where the symbol has a bar in the slice; null when it has one in every slice. */
  readonly present: Uint8Array | null;
  /** Slices of the symbol's first and last bar. */
  readonly first: number;
  readonly last: number;

  constructor(
    readonly slot: number,
    readonly symbol: string,
    /** One bar per time slice (see `MarketSymbol.aligned`). */
    readonly series: BarSeries,
    /** Quoted spreads aligned with the slices (NaN = none), or null. */
    readonly spreads: Float64Array | null,
    /** The symbol on the run's time slices. */
    readonly market: MarketSymbol,
    /** The position column to fill, one value per slice (its previous values are overwritten). */
    positions: Float64Array = new Float64Array(series.length),
  ) {
    this.positions = positions;
    this.present = market.present;
    this.first = market.first;
    this.last = market.last;
  }

  /** Whether the symbol has a bar in slice `i`. */
  has(i: number): boolean {
    const present = this.present;
    return present === null || present[i] === 1;
  }

  /** 1 long, -1 short, 0 flat. */
  get direction(): 1 | 0 | -1 {
    const p = this.position;
    return p === undefined ? 0 : p.direction;
  }

  /** Signed units held. */
  get signedQuantity(): number {
    const p = this.position;
    return p === undefined ? 0 : p.direction * p.quantity;
  }
}

/** What the order book asks of the engine when an order executes or ends. */
export interface OrderExecutor {
  /** Executes `order` at `reference` (before slippage) in the current bar. */
  execute(inst: Instrument, order: OrderState, reference: number, where: WhereCode): void;
  /** Ends a live order: cancelled or expired, with the reason. */
  end(order: OrderState, status: 'cancelled' | 'expired', message: string): void;
}

/**
 * The matching of resting orders from OHLC bars (docs/trading-rules.md, "Matching"): one code
 * path for user orders, bracket children and the risk manager's protective orders. Per bar of an
 * instrument: expiry of `day` orders, the open (every order the open executes, exits first by
 * default), the intrabar path (touched levels in the order the assumed path reaches them), then
 * the bar's end (trailing stops ratchet, time stops activate, `{ bars: n }` orders expire). The
 * rules of one level against one bar are core's matching functions.
 */
export class OrderBook {
  constructor(
    private readonly executor: OrderExecutor,
    private readonly policy: IntrabarPolicy,
    private readonly exitsFirst: boolean,
  ) {}

  /** Whether `order` reduces `inst`'s position (an exit for `orderSequence: 'exits_first'`). */
  static isExit(inst: Instrument, order: OrderState): boolean {
    if (order.reduceOnly) return true;
    const direction = inst.direction;
    return direction !== 0 && order.direction !== direction;
  }

  /** Writes bar `i`'s prices into `inst.bar`. */
  static loadBar(inst: Instrument, i: number): BarPrices {
    const bar = inst.bar;
    if (bar.index !== i) {
      const s = inst.series;
      bar.open = s.open[i]!;
      bar.high = s.high[i]!;
      bar.low = s.low[i]!;
      bar.close = s.close[i]!;
      bar.index = i;
    }
    return bar;
  }

  /**
   * Matches `inst`'s live orders through bar `i`. `fromGroup` 2 skips the exits at the open (the
   * `exits_first` groups 0 and 1), already executed by {@link openExits} for every symbol of the
   * time slice.
   */
  matchBar(inst: Instrument, i: number, fromGroup = 0): void {
    const list = inst.active;
    OrderBook.loadBar(inst, i);
    this.#expireDayOrders(inst, i);
    if (list.length > 0) this.#atOpen(inst, i, fromGroup);
    if (list.length > 0) this.#intrabar(inst, i);
    if (list.length > 0) this.#barEnd(inst, i);
  }

  /**
   * The exits at bar `i`'s open of `inst` (the `exits_first` groups 0 and 1): in a multi-symbol
   * slice every symbol's exits fill before any symbol's entries, so the cash they free is there
   * for the entries. {@link matchBar} with `fromGroup` 2 then does the rest of the bar.
   */
  openExits(inst: Instrument, i: number): void {
    OrderBook.loadBar(inst, i);
    this.#expireDayOrders(inst, i);
    if (inst.active.length > 0 && this.#openLook(inst, i)) this.#sequence(inst, i, Where.OPEN, 0, 2);
  }

  /**
   * The exits among the orders placed at bar `i`'s close with `fillAt: 'close'` (the `exits_first`
   * groups 0 and 1), for every symbol of a slice before any entry; {@link closeLook} with
   * `fromGroup` 2 does the rest.
   */
  closeExits(inst: Instrument, i: number): void {
    OrderBook.loadBar(inst, i);
    this.#sequence(inst, i, Where.CLOSE, 0, 2);
  }

  #expireDayOrders(inst: Instrument, i: number): void {
    const list = inst.active;
    const time = inst.series.time[i]!;
    for (let k = 0; k < list.length; ) {
      const o = list[k]!;
      if (o.tif === Tif.DAY && time >= o.dayEnd) this.executor.end(o, 'expired', 'day order: its trading day ended');
      else k++;
    }
  }

  /**
   * The first look of orders placed at bar `i`'s close with `fillAt: 'close'`: each executes at the
   * close when the close satisfies it (market orders always), else it rests from the next bar.
   */
  closeLook(inst: Instrument, i: number, fromGroup = 0): void {
    const list = inst.active;
    OrderBook.loadBar(inst, i);
    this.#sequence(inst, i, Where.CLOSE, fromGroup, 4);
    for (let k = 0; k < list.length; ) {
      const o = list[k]!;
      if (o.closeLook && o.createdBar === i) {
        o.closeLook = false;
        o.looked = true;
        if (o.tif === Tif.DAY) o.dayEnd = utcDayEnd(inst.series.time[i]!);
        if (o.tif === Tif.IOC) {
          this.executor.end(o, 'cancelled', 'immediate-or-cancel: not filled at its first price');
          continue;
        }
      }
      k++;
    }
  }

  /**
   * Whether `order` executes at `price` (an open or a close). A stop-limit that `price` triggers
   * becomes a limit (from then on) and executes only when `price` is within its limit.
   */
  static executesAtLook(order: OrderState, price: number): boolean {
    if (order.type === 'market') return true;
    if (order.type === 'stop_limit' && !order.triggered) {
      if (!executesAt(order, price)) return false;
      order.triggered = true;
      order.refreshLevel();
    }
    return executesAt(order, price);
  }

  /**
   * Marks the orders live at bar `i`'s open as looked at (a `day` order's day starts) and tells
   * whether the open executes any of them. Bit 1: some order executes; bit 2: an IOC is live.
   */
  #openLook(inst: Instrument, i: number): number {
    const list = inst.active;
    const bar = inst.bar;
    // Most bars execute nothing at the open: one scan decides whether the sequence is needed.
    let any = 0;
    let ioc = 0;
    for (let k = 0; k < list.length; k++) {
      const o = list[k]!;
      if (o.liveFrom > i || !o.active) continue;
      if (!o.looked) {
        o.looked = true;
        if (o.tif === Tif.DAY) o.dayEnd = utcDayEnd(inst.series.time[i]!);
      }
      if (o.tif === Tif.IOC) ioc = 2;
      if (any === 0 && (o.type === 'market' || executesAtOpen(o, bar))) any = 1;
    }
    return any | ioc;
  }

  #atOpen(inst: Instrument, i: number, fromGroup: number): void {
    const list = inst.active;
    const look = this.#openLook(inst, i);
    if ((look & 1) !== 0) this.#sequence(inst, i, Where.OPEN, fromGroup, 4);
    if ((look & 2) === 0) return;
    for (let k = 0; k < list.length; ) {
      const o = list[k]!;
      if (o.tif === Tif.IOC && o.liveFrom <= i) this.executor.end(o, 'cancelled', 'immediate-or-cancel: not filled at its first price');
      else k++;
    }
  }



  /**
   * Executes, at `price` (the open or the close), every order of that look that `price`
   * executes. With `exits_first`: the market orders that reduce a position, then the resting
   * exits `price` triggers (a stop gapped through), then the market entries, then the resting
   * entries; with `submission`, in submission order only. Within a group, in submission order.
   * After each execution the scan restarts: a fill can cancel orders (OCO, reduce-only) and add
   * children. `fromGroup` and `toGroup` bound the groups (see {@link openExits}).
   */
  #sequence(inst: Instrument, i: number, where: WhereCode, fromGroup = 0, toGroup = 4): void {
    const list = inst.active;
    const atOpen = where === Where.OPEN;
    const price = atOpen ? inst.bar.open : inst.bar.close;
    const groups = this.exitsFirst ? toGroup : fromGroup === 0 ? 1 : 0;
    for (let group = this.exitsFirst ? fromGroup : 0; group < groups; group++) {
      let k = 0;
      while (k < list.length) {
        const o = list[k]!;
        const eligible = atOpen ? o.liveFrom <= i && o.active : o.closeLook && o.createdBar === i;
        if (o.doneInBar !== i && eligible && (!this.exitsFirst || OrderBook.#group(inst, o) === group)) {
          if (atOpen ? o.type === 'market' || executesAtOpen(o, inst.bar) : o.type === 'market' || executesAtClose(o, inst.bar)) {
            if (OrderBook.executesAtLook(o, price)) {
              o.doneInBar = i;
              this.executor.execute(inst, o, price, where);
              k = 0;
              continue;
            }
          }
        }
        k++;
      }
    }
  }

  /** The `exits_first` group of an order: 0 market exits, 1 resting exits, 2 market entries, 3 resting entries. */
  static #group(inst: Instrument, o: OrderState): number {
    return (OrderBook.isExit(inst, o) ? 0 : 2) + (o.type === 'market' ? 0 : 1);
  }

  /** Whether `o` is matched along bar `i`'s intrabar path. */
  static #onPath(o: OrderState, i: number): boolean {
    return o.pathFrom <= i && o.doneInBar !== i && o.type !== 'market' && o.active;
  }

  #intrabar(inst: Instrument, i: number): void {
    const list = inst.active;
    const bar = inst.bar;
    // The touched levels nearest to the open on each side (the first move of nearest_first).
    let below = Number.NaN;
    let above = Number.NaN;
    let touched = false;
    for (let k = 0; k < list.length; k++) {
      const o = list[k]!;
      if (!OrderBook.#onPath(o, i) || !touches(o, bar)) continue;
      touched = true;
      const level = o.level;
      if (reachedGoingDown(o.kind, o.direction)) {
        if (!(below >= level)) below = level;
      } else if (!(above <= level)) above = level;
    }
    if (!touched) return;
    const firstDown = firstMoveDown(this.policy, inst.direction, bar.open, below, above);
    let reached = Number.NEGATIVE_INFINITY;
    for (;;) {
      let best: OrderState | null = null;
      let bestDistance = Number.POSITIVE_INFINITY;
      let bestExit = false;
      for (let k = 0; k < list.length; k++) {
        const o = list[k]!;
        if (!OrderBook.#onPath(o, i) || !touches(o, bar)) continue;
        const distance = pathDistance(o, bar, firstDown);
        if (distance < reached) continue;
        const exit = this.exitsFirst && OrderBook.isExit(inst, o);
        if (distance < bestDistance || (distance === bestDistance && exit && !bestExit)) {
          best = o;
          bestDistance = distance;
          bestExit = exit;
        }
      }
      if (best === null) return;
      reached = bestDistance;
      best.doneInBar = i;
      const reference = best.level;
      // A stop-limit reached at its stop becomes a limit at or beyond the stop: marketable, it
      // fills at the stop; once triggered (at an earlier open) it fills at its limit.
      if (best.type === 'stop_limit' && !best.triggered) {
        best.triggered = true;
        best.refreshLevel();
      }
      this.executor.execute(inst, best, reference, Where.INTRABAR);
    }
  }

  #barEnd(inst: Instrument, i: number): void {
    const list = inst.active;
    const series = inst.series;
    const time = series.time[i]!;
    for (let k = 0; k < list.length; ) {
      const o = list[k]!;
      if (o.type === 'trailing_stop') {
        // The best price seen while live: the bar's extreme when live along its whole path, the
        // close when placed inside the bar (the path after the placement is unknown).
        const whole = o.pathFrom <= i;
        if (whole || o.createdBar === i) {
          ratchetTrail(o, inst.bar, whole);
          o.refreshLevel();
        }
      }
      if (!o.active && time >= o.activeFrom) {
        o.active = true;
        if (o.liveFrom <= i) o.liveFrom = i + 1;
      }
      if (o.tif === Tif.BARS && i >= o.lastBar) {
        this.executor.end(o, 'expired', `its ${o.lastBar - o.submittedBar} bars ended`);
        continue;
      }
      k++;
    }
  }
}
