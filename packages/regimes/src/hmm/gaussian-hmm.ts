import {
  AlgoTradingError,
  createSeededRandom,
  describeValue,
  parseOptions,
  requireInteger,
  zIntegerAtLeast,
  zLogger,
  zNonNegative,
  zPositive,
  type Logger,
} from '@algo-trading/core';
import { z } from 'zod';
import { featureMoments, readObservations, requireObservation, requireVaryingFeatures, type ObservationInput } from '../observations';
import { emWorkspace, initialise, runEm, type InitMethod } from './em';
import { backwardPass, backwardScratch, emissionLogDensities, forwardPass, forwardStep, predictInto, viterbiPath } from './inference';
import { cholesky } from './linalg';
import { ModelArrays, type CovarianceType } from './model-arrays';
import { modelFromParams, paramsOf, stateOrder, type GaussianHmmParams, type StateOrder } from './params';
import {
  SAVED_HMM_FORMAT,
  SAVED_HMM_FORMAT_VERSION,
  checksumOf,
  readSavedModel,
  type HmmFitSummary,
  type SavedGaussianHmm,
  type SavedHmmModel,
} from './persistence';

/** zod schema of {@link GaussianHmmOptions}; defaults live here. */
export const gaussianHmmSchema = z.strictObject({
  states: zIntegerAtLeast(2),
  covariance: z.enum(['diag', 'full']).default('diag'),
  seed: zIntegerAtLeast(0).default(0),
  restarts: zIntegerAtLeast(1).default(4),
  maxIterations: zIntegerAtLeast(1).default(500),
  tolerance: zNonNegative().default(1e-4),
  minCovar: zPositive().optional(),
  minCovarRatio: zPositive().default(1e-3),
  stateOrder: z.enum(['variance', 'mean']).default('variance'),
  orderFeature: zIntegerAtLeast(0).default(0),
  logger: zLogger(),
});

/**
 * Options of {@link GaussianHMM}.
 *
 * - `states` (K >= 2, required): number of hidden states.
 * - `covariance`: `'diag'` (default; one variance per state and feature) or `'full'` (a D x D
 *   covariance matrix per state).
 * - `seed` (default 0): seeds the random restarts; the same seed and data give the same fit.
 * - `restarts` (default 4): EM runs from different starting points; the one with the highest
 *   log-likelihood is kept. Even-numbered restarts start from k-means (as hmmlearn), odd ones
 *   from dispersion quantiles (states apart in volatility).
 * - `maxIterations` (default 500) and `tolerance` (default 1e-4): EM stops when an update gains
 *   less than `tolerance` in total log-likelihood (hmmlearn's `tol`), or after `maxIterations`.
 * - `minCovar` / `minCovarRatio` (default 1e-3): the variance floor (hmmlearn's `min_covar`
 *   idea). `minCovar` is an absolute floor for every feature; without it the floor of feature j
 *   is `minCovarRatio x` its variance over the training data, so the default suits daily returns
 *   (variance ~1e-4) and prices alike. A state whose variance would fall below the floor (a
 *   degenerate state, e.g. repeated identical values) is held at it, and the fit report says so.
 * - `stateOrder` (default `'variance'`) and `orderFeature` (default 0): how states are numbered
 *   after a fit: by ascending variance of that feature (state 0 the calmest), ties by ascending
 *   mean; or `'mean'`: by ascending mean, ties by variance. Labels thus mean the same from one
 *   fit to the next.
 * - `logger`: receives a warning when a fit did not converge or hit the floor. Default silent.
 */
export type GaussianHmmOptions = z.input<typeof gaussianHmmSchema>;
/** {@link GaussianHmmOptions} with defaults applied. */
export type ResolvedGaussianHmmOptions = Readonly<z.output<typeof gaussianHmmSchema>>;

/** The EM run of one restart. */
export interface HmmRestartReport {
  /** Restart number, from 0. */
  readonly restart: number;
  /** Starting point: `kmeans` (even restarts) or `dispersion` (odd restarts). */
  readonly init: InitMethod;
  /** EM updates made. */
  readonly iterations: number;
  /** True when the last update gained less than `tolerance` (false: stopped at `maxIterations`). */
  readonly converged: boolean;
  /** Final total log-likelihood. */
  readonly logLikelihood: number;
  /** Log-likelihood of the starting point and after every update (`iterations + 1` values). */
  readonly logLikelihoodTrace: Float64Array;
  /** Variances (state x feature, or diagonal corrections for full covariances) raised to the floor, summed over updates. */
  readonly varianceFloorHits: number;
  /** Updates x states in which a state had no posterior weight (its parameters were kept). */
  readonly emptyStateUpdates: number;
  /** False when an update lowered the log-likelihood beyond rounding (EM should never). */
  readonly monotonic: boolean;
}

/** What {@link GaussianHMM.fit} did; the kept model is restart `bestRestart`. */
export interface HmmFitReport extends HmmFitSummary {
  readonly bestRestart: number;
  /** Features per row. */
  readonly features: number;
  /** Human-readable problems (not converged, floor hit, empty state, log-likelihood decrease); empty when none. */
  readonly warnings: readonly string[];
  /** One entry per restart, in order. */
  readonly restarts: readonly HmmRestartReport[];
}

/** Options of {@link GaussianHMM.sample}. */
export interface HmmSampleOptions {
  /** Rows to draw, >= 1. */
  readonly length: number;
  /** Seed of the draw (default 0). */
  readonly seed?: number;
}

/** Draws of {@link GaussianHMM.sample}. */
export interface HmmSample {
  /** One row per step (views into one buffer): a valid {@link ObservationInput}. */
  readonly observations: Float64Array[];
  /** The hidden state of each step. */
  readonly states: Int32Array;
}

const HMM_MARKER = Symbol.for('@algo-trading/regimes:GaussianHMM');

/** True when `value` is a {@link GaussianHMM} from any copy of this package. */
export function isGaussianHMM(value: unknown): value is GaussianHMM {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[HMM_MARKER] === true;
}

function notFitted(what: string): never {
  throw new AlgoTradingError('INVALID_STATE', `${what}: the model has no parameters yet; call fit(X) or setParams(params) first`);
}

/**
 * A hidden Markov model with Gaussian emissions over one or several features.
 *
 * Fitting is Baum-Welch (EM) with scaled forward-backward passes, so series of any length are
 * safe from underflow, from seeded random restarts. Inference:
 *
 * - {@link filter}: P(state_t | x_1..x_t), the causal (forward) probabilities: what a trader
 *   could have known at t. Use these for trading and backtests.
 * - {@link smooth}: P(state_t | x_1..x_T) from the whole series (forward-backward). It looks
 *   ahead: for analysis of the past only, never as a signal.
 * - {@link viterbi}: the single most likely state path (also looks ahead).
 * - {@link update}: the filtered probabilities one bar at a time, O(K^2), no allocation.
 *
 * Parameters follow hmmlearn's conventions ({@link GaussianHmmParams}).
 *
 * @example
 * const hmm = new GaussianHMM({ states: 2, seed: 7 });
 * const report = hmm.fit(returns);          // number[] | Float64Array | rows of features
 * report.converged;                         // true
 * const p = hmm.filter(returns);            // Float64Array T x K, row-major, causal
 * p[t * 2 + 1];                             // P(high-volatility state at t | data up to t)
 * hmm.params.transition;                    // [[0.98, 0.02], [0.05, 0.95]] (for example)
 * const live = hmm.update(todayReturn);     // streaming: Float64Array of K, reused
 */
export class GaussianHMM {
  /** Resolved options. */
  readonly options: ResolvedGaussianHmmOptions;
  #model: ModelArrays | null = null;
  #report: HmmFitReport | null = null;
  #summary: HmmFitSummary | null = null;
  // Streaming filter state, allocated with the parameters.
  #probabilities = new Float64Array(0);
  #prior = new Float64Array(0);
  #logB = new Float64Array(0);
  #observation = new Float64Array(0);
  #steps = 0;

  constructor(options: GaussianHmmOptions) {
    this.options = Object.freeze(parseOptions(gaussianHmmSchema, options, { what: 'GaussianHMM options' }));
    Object.defineProperty(this, HMM_MARKER, { value: true, enumerable: false });
  }

  /** Number of hidden states K. */
  get states(): number {
    return this.options.states;
  }

  /** Covariance structure. */
  get covariance(): CovarianceType {
    return this.options.covariance;
  }

  /** Features per observation, once the model has parameters. */
  get features(): number | undefined {
    return this.#model?.dims;
  }

  /** Whether the model has parameters (fitted, set or loaded). */
  get isFitted(): boolean {
    return this.#model !== null;
  }

  /** The report of the last {@link fit}; undefined before any fit or for set/loaded parameters. */
  get report(): HmmFitReport | undefined {
    return this.#report ?? undefined;
  }

  /**
   * Summary of the fit the parameters come from (log-likelihood, iterations, floor), kept
   * through save and load; undefined for parameters given with `setParams`.
   */
  get fitSummary(): HmmFitSummary | undefined {
    return this.#summary ?? undefined;
  }

  /** The parameters as fresh plain arrays (hmmlearn conventions). Throws `INVALID_STATE` before fit/setParams. */
  get params(): GaussianHmmParams {
    return paramsOf(this.#require('params'));
  }

  /**
   * Uses known parameters (also what loading does). The states keep the given order. The
   * streaming filter restarts.
   *
   * @throws AlgoTradingError `INVALID_ARGUMENT` for a wrong shape, probabilities that do not sum
   * to 1, a variance <= 0 or a covariance that is not symmetric positive definite.
   */
  setParams(params: GaussianHmmParams): this {
    this.#install(modelFromParams(params, this.states, this.covariance));
    this.#report = null;
    this.#summary = null;
    return this;
  }

  /**
   * Fits the model to `X` (rows = time) by Baum-Welch from `restarts` seeded starting points and
   * keeps the best. States are then numbered by the `stateOrder` rule. Resets the streaming filter.
   *
   * @throws AlgoTradingError `INVALID_DATA` for a non-finite value, a constant feature, or fewer
   * rows than states; `INVALID_CONFIG` when `orderFeature` is not a feature index.
   */
  fit(X: ObservationInput): HmmFitReport {
    const o = this.options;
    const obs = readObservations(X, 'X');
    const K = o.states;
    if (obs.rows < K) {
      throw new AlgoTradingError(
        'INVALID_DATA',
        `X has ${obs.rows} observation(s) but the model has ${K} states: need at least one observation per state`,
        { details: { field: 'X', value: obs.rows, states: K } },
      );
    }
    if (o.orderFeature >= obs.dims) {
      throw new AlgoTradingError('INVALID_CONFIG', `orderFeature must be a feature index below ${obs.dims}, got ${o.orderFeature}`, {
        details: { field: 'orderFeature', value: o.orderFeature },
      });
    }
    requireVaryingFeatures(obs);
    const { variance } = featureMoments(obs);
    const floor = new Float64Array(obs.dims);
    for (let j = 0; j < obs.dims; j++) floor[j] = o.minCovar ?? o.minCovarRatio * variance[j]!;

    const rng = createSeededRandom(o.seed);
    const work = emWorkspace(obs.rows, K, obs.dims);
    const restarts: HmmRestartReport[] = [];
    let best: ModelArrays | null = null;
    let bestIndex = 0;
    for (let r = 0; r < o.restarts; r++) {
      const model = new ModelArrays(K, obs.dims, o.covariance);
      const init = initialise(model, obs, r, floor, rng, work);
      const run = runEm(model, obs, work, floor, o.maxIterations, o.tolerance);
      const logLikelihood = run.logLikelihoodTrace[run.logLikelihoodTrace.length - 1]!;
      restarts.push({
        restart: r,
        init,
        iterations: run.logLikelihoodTrace.length - 1,
        converged: run.converged,
        logLikelihood,
        logLikelihoodTrace: run.logLikelihoodTrace,
        varianceFloorHits: run.floorHits,
        emptyStateUpdates: run.emptyStates,
        monotonic: run.monotonic,
      });
      o.logger.debug({ restart: r, init, iterations: run.logLikelihoodTrace.length - 1, logLikelihood, converged: run.converged }, 'HMM restart');
      if (best === null || logLikelihood > restarts[bestIndex]!.logLikelihood) {
        best = model;
        bestIndex = r;
      }
    }
    const model = best!;
    model.permute(stateOrder(model, o.stateOrder, o.orderFeature));

    const flooredStates: number[] = [];
    for (let k = 0; k < K; k++) {
      let onFloor = false;
      for (let j = 0; j < obs.dims; j++) onFloor ||= model.variance(k, j) <= floor[j]! * (1 + 1e-9);
      if (onFloor) flooredStates.push(k);
    }
    const kept = restarts[bestIndex]!;
    const warnings: string[] = [];
    if (!kept.converged) {
      warnings.push(`EM did not converge in ${o.maxIterations} iterations (last gain above tolerance ${o.tolerance}); raise maxIterations`);
    }
    if (flooredStates.length > 0) {
      warnings.push(
        `state(s) ${flooredStates.join(', ')} have a variance on the floor (${Array.from(floor).join(', ')}): degenerate state(s), e.g. repeated identical values; consider fewer states`,
      );
    }
    if (kept.emptyStateUpdates > 0) {
      warnings.push(`a state had no posterior weight in ${kept.emptyStateUpdates} update(s) (its parameters were kept): the data may need fewer states`);
    }
    if (!kept.monotonic) warnings.push('the log-likelihood decreased during EM (numerical trouble; check the features for extreme values)');
    for (const message of warnings) o.logger.warn({ states: K, observations: obs.rows }, message);

    this.#install(model);
    this.#report = Object.freeze({
      bestRestart: bestIndex,
      converged: kept.converged,
      iterations: kept.iterations,
      logLikelihood: kept.logLikelihood,
      observations: obs.rows,
      features: obs.dims,
      varianceFloor: Object.freeze(Array.from(floor)),
      flooredStates: Object.freeze(flooredStates),
      warnings: Object.freeze(warnings),
      restarts: Object.freeze(restarts),
    });
    this.#summary = Object.freeze({
      logLikelihood: kept.logLikelihood,
      iterations: kept.iterations,
      converged: kept.converged,
      observations: obs.rows,
      varianceFloor: this.#report.varianceFloor,
      flooredStates: this.#report.flooredStates,
    });
    return this.#report;
  }

  /**
   * Filtered probabilities P(state_t | x_1..x_t) for every row of `X`, starting from
   * `startProb`: a `Float64Array` of T x K, row-major (row t at `[t * K, (t + 1) * K)`). Causal:
   * row t does not change when rows after t are removed or altered. Never NaN.
   */
  filter(X: ObservationInput): Float64Array {
    const model = this.#require('filter');
    const obs = readObservations(X, 'X', model.dims);
    const K = model.states;
    const b = new Float64Array(obs.rows * K);
    const alpha = new Float64Array(obs.rows * K);
    emissionLogDensities(model, obs, b);
    forwardPass(model, b, obs.rows, alpha, new Float64Array(K));
    return alpha;
  }

  /**
   * Smoothed probabilities P(state_t | x_1..x_T) (forward-backward), T x K row-major. Each row
   * uses the WHOLE series, later rows included: for analysis of the past only. Never use them as
   * a trading signal or a backtest input (use {@link filter} or {@link update}).
   */
  smooth(X: ObservationInput): Float64Array {
    const model = this.#require('smooth');
    const obs = readObservations(X, 'X', model.dims);
    const K = model.states;
    const b = new Float64Array(obs.rows * K);
    const gamma = new Float64Array(obs.rows * K);
    emissionLogDensities(model, obs, b);
    forwardPass(model, b, obs.rows, gamma, new Float64Array(K));
    backwardPass(model, b, obs.rows, gamma, backwardScratch(K), null);
    return gamma;
  }

  /** The most likely state sequence (Viterbi, log space), one state per row. Uses the whole series (looks ahead). */
  viterbi(X: ObservationInput): Int32Array {
    const model = this.#require('viterbi');
    const obs = readObservations(X, 'X', model.dims);
    const logB = new Float64Array(obs.rows * model.states);
    emissionLogDensities(model, obs, logB);
    return viterbiPath(model, logB, obs.rows).path;
  }

  /** Total log-likelihood log p(x_1..x_T) under the model. */
  logLikelihood(X: ObservationInput): number {
    const model = this.#require('logLikelihood');
    const obs = readObservations(X, 'X', model.dims);
    const K = model.states;
    const b = new Float64Array(obs.rows * K);
    emissionLogDensities(model, obs, b);
    return forwardPass(model, b, obs.rows, new Float64Array(obs.rows * K), new Float64Array(K));
  }

  /**
   * Streaming filter: feeds one observation (a number for a one-feature model, else one value
   * per feature) and returns P(state_t | every observation fed so far). The first observation
   * after a fit, `setParams` or {@link resetStream} uses `startProb` as its prior, so feeding a
   * series row by row gives exactly {@link filter}'s rows. O(K^2 + K D) (O(K D^2) for full
   * covariances) and no allocation per call.
   *
   * The returned `Float64Array` (length K) is reused: the next call overwrites it; copy it to keep it.
   *
   * @throws AlgoTradingError `INVALID_DATA` for a non-finite value (the filter is left unchanged).
   */
  update(observation: number | ArrayLike<number>): Float64Array {
    const model = this.#require('update');
    const D = model.dims;
    const x = this.#observation;
    if (typeof observation === 'number') {
      if (D !== 1) {
        throw new AlgoTradingError('INVALID_ARGUMENT', `observation must hold ${D} values (one per feature), got the number ${observation}`, {
          details: { field: 'observation', value: observation },
        });
      }
      x[0] = requireObservation('observation', this.#steps, 0, 1, observation);
    } else {
      if (typeof observation !== 'object' || observation === null || observation.length !== D) {
        throw new AlgoTradingError('INVALID_ARGUMENT', `observation must hold ${D} value(s) (one per feature), got ${describeValue(observation)}`, {
          details: { field: 'observation', value: observation },
        });
      }
      for (let j = 0; j < D; j++) requireObservation('observation', this.#steps, j, D, observation[j]);
      for (let j = 0; j < D; j++) x[j] = observation[j]!;
    }
    const K = model.states;
    if (this.#steps === 0) this.#prior.set(model.startProb);
    else predictInto(this.#probabilities, 0, model.transition, K, this.#prior);
    model.logDensities(x, 0, this.#logB, 0);
    forwardStep(this.#prior, this.#logB, 0, K, this.#probabilities, 0);
    this.#steps++;
    return this.#probabilities;
  }

  /** Observations fed to {@link update} since the last reset. */
  get streamSteps(): number {
    return this.#steps;
  }

  /**
   * Restarts the streaming filter (the next {@link update} uses `startProb` again). With
   * `history`, feeds it first, so that live updates continue from the end of a known series.
   */
  resetStream(history?: ObservationInput): void {
    this.#require('resetStream');
    this.#steps = 0;
    if (history === undefined) return;
    const model = this.#model!;
    const obs = readObservations(history, 'history', model.dims);
    for (let t = 0; t < obs.rows; t++) this.update(model.dims === 1 ? obs.data[t]! : obs.data.subarray(t * model.dims, (t + 1) * model.dims));
  }

  /**
   * Draws a series from the model (start state from `startProb`, then the transition matrix,
   * Gaussian emissions), seeded. For simulation studies and tests.
   */
  sample(options: HmmSampleOptions): HmmSample {
    const model = this.#require('sample');
    const length = requireInteger('length', options.length, 1);
    const rng = createSeededRandom(options.seed ?? 0);
    const { states: K, dims: D } = model;
    const draw = (p: Float64Array, offset: number): number => {
      let u = rng.next();
      for (let k = 0; k < K - 1; k++) {
        u -= p[offset + k]!;
        if (u < 0) return k;
      }
      return K - 1;
    };
    const buffer = new Float64Array(length * D);
    const observations: Float64Array[] = new Array(length);
    const states = new Int32Array(length);
    const z = new Float64Array(D);
    let factors: Float64Array | null = null;
    if (model.covariance === 'full') {
      factors = new Float64Array(K * D * D);
      for (let k = 0; k < K; k++) cholesky(model.covars, k * D * D, D, factors, k * D * D);
    }
    let state = draw(model.startProb, 0);
    for (let t = 0; t < length; t++) {
      if (t > 0) state = draw(model.transition, state * K);
      states[t] = state;
      for (let j = 0; j < D; j++) z[j] = rng.normal();
      for (let i = 0; i < D; i++) {
        let v = model.means[state * D + i]!;
        if (factors === null) v += Math.sqrt(model.variance(state, i)) * z[i]!;
        else for (let j = 0; j <= i; j++) v += factors[state * D * D + i * D + j]! * z[j]!;
        buffer[t * D + i] = v;
      }
      observations[t] = buffer.subarray(t * D, (t + 1) * D);
    }
    return { observations, states };
  }

  /**
   * The model as a versioned, checksummed JSON object ({@link SavedGaussianHmm}); also what
   * `JSON.stringify(hmm)` writes. Throws `INVALID_STATE` before fit/setParams.
   */
  toJSON(): SavedGaussianHmm {
    const model = this.#require('toJSON');
    const { logger: _logger, minCovar, ...rest } = this.options;
    const saved: SavedHmmModel = {
      options: minCovar === undefined ? rest : { ...rest, minCovar },
      features: model.dims,
      params: paramsOf(model),
      fit: this.#summary === null ? null : { ...this.#summary, varianceFloor: [...this.#summary.varianceFloor], flooredStates: [...this.#summary.flooredStates] },
    };
    return { format: SAVED_HMM_FORMAT, formatVersion: SAVED_HMM_FORMAT_VERSION, checksum: checksumOf(saved), model: saved };
  }

  /** {@link toJSON} as indented JSON text, for a file. */
  save(): string {
    return `${JSON.stringify(this.toJSON(), null, 2)}\n`;
  }

  /**
   * Rebuilds a model saved with {@link save} / {@link toJSON} (text or object), after checking its
   * format, version and checksum. `logger` is the new model's logger (loggers are not saved).
   *
   * @throws AlgoTradingError `PARSE_ERROR` (not JSON), `INVALID_DATA` (wrong format, checksum,
   * structure or values), `UNSUPPORTED` (written by a newer version).
   */
  static load(saved: string | SavedGaussianHmm, options: { readonly logger?: Logger } = {}): GaussianHMM {
    const { model, options: savedOptions } = readSavedModel(saved);
    let hmm: GaussianHMM;
    try {
      hmm = new GaussianHMM({ ...(savedOptions as GaussianHmmOptions), ...(options.logger === undefined ? {} : { logger: options.logger }) });
      if (model.params.means[0]?.length !== model.features) {
        throw new AlgoTradingError('INVALID_ARGUMENT', `params.means rows must hold ${model.features} value(s), the saved feature count`);
      }
      hmm.setParams(model.params);
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new AlgoTradingError('INVALID_DATA', `saved GaussianHMM: ${message}`, { cause, details: { field: 'model' } });
    }
    hmm.#summary = model.fit === null ? null : Object.freeze({ ...model.fit });
    return hmm;
  }

  #require(what: string): ModelArrays {
    return this.#model ?? notFitted(what);
  }

  #install(model: ModelArrays): void {
    this.#model = model;
    const K = model.states;
    this.#probabilities = new Float64Array(K);
    this.#prior = new Float64Array(K);
    this.#logB = new Float64Array(K);
    this.#observation = new Float64Array(model.dims);
    this.#steps = 0;
  }
}

export type { CovarianceType, GaussianHmmParams, HmmFitSummary, InitMethod, SavedGaussianHmm, SavedHmmModel, StateOrder };
