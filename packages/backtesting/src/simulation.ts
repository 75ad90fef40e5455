import {
  AlgoTradingError,
  PositionBook,
  affordableQuantity,
  describeValue,
  LevelKind,
  executesAt,
  exitReasonOfRole,
  floorToStep,
  isAlgoTradingError,
  ratchetTrail,
  roundToStep,
  ceilToStep,
  stopInForce,
  touches,
  trailGoverns,
  type CommissionContext,
  type CommissionModel,
  type ExitReason,
  type FinancingModel,
  type IntrabarPolicy,
  type OrderChanges,
  type OrderRequest,
  type OrderSide,
  type ParticipationContext,
  type ParticipationModel,
  type PortfolioView,
  type PositionInfo,
  type PositionSizer,
  type RiskGate,
  type Side,
  type SizingRequest,
  type SlippageContext,
  type SlippageModel,
  type TradeIssue,
} from '@algo-trading/core';
import { BoundedBarsView } from './bars-view';
import { FillLog } from './fill-log';
import { checkGrossWeight, checkTargetWeight, invalidDecision } from './inputs';
import type { InstrumentSpecs } from './instrument-specs';
import { perSymbolRecord, type Market } from './market';
import { Instrument, OrderBook, type OrderExecutor } from './order-book';
import { OrderLog } from './order-log';
import { RejectionLog } from './rejection-log';
import { OrderState, Where, orderSpec, removeAt, resetSpec, validateRequest, type OrderSpec, type RequestContext, type WhereCode } from './order-state';
import type { FillAt, OrderSequence, PassedLevels } from './options';
import type { OpenOrder, PositionView, RejectionReason, Strategy, StrategyContext } from './types';

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
  readonly fillAt: FillAt;
  readonly allowShort: boolean;
  readonly lotSize: number;
  readonly closeAtEnd: boolean;
  readonly intrabarPolicy: IntrabarPolicy;
  readonly riskManager: RiskGate | undefined;
  readonly positionSizer: PositionSizer | undefined;
  readonly slippage: SlippageModel;
  readonly commission: CommissionModel;
  /** The percent commission rate when the commission model is the percent one (sizing hint), else null. */
  readonly commissionPct: number | null;
  readonly volumeParticipation: ParticipationModel | null;
  readonly financing: FinancingModel | null;
  readonly maxLeverage: number;
  readonly passedLevels: PassedLevels;
  readonly orderSequence: OrderSequence;
  /** Each symbol's lot, tick, shortability, borrow rate and commission, by slot. */
  readonly specs: InstrumentSpecs;
}

/**
 * Where the per-bar decisions come from: validated arrays, one per symbol slot laid on the time
 * slices (null: none for that symbol), or a strategy callback.
 */
export type DecisionSource =
  | {
      readonly kind: 'signals';
      readonly signals: readonly (Int8Array | null)[];
      readonly confidences: readonly (Float64Array | null)[];
      readonly stopLosses: readonly (Float64Array | null)[];
      readonly takeProfits: readonly (Float64Array | null)[];
    }
  | {
      readonly kind: 'strategy';
      readonly strategy: Strategy;
      /** The thresholds of the rebalances of `ctx.setTargetWeights`. */
      readonly driftThreshold: number;
      readonly minTradeValue: number;
    }
  | TargetWeightsSource;

/**
 * Target weights: a schedule of rows (`time`, increasing), a weight column per symbol slot (null:
 * the symbol is not managed), and the rebalancing thresholds.
 */
export interface TargetWeightsSource {
  readonly kind: 'weights';
  readonly time: Float64Array;
  readonly weights: readonly (Float64Array | null)[];
  /** A symbol is traded only when |target weight - current weight| exceeds this. */
  readonly driftThreshold: number;
  /** A symbol is traded only when the trade's value (at the close) reaches this. */
  readonly minTradeValue: number;
}

/** The tag of the orders a target-weight rebalance places. */
export const REBALANCE_TAG = 'rebalance';

const MS_PER_DAY = 86_400_000;
// A fill quantity within this fraction of the order counts as the whole order (float noise of lot sums).
const QUANTITY_TOLERANCE = 1e-9;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function sameCodes(a: readonly RejectionReason[], b: readonly RejectionReason[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k]!.code !== b[k]!.code) return false;
  return true;
}

// Reasons without numbers are shared (frozen), so a refusal costs one small object: a sustained
// signal that cannot be filled is refused on every bar.
function reasons(code: RejectionReason['code'], message: string): readonly RejectionReason[] {
  return Object.freeze([Object.freeze({ code, message })]);
}
const HALTED = reasons('drawdown_halt', 'the risk manager allows no new risk (risk multiplier 0: emergency zone, kill switch or a risk scale of 0)');
const NO_CASH = reasons('cash', 'the cash does not cover one lot at the fill price plus commission');
const NO_CASH_FOR_ORDER = reasons('cash', "the cash (or the leverage limit) does not cover the order's quantity at the fill price plus commission");
const BELOW_LOT = reasons('lot', 'the sized quantity is below one lot');
const ORDER_BELOW_LOT = reasons('lot', "the order's quantity is below one lot");

/** The smallest value of `values` (Infinity when empty). */
function minimum(values: Float64Array): number {
  let min = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
  }
  return min;
}

/** The protective orders of one entry: levels (NaN = none) and the trail of the stop. */
interface Protection {
  readonly stop: number;
  readonly target: number;
  readonly trailPercent: number;
  readonly trailAmount: number;
  readonly activation: number;
  readonly timeStopAt: number;
}

const NO_PROTECTION: Protection = Object.freeze({
  stop: Number.NaN,
  target: Number.NaN,
  trailPercent: Number.NaN,
  trailAmount: Number.NaN,
  activation: Number.NaN,
  timeStopAt: Number.NaN,
});

/**
 * The levels of one decision (NaN: none), handed to the signal rules in one reused record: a
 * double passed to an out-of-line call is boxed, and a held signal reaches the rules on many bars.
 */
interface DecisionLevels {
  confidence: number;
  stop: number;
  target: number;
}

/** The engine's portfolio as the risk gate reads it: the ledger's numbers, refreshed before each call. */
class EnginePortfolio implements PortfolioView {
  time = 0;
  cash = 0;
  equity = 0;
  positionCount = 0;
  constructor(private readonly simulation: Simulation) {}
  position(symbol: string): PositionInfo | undefined {
    return this.simulation.positionInfo(symbol);
  }
  positions(): readonly PositionInfo[] {
    return this.simulation.positionInfos();
  }
}

class MutablePositionView implements PositionView {
  side: Side | null = null;
  quantity = 0;
  entryPrice = 0;
  entryTime = 0;
  entryBarIndex = -1;
}

function fillPositionView(view: MutablePositionView, inst: Instrument): MutablePositionView {
  const pos = inst.position;
  if (pos === undefined) {
    view.side = null;
    view.quantity = 0;
    view.entryPrice = 0;
    view.entryTime = 0;
    view.entryBarIndex = -1;
  } else {
    view.side = pos.side;
    view.quantity = pos.quantity;
    view.entryPrice = pos.entryPrice;
    view.entryTime = pos.entryTime;
    view.entryBarIndex = pos.entryBarIndex;
  }
  return view;
}

/** The strategy context: one object per run, refreshed before each `onBar`. */
class EngineContext implements StrategyContext {
  index = -1;
  time = 0;
  cash = 0;
  equity = 0;
  readonly symbols: readonly string[];
  readonly #views: BoundedBarsView[];
  readonly #positions: MutablePositionView[];
  constructor(
    readonly symbol: string,
    readonly bars: BoundedBarsView,
    readonly position: MutablePositionView,
    private readonly simulation: Simulation,
  ) {
    const instruments = simulation.instruments;
    this.symbols = instruments.map((inst) => inst.symbol);
    // A single series' view is `bars` itself; a symbol's own bars otherwise.
    this.#views = instruments.map((inst) => (instruments.length === 1 ? bars : new BoundedBarsView(inst.market.series)));
    this.#positions = instruments.map((_, k) => (k === 0 ? position : new MutablePositionView()));
  }
  #slot(symbol: string, method: string): number {
    const k = this.symbols.indexOf(symbol);
    if (k < 0) {
      throw new AlgoTradingError('INVALID_ARGUMENT', `ctx.${method}(${describeValue(symbol)}): unknown symbol (the run has ${this.symbols.join(', ')})`, {
        details: { field: `ctx.${method}`, value: symbol },
      });
    }
    return k;
  }
  barsOf(symbol: string): BoundedBarsView {
    const k = this.#slot(symbol, 'barsOf');
    const view = this.#views[k]!;
    const own = this.simulation.instruments[k]!.market.ownIndex;
    view.current = own === null ? this.index : own[this.index]!;
    return view;
  }
  positionOf(symbol: string): PositionView {
    const k = this.#slot(symbol, 'positionOf');
    return fillPositionView(this.#positions[k]!, this.simulation.instruments[k]!);
  }
  hasBar(symbol: string): boolean {
    return this.simulation.instruments[this.#slot(symbol, 'hasBar')]!.has(this.index);
  }
  get openOrders(): readonly OpenOrder[] {
    return this.simulation.openOrders();
  }
  submit(request: OrderRequest): number {
    return this.simulation.submit(request);
  }
  cancel(orderId: number): boolean {
    return this.simulation.cancel(orderId);
  }
  replace(orderId: number, changes: OrderChanges): number | null {
    return this.simulation.replace(orderId, changes);
  }
  setTargetWeights(weights: Readonly<Record<string, number>>): void {
    this.simulation.setTargetWeights(weights);
  }
}

const EMPTY_ORDERS: readonly OpenOrder[] = Object.freeze([]);

function nullIfNaN(value: number): number | null {
  return value === value ? value : null;
}

/** The stop level `ctx.openOrders` shows: a trailing stop's current level, else the stop price. */
function shownStop(o: OrderState): number {
  return o.type === 'trailing_stop' ? o.level : o.stopPrice;
}

/**
 * One backtest run: the loop over time slices, the order book, the fills and the records. A
 * single series is one instrument; the loop's phases run per instrument, so many symbols are the
 * N-instrument case of the same loop. Per slice (bar) `i`, in this order:
 *
 * 1. financing booked at the first bar of a new day (when a financing model is set);
 * 2. the order book: fills at the open (exits first by default), the resting orders along the
 *    intrabar path, then the bar's end (trailing stops ratchet, time stops activate, expiries);
 * 3. the mark at the close and the risk gate's update (zones, kill switch);
 * 4. the decisions (signals or the strategy), which become orders for the next open, or for this
 *    close with `fillAt: 'close'`; then `closeAtEnd` and the ruin check;
 * 5. the record of the bar's equity.
 *
 * The loop allocates nothing per bar; objects are created for orders, fills, trades and refusals.
 */
/**
 * The ledger and the logs of a run. The engine keeps one set and clears it at each run: a run of a
 * million bars writes tens of thousands of rows to each log, and growing fresh typed arrays by
 * doubling every run (their allocation and zeroing) cost more than the bookings themselves.
 */
export interface RunRecords {
  readonly book: PositionBook;
  readonly fills: FillLog;
  readonly orders: OrderLog;
  readonly rejections: RejectionLog;
  /**
   * Per-slice columns (equity, positions) of the previous run that no caller was given, for the
   * next run to overwrite: a fresh 8 MB column (1M slices) costs its page faults on first write,
   * about 40 ms per column on a VM that returns freed pages to its host, more than the loop.
   */
  readonly spareColumns: Float64Array[];
}

/** A fresh {@link RunRecords}. */
export function createRunRecords(initialCapital: number): RunRecords {
  return { book: new PositionBook(initialCapital), fills: new FillLog(), orders: new OrderLog(), rejections: new RejectionLog(), spareColumns: [] };
}

/** A column of `length` slices: a spare one of that length (old values: every slice is written by the run) or a new one. */
function takeColumn(spare: Float64Array[], length: number): Float64Array {
  for (let k = 0; k < spare.length; k++) {
    const column = spare[k]!;
    if (column.length === length) {
      spare[k] = spare[spare.length - 1]!;
      spare.pop();
      return column;
    }
  }
  return new Float64Array(length);
}

export class Simulation implements OrderExecutor {
  readonly book: PositionBook;
  readonly fills: FillLog;
  readonly orders: OrderLog;
  /** Refused orders, coalesced (see `Rejection`). */
  readonly rejections: RejectionLog;
  /** Refused orders, counting each bar of a coalesced record. */
  rejectedOrders = 0;
  readonly equity: Float64Array;
  /** The time slices (a single series' bar times). */
  readonly time: Float64Array;
  /** Bars that ended with an open position. */
  exposedBars = 0;
  /** Lowest equity recorded (negative only after a short ruined the account). */
  minEquity = Infinity;
  /** Financing bookings: bar and cash after, for the cash curve; totals for the results. */
  readonly financingBars: number[] = [];
  readonly financingCash: number[] = [];
  totalInterest = 0;
  totalBorrowFees = 0;

  readonly #config: SimulationConfig;
  readonly #instruments: Instrument[];
  readonly #symbols: readonly string[];
  readonly #orderBook: OrderBook;
  readonly #rm: RiskGate | null;
  readonly #sizer: PositionSizer | null;
  readonly #specs: InstrumentSpecs;
  readonly #longOnly: boolean;
  readonly #view: EnginePortfolio;
  /** What `ctx.submit` checks a request against (one record per run). */
  readonly #requestContext: RequestContext;
  /** The last `ctx.openOrders` snapshot (see {@link openOrders}). */
  #openOrders: readonly OpenOrder[] = EMPTY_ORDERS;
  /** The bar being simulated. */
  #bar = 0;
  /**
   * Finished orders, reused by the next orders (their rows are in the order log): a run makes
   * about as many orders as fills and protective children, and each new object would allocate
   * a box per numeric field; reuse cut the garbage collector's share of a 1M-bar run with the risk
   * manager (140k orders) markedly. Orders retired during a bar are reused from the next bar on,
   * so no frame of the bar still holds one.
   */
  readonly #spareOrders: OrderState[] = [];
  readonly #retiredOrders: OrderState[] = [];
  /** The spec of the next engine order (filled, then copied by the new order). */
  readonly #scratch: OrderSpec = orderSpec(0, '', 'buy', 'market', 'order');
  /** The protective levels of the entry being filled (filled by {@link #protection}). */
  readonly #protectionScratch: Mutable<Protection> = { ...NO_PROTECTION };
  /** The levels of the decision being applied (filled by the loop and {@link #askStrategy}). */
  readonly #levels: DecisionLevels = { confidence: Number.NaN, stop: Number.NaN, target: Number.NaN };
  #nextFinancing = Number.POSITIVE_INFINITY;
  #lastFinancing = Number.NaN;
  // Reused model contexts (valid during a model call only, as documented on the models).
  readonly #slippageContext: Mutable<SlippageContext>;
  readonly #commissionContext: Mutable<CommissionContext> = {
    symbol: '',
    side: 'buy',
    quantity: 0,
    price: 0,
    notional: 0,
    orderType: 'market',
    liquidity: 'taker',
    orderFilledQuantity: 0,
    orderFilledNotional: 0,
    orderCommission: 0,
  };
  readonly #participationContext: Mutable<ParticipationContext> = { symbol: '', quantity: 0, barVolume: 0, filledInBar: 0 };
  #context: EngineContext | null = null;
  /** The one-row schedule `ctx.setTargetWeights` fills (strategy runs), and whether it is pending. */
  #strategyWeights: Mutable<Omit<TargetWeightsSource, 'weights'>> & { weights: (Float64Array | null)[] } | null = null;
  #weightsPending = false;

  constructor(config: SimulationConfig, market: Market, spreads: Float64Array | null, records: RunRecords) {
    this.#config = config;
    this.book = records.book;
    this.fills = records.fills;
    this.orders = records.orders;
    this.rejections = records.rejections;
    this.rejections.clear();
    this.book.reset(config.initialCapital);
    this.fills.clear();
    this.orders.clear();
    this.equity = takeColumn(records.spareColumns, market.time.length);
    this.#instruments = market.symbols.map(
      (sym, k) => new Instrument(k, sym.symbol, sym.aligned, k === 0 ? spreads : null, sym, takeColumn(records.spareColumns, sym.aligned.length)),
    );
    // Spare columns of another length are dropped.
    records.spareColumns.length = 0;
    this.#symbols = market.symbols.map((sym) => sym.symbol);
    this.#requestContext = { symbols: this.#symbols, positionOf: (slot) => this.#instruments[slot]!.signedQuantity, spec: this.#scratch };
    this.time = market.time;
    const series = this.#instruments[0]!.series;
    const symbol = this.#symbols[0]!;
    this.#rm = config.riskManager ?? null;
    this.#sizer = config.positionSizer ?? null;
    this.#specs = config.specs;
    this.#longOnly = !config.allowShort && config.maxLeverage === 1;
    this.#orderBook = new OrderBook(this, config.intrabarPolicy, config.orderSequence === 'exits_first');
    this.#view = new EnginePortfolio(this);
    this.#slippageContext = {
      symbol,
      side: 'buy',
      quantity: 0,
      referencePrice: 0,
      orderType: 'market',
      liquidity: 'taker',
      bars: series,
      barIndex: 0,
      spread: Number.NaN,
    };
  }

  /** The symbols of the run, by instrument slot. */
  get symbols(): readonly string[] {
    return this.#symbols;
  }

  /** Cash after each bar's fills and financing (the float mirror), rebuilt from the bookings. */
  cashCurve(): Float64Array {
    const flows = { barIndex: this.financingBars, cashAfter: this.financingCash, length: this.financingBars.length };
    return this.fills.cashCurve(this.equity.length, this.#config.initialCapital, flows);
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

  /**
   * `ctx.setTargetWeights`: validates `weights` (symbols of the run, finite, >= 0 where the symbol
   * cannot be shorted, absolute sum <= maxLeverage) and keeps them for the end of `onBar`.
   */
  setTargetWeights(weights: unknown): void {
    const schedule = this.#strategyWeights!;
    const field = 'ctx.setTargetWeights: weights';
    const record = perSymbolRecord(field, weights, this.#symbols);
    const columns = schedule.weights;
    const config = this.#config;
    let gross = 0;
    for (let k = 0; k < columns.length; k++) {
      const symbol = this.#symbols[k]!;
      if (!Object.hasOwn(record, symbol)) {
        columns[k] = null;
        continue;
      }
      const shorting = { symbol, allowShort: config.allowShort, shortable: this.#specs.shortable[k] === 1 };
      const w = checkTargetWeight(`${field}.${symbol}`, null, record[symbol], shorting);
      const column = (columns[k] ??= new Float64Array(1));
      column[0] = w;
      gross += Math.abs(w);
    }
    checkGrossWeight(field, field, null, gross, config.maxLeverage);
    this.#weightsPending = true;
  }

  /** The instrument of `symbol`, or undefined. */
  instrument(symbol: string): Instrument | undefined {
    return this.#instruments.find((inst) => inst.symbol === symbol);
  }

  /** Every instrument. */
  get instruments(): readonly Instrument[] {
    return this.#instruments;
  }

  /** Runs every bar. */
  run(source: DecisionSource): void {
    // The loop returns its counters instead of storing fields after it: code after an OSR'd
    // loop has no type feedback, and a store there would deoptimize the loop's code every call.
    this.exposedBars = this.#loop(source);
    this.minEquity = minimum(this.equity);
    // Every order still live at the end keeps its row up to date.
    for (const inst of this.#instruments) for (const o of inst.active) this.#record(o);
  }

  // -------------------------------------------------------------------------------------------
  // The loop

  #loop(source: DecisionSource): number {
    const config = this.#config;
    const instruments = this.#instruments;
    const count = instruments.length;
    // Several symbols: every symbol's exits at the open fill before any symbol's entries.
    const exitsAcross = count > 1 && config.orderSequence === 'exits_first';
    const first = instruments[0]!;
    const time = this.time;
    const n = time.length;
    const last = n - 1;
    const rm = this.#rm;
    const book = this.book;
    const orderBook = this.#orderBook;
    const view = this.#view;
    const equityOut = this.equity;
    const fillAtClose = config.fillAt === 'close';
    const closeAtEnd = config.closeAtEnd;
    const financing = config.financing !== null;

    const signals = source.kind === 'signals' ? source.signals : null;
    const confidences = source.kind === 'signals' ? source.confidences : null;
    const stopLosses = source.kind === 'signals' ? source.stopLosses : null;
    const takeProfits = source.kind === 'signals' ? source.takeProfits : null;
    const strategy = source.kind === 'strategy' ? source.strategy : null;
    const schedule = source.kind === 'weights' ? source : null;
    let nextRow = 0;
    let ctx: EngineContext | null = null;
    if (strategy !== null) {
      ctx = new EngineContext(first.symbol, new BoundedBarsView(first.series), new MutablePositionView(), this);
      this.#context = ctx;
      const { driftThreshold, minTradeValue } = source as Extract<DecisionSource, { kind: 'strategy' }>;
      this.#strategyWeights = { kind: 'weights', time: new Float64Array(1), weights: instruments.map(() => null), driftThreshold, minTradeValue };
      strategy.onStart?.({ symbol: first.symbol });
    }
    // One mark per slice: the gate reserves its per-period history once.
    rm?.reset({ initialCapital: config.initialCapital, time: n > 0 ? time[0]! : 0, expectedPeriods: n });
    if (financing && n > 0) {
      this.#lastFinancing = Math.floor(time[0]! / MS_PER_DAY) * MS_PER_DAY;
      this.#nextFinancing = this.#lastFinancing + MS_PER_DAY;
    }
    let exposedBars = 0;

    for (let i = 0; i < n; i++) {
      this.#bar = i;
      if (this.#retiredOrders.length > 0) this.#recycle();
      if (financing && time[i]! >= this.#nextFinancing) this.#accrueFinancing(i);

      // (1-2) The order book through the slice: each symbol with a bar in it.
      if (exitsAcross) {
        for (let k = 0; k < count; k++) {
          const inst = instruments[k]!;
          if (inst.active.length > 0 && inst.has(i)) orderBook.openExits(inst, i);
        }
      }
      for (let k = 0; k < count; k++) {
        const inst = instruments[k]!;
        if (inst.active.length > 0 && inst.has(i)) orderBook.matchBar(inst, i, exitsAcross ? 2 : 0);
      }

      // (3) The mark at the close (a symbol without a bar keeps its last close) and the risk
      // update; the kill switch flattens at the next open.
      for (let k = 0; k < count; k++) {
        const inst = instruments[k]!;
        const pos = inst.position;
        if (pos !== undefined && inst.has(i)) pos.lastPrice = inst.series.close[i]!;
      }
      if (rm !== null) {
        this.#refreshView(i);
        if (rm.mark(view) === 'flatten') this.#flatten();
      }

      // (4) The decisions of this slice, from data up to its close. A signal in the direction of
      // the position (or 0) changes nothing, so only the others reach the order logic.
      if (signals !== null) {
        for (let k = 0; k < count; k++) {
          const inst = instruments[k]!;
          const column = signals[k]!;
          if (column === null || !inst.has(i)) continue;
          const signal = column[i] as -1 | 0 | 1;
          if (signal !== 0 && inst.direction !== signal) {
            const conf = confidences![k]!;
            const stops = stopLosses![k]!;
            const targets = takeProfits![k]!;
            const levels = this.#levels;
            levels.confidence = conf === null ? Number.NaN : conf[i]!;
            levels.stop = stops === null ? Number.NaN : stops[i]!;
            levels.target = targets === null ? Number.NaN : targets[i]!;
            this.#decide(inst, signal, levels, (closeAtEnd && i === last) || (i === inst.last && i < last));
          }
          inst.previousSignal = signal;
        }
      } else if (schedule !== null) {
        // The latest row dated at or before this slice's time (rows skipped in between are stale).
        let row = -1;
        while (nextRow < schedule.time.length && schedule.time[nextRow]! <= time[i]!) row = nextRow++;
        if (row >= 0 && !(closeAtEnd && i === last)) this.#rebalance(schedule, row, i);
      } else {
        this.#askStrategy(strategy!, ctx!, first, closeAtEnd && i === last);
      }
      if (fillAtClose && exitsAcross) {
        for (let k = 0; k < count; k++) {
          const inst = instruments[k]!;
          if (inst.active.length > 0 && inst.has(i)) orderBook.closeExits(inst, i);
        }
      }
      for (let k = 0; k < count; k++) {
        const inst = instruments[k]!;
        if (!inst.has(i)) continue;
        if (fillAtClose && inst.active.length > 0) orderBook.closeLook(inst, i, exitsAcross ? 2 : 0);
        if (closeAtEnd && i === last) this.#closeAtEnd(inst, i);
        // Delisting: the symbol's bars end before the run's: its orders end, its position closes
        // at its last close.
        else if (i === inst.last && i < last) this.#delist(inst, i);
      }

      // (5) Record the slice (its cash and drawdown are derived on demand: cashCurve, drawdownCurve).
      // Ruin: a short can lose more than the account. At equity <= 0 the shorts are bought back at
      // this close (a symbol without a bar: at its next bar); the cash left then refuses every new entry.
      let equity = this.#markSlice(i);
      if (equity <= 0 && this.#ruin(i)) equity = this.#markSlice(i);
      const exposed = book.open.length > 0;
      if (exposed) exposedBars++;
      equityOut[i] = equity;
    }
    return exposedBars;
  }

  /**
   * The equity at slice `i`'s close: cash plus every position at its close (a symbol without a bar:
   * its last close), each position's mark and its column written on the way. A position opened at
   * this close is marked at the close, not at its fill price.
   */
  #markSlice(i: number): number {
    const instruments = this.#instruments;
    let equity = this.book.cash;
    for (let k = 0; k < instruments.length; k++) {
      const inst = instruments[k]!;
      const p = inst.position;
      if (p === undefined) {
        inst.positions[i] = 0;
        continue;
      }
      if (inst.has(i)) p.lastPrice = inst.series.close[i]!;
      const signed = p.direction * p.quantity;
      inst.positions[i] = signed;
      equity += signed * p.lastPrice;
    }
    return equity;
  }

  /** Buys back every short with a bar in slice `i` at its close (equity <= 0); whether any was. */
  #ruin(i: number): boolean {
    let any = false;
    for (const inst of this.#instruments) {
      const held = inst.position;
      if (held !== undefined && held.direction === -1 && inst.has(i)) {
        this.#exitNow(inst, i, 'emergency');
        any = true;
      }
    }
    return any;
  }

  /** The risk gate's view of the portfolio now (positions at their latest prices). */
  #refreshView(i: number): void {
    const view = this.#view;
    const book = this.book;
    view.time = this.time[i]!;
    view.cash = book.cash;
    view.equity = book.equity();
    view.positionCount = book.open.length;
  }

  /** Makes the orders retired during the previous bar available for reuse. */
  #recycle(): void {
    const spare = this.#spareOrders;
    const retired = this.#retiredOrders;
    // pop/push rather than `length = 0` (a runtime call on every bar that retired an order).
    for (let o = retired.pop(); o !== undefined; o = retired.pop()) if (spare.length < 1024) spare.push(o);
  }

  /** A new order from `spec` at the current bar: a reused object when one is spare. Its levels are rounded to the symbol's tick. */
  #newOrder(spec: OrderSpec): OrderState {
    const tick = this.#specs.tick[spec.slot]!;
    if (tick > 0) {
      if (spec.limitPrice === spec.limitPrice) spec.limitPrice = roundToStep(spec.limitPrice, tick);
      if (spec.stopPrice === spec.stopPrice) spec.stopPrice = roundToStep(spec.stopPrice, tick);
      if (spec.activationPrice === spec.activationPrice) spec.activationPrice = roundToStep(spec.activationPrice, tick);
    }
    const spare = this.#spareOrders.pop();
    return spare === undefined ? new OrderState(spec, this.#bar) : spare.init(spec, this.#bar);
  }

  /** Applies the signal rules (docs/trading-rules.md) to the position after this bar's fills. */
  #decide(inst: Instrument, signal: -1 | 1, levels: DecisionLevels, lastBarClosing: boolean): void {
    const config = this.#config;
    const direction = inst.direction;
    let exit = false;
    let entry: 0 | 1 | -1 = 0;
    if (signal === 1) {
      if (direction === -1) {
        exit = true;
        entry = 1;
      } else if (direction === 0) entry = 1;
    } else if (direction === 1) {
      exit = true;
      if (config.allowShort && this.#specs.shortable[inst.slot] === 1) entry = -1;
    } else if (direction === 0 && ((config.allowShort && this.#specs.shortable[inst.slot] === 1) || inst.previousSignal !== -1)) {
      // Without short selling, only a fresh -1 is recorded (as a `no_short` refusal), once.
      entry = -1;
    }
    if (!exit && entry === 0) return;
    const atClose = config.fillAt === 'close';
    // An exit already waiting for the next open (a time stop, the kill switch) keeps its reason.
    if (exit && (atClose || !this.#pendingExit(inst))) {
      this.#place(inst, this.#spec(inst, direction === 1 ? 'sell' : 'buy', 'exit', null, Number.NaN), { fromSignal: true, closeLook: atClose });
    }
    if (entry !== 0 && !(atClose && lastBarClosing)) {
      const pending = inst.pendingEntry;
      if (pending === null || !pending.live) {
        const { stop, target } = levels;
        const bracket = stop === stop || target === target ? { stopLoss: stop === stop ? stop : undefined, takeProfit: target === target ? target : undefined } : null;
        inst.pendingEntry = this.#place(inst, this.#spec(inst, entry === 1 ? 'buy' : 'sell', 'entry', bracket, levels.confidence), {
          fromSignal: true,
          closeLook: atClose,
        });
      }
    }
  }

  /**
   * An engine market order's spec: an entry sized at the fill, or a reduce-only exit of the whole
   * position (a signal exit, the kill switch, the ruin of a short, the end of the data).
   */
  #spec(inst: Instrument, side: OrderSide, role: 'entry' | 'exit' | 'emergency' | 'end_of_data' | 'delisted', bracket: OrderSpec['bracket'], confidence: number): OrderSpec {
    const spec = resetSpec(this.#scratch, inst.slot, inst.symbol, side, 'market', role);
    spec.reduceOnly = role !== 'entry';
    spec.bracket = bracket;
    spec.confidence = confidence;
    return spec;
  }

  /** Whether a reduce-only market order is already waiting for the next open. */
  #pendingExit(inst: Instrument): boolean {
    const list = inst.active;
    for (let k = 0; k < list.length; k++) {
      const o = list[k]!;
      if (o.reduceOnly && o.type === 'market' && o.active) return true;
    }
    return false;
  }

  /**
   * Turns row `row` of the target weights into market orders for the next open (this close with
   * `fillAt: 'close'`): the weights are fractions of the equity at this slice's close (each symbol
   * at its last close); each symbol's target quantity is floored to the lot toward 0; a symbol
   * whose weight is within `driftThreshold` of its target, or whose trade is worth less than
   * `minTradeValue`, is left alone. The orders that sell are placed first (and fill first with
   * `exits_first`); a buy is cut to the cash at its fill. A symbol's pending rebalance orders are
   * replaced; a symbol that is not listed at this slice (before its first bar, at or after its last
   * one) is not traded.
   */
  #rebalance(schedule: TargetWeightsSource, row: number, i: number): void {
    const instruments = this.#instruments;
    const slices = this.time.length;
    let equity = this.book.cash;
    for (const inst of instruments) {
      const p = inst.position;
      if (p !== undefined) equity += p.direction * p.quantity * p.lastPrice;
    }
    if (!(equity > 0)) return;
    const lots = this.#specs.lot;
    const atClose = this.#config.fillAt === 'close';
    for (let pass = 0; pass < 2; pass++) {
      for (const inst of instruments) {
        const column = schedule.weights[inst.slot]!;
        if (column === null || i < inst.first || (i >= inst.last && i < slices - 1)) continue;
        // A newer rebalance replaces the symbol's pending rebalance orders, traded or not (the
        // unfilled rest of a buy cut to the cash does not fill at a later open).
        if (pass === 0) {
          for (let k = 0; k < inst.active.length; ) {
            const o = inst.active[k]!;
            if (o.tag === REBALANCE_TAG && o.live) this.end(o, 'cancelled', 'replaced by a newer rebalance');
            else k++;
          }
        }
        const p = inst.position;
        const price = p === undefined ? inst.series.close[i]! : p.lastPrice;
        const held = inst.signedQuantity;
        const target = column[row]!;
        if (Math.abs(target - (held * price) / equity) <= schedule.driftThreshold) continue;
        const wanted = Math.sign(target) * floorToStep((Math.abs(target) * equity) / price, lots[inst.slot]!);
        const delta = wanted - held;
        if (delta === 0 || Math.abs(delta) * price < schedule.minTradeValue) continue;
        const selling = delta < 0;
        if (selling !== (pass === 0)) continue;
        const spec = resetSpec(this.#scratch, inst.slot, inst.symbol, selling ? 'sell' : 'buy', 'market', 'order');
        spec.quantity = Math.abs(delta);
        spec.tag = REBALANCE_TAG;
        const order = this.#place(inst, spec, { closeLook: atClose });
        // The part that opens or adds is cut to the cash at the fill rather than refused.
        order.sized = true;
      }
    }
  }

  /** Calls the strategy for the current bar (time slice); applies its returned decision. */
  #askStrategy(strategy: Strategy, ctx: EngineContext, inst: Instrument, lastBarClosing: boolean): void {
    const i = this.#bar;
    fillPositionView(ctx.position, inst);
    ctx.bars.current = inst.market.ownIndex === null ? i : inst.market.ownIndex[i]!;
    ctx.index = i;
    ctx.time = this.time[i]!;
    ctx.cash = this.book.cash;
    let equity = ctx.cash;
    for (const each of this.#instruments) {
      const p = each.position;
      if (p !== undefined) equity += p.direction * p.quantity * p.lastPrice;
    }
    ctx.equity = equity;
    let decision: ReturnType<Strategy['onBar']>;
    try {
      decision = strategy.onBar(ctx);
    } catch (error) {
      throw strategyFailure(error, i, ctx.time);
    }
    // ctx.setTargetWeights: the slice's last call, rebalanced like a schedule row dated now.
    if (this.#weightsPending) {
      this.#weightsPending = false;
      if (!lastBarClosing) this.#rebalance(this.#strategyWeights!, 0, i);
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
    if (signal !== 0 && this.#instruments.length > 1) {
      invalidDecision('signal', i, signal, 'cannot be returned in a multi-symbol run: submit orders with ctx.submit({ symbol, ... })');
    }
    let conf = Number.NaN;
    if (confidence !== undefined) {
      if (typeof confidence === 'number' && (Number.isNaN(confidence) || (confidence >= 0 && confidence <= 1))) conf = confidence;
      else invalidDecision('confidence', i, confidence, 'must be a number in [0, 1] (or NaN for none)');
    }
    const levels = this.#levels;
    levels.confidence = conf;
    levels.stop = this.#level('stopLoss', stop, i);
    levels.target = this.#level('takeProfit', target, i);
    if (signal !== 0 && inst.direction !== signal) this.#decide(inst, signal, levels, lastBarClosing);
    inst.previousSignal = signal;
  }

  #level(field: string, value: unknown, i: number): number {
    if (value === undefined) return Number.NaN;
    if (typeof value === 'number' && (Number.isNaN(value) || (Number.isFinite(value) && value > 0))) return value;
    return invalidDecision(field, i, value, 'must be a finite price greater than 0 (or NaN for none)');
  }

  // -------------------------------------------------------------------------------------------
  // Orders: placement, the strategy's API, records

  /**
   * Places a new order in `inst`'s book. Engine orders from signals are recorded at their first
   * look (a refusal repeated on consecutive bars is then counted, not kept); others at once.
   */
  #place(inst: Instrument, spec: OrderSpec, options: { readonly fromSignal?: boolean; readonly closeLook: boolean }): OrderState {
    const i = this.#bar;
    const order = this.#newOrder(spec);
    order.fromSignal = options.fromSignal === true;
    order.closeLook = options.closeLook;
    if (order.type === 'trailing_stop') Simulation.#armTrail(order, inst.series.close[i]!);
    if (!order.fromSignal) this.orders.record(order);
    inst.active.push(order);
    return order;
  }

  /** Records `order` in the log if it is not yet; returns its id. */
  #id(order: OrderState): number {
    return order.id >= 0 ? order.id : this.orders.record(order);
  }

  /** Writes `order`'s current state to its log row. */
  #record(order: OrderState): void {
    if (order.id < 0) this.orders.record(order);
    else this.orders.update(order, order.finalBar);
  }

  /** `ctx.submit`: validates and places a strategy order; an inconsistent one is refused. */
  submit(request: OrderRequest, replaces?: OrderState): number {
    const i = this.#bar;
    let checked = validateRequest(request, this.#requestContext);
    if ('spec' in checked && this.#instruments.length > 1) {
      const named = (request as { symbol?: unknown }).symbol !== undefined;
      const inst = this.#instruments[checked.spec.slot]!;
      if (!named) {
        checked = { reasons: [{ code: 'invalid_order', message: `a multi-symbol run needs the order's symbol (one of ${this.#symbols.join(', ')})` }], side: checked.spec.side };
      } else if (i >= inst.last && i < this.time.length - 1) {
        checked = { reasons: [{ code: 'invalid_order', message: `${inst.symbol} has no bars after this one (delisted): it cannot trade` }], side: checked.spec.side };
      }
    }
    if ('reasons' in checked) {
      const r = (typeof request === 'object' && request !== null ? request : {}) as Partial<OrderRequest>;
      const inst = this.#instruments[0]!;
      const spec = orderSpec(inst.slot, inst.symbol, checked.side, 'market', replaces?.role ?? 'order');
      spec.quantity = typeof r.quantity === 'number' ? r.quantity : Number.NaN;
      spec.reduceOnly = r.reduceOnly === true;
      spec.tag = typeof r.tag === 'string' ? r.tag : null;
      const order = this.#newOrder(spec);
      if (replaces !== undefined) order.replacesId = replaces.id;
      order.status = 'rejected';
      order.rejectReasons = checked.reasons;
      order.finalBar = i;
      this.orders.record(order, true);
      const quantity = typeof r.quantity === 'number' && Number.isFinite(r.quantity) ? r.quantity : 0;
      this.#pushRejection(order, checked.reasons, Number.NaN, quantity);
      this.#retiredOrders.push(order);
      return order.id;
    }
    const spec = checked.spec;
    const inst = this.#instruments[spec.slot]!;
    if (replaces !== undefined) spec.role = replaces.role;
    const order = this.#newOrder(spec);
    if (replaces !== undefined) {
      order.replacesId = replaces.id;
      order.parentId = replaces.parentId;
      order.ocoKey = replaces.ocoKey;
      order.sized = replaces.sized;
    }
    order.closeLook = this.#config.fillAt === 'close';
    if (order.type === 'trailing_stop') Simulation.#armTrail(order, inst.series.close[i]!);
    this.orders.record(order);
    inst.active.push(order);
    return order.id;
  }

  /** The live order with `id`, and its instrument. */
  #find(id: number): { inst: Instrument; order: OrderState } | null {
    for (const inst of this.#instruments) {
      for (const order of inst.active) if (order.id === id && order.live) return { inst, order };
    }
    return null;
  }

  /** `ctx.cancel`. */
  cancel(orderId: number): boolean {
    const found = this.#find(orderId);
    if (found === null) return false;
    this.end(found.order, 'cancelled', 'cancelled by the strategy');
    return true;
  }

  /** `ctx.replace`: a copy with `changes`, the old order cancelled when the copy is accepted. */
  replace(orderId: number, changes: OrderChanges): number | null {
    const found = this.#find(orderId);
    if (found === null) return null;
    const old = found.order;
    const request: Record<string, unknown> = {
      symbol: old.symbol,
      side: old.side,
      type: old.type,
      timeInForce: old.timeInForce,
      reduceOnly: old.reduceOnly || undefined,
      ocoGroup: old.ocoGroup ?? undefined,
      bracket: old.bracket ?? undefined,
      confidence: old.confidence === old.confidence ? old.confidence : undefined,
      tag: old.tag ?? undefined,
      quantity: old.quantity === old.quantity ? old.quantity - old.filled : undefined,
      limitPrice: old.limitPrice === old.limitPrice ? old.limitPrice : undefined,
      stopPrice: old.stopPrice === old.stopPrice ? old.stopPrice : undefined,
      trailPercent: old.trailPercent === old.trailPercent ? old.trailPercent : undefined,
      trailAmount: old.trailAmount === old.trailAmount ? old.trailAmount : undefined,
      activationPrice: old.activationPrice === old.activationPrice ? old.activationPrice : undefined,
    };
    if (typeof changes === 'object' && changes !== null) {
      for (const [key, value] of Object.entries(changes)) if (value !== undefined) request[key] = value;
    } else {
      request['changes'] = changes; // reported as an unknown field
    }
    for (const key of Object.keys(request)) if (request[key] === undefined) delete request[key];
    const id = this.submit(request as unknown as OrderRequest, old);
    const created = this.#find(id);
    if (created !== null) this.end(old, 'cancelled', `replaced by order #${id}`);
    return id;
  }

  /**
   * `ctx.openOrders`: frozen snapshots of the live orders (recorded first, so each has its id). The
   * array is rebuilt only when the live orders or their state (status, quantities, prices) differ
   * from the last one returned: a strategy that reads it every bar while an order waits allocated a
   * new array and objects every bar (docs/architecture.md, Performance).
   */
  openOrders(): readonly OpenOrder[] {
    if (!this.#openOrdersChanged()) return this.#openOrders;
    let out: OpenOrder[] | null = null;
    for (const inst of this.#instruments) {
      for (const o of inst.active) {
        if (!o.live) continue;
        (out ??= []).push(
          Object.freeze({
            id: this.#id(o),
            symbol: o.symbol,
            side: o.side,
            type: o.type,
            role: o.role,
            status: o.status,
            quantity: nullIfNaN(o.quantity),
            filledQuantity: o.filled,
            limitPrice: nullIfNaN(o.limitPrice),
            stopPrice: nullIfNaN(shownStop(o)),
            timeInForce: o.timeInForce,
            reduceOnly: o.reduceOnly,
            ocoGroup: o.ocoGroup,
            parentId: o.parentId >= 0 ? o.parentId : null,
            tag: o.tag,
          }),
        );
      }
    }
    this.#openOrders = out === null ? EMPTY_ORDERS : Object.freeze(out);
    return this.#openOrders;
  }

  /** Whether the live orders differ from the last `ctx.openOrders` snapshot (the other fields are fixed for an order's life). */
  #openOrdersChanged(): boolean {
    const last = this.#openOrders;
    const instruments = this.#instruments;
    let k = 0;
    for (let s = 0; s < instruments.length; s++) {
      const active = instruments[s]!.active;
      for (let a = 0; a < active.length; a++) {
        const o = active[a]!;
        if (!o.live) continue;
        const seen = last[k++];
        if (
          seen === undefined ||
          seen.id !== o.id ||
          seen.status !== o.status ||
          seen.filledQuantity !== o.filled ||
          seen.quantity !== nullIfNaN(o.quantity) ||
          seen.limitPrice !== nullIfNaN(o.limitPrice) ||
          seen.stopPrice !== nullIfNaN(shownStop(o))
        ) {
          return true;
        }
      }
    }
    return k !== last.length;
  }

  /** Ends a live order (cancelled, expired). */
  end(order: OrderState, status: 'cancelled' | 'expired', message: string): void {
    order.status = status;
    order.message = message;
    this.#retire(order);
  }

  /** Takes a finished order out of the book and writes its final row. */
  #retire(order: OrderState): void {
    const inst = this.#instruments[order.slot]!;
    const list = inst.active;
    const k = list.indexOf(order);
    if (k >= 0) removeAt(list, k);
    if (inst.pendingEntry === order) inst.pendingEntry = null;
    order.finalBar = this.#bar;
    this.#record(order);
    this.#retiredOrders.push(order);
  }

  /**
   * Refuses an order (or the rest of a partially filled one) with its reasons. A signal order
   * refused for the same reasons on the bar after an identical refusal is counted into that
   * order's row and record (`repeats`, `count`) instead of being kept.
   */
  #reject(order: OrderState, why: readonly RejectionReason[], price: number, quantity: number): void {
    const i = this.#bar;
    const previous = this.#instruments[order.slot]!.lastRejection;
    const log = this.rejections;
    const side: Side = order.direction === 1 ? 'long' : 'short';
    if (
      order.fromSignal &&
      order.id < 0 &&
      previous >= 0 &&
      this.#instruments[order.slot]!.lastRejectedFromSignal &&
      log.lastBarIndexAt(previous) === i - 1 &&
      log.sideAt(previous) === side &&
      log.symbolAt(previous) === order.symbol &&
      sameCodes(log.reasonsAt(previous), why)
    ) {
      this.rejectedOrders++;
      log.extend(previous, i, this.#instruments[order.slot]!.series.time[i]!);
      this.orders.addRepeat(log.orderIdAt(previous));
      const inst = this.#instruments[order.slot]!;
      const k = inst.active.indexOf(order);
      if (k >= 0) removeAt(inst.active, k);
      if (inst.pendingEntry === order) inst.pendingEntry = null;
      this.#retiredOrders.push(order);
      return;
    }
    order.status = order.filled > 0 ? 'cancelled' : 'rejected';
    // The message ("code: reason; ...") is written by the order log from the reasons when read.
    order.rejectReasons = why;
    this.#retire(order);
    this.#pushRejection(order, why, price, quantity);
  }

  #pushRejection(order: OrderState, why: readonly RejectionReason[], price: number, quantity: number): void {
    const i = this.#bar;
    const t = this.#instruments[order.slot]!.series.time[i]!;
    this.rejectedOrders++;
    const inst = this.#instruments[order.slot]!;
    inst.lastRejection = this.rejections.push({
      orderId: order.id,
      time: t,
      barIndex: i,
      symbol: order.symbol,
      side: order.direction === 1 ? 'long' : 'short',
      quantity,
      price,
      reasons: why,
    });
    inst.lastRejectedFromSignal = order.fromSignal;
  }

  // -------------------------------------------------------------------------------------------
  // Execution

  /**
   * Executes `order` at `reference` in the current bar (the order book's call): the part that
   * reduces an opposite position, then (unless reduce-only) the part that opens or adds, sized,
   * checked and cut to the cash. Volume participation may leave a remainder for later bars.
   */
  execute(inst: Instrument, order: OrderState, reference: number, where: WhereCode): void {
    const held = inst.signedQuantity;
    const direction = order.direction;
    if (order.reduceOnly && (held === 0 || Math.sign(held) === direction)) {
      this.end(order, 'cancelled', held === 0 ? 'reduce-only: there is no position to reduce' : 'reduce-only: it would increase the position');
      return;
    }
    let cap = this.#participationCap(inst, order);
    if (held !== 0 && Math.sign(held) !== direction) {
      const wanted = order.quantity === order.quantity ? order.quantity - order.filled : Math.abs(held);
      const closing = Math.min(Math.abs(held), wanted);
      const quantity = closing <= cap ? closing : floorToStep(cap, this.#specs.lot[inst.slot]!);
      if (quantity <= 0) return; // no volume left in this bar: the order waits
      this.#fillReduce(inst, order, quantity, reference, where);
      cap -= quantity;
      if (order.reduceOnly || quantity < closing || !order.live) {
        this.#settle(inst, order);
        return;
      }
    }
    if (order.reduceOnly) return;
    this.#fillOpen(inst, order, reference, where, cap);
  }

  /** The units volume participation still allows `inst` in this bar (Infinity without a model). */
  #participationCap(inst: Instrument, order: OrderState): number {
    const model = this.#config.volumeParticipation;
    if (model === null) return Number.POSITIVE_INFINITY;
    const i = this.#bar;
    if (inst.volumeBar !== i) {
      inst.volumeBar = i;
      inst.filledInBar = 0;
    }
    const ctx = this.#participationContext;
    ctx.symbol = inst.symbol;
    ctx.quantity = order.quantity === order.quantity ? order.quantity - order.filled : Number.NaN;
    ctx.barVolume = inst.series.volume[i]!;
    ctx.filledInBar = inst.filledInBar;
    const cap = model.maxQuantity(ctx);
    if (!(typeof cap === 'number' && cap >= 0)) {
      throw new AlgoTradingError('INVALID_CONFIG', `volumeParticipation model ${model.name} returned ${describeValue(cap)} at bar ${i}: expected a number >= 0`, {
        details: { field: 'volumeParticipation', index: i, value: cap },
      });
    }
    return floorToStep(cap, this.#specs.lot[inst.slot]!);
  }

  /** The fill price of `quantity` of `order` at `reference`: slippage, then the limit and the bar's range. */
  #price(inst: Instrument, order: OrderState, quantity: number, reference: number, where: WhereCode): number {
    const i = this.#bar;
    const model = this.#config.slippage;
    const ctx = this.#slippageContext;
    ctx.symbol = inst.symbol;
    ctx.side = order.side;
    ctx.quantity = quantity;
    ctx.referencePrice = reference;
    ctx.orderType = order.type;
    ctx.liquidity = this.#liquidity(order, reference, where);
    ctx.bars = inst.series;
    ctx.barIndex = i;
    ctx.spread = inst.spreads === null ? Number.NaN : inst.spreads[i]!;
    let price = model.fillPrice(ctx);
    const buy = order.direction === 1;
    if (!(typeof price === 'number' && price > 0 && price < Number.POSITIVE_INFINITY) || (buy ? price < reference : price > reference)) {
      throw new AlgoTradingError(
        'INVALID_CONFIG',
        `slippage model ${model.name} returned ${describeValue(price)} for a ${order.side} of ${quantity} at reference ${reference} (bar ${i}): expected a finite price > 0, not better than the reference`,
        { details: { field: 'slippage', index: i, value: price } },
      );
    }
    // The tick: a buy's price rounds up, a sell's down (never better than the model's price).
    const tick = this.#specs.tick[inst.slot]!;
    if (tick > 0) price = buy ? ceilToStep(price, tick) : Math.max(tick, floorToStep(price, tick, 'tickSize'));
    // A limit is never filled worse than its limit; a touch inside the bar never outside its range.
    if (order.kind === LevelKind.LIMIT) {
      const limit = order.limitPrice;
      if (limit === limit) price = buy ? Math.min(price, limit) : Math.max(price, limit);
    }
    if (where === Where.INTRABAR) {
      price = buy ? Math.min(price, inst.series.high[i]!) : Math.max(price, inst.series.low[i]!);
    }
    return price;
  }

  /** Maker when a limit order that rested is filled at its limit inside a bar; taker otherwise. */
  #liquidity(order: OrderState, reference: number, where: WhereCode): 'maker' | 'taker' {
    return where === Where.INTRABAR && order.kind === LevelKind.LIMIT && reference === order.limitPrice ? 'maker' : 'taker';
  }

  /** The commission of a fill of `quantity` at `price` (the order's earlier fills count for per-order models). */
  #commission(order: OrderState, quantity: number, price: number, liquidity: 'maker' | 'taker'): number {
    const model = this.#specs.commission[order.slot]!;
    const ctx = this.#commissionContext;
    ctx.symbol = order.symbol;
    ctx.side = order.side;
    ctx.quantity = quantity;
    ctx.price = price;
    ctx.notional = price * quantity;
    ctx.orderType = order.type;
    ctx.liquidity = liquidity;
    ctx.orderFilledQuantity = order.filled;
    ctx.orderFilledNotional = order.filledNotional;
    ctx.orderCommission = order.commission;
    const commission = model.commission(ctx);
    if (!(typeof commission === 'number' && commission >= 0 && commission < Number.POSITIVE_INFINITY)) {
      throw new AlgoTradingError(
        'INVALID_CONFIG',
        `commission model ${model.name} returned ${describeValue(commission)} at bar ${this.#bar}: expected a finite number >= 0`,
        { details: { field: 'commission', index: this.#bar, value: commission } },
      );
    }
    return commission;
  }

  /** The exit reason of a fill of `order` that reduces a position. */
  static #exitReason(order: OrderState): ExitReason {
    const trailing = order.type === 'trailing_stop' && trailGoverns(order.direction, order.stopPrice, order.trailLevel);
    return exitReasonOfRole(order.role, trailing);
  }

  /** A fill of `order` that reduces (or closes) the position. */
  #fillReduce(inst: Instrument, order: OrderState, quantity: number, reference: number, where: WhereCode): void {
    const price = this.#price(inst, order, quantity, reference, where);
    const commission = this.#commission(order, quantity, price, this.#liquidity(order, reference, where));
    this.#book(inst, order, { quantity, price, reference, commission, effect: 'close', reason: Simulation.#exitReason(order), initialStop: Number.NaN });
  }

  /**
   * The part of `order` that opens or adds to a position: the halt and short checks, the
   * protective levels (the bracket, else the risk manager's at the fill price), the size (the
   * order's quantity, else the sizer or all in, at the fill price), the cash (or leverage) cut,
   * the risk checks, the fill, and the protective children at the first opening fill.
   */
  #fillOpen(inst: Instrument, order: OrderState, reference: number, where: WhereCode, cap: number): void {
    const i = this.#bar;
    const config = this.#config;
    const lot = this.#specs.lot[inst.slot]!;
    const side: Side = order.direction === 1 ? 'long' : 'short';
    const lotPrice = this.#price(inst, order, lot, reference, where);
    if (order.direction === -1 && !(config.allowShort && this.#specs.shortable[inst.slot] === 1)) {
      this.#reject(order, this.#specs.noShort[inst.slot]!, lotPrice, 0);
      return;
    }
    const rm = this.#rm;
    const multiplier = rm === null ? 1 : rm.getRiskMultiplier();
    if (!(multiplier > 0)) {
      this.#reject(order, HALTED, lotPrice, 0);
      return;
    }
    const first = !order.protectionPlaced;
    const t = inst.series.time[i]!;
    let protection = first ? this.#protection(inst, order, side, lotPrice, t) : NO_PROTECTION;
    const explicit = order.quantity === order.quantity && !order.sized;
    let quantity: number;
    let price = lotPrice;
    if (explicit) {
      quantity = floorToStep(order.quantity - order.filled, lot);
      if (quantity === 0) {
        this.#reject(order, ORDER_BELOW_LOT, lotPrice, order.quantity - order.filled);
        return;
      }
      price = this.#price(inst, order, quantity, reference, where);
    } else {
      quantity = order.sized ? order.quantity - order.filled : this.#size(inst, order, side, lotPrice, protection.stop, multiplier);
      if (quantity < 0) return; // refused (recorded by #size)
      if (quantity > 0) {
        price = this.#price(inst, order, quantity, reference, where);
        if (price !== lotPrice && !order.sized) {
          // A volume-dependent price: size again at the price of the quantity first sized.
          if (first) protection = this.#protection(inst, order, side, price, t);
          quantity = this.#size(inst, order, side, price, protection.stop, multiplier);
          if (quantity < 0) return;
        }
      }
    }
    const stop = first ? protection.stop : order.initialStop;
    const target = first ? protection.target : Number.NaN;
    if (first && config.passedLevels === 'reject') {
      const why = this.#passedLevel(order, side, stop, target, price, reference);
      if (why !== null) {
        this.#reject(order, why, price, 0);
        return;
      }
    }
    // The cash (or the leverage limit) has the last word: a sized quantity is cut to it (that is
    // the order's size from then on), an order's own quantity is refused when it does not fit.
    const liquidity = this.#liquidity(order, reference, where);
    if (!explicit) {
      const proposed = quantity;
      quantity = this.#largestFitting(inst, order, quantity, price, liquidity);
      if (quantity === 0) {
        this.#reject(order, NO_CASH, price, proposed);
        return;
      }
      if (!order.sized) {
        order.sized = true;
        order.quantity = order.filled + quantity;
      }
    }
    // Volume participation: what this bar allows now; the rest waits for later bars.
    if (quantity > cap) {
      quantity = floorToStep(cap, lot);
      if (quantity <= 0) return;
    }
    if (explicit && !this.#fits(inst, order, quantity, price, liquidity)) {
      this.#reject(order, NO_CASH_FOR_ORDER, price, quantity);
      return;
    }
    price = this.#price(inst, order, quantity, reference, where);
    const commission = this.#commission(order, quantity, price, liquidity);
    if (rm !== null) {
      this.#refreshView(i);
      // A level the fill already passed exits at once: the checks see the position without it.
      const exit = order.direction === 1 ? -1 : 1;
      const stopLive = stop === stop && !executesAt({ kind: LevelKind.STOP, direction: exit, level: stop }, price);
      const targetLive = target === target && !executesAt({ kind: LevelKind.LIMIT, direction: exit, level: target }, price);
      const validation = rm.validateTrade(
        {
          symbol: inst.symbol,
          side,
          quantity,
          entryPrice: price,
          stopLoss: stopLive ? stop : undefined,
          takeProfit: targetLive ? target : undefined,
          confidence: order.confidence === order.confidence ? order.confidence : undefined,
          commission,
          time: t,
        },
        this.#view,
      );
      if (!validation.isValid) {
        this.#reject(order, validation.issues as readonly TradeIssue[], price, quantity);
        return;
      }
    }
    if (first) order.initialStop = stop;
    this.#book(inst, order, { quantity, price, reference, commission, effect: 'open', reason: 'entry', initialStop: stop });
    if (first) {
      order.protectionPlaced = true;
      if (order.live || order.status === 'filled') this.#protect(inst, order, protection, price, reference, where);
    }
    this.#settle(inst, order);
  }

  /** The protective levels of an entry: the order's bracket, else the risk manager's plan at `price`. */
  #protection(inst: Instrument, order: OrderState, side: Side, price: number, time: number): Protection {
    const bracket = order.bracket;
    const rm = this.#rm;
    if (bracket === null && rm === null) return NO_PROTECTION;
    const plan = rm === null ? null : rm.protection({ symbol: inst.symbol, side, entryPrice: price, entryTime: time });
    const trailing = bracket?.trailing;
    const out = this.#protectionScratch;
    out.stop = bracket?.stopLoss ?? plan?.stopLoss ?? Number.NaN;
    out.target = bracket?.takeProfit ?? plan?.takeProfit ?? Number.NaN;
    out.trailPercent = trailing !== undefined ? (trailing.percent ?? Number.NaN) : (plan?.trailing?.percent ?? Number.NaN);
    out.trailAmount = trailing !== undefined ? (trailing.amount ?? Number.NaN) : Number.NaN;
    out.activation = trailing !== undefined ? (trailing.activationPrice ?? Number.NaN) : (plan?.trailing?.activationPrice ?? Number.NaN);
    out.timeStopAt = plan?.timeStopAt ?? Number.NaN;
    const tick = this.#specs.tick[inst.slot]!;
    if (tick > 0) {
      if (out.stop === out.stop) out.stop = roundToStep(out.stop, tick);
      if (out.target === out.target) out.target = roundToStep(out.target, tick);
    }
    return out;
  }

  /** The `invalid_levels` refusal when a level is already passed at the fill (`passedLevels: 'reject'`), else null. */
  #passedLevel(order: OrderState, side: Side, stop: number, target: number, price: number, reference: number): readonly RejectionReason[] | null {
    const exit = order.direction === 1 ? -1 : 1;
    const stopLevel = { kind: LevelKind.STOP, direction: exit, level: stop } as const;
    const targetLevel = { kind: LevelKind.LIMIT, direction: exit, level: target } as const;
    const stopPassed = executesAt(stopLevel, price) || executesAt(stopLevel, reference);
    const targetPassed = executesAt(targetLevel, price) || executesAt(targetLevel, reference);
    if (!stopPassed && !targetPassed) return null;
    const which = stopPassed ? `stop-loss ${stop}` : `take-profit ${target}`;
    return [{ code: 'invalid_levels', message: `${which} is on the wrong side of the ${side} fill price ${price}` }];
  }

  /**
   * Sizes an entry at `price`: the sizer (with the equity as capital, the stop, the confidence and
   * the risk multiplier), else all in; floored to the lot. Returns -1 after recording a refusal.
   */
  #size(inst: Instrument, order: OrderState, side: Side, price: number, protectiveStop: number, multiplier: number): number {
    const i = this.#bar;
    // A stop the fill price has already passed exits at once: for the sizer it sits at the price
    // (no room to it: risk-based sizers size nothing).
    const stop = executesAt({ kind: LevelKind.STOP, direction: order.direction === 1 ? -1 : 1, level: protectiveStop }, price) ? price : protectiveStop;
    const lot = this.#specs.lot[inst.slot]!;
    const book = this.book;
    const capital = book.equity();
    const sizer = this.#sizer;
    if (!(capital > 0)) {
      this.#reject(order, NO_CASH, price, 0);
      return -1;
    }
    const pct = this.#specs.commissionPct[inst.slot]!;
    const rate = pct === pct ? pct : 0;
    let quantity: number;
    if (sizer !== null) {
      const request: SizingRequest = {
        symbol: inst.symbol,
        capital,
        entryPrice: price,
        stopLossPrice: stop === stop ? stop : undefined,
        side,
        confidence: order.confidence === order.confidence ? order.confidence : undefined,
        riskMultiplier: multiplier,
        cash: book.cash,
        commissionPct: rate,
      };
      quantity = floorToStep(this.#callSizer(sizer, request, i), lot);
    } else {
      quantity = affordableQuantity(this.#headroom(inst, price) * multiplier, price, rate * this.#config.maxLeverage, lot);
    }
    if (quantity === 0) {
      // All-in sizing is a cash limit; a sizer's answer below one lot is a lot limit.
      this.#reject(order, sizer === null ? NO_CASH : BELOW_LOT, price, 0);
      return -1;
    }
    return quantity;
  }

  /**
   * The sizer's quantity for bar `i`. A sizer that throws, or answers anything but a finite
   * number >= 0, stops the run with `INVALID_CONFIG` naming the sizer and the bar: a broken
   * sizer must not pass for a run of small-order rejections.
   */
  #callSizer(sizer: PositionSizer, request: SizingRequest, i: number): number {
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
    if (typeof quantity === 'number' && quantity >= 0 && quantity !== Number.POSITIVE_INFINITY) return quantity;
    const got = typeof result === 'object' && result !== null ? `a quantity of ${describeValue(quantity)}` : describeValue(result);
    throw new AlgoTradingError(
      'INVALID_CONFIG',
      `positionSizer ${sizer.method} returned ${got} at bar ${i}: calculate() must return { quantity } with a finite number >= 0`,
      { details: { field: 'positionSizer', index: i, value: quantity, method: sizer.method } },
    );
  }


  /**
   * The money an all-in entry in `inst` may commit at `price`: maxLeverage x equity less the gross
   * exposure of the other positions and of `inst`'s own (marked at `price`). With no leverage and
   * no other position, the cash.
   */
  #headroom(inst: Instrument, price: number): number {
    const book = this.book;
    const leverage = this.#config.maxLeverage;
    let gross = 0;
    let equity = book.cash;
    for (const p of book.open) {
      const px = p.symbol === inst.symbol ? price : p.lastPrice;
      gross += p.quantity * px;
      equity += p.direction * p.quantity * px;
    }
    return leverage * equity - gross;
  }

  /**
   * Whether an opening fill of `quantity` at `price` fits: gross exposure after the fill <=
   * maxLeverage x equity after its commission. Without leverage and shorts this is "the cash
   * covers quantity x price + commission", decided exactly by the ledger.
   */
  #fits(inst: Instrument, order: OrderState, quantity: number, price: number, liquidity: 'maker' | 'taker'): boolean {
    const commission = this.#commission(order, quantity, price, liquidity);
    const book = this.book;
    if (this.#cashBound(order)) return book.canAfford(price, quantity, commission);
    return quantity * price <= this.#headroom(inst, price) - this.#config.maxLeverage * commission;
  }

  /** Whether an opening fill of `order` is bound by the cash alone: no leverage, a buy, no short open. */
  #cashBound(order: OrderState): boolean {
    return this.#config.maxLeverage === 1 && order.direction === 1 && !this.book.open.some((p) => p.direction === -1);
  }

  /**
   * The largest lot multiple <= `quantity` that {@link #fits}: at most the closed-form all-in size,
   * sized against the exact ledger when only the cash binds and the commission is a percent
   * (then it fits by construction), else from the float headroom and checked by the ledger; when
   * even that does not fit, a bisection over lot counts: a bounded number of steps whatever
   * quantity / lot.
   */
  #largestFitting(inst: Instrument, order: OrderState, quantity: number, price: number, liquidity: 'maker' | 'taker'): number {
    const lot = this.#specs.lot[inst.slot]!;
    const leverage = this.#config.maxLeverage;
    const pct = this.#specs.commissionPct[inst.slot]!;
    const percent = pct === pct ? pct : null;
    const guess =
      percent !== null && this.#cashBound(order)
        ? this.book.affordableQuantity(price, percent, lot)
        : affordableQuantity(Math.max(0, this.#headroom(inst, price)), price, (percent ?? 0) * leverage, lot);
    const q = Math.min(floorToStep(quantity, lot), guess);
    if (q <= 0) return 0;
    if (this.#fits(inst, order, q, price, liquidity)) return q;
    let lo = 0;
    let hi = Math.round(q / lot);
    for (let step = 0; step < 128 && hi - lo > 1; step++) {
      const mid = Math.floor((lo + hi) / 2);
      const candidate = floorToStep(mid * lot, lot);
      if (candidate > 0 && this.#fits(inst, order, candidate, price, liquidity)) lo = mid;
      else hi = mid;
    }
    return lo === 0 ? 0 : floorToStep(lo * lot, lot);
  }

  /**
   * Books one fill of `order`: the ledger, the fill log, the order's totals, the participation
   * used. The order's status is settled by {@link #settle}.
   */
  #book(
    inst: Instrument,
    order: OrderState,
    fill: {
      readonly quantity: number;
      readonly price: number;
      readonly reference: number;
      readonly commission: number;
      readonly effect: 'open' | 'close';
      readonly reason: 'entry' | ExitReason;
      readonly initialStop: number;
    },
  ): void {
    const i = this.#bar;
    const time = inst.series.time[i]!;
    const id = this.#id(order);
    const slippageCost = Math.abs(fill.price - fill.reference) * fill.quantity;
    const book = this.book;
    book.applyFill({
      symbol: inst.symbol,
      side: order.side,
      quantity: fill.quantity,
      price: fill.price,
      commission: fill.commission,
      slippageCost,
      time,
      barIndex: i,
      reason: fill.reason === 'entry' ? undefined : fill.reason,
      initialStop: fill.initialStop,
    });
    inst.position = book.position(inst.symbol);
    const cash = book.cash;
    this.fills.push({
      time,
      barIndex: i,
      orderId: id,
      symbol: inst.symbol,
      side: order.side,
      effect: fill.effect,
      quantity: fill.quantity,
      price: fill.price,
      referencePrice: fill.reference,
      commission: fill.commission,
      slippageCost,
      reason: fill.reason,
      // The exact cash of a long-only run without leverage is never negative; its float mirror
      // may be a few ulps below 0: the published cash respects the invariant.
      cashAfter: this.#longOnly && cash < 0 ? 0 : cash,
    });
    order.filled += fill.quantity;
    order.filledNotional += fill.price * fill.quantity;
    order.commission += fill.commission;
    if (this.#config.volumeParticipation !== null) {
      if (inst.volumeBar !== i) {
        inst.volumeBar = i;
        inst.filledInBar = 0;
      }
      inst.filledInBar += fill.quantity;
    }
    if (order.filled === fill.quantity) this.#cancelOco(order);
    if (inst.position === undefined) this.#cancelReduceOnly(inst, order);
  }

  /** The status of `order` after its fills: filled (and out of the book), or partially filled. */
  #settle(inst: Instrument, order: OrderState): void {
    if (!order.live) return;
    let complete: boolean;
    if (order.quantity === order.quantity) complete = order.filled >= order.quantity * (1 - QUANTITY_TOLERANCE);
    else complete = order.reduceOnly && inst.position === undefined;
    if (complete) {
      if (order.quantity !== order.quantity) order.quantity = order.filled;
      order.status = 'filled';
      this.#retire(order);
    } else {
      if (order.filled > 0) order.status = 'partially_filled';
      this.#record(order);
    }
  }

  /** Cancels the other live members of `order`'s OCO group. */
  #cancelOco(order: OrderState): void {
    const key = order.ocoKey;
    if (key === null) return;
    for (const inst of this.#instruments) {
      const list = inst.active;
      for (let k = 0; k < list.length; ) {
        const o = list[k]!;
        if (o !== order && o.ocoKey === key && o.live) this.end(o, 'cancelled', 'another order of its OCO group filled');
        else k++;
      }
    }
  }

  /** Cancels `inst`'s reduce-only orders once its position is closed. */
  #cancelReduceOnly(inst: Instrument, except: OrderState | null): void {
    const list = inst.active;
    for (let k = 0; k < list.length; ) {
      const o = list[k]!;
      if (o !== except && o.reduceOnly && o.live) this.end(o, 'cancelled', 'the position is closed');
      else k++;
    }
  }

  /**
   * Places an entry's protective children: a stop-loss (a trailing stop when the entry has a
   * trail), a take-profit and a time stop, reduce-only, one OCO group, live for the rest of the
   * bar after a fill at the open, from the next bar otherwise. A child whose level the fill has
   * already passed exits at once, at the fill price. After a fill inside the bar, `intrabarPolicy`
   * decides which child level inside the bar's range was reached (`stop_first`: the stop was, the
   * target was not).
   */
  #protect(inst: Instrument, entry: OrderState, protection: Protection, price: number, reference: number, where: WhereCode): void {
    const i = this.#bar;
    const exitSide: OrderSide = entry.side === 'buy' ? 'sell' : 'buy';
    const trailing = protection.trailPercent === protection.trailPercent || protection.trailAmount === protection.trailAmount;
    const children: OrderState[] = [];
    if (protection.stop === protection.stop || trailing) {
      const spec = resetSpec(this.#scratch, inst.slot, inst.symbol, exitSide, trailing ? 'trailing_stop' : 'stop', 'stop_loss');
      spec.stopPrice = protection.stop;
      spec.trailPercent = protection.trailPercent;
      spec.trailAmount = protection.trailAmount;
      spec.activationPrice = protection.activation;
      children.push(this.#newOrder(spec));
    }
    if (protection.target === protection.target) {
      const spec = resetSpec(this.#scratch, inst.slot, inst.symbol, exitSide, 'limit', 'take_profit');
      spec.limitPrice = protection.target;
      children.push(this.#newOrder(spec));
    }
    if (protection.timeStopAt === protection.timeStopAt) {
      const spec = resetSpec(this.#scratch, inst.slot, inst.symbol, exitSide, 'market', 'time_stop');
      spec.activeFrom = protection.timeStopAt;
      children.push(this.#newOrder(spec));
    }
    for (const order of children) {
      order.reduceOnly = true;
      order.parentId = entry.id;
      order.ocoKey = entry.id;
      if (where === Where.OPEN) order.pathFrom = i;
      if (order.type === 'trailing_stop') Simulation.#armTrail(order, price);
      this.orders.record(order);
      inst.active.push(order);
    }
    // A level the fill has already passed: the child exits at once, at the fill price.
    for (const order of children) {
      if (order.type === 'market') continue;
      if (executesAt(order, price) || executesAt(order, reference)) {
        order.doneInBar = i;
        this.execute(inst, order, price, where);
        return;
      }
    }
    if (where !== Where.INTRABAR || inst.position === undefined) return;
    // After a fill inside the bar the path from the fill on is unknown: the policy decides which
    // child level inside the bar's range was reached.
    const bar = OrderBook.loadBar(inst, i);
    const policy = this.#config.intrabarPolicy;
    let reached: OrderState | null = null;
    let nearest = Number.POSITIVE_INFINITY;
    for (const order of children) {
      order.doneInBar = i;
      if (order.type === 'market' || !touches(order, bar)) continue;
      const distance = Math.abs(order.level - price);
      if (policy === 'stop_first' ? order.role === 'stop_loss' : policy === 'target_first' ? order.role === 'take_profit' : distance < nearest) {
        reached = order;
        nearest = distance;
      }
    }
    if (reached !== null) this.execute(inst, reached, reached.level, Where.INTRABAR);
  }

  /** Starts a new trailing stop at `price` (the fill, or the close it is placed at). */
  static #armTrail(order: OrderState, price: number): void {
    ratchetTrail(order, { open: price, high: price, low: price, close: price }, false);
    order.refreshLevel();
  }

  // -------------------------------------------------------------------------------------------
  // Engine exits: the kill switch, the ruin of a short, the end of the data

  /** The kill switch: every position gets a market exit for the next open (its other exits are cancelled). */
  #flatten(): void {
    for (const inst of this.#instruments) {
      if (inst.position === undefined) continue;
      this.#cancelReduceOnly(inst, null);
      this.#place(inst, this.#spec(inst, inst.position.direction === 1 ? 'sell' : 'buy', 'emergency', null, Number.NaN), { closeLook: false });
    }
  }

  /** Closes `inst`'s position at this bar's close now (the ruin of a short, `closeAtEnd`, a delisting). */
  #exitNow(inst: Instrument, i: number, role: 'emergency' | 'end_of_data' | 'delisted'): void {
    const position = inst.position;
    if (position === undefined) return;
    this.#cancelReduceOnly(inst, null);
    const order = this.#place(inst, this.#spec(inst, position.direction === 1 ? 'sell' : 'buy', role, null, Number.NaN), { closeLook: true });
    order.doneInBar = i;
    this.execute(inst, order, inst.series.close[i]!, Where.CLOSE);
  }

  /** A delisting: `inst`'s live orders are cancelled and its position closed at its last close. */
  #delist(inst: Instrument, i: number): void {
    while (inst.active.length > 0) this.end(inst.active[0]!, 'cancelled', `${inst.symbol} has no bars after this one (delisted)`);
    this.#exitNow(inst, i, 'delisted');
  }

  /** `closeAtEnd`: every live order is cancelled and every position closed at the last close. */
  #closeAtEnd(inst: Instrument, i: number): void {
    while (inst.active.length > 0) this.end(inst.active[0]!, 'cancelled', 'the data ended (closeAtEnd)');
    this.#exitNow(inst, i, 'end_of_data');
  }

  // -------------------------------------------------------------------------------------------
  // Financing

  /** Books the financing of the days since the last booking, on the balances at the last close. */
  #accrueFinancing(i: number): void {
    const model = this.#config.financing!;
    const time = this.time[i]!;
    const today = Math.floor(time / MS_PER_DAY) * MS_PER_DAY;
    const from = this.#lastFinancing;
    const days = (today - from) / MS_PER_DAY;
    this.#lastFinancing = today;
    this.#nextFinancing = today + MS_PER_DAY;
    const book = this.book;
    let longValue = 0;
    let shortValue = 0;
    // A symbol with its own borrow rate pays it here; the model sees the other shorts only.
    let ownBorrow = 0;
    const rates = this.#specs.borrowRate;
    for (const inst of this.#instruments) {
      const p = inst.position;
      if (p === undefined) continue;
      if (p.direction === 1) longValue += p.quantity * p.lastPrice;
      else if (rates[inst.slot] === rates[inst.slot]) ownBorrow += p.quantity * p.lastPrice * rates[inst.slot]!;
      else shortValue += p.quantity * p.lastPrice;
    }
    const charge = model.accrue({ cash: book.cash, longMarketValue: longValue, shortMarketValue: shortValue, from, to: today, days });
    const interest = charge?.interest;
    const modelFee = charge?.borrowFee;
    if (!(typeof interest === 'number' && Number.isFinite(interest) && typeof modelFee === 'number' && Number.isFinite(modelFee) && modelFee >= 0)) {
      throw new AlgoTradingError(
        'INVALID_CONFIG',
        `financing model ${model.name} returned ${describeValue(charge)} at bar ${i}: expected { interest: a finite number, borrowFee: a finite number >= 0 }`,
        { details: { field: 'financing', index: i, value: charge } },
      );
    }
    const borrowFee = ownBorrow === 0 ? modelFee : modelFee + (ownBorrow * days) / (model.dayCount ?? 365);
    if (interest === 0 && borrowFee === 0) return;
    book.bookCashFlow(interest - borrowFee);
    this.totalInterest += interest;
    this.totalBorrowFees += borrowFee;
    this.financingBars.push(i);
    this.financingCash.push(book.cash);
  }

  // -------------------------------------------------------------------------------------------
  // The risk gate's view

  /** The position in `symbol` as the risk gate sees it (the stop in force from its resting orders). */
  positionInfo(symbol: string): PositionInfo | undefined {
    const inst = this.instrument(symbol);
    const p = inst?.position;
    if (inst === undefined || p === undefined) return undefined;
    let stop = Number.NaN;
    for (const o of inst.active) {
      if (!o.reduceOnly || !o.live || (o.type !== 'stop' && o.type !== 'trailing_stop')) continue;
      const level = o.type === 'stop' ? o.stopPrice : stopInForce(o.direction, o.stopPrice, o.trailLevel);
      if (level !== level) continue;
      if (stop !== stop || (p.direction === 1 ? level > stop : level < stop)) stop = level;
    }
    return {
      symbol,
      side: p.side,
      quantity: p.quantity,
      entryPrice: p.entryPrice,
      entryTime: p.entryTime,
      lastPrice: p.lastPrice,
      stopPrice: stop,
    };
  }

  /** The stop in force and the take-profit of `symbol`'s resting protective orders (null = none). */
  protectiveLevels(symbol: string): { stopLoss: number | null; takeProfit: number | null } {
    const info = this.positionInfo(symbol);
    const inst = this.instrument(symbol);
    let target = Number.NaN;
    if (inst !== undefined) {
      for (const o of inst.active) if (o.reduceOnly && o.live && o.role === 'take_profit') target = o.limitPrice;
    }
    const stop = info === undefined ? Number.NaN : info.stopPrice;
    return { stopLoss: stop === stop ? stop : null, takeProfit: target === target ? target : null };
  }

  /** Every open position as the risk gate sees it. */
  positionInfos(): readonly PositionInfo[] {
    const out: PositionInfo[] = [];
    for (const p of this.book.open) out.push(this.positionInfo(p.symbol)!);
    return out;
  }

  /** The strategy context of a strategy run (null in signals mode). */
  get context(): StrategyContext | null {
    return this.#context;
  }
}
