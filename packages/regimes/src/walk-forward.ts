import { AlgoTradingError, describeValue, isAlgoTradingError, parseOptions, zIntegerAtLeast, zLogger, type Logger } from '@algo-trading/core';
import { z } from 'zod';
import { GaussianHMM, isGaussianHMM, type GaussianHmmOptions, type GaussianHmmParams } from './hmm/gaussian-hmm';
import { labelsFromProbabilities, type RegimeLabels } from './labels';
import { logReturns, readPrices, type PriceInput } from './series';

const walkForwardSchema = z.strictObject({
  bars: z.unknown(),
  features: z.record(z.string(), z.unknown()).optional(),
  model: z.unknown(),
  trainWindow: zIntegerAtLeast(2),
  refitEvery: zIntegerAtLeast(1),
  window: z.enum(['rolling', 'expanding']).default('rolling'),
  logger: zLogger(),
});

/**
 * Options of {@link walkForwardRegimes}.
 *
 * - `bars`: the bars (or close prices) the regimes are aligned with.
 * - `features`: named feature columns aligned with `bars` (NaN allowed only in a leading
 *   warm-up); default `{ logReturn: logReturns(bars) }`. Column order = key order.
 * - `model`: the HMM to refit, as {@link GaussianHmmOptions} or a {@link GaussianHMM} whose
 *   options are used (it is never fitted in place).
 * - `trainWindow`: rows each fit uses (>= the number of states; the first fit needs that many
 *   usable rows).
 * - `refitEvery`: bars between refits, i.e. the length of each out-of-sample block.
 * - `window` (default `'rolling'`): `'rolling'` trains on the last `trainWindow` rows,
 *   `'expanding'` on every usable row so far.
 * - `logger`: receives one debug line per fold. Default silent.
 */
export interface WalkForwardRegimesOptions {
  readonly bars: PriceInput;
  readonly features?: Readonly<Record<string, ArrayLike<number>>> | undefined;
  readonly model: GaussianHMM | GaussianHmmOptions;
  readonly trainWindow: number;
  readonly refitEvery: number;
  readonly window?: 'rolling' | 'expanding' | undefined;
  readonly logger?: Logger | undefined;
}

/** One refit of {@link walkForwardRegimes}: trained on rows [trainStart, trainEnd), applied to [testStart, testEnd). */
export interface WalkForwardRegimeFold {
  readonly trainStart: number;
  readonly trainEnd: number;
  /** Equals `trainEnd`: the block right after the training window. */
  readonly testStart: number;
  readonly testEnd: number;
  readonly logLikelihood: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly flooredStates: readonly number[];
  /** The fitted parameters (states numbered by the model's `stateOrder` rule). */
  readonly params: GaussianHmmParams;
}

/** Result of {@link walkForwardRegimes}, aligned with the bars. */
export interface WalkForwardRegimesResult extends RegimeLabels {
  /**
   * Filtered probabilities, T x K row-major: row t = P(state at t | data up to t) under the model
   * fitted on rows before the block holding t. NaN rows before `warmup`.
   */
  readonly probabilities: Float64Array;
  /** Number of states K. */
  readonly states: number;
  /** Feature column names, in model order. */
  readonly features: readonly string[];
  /** First row where every feature is finite. */
  readonly firstUsableRow: number;
  readonly folds: readonly WalkForwardRegimeFold[];
  /** The last fold's fitted model (continue live with `model.resetStream(recentRows)` and `update`). */
  readonly model: GaussianHMM;
}

function invalidData(message: string, field: string, details: Record<string, unknown> = {}): never {
  throw new AlgoTradingError('INVALID_DATA', message, { details: { field, ...details } });
}

/**
 * Walk-forward regimes: refits a Gaussian HMM every `refitEvery` bars on past rows only and
 * emits the filtered state probabilities of the next block.
 *
 * For the block [e, e + refitEvery) the model is fitted on rows [e - trainWindow, e) (or every
 * usable row before e with `window: 'expanding'`), then run forward (filtered, never smoothed)
 * from the start of its training window through the block; rows of the block are emitted.
 * Every emitted value at bar t thus depends on rows up to t only: removing or changing later
 * bars never changes it (fits are seeded, so the same rows give the same model). Warm-up: the
 * first `firstUsableRow + trainWindow` bars (label -1, NaN probabilities).
 *
 * @throws AlgoTradingError `INVALID_CONFIG` for bad options, `INVALID_DATA` for features of the
 * wrong length, a NaN after the leading warm-up, or too few usable rows for one fit.
 *
 * @example
 * const wf = walkForwardRegimes({
 *   bars, model: { states: 2, seed: 7, restarts: 2 }, trainWindow: 1000, refitEvery: 21,
 * });
 * wf.probabilities[t * 2 + 1]; // P(high-volatility state at t), causal
 * wf.labels[t];                // most probable state, -1 before wf.warmup
 */
export function walkForwardRegimes(options: WalkForwardRegimesOptions): WalkForwardRegimesResult {
  const o = parseOptions(walkForwardSchema, options, { what: 'walkForwardRegimes options' });
  const close = readPrices(o.bars as PriceInput, 'bars');
  const n = close.length;
  const modelOptions: GaussianHmmOptions = isGaussianHMM(o.model) ? { ...o.model.options } : (o.model as GaussianHmmOptions);
  // Validates the model options once, before any loop.
  const template = new GaussianHMM(modelOptions);
  const K = template.states;
  if (o.trainWindow < K) {
    throw new AlgoTradingError('INVALID_CONFIG', `trainWindow must be at least the number of states (${K}), got ${o.trainWindow}`, {
      details: { field: 'trainWindow', value: o.trainWindow },
    });
  }

  const columns: Record<string, ArrayLike<number>> = (o.features as Record<string, ArrayLike<number>> | undefined) ?? { logReturn: logReturns(close) };
  const names = Object.keys(columns);
  if (names.length === 0) invalidData('features must hold at least one column', 'features');
  const D = names.length;
  const data = new Float64Array(n * D);
  for (let j = 0; j < D; j++) {
    const name = names[j]!;
    const column = columns[name];
    if (typeof column !== 'object' || column === null || column.length !== n) {
      invalidData(`features.${name} must be an array of ${n} numbers (one per bar), got ${describeValue(column)}`, `features.${name}`, { value: column });
    }
    for (let t = 0; t < n; t++) {
      const v = column[t];
      if (typeof v !== 'number') invalidData(`features.${name}[${t}] must be a number, got ${describeValue(v)}`, `features.${name}`, { index: t, value: v });
      data[t * D + j] = v;
    }
  }
  let first = 0;
  while (first < n && !rowFinite(data, first, D)) first++;
  for (let t = first; t < n; t++) {
    for (let j = 0; j < D; j++) {
      const v = data[t * D + j]!;
      if (!Number.isFinite(v)) {
        invalidData(
          `features.${names[j]}[${t}] is ${v}: after the leading warm-up (row ${first} on) every feature must be finite`,
          `features.${names[j]}`,
          { index: t, value: v },
        );
      }
    }
  }
  if (n - first <= o.trainWindow) {
    invalidData(
      `bars has ${n - first} usable row(s) (from row ${first}); trainWindow ${o.trainWindow} needs at least ${o.trainWindow + 1}`,
      'bars',
      { value: n - first },
    );
  }

  const rowsOf = (start: number, end: number): Float64Array | Float64Array[] =>
    D === 1 ? data.subarray(start, end) : Array.from({ length: end - start }, (_, i) => data.subarray((start + i) * D, (start + i + 1) * D));

  const probabilities = new Float64Array(n * K).fill(Number.NaN);
  const folds: WalkForwardRegimeFold[] = [];
  let last = template;
  for (let e = first + o.trainWindow; e < n; ) {
    const start = o.window === 'rolling' ? e - o.trainWindow : first;
    const end = Math.min(e + o.refitEvery, n);
    const hmm = new GaussianHMM(modelOptions);
    let report;
    try {
      report = hmm.fit(rowsOf(start, e));
    } catch (error) {
      if (!isAlgoTradingError(error)) throw error;
      throw new AlgoTradingError(error.code, `walkForwardRegimes fold ${folds.length} (training rows ${start}..${e - 1}): ${error.message}`, {
        cause: error,
        details: { ...error.details, fold: folds.length, trainStart: start, trainEnd: e },
      });
    }
    const filtered = hmm.filter(rowsOf(start, end));
    probabilities.set(filtered.subarray((e - start) * K), e * K);
    folds.push(
      Object.freeze({
        trainStart: start,
        trainEnd: e,
        testStart: e,
        testEnd: end,
        logLikelihood: report.logLikelihood,
        converged: report.converged,
        iterations: report.iterations,
        flooredStates: report.flooredStates,
        params: hmm.params,
      }),
    );
    o.logger.debug({ fold: folds.length - 1, trainStart: start, trainEnd: e, testEnd: end, converged: report.converged }, 'regime fold');
    last = hmm;
    e = end;
  }
  const warmup = first + o.trainWindow;
  return {
    probabilities,
    labels: labelsFromProbabilities(probabilities, K),
    warmup,
    names: Object.freeze(Array.from({ length: K }, (_, k) => `state${k}`)),
    states: K,
    features: Object.freeze(names),
    firstUsableRow: first,
    folds: Object.freeze(folds),
    model: last,
  };
}

function rowFinite(data: Float64Array, t: number, D: number): boolean {
  for (let j = 0; j < D; j++) if (!Number.isFinite(data[t * D + j]!)) return false;
  return true;
}
