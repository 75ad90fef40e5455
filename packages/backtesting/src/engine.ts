import {
  AlgoTradingError,
  type Decimal,
  describeValue,
  isBarSeries,
  type BarSeries,
  type Fill,
  type Order,
  type Trade,
  type TradeLog,
} from '@algo-trading/core';
import { toBarSeries, type BarSeriesSource } from '@algo-trading/data';
import { computeMetrics, type TradeLike } from '@algo-trading/metrics';
import { validateConfidences, validateLevels, validateSignals, validateSpreads } from './inputs';
import { resolveEngineOptions, type BacktestEngineOptions, type ResolvedBacktestEngineOptions } from './options';
import { Simulation, createRunRecords, type DecisionSource, type RunRecords } from './simulation';
import type { EquityCurve, OpenPositionReport, Rejection, Strategy } from './types';

/**
 * Market data a backtest accepts: a core `BarSeries`, or anything `toBarSeries` of
 * `@algo-trading/data` converts (a danfojs DataFrame, an object of columns, price-only columns,
 * an array of rows).
 */
export type BacktestData = BarSeriesSource;

/** Input of {@link BacktestEngine.runBacktest}: data and per-bar decisions aligned with it. */
export interface SignalsBacktestInput {
  readonly data: BacktestData;
  /** -1 / 0 / 1 per bar. */
  readonly signals: ArrayLike<number>;
  /** Confidence in [0, 1] per bar (NaN = none), passed to the sizer and the risk checks. */
  readonly confidences?: ArrayLike<number> | undefined;
  /** Stop-loss price for an entry decided at that bar (NaN = none: the risk manager's default). */
  readonly stopLosses?: ArrayLike<number> | undefined;
  /** Take-profit price for an entry decided at that bar (NaN = none). */
  readonly takeProfits?: ArrayLike<number> | undefined;
  /** Quoted spread per bar in price units (NaN = none), for the `spread` slippage model. */
  readonly spreads?: ArrayLike<number> | undefined;
}

/** Input of {@link BacktestEngine.run}: data and a strategy called once per bar. */
export interface StrategyBacktestInput {
  readonly data: BacktestData;
  readonly strategy: Strategy;
  /** Quoted spread per bar in price units (NaN = none), for the `spread` slippage model. */
  readonly spreads?: ArrayLike<number> | undefined;
}

/** The metrics of `computeMetrics` (`@algo-trading/metrics`) over the run's equity and trades. */
export type BacktestMetrics = ReturnType<typeof computeMetrics>;

/** The results of a run: every metric of `computeMetrics` plus the engine's own figures. */
export type BacktestResults = BacktestMetrics & {
  readonly symbol: string;
  /** Number of bars simulated. */
  readonly bars: number;
  readonly initialCapital: number;
  /** Cash plus open positions marked at the last close. */
  readonly finalEquity: number;
  /** Cash at the end (the float mirror; {@link BacktestEngine.getCash} gives the exact ledger). */
  readonly finalCash: number;
  /** Positions still open, marked at the last close (empty with `closeAtEnd`). */
  readonly openPositions: readonly OpenPositionReport[];
  readonly fillCount: number;
  /** Orders recorded in the order log ({@link BacktestEngine.getOrders}). */
  readonly orderCount: number;
  /** Refused orders (a coalesced {@link Rejection} record counts `count` orders). */
  readonly rejectionCount: number;
  /** Sum of the closed trades' net P&L. */
  readonly realizedPnl: number;
  /** Open positions' P&L at the last close, net of their entry commission. */
  readonly unrealizedPnl: number;
  readonly totalCommission: number;
  readonly totalSlippage: number;
  /** Interest credited on cash (negative when paid on borrowed cash), from the financing model. */
  readonly totalInterest: number;
  /** Borrow fees paid on short positions, from the financing model. */
  readonly totalBorrowFees: number;
  /** Fraction of bars that closed with an open position. */
  readonly exposure: number;
};

interface LastRun {
  readonly simulation: Simulation;
  readonly time: Float64Array;
  /** Built on the first {@link BacktestEngine.getEquityCurve} call (cash and drawdown are derived). */
  curve: EquityCurve | null;
  /** Built on the first {@link BacktestEngine.getOrders} call. */
  orders: readonly Order[] | null;
  readonly openPositions: readonly OpenPositionReport[];
}

/**
 * The event-driven backtest engine (docs/trading-rules.md, section 1): an order engine with one order book
 * and one ledger. Signals become market orders at the next open (or the close); a strategy submits
 * market, limit, stop, stop-limit and trailing-stop orders with time in force, reduce-only, OCO
 * groups and brackets. Every resting order (bracket children and the risk manager's protective
 * stops, targets and time stops included) is matched by the same code from OHLC, with gaps,
 * `intrabarPolicy` and volume participation; execution models price (slippage), charge
 * (commission) and finance (interest, borrow fees) the fills; sizing at fill time; cash never
 * negative without leverage; an exact `Decimal` cash ledger.
 *
 * @example
 * const engine = new BacktestEngine({ initialCapital: 10_000 });
 * const results = await engine.runBacktest({ data: bars, signals });
 * results.totalReturn; engine.getTrades();
 */
export class BacktestEngine {
  /** The validated options, defaults applied. */
  readonly options: Readonly<ResolvedBacktestEngineOptions>;
  #last: LastRun | null = null;
  /**
   * The `{ pnl, initialRisk }` of the last run's trades for the metrics, reused run after run
   * (the metrics keep no reference): the `Trade` objects are built only for `getTrades()`.
   */
  readonly #tradeStatsPool: { pnl: number; initialRisk: number | null }[] = [];
  /** The ledger and logs, cleared and refilled by each run (see `RunRecords`). */
  #records: RunRecords | null = null;

  /** @throws AlgoTradingError `INVALID_CONFIG` naming the key when an option is invalid or unknown. */
  constructor(options: BacktestEngineOptions) {
    this.options = Object.freeze(resolveEngineOptions(options));
  }

  /**
   * Backtests per-bar signals (and optional confidences, stops, targets) over `data`.
   * @throws AlgoTradingError `INVALID_DATA` naming the field, index and value of bad input, before the loop.
   */
  async runBacktest(input: SignalsBacktestInput): Promise<BacktestResults> {
    const record = requireInputObject(input, 'runBacktest');
    rejectUnknownKeys(record, ['data', 'signals', 'confidences', 'stopLosses', 'takeProfits', 'spreads'], 'runBacktest');
    const series = toSeries(input.data);
    const n = series.length;
    const source: DecisionSource = {
      kind: 'signals',
      signals: validateSignals(input.signals, n),
      confidences: input.confidences === undefined ? null : validateConfidences(input.confidences, n),
      stopLosses: input.stopLosses === undefined ? null : validateLevels('stopLosses', input.stopLosses, n),
      takeProfits: input.takeProfits === undefined ? null : validateLevels('takeProfits', input.takeProfits, n),
    };
    return this.#execute(series, source, input.spreads === undefined ? null : validateSpreads(input.spreads, n));
  }

  /**
   * Backtests a strategy: `strategy.onBar(ctx)` is called after each bar closes and sees only
   * bars up to that one. It submits, cancels and replaces orders through the context
   * (`ctx.submit`, `ctx.cancel`, `ctx.replace`, `ctx.openOrders`) and may also return a signal
   * decision. Same loop and rules as {@link runBacktest}.
   */
  async run(input: StrategyBacktestInput): Promise<BacktestResults> {
    const record = requireInputObject(input, 'run');
    rejectUnknownKeys(record, ['data', 'strategy', 'spreads'], 'run');
    const strategy = input.strategy;
    if (typeof strategy !== 'object' || strategy === null || typeof strategy.onBar !== 'function') {
      throw new AlgoTradingError(
        'INVALID_ARGUMENT',
        `strategy must be an object with an onBar(ctx) method, got ${describeValue(strategy)}`,
        { details: { field: 'strategy', value: strategy } },
      );
    }
    const series = toSeries(input.data);
    const spreads = input.spreads === undefined ? null : validateSpreads(input.spreads, series.length);
    return this.#execute(series, { kind: 'strategy', strategy }, spreads);
  }

  /** Per-bar time, equity, cash and drawdown of the last run (typed arrays, one value per bar). */
  getEquityCurve(): EquityCurve {
    const run = this.#requireRun();
    run.curve ??= {
      time: run.time,
      equity: run.simulation.equity,
      cash: run.simulation.cashCurve(),
      drawdown: run.simulation.drawdownCurve(),
    };
    return run.curve;
  }

  /** Closed trades of the last run, in exit order (a reduced position makes a trade for the part reduced). */
  getTrades(): readonly Trade[] {
    return this.#requireRun().simulation.book.trades.toArray();
  }

  /** Every fill of the last run, in order. */
  getFills(): readonly Fill[] {
    return this.#requireRun().simulation.fills.toArray();
  }

  /**
   * Every order of the last run, by id: its definition, its final state (or its state at the end
   * for orders still live) and every state change (submitted, accepted or rejected, each fill,
   * cancelled or expired with the reason). Signal orders refused again on the next bar for the
   * same reasons are counted in `repeats` of the first, not listed one by one.
   */
  getOrders(): readonly Order[] {
    const run = this.#requireRun();
    run.orders ??= run.simulation.orders.build(run.simulation.symbols, run.time, run.simulation.fills);
    return run.orders;
  }

  /** Every order of the last run that was refused, with its reasons (coalesced, see {@link Rejection}). */
  getRejections(): readonly Rejection[] {
    return this.#requireRun().simulation.rejections;
  }

  /** Positions still open at the end of the last run, marked at the last close. */
  getOpenPositions(): readonly OpenPositionReport[] {
    return this.#requireRun().openPositions;
  }

  /** The exact ledger cash at the end of the last run. */
  getCash(): Decimal {
    return this.#requireRun().simulation.book.exactCash;
  }

  /** The trades' pnl and initial risk, in the reused pool, truncated to the trade count. */
  #tradeStats(log: TradeLog): readonly TradeLike[] {
    const pool = this.#tradeStatsPool;
    const n = log.length;
    for (let k = 0; k < n; k++) {
      const pnl = log.pnlAt(k);
      const initialRisk = log.initialRiskAt(k);
      const entry = pool[k];
      if (entry === undefined) pool.push({ pnl, initialRisk });
      else {
        entry.pnl = pnl;
        entry.initialRisk = initialRisk;
      }
    }
    pool.length = n;
    return pool;
  }

  #requireRun(): LastRun {
    if (this.#last === null) {
      throw new AlgoTradingError('INVALID_STATE', 'no backtest has run yet: call runBacktest() or run() first');
    }
    return this.#last;
  }

  #execute(series: BarSeries, source: DecisionSource, spreads: Float64Array | null): BacktestResults {
    const o = this.options;
    const n = series.length;
    if (n === 0) {
      throw new AlgoTradingError('INVALID_DATA', 'data must have at least 1 bar, got 0', {
        details: { field: 'data', value: 0 },
      });
    }
    const symbol = o.symbol ?? series.symbol ?? 'ASSET';
    this.#last = null;
    o.logger.debug({ symbol, bars: n, mode: source.kind, fillAt: o.fillAt }, 'backtest started');
    const simulation = new Simulation(
      {
        initialCapital: o.initialCapital,
        fillAt: o.fillAt,
        allowShort: o.allowShort,
        lotSize: o.lotSize,
        closeAtEnd: o.closeAtEnd,
        intrabarPolicy: o.intrabarPolicy,
        riskManager: o.riskManager,
        positionSizer: o.positionSizer,
        slippage: o.slippage,
        commission: o.commission,
        commissionPct: o.commissionPct,
        volumeParticipation: o.volumeParticipation,
        financing: o.financing,
        maxLeverage: o.maxLeverage,
        passedLevels: o.passedLevels,
        orderSequence: o.orderSequence,
      },
      series,
      symbol,
      spreads,
      (this.#records ??= createRunRecords(o.initialCapital)),
    );
    simulation.run(source);

    const book = simulation.book;
    const lastClose = series.close[n - 1]!;
    const openPositions: OpenPositionReport[] = [];
    let unrealizedPnl = 0;
    for (const p of book.open) {
      const unrealized = p.direction * (lastClose - p.entryPrice) * p.quantity - p.entryCommission;
      unrealizedPnl += unrealized;
      const levels = simulation.protectiveLevels(p.symbol);
      openPositions.push({
        symbol: p.symbol,
        side: p.side,
        quantity: p.quantity,
        entryPrice: p.entryPrice,
        entryTime: p.entryTime,
        entryBarIndex: p.entryBarIndex,
        stopLoss: levels.stopLoss,
        takeProfit: levels.takeProfit,
        entryCommission: p.entryCommission,
        markPrice: lastClose,
        marketValue: p.quantity * lastClose,
        unrealizedPnl: unrealized,
      });
    }
    // A ruined account (equity < 0 after a short) is worth 0 to the metrics: returns cannot go
    // below -100%. The curve and finalEquity keep the true values.
    const metricsEquity = simulation.minEquity < 0 ? simulation.equity.map((e) => Math.max(e, 0)) : simulation.equity;
    const metrics = computeMetrics({
      equity: metricsEquity,
      times: series.time,
      trades: this.#tradeStats(book.trades),
      initialValue: o.initialCapital,
      periodsPerYear: o.periodsPerYear,
      riskFree: o.riskFree,
      annualRiskFree: o.annualRiskFree,
      logger: o.logger,
    });
    this.#last = { simulation, time: series.time, curve: null, orders: null, openPositions };
    const results: BacktestResults = {
      ...metrics,
      symbol,
      bars: n,
      initialCapital: o.initialCapital,
      finalEquity: simulation.equity[n - 1]!,
      finalCash: book.cash,
      openPositions,
      fillCount: simulation.fills.length,
      orderCount: simulation.orders.length,
      rejectionCount: simulation.rejectedOrders,
      realizedPnl: book.realizedPnl,
      unrealizedPnl,
      totalCommission: book.totalCommission,
      totalSlippage: book.totalSlippage,
      totalInterest: simulation.totalInterest,
      totalBorrowFees: simulation.totalBorrowFees,
      exposure: simulation.exposedBars / n,
    };
    o.logger.debug(
      { symbol, fills: results.fillCount, orders: results.orderCount, trades: book.trades.length, rejections: results.rejectionCount },
      'backtest finished',
    );
    return results;
  }
}

function requireInputObject(input: unknown, method: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `${method}() expects an options object, got ${describeValue(input)}`, {
      details: { field: 'input', value: input },
    });
  }
  return input as Record<string, unknown>;
}

function rejectUnknownKeys(record: Record<string, unknown>, known: readonly string[], method: string): void {
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) {
      throw new AlgoTradingError(
        'INVALID_ARGUMENT',
        `${method}() got an unknown key ${JSON.stringify(key)} (expected ${known.join(', ')})`,
        { details: { field: key, value: record[key] } },
      );
    }
  }
}

function toSeries(data: unknown): BarSeries {
  if (isBarSeries(data)) return data;
  if (data === undefined || data === null) {
    throw new AlgoTradingError('INVALID_DATA', `data must be a BarSeries or convertible bars, got ${describeValue(data)}`, {
      details: { field: 'data', value: data },
    });
  }
  return toBarSeries(data as BarSeriesSource);
}
