import type { BarSeries } from '@algo-trading/core';

/**
 * The contract of a strategy that a parameter sweep can run: one function from bars and one set
 * of parameters to per-bar decisions, plus the schema of its parameters. A sweep imports it by
 * module specifier and export name (`@algo-trading/strategies#smaCross`, `./my-strategy.js#rsiBand`)
 * in every worker thread or process, so the module must be importable there and the object must
 * not hold state between calls.
 */

/**
 * A memo cache of values computed from the bars, shared by every parameter set a worker runs on
 * the same bars: `sma(close, 20)` is computed once per worker, not once per combination that
 * uses it. One cache serves one view of the data (the same bars), so a key needs only name the
 * computation (`sma:close:20`), never the data. Cached values must not be mutated.
 */
export interface IndicatorCache {
  /** The value cached under `key`, computed with `compute()` on the first call. */
  memo<T>(key: string, compute: () => T): T;
}

/** What a parameterized strategy decides over the bars, aligned with them (one value per bar). */
export interface StrategyDecisions {
  /** -1 / 0 / 1 per bar (see the engine's signal rules). */
  readonly signals: ArrayLike<number>;
  /** Confidence in [0, 1] per bar (NaN = none), for confidence-based sizing and the risk checks. */
  readonly confidences?: ArrayLike<number> | undefined;
  /** Stop-loss price for an entry decided at that bar (NaN = the risk manager's default). */
  readonly stopLosses?: ArrayLike<number> | undefined;
  /** Take-profit price for an entry decided at that bar (NaN = none). */
  readonly takeProfits?: ArrayLike<number> | undefined;
}

/** Input of {@link ParameterizedStrategy.generate}. */
export interface ParameterizedStrategyInput<P> {
  /** The bars, up to the last bar the run may see (a walk-forward segment ends there). */
  readonly bars: BarSeries;
  /** One parameter set, validated by {@link ParameterizedStrategy.parameters}. */
  readonly params: P;
  /** The worker's cache of indicators over these bars. */
  readonly indicators: IndicatorCache;
}

/** One validation problem of a {@link ParameterSchema}. */
export interface ParameterIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * The schema of one parameter set: a zod object schema (`z.strictObject({...})`, refinements such as
 * `fast < slow` allowed) from any copy of zod, as only `shape` and `safeParse` are used. The keys
 * of `shape` are the parameter names a sweep may vary; each value schema validates that
 * parameter's values before a sweep starts.
 */
export interface ParameterSchema<P> {
  readonly shape: Readonly<Record<string, unknown>>;
  safeParse(value: unknown): { success: true; data: P } | { success: false; error: { issues: readonly ParameterIssue[] } };
}

/**
 * A strategy a parameter sweep can run: `generate` returns the decisions of one parameter set.
 * The value at bar t may use bars up to t only (no look-ahead). Expensive intermediate series go
 * through `indicators.memo` so that combinations sharing them reuse one computation.
 *
 * @example
 * import { z } from 'zod';
 * import { crossoverSignals, ema, type ParameterizedStrategy } from '@algo-trading/strategies';
 *
 * export const emaCross: ParameterizedStrategy<{ fast: number; slow: number }> = {
 *   name: 'EMA crossover',
 *   parameters: z.strictObject({ fast: z.int().min(1), slow: z.int().min(2) }),
 *   generate: ({ bars, params, indicators }) => ({
 *     signals: crossoverSignals(
 *       indicators.memo(`ema:close:${params.fast}`, () => ema(bars.close, params.fast)),
 *       indicators.memo(`ema:close:${params.slow}`, () => ema(bars.close, params.slow)),
 *     ),
 *   }),
 * };
 */
export interface ParameterizedStrategy<P extends object = object> {
  /** Name for people (reports, logs). */
  readonly name: string;
  /** Schema of one parameter set. */
  readonly parameters: ParameterSchema<P>;
  /** Decisions for one parameter set over the bars (sync or async). */
  generate(input: ParameterizedStrategyInput<P>): StrategyDecisions | Promise<StrategyDecisions>;
}

/**
 * True when `value` has the shape of a {@link ParameterizedStrategy}: a string `name`, a
 * `parameters` object schema (`shape` and `safeParse`) and a `generate` function.
 */
export function isParameterizedStrategy(value: unknown): value is ParameterizedStrategy {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const parameters = v['parameters'] as Record<string, unknown> | null | undefined;
  return (
    typeof v['name'] === 'string' &&
    typeof v['generate'] === 'function' &&
    typeof parameters === 'object' &&
    parameters !== null &&
    typeof parameters['safeParse'] === 'function' &&
    typeof parameters['shape'] === 'object' &&
    parameters['shape'] !== null
  );
}
