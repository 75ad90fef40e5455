import { createRequire } from 'node:module';
import {
  AlgoTradingError,
  canonicalJson,
  describeValue,
  isAlgoTradingError,
  parseOptions,
  sha256Hex,
  silentLogger,
  type Logger,
} from '@algo-trading/core';
import { inferPeriodsPerYear } from '@algo-trading/metrics';
import { walkForwardSplits, type ParameterizedStrategy, type WalkForwardSplit } from '@algo-trading/strategies';
import { loadData, type DataResolvers, type LoadedData } from './data/data-source';
import type { SweepRow, WorkUnit } from './results/row';
import { validateRunOptions, type RunOptions } from './run/run-options';
import type { ParamValue } from './spec/constraint';
import { expandParameterSpace, parseConstraints, resolveParameters, type Combination, type ResolvedParameter } from './spec/parameter-space';
import { objectiveOf, sweepSpecSchema, type SweepObjective, type SweepSpec } from './spec/schema';
import { importStrategy, resolveStrategyRef, type StrategyRef } from './strategy/load-strategy';

/** Packages whose versions pin a sweep's results (and are checked on every worker). */
export const PINNED_PACKAGES = [
  '@algo-trading/sweep',
  '@algo-trading/core',
  '@algo-trading/data',
  '@algo-trading/metrics',
  '@algo-trading/risk',
  '@algo-trading/sizing',
  '@algo-trading/backtesting',
  '@algo-trading/strategies',
] as const;

/** Version of the results layout; part of every spec hash. */
export const SWEEP_FORMAT_VERSION = 1;

const requireHere = createRequire(import.meta.url);

/** The versions of {@link PINNED_PACKAGES} installed here. */
export function pinnedVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PINNED_PACKAGES) {
    try {
      out[name] = (requireHere(`${name}/package.json`) as { version: string }).version;
    } catch {
      // The sweep package itself, resolved from its own folder.
      out[name] = name === '@algo-trading/sweep' ? ((requireHere('../package.json') as { version: string }).version ?? 'unknown') : 'unknown';
    }
  }
  return out;
}

/** Options of {@link prepareSweep}. */
export interface PrepareSweepOptions {
  /** The sweep spec (parsed YAML or JSON); see `sweepSpecSchema`. */
  readonly spec: unknown;
  /** Folder that relative paths of the spec are resolved from (the spec file's folder). Default: the working folder. */
  readonly baseDir?: string | undefined;
  /** Name of the spec in messages (its file path). Default `sweep spec`. */
  readonly source?: string | undefined;
  /** Loaders of `<scheme>:` data references, e.g. `{ store: ... }` from the store package. */
  readonly dataResolvers?: DataResolvers | undefined;
  /** Called after the spec is validated and before the data is loaded (the Redis check of distributed runs). */
  readonly beforeLoad?: (() => Promise<void>) | undefined;
  readonly logger?: Logger | undefined;
}

/** A validated sweep, ready to run: data loaded, strategy imported, combinations expanded. */
export interface PreparedSweep {
  readonly spec: SweepSpec;
  /** sha256 of what determines the rows: strategy (file hash or package version), data hash, run options, package versions. */
  readonly specHash: string;
  readonly objective: SweepObjective;
  readonly strategy: ParameterizedStrategy;
  readonly strategyRef: StrategyRef;
  readonly parameters: readonly ResolvedParameter[];
  readonly data: LoadedData;
  readonly runOptions: RunOptions;
  /** Numeric results every row records (the metrics a sweep may rank by). */
  readonly metricNames: readonly string[];
  readonly combinations: readonly Combination[];
  /** Walk-forward folds (bar ranges), or null. */
  readonly folds: readonly WalkForwardSplit[] | null;
  /** The units to run: one per combination, or per fold and combination on the train windows. */
  readonly units: readonly WorkUnit[];
  readonly versions: Readonly<Record<string, string>>;
  /** Byte budget of each worker's indicator cache. */
  readonly cacheBytes: number;
}

/** The key of a unit: sha256 of the spec hash, the parameters and the bar range (32 hex digits). */
export function unitKey(specHash: string, params: Readonly<Record<string, ParamValue>>, start: number, end: number): string {
  return sha256Hex(canonicalJson({ spec: specHash, params, start, end })).slice(0, 32);
}

/** The test unit of a fold for its chosen row (the combination picked on the train window). */
export function testUnitOf(specHash: string, fold: WalkForwardSplit, chosen: Pick<SweepRow, 'combination' | 'params'>): WorkUnit {
  return {
    index: fold.fold,
    combination: chosen.combination,
    key: unitKey(specHash, chosen.params, fold.testStart, fold.testEnd),
    params: chosen.params,
    fold: fold.fold,
    segment: 'test',
    start: fold.testStart,
    end: fold.testEnd,
  };
}

function configError(field: string, message: string, value?: unknown): AlgoTradingError {
  return new AlgoTradingError('INVALID_CONFIG', `${field}: ${message}`, { details: { field, value } });
}

/** Accepts undefined: the parameter is optional for the strategy. */
function isOptional(schema: unknown): boolean {
  const s = schema as { safeParse?: (v: unknown) => { success: boolean } };
  return typeof s?.safeParse === 'function' && s.safeParse(undefined).success;
}

function checkParameters(strategy: ParameterizedStrategy, specifier: string, parameters: readonly ResolvedParameter[]): void {
  const shape = strategy.parameters.shape;
  const known = Object.keys(shape);
  for (const p of parameters) {
    if (!Object.hasOwn(shape, p.name)) {
      throw configError(`parameters.${p.name}`, `unknown parameter of ${specifier} (its parameters: ${known.join(', ') || 'none'})`, p.name);
    }
    const schema = shape[p.name] as { safeParse?: (v: unknown) => { success: boolean; error?: { issues: { message: string }[] } } };
    if (typeof schema?.safeParse !== 'function') continue;
    const samples: ParamValue[] = p.kind === 'values' ? [...p.values] : p.integer ? [Math.ceil(p.min), Math.floor(p.max)] : [p.min, p.max];
    for (const value of samples) {
      const result = schema.safeParse(value);
      if (!result.success) {
        throw configError(
          `parameters.${p.name}`,
          `${specifier} rejects the value ${describeValue(value)}: ${result.error?.issues[0]?.message ?? 'invalid'}`,
          value,
        );
      }
    }
  }
  const given = new Set(parameters.map((p) => p.name));
  const missing = known.filter((name) => !given.has(name) && !isOptional(shape[name]));
  if (missing.length > 0) {
    throw configError('parameters', `${specifier} needs ${missing.length === 1 ? 'the parameter' : 'the parameters'} ${missing.join(', ')} (give a value or a grid)`, missing);
  }
}

function withField(error: unknown, field: string): unknown {
  if (!isAlgoTradingError(error) || error.message.startsWith(`${field}`)) return error;
  return new AlgoTradingError(error.code, `${field}: ${error.message}`, { cause: error, details: { ...error.details, field } });
}

/**
 * Validates a sweep and gets it ready to run, before any work starts: the spec's shape, the
 * strategy module (imported here once, so an unimportable module fails now), its parameters
 * (unknown names, missing ones, values it rejects), the engine, risk and sizing options (by
 * their libraries), the objective metric, the data (loaded and hashed) and the walk-forward folds.
 *
 * @throws AlgoTradingError `INVALID_CONFIG` naming the spec field (`parameters.fast`,
 *   `constraints[0]`, `strategy`, `engine.commissionPct`, `objective.metric`, `walkForward`,
 *   `data`), or the data errors of `@algo-trading/data`.
 */
export async function prepareSweep(options: PrepareSweepOptions): Promise<PreparedSweep> {
  const logger = options.logger ?? silentLogger;
  const baseDir = options.baseDir ?? process.cwd();
  const spec = parseOptions(sweepSpecSchema, options.spec, { what: options.source === undefined ? 'sweep spec' : `sweep spec ${options.source}` });
  const parameters = resolveParameters(spec.parameters);
  const names = parameters.map((p) => p.name);
  const constraints = parseConstraints(spec.constraints, names);
  const { combinations } = expandParameterSpace({ parameters, constraints, search: spec.search });

  const strategyRef = resolveStrategyRef(spec.strategy, baseDir);
  const strategy = await importStrategy(strategyRef);
  checkParameters(strategy, strategyRef.specifier, parameters);

  const specRunOptions: RunOptions = { engine: spec.engine, risk: spec.risk, sizing: spec.sizing };
  const metricNames = await validateRunOptions(specRunOptions);
  const objective = objectiveOf(spec);
  if (!metricNames.includes(objective.metric)) {
    throw configError(
      typeof spec.objective === 'string' ? 'objective' : 'objective.metric',
      `unknown metric ${JSON.stringify(objective.metric)} (metrics: ${metricNames.join(', ')})`,
      objective.metric,
    );
  }
  await options.beforeLoad?.();

  const data = await loadData(spec.data, { baseDir, resolvers: options.dataResolvers, logger });
  // The annualization of the metrics is inferred once, from the whole data set, instead of in every
  // run from its own bars (a tenth of a 100,000-bar run); every window of a walk-forward then uses
  // the same factor. An explicit engine.periodsPerYear is kept.
  const runOptions: RunOptions =
    specRunOptions.engine['periodsPerYear'] === undefined && data.bars.length >= 2
      ? { ...specRunOptions, engine: { ...specRunOptions.engine, periodsPerYear: inferPeriodsPerYear(data.bars.time) } }
      : specRunOptions;
  let folds: WalkForwardSplit[] | null = null;
  if (spec.walkForward !== undefined) {
    try {
      folds = walkForwardSplits({ n: data.bars.length, ...spec.walkForward });
    } catch (error) {
      throw withField(error, 'walkForward');
    }
  }
  const versions = pinnedVersions();
  const specHash = sha256Hex(
    canonicalJson({
      format: SWEEP_FORMAT_VERSION,
      strategy: {
        module: strategyRef.fileHash === null ? strategyRef.specifier.split('#')[0] : null,
        export: strategyRef.exportName,
        fileHash: strategyRef.fileHash,
        packageVersion: strategyRef.packageVersion,
      },
      data: data.ref.hash,
      runOptions,
      versions,
    }),
  );
  const units: WorkUnit[] = [];
  const n = data.bars.length;
  if (folds === null) {
    for (const c of combinations) {
      units.push({ index: c.index, combination: c.index, key: unitKey(specHash, c.params, 0, n), params: c.params, fold: null, segment: 'full', start: 0, end: n });
    }
  } else {
    for (const fold of folds) {
      for (const c of combinations) {
        units.push({
          index: units.length,
          combination: c.index,
          key: unitKey(specHash, c.params, fold.trainStart, fold.trainEnd),
          params: c.params,
          fold: fold.fold,
          segment: 'train',
          start: fold.trainStart,
          end: fold.trainEnd,
        });
      }
    }
  }
  logger.debug(
    { specHash, combinations: combinations.length, units: units.length, folds: folds?.length ?? 0, data: data.ref.source, bars: n },
    'sweep prepared',
  );
  return {
    spec,
    specHash,
    objective,
    strategy,
    strategyRef,
    parameters,
    data,
    runOptions,
    metricNames,
    combinations,
    folds,
    units,
    versions,
    cacheBytes: 256 * 1024 * 1024,
  };
}
