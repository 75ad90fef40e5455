import {
  AlgoTradingError,
  EXIT_REASONS,
  ExactCash,
  TradeLog,
  describeValue,
  isPositiveFinite,
  throwInvalid,
  type BarSeries,
  type Decimal,
  type ExitReason,
  type Fill,
  type IntrabarExitOut,
  type Logger,
  type ProtectiveLevels,
  type RiskAction,
  type RiskGate,
  type Side,
  type Trade,
  type TradeCheckCode,
  type TradeRequest,
  type TradeValidation,
} from '@algo-trading/core';
import { conditionalValueAtRisk, valueAtRisk } from '@algo-trading/metrics';
import { DrawdownZone, riskMultiplierForZone, zoneForDrawdown } from './drawdown-zone';
import { resolveRiskOptions, type ResolvedRiskOptions, type RiskManagerOptions } from './options';
import {
  createPositionState,
  effectiveStop,
  evaluatePosition,
  openRisk,
  ratchetTrailingStop,
  setArmPrice,
  type PositionState,
  type TrailingRule,
} from './position-state';
import { formatRiskSummary, type PositionSnapshot, type RiskMetrics } from './risk-metrics';
import { findInvalidPrices, runTradeChecks, type TradeCheckContext } from './trade-checks';
import { MS_PER_DAY, TradingDayClock } from './trading-day';

/** A time: a `Date` or epoch milliseconds (UTC). */
export type TimeInput = Date | number;

/** One bar's prices for {@link RiskManager.updatePositions}. */
export interface OhlcPrice {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** A price update for one symbol: a plain price or a bar. */
export type PriceUpdate = number | OhlcPrice;

/** Input of {@link RiskManager.openPosition}. */
export interface OpenPositionInput {
  readonly symbol: string;
  /** Default `long`. */
  readonly side?: Side | undefined;
  readonly entryPrice: number;
  /** Units, > 0. */
  readonly quantity: number;
  readonly entryDate: TimeInput;
  /** Protective stop; default entry x (1 -/+ hardStopPct). */
  readonly stopLoss?: number | undefined;
  /** Take-profit; default entry x (1 +/- takeProfitPct). */
  readonly takeProfit?: number | undefined;
  /** Model confidence in [0, 1], checked against `minConfidence` when given. */
  readonly confidence?: number | undefined;
  /**
   * Books the position without the seven pre-trade checks (e.g. to mirror a broker's existing
   * position). The input itself is still validated. Default false.
   */
  readonly skipChecks?: boolean | undefined;
}

/** Input of {@link RiskManager.closePosition}. */
export interface ClosePositionInput {
  readonly symbol: string;
  readonly exitPrice: number;
  readonly exitDate: TimeInput;
  /** Default `manual`. */
  readonly reason?: ExitReason | undefined;
  /** Units to close; default the whole position. */
  readonly quantity?: number | undefined;
}

const EMPTY_TRADES: readonly Trade[] = Object.freeze([]);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** The answer of every passing {@link RiskManager.validateTrade} (shared: a valid trade allocates nothing). */
const VALID: TradeValidation = Object.freeze({ isValid: true, issues: Object.freeze([]) });
const QUANTITY_TOLERANCE = 1e-9;

function iso(time: number): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString();
}

function toTime(value: unknown, field: string): number {
  const time = value instanceof Date ? value.getTime() : value;
  if (typeof time !== 'number' || !Number.isFinite(time)) throwInvalid(field, 'a valid Date or epoch milliseconds', value);
  return time;
}

/**
 * A multi-layered risk manager: per-position stops (hard, trailing with activation, take-profit,
 * time), drawdown zones with risk multipliers and an emergency kill switch, portfolio heat, a daily
 * loss limit, the seven pre-trade checks, drawdown/VaR metrics.
 *
 * Two ways to drive it, over the same state and the same per-position evaluation:
 * - standalone (a live or paper loop): {@link openPosition}, {@link updatePositions} with prices
 *   or bars, {@link closePosition}; the manager books the cash itself;
 * - inside the backtest engine, through {@link RiskGate}: the engine reports every fill
 *   ({@link onFill}) and every mark ({@link updatePrice}, {@link markToMarket}); the manager never
 *   books on its own there, so its cash (Decimal), equity and positions equal the engine's ledger.
 *
 * @example
 * const rm = new RiskManager({ initialCapital: 10_000 });
 * const { isValid } = rm.validateTrade({ symbol: 'AAPL', quantity: 10, entryPrice: 100, stopLoss: 97, confidence: 0.65 });
 * if (isValid) rm.openPosition({ symbol: 'AAPL', entryPrice: 100, quantity: 10, entryDate: new Date() });
 * const closed = rm.updatePositions({ AAPL: { open: 101, high: 106, low: 100, close: 104 } }, new Date());
 * console.log(closed[0]?.exitReason, rm.getSummary()); // 'take_profit' at 105
 */
export class RiskManager implements RiskGate {
  /** The validated options, defaults applied. */
  readonly options: ResolvedRiskOptions;

  private readonly logger: Logger;
  private readonly rule: TrailingRule;
  private readonly clock: TradingDayClock;
  /**
   * Open positions by symbol. A closed position leaves its key mapped to `undefined` instead of
   * being deleted (a delete shrinks, i.e. reallocates, the table on every round trip); the keys
   * are bounded by the symbols traded since the last reset.
   */
  private readonly positionsBySymbol = new Map<string, PositionState | undefined>();
  /** The same states as the map, in opening order, for allocation-free iteration. */
  private readonly book: PositionState[] = [];
  /** States of closed positions, referenced nowhere else, reused by the next opening fill. */
  private readonly spareStates: PositionState[] = [];
  /** The state found by the last lookup (the engine asks for the same symbol every bar). */
  private lastState: PositionState | undefined = undefined;
  private readonly exitOut: IntrabarExitOut = { price: Number.NaN };
  /** The context of {@link validateTrade}'s checks, refilled on every call. */
  private readonly checkContext: Mutable<Omit<TradeCheckContext, 'defaults'>> & { readonly defaults: Mutable<ProtectiveLevels> } = {
    availableBalance: 0,
    equity: 0,
    existingExposure: 0,
    zone: DrawdownZone.NORMAL,
    drawdown: 0,
    openRisk: 0,
    dailyLimitHit: false,
    dailyLoss: 0,
    defaults: { stopLoss: null, takeProfit: null },
  };
  private readonly varCutoff: number;

  private initialCapital = 0;
  /** The cash: a float mirror for the per-bar work, the exact Decimal built on demand. */
  private cash = new ExactCash(0);
  private cashNumber = 0;
  private lastTime = Number.NEGATIVE_INFINITY;

  private peak = 0;
  private peakTime = Number.NaN;
  private drawdown = 0;
  private maxDrawdown = 0;
  private zone: DrawdownZone = DrawdownZone.NORMAL;
  /** The drawdown the zone was last looked up for (NaN: look it up at the next refresh). */
  private zoneDrawdown = Number.NaN;
  private drawdownBars = 0;
  private drawdownDays = 0;
  private maxDrawdownBars = 0;
  private maxDrawdownDays = 0;
  private killSwitchEngaged = false;
  private killSwitchCount = 0;

  private dayEnd = Number.NEGATIVE_INFINITY;
  private dayStartEquity = 0;
  private dailyLimitHit = false;

  private marks = 0;
  /** 1 while updatePositions evaluates a period that is not marked yet (its exits belong to it). */
  private periodOffset = 0;
  private prevMarkEquity = 0;
  private returns = new Float64Array(256);
  private returnCount = 0;

  /** The closed trades, in columns (objects built on demand). */
  private readonly trades = new TradeLog();
  private realizedPnl = 0;
  private wins = 0;

  /** @throws AlgoTradingError `INVALID_CONFIG` naming each invalid or unknown option. */
  constructor(options: RiskManagerOptions = {}) {
    const { options: resolved, logger } = resolveRiskOptions(options);
    this.options = resolved;
    this.logger = logger;
    this.rule = Object.freeze({
      trailingStopPct: resolved.trailingStopPct ?? 0,
      trailingActivationPct: resolved.trailingActivationPct,
    });
    this.clock = new TradingDayClock(resolved.timeZone);
    this.varCutoff = Math.round((1 - resolved.varConfidence) * 1e12) / 1e12;
    this.reset({ initialCapital: resolved.initialCapital });
  }

  // -------------------------------------------------------------------------------------------
  // RiskGate

  /**
   * Starts afresh: no positions, no trades, cash = `initialCapital` (also the equity peak),
   * metrics cleared. With `time`, the first trading day starts there. With `expectedPeriods`
   * (the number of marks to come, e.g. the bar count), the per-period return history is reserved
   * at that size at once (it is never shrunk; more marks than expected still grow it).
   *
   * @throws AlgoTradingError `INVALID_ARGUMENT` for a non-positive capital, an invalid time or an
   * `expectedPeriods` that is not an integer >= 0.
   */
  reset(options: { readonly initialCapital: number; readonly time?: number; readonly expectedPeriods?: number }): void {
    if (!isPositiveFinite(options?.initialCapital)) {
      throwInvalid('initialCapital', 'a finite number greater than 0', options?.initialCapital);
    }
    const time = options.time === undefined ? undefined : toTime(options.time, 'time');
    const expected = options.expectedPeriods;
    if (expected !== undefined && !(Number.isSafeInteger(expected) && expected >= 0)) {
      throwInvalid('expectedPeriods', 'an integer >= 0', expected);
    }
    if (expected !== undefined && expected > this.returns.length) this.returns = new Float64Array(expected);
    this.positionsBySymbol.clear();
    this.book.length = 0;
    this.lastState = undefined;
    this.initialCapital = options.initialCapital;
    this.cash = new ExactCash(options.initialCapital);
    this.cashNumber = this.cash.value;
    this.lastTime = Number.NEGATIVE_INFINITY;
    this.peak = this.cashNumber;
    this.peakTime = Number.NaN;
    this.drawdown = 0;
    this.maxDrawdown = 0;
    this.zone = DrawdownZone.NORMAL;
    this.zoneDrawdown = Number.NaN;
    this.drawdownBars = 0;
    this.drawdownDays = 0;
    this.maxDrawdownBars = 0;
    this.maxDrawdownDays = 0;
    this.killSwitchEngaged = false;
    this.killSwitchCount = 0;
    this.dayEnd = Number.NEGATIVE_INFINITY;
    this.dayStartEquity = this.cashNumber;
    this.dailyLimitHit = false;
    this.marks = 0;
    this.prevMarkEquity = this.cashNumber;
    this.returnCount = 0;
    this.trades.clear();
    this.realizedPnl = 0;
    this.wins = 0;
    this.exitOut.price = Number.NaN;
    if (time !== undefined) this.advanceTime(time, 'time');
  }

  /**
   * Default protective levels at `entryPrice`: stop at entry x (1 - hardStopPct) and target at
   * entry x (1 + takeProfitPct) for a long, mirrored for a short; null where disabled.
   *
   * @throws AlgoTradingError `INVALID_ARGUMENT` for an invalid side or price; `INVALID_CONFIG`
   * naming `takeProfitPct` for a short when `takeProfitPct >= 1` (its target would be <= 0).
   */
  protectiveLevels(side: Side, entryPrice: number): ProtectiveLevels {
    if (side !== 'long' && side !== 'short') throwInvalid('side', '"long" or "short"', side);
    if (!isPositiveFinite(entryPrice)) throwInvalid('entryPrice', 'a finite number greater than 0', entryPrice);
    const d = side === 'long' ? 1 : -1;
    const { hardStopPct, takeProfitPct } = this.options;
    if (d === -1 && takeProfitPct !== null && takeProfitPct >= 1) shortTargetBelowZero(takeProfitPct, entryPrice);
    return {
      stopLoss: hardStopPct === null ? null : entryPrice * (1 - d * hardStopPct),
      takeProfit: takeProfitPct === null ? null : entryPrice * (1 + d * takeProfitPct),
    };
  }

  /** Sizing multiplier of the current drawdown zone (1, 0.5, 0.25, 0 by default). */
  getRiskMultiplier(): number {
    return riskMultiplierForZone(this.zone, this.options.zoneRiskMultipliers);
  }

  /**
   * Runs all seven pre-trade checks and returns every failed one (never throws for a bad
   * request: bad numbers are an `invalid_prices` issue). With `time` in a later day than the
   * last one seen, the daily loss limit of the previous day no longer applies.
   */
  validateTrade(request: TradeRequest): TradeValidation {
    if (typeof request !== 'object' || request === null) {
      return {
        isValid: false,
        issues: [{ code: 'invalid_prices', message: `the trade request must be an object, got ${describeValue(request)}` }],
      };
    }
    const side: Side = request.side === 'short' ? 'short' : 'long';
    const equity = this.computeEquity();
    const existing = this.positionsBySymbol.get(request.symbol);
    const newDay = typeof request.time === 'number' && Number.isFinite(request.time) && request.time >= this.dayEnd;
    const dailyLoss = this.dayStartEquity > 0 ? (this.dayStartEquity - equity) / this.dayStartEquity : 0;
    // One context object, refilled per call (the checks read it and keep nothing of it).
    const context = this.checkContext;
    const defaults = context.defaults;
    context.availableBalance = this.availableBalance();
    context.equity = equity;
    context.existingExposure = existing !== undefined && existing.side === side ? existing.quantity * existing.lastPrice : 0;
    context.zone = this.zone;
    context.drawdown = this.drawdown;
    context.openRisk = this.totalOpenRisk();
    context.dailyLimitHit = !newDay && this.isDailyLimitHit(equity);
    context.dailyLoss = dailyLoss;
    if (isPositiveFinite(request.entryPrice)) {
      // protectiveLevels(side, entryPrice), without its object.
      const d = side === 'long' ? 1 : -1;
      const { hardStopPct, takeProfitPct } = this.options;
      defaults.stopLoss = hardStopPct === null ? null : request.entryPrice * (1 - d * hardStopPct);
      // A short's target at or below 0 (takeProfitPct >= 1) is no target; protectiveLevels throws for it.
      defaults.takeProfit = takeProfitPct === null || (d === -1 && takeProfitPct >= 1) ? null : request.entryPrice * (1 + d * takeProfitPct);
    } else {
      defaults.stopLoss = null;
      defaults.takeProfit = null;
    }
    const issues = runTradeChecks(request, context, this.options);
    return issues.length === 0 ? VALID : { isValid: false, issues };
  }

  /**
   * Books a fill exactly as the engine executed it: cash exactly (a buy takes quantity x price
   * plus the commission, a sell adds quantity x price less the commission; core `ExactCash`: a
   * float mirror now, the Decimal on demand, as the engine's ledger), then opens, adds to,
   * reduces or closes the symbol's position. A closing fill records a closed trade.
   *
   * @throws AlgoTradingError `INVALID_ARGUMENT` for a malformed fill, `NOT_FOUND` when closing a
   * symbol without a position, `INVALID_STATE` for a fill against the position's side, more than
   * the position, or a time before the last one.
   */
  onFill(fill: Fill, levels?: ProtectiveLevels): void {
    this.applyFill(fill, levels);
  }

  /**
   * Evaluates `symbol`'s position against one bar: gap-through and intrabar stop (hard or
   * trailing) and target, then the time stop at the close; otherwise ratchets the trailing stop
   * from the bar's high (low for a short), in force from the next bar. The reference exit price is
   * left in {@link lastExitPrice}. Also moves the clock to `time` (a new trading day starts at the
   * equity of the last marks). Allocation-free.
   *
   * @throws AlgoTradingError `NOT_FOUND` when `symbol` has no open position, `INVALID_STATE` when
   * `time` is before the last time seen.
   */
  checkExit(symbol: string, open: number, high: number, low: number, close: number, time: number): ExitReason | null {
    const state = this.requireState(symbol, 'checkExit');
    // Roll the trading day before this bar's prices reach the book (updatePrice has no time).
    this.advanceTime(time, 'time');
    return evaluatePosition(state, open, high, low, close, time, this.rule, this.options.intrabarPolicy, this.exitOut);
  }

  /**
   * {@link checkExit} for bar `index` of `bars` (its open, high, low, close and time), the fast
   * path the engine uses: the same evaluation and state, without passing five prices per bar.
   * Allocation-free.
   *
   * @throws AlgoTradingError `NOT_FOUND` when `symbol` has no open position, `INVALID_ARGUMENT`
   * for an index outside the bars, `INVALID_STATE` when the bar's time is before the last time seen.
   */
  checkExitAt(symbol: string, bars: BarSeries, index: number): ExitReason | null {
    const state = this.requireState(symbol, 'checkExitAt');
    if (!(Number.isInteger(index) && index >= 0 && index < bars.time.length)) this.throwBadIndex(index, bars);
    // As checkExit, spelled out here so that the prices stay unboxed (one inlined evaluation).
    const time = bars.time[index]!;
    this.advanceTime(time, 'time');
    return evaluatePosition(state, bars.open[index]!, bars.high[index]!, bars.low[index]!, bars.close[index]!, time, this.rule, this.options.intrabarPolicy, this.exitOut);
  }

  /** Reference price of the last exit found by {@link checkExit} (or {@link updatePositions}). */
  get lastExitPrice(): number {
    return this.exitOut.price;
  }

  /**
   * Records `symbol`'s latest price (also a price seen for the trailing stop). Allocation-free.
   * It carries no time: the engine calls {@link checkExit} (or {@link onFill}) with the bar's time
   * first, which rolls the trading day before the new prices are recorded.
   *
   * @throws AlgoTradingError `NOT_FOUND` without a position, `INVALID_DATA` for a bad price.
   */
  updatePrice(symbol: string, price: number): void {
    this.recordPrice(this.requireState(symbol, 'updatePrice'), price);
  }

  /**
   * Marks the book at the recorded prices at `time` (one period): equity, per-period return,
   * peak, drawdown and its duration, zone, daily P&L and the daily loss limit. Returns `flatten`
   * when the drawdown reached the kill-switch threshold with positions open. Allocation-free
   * (except the amortised growth of the return history and once-a-day time-zone arithmetic).
   *
   * @throws AlgoTradingError `INVALID_STATE` when `time` is before the last time seen.
   */
  markToMarket(time: number): RiskAction {
    return this.mark(time);
  }

  /**
   * The end-of-bar mark for bar `index` of `bars`, the fast path the engine uses: with
   * `hasPosition`, {@link updatePrice} at the bar's close, then {@link markToMarket} at its time.
   * Allocation-free (as {@link markToMarket}).
   *
   * @throws AlgoTradingError as {@link updatePrice} and {@link markToMarket}, `INVALID_ARGUMENT`
   * for an index outside the bars.
   */
  markAt(symbol: string, bars: BarSeries, index: number, hasPosition: boolean): RiskAction {
    if (!(Number.isInteger(index) && index >= 0 && index < bars.time.length)) this.throwBadIndex(index, bars);
    // The close reaches the out-of-line price record as (array, index): a double argument is boxed.
    if (hasPosition) this.recordPriceAt(this.requireState(symbol, 'markAt'), bars.close, index);
    return this.markAtIndex(bars.time, index);
  }

  // -------------------------------------------------------------------------------------------
  // The per-bar logic shared by the RiskGate methods and their index fast paths (the evaluation
  // itself is position-state's evaluatePosition).

  /** The latest price of a position (also a price seen for the trailing stop). */
  private recordPrice(state: PositionState, price: number): void {
    if (!(price > 0 && price < Number.POSITIVE_INFINITY)) this.throwBadPrice(state.symbol, price);
    state.lastPrice = price;
    ratchetTrailingStop(state, price, this.rule);
  }

  /** {@link recordPrice} of `prices[index]`, with no double crossing a call boundary (no box per bar). */
  private recordPriceAt(state: PositionState, prices: Float64Array, index: number): void {
    const price = prices[index]!;
    if (!(price > 0 && price < Number.POSITIVE_INFINITY)) this.throwBadPriceAt(state.symbol, prices, index);
    state.lastPrice = price;
    ratchetTrailingStop(state, price, this.rule);
  }

  /** {@link mark} at `times[index]`: the time stays unboxed when the caller inlines this method but not the mark. */
  private markAtIndex(times: Float64Array, index: number): RiskAction {
    return this.mark(times[index]!);
  }

  /** One mark of the book at `time`. */
  private mark(time: number): RiskAction {
    this.advanceTime(time, 'time');
    const equity = this.computeEquity();
    this.pushReturn(this.prevMarkEquity > 0 ? equity / this.prevMarkEquity - 1 : Number.NaN);
    this.prevMarkEquity = equity;
    this.marks++;
    this.refresh(equity, true);
    if (this.drawdown >= this.options.drawdownZones.emergency && this.book.length > 0) {
      if (!this.killSwitchEngaged) this.engageKillSwitch();
      return 'flatten';
    }
    return 'none';
  }

  private engageKillSwitch(): void {
    this.killSwitchEngaged = true;
    this.killSwitchCount++;
    this.logger.error(
      { drawdown: this.drawdown, threshold: this.options.drawdownZones.emergency, positions: this.book.length, time: this.lastTime },
      'risk: emergency kill switch, flattening every position',
    );
  }

  // -------------------------------------------------------------------------------------------
  // Standalone API

  /**
   * Opens a position and books its cost (commission = commissionPct x notional). Runs the seven
   * checks first unless `skipChecks`.
   *
   * @throws AlgoTradingError `INVALID_ARGUMENT` for invalid input (non-finite or non-positive
   * numbers, stop or target on the wrong side), `INVALID_STATE` when the symbol already has a
   * position, the date goes backwards, or a check fails (every failed check in the message and in
   * `details.issues`).
   */
  openPosition(input: OpenPositionInput): PositionSnapshot {
    if (typeof input !== 'object' || input === null) throwInvalid('openPosition input', 'an object', input);
    const side: Side = input.side ?? 'long';
    if (side !== 'long' && side !== 'short') throwInvalid('side', '"long" or "short"', input.side);
    const problems = findInvalidPrices(input, side);
    if (problems.length > 0) {
      throw new AlgoTradingError('INVALID_ARGUMENT', `Invalid position for ${describeValue(input.symbol)}: ${problems.join('; ')}`, {
        details: { field: 'openPosition', value: input, problems },
      });
    }
    const { confidence } = input;
    if (confidence !== undefined && !(typeof confidence === 'number' && confidence >= 0 && confidence <= 1)) {
      throwInvalid('confidence', 'a number in [0, 1]', confidence);
    }
    const time = toTime(input.entryDate, 'entryDate');
    this.requireForward(time, 'entryDate');
    if (this.positionsBySymbol.get(input.symbol) !== undefined) {
      throw new AlgoTradingError('INVALID_STATE', `a position in ${input.symbol} is already open; close it before opening another`, {
        details: { field: 'symbol', value: input.symbol },
      });
    }
    const defaults = this.protectiveLevels(side, input.entryPrice);
    const levels: ProtectiveLevels = {
      stopLoss: input.stopLoss ?? defaults.stopLoss,
      takeProfit: input.takeProfit ?? defaults.takeProfit,
    };
    const commission = this.options.commissionPct * input.quantity * input.entryPrice;
    if (input.skipChecks !== true) {
      const { isValid, issues } = this.validateTrade({
        symbol: input.symbol,
        side,
        quantity: input.quantity,
        entryPrice: input.entryPrice,
        stopLoss: levels.stopLoss ?? undefined,
        takeProfit: levels.takeProfit ?? undefined,
        confidence: input.confidence,
        commission,
        time,
      });
      if (!isValid) {
        throw new AlgoTradingError(
          'INVALID_STATE',
          `trade in ${input.symbol} rejected by the risk checks:\n${issues.map((i) => `${i.code}: ${i.message}`).join('\n')}`,
          { details: { field: 'openPosition', value: input.symbol, issues } },
        );
      }
    }
    this.applyFill(
      {
        time,
        barIndex: -1,
        symbol: input.symbol,
        side: side === 'long' ? 'buy' : 'sell',
        effect: 'open',
        quantity: input.quantity,
        price: input.entryPrice,
        referencePrice: input.entryPrice,
        commission,
        slippageCost: 0,
        reason: 'entry',
      },
      levels,
    );
    return this.getPosition(input.symbol)!;
  }

  /**
   * Closes (all or part of) a position at `exitPrice` and returns the closed trade.
   *
   * @throws AlgoTradingError `NOT_FOUND` for a symbol without a position, `INVALID_ARGUMENT` for a
   * bad price, quantity, reason or date, `INVALID_STATE` when the date goes backwards.
   */
  closePosition(input: ClosePositionInput): Trade {
    if (typeof input !== 'object' || input === null) throwInvalid('closePosition input', 'an object', input);
    const state = this.positionsBySymbol.get(input.symbol);
    if (state === undefined) this.throwNoPosition(input.symbol, 'closePosition');
    if (!isPositiveFinite(input.exitPrice)) throwInvalid('exitPrice', 'a finite number greater than 0', input.exitPrice);
    const reason = input.reason ?? 'manual';
    if (!(EXIT_REASONS as readonly string[]).includes(reason)) throwInvalid('reason', `one of ${EXIT_REASONS.join(', ')}`, reason);
    const quantity = input.quantity ?? state.quantity;
    if (!isPositiveFinite(quantity) || quantity > state.quantity * (1 + QUANTITY_TOLERANCE)) {
      throwInvalid('quantity', `a number in (0, ${state.quantity}] (the position's size)`, input.quantity);
    }
    const time = toTime(input.exitDate, 'exitDate');
    this.requireForward(time, 'exitDate');
    return this.closeAt(state, Math.min(quantity, state.quantity), input.exitPrice, time, reason);
  }

  /**
   * Applies one period of prices (a plain price or an OHLC bar per symbol) to the open positions:
   * each position is evaluated exactly as {@link checkExit} does and exits are booked at once (a
   * time stop at the close); then the book is marked ({@link markToMarket}) and, if the kill
   * switch fires, every remaining position is closed at its latest price with reason `emergency`.
   * Positions without an entry in `prices` keep their last price; entries for symbols without a
   * position are ignored.
   *
   * @returns the trades closed by this update, in booking order (a shared empty array when none).
   * @throws AlgoTradingError `INVALID_DATA` for a bad price or bar (nothing is changed then),
   * `INVALID_STATE` when `date` is before the last time seen.
   */
  updatePositions(prices: Readonly<Record<string, PriceUpdate>>, date: TimeInput): readonly Trade[] {
    if (typeof prices !== 'object' || prices === null) throwInvalid('prices', 'an object of symbol -> price or bar', prices);
    const time = toTime(date, 'date');
    this.requireForward(time, 'date');
    const book = this.book;
    for (let i = 0; i < book.length; i++) {
      const symbol = book[i]!.symbol;
      const update = priceOf(prices, symbol);
      if (update !== undefined) checkPriceUpdate(symbol, update);
    }
    // Roll the trading day before the new prices reach the book, so the day starts at the old marks.
    this.advanceTime(time, 'date');
    let closed: Trade[] | null;
    this.periodOffset = 1;
    try {
      closed = this.evaluateBook(prices, time);
    } finally {
      this.periodOffset = 0;
    }
    if (this.markToMarket(time) === 'flatten') {
      while (book.length > 0) {
        const state = book[0]!;
        (closed ??= []).push(this.closeAt(state, state.quantity, state.lastPrice, time, 'emergency'));
      }
    }
    return closed ?? EMPTY_TRADES;
  }

  /** The exits of one standalone period, before its mark. */
  private evaluateBook(prices: Readonly<Record<string, PriceUpdate>>, time: number): Trade[] | null {
    const book = this.book;
    let closed: Trade[] | null = null;
    for (let i = 0; i < book.length; ) {
      const state = book[i]!;
      const update = priceOf(prices, state.symbol);
      if (update === undefined) {
        i++;
        continue;
      }
      let open: number, high: number, low: number, close: number;
      if (typeof update === 'number') open = high = low = close = update;
      else ({ open, high, low, close } = update);
      const reason = evaluatePosition(state, open, high, low, close, time, this.rule, this.options.intrabarPolicy, this.exitOut);
      if (reason === null) {
        state.lastPrice = close;
        i++;
      } else {
        (closed ??= []).push(this.closeAt(state, state.quantity, this.exitOut.price, time, reason));
      }
    }
    return closed;
  }

  // -------------------------------------------------------------------------------------------
  // Queries

  /** Cash as a number (the float mirror of the Decimal ledger). */
  getCash(): number {
    return this.cashNumber;
  }

  /** Cash exactly, as core `Decimal`. */
  getCashDecimal(): Decimal {
    return this.cash.exact;
  }

  /** cash + sum of signed quantity x latest price. */
  getEquity(): number {
    return this.computeEquity();
  }

  /** A snapshot of `symbol`'s open position, or undefined. */
  getPosition(symbol: string): PositionSnapshot | undefined {
    const state = this.positionsBySymbol.get(symbol);
    return state === undefined ? undefined : snapshot(state);
  }

  /** Snapshots of every open position, in opening order. */
  getPositions(): PositionSnapshot[] {
    return this.book.map(snapshot);
  }

  /** Every closed trade so far (a copy). */
  getTrades(): Trade[] {
    return this.trades.toArray();
  }

  /** Current drawdown zone. */
  getDrawdownZone(): DrawdownZone {
    return this.zone;
  }

  /** Every risk figure at this moment (see {@link RiskMetrics}). */
  getRiskMetrics(): RiskMetrics {
    const equity = this.computeEquity();
    let gross = 0;
    let net = 0;
    for (const s of this.book) {
      const value = s.quantity * s.lastPrice;
      gross += value;
      net += s.direction * value;
    }
    const risk = this.totalOpenRisk();
    const returns = this.returns.subarray(0, this.returnCount);
    const haltReasons: TradeCheckCode[] = [];
    if (this.zone === DrawdownZone.EMERGENCY) haltReasons.push('drawdown_halt');
    if (this.isDailyLimitHit(equity)) haltReasons.push('daily_loss_limit');
    const dailyPnl = equity - this.dayStartEquity;
    const tradeCount = this.trades.length;
    return {
      equity,
      cash: this.cashNumber,
      initialCapital: this.initialCapital,
      peakEquity: this.peak,
      currentDrawdown: this.drawdown,
      maxDrawdown: this.maxDrawdown,
      currentDrawdownBars: this.drawdownBars,
      currentDrawdownDays: this.drawdownDays,
      maxDrawdownBars: this.maxDrawdownBars,
      maxDrawdownDays: this.maxDrawdownDays,
      drawdownZone: this.zone,
      riskMultiplier: this.getRiskMultiplier(),
      portfolioHeat: equity > 0 ? risk / equity : risk > 0 ? Number.POSITIVE_INFINITY : 0,
      openRisk: risk,
      exposure: equity > 0 ? gross / equity : gross > 0 ? Number.POSITIVE_INFINITY : 0,
      netExposure: equity > 0 ? net / equity : 0,
      openPositions: this.book.length,
      dailyPnl,
      dailyPnlPct: this.dayStartEquity > 0 ? dailyPnl / this.dayStartEquity : 0,
      dailyLossLimitHit: this.isDailyLimitHit(equity),
      tradingHalted: haltReasons.length > 0,
      haltReasons,
      killSwitchCount: this.killSwitchCount,
      varConfidence: this.options.varConfidence,
      valueAtRisk: returns.length > 0 ? valueAtRisk(returns, { cutoff: this.varCutoff }) : null,
      conditionalValueAtRisk: returns.length > 0 ? conditionalValueAtRisk(returns, { cutoff: this.varCutoff }) : null,
      periods: returns.length,
      tradeCount,
      winRate: tradeCount > 0 ? this.wins / tradeCount : null,
      realizedPnl: this.realizedPnl,
    };
  }

  /** The per-period equity returns recorded by the marks (a copy). */
  getReturns(): Float64Array {
    return this.returns.slice(0, this.returnCount);
  }

  /** A readable multi-line text of {@link getRiskMetrics} and the open positions. */
  getSummary(): string {
    return formatRiskSummary(this.getRiskMetrics(), this.getPositions());
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  private computeEquity(): number {
    let equity = this.cashNumber;
    const book = this.book;
    for (let i = 0; i < book.length; i++) {
      const s = book[i]!;
      equity += s.direction * s.quantity * s.lastPrice;
    }
    return equity;
  }

  private availableBalance(): number {
    let owed = 0;
    for (const s of this.book) if (s.direction === -1) owed += s.quantity * s.lastPrice;
    return this.cashNumber - owed;
  }

  private totalOpenRisk(): number {
    let risk = 0;
    for (const s of this.book) risk += openRisk(s);
    return risk;
  }

  private isDailyLimitHit(equity: number): boolean {
    const limit = this.options.dailyLossLimitPct;
    if (limit === null) return false;
    if (this.dailyLimitHit) return true;
    return this.dayStartEquity > 0 && this.dayStartEquity - equity >= limit * this.dayStartEquity;
  }

  private requireForward(time: number, field: string): void {
    if (time < this.lastTime) {
      throw new AlgoTradingError(
        'INVALID_STATE',
        `${field} ${iso(time)} is before the last time seen ${iso(this.lastTime)}: times must not go backwards`,
        { details: { field, value: time, lastTime: this.lastTime } },
      );
    }
  }

  /** Moves the clock to `time`, rolling the trading day (and its starting equity) when it changes. */
  private advanceTime(time: number, field: string): void {
    // `time` reaches one out-of-line call only (the error path): a double passed to several
    // calls is boxed on every call of this per-bar method.
    if (!(Number.isFinite(time) && time >= this.lastTime)) this.rejectTime(time, field);
    this.lastTime = time;
    if (Number.isNaN(this.peakTime)) this.peakTime = time;
    if (time >= this.dayEnd) this.startDay();
  }

  /** A new trading day at {@link lastTime}: its starting equity and end, the daily limit cleared. */
  private startDay(): void {
    this.dayStartEquity = this.computeEquity();
    this.dailyLimitHit = false;
    this.dayEnd = this.clock.dayEnd(this.lastTime);
  }

  private rejectTime(time: number, field: string): never {
    if (!Number.isFinite(time)) throwInvalid(field, 'finite epoch milliseconds', time);
    this.requireForward(time, field);
    throw new AlgoTradingError('INVARIANT_VIOLATION', `${field} ${time} was rejected without a reason`);
  }

  private pushReturn(value: number): void {
    if (this.returnCount === this.returns.length) {
      const grown = new Float64Array(this.returns.length * 2);
      grown.set(this.returns);
      this.returns = grown;
    }
    this.returns[this.returnCount++] = value;
  }

  /** Peak, drawdown (and its duration), zone and the daily loss latch from the equity now. */
  private refresh(equity: number, isMark: boolean): void {
    if (equity >= this.peak) {
      this.peak = equity;
      this.peakTime = this.lastTime;
      this.drawdownBars = 0;
    } else if (isMark) {
      this.drawdownBars++;
    }
    this.drawdown = (this.peak - equity) / this.peak;
    const days = (this.lastTime - this.peakTime) / MS_PER_DAY;
    this.drawdownDays = this.drawdown > 0 && days > 0 ? days : 0;
    if (this.drawdown > this.maxDrawdown) this.maxDrawdown = this.drawdown;
    if (this.drawdownBars > this.maxDrawdownBars) this.maxDrawdownBars = this.drawdownBars;
    if (this.drawdownDays > this.maxDrawdownDays) this.maxDrawdownDays = this.drawdownDays;
    if (this.drawdown < this.options.drawdownZones.emergency) this.killSwitchEngaged = false;
    // The zone depends on the drawdown alone: looked up only when the drawdown changed.
    if (this.drawdown !== this.zoneDrawdown) {
      this.zoneDrawdown = this.drawdown;
      const zone = this.zoneOfDrawdown();
      if (zone !== this.zone) this.changeZone(zone);
    }
    if (!this.dailyLimitHit && this.options.dailyLossLimitPct !== null && this.isDailyLimitHit(equity)) {
      this.latchDailyLimit(equity);
    }
  }

  /**
   * {@link zoneForDrawdown} of the current drawdown, read from the field: the drawdown changes on
   * most bars, and a double passed to an out-of-line call is boxed (one allocation per bar).
   */
  private zoneOfDrawdown(): DrawdownZone {
    const d = this.drawdown;
    const t = this.options.drawdownZones;
    if (d < t.normal) return DrawdownZone.NORMAL;
    if (d < t.caution) return DrawdownZone.CAUTION;
    if (d < t.alert) return DrawdownZone.ALERT;
    if (d >= t.alert) return DrawdownZone.EMERGENCY;
    return zoneForDrawdown(this.drawdown, t); // NaN: throws as zoneForDrawdown does
  }

  private changeZone(zone: DrawdownZone): void {
    const from = this.zone;
    this.zone = zone;
    const detail = { from, to: zone, drawdown: this.drawdown, riskMultiplier: this.getRiskMultiplier(), barTime: this.lastTime };
    if (zoneRank(zone) > zoneRank(from)) this.logger.warn(detail, `risk: drawdown zone ${from} -> ${zone}`);
    else this.logger.info(detail, `risk: drawdown zone ${from} -> ${zone}`);
  }

  private latchDailyLimit(equity: number): void {
    this.dailyLimitHit = true;
    this.logger.warn(
      { dayStartEquity: this.dayStartEquity, equity, limit: this.options.dailyLossLimitPct, barTime: this.lastTime },
      'risk: daily loss limit reached, no new entries until the next day',
    );
  }

  /** The open position in `symbol`, through a one-entry cache of the last lookup. */
  private findState(symbol: string): PositionState | undefined {
    const cached = this.lastState;
    if (cached !== undefined && cached.symbol === symbol) return cached;
    const state = this.positionsBySymbol.get(symbol);
    if (state !== undefined) this.lastState = state;
    return state;
  }

  private requireState(symbol: string, caller: string): PositionState {
    const state = this.findState(symbol);
    if (state === undefined) this.throwNoPosition(symbol, caller);
    return state;
  }

  private throwBadPrice(symbol: string, price: number): never {
    throw new AlgoTradingError('INVALID_DATA', `price of ${symbol} must be a finite number greater than 0, got ${describeValue(price)}`, {
      details: { field: 'price', value: price, symbol },
    });
  }

  private throwBadPriceAt(symbol: string, prices: Float64Array, index: number): never {
    this.throwBadPrice(symbol, prices[index]!);
  }

  private throwBadIndex(index: number, bars: BarSeries): never {
    throw new AlgoTradingError('INVALID_ARGUMENT', `index must be an integer in [0, ${bars.time.length - 1}], got ${describeValue(index)}`, {
      details: { field: 'index', value: index },
    });
  }

  private throwNoPosition(symbol: string, caller: string): never {
    throw new AlgoTradingError('NOT_FOUND', `${caller}: no open position in ${describeValue(symbol)}`, {
      details: { field: 'symbol', value: symbol },
    });
  }

  /** Standalone exit: a closing fill at `price` with the configured commission. */
  private closeAt(state: PositionState, quantity: number, price: number, time: number, reason: ExitReason): Trade {
    const k = this.applyFill({
      time,
      barIndex: -1,
      symbol: state.symbol,
      side: state.direction === 1 ? 'sell' : 'buy',
      effect: 'close',
      quantity,
      price,
      referencePrice: price,
      commission: this.options.commissionPct * quantity * price,
      slippageCost: 0,
      reason,
    });
    return this.trades.get(k);
  }

  /**
   * The one booking path of the standalone API and the engine. Returns the index in
   * {@link trades} of the trade a close makes (-1 for an opening fill).
   */
  private applyFill(fill: Fill, levels?: ProtectiveLevels): number {
    checkFill(fill);
    const state = this.positionsBySymbol.get(fill.symbol);
    const fillSide: Side = fill.side === 'buy' ? 'long' : 'short';
    if (fill.effect === 'open') {
      if (state !== undefined && state.side !== fillSide) {
        throw new AlgoTradingError(
          'INVALID_STATE',
          `cannot open a ${fillSide} in ${fill.symbol} while a ${state.side} is open; close it first`,
          { details: { field: 'fill.side', value: fill.side, symbol: fill.symbol } },
        );
      }
      if (levels !== undefined) checkLevels(levels);
    } else {
      if (state === undefined) this.throwNoPosition(fill.symbol, 'closing fill');
      if (state.side === fillSide) {
        throw new AlgoTradingError(
          'INVALID_STATE',
          `a ${fill.side} fill cannot close the ${state.side} position in ${fill.symbol}`,
          { details: { field: 'fill.side', value: fill.side, symbol: fill.symbol } },
        );
      }
      if (fill.quantity > state.quantity * (1 + QUANTITY_TOLERANCE)) {
        throw new AlgoTradingError(
          'INVALID_STATE',
          `closing fill of ${fill.quantity} ${fill.symbol} exceeds the open position of ${state.quantity}`,
          { details: { field: 'fill.quantity', value: fill.quantity, symbol: fill.symbol } },
        );
      }
    }
    this.advanceTime(fill.time, 'fill.time');

    // Booked as the engine ledger books it (core ExactCash, same fills in the same order), so
    // both hold the same exact Decimal and the same float mirror:
    // notional = price x quantity; buy: cash - notional - commission; sell: cash + notional - commission.
    this.cash.book(fill.side, fill.price, fill.quantity, fill.commission);
    this.cashNumber = this.cash.value;

    let trade = -1;
    if (fill.effect === 'open') this.openOrAdd(state, fill, fillSide, levels);
    else trade = this.reduce(state!, fill);
    this.refresh(this.computeEquity(), false);
    return trade;
  }

  private openOrAdd(state: PositionState | undefined, fill: Fill, side: Side, levels: ProtectiveLevels | undefined): void {
    if (state === undefined) {
      const lv = levels ?? this.protectiveLevels(side, fill.price);
      const created = createPositionState(
        {
          symbol: fill.symbol,
          side,
          quantity: fill.quantity,
          entryPrice: fill.price,
          entryTime: fill.time,
          entryBarIndex: fill.barIndex,
          entryMark: this.marks,
          stopLoss: lv.stopLoss,
          takeProfit: lv.takeProfit,
          timeStopDays: this.options.timeStopDays,
          entryCommission: fill.commission,
          entrySlippage: fill.slippageCost,
        },
        this.rule,
        this.spareStates.pop(),
      );
      this.positionsBySymbol.set(fill.symbol, created);
      this.book.push(created);
      return;
    }
    const total = state.quantity + fill.quantity;
    state.entryPrice = (state.entryPrice * state.quantity + fill.price * fill.quantity) / total;
    state.quantity = total;
    state.entryCommission += fill.commission;
    state.entrySlippage += fill.slippageCost;
    state.lastPrice = fill.price;
    if (levels !== undefined) {
      state.stopLoss = levels.stopLoss ?? Number.NaN;
      state.takeProfit = levels.takeProfit ?? Number.NaN;
      state.initialStop = state.stopLoss;
    }
    setArmPrice(state, this.rule);
  }

  /** Books a closing fill against `state`; returns the index of the recorded trade. */
  private reduce(state: PositionState, fill: Fill): number {
    const quantity = Math.min(fill.quantity, state.quantity);
    const full = fill.quantity >= state.quantity * (1 - QUANTITY_TOLERANCE);
    const share = full ? 1 : quantity / state.quantity;
    const entryCommission = state.entryCommission * share;
    const entrySlippage = state.entrySlippage * share;
    const grossPnl = state.direction * (fill.price - state.entryPrice) * quantity;
    const commission = entryCommission + fill.commission;
    const pnl = grossPnl - commission;
    const initialRisk = Number.isNaN(state.initialStop) ? null : Math.abs(state.entryPrice - state.initialStop) * quantity;
    const barsHeld = fill.barIndex >= 0 && state.entryBarIndex >= 0 ? fill.barIndex - state.entryBarIndex
        : this.marks + this.periodOffset - state.entryMark;
    const trade = this.trades.push(
      state.symbol,
      state.side,
      quantity,
      state.entryTime,
      fill.time,
      state.entryPrice,
      fill.price,
      state.entryBarIndex,
      fill.barIndex,
      grossPnl,
      commission,
      entrySlippage + fill.slippageCost,
      pnl,
      pnl / (state.entryPrice * quantity),
      initialRisk,
      initialRisk !== null && initialRisk > 0 ? pnl / initialRisk : null,
      fill.reason === 'entry' ? 'manual' : fill.reason,
      barsHeld,
    );
    if (full) {
      this.positionsBySymbol.set(state.symbol, undefined);
      this.book.splice(this.book.indexOf(state), 1);
      if (this.lastState === state) this.lastState = undefined;
      if (this.spareStates.length < 16) this.spareStates.push(state);
    } else {
      state.quantity -= quantity;
      state.entryCommission -= entryCommission;
      state.entrySlippage -= entrySlippage;
      state.lastPrice = fill.price;
    }
    this.realizedPnl += pnl;
    if (pnl > 0) this.wins++;
    return trade;
  }
}

function zoneRank(zone: DrawdownZone): number {
  return zone === DrawdownZone.NORMAL ? 0 : zone === DrawdownZone.CAUTION ? 1 : zone === DrawdownZone.ALERT ? 2 : 3;
}

function snapshot(s: PositionState): PositionSnapshot {
  const stop = effectiveStop(s);
  return {
    symbol: s.symbol,
    side: s.side,
    quantity: s.quantity,
    entryPrice: s.entryPrice,
    entryTime: s.entryTime,
    stopLoss: Number.isNaN(s.stopLoss) ? null : s.stopLoss,
    takeProfit: Number.isNaN(s.takeProfit) ? null : s.takeProfit,
    currentPrice: s.lastPrice,
    marketValue: s.quantity * s.lastPrice,
    unrealizedPnl: s.direction * (s.lastPrice - s.entryPrice) * s.quantity,
    trailingStop: Number.isNaN(s.trailingStop) ? null : s.trailingStop,
    effectiveStop: Number.isNaN(stop) ? null : stop,
    bestPrice: s.extreme,
    initialRisk: Number.isNaN(s.initialStop) ? null : Math.abs(s.entryPrice - s.initialStop) * s.quantity,
    openRisk: openRisk(s),
    timeStopAt: Number.isFinite(s.timeStopAt) ? s.timeStopAt : null,
  };
}

/** Throws `INVALID_CONFIG`: a short's default target at entry x (1 - takeProfitPct) would be <= 0. */
function shortTargetBelowZero(takeProfitPct: number, entryPrice: number): never {
  throw new AlgoTradingError(
    'INVALID_CONFIG',
    `takeProfitPct must be below 1 for a short (its target is entry x (1 - takeProfitPct) = ${entryPrice} x ${1 - takeProfitPct} <= 0), got ${takeProfitPct}`,
    { details: { field: 'takeProfitPct', value: takeProfitPct, side: 'short', entryPrice } },
  );
}

function checkFill(fill: Fill): void {
  if (typeof fill !== 'object' || fill === null) throwInvalid('fill', 'an object', fill);
  if (typeof fill.symbol !== 'string' || fill.symbol === '') throwInvalid('fill.symbol', 'a non-empty string', fill.symbol);
  if (fill.side !== 'buy' && fill.side !== 'sell') throwInvalid('fill.side', '"buy" or "sell"', fill.side);
  if (fill.effect !== 'open' && fill.effect !== 'close') throwInvalid('fill.effect', '"open" or "close"', fill.effect);
  if (!isPositiveFinite(fill.quantity)) throwInvalid('fill.quantity', 'a finite number greater than 0', fill.quantity);
  if (!isPositiveFinite(fill.price)) throwInvalid('fill.price', 'a finite number greater than 0', fill.price);
  if (!(typeof fill.commission === 'number' && Number.isFinite(fill.commission) && fill.commission >= 0)) {
    throwInvalid('fill.commission', 'a finite number >= 0', fill.commission);
  }
  if (!(typeof fill.slippageCost === 'number' && Number.isFinite(fill.slippageCost) && fill.slippageCost >= 0)) {
    throwInvalid('fill.slippageCost', 'a finite number >= 0', fill.slippageCost);
  }
  if (typeof fill.barIndex !== 'number' || !Number.isInteger(fill.barIndex) || fill.barIndex < -1) {
    throwInvalid('fill.barIndex', 'an integer >= -1', fill.barIndex);
  }
}

function checkLevels(levels: ProtectiveLevels): void {
  if (typeof levels !== 'object' || levels === null) throwInvalid('levels', 'an object { stopLoss, takeProfit }', levels);
  if (levels.stopLoss !== null && !isPositiveFinite(levels.stopLoss)) {
    throwInvalid('levels.stopLoss', 'null or a finite number greater than 0', levels.stopLoss);
  }
  if (levels.takeProfit !== null && !isPositiveFinite(levels.takeProfit)) {
    throwInvalid('levels.takeProfit', 'null or a finite number greater than 0', levels.takeProfit);
  }
}

/** `prices[symbol]` when it is an own entry (a symbol named like `toString` must not hit the prototype). */
function priceOf(prices: Readonly<Record<string, PriceUpdate>>, symbol: string): PriceUpdate | undefined {
  return Object.hasOwn(prices, symbol) ? prices[symbol] : undefined;
}

function checkPriceUpdate(symbol: string, update: PriceUpdate): void {
  const bad = (field: string, value: unknown, expectation: string): never => {
    throw new AlgoTradingError('INVALID_DATA', `prices.${symbol}${field} must be ${expectation}, got ${describeValue(value)}`, {
      details: { field: `prices.${symbol}${field}`, value, symbol },
    });
  };
  if (typeof update === 'number') {
    if (!isPositiveFinite(update)) bad('', update, 'a finite number greater than 0');
    return;
  }
  if (typeof update !== 'object' || update === null) bad('', update, 'a price or an { open, high, low, close } bar');
  const { open, high, low, close } = update;
  if (!isPositiveFinite(open)) bad('.open', open, 'a finite number greater than 0');
  if (!isPositiveFinite(high)) bad('.high', high, 'a finite number greater than 0');
  if (!isPositiveFinite(low)) bad('.low', low, 'a finite number greater than 0');
  if (!isPositiveFinite(close)) bad('.close', close, 'a finite number greater than 0');
  if (high < Math.max(open, close, low)) bad('.high', high, `>= open, low and close (${Math.max(open, close, low)})`);
  if (low > Math.min(open, close)) bad('.low', low, `<= open and close (${Math.min(open, close)})`);
}
