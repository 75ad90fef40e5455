/**
 * Domain types shared by the sizing, risk, backtesting, metrics and strategy packages.
 * Times are epoch milliseconds UTC; prices and quantities are plain numbers (the engine keeps
 * its cash ledger in Decimal and reports numbers).
 */

/** A trading decision per bar: 1 buy / go long, -1 sell / exit long (or go short), 0 hold. */
export type Signal = -1 | 0 | 1;

/** Direction of a position. */
export type Side = 'long' | 'short';

/** Direction of an order or fill. */
export type OrderSide = 'buy' | 'sell';

/**
 * Why a position was closed (or reduced): a protective stop (`hard_stop`, `trailing_stop`), a
 * target (`take_profit`), a time stop, the kill switch or a ruined account (`emergency`), a signal,
 * the strategy's own order (`order`), a manual close (standalone risk manager) the end of the
 * data (`closeAtEnd`) or the end of one symbol's bars in a multi-symbol run (`delisted`).
 */
export type ExitReason =
  | 'hard_stop'
  | 'trailing_stop'
  | 'take_profit'
  | 'time_stop'
  | 'emergency'
  | 'signal'
  | 'order'
  | 'manual'
  | 'end_of_data'
  | 'delisted';

/** Every {@link ExitReason}, for iteration and validation. */
export const EXIT_REASONS = [
  'hard_stop',
  'trailing_stop',
  'take_profit',
  'time_stop',
  'emergency',
  'signal',
  'order',
  'manual',
  'end_of_data',
  'delisted',
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
  /** Id of the engine order filled (-1 outside a backtest). */
  readonly orderId: number;
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
  /** The instrument being sized (the backtest engine names it, so a sizer can size symbols differently). */
  readonly symbol?: string | undefined;
  /** Capital to size against (the account equity at that moment: of a multi-symbol backtest, the portfolio's). */
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
  /**
   * Scales the risk taken, in [0, 1]: the risk manager's multiplier (its drawdown zone's, composed
   * with an external risk scale such as a regime's; see `composeRiskMultipliers`). Default 1.
   */
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

/**
 * Codes of the pre-trade checks: the seven product checks, then the two portfolio limits
 * (`max_open_positions`, `gross_exposure`), which are off unless configured.
 */
export const TRADE_CHECK_CODES = [
  'insufficient_balance',
  'position_limit',
  'low_confidence',
  'drawdown_halt',
  'portfolio_heat',
  'daily_loss_limit',
  'invalid_prices',
  'max_open_positions',
  'gross_exposure',
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

/**
 * One open position as a {@link PortfolioView} shows it. The view owns the object: read it during
 * the call that received it and keep no reference.
 */
export interface PositionInfo {
  readonly symbol: string;
  readonly side: Side;
  /** Units held, > 0. */
  readonly quantity: number;
  /** Average entry price. */
  readonly entryPrice: number;
  readonly entryTime: number;
  /** Latest price (the last close the book was marked at, or the last fill). */
  readonly lastPrice: number;
  /** The protective stop in force (the tightest resting stop on the position), NaN when none. */
  readonly stopPrice: number;
}

/**
 * A read-only view of a portfolio: what a risk gate reads inside the backtest engine (the engine's
 * own book; the gate keeps no ledger there) and what the risk manager's standalone book exposes.
 * Numbers are the float mirrors of the exact ledger.
 */
export interface PortfolioView {
  /** Time of the view, epoch ms (the bar being marked, or the fill being checked). */
  readonly time: number;
  readonly cash: number;
  /** cash + signed market value of every position at its latest price. */
  readonly equity: number;
  /** Number of open positions. */
  readonly positionCount: number;
  /** The open position in `symbol`, or undefined. */
  position(symbol: string): PositionInfo | undefined;
  /** Every open position, in opening order (a new array). */
  positions(): readonly PositionInfo[];
}

/**
 * The protective orders a risk gate wants on a new position, decided at the entry fill: a
 * stop-loss (which trails when `trailing` is set), a take-profit and a time stop. Null = none.
 */
export interface ProtectionPlan {
  readonly stopLoss: number | null;
  readonly takeProfit: number | null;
  /** Trail of the stop-loss: distance as a fraction of the best price, armed from `activationPrice`. */
  readonly trailing: { readonly percent: number; readonly activationPrice: number } | null;
  /** The time stop: a market exit at the first bar close at or after this time (epoch ms). */
  readonly timeStopAt: number | null;
}

/** What the engine must do after the risk gate marked the portfolio at a bar's close. */
export type RiskAction = 'none' | 'flatten';

/** Input of {@link RiskGate.protection}. */
export interface ProtectionRequest {
  readonly symbol: string;
  readonly side: Side;
  /** The entry fill price. */
  readonly entryPrice: number;
  /** The entry fill time, epoch ms. */
  readonly entryTime: number;
}

/**
 * The risk gate the backtest engine consults. It decides and checks; it keeps no ledger inside
 * the engine: the engine's book is the single source of truth, read through a
 * {@link PortfolioView}. The protective levels it decides become resting orders in the engine's
 * one order book, matched by the same code as every other order.
 *
 * The engine calls, per run: `reset` once; per entry fill: `getRiskMultiplier` (0 = no new risk),
 * `protection` for the position's protective orders, `validateTrade` with the portfolio as it is
 * at the fill; per bar, after the bar's fills: `mark` once with the portfolio marked at the close.
 */
export interface RiskGate {
  /**
   * Starts a fresh run: equity peak = initialCapital, no drawdown, no halt. `expectedPeriods`
   * (optional) is the number of marks the run will make (the engine passes its bar count), so a
   * gate can reserve its per-period buffers once.
   */
  reset(options: { readonly initialCapital: number; readonly time?: number; readonly expectedPeriods?: number }): void;
  /** The protective orders of a new position (levels from the entry fill price). */
  protection(request: ProtectionRequest): ProtectionPlan;
  /**
   * Current sizing multiplier in [0, 1] (0 = no new risk): the drawdown zone's, composed by
   * `composeRiskMultipliers` with any external risk scale the gate applies (e.g. a regime's, read
   * at the last mark, so causal).
   */
  getRiskMultiplier(): number;
  /** Runs every pre-trade check against `portfolio` and returns every failed one. */
  validateTrade(request: TradeRequest, portfolio?: PortfolioView): TradeValidation;
  /**
   * Marks the portfolio at `portfolio.time` (a bar's close): drawdown, zone, daily loss. Returns
   * `flatten` when the kill switch requires closing every position. Should not allocate: it runs
   * once per bar.
   */
  mark(portfolio: PortfolioView): RiskAction;
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
