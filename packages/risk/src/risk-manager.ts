import {
  AlgoTradingError,
  EXIT_REASONS,
  PositionBook,
  composeRiskMultipliers,
  describeValue,
  isPositiveFinite,
  throwInvalid,
  type BookPosition,
  type Decimal,
  type ExitReason,
  type IntrabarExitOut,
  type Logger,
  type PortfolioView,
  type PositionInfo,
  type ProtectionPlan,
  type ProtectionRequest,
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
import { DrawdownTracker } from './drawdown-tracker';
import type { DrawdownZone } from './drawdown-zone';
import { resolveRiskOptions, type ResolvedRiskOptions, type RiskManagerOptions } from './options';
import {
  ProtectionPolicy,
  createProtectionState,
  effectiveStop,
  evaluateProtection,
  openRisk,
  type ProtectionState,
} from './protection';
import { formatRiskSummary, type PositionSnapshot, type RiskMetrics } from './risk-metrics';
import { RiskScaleCursor, type RiskScaleInput } from './risk-scale';
import { findInvalidPrices, runTradeChecks, type TradeCheckContext } from './trade-checks';

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
   * Books the position without the pre-trade checks (e.g. to mirror a broker's existing
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

function toTime(value: unknown, field: string): number {
  const time = value instanceof Date ? value.getTime() : value;
  if (typeof time !== 'number' || !Number.isFinite(time)) throwInvalid(field, 'a valid Date or epoch milliseconds', value);
  return time;
}

/** A standalone position as a {@link PositionInfo}: the book's numbers and the stop in force. */
function positionInfo(position: BookPosition, state: ProtectionState | undefined): PositionInfo {
  return {
    symbol: position.symbol,
    side: position.side,
    quantity: position.quantity,
    entryPrice: position.entryPrice,
    entryTime: position.entryTime,
    lastPrice: position.lastPrice,
    stopPrice: state === undefined ? Number.NaN : effectiveStop(state),
  };
}

/** The {@link PortfolioView} of the standalone book. */
class StandaloneView implements PortfolioView {
  constructor(
    private readonly book: PositionBook,
    private readonly states: ReadonlyMap<string, ProtectionState>,
    private readonly tracker: DrawdownTracker,
  ) {}
  get time(): number {
    return this.tracker.lastTime;
  }
  get cash(): number {
    return this.book.cash;
  }
  get equity(): number {
    return this.book.equity();
  }
  get positionCount(): number {
    return this.book.open.length;
  }
  position(symbol: string): PositionInfo | undefined {
    const position = this.book.position(symbol);
    return position === undefined ? undefined : positionInfo(position, this.states.get(symbol));
  }
  positions(): readonly PositionInfo[] {
    return this.book.open.map((p) => positionInfo(p, this.states.get(p.symbol)));
  }
}

/**
 * A multi-layered risk manager: protective levels per position (hard stop, trailing stop with
 * activation, take-profit, time stop), drawdown zones with risk multipliers and an emergency kill
 * switch, portfolio heat, a daily loss limit, the pre-trade checks (the seven product checks, plus
 * a maximum number of open positions and a gross exposure cap when configured), drawdown/VaR
 * metrics.
 *
 * It is made of four parts: the protective-level policy ({@link ProtectionPolicy}), the drawdown
 * tracker (zones, halt, kill switch, daily latch; {@link DrawdownTracker}), the trade checks, and
 * a book (core `PositionBook`, the same class the backtest engine keeps its ledger in).
 *
 * Two ways to drive it:
 * - standalone (a live or paper loop): {@link openPosition}, {@link updatePositions} with prices
 *   or bars, {@link closePosition}; the manager books its own `PositionBook` and evaluates the
 *   protective levels with core's matching rules;
 * - inside the backtest engine, as a core {@link RiskGate}: it keeps no ledger there. The engine
 *   rests its protective levels ({@link protection}) as orders in its one order book, asks
 *   {@link validateTrade} with its portfolio, and {@link mark}s the portfolio once per bar.
 *
 * An external risk scale (the `riskScale` option or {@link setRiskScale}: e.g. a market-regime
 * policy's multiplier per bar) is read at each mark, as of the mark's time, and multiplied with
 * the zone's multiplier: {@link getRiskMultiplier} is the product, which the engine applies to
 * every sized entry exactly where the zone's multiplier applied alone.
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
  /** The protective-level policy. */
  readonly policy: ProtectionPolicy;

  private readonly logger: Logger;
  private readonly tracker: DrawdownTracker;
  /** The standalone book (also the cash and positions of the standalone view). */
  private readonly book: PositionBook;
  /** Protective state of each standalone position. */
  private readonly states = new Map<string, ProtectionState>();
  private readonly standalone: StandaloneView;
  /** The portfolio read by the checks and the queries: the standalone view, or the engine's at its last mark. */
  private portfolio: PortfolioView;
  private readonly exitOut: IntrabarExitOut = { price: Number.NaN };
  /** The context of {@link validateTrade}'s checks, refilled on every call. */
  private readonly checkContext: Mutable<Omit<TradeCheckContext, 'defaults'>> & { readonly defaults: Mutable<ProtectiveLevels> } = {
    availableBalance: 0,
    equity: 0,
    existingExposure: 0,
    zone: 'NORMAL',
    drawdown: 0,
    openRisk: 0,
    dailyLimitHit: false,
    dailyLoss: 0,
    defaults: { stopLoss: null, takeProfit: null },
    openPositions: 0,
    symbolOpen: false,
    otherGrossExposure: 0,
    symbolExposure: 0,
  };
  private readonly varCutoff: number;
  /** The external risk multiplier (`riskScale`), read at each mark. */
  private readonly scale = new RiskScaleCursor();
  private initialCapital = 0;
  /** 1 while updatePositions evaluates a period that is not marked yet (its exits belong to it). */
  private periodOffset = 0;

  /** @throws AlgoTradingError `INVALID_CONFIG` naming each invalid or unknown option. */
  constructor(options: RiskManagerOptions = {}) {
    const { options: resolved, logger, riskScale } = resolveRiskOptions(options);
    this.options = resolved;
    this.scale.set(riskScale, 'riskScale', 'INVALID_CONFIG');
    this.logger = logger;
    this.policy = new ProtectionPolicy(resolved);
    this.tracker = new DrawdownTracker(resolved, this.logger);
    this.book = new PositionBook(resolved.initialCapital);
    this.standalone = new StandaloneView(this.book, this.states, this.tracker);
    this.portfolio = this.standalone;
    this.varCutoff = Math.round((1 - resolved.varConfidence) * 1e12) / 1e12;
    this.reset({ initialCapital: resolved.initialCapital });
  }

  // -------------------------------------------------------------------------------------------
  // RiskGate

  /**
   * Starts afresh: no positions, no trades, cash = `initialCapital` (also the equity peak),
   * metrics cleared. With `time`, the first trading day starts there. With `expectedPeriods`
   * (the number of marks to come, e.g. the bar count), the per-period return history is reserved
   * at that size at once.
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
    this.initialCapital = options.initialCapital;
    this.book.reset(options.initialCapital);
    this.states.clear();
    this.portfolio = this.standalone;
    this.tracker.reset(options.initialCapital, expected);
    this.exitOut.price = Number.NaN;
    this.scale.rewind();
    if (time !== undefined) {
      this.scale.checkStart(time);
      this.tracker.advance(time, options.initialCapital);
    }
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
    const takeProfitPct = this.options.takeProfitPct;
    if (side === 'short' && takeProfitPct !== null && takeProfitPct >= 1) shortTargetBelowZero(takeProfitPct, entryPrice);
    return this.policy.levels(side, entryPrice);
  }

  /**
   * The protective orders of a new position: {@link protectiveLevels} at the entry fill price, the
   * trail of the stop (`trailingStopPct`, armed once the best price is `trailingActivationPct` in
   * profit) and the time stop (`timeStopDays` after the entry).
   *
   * @throws AlgoTradingError `INVALID_ARGUMENT` for an invalid side, price or time.
   */
  protection(request: ProtectionRequest): ProtectionPlan {
    if (typeof request !== 'object' || request === null) throwInvalid('request', 'an object', request);
    this.protectiveLevels(request.side, request.entryPrice);
    toTime(request.entryTime, 'entryTime');
    return this.policy.plan(request.side, request.entryPrice, request.entryTime);
  }

  /**
   * The sizing multiplier in force, in [0, 1]: the current drawdown zone's (1, 0.5, 0.25, 0 by
   * default) times the external risk scale read at the last mark ({@link getRiskScale}; 1 when
   * none), by `composeRiskMultipliers` of core. Inside the backtest engine this is what scales
   * every sized entry (0 refuses it).
   */
  getRiskMultiplier(): number {
    return composeRiskMultipliers(this.tracker.riskMultiplier, this.scale.current);
  }

  /**
   * The external risk multiplier in force, in [0, 1]: the `riskScale` series' latest value at or
   * before the last mark (1 before the first mark of a run), the constant set, or 1 without one.
   */
  getRiskScale(): number {
    return this.scale.current;
  }

  /**
   * Replaces the external risk scale: a core `RiskScaleSeries` `{ time, values }` (read as of each
   * mark's time, from the last mark on), a constant in [0, 1] (in force at once, until replaced:
   * the live-loop form, set after each bar's regime update), or null for none (1).
   *
   * @throws AlgoTradingError `INVALID_ARGUMENT` naming the index and value of a bad entry
   * (NaN, outside [0, 1], times not increasing) or the lengths of `time` and `values` when they differ.
   */
  setRiskScale(scale: RiskScaleInput): void {
    this.scale.set(scale, 'riskScale', 'INVALID_ARGUMENT');
  }

  /**
   * Runs every pre-trade check against `portfolio` (default: the standalone book, or the
   * engine's portfolio at its last mark) and returns every failed one (never throws for a bad
   * request: bad numbers are an `invalid_prices` issue). With `time` in a later day than the last
   * one seen, the daily loss limit of the previous day no longer applies.
   */
  validateTrade(request: TradeRequest, portfolio: PortfolioView = this.portfolio): TradeValidation {
    if (typeof request !== 'object' || request === null) {
      return {
        isValid: false,
        issues: [{ code: 'invalid_prices', message: `the trade request must be an object, got ${describeValue(request)}` }],
      };
    }
    const side: Side = request.side === 'short' ? 'short' : 'long';
    const tracker = this.tracker;
    const equity = portfolio.equity;
    const newDay = typeof request.time === 'number' && Number.isFinite(request.time) && request.time >= tracker.dayEnd;
    const dayStart = tracker.dayStartEquity;
    // One context object, refilled per call (the checks read it and keep nothing of it).
    const context = this.checkContext;
    const defaults = context.defaults;
    let owed = 0;
    let risk = 0;
    let existing = 0;
    let count = 0;
    let symbolOpen = false;
    let otherGross = 0;
    let symbolExposure = 0;
    for (const p of portfolio.positions()) {
      const value = p.quantity * p.lastPrice;
      if (p.side === 'short') owed += value;
      risk += openRisk(p);
      count++;
      if (p.symbol === request.symbol) {
        symbolOpen = true;
        symbolExposure = p.side === side ? value : -value;
        if (p.side === side) existing = value;
      } else otherGross += Math.abs(value);
    }
    context.availableBalance = portfolio.cash - owed;
    context.equity = equity;
    context.existingExposure = existing;
    context.openPositions = count;
    context.symbolOpen = symbolOpen;
    context.otherGrossExposure = otherGross;
    context.symbolExposure = symbolExposure;
    context.zone = tracker.zone;
    context.drawdown = tracker.drawdown;
    context.openRisk = risk;
    context.dailyLimitHit = !newDay && tracker.isDailyLimitHit(equity);
    context.dailyLoss = dayStart > 0 ? (dayStart - equity) / dayStart : 0;
    if (isPositiveFinite(request.entryPrice)) {
      const levels = this.policy.levels(side, request.entryPrice);
      defaults.stopLoss = levels.stopLoss;
      defaults.takeProfit = levels.takeProfit;
    } else {
      defaults.stopLoss = null;
      defaults.takeProfit = null;
    }
    const issues = runTradeChecks(request, context, this.options);
    return issues.length === 0 ? VALID : { isValid: false, issues };
  }

  /**
   * Marks `portfolio` at its time (a bar's close): a new trading day starts from the equity of
   * the previous mark; then the period's return, peak, drawdown and its duration, zone, daily
   * loss. Returns `flatten` when the drawdown reached the kill switch with positions open.
   * Allocation-free. The queries then read this portfolio until the next {@link reset}.
   *
   * @throws AlgoTradingError `INVALID_STATE` when the time is before the last time seen.
   */
  mark(portfolio: PortfolioView): RiskAction {
    const tracker = this.tracker;
    this.scale.advance(portfolio.time);
    tracker.advance(portfolio.time, tracker.lastMarkEquity);
    this.portfolio = portfolio;
    return tracker.mark(portfolio.equity, portfolio.positionCount > 0);
  }

  // -------------------------------------------------------------------------------------------
  // Standalone API

  /**
   * Opens a position and books its cost (commission = commissionPct x notional). Runs the pre-trade
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
    this.tracker.requireForward(time, 'entryDate');
    if (this.book.position(input.symbol) !== undefined) {
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
    this.portfolio = this.standalone;
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
    this.tracker.advance(time, this.book.equity(), 'entryDate');
    this.book.applyFill({
      symbol: input.symbol,
      side: side === 'long' ? 'buy' : 'sell',
      quantity: input.quantity,
      price: input.entryPrice,
      commission,
      slippageCost: 0,
      time,
      barIndex: -1,
      period: this.tracker.marks,
      initialStop: levels.stopLoss ?? Number.NaN,
    });
    this.states.set(input.symbol, createProtectionState(this.policy, { symbol: input.symbol, side, entryPrice: input.entryPrice, entryTime: time, levels }));
    this.tracker.observe(this.book.equity());
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
    const position = this.book.position(input.symbol);
    if (position === undefined) this.throwNoPosition(input.symbol, 'closePosition');
    if (!isPositiveFinite(input.exitPrice)) throwInvalid('exitPrice', 'a finite number greater than 0', input.exitPrice);
    const reason = input.reason ?? 'manual';
    if (!(EXIT_REASONS as readonly string[]).includes(reason)) throwInvalid('reason', `one of ${EXIT_REASONS.join(', ')}`, reason);
    const quantity = input.quantity ?? position.quantity;
    if (!isPositiveFinite(quantity) || quantity > position.quantity * (1 + QUANTITY_TOLERANCE)) {
      throwInvalid('quantity', `a number in (0, ${position.quantity}] (the position's size)`, input.quantity);
    }
    const time = toTime(input.exitDate, 'exitDate');
    this.tracker.requireForward(time, 'exitDate');
    this.portfolio = this.standalone;
    return this.closeAt(position, Math.min(quantity, position.quantity), input.exitPrice, time, reason);
  }

  /**
   * Applies one period of prices (a plain price or an OHLC bar per symbol) to the open positions:
   * each position's protective levels are evaluated with core's matching rules (the engine's) and
   * exits are booked at once (a time stop at the close); then the book is marked and, if the kill
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
    this.tracker.requireForward(time, 'date');
    const open = this.book.open;
    for (let i = 0; i < open.length; i++) {
      const symbol = open[i]!.symbol;
      const update = priceOf(prices, symbol);
      if (update !== undefined) checkPriceUpdate(symbol, update);
    }
    // The period's mark reads the external risk scale (first, so a series that does not cover
    // `date` changes nothing).
    this.scale.advance(time);
    this.portfolio = this.standalone;
    // Roll the trading day before the new prices reach the book, so the day starts at the old marks.
    this.tracker.advance(time, this.book.equity(), 'date');
    let closed: Trade[] | null;
    this.periodOffset = 1;
    try {
      closed = this.evaluateBook(prices, time);
    } finally {
      this.periodOffset = 0;
    }
    if (this.tracker.mark(this.book.equity(), open.length > 0) === 'flatten') {
      while (open.length > 0) {
        const position = open[0]!;
        (closed ??= []).push(this.closeAt(position, position.quantity, position.lastPrice, time, 'emergency'));
      }
    }
    return closed ?? EMPTY_TRADES;
  }

  /** The exits of one standalone period, before its mark. */
  private evaluateBook(prices: Readonly<Record<string, PriceUpdate>>, time: number): Trade[] | null {
    const open = this.book.open;
    let closed: Trade[] | null = null;
    for (let i = 0; i < open.length; ) {
      const position = open[i]!;
      const update = priceOf(prices, position.symbol);
      const state = this.states.get(position.symbol);
      if (update === undefined || state === undefined) {
        i++;
        continue;
      }
      const bar = typeof update === 'number' ? { open: update, high: update, low: update, close: update, time } : { ...update, time };
      const reason = evaluateProtection(state, bar, this.options.intrabarPolicy, this.exitOut);
      if (reason === null) {
        position.lastPrice = bar.close;
        i++;
      } else {
        (closed ??= []).push(this.closeAt(position, position.quantity, this.exitOut.price, time, reason));
      }
    }
    return closed;
  }

  // -------------------------------------------------------------------------------------------
  // Queries

  /** Cash of the portfolio the manager reads (the standalone book, or the engine's at its last mark). */
  getCash(): number {
    return this.portfolio.cash;
  }

  /** Cash of the standalone book exactly, as core `Decimal`. */
  getCashDecimal(): Decimal {
    return this.book.exactCash;
  }

  /** cash + sum of signed quantity x latest price of the portfolio the manager reads. */
  getEquity(): number {
    return this.portfolio.equity;
  }

  /** A snapshot of `symbol`'s open position, or undefined. */
  getPosition(symbol: string): PositionSnapshot | undefined {
    const info = this.portfolio.position(symbol);
    return info === undefined ? undefined : this.snapshot(info);
  }

  /** Snapshots of every open position, in opening order. */
  getPositions(): PositionSnapshot[] {
    return this.portfolio.positions().map((p) => this.snapshot(p));
  }

  /** Every trade closed through the standalone API so far (a copy; inside the engine, see the engine's trades). */
  getTrades(): Trade[] {
    return this.book.trades.toArray();
  }

  /** Current drawdown zone. */
  getDrawdownZone(): DrawdownZone {
    return this.tracker.zone;
  }

  /** Every risk figure at this moment (see {@link RiskMetrics}). */
  getRiskMetrics(): RiskMetrics {
    const tracker = this.tracker;
    const portfolio = this.portfolio;
    const equity = portfolio.equity;
    let gross = 0;
    let net = 0;
    let risk = 0;
    const positions = portfolio.positions();
    for (const p of positions) {
      const value = p.quantity * p.lastPrice;
      gross += value;
      net += p.side === 'long' ? value : -value;
      risk += openRisk(p);
    }
    const returns = tracker.returns;
    const haltReasons: TradeCheckCode[] = [];
    const dailyHit = tracker.isDailyLimitHit(equity);
    if (tracker.zone === 'EMERGENCY') haltReasons.push('drawdown_halt');
    if (dailyHit) haltReasons.push('daily_loss_limit');
    const dailyPnl = equity - tracker.dayStartEquity;
    const tradeCount = this.book.trades.length;
    return {
      equity,
      cash: portfolio.cash,
      initialCapital: this.initialCapital,
      peakEquity: tracker.peak,
      currentDrawdown: tracker.drawdown,
      maxDrawdown: tracker.maxDrawdown,
      currentDrawdownBars: tracker.drawdownBars,
      currentDrawdownDays: tracker.drawdownDays,
      maxDrawdownBars: tracker.maxDrawdownBars,
      maxDrawdownDays: tracker.maxDrawdownDays,
      drawdownZone: tracker.zone,
      riskMultiplier: this.getRiskMultiplier(),
      zoneRiskMultiplier: tracker.riskMultiplier,
      riskScale: this.scale.current,
      portfolioHeat: equity > 0 ? risk / equity : risk > 0 ? Number.POSITIVE_INFINITY : 0,
      openRisk: risk,
      exposure: equity > 0 ? gross / equity : gross > 0 ? Number.POSITIVE_INFINITY : 0,
      netExposure: equity > 0 ? net / equity : 0,
      openPositions: positions.length,
      dailyPnl,
      dailyPnlPct: tracker.dayStartEquity > 0 ? dailyPnl / tracker.dayStartEquity : 0,
      dailyLossLimitHit: dailyHit,
      tradingHalted: haltReasons.length > 0,
      haltReasons,
      killSwitchCount: tracker.killSwitchCount,
      varConfidence: this.options.varConfidence,
      valueAtRisk: returns.length > 0 ? valueAtRisk(returns, { cutoff: this.varCutoff }) : null,
      conditionalValueAtRisk: returns.length > 0 ? conditionalValueAtRisk(returns, { cutoff: this.varCutoff }) : null,
      periods: returns.length,
      tradeCount,
      winRate: tradeCount > 0 ? this.book.wins / tradeCount : null,
      realizedPnl: this.book.realizedPnl,
    };
  }

  /** The per-period equity returns recorded by the marks (a copy). */
  getReturns(): Float64Array {
    return this.tracker.returns.slice();
  }

  /** A readable multi-line text of {@link getRiskMetrics} and the open positions. */
  getSummary(): string {
    return formatRiskSummary(this.getRiskMetrics(), this.getPositions());
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  /** A snapshot: the standalone protective state when there is one, else the view's stop in force. */
  private snapshot(p: PositionInfo): PositionSnapshot {
    const state = this.portfolio === this.standalone ? this.states.get(p.symbol) : undefined;
    const direction = p.side === 'long' ? 1 : -1;
    const stop = p.stopPrice;
    const position = this.portfolio === this.standalone ? this.book.position(p.symbol) : undefined;
    return {
      symbol: p.symbol,
      side: p.side,
      quantity: p.quantity,
      entryPrice: p.entryPrice,
      entryTime: p.entryTime,
      stopLoss: state === undefined ? (Number.isNaN(stop) ? null : stop) : Number.isNaN(state.stopLoss) ? null : state.stopLoss,
      takeProfit: state === undefined || Number.isNaN(state.takeProfit) ? null : state.takeProfit,
      currentPrice: p.lastPrice,
      marketValue: p.quantity * p.lastPrice,
      unrealizedPnl: direction * (p.lastPrice - p.entryPrice) * p.quantity,
      trailingStop: state === undefined || Number.isNaN(state.trailLevel) ? null : state.trailLevel,
      effectiveStop: Number.isNaN(stop) ? null : stop,
      bestPrice: state === undefined ? p.lastPrice : state.extreme,
      initialRisk: position === undefined || Number.isNaN(position.initialStop) ? null : Math.abs(p.entryPrice - position.initialStop) * p.quantity,
      openRisk: openRisk(p),
      timeStopAt: state !== undefined && Number.isFinite(state.timeStopAt) ? state.timeStopAt : null,
    };
  }

  private throwNoPosition(symbol: string, caller: string): never {
    throw new AlgoTradingError('NOT_FOUND', `${caller}: no open position in ${describeValue(symbol)}`, {
      details: { field: 'symbol', value: symbol },
    });
  }

  /** Standalone exit: a closing fill at `price` with the configured commission. */
  private closeAt(position: BookPosition, quantity: number, price: number, time: number, reason: ExitReason): Trade {
    const symbol = position.symbol;
    this.tracker.advance(time, this.book.equity());
    const k = this.book.applyFill({
      symbol,
      side: position.direction === 1 ? 'sell' : 'buy',
      quantity,
      price,
      commission: this.options.commissionPct * quantity * price,
      slippageCost: 0,
      time,
      barIndex: -1,
      period: this.tracker.marks + this.periodOffset,
      reason,
    });
    if (this.book.position(symbol) === undefined) this.states.delete(symbol);
    this.tracker.observe(this.book.equity());
    return this.book.trades.get(k);
  }
}

/** `prices[symbol]` when it is an own entry (a symbol named like `toString` must not hit the prototype). */
/** Throws `INVALID_CONFIG`: a short's default target at entry x (1 - takeProfitPct) would be <= 0. */
function shortTargetBelowZero(takeProfitPct: number, entryPrice: number): never {
  throw new AlgoTradingError(
    'INVALID_CONFIG',
    `takeProfitPct must be below 1 for a short (its target is entry x (1 - takeProfitPct) = ${entryPrice} x ${1 - takeProfitPct} <= 0), got ${takeProfitPct}`,
    { details: { field: 'takeProfitPct', value: takeProfitPct, side: 'short', entryPrice } },
  );
}

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
