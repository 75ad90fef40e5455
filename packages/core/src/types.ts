/**
 * Domain types shared by the sizing, risk, backtesting, metrics and strategy packages.
 * Times are epoch milliseconds UTC; prices and quantities are plain numbers (the engine keeps
 * its cash ledger in Decimal and reports numbers).
 */

import type { BarSeries } from './bar-series';

/** A trading decision per bar: 1 buy / go long, -1 sell / exit long (or go short), 0 hold. */
export type Signal = -1 | 0 | 1;

/** Direction of a position. */
export type Side = 'long' | 'short';

/** Direction of an order or fill. */
export type OrderSide = 'buy' | 'sell';

/** Why a position was closed. */
export type ExitReason =
  | 'hard_stop'
  | 'trailing_stop'
  | 'take_profit'
  | 'time_stop'
  | 'emergency'
  | 'signal'
  | 'manual'
  | 'end_of_data';

/** Every {@link ExitReason}, for iteration and validation. */
export const EXIT_REASONS = [
  'hard_stop',
  'trailing_stop',
  'take_profit',
  'time_stop',
  'emergency',
  'signal',
  'manual',
  'end_of_data',
] as const satisfies readonly ExitReason[];

/** Why a fill happened: an entry, or the exit reason of the position it closes. */
export type FillReason = 'entry' | ExitReason;

/** Whether a fill opens (or adds to) a position or closes (or reduces) one. */
export type PositionEffect = 'open' | 'close';

/** One executed order. */
export interface Fill {
  /** Execution time (the bar's time), epoch ms. */
  readonly time: number;
  /** Index of the bar the fill happened in (-1 outside a backtest). */
  readonly barIndex: number;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly effect: PositionEffect;
  /** Units traded, > 0. */
  readonly quantity: number;
  /** Execution price including slippage. */
  readonly price: number;
  /** Price before slippage (the open, the close, or the stop / target level). */
  readonly referencePrice: number;
  /** Commission charged on this fill. */
  readonly commission: number;
  /** Cost of slippage on this fill: |price - referencePrice| x quantity. */
  readonly slippageCost: number;
  readonly reason: FillReason;
}

/** An open position. */
export interface Position {
  readonly symbol: string;
  readonly side: Side;
  /** Units held, > 0 (direction is in `side`). */
  readonly quantity: number;
  /** Average entry price (after slippage). */
  readonly entryPrice: number;
  readonly entryTime: number;
  /** Protective stop, or null when the position has none. */
  readonly stopLoss: number | null;
  /** Take-profit level, or null. */
  readonly takeProfit: number | null;
}

/** A closed round trip. */
export interface Trade {
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly entryTime: number;
  readonly exitTime: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Index of the entry and exit bars (-1 outside a backtest). */
  readonly entryBarIndex: number;
  readonly exitBarIndex: number;
  /** (exit - entry) x quantity, sign-adjusted for shorts, before costs. */
  readonly grossPnl: number;
  /** Commission of both legs. */
  readonly commission: number;
  /** Slippage cost of both legs (already inside the prices; reported for attribution). */
  readonly slippageCost: number;
  /** Net P&L: grossPnl - commission. */
  readonly pnl: number;
  /** pnl / (entryPrice x quantity). */
  readonly returnPct: number;
  /** Money at risk at entry: quantity x |entry - stop|; null when the position had no stop. */
  readonly initialRisk: number | null;
  /** pnl / initialRisk; null when there was no stop. */
  readonly rMultiple: number | null;
  readonly exitReason: ExitReason;
  /** Bars between entry and exit (exit index - entry index). */
  readonly barsHeld: number;
}

// ---------------------------------------------------------------------------------------------
// Position sizing: the interface the engine (and the risk manager) call.

/** What a sizer needs to size one entry. */
export interface SizingRequest {
  /** Capital to size against (the account equity at that moment). */
  readonly capital: number;
  /** Expected entry price (the fill price inside the engine). */
  readonly entryPrice: number;
  /** Protective stop; required by risk-based sizers, ignored by percent-of-equity. */
  readonly stopLossPrice?: number | undefined;
  /** Position direction; default long. A short must say so (a long's stop above the entry is an error). */
  readonly side?: Side | undefined;
  /** Model confidence in [0, 1] (confidence-based sizing). */
  readonly confidence?: number | undefined;
  /** Historical win rate in [0, 1] (Kelly). */
  readonly winRate?: number | undefined;
  /** Average winning trade, money, > 0 (Kelly). */
  readonly avgWin?: number | undefined;
  /** Average losing trade as a positive amount, > 0 (Kelly). */
  readonly avgLoss?: number | undefined;
  /** Scales the risk taken, in [0, 1]: the risk manager's drawdown-zone multiplier. Default 1. */
  readonly riskMultiplier?: number | undefined;
  /** Cash available; when given the size is cut so the purchase and its commission fit. */
  readonly cash?: number | undefined;
  /** Commission rate used for the cash cut. Default 0. */
  readonly commissionPct?: number | undefined;
}

/** What limited a size, so a user can see why it is what it is. */
export type SizingLimit =
  | 'risk'
  | 'max_position'
  | 'cash'
  | 'lot'
  | 'fraction'
  | 'min_win_rate'
  | 'confidence'
  | 'zero_edge'
  | 'zero_risk'
  | 'zero_capital'
  | 'risk_multiplier';

/** The detail of one sizing decision. */
export interface SizingResult {
  /** Units to trade, a multiple of the lot size, >= 0. */
  readonly quantity: number;
  /** Money risked at the stop by `quantity`: quantity x riskPerUnit. */
  readonly riskAmount: number;
  /** Fraction of capital the sizer aimed to risk (after the risk multiplier). */
  readonly riskFraction: number;
  /** |entry - stop|; 0 when there is no stop. */
  readonly riskPerUnit: number;
  /** quantity x entryPrice. */
  readonly positionValue: number;
  /** The binding constraint. */
  readonly limitedBy: SizingLimit;
}

/**
 * A position sizer. Implementations live in `@algo-trading/sizing`; users may write their own.
 * Must be pure and return quantity 0 (not throw) on degenerate but legal input.
 */
export interface PositionSizer {
  /** Method name, e.g. `fixed_fractional`. */
  readonly method: string;
  /** The detailed decision. */
  calculate(request: SizingRequest): SizingResult;
  /** Just the quantity: `calculate(request).quantity`. */
  calculateSize(request: SizingRequest): number;
}

// ---------------------------------------------------------------------------------------------
// Risk: the interface the engine calls, so it never imports the concrete risk manager.

/** Codes of the seven pre-trade checks. */
export const TRADE_CHECK_CODES = [
  'insufficient_balance',
  'position_limit',
  'low_confidence',
  'drawdown_halt',
  'portfolio_heat',
  'daily_loss_limit',
  'invalid_prices',
] as const;
/** One of {@link TRADE_CHECK_CODES}. */
export type TradeCheckCode = (typeof TRADE_CHECK_CODES)[number];

/** One failed pre-trade check. */
export interface TradeIssue {
  readonly code: TradeCheckCode;
  readonly message: string;
}

/** The outcome of a pre-trade validation: a value, never an exception. */
export interface TradeValidation {
  readonly isValid: boolean;
  /** Every failed check (empty when valid). */
  readonly issues: readonly TradeIssue[];
}

/** A proposed entry for pre-trade validation. */
export interface TradeRequest {
  readonly symbol: string;
  /** Default long. */
  readonly side?: Side | undefined;
  readonly quantity: number;
  readonly entryPrice: number;
  readonly stopLoss?: number | undefined;
  readonly takeProfit?: number | undefined;
  readonly confidence?: number | undefined;
  /** Commission the entry will pay, counted in the balance check. Default 0. */
  readonly commission?: number | undefined;
  /** When the trade would happen, epoch ms (for the daily loss limit). */
  readonly time?: number | undefined;
}

/** Protective levels for a new position; null = none. */
export interface ProtectiveLevels {
  readonly stopLoss: number | null;
  readonly takeProfit: number | null;
}

/** What the engine must do after the risk gate marked the book at a bar's close. */
export type RiskAction = 'none' | 'flatten';

/**
 * The risk gate the engine drives. The engine's ledger is the single source of truth: the gate
 * never books on its own inside a backtest; it mirrors the fills the engine reports and the
 * prices it marks, so its cash, equity and positions always equal the engine's.
 *
 * Per bar, the engine calls, in order: `checkExit` for each open position (resting stops and
 * targets from the bar's OHLC), `onFill` for every fill, `updatePrice` with each open
 * position's close, then `markToMarket` once.
 */
export interface RiskGate {
  /**
   * Starts a fresh run: no positions, cash = initialCapital, peak = initialCapital.
   * `expectedPeriods` (optional) is the number of marks the run will make (the engine passes its
   * bar count), so a gate can reserve its per-period buffers once instead of growing them.
   */
  reset(options: { readonly initialCapital: number; readonly time?: number; readonly expectedPeriods?: number }): void;
  /** Default stop-loss and take-profit for a new position at `entryPrice`. */
  protectiveLevels(side: Side, entryPrice: number): ProtectiveLevels;
  /** Current sizing multiplier in [0, 1] from the drawdown zone (0 = no new risk). */
  getRiskMultiplier(): number;
  /** Runs every pre-trade check and returns every failed one. */
  validateTrade(request: TradeRequest): TradeValidation;
  /**
   * Books a fill the engine executed. For an opening fill, `levels` are the position's
   * protective levels (default: {@link protectiveLevels} at the fill price).
   *
   * The `fill` object (and `levels`) are valid for the duration of the call only: the engine may
   * hand the same object, overwritten, to the next call. A gate must copy the numbers it needs
   * and must not keep a reference to either object (the engine's `getFills()` returns its own
   * fills).
   */
  onFill(fill: Fill, levels?: ProtectiveLevels): void;
  /**
   * Evaluates `symbol`'s open position against one bar: gap-through stops, intrabar stops and
   * targets, trailing stop, time stop. Returns the exit reason (or null) and leaves the reference
   * exit price in {@link lastExitPrice}. Intrabar exits (stops, targets) fill at that price; a
   * `time_stop` is a market order for the next fill opportunity. Must not allocate.
   */
  checkExit(symbol: string, open: number, high: number, low: number, close: number, time: number): ExitReason | null;
  /** Reference price of the last exit found by {@link checkExit}. */
  readonly lastExitPrice: number;
  /** Records the latest price of `symbol` for marking. Must not allocate. */
  updatePrice(symbol: string, price: number): void;
  /**
   * Marks the book at the recorded prices at `time` (the bar's close): updates equity, drawdown,
   * zone and daily P&L. Returns `flatten` when the kill switch requires closing every position.
   * Must not allocate.
   */
  markToMarket(time: number): RiskAction;
  /**
   * Optional allocation-free fast path of {@link checkExit} for bar `index` of `bars`: the same
   * result and the same state as `checkExit(symbol, bars.open[index], bars.high[index],
   * bars.low[index], bars.close[index], bars.time[index])`. The engine calls it instead of
   * {@link checkExit} when present (passing an index instead of five prices avoids boxing them).
   */
  checkExitAt?(symbol: string, bars: BarSeries, index: number): ExitReason | null;
  /**
   * Optional allocation-free fast path of the end-of-bar mark for bar `index` of `bars`: the same
   * as `updatePrice(symbol, bars.close[index])` when `hasPosition`, then
   * `markToMarket(bars.time[index])`. The engine calls it instead of those two when present.
   */
  markAt?(symbol: string, bars: BarSeries, index: number, hasPosition: boolean): RiskAction;
}

// ---------------------------------------------------------------------------------------------
// Models: the interface the ML strategy calls, so it never imports a concrete model library.

/** Feature matrix: one row per sample, one column per feature (row-major `number[][]` or flat). */
export type FeatureMatrix = readonly (readonly number[])[] | readonly Float64Array[];

/** Options a model's `fit` may honour. */
export interface FitOptions {
  /** Called after each training epoch (progress reporting). */
  readonly onEpochEnd?: ((epoch: number, logs: Readonly<Record<string, number>>) => void) | undefined;
  /** Aborts training between epochs. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A binary classifier that predicts P(up) per row. Implementations: `TfjsClassifier` in
 * `@algo-trading/strategies-tfjs`, or a user's own (any library, sync or async).
 */
export interface ProbabilisticClassifier {
  /** Trains on rows `X` with labels `y` in {0, 1}. Optional: a pre-trained model may omit it. */
  fit?(X: FeatureMatrix, y: ArrayLike<number>, options?: FitOptions): void | Promise<unknown>;
  /** P(label = 1) per row, each in [0, 1]. */
  predictProba(X: FeatureMatrix): ArrayLike<number> | Promise<ArrayLike<number>>;
}
