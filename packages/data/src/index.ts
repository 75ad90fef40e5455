export { parseBarsCsv, parseBarsCsvBySymbol, readBarsCsv, readBarsCsvBySymbol } from './csv';
export {
  toBarSeries,
  toBarUniverse,
  toBarsOrUniverse,
  type BarRows,
  type BarSeriesSource,
  type NamedColumns,
  type OhlcColumns,
  type PriceColumns,
  type TimeValue,
} from './to-bar-series';
export {
  fromDataFrame,
  isDataFrameLike,
  toDataFrame,
  type DataFrameLike,
  type DataFrameTimeFormat,
  type ToDataFrameOptions,
} from './dataframe';
export { SAMPLE_NAMES, loadSampleBars, parseSampleSpec, samplePath, type LoadSampleOptions, type SampleData, type SampleName } from './samples';
export { readBarsFolder, symbolFromFileName, type ReadBarsFolderOptions } from './folder';
export { describeNonCsv } from './sniff';
export type { Universe, UniverseInput } from '@algo-trading/core';
export {
  BAR_FIELDS,
  HEADER_ALIASES,
  normalizeHeader,
  resolveColumns,
  type BarField,
  type ColumnMapping,
  type ColumnRef,
  type ColumnRoles,
  type PriceLayout,
  type ResolveColumnsInput,
  type ResolvedColumns,
} from './column-roles';
export {
  TIME_UNITS,
  detectEpochUnit,
  epochToMs,
  parseIsoTime,
  toEpochMs,
  type TimeUnit,
} from '@algo-trading/core';
export type { TimeParser } from './parse-time';
export type { LoadOptions, ParseBarsCsvOptions, ToBarSeriesOptions } from './options';
export {
  RESAMPLE_UNITS,
  parseResampleInterval,
  resampleBars,
  resampleUniverse,
  type ResampleInterval,
  type ResampleOptions,
  type ResampleUnit,
} from './resample';
export { generateUniverse, type GenerateUniverseOptions, type SyntheticCalendar } from './synthetic';
