/**
 * `@algo-trading/sweep`: parameter sweeps and walk-forward optimization of a parameterized
 * strategy, on all cores (piscina worker threads) or across machines (BullMQ on Redis), with
 * content-addressed, resumable results.
 * @packageDocumentation
 */

// Running a sweep
export {
  buildSweepResult,
  executeSweep,
  runSweep,
  type FoldResult,
  type OutOfSampleSummary,
  type RunSweepOptions,
  type SweepResult,
  type SweepSummary,
} from './run-sweep';
export {
  PINNED_PACKAGES,
  SWEEP_FORMAT_VERSION,
  pinnedVersions,
  prepareSweep,
  testUnitOf,
  unitKey,
  type PrepareSweepOptions,
  type PreparedSweep,
} from './prepare';
export { chunkUnits, type ExecuteOptions, type ExecutionOutcome, type SweepProgress } from './execution';

// The spec
export { objectiveOf, sweepSpecSchema, type SweepObjective, type SweepSpec, type SweepSpecInput } from './spec/schema';
export {
  MAX_COMBINATIONS,
  expandParameterSpace,
  parameterDefinitionSchema,
  parseConstraints,
  resolveParameters,
  searchSchema,
  type Combination,
  type ExpandOptions,
  type ExpandedSpace,
  type ParameterDefinitionInput,
  type ResolvedParameter,
  type SearchInput,
} from './spec/parameter-space';
export { parseConstraint, type Constraint, type ParamValue } from './spec/constraint';

// Data and strategy references
export {
  loadData,
  loadDataRef,
  publishData,
  type DataRef,
  type DataResolver,
  type DataResolvers,
  type LoadDataOptions,
  type LoadDataRefOptions,
  type LoadedData,
  type ResolvedData,
} from './data/data-source';
export { barsFromShared, shareBars, type SharedBars } from './data/shared-bars';
export { importStrategy, resolveStrategyRef, splitStrategySpecifier, verifyStrategyRef, type StrategyRef } from './strategy/load-strategy';

// Running units
export { createEngine, validateRunOptions, type RunOptions } from './run/run-options';
export { Evaluator, type EvaluatedRun, type EvaluatorOptions } from './run/evaluator';
export { DEFAULT_INDICATOR_CACHE_BYTES, LruIndicatorCache, type IndicatorCacheStats } from './run/indicator-cache';
export { runChunk, workerId, type ChunkResult, type ChunkTask, type TaskContext } from './run/task';
export { SweepPool, resolveWorkerCount } from './local/pool';
export { defaultLocalChunkSize, runLocal, type LocalRunOptions } from './local/run-local';

// Queue
export { checkRedis, createRedis, redactRedisUrl, validateRedisUrl, type CreateRedisOptions, type QueueConnectionOptions } from './queue/connection';
export { DEFAULT_QUEUE_CHUNK, runQueued, type QueueRunOptions } from './queue/producer';
export { startSweepWorker, type SweepWorker, type SweepWorkerOptions } from './queue/worker';
export {
  DEFAULT_QUEUE_NAME,
  chunkJobId,
  foldJobId,
  type ChunkJobData,
  type ChunkJobResult,
  type FoldJobData,
  type FoldJobResult,
} from './queue/jobs';

// Results
export { decodeRow, encodeNonFinite, type RowError, type SegmentKind, type SweepRow, type WorkUnit } from './results/row';
export {
  heatmap,
  isEligible,
  neighbourhoodStability,
  objectiveValue,
  parameterAxes,
  rankRows,
  selectBest,
  type Heatmap,
  type NeighbourhoodStability,
} from './results/summary';
export {
  SWEEP_RESULTS_FORMAT,
  SWEEP_RESULTS_VERSION,
  parseSweepResults,
  serializeSweepCheckpoint,
  serializeSweepResults,
  sweepTable,
  type SweepResultsFile,
  type SweepTable,
} from './results/results-file';

// The strategy contract, re-exported for strategy authors.
export type {
  IndicatorCache,
  ParameterSchema,
  ParameterizedStrategy,
  ParameterizedStrategyInput,
  StrategyDecisions,
} from '@algo-trading/strategies';
