/**
 * `@algo-trading/cli`: the `algo-trading` command line, and the run functions behind it for
 * programs (the examples use these, so the demo has one implementation).
 * @packageDocumentation
 */
export { runCli, buildProgram, cliVersion } from './program';
export { EXIT_CODES, UsageError, isUsageError, type ExitCode } from './exit-codes';
export { describeFailure, errorCodeFor, exitCodeFor, type FailureReport } from './failure';
export { processIo, type CliIo } from './io';
export { DEFAULT_CONFIG_FILE, createContext, type CommandContext, type CreateContextOptions, type GlobalOptions } from './context';

// Configuration (config.yaml)
export {
  appConfigSchema,
  defaultConfig,
  LOG_LEVELS,
  STRATEGY_TYPES,
  type AppConfig,
  type AppConfigInput,
  type StrategyType,
} from './config/schema';
export { loadConfig, parseConfigText, validateConfig } from './config/load';
export { CONFIG_TEMPLATE } from './config/template';
export {
  checkConfigWithLibraries,
  engineCostsFromConfig,
  positionSizerFromConfig,
  riskManagerOptionsFromConfig,
  type SizerChoice,
} from './config/mapping';

// Runs
export { DEMO_DEFAULTS, demoConfig, demoFolderName, runDemo, type DemoOptions, type DemoOutcome } from './demo';
export {
  runConfiguredBacktest,
  runConfiguredUniverseBacktest,
  type ConfiguredBacktest,
  type ConfiguredBacktestInput,
  type ConfiguredUniverseInput,
} from './pipeline/engine-run';
export {
  runMlBacktest,
  runMlOutOfSample,
  signalOnlyOverall,
  type MlBacktestOptions,
  type MlBacktestOutcome,
  type MlOutOfSample,
  type MlOutOfSampleOptions,
} from './pipeline/ml-backtest';
export { foldRows, type FoldRow, type FoldRowsInput } from './pipeline/fold-report';
export {
  ALIGNMENT_NOTES,
  alignAsOf,
  benchmarkSeries,
  buyAndHold,
  compareWithBenchmark,
  EQUAL_WEIGHT_RULE,
  equalWeightBenchmark,
  runBenchmark,
  runUniverseBenchmark,
  type BenchmarkAlignment,
  type BenchmarkKind,
  type BenchmarkMetrics,
  type BenchmarkResults,
  type BenchmarkSeries,
  type BenchmarkSeriesInput,
  type CompareWithBenchmarkInput,
  type RelativeMetrics,
  type RunBenchmarkInput,
  type RunUniverseBenchmarkInput,
} from './pipeline/benchmark';
export { comparisonRows, relativeLine, renderComparisonTable } from './output/benchmark-table';
export { countInMarket, inMarketMask, type HoldingSpan } from './pipeline/market-time';
export {
  LABEL_HORIZON,
  buildMlDataset,
  cliClassifierOptions,
  perSideCost,
  planFolds,
  runMlWalkForward,
  type MlDataset,
  type MlWalkForwardOptions,
  type MlWalkForwardRun,
} from './pipeline/ml-walk-forward';
export {
  SAMPLE_LOT_SIZES,
  SAMPLE_PREFIX,
  SP500_SAMPLE,
  configForData,
  loadBars,
  resolveDataSpec,
  sampleNameOf,
  type DataSpec,
  type LoadedBars,
} from './pipeline/load-data';
export { loadUniverse, type LoadedUniverse } from './pipeline/load-universe';
export {
  parseSignalsCsv,
  parseUniverseSignalsCsv,
  readSignalsCsv,
  readUniverseSignalsCsv,
  type AlignedSignals,
  type UniverseSignals,
} from './pipeline/signals-file';
export {
  buildRunResults,
  buildUniverseRunResults,
  headlineFromResults,
  summarizeUniverse,
  type BuildRunResultsOptions,
  type BuildUniverseRunResultsOptions,
} from './pipeline/run-results';
export { ALL_RUN_OUTPUT_FILES, RUN_OUTPUT_FILES, UNIVERSE_OUTPUT_FILES, writeRunOutputs, type WriteRunOutputsOptions } from './pipeline/write-run';
export { UNIVERSE_INVESTED_SHARE, loadRunData, universeConfig, type LoadedRunData } from './pipeline/universe-run';
export { SYMBOL_TABLE_COLUMNS, renderSymbolTable, symbolTableRows } from './output/symbol-table';

// Output
export {
  KNOWN_OUTPUT_FILES,
  OutputSet,
  checkOutputFolder,
  writeFileAtomic,
  writeOutputFolder,
  type OutputWriter,
} from './output/atomic-write';
export { cleanupTempPaths } from './output/temp-files';
export {
  csvNumber,
  equityCsv,
  equityCsvChunks,
  fillsCsv,
  fillsCsvChunks,
  tradesCsv,
  symbolColumnsCsvChunks,
  tradesCsvChunks,
  type EquityCurveData,
  type SymbolColumns,
} from './output/csv';
export { renderSummaryTable, type HeadlineMetrics } from './output/summary-table';
export {
  RESULTS_SCHEMA_VERSION,
  parseResults,
  readEquityCsv,
  readResultsDir,
  readSymbolColumnsCsv,
  rejectedOrders,
  resultsJsonChunks,
  serializeResults,
  type DataRange,
  type HoldingsData,
  type RejectionRecord,
  type RunResults,
  type SymbolSummary,
  type UniverseSummary,
} from './output/results-file';
export { createProgressReporter, silentProgress, type ProgressMode, type ProgressReporter, type ProgressTask } from './progress';

// Report
export {
  REPORT_CHARTS,
  REPORT_CSP,
  escapeHtml,
  formatReportNumber,
  htmlTable,
  renderReportHtml,
  renderReportPage,
  type ReportPage,
} from './report/html';
export { COLORS, SERIES_PALETTE, equityOverlayChart, renderChartSvg, type OverlayCurve } from './report/charts';
export { CHART_POINTS, downsampleIndices, downsamplePairs, type DownsampleOptions } from './report/downsample';
export { monthlyReturns, yearlyReturns, type MonthlyReturn, type YearlyReturn } from './report/monthly-returns';
export { rollingSharpe, rollingWindow } from './report/rolling';
export { timeInMarket, type TimeInMarket } from './report/time-in-market';
export { runWarnings, suggestedLotSize, type RunWarningsInput } from './pipeline/run-warnings';
export { buildManifest, hashBars, hashConfig, type RunManifest } from './report/manifest';
