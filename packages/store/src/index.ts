export { Store, openStore } from './store';
export {
  CONFLICT_POLICIES,
  DEFAULT_STORE_PATH,
  type ConflictPolicy,
  type ImportBarsOptions,
  type LoadBarsOptions,
  type OpenStoreOptions,
  type TimeInput,
  type WriteBarsOptions,
} from './options';
export type { BarConflict, BarValues, ImportBarsResult, ImportedFile, ImportedSeries } from './bars-import';
export type { DeleteBarsOptions, ListSymbolsOptions, PeekBarsOptions, PeekedBars, SymbolSummary } from './bars-read';
export {
  DEFAULT_LIST_METRICS,
  RUN_STATUSES,
  newRunId,
  type CompareRunsOptions,
  type ComparisonRow,
  type EquityCurve,
  type EquityCurveInput,
  type ListRunsOptions,
  type RecordRunInput,
  type RecordRunOptions,
  type RunComparison,
  type RunDetail,
  type RunStatus,
  type RunSummary,
} from './runs';
export type { ExportParquetOptions, ExportParquetResult } from './export';
export { STORE_SCHEMA_VERSION, STORE_TABLES, type StoreTable } from './schema';
export {
  STORE_REFERENCE_PREFIX,
  TIMEFRAME_PATTERN,
  formatStoreReference,
  isStoreReference,
  isTimeframe,
  isValidSymbol,
  parseStoreReference,
  timeframeFromSpacing,
  type StoreReference,
} from './timeframe';
export { detectGitCommit } from './code-version';
