import {
  AlgoTradingError,
  IntrabarHit,
  affordableQuantity,
  describeValue,
  floorToStep,
  isAlgoTradingError,
  resolveIntrabarExit,
  type BarSeries,
  type ExitReason,
  type IntrabarExitOut,
  type IntrabarPolicy,
  type PositionSizer,
  type RiskGate,
  type Side,
} from '@algo-trading/core';
import { BoundedBarsView } from './bars-view';
import { invalidDecision } from './inputs';
import { newMutableFill } from './fill-log';
import { Ledger, type OpenPosition } from './ledger';
import type { FillAt } from './options';
import type { PositionView, Rejection, RejectionReason, Strategy, StrategyContext } from './types';

/**
 * An error thrown by a strategy's `onBar`, wrapped with the bar it failed on: the same code for an
 * `AlgoTradingError`, `INVALID_CONFIG` for anything else (a bug in the strategy: TypeError, ...),
 * the original as `cause`.
 */
function strategyFailure(error: unknown, i: number, time: number): AlgoTradingError {
  const why = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  const when = Number.isFinite(time) ? ` (${new Date(time).toISOString()})` : '';
  return new AlgoTradingError(isAlgoTradingError(error) ? error.code : 'INVALID_CONFIG', `strategy.onBar failed at bar ${i}${when}: ${why}`, {
    cause: error,
    details: { field: 'strategy', index: i },
  });
}

/** The settings one simulation reads (validated engine options). */
export interface SimulationConfig {
  readonly initialCapital: number;
  readonly commissionPct: number;
  readonly slippageBps: number;
  readonly fillAt: FillAt;
  readonly allowShort: boolean;
  readonly lotSize: number;
  readonly closeAtEnd: boolean;
  readonly intrabarPolicy: IntrabarPolicy;
  readonly riskManager: RiskGate | undefined;
  readonly positionSizer: PositionSizer | undefined;
}

/** Where the per-bar decisions come from: validated arrays, or a strategy callback. */
export type DecisionSource =
  | {
      readonly kind: 'signals';
      readonly signals: Int8Array;
      readonly confidences: Float64Array | null;
      readonly stopLosses: Float64Array | null;
      readonly takeProfits: Float64Array | null;
    }
  | { readonly kind: 'strategy'; readonly strategy: Strategy };

/** The smallest value of `values` (Infinity when empty). */
function minimum(values: Float64Array): number {
  let min = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
  }
  return min;
}

/** Exit reasons a market order at the next open can carry, by priority (higher wins). */
function exitPriority(reason: ExitReason): number {
  return reason === 'emergency' ? 3 : reason === 'time_stop' ? 2 : 1;
}

/** Writes the levels (NaN = none, as null) into the reused `out` and returns it. */
function levelsOf(
  out: { stopLoss: number | null; takeProfit: number | null },
  stopLoss: number,
  takeProfit: number,
): { stopLoss: number | null; takeProfit: number | null } {
  out.stopLoss = stopLoss === stopLoss ? stopLoss : null;
  out.takeProfit = takeProfit === takeProfit ? takeProfit : null;
  return out;
}

class MutablePositionView implements PositionView {
  side: Side | null = null;
  quantity = 0;
  entryPrice = 0;
  entryTime = 0;
  entryBarIndex = -1;
}

class MutableContext implements StrategyContext {
  index = -1;
  time = 0;
  cash = 0;
  equity = 0;
  constructor(
    readonly symbol: string,
    readonly bars: BoundedBarsView,
    readonly position: MutablePositionView,
  ) {}
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableRejection = Mutable<Rejection>;

function sameCodes(a: readonly RejectionReason[], b: readonly RejectionReason[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k]!.code !== b[k]!.code) return false;
  return true;
}

// Reasons without numbers are shared (frozen), so a rejection costs one small object: a
// sustained signal that cannot be filled is rejected on every bar.
function reasons(code: RejectionReason['code'], message: string): readonly RejectionReason[] {
  return Object.freeze([Object.freeze({ code, message })]);
}
const NO_SHORT = reasons('no_short', 'short selling is disabled (allowShort: false): a -1 signal while flat opens nothing');
const HALTED = reasons('halted', 'the risk manager allows no new risk (risk multiplier 0: emergency zone or kill switch)');
const NO_CASH = reasons('cash', 'the cash does not cover one lot at the fill price plus commission');
const BELOW_LOT = reasons('lot', 'the sized quantity is below one lot');

/**
 * One backtest run over one symbol's bars: the event loop, the order logic and the records.
 * The loop allocates nothing per bar; objects are created only for fills, trades and rejections.
 */
export class Simulation {
  readonly ledger: Ledger;
  readonly rejections: Rejection[] = [];
  /** Rejected entry orders, counting each bar of a coalesced record. */
  rejectedOrders = 0;
  readonly equity: Float64Array;
  /** Bars that ended with an open position. */
  exposedBars = 0;
  /** Lowest equity recorded (negative only after a short ruined the account). */
  minEquity = Infinity;

  readonly #config: SimulationConfig;
  readonly #series: BarSeries;
  readonly #symbol: string;
  readonly #slip: number;
  readonly #rm: RiskGate | null;
  readonly #sizer: PositionSizer | null;
  readonly #scratch: IntrabarExitOut = { price: 0 };
  /** The fill handed to the risk gate, overwritten for each fill (RiskGate.onFill keeps no reference). */
  readonly #gateFill = newMutableFill();
  readonly #gateLevels: { stopLoss: number | null; takeProfit: number | null } = { stopLoss: null, takeProfit: null };

  #pos: OpenPosition | null = null;
  #lastRejection: MutableRejection | null = null;
  #pendingExit: ExitReason | null = null;
  #pendingEntry: 0 | 1 | -1 = 0;
  #pendingConfidence = NaN;
  #pendingStop = NaN;
  #pendingTarget = NaN;
  #previousSignal = 0;
  // Confidence and levels of the decision being executed (NaN = none).
  #confidence = NaN;
  #stop = NaN;
  #target = NaN;

  constructor(config: SimulationConfig, series: BarSeries, symbol: string) {
    this.#config = config;
    this.#series = series;
    this.#symbol = symbol;
    this.#slip = config.slippageBps / 10_000;
    this.#rm = config.riskManager ?? null;
    this.#sizer = config.positionSizer ?? null;
    this.ledger = new Ledger(config.initialCapital);
    const n = series.length;
    this.equity = new Float64Array(n);
  }

  /** Cash after each bar's fills (the float mirror), rebuilt from the fills. */
  cashCurve(): Float64Array {
    return this.ledger.fillLog.cashCurve(this.equity.length, this.#config.initialCapital);
  }

  /** (peak - equity) / peak per bar, the initial capital counting as the first peak. */
  drawdownCurve(): Float64Array {
    const equity = this.equity;
    const out = new Float64Array(equity.length);
    let peak = this.#config.initialCapital;
    for (let i = 0; i < equity.length; i++) {
      const e = equity[i]!;
      if (e > peak) peak = e;
      out[i] = (peak - e) / peak;
    }
    return out;
  }

  /** The open position, or null. */
  get position(): OpenPosition | null {
    return this.#pos;
  }

  /** Runs every bar. */
  run(source: DecisionSource): void {
    // The loop returns its counters instead of storing fields after it: code after an OSR'd
    // loop has no type feedback, and a store there would deoptimize the loop's code every call.
    this.exposedBars = this.#loop(source);
    this.minEquity = minimum(this.equity);
  }

  /** The event loop over every bar; returns the number of bars that ended with a position. */
  #loop(source: DecisionSource): number {
    const series = this.#series;
    const { time, open, high, low, close } = series;
    const n = series.length;
    const last = n - 1;
    const rm = this.#rm;
    const symbol = this.#symbol;
    const policy = this.#config.intrabarPolicy;
    const fillAtClose = this.#config.fillAt === 'close';
    const closeAtEnd = this.#config.closeAtEnd;
    const ledger = this.ledger;
    const equityOut = this.equity;
    const scratch = this.#scratch;

    const signals = source.kind === 'signals' ? source.signals : null;
    const confidences = source.kind === 'signals' ? source.confidences : null;
    const stopLosses = source.kind === 'signals' ? source.stopLosses : null;
    const takeProfits = source.kind === 'signals' ? source.takeProfits : null;
    const strategy = source.kind === 'strategy' ? source.strategy : null;
    let ctx: MutableContext | null = null;
    if (strategy !== null) {
      ctx = new MutableContext(symbol, new BoundedBarsView(series), new MutablePositionView());
      strategy.onStart?.({ symbol });
    }

    // One mark per bar: the gate reserves its per-period history once (no growth by doubling).
    rm?.reset({ initialCapital: this.#config.initialCapital, time: n > 0 ? time[0]! : 0, expectedPeriods: n });
    // The index fast paths of the risk gate (when it has them): one index instead of five boxed
    // prices per call.
    const checkExitAt = rm !== null && typeof rm.checkExitAt === 'function';
    const markAt = rm !== null && typeof rm.markAt === 'function';
    let exposedBars = 0;

    for (let i = 0; i < n; i++) {
      // Prices reach out-of-line calls as the bar index only (a double argument is boxed, and
      // the box is made on every bar when the double has boxed uses on several paths).
      const c = close[i]!;

      // (1) Market orders decided at the previous bar fill at this open.
      const pendingExit = this.#pendingExit;
      if (pendingExit !== null) {
        this.#pendingExit = null;
        if (this.#pos !== null) this.#exit(pendingExit, open[i]!, i);
      }
      const pendingEntry = this.#pendingEntry;
      if (pendingEntry !== 0) {
        this.#pendingEntry = 0;
        if (this.#pos !== null) {
          // An entry is only queued when flat or together with the exit of the position.
          throw new AlgoTradingError('INVARIANT_VIOLATION', `an entry order at bar ${i} found a position still open`, {
            details: { field: 'position', index: i, value: this.#pos.quantity },
          });
        }
        this.#enter(pendingEntry, false, i);
      }

      // (2) Resting exits inside the bar.
      const pos = this.#pos;
      if (pos !== null) {
        if (rm !== null) {
          const reason = checkExitAt ? rm.checkExitAt!(symbol, series, i) : this.#checkExit(rm, i);
          if (reason !== null) {
            if (reason === 'time_stop') this.#queueExit('time_stop');
            else this.#exit(reason, rm.lastExitPrice, i);
          }
        } else if (pos.stopLoss === pos.stopLoss || pos.takeProfit === pos.takeProfit) {
          const hit = resolveIntrabarExit(pos.direction, open[i]!, high[i]!, low[i]!, pos.stopLoss, pos.takeProfit, policy, scratch);
          if (hit !== IntrabarHit.NONE) this.#exit(hit === IntrabarHit.STOP ? 'hard_stop' : 'take_profit', scratch.price, i);
        }
      }

      // (3) The decision of this bar, from data up to its close. A signal in the direction of
      // the position (or 0) changes nothing, so only the others reach the order logic.
      let signal: -1 | 0 | 1;
      if (signals !== null) {
        signal = signals[i] as -1 | 0 | 1;
        if (signal !== 0 && this.#pos?.direction !== signal) {
          this.#confidence = confidences === null ? NaN : confidences[i]!;
          this.#stop = stopLosses === null ? NaN : stopLosses[i]!;
          this.#target = takeProfits === null ? NaN : takeProfits[i]!;
          this.#decide(signal, i, fillAtClose, closeAtEnd && i === last);
        }
      } else {
        signal = this.#askStrategy(strategy!, ctx!, i);
        if (signal !== 0) this.#decide(signal, i, fillAtClose, closeAtEnd && i === last);
      }
      this.#previousSignal = signal;

      if (closeAtEnd && i === last && this.#pos !== null) this.#exitAtClose('end_of_data', i);

      // Ruin: a short can lose more than the account. At equity <= 0 it is bought back at this
      // close; the cash left (<= 0) then refuses every new entry.
      const held = this.#pos;
      if (held !== null && held.direction === -1 && ledger.cashFloat - held.quantity * c <= 0) {
        this.#exitAtClose('emergency', i);
      }

      // (4) The risk gate marks the book at the close; the kill switch flattens at the next open.
      if (rm !== null) {
        const action = markAt ? rm.markAt!(symbol, series, i, this.#pos !== null) : this.#mark(rm, i);
        if (action === 'flatten' && this.#pos !== null) this.#queueExit('emergency');
      }

      // (5) Record the bar (its cash and drawdown are derived on demand: cashCurve, drawdownCurve).
      const p = this.#pos;
      let equity = ledger.cashFloat;
      if (p !== null) {
        equity += p.direction * p.quantity * c;
        exposedBars++;
      }
      equityOut[i] = equity;
    }
    return exposedBars;
  }

  /** The risk gate's exit check of bar `i` without its index fast path. */
  #checkExit(rm: RiskGate, i: number): ExitReason | null {
    const s = this.#series;
    return rm.checkExit(this.#symbol, s.open[i]!, s.high[i]!, s.low[i]!, s.close[i]!, s.time[i]!);
  }

  /** The risk gate's mark of bar `i` without its index fast path. */
  #mark(rm: RiskGate, i: number): 'none' | 'flatten' {
    if (this.#pos !== null) rm.updatePrice(this.#symbol, this.#series.close[i]!);
    return rm.markToMarket(this.#series.time[i]!);
  }

  #queueExit(reason: ExitReason): void {
    const current = this.#pendingExit;
    if (current === null || exitPriority(reason) > exitPriority(current)) this.#pendingExit = reason;
  }

  /** Calls the strategy for bar `i`; returns its signal and keeps its confidence and levels. */
  #askStrategy(strategy: Strategy, ctx: MutableContext, i: number): -1 | 0 | 1 {
    const t = this.#series.time[i]!;
    const c = this.#series.close[i]!;
    const pos = this.#pos;
    const view = ctx.position;
    if (pos === null) {
      view.side = null;
      view.quantity = 0;
      view.entryPrice = 0;
      view.entryTime = 0;
      view.entryBarIndex = -1;
    } else {
      view.side = pos.direction === 1 ? 'long' : 'short';
      view.quantity = pos.quantity;
      view.entryPrice = pos.entryPrice;
      view.entryTime = pos.entryTime;
      view.entryBarIndex = pos.entryBarIndex;
    }
    ctx.bars.current = i;
    ctx.index = i;
    ctx.time = t;
    ctx.cash = this.ledger.cashFloat;
    ctx.equity = pos === null ? ctx.cash : ctx.cash + pos.direction * pos.quantity * c;
    let decision: ReturnType<Strategy['onBar']>;
    try {
      decision = strategy.onBar(ctx);
    } catch (error) {
      throw strategyFailure(error, i, t);
    }
    let signal: unknown;
    let confidence: unknown = undefined;
    let stop: unknown = undefined;
    let target: unknown = undefined;
    if (decision === undefined || decision === null) signal = 0;
    else if (typeof decision === 'number') signal = decision;
    else if (typeof decision === 'object') {
      if (typeof (decision as { then?: unknown }).then === 'function') {
        invalidDecision('signal', i, decision, 'must be returned synchronously (onBar returned a Promise)');
      }
      signal = decision.signal;
      confidence = decision.confidence;
      stop = decision.stopLoss;
      target = decision.takeProfit;
    } else signal = decision;
    if (signal !== 1 && signal !== 0 && signal !== -1) invalidDecision('signal', i, signal, 'must be -1, 0 or 1');
    if (confidence === undefined) this.#confidence = NaN;
    else if (typeof confidence === 'number' && (Number.isNaN(confidence) || (confidence >= 0 && confidence <= 1))) {
      this.#confidence = confidence;
    } else invalidDecision('confidence', i, confidence, 'must be a number in [0, 1] (or NaN for none)');
    this.#stop = this.#level('stopLoss', stop, i);
    this.#target = this.#level('takeProfit', target, i);
    return signal;
  }

  #level(field: string, value: unknown, i: number): number {
    if (value === undefined) return NaN;
    if (typeof value === 'number' && (Number.isNaN(value) || (Number.isFinite(value) && value > 0))) return value;
    return invalidDecision(field, i, value, 'must be a finite price greater than 0 (or NaN for none)');
  }

  /** Applies the signal rules (docs/trading-rules.md, section 1) to the position after this bar's stops. */
  #decide(signal: -1 | 1, i: number, fillAtClose: boolean, lastBarClosing: boolean): void {
    const direction = this.#pos === null ? 0 : this.#pos.direction;
    let exit = false;
    let entry: 0 | 1 | -1 = 0;
    if (signal === 1) {
      if (direction === -1) {
        exit = true;
        entry = 1;
      } else if (direction === 0) entry = 1;
    } else if (direction === 1) {
      exit = true;
      if (this.#config.allowShort) entry = -1;
    } else if (direction === 0 && (this.#config.allowShort || this.#previousSignal !== -1)) {
      // Without short selling, only a fresh -1 is recorded (as a `no_short` rejection), once.
      entry = -1;
    }
    if (!exit && entry === 0) return;
    if (fillAtClose) {
      if (exit) this.#exitAtClose('signal', i);
      if (entry !== 0 && !lastBarClosing) this.#enter(entry, true, i);
      return;
    }
    if (exit) this.#queueExit('signal');
    if (entry !== 0) {
      this.#pendingEntry = entry;
      this.#pendingConfidence = this.#confidence;
      this.#pendingStop = this.#stop;
      this.#pendingTarget = this.#target;
    }
  }

  /**
   * Records a rejected entry. A sustained signal re-submits its order every bar; a rejection of
   * the same side for the same reasons on the very next bar extends the previous record
   * (`count`, `lastBarIndex`, `lastTime`) instead of adding one.
   */
  #reject(i: number, t: number, side: Side, quantity: number, price: number, reasons: readonly RejectionReason[]): void {
    this.rejectedOrders++;
    const previous = this.#lastRejection;
    if (previous !== null && previous.lastBarIndex === i - 1 && previous.side === side && sameCodes(previous.reasons, reasons)) {
      previous.count++;
      previous.lastBarIndex = i;
      previous.lastTime = t;
      return;
    }
    const record: MutableRejection = {
      time: t,
      barIndex: i,
      symbol: this.#symbol,
      side,
      quantity,
      price,
      reasons,
      count: 1,
      lastBarIndex: i,
      lastTime: t,
    };
    this.#lastRejection = record;
    this.rejections.push(record);
  }

  /**
   * Sizes, checks and fills an entry at bar `i`'s open (the queued decision's confidence and
   * levels), or its close when `atClose` (this bar's decision). They are read from the fields
   * here, not passed: a double argument is boxed on every call.
   */
  #enter(direction: 1 | -1, atClose: boolean, i: number): void {
    const confidence = atClose ? this.#confidence : this.#pendingConfidence;
    const stop = atClose ? this.#stop : this.#pendingStop;
    const target = atClose ? this.#target : this.#pendingTarget;
    const ref = atClose ? this.#series.close[i]! : this.#series.open[i]!;
    const t = this.#series.time[i]!;
    const config = this.#config;
    const side: Side = direction === 1 ? 'long' : 'short';
    const price = direction === 1 ? ref * (1 + this.#slip) : ref * (1 - this.#slip);
    if (direction === -1 && !config.allowShort) {
      this.#reject(i, t, side, 0, price, NO_SHORT);
      return;
    }
    const rm = this.#rm;
    let stopLoss = NaN;
    let takeProfit = NaN;
    if (rm !== null) {
      const levels = rm.protectiveLevels(side, price);
      stopLoss = levels.stopLoss ?? NaN;
      takeProfit = levels.takeProfit ?? NaN;
    }
    if (stop === stop) stopLoss = stop;
    if (target === target) takeProfit = target;
    if (direction * (price - stopLoss) <= 0 || direction * (takeProfit - price) <= 0) {
      const which = direction * (price - stopLoss) <= 0 ? `stop-loss ${stopLoss}` : `take-profit ${takeProfit}`;
      this.#reject(i, t, side, 0, price, [
        {
          code: 'invalid_levels',
          message: `${which} is on the wrong side of the ${side} fill price ${price}`,
        },
      ]);
      return;
    }

    const ledger = this.ledger;
    const cash = ledger.cashFloat;
    // Flat in this symbol (no pyramiding); other symbols' positions would be marked here.
    const capital = cash;
    const multiplier = rm === null ? 1 : rm.getRiskMultiplier();
    const lot = config.lotSize;
    const commissionPct = config.commissionPct;
    if (!(multiplier > 0)) {
      this.#reject(i, t, side, 0, price, HALTED);
      return;
    }
    if (!(capital > 0)) {
      // No equity to size from (a short lost more than the account): the no-cash rejection of
      // all-in sizing, whether or not a sizer is set (a sizer would refuse a capital <= 0).
      this.#reject(i, t, side, 0, price, NO_CASH);
      return;
    }
    const hasConfidence = confidence === confidence;
    let quantity: number;
    if (this.#sizer !== null) {
      quantity = this.#size(this.#sizer, {
        capital,
        entryPrice: price,
        stopLossPrice: stopLoss === stopLoss ? stopLoss : undefined,
        side,
        confidence: hasConfidence ? confidence : undefined,
        riskMultiplier: multiplier,
        cash,
        commissionPct,
      }, i);
      quantity = floorToStep(quantity, lot);
    } else {
      quantity = affordableQuantity(capital * multiplier, price, commissionPct, lot);
    }
    if (quantity === 0) {
      // All-in sizing is a cash limit; a sizer's answer below one lot is a lot limit.
      this.#reject(i, t, side, 0, price, this.#sizer === null ? NO_CASH : BELOW_LOT);
      return;
    }
    const sized = quantity;
    // The cash cut, decided by the exact ledger: the cost of any smaller quantity fits as well.
    const affordable = ledger.affordableQuantity(price, commissionPct, lot);
    if (affordable < quantity) quantity = affordable;
    if (quantity === 0) {
      this.#reject(i, t, side, sized, price, NO_CASH);
      return;
    }
    const commission = price * quantity * commissionPct;
    if (rm !== null) {
      const validation = rm.validateTrade({
        symbol: this.#symbol,
        side,
        quantity,
        entryPrice: price,
        stopLoss: stopLoss === stopLoss ? stopLoss : undefined,
        takeProfit: takeProfit === takeProfit ? takeProfit : undefined,
        confidence: hasConfidence ? confidence : undefined,
        commission,
        time: t,
      });
      if (!validation.isValid) {
        this.#reject(i, t, side, quantity, price, validation.issues);
        return;
      }
    }
    const slippageCost = Math.abs(price - ref) * quantity;
    this.#pos = ledger.open(this.#symbol, direction, quantity, price, ref, commission, slippageCost, t, i, stopLoss, takeProfit);
    // The risk gate gets the fill in a reused object (its contract: keep no reference).
    rm?.onFill(ledger.fillLog.fillInto(ledger.fillLog.length - 1, this.#gateFill), levelsOf(this.#gateLevels, stopLoss, takeProfit));
  }

  /**
   * The sizer's quantity for bar `i`. A sizer that throws, or answers anything but a finite
   * number >= 0, stops the run with `INVALID_CONFIG` naming the sizer and the bar: a broken
   * sizer must not pass for a run of small-order rejections.
   */
  #size(sizer: PositionSizer, request: Parameters<PositionSizer['calculate']>[0], i: number): number {
    let result: unknown;
    try {
      result = sizer.calculate(request);
    } catch (error) {
      const why = isAlgoTradingError(error) || error instanceof Error ? error.message : String(error);
      throw new AlgoTradingError(
        'INVALID_CONFIG',
        `positionSizer ${sizer.method} failed at bar ${i}: ${why}` +
          (request.stopLossPrice === undefined ? ' (no stop-loss: give a riskManager or stopLosses)' : ''),
        { cause: error, details: { field: 'positionSizer', index: i, value: sizer.method } },
      );
    }
    const quantity = typeof result === 'object' && result !== null ? (result as { quantity?: unknown }).quantity : undefined;
    if (typeof quantity === 'number' && quantity >= 0 && quantity !== Infinity) return quantity;
    const got = typeof result === 'object' && result !== null ? `a quantity of ${describeValue(quantity)}` : describeValue(result);
    throw new AlgoTradingError(
      'INVALID_CONFIG',
      `positionSizer ${sizer.method} returned ${got} at bar ${i}: calculate() must return { quantity } with a finite number >= 0`,
      { details: { field: 'positionSizer', index: i, value: quantity, method: sizer.method } },
    );
  }

  /** Closes the whole open position at bar `i`'s close. */
  #exitAtClose(reason: ExitReason, i: number): void {
    this.#exit(reason, this.#series.close[i]!, i);
  }

  /** Closes the whole open position at reference price `ref` during bar `i`. */
  #exit(reason: ExitReason, ref: number, i: number): void {
    const t = this.#series.time[i]!;
    const pos = this.#pos!;
    const slip = this.#slip;
    const price = pos.direction === 1 ? ref * (1 - slip) : ref * (1 + slip);
    const quantity = pos.quantity;
    const ledger = this.ledger;
    ledger.close(pos.symbol, quantity, price, ref, price * quantity * this.#config.commissionPct, Math.abs(price - ref) * quantity, t, i, reason);
    this.#pos = null;
    this.#pendingExit = null;
    this.#rm?.onFill(ledger.fillLog.fillInto(ledger.fillLog.length - 1, this.#gateFill));
  }
}
