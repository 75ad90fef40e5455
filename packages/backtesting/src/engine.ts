import {
  AlgoTradingError,
  type Decimal,
  describeValue,
  isBarSeries,
  toUniverse,
  universeOf,
  type BarSeries,
  type Fill,
  type Order,
  type Trade,
  type TradeLog,
  type Universe,
  type UniverseInput,
} from '@algo-trading/core';
import { toBarsOrUniverse, type BarSeriesSource } from '@algo-trading/data';
import { z } from 'zod';
import { computeMetrics, type TradeLike } from '@algo-trading/metrics';
import { dailyFinancing } from './execution-models';
import { checkGrossWeight, checkTargetWeight, validateConfidences, validateLevels, validateSignals, validateSpreads } from './inputs';
import { resolveInstrumentSpecs } from './instrument-specs';
import { alignMarket, perSymbolRecord, singleMarket, toSlices, type Market } from './market';
import { resolveEngineOptions, type BacktestEngineOptions, type ResolvedBacktestEngineOptions } from './options';
import { Simulation, createRunRecords, type DecisionSource, type RunRecords, type TargetWeightsSource } from './simulation';
import type { EquityCurve, OpenPositionReport, Rejection, Strategy } from './types';

/**
 * Market data a backtest accepts: a core `BarSeries`, or anything `toBarSeries` of
 * `@algo-trading/data` converts (a danfojs DataFrame, an object of columns, price-only columns,
 * an array of rows). Such data with a symbol column holding several symbols (long format: rows of
 * `{ time, symbol, open, high, low, close, volume }`) is a universe, one series per symbol (see
 * `toBarsOrUniverse` of `@algo-trading/data`).
 */
export type BacktestData = BarSeriesSource;

/**
 * The bars of a multi-symbol run: a core `Universe` (any `Map` of symbol to `BarSeries`, e.g. the
 * multi-symbol output of the data package's loaders), a record `{ AAPL: bars, MSFT: bars }`, an
 * array of series carrying their symbols, or a long-format frame (see {@link BacktestData}). Symbols may have different calendars (see
 * docs/trading-rules.md, "Several symbols").
 */
export type UniverseData = UniverseInput | readonly BarSeries[];

/** Values per symbol of a multi-symbol run, each aligned with that symbol's own bars. */
export type PerSymbol<T> = Readonly<Record<string, T>>;

/** Input of {@link BacktestEngine.runBacktest}: data and per-bar decisions aligned with it. */
export interface SignalsBacktestInput {
  /** One series, or a universe of several symbols ({@link UniverseData}). */
  readonly data: BacktestData | UniverseData;
  /**
   * -1 / 0 / 1 per bar; with a universe, per symbol (`{ AAPL: [...] }`, each aligned with that
   * symbol's bars; a symbol left out gets no signal orders).
   */
  readonly signals: ArrayLike<number> | PerSymbol<ArrayLike<number>>;
  /** Confidence in [0, 1] per bar (NaN = none), passed to the sizer and the risk checks; per symbol with a universe. */
  readonly confidences?: ArrayLike<number> | PerSymbol<ArrayLike<number>> | undefined;
  /** Stop-loss price for an entry decided at that bar (NaN = none: the risk manager's default); per symbol with a universe. */
  readonly stopLosses?: ArrayLike<number> | PerSymbol<ArrayLike<number>> | undefined;
  /** Take-profit price for an entry decided at that bar (NaN = none); per symbol with a universe. */
  readonly takeProfits?: ArrayLike<number> | PerSymbol<ArrayLike<number>> | undefined;
  /** Quoted spread per bar in price units (NaN = none), for the `spread` slippage model (single series only). */
  readonly spreads?: ArrayLike<number> | undefined;
}

/**
 * A schedule of target weights: row `j` dated `time[j]` (epoch ms, increasing) gives each symbol's
 * weight `weights[SYM][j]`, a fraction of the portfolio equity at that time's close (negative:
 * short, with `allowShort`). A symbol left out is not managed.
 */
export interface TargetWeights {
  readonly time: ArrayLike<number>;
  readonly weights: PerSymbol<ArrayLike<number>>;
}

/** The thresholds of a target-weight rebalance (see {@link rebalanceOptionsSchema}). */
export const rebalanceOptionsSchema = z.strictObject({
  /** A symbol is traded only when |target weight - current weight| exceeds this (0: any difference). */
  driftThreshold: z.number().min(0).max(1).default(0),
  /** A symbol is traded only when the trade's value at the close reaches this (money). */
  minTradeValue: z.number().min(0).refine(Number.isFinite, { error: 'expected a finite number >= 0' }).default(0),
});

/** Options of a target-weight rebalance: `{ driftThreshold?, minTradeValue? }`, both default 0. */
export type RebalanceOptions = z.input<typeof rebalanceOptionsSchema>;

/**
 * Input of {@link BacktestEngine.runBacktest} with target weights instead of signals: weights
 * dated t are fractions of the portfolio equity at t's close, executed at the next open, sells
 * first, each symbol's quantity floored to the lot.
 */
export interface TargetWeightsBacktestInput {
  readonly data: BacktestData | UniverseData;
  readonly targetWeights: TargetWeights;
  readonly rebalance?: RebalanceOptions | undefined;
}

/** Input of {@link BacktestEngine.run}: data and a strategy called once per bar (time slice). */
export interface StrategyBacktestInput {
  /** One series, or a universe of several symbols ({@link UniverseData}). */
  readonly data: BacktestData | UniverseData;
  readonly strategy: Strategy;
  /** Quoted spread per bar in price units (NaN = none), for the `spread` slippage model. */
  readonly spreads?: ArrayLike<number> | undefined;
  /** The thresholds of the rebalances `ctx.setTargetWeights` asks for (see {@link rebalanceOptionsSchema}). */
  readonly rebalance?: RebalanceOptions | undefined;
}

/** The metrics of `computeMetrics` (`@algo-trading/metrics`) over the run's equity and trades. */
export type BacktestMetrics = ReturnType<typeof computeMetrics>;

/** The results of a run: every metric of `computeMetrics` plus the engine's own figures. */
/** One symbol's share of a run ({@link BacktestResults.perSymbol}). */
export interface SymbolResults {
  /** Net P&L: its closed trades' P&L plus its open position's unrealized P&L at the end. */
  readonly pnl: number;
  /** `pnl` / initial capital: the symbols' contributions sum to the total return less the financing. */
  readonly contribution: number;
  /** Closed trades. */
  readonly trades: number;
  /** Fraction of the time slices that ended with a position in the symbol. */
  readonly exposure: number;
  /** Traded value (sum of |quantity x price| of its fills) / mean portfolio equity. */
  readonly turnover: number;
  /** Traded value: sum of |quantity x price| of its fills. */
  readonly tradedValue: number;
}

/** Positions and weights over time, one column per symbol ({@link BacktestEngine.getHoldings}). */
export interface Holdings {
  /** Time slices, epoch ms. */
  readonly time: Float64Array;
  /** Signed units held at the end of each slice (negative: short). */
  readonly positions: Readonly<Record<string, Float64Array>>;
  /** Signed market value at the slice's close (each symbol at its last close) / portfolio equity. */
  readonly weights: Readonly<Record<string, Float64Array>>;
}

export type BacktestResults = BacktestMetrics & {
  /** The symbol of a single-series run; of a multi-symbol run, its symbols joined with `,`. */
  readonly symbol: string;
  /** Every symbol of the run, in universe order (one for a single series). */
  readonly symbols: readonly string[];
  /** Number of bars simulated (of a multi-symbol run: of time slices, the union of the symbols' timestamps). */
  readonly bars: number;
  /** Per symbol: P&L, contribution to return, trades, exposure, turnover. */
  readonly perSymbol: Readonly<Record<string, SymbolResults>>;
  /** Traded value of every fill / mean portfolio equity. */
  readonly turnover: number;
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
  /** Fraction of bars (time slices) that closed with an open position. */
  readonly exposure: number;
};

interface LastRun {
  readonly simulation: Simulation;
  readonly time: Float64Array;
  /** Built on the first {@link BacktestEngine.getEquityCurve} call (cash and drawdown are derived). */
  curve: EquityCurve | null;
  /** Built on the first {@link BacktestEngine.getOrders} call. */
  orders: readonly Order[] | null;
  /** Built on the first {@link BacktestEngine.getHoldings} call. */
  holdings: Holdings | null;
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
  async runBacktest(input: SignalsBacktestInput | TargetWeightsBacktestInput): Promise<BacktestResults> {
    const record = requireInputObject(input, 'runBacktest');
    if ('targetWeights' in record) {
      rejectUnknownKeys(record, ['data', 'targetWeights', 'rebalance'], 'runBacktest');
      const weightsInput = input as TargetWeightsBacktestInput;
      const { market, multi } = this.#market(weightsInput.data);
      return this.#execute(market, this.#targetWeights(market, weightsInput), null, multi);
    }
    rejectUnknownKeys(record, ['data', 'signals', 'confidences', 'stopLosses', 'takeProfits', 'spreads'], 'runBacktest');
    input = input as SignalsBacktestInput;
    const { market, multi } = this.#market(input.data);
    const symbols = market.symbols;
    if (!multi) {
      const n = symbols[0]!.series.length;
      const source: DecisionSource = {
        kind: 'signals',
        signals: [validateSignals(input.signals, n)],
        confidences: [input.confidences === undefined ? null : validateConfidences(input.confidences, n)],
        stopLosses: [input.stopLosses === undefined ? null : validateLevels('stopLosses', input.stopLosses, n)],
        takeProfits: [input.takeProfits === undefined ? null : validateLevels('takeProfits', input.takeProfits, n)],
      };
      return this.#execute(market, source, input.spreads === undefined ? null : validateSpreads(input.spreads, n), false);
    }
    if (input.spreads !== undefined) {
      throw new AlgoTradingError('INVALID_DATA', 'spreads are for a single series: a multi-symbol run takes none', {
        details: { field: 'spreads', value: input.spreads },
      });
    }
    const names = symbols.map((sym) => sym.symbol);
    const signals = perSymbolRecord('signals', input.signals, names);
    const confidences = input.confidences === undefined ? {} : perSymbolRecord('confidences', input.confidences, names);
    const stopLosses = input.stopLosses === undefined ? {} : perSymbolRecord('stopLosses', input.stopLosses, names);
    const takeProfits = input.takeProfits === undefined ? {} : perSymbolRecord('takeProfits', input.takeProfits, names);
    const source: DecisionSource = {
      kind: 'signals',
      signals: symbols.map((sym) => {
        const v = signals[sym.symbol];
        return v === undefined ? null : toSlices(validateSignals(v, sym.series.length, `signals.${sym.symbol}`), sym, 0);
      }),
      confidences: symbols.map((sym) => {
        const v = confidences[sym.symbol];
        return v === undefined ? null : toSlices(validateConfidences(v, sym.series.length, `confidences.${sym.symbol}`), sym, Number.NaN);
      }),
      stopLosses: symbols.map((sym) => {
        const v = stopLosses[sym.symbol];
        return v === undefined ? null : toSlices(validateLevels(`stopLosses.${sym.symbol}`, v, sym.series.length), sym, Number.NaN);
      }),
      takeProfits: symbols.map((sym) => {
        const v = takeProfits[sym.symbol];
        return v === undefined ? null : toSlices(validateLevels(`takeProfits.${sym.symbol}`, v, sym.series.length), sym, Number.NaN);
      }),
    };
    return this.#execute(market, source, null, true);
  }

  /**
   * Backtests a strategy: `strategy.onBar(ctx)` is called after each bar closes and sees only
   * bars up to that one. It submits, cancels and replaces orders through the context
   * (`ctx.submit`, `ctx.cancel`, `ctx.replace`, `ctx.openOrders`), or sets target weights
   * (`ctx.setTargetWeights`, rebalanced with the `rebalance` thresholds), and may also return a
   * signal decision. Same loop and rules as {@link runBacktest}.
   * @throws AlgoTradingError `INVALID_ARGUMENT` for a bad strategy or `rebalance`, `INVALID_DATA`
   * for bad data, `INVALID_CONFIG` for an `instruments` symbol that is not in the data.
   */
  async run(input: StrategyBacktestInput): Promise<BacktestResults> {
    const record = requireInputObject(input, 'run');
    rejectUnknownKeys(record, ['data', 'strategy', 'spreads', 'rebalance'], 'run');
    const rebalance = this.#rebalanceOptions(input.rebalance);
    const strategy = input.strategy;
    if (typeof strategy !== 'object' || strategy === null || typeof strategy.onBar !== 'function') {
      throw new AlgoTradingError(
        'INVALID_ARGUMENT',
        `strategy must be an object with an onBar(ctx) method, got ${describeValue(strategy)}`,
        { details: { field: 'strategy', value: strategy } },
      );
    }
    const { market, multi } = this.#market(input.data);
    if (multi && input.spreads !== undefined) {
      throw new AlgoTradingError('INVALID_DATA', 'spreads are for a single series: a multi-symbol run takes none', {
        details: { field: 'spreads', value: input.spreads },
      });
    }
    const spreads = input.spreads === undefined ? null : validateSpreads(input.spreads, market.time.length);
    return this.#execute(market, { kind: 'strategy', strategy, ...rebalance }, spreads, multi);
  }

  /**
   * Signed positions and weights per symbol over the time slices of the last run (one
   * `Float64Array` per symbol). A weight is the position's market value at the slice's close (a
   * symbol without a bar: its last close) over the portfolio equity.
   */
  getHoldings(): Holdings {
    const run = this.#requireRun();
    if (run.holdings === null) {
      const equity = run.simulation.equity;
      const positions: Record<string, Float64Array> = {};
      const weights: Record<string, Float64Array> = {};
      for (const inst of run.simulation.instruments) {
        const column = inst.positions;
        const close = inst.series.close;
        const w = new Float64Array(column.length);
        for (let i = 0; i < column.length; i++) w[i] = column[i] === 0 ? 0 : (column[i]! * close[i]!) / equity[i]!;
        positions[inst.symbol] = column;
        weights[inst.symbol] = w;
      }
      run.holdings = { time: run.time, positions, weights };
    }
    return run.holdings;
  }

  /** Validates a target-weight schedule against the run's symbols (`INVALID_DATA` naming symbol, field and index). */
  #targetWeights(market: Market, input: TargetWeightsBacktestInput): TargetWeightsSource {
    const rebalance = this.#rebalanceOptions(input.rebalance);
    const tw = input.targetWeights as unknown;
    if (typeof tw !== 'object' || tw === null) {
      throw new AlgoTradingError('INVALID_DATA', `targetWeights must be { time, weights }, got ${describeValue(tw)}`, { details: { field: 'targetWeights', value: tw } });
    }
    const { time: rawTime, weights: rawWeights } = tw as Record<string, unknown>;
    if (!(Array.isArray(rawTime) || ArrayBuffer.isView(rawTime))) {
      throw new AlgoTradingError('INVALID_DATA', `targetWeights.time must be an array of epoch ms, got ${describeValue(rawTime)}`, {
        details: { field: 'targetWeights.time', value: rawTime },
      });
    }
    const source = rawTime as ArrayLike<unknown>;
    const rows = source.length;
    const time = new Float64Array(rows);
    for (let j = 0; j < rows; j++) {
      const t = source[j];
      if (typeof t !== 'number' || !Number.isFinite(t) || (j > 0 && !(t > time[j - 1]!))) {
        throw new AlgoTradingError('INVALID_DATA', `targetWeights.time[${j}] must be a finite time after the previous row, got ${describeValue(t)}`, {
          details: { field: 'targetWeights.time', index: j, value: t },
        });
      }
      time[j] = t;
    }
    const names = market.symbols.map((sym) => sym.symbol);
    const record = perSymbolRecord('targetWeights.weights', rawWeights, names);
    const o = this.options;
    const gross = new Float64Array(rows);
    const weights = market.symbols.map((sym) => {
      const column = record[sym.symbol];
      if (column === undefined) return null;
      const field = `targetWeights.weights.${sym.symbol}`;
      if (!(Array.isArray(column) || ArrayBuffer.isView(column)) || (column as ArrayLike<unknown>).length !== rows) {
        const got = Array.isArray(column) || ArrayBuffer.isView(column) ? `${(column as ArrayLike<unknown>).length} values` : describeValue(column);
        throw new AlgoTradingError('INVALID_DATA', `${field} must have one weight per row of targetWeights.time (${rows}), got ${got}`, {
          details: { field, value: column },
        });
      }
      const values = column as ArrayLike<unknown>;
      const out = new Float64Array(rows);
      const shorting = { symbol: sym.symbol, allowShort: o.allowShort, shortable: o.instruments?.[sym.symbol]?.shortable !== false };
      for (let j = 0; j < rows; j++) {
        const w = checkTargetWeight(field, j, values[j], shorting);
        out[j] = w;
        gross[j]! += Math.abs(w);
      }
      return out;
    });
    for (let j = 0; j < rows; j++) checkGrossWeight('targetWeights.weights', `targetWeights.weights: row ${j}`, j, gross[j]!, o.maxLeverage);
    return { kind: 'weights', time, weights, ...rebalance };
  }

  /** The `rebalance` thresholds of a run (`INVALID_ARGUMENT` naming the key). */
  #rebalanceOptions(input: unknown): { driftThreshold: number; minTradeValue: number } {
    const parsed = rebalanceOptionsSchema.safeParse(input ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = issue.path.join('.');
      throw new AlgoTradingError('INVALID_ARGUMENT', `rebalance${key === '' ? '' : `.${key}`}: ${issue.message}`, {
        details: { field: `rebalance${key === '' ? '' : `.${key}`}`, value: input },
      });
    }
    return parsed.data;
  }

  /** The market of `data`: a single series, or a universe laid on its time slices. */
  #market(data: unknown): { market: Market; multi: boolean } {
    const universe = asUniverse(data);
    if (universe === null) {
      const converted = toSeries(data);
      if (!isBarSeries(converted)) return { market: alignMarket(converted), multi: true };
      const series = converted;
      if (series.length === 0) {
        throw new AlgoTradingError('INVALID_DATA', 'data must have at least 1 bar, got 0', { details: { field: 'data', value: 0 } });
      }
      return { market: singleMarket(series, this.options.symbol ?? series.symbol ?? 'ASSET'), multi: false };
    }
    return { market: alignMarket(universe), multi: true };
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
    return this.#requireRun().simulation.rejections.toArray();
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

  #execute(market: Market, source: DecisionSource, spreads: Float64Array | null, multi: boolean): BacktestResults {
    const o = this.options;
    const time = market.time;
    const n = time.length;
    const symbols = market.symbols.map((sym) => sym.symbol);
    const symbol = multi ? symbols.join(',') : symbols[0]!;
    const records = (this.#records ??= createRunRecords(o.initialCapital));
    // The last run's equity and position columns are reused unless a caller holds them.
    const last = this.#last;
    if (last !== null) {
      if (last.curve === null) records.spareColumns.push(last.simulation.equity);
      if (last.holdings === null) for (const inst of last.simulation.instruments) records.spareColumns.push(inst.positions);
    }
    this.#last = null;
    const specs = resolveInstrumentSpecs(symbols, o.instruments, o);
    // An instrument's own borrow rate accrues daily even without a financing model.
    const financing = o.financing ?? (specs.borrowRate.some((rate) => rate === rate) ? dailyFinancing({}) : null);
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
        financing,
        maxLeverage: o.maxLeverage,
        passedLevels: o.passedLevels,
        orderSequence: o.orderSequence,
        specs,
      },
      market,
      spreads,
      records,
    );
    simulation.run(source);

    const book = simulation.book;
    const openPositions: OpenPositionReport[] = [];
    let unrealizedPnl = 0;
    for (const p of book.open) {
      const lastClose = simulation.instrument(p.symbol)!.series.close[n - 1]!;
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
      times: time,
      trades: this.#tradeStats(book.trades),
      initialValue: o.initialCapital,
      periodsPerYear: o.periodsPerYear,
      riskFree: o.riskFree,
      annualRiskFree: o.annualRiskFree,
      logger: o.logger,
    });
    this.#last = { simulation, time, curve: null, orders: null, holdings: null, openPositions };
    const attribution = attribute(simulation, openPositions, o.initialCapital);
    const results: BacktestResults = {
      ...metrics,
      symbol,
      symbols,
      bars: n,
      perSymbol: attribution.perSymbol,
      turnover: attribution.turnover,
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

/**
 * The per-symbol attribution of a run: P&L (closed trades plus the open position), contribution,
 * trades, exposure and turnover per symbol; the portfolio's turnover.
 */
function attribute(
  simulation: Simulation,
  openPositions: readonly OpenPositionReport[],
  initialCapital: number,
): { perSymbol: Record<string, SymbolResults>; turnover: number } {
  const instruments = simulation.instruments;
  const slot = new Map<string, number>();
  instruments.forEach((inst, k) => slot.set(inst.symbol, k));
  const count = instruments.length;
  const pnl = new Float64Array(count);
  const trades = new Float64Array(count);
  const traded = new Float64Array(count);
  const log = simulation.book.trades;
  for (let k = 0; k < log.length; k++) {
    const s = slot.get(log.symbolAt(k))!;
    pnl[s]! += log.pnlAt(k);
    trades[s]!++;
  }
  for (const p of openPositions) pnl[slot.get(p.symbol)!]! += p.unrealizedPnl;
  const fills = simulation.fills;
  let total = 0;
  for (let k = 0; k < fills.length; k++) {
    const value = Math.abs(fills.notionalAt(k));
    traded[slot.get(fills.symbolAt(k))!]! += value;
    total += value;
  }
  const equity = simulation.equity;
  const meanEquity = equity.length === 0 ? initialCapital : sequentialSum(equity) / equity.length;
  const perSymbol: Record<string, SymbolResults> = {};
  for (let k = 0; k < count; k++) {
    const column = instruments[k]!.positions;
    const held = nonZeroCount(column);
    perSymbol[instruments[k]!.symbol] = {
      pnl: pnl[k]!,
      contribution: pnl[k]! / initialCapital,
      trades: trades[k]!,
      exposure: column.length === 0 ? 0 : held / column.length,
      turnover: meanEquity > 0 ? traded[k]! / meanEquity : 0,
      tradedValue: traded[k]!,
    };
  }
  return { perSymbol, turnover: meanEquity > 0 ? total / meanEquity : 0 };
}

// The per-bar passes of the results are leaf kernels (docs/architecture.md, "Performance").

/** `values[0] + values[1] + ...`, in order. */
function sequentialSum(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum;
}

/** How many of `values` are not 0. */
function nonZeroCount(values: Float64Array): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) count++;
  return count;
}

/**
 * `data` as a universe when it is one (a `Map`, an array of series, or a record whose values are
 * all series), else null (a single series or columns for `toBarSeries`).
 */
function asUniverse(data: unknown): ReturnType<typeof toUniverse> | null {
  if (data instanceof Map) return toUniverse(data as ReadonlyMap<string, BarSeries>);
  if (Array.isArray(data)) {
    if (data.length === 0 || !data.every((item) => isBarSeries(item))) return null;
    return universeOf(data as BarSeries[]);
  }
  if (typeof data !== 'object' || data === null || isBarSeries(data)) return null;
  const values = Object.values(data);
  if (values.length === 0 || !values.every((item) => isBarSeries(item))) return null;
  return toUniverse(data as Readonly<Record<string, BarSeries>>);
}

/** `data` converted: a long-format frame (with a symbol column) is a universe, other data one series. */
function toSeries(data: unknown): BarSeries | Universe {
  if (isBarSeries(data)) return data;
  if (data === undefined || data === null) {
    throw new AlgoTradingError('INVALID_DATA', `data must be a BarSeries or convertible bars, got ${describeValue(data)}`, {
      details: { field: 'data', value: data },
    });
  }
  return toBarsOrUniverse(data as BarSeriesSource);
}
