import type { BacktestEngine } from '@algo-trading/backtesting';
import { AlgoTradingError, isAlgoTradingError, type BarSeries } from '@algo-trading/core';
import type { ParameterizedStrategy, StrategyDecisions } from '@algo-trading/strategies';
import type { SweepRow, WorkUnit } from '../results/row';
import type { LruIndicatorCache } from './indicator-cache';
import { createEngine, type RunOptions } from './run-options';

/** Options of {@link Evaluator}. */
export interface EvaluatorOptions {
  readonly bars: BarSeries;
  readonly strategy: ParameterizedStrategy;
  readonly runOptions: RunOptions;
  /** The worker's indicator cache (shared by the evaluators of one thread). */
  readonly cache: LruIndicatorCache;
  /** Written into every row. */
  readonly worker: string;
}

/** A run with its equity curve (for the best combination's statistics). */
export interface EvaluatedRun {
  readonly row: SweepRow;
  /** Equity per bar of the run (null on error). */
  readonly equity: Float64Array | null;
}

function part(values: ArrayLike<number> | undefined, start: number): ArrayLike<number> | undefined {
  if (values === undefined || start === 0) return values;
  if (ArrayBuffer.isView(values)) return (values as unknown as Float64Array).subarray(start);
  return Array.prototype.slice.call(values, start) as number[];
}

function checkLength(name: string, values: ArrayLike<number> | undefined, n: number): void {
  if (values === undefined) return;
  if (typeof values !== 'object' || values === null || typeof values.length !== 'number' || values.length !== n) {
    throw new AlgoTradingError(
      'INVALID_DATA',
      `the strategy returned ${name} of length ${(values as { length?: unknown } | null)?.length ?? String(values)} for ${n} bars`,
      { details: { field: name } },
    );
  }
}

/**
 * Runs work units on one data set with one strategy and one engine (reused run after run: the
 * engine resets itself at the start of each run). A combination that throws becomes a row with
 * its error; nothing else is thrown.
 */
export class Evaluator {
  readonly #bars: BarSeries;
  readonly #strategy: ParameterizedStrategy;
  readonly #engine: BacktestEngine;
  readonly #cache: LruIndicatorCache;
  readonly #worker: string;
  readonly #views = new Map<number, BarSeries>();

  constructor(options: EvaluatorOptions) {
    this.#bars = options.bars;
    this.#strategy = options.strategy;
    this.#engine = createEngine(options.runOptions);
    this.#cache = options.cache;
    this.#worker = options.worker;
  }

  /** The bars `[0, end)` a unit's strategy sees (one shared view per end). */
  #view(end: number): BarSeries {
    if (end === this.#bars.length) return this.#bars;
    let view = this.#views.get(end);
    if (view === undefined) {
      view = this.#bars.slice(0, end);
      this.#views.set(end, view);
    }
    return view;
  }

  /** Runs one unit; returns its row (with `error` set if it threw) and, on request, its equity curve. */
  async run(unit: WorkUnit, options: { readonly keepEquity?: boolean } = {}): Promise<EvaluatedRun> {
    const started = performance.now();
    try {
      const view = this.#view(unit.end);
      const parsed = this.#strategy.parameters.safeParse(unit.params);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const path = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.map(String).join('.')}: `;
        throw new AlgoTradingError('INVALID_ARGUMENT', `invalid parameters ${JSON.stringify(unit.params)}: ${path}${issue?.message ?? 'rejected'}`, {
          details: { field: 'params', value: unit.params },
        });
      }
      const decisions: StrategyDecisions = await this.#strategy.generate({
        bars: view,
        params: parsed.data,
        indicators: this.#cache.view(String(unit.end)),
      });
      if (typeof decisions !== 'object' || decisions === null) {
        throw new AlgoTradingError('INVALID_DATA', 'the strategy returned no decisions (expected { signals, ... })', { details: { field: 'signals' } });
      }
      const n = view.length;
      checkLength('signals', decisions.signals, n);
      checkLength('confidences', decisions.confidences, n);
      checkLength('stopLosses', decisions.stopLosses, n);
      checkLength('takeProfits', decisions.takeProfits, n);
      const s = unit.start;
      const results = (await this.#engine.runBacktest({
        data: s === 0 ? view : view.slice(s),
        signals: part(decisions.signals, s)!,
        ...(decisions.confidences === undefined ? {} : { confidences: part(decisions.confidences, s)! }),
        ...(decisions.stopLosses === undefined ? {} : { stopLosses: part(decisions.stopLosses, s)! }),
        ...(decisions.takeProfits === undefined ? {} : { takeProfits: part(decisions.takeProfits, s)! }),
      })) as unknown as Record<string, unknown>;
      const metrics: Record<string, number> = {};
      for (const [k, v] of Object.entries(results)) if (typeof v === 'number') metrics[k] = v;
      const row: SweepRow = {
        ...unit,
        metrics,
        tradeCount: metrics['tradeCount'] ?? null,
        runMs: performance.now() - started,
        worker: this.#worker,
        error: null,
      };
      return { row, equity: options.keepEquity === true ? Float64Array.from(this.#engine.getEquityCurve().equity) : null };
    } catch (error) {
      const code = isAlgoTradingError(error) ? error.code : error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      return { row: { ...unit, metrics: null, tradeCount: null, runMs: performance.now() - started, worker: this.#worker, error: { code, message } }, equity: null };
    }
  }
}
