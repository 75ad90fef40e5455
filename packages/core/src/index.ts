export {
  AlgoTradingError,
  ERROR_CODES,
  describeValue,
  isAlgoTradingError,
  type AlgoTradingErrorCode,
  type AlgoTradingErrorDetails,
  type AlgoTradingErrorOptions,
} from './errors';
export {
  describeIssues,
  formatZodIssues,
  isPositiveFinite,
  parseOptions,
  requireFinite,
  requireInRange,
  requireInteger,
  requireNonNegative,
  requirePositive,
  throwInvalid,
  zFraction,
  zIntegerAtLeast,
  zNonNegative,
  zNumberBetween,
  zPositive,
  type BoundsOptions,
  type OptionIssue,
  type ParseOptionsSettings,
  type RangeOptions,
} from './validation';
export {
  Decimal,
  affordableQuantity,
  floorToStep,
  roundMoney,
  roundToStep,
  stepDecimals,
  sumDecimal,
  toDecimal,
  type DecimalInput,
} from './money';
export {
  BAR_COLUMNS,
  BarSeries,
  isBarSeries,
  validateBarColumns,
  type Bar,
  type BarColumn,
  type BarColumnsInput,
  type BarInput,
  type BarSeriesOptions,
} from './bar-series';
export {
  EXIT_REASONS,
  TRADE_CHECK_CODES,
  type ExitReason,
  type FeatureMatrix,
  type Fill,
  type FitOptions,
  type FillReason,
  type OrderSide,
  type Position,
  type PositionEffect,
  type PositionSizer,
  type ProbabilisticClassifier,
  type ProtectiveLevels,
  type RiskAction,
  type RiskGate,
  type Side,
  type Signal,
  type SizingLimit,
  type SizingRequest,
  type SizingResult,
  type Trade,
  type TradeCheckCode,
  type TradeIssue,
  type TradeRequest,
  type TradeValidation,
} from './types';
export {
  INTRABAR_POLICIES,
  IntrabarHit,
  resolveIntrabarExit,
  type IntrabarExitOut,
  type IntrabarHitCode,
  type IntrabarPolicy,
} from './intrabar';
export {
  normalizeLogLevel,
  setupLogger,
  silentLogger,
  type AppLogger,
  type LogFn,
  type LogLevelName,
  type Logger,
  type SetupLoggerOptions,
} from './logger';
export {
  MIN_AUTO_EPOCH,
  TIME_UNITS,
  describeTime,
  describeTimeProblem,
  detectEpochUnit,
  epochToMs,
  numberToEpochMs,
  parseCompactDate,
  parseIsoTime,
  toEpochMs,
  type TimeUnit,
} from './time';
export { checkTimeZone, fromWallClock, toWallClock, zoneOffsetAt } from './time-zone';
export { toUniverse, universeOf, type Universe, type UniverseInput } from './universe';
export { createSeededRandom, type SeededRandom } from './random';
export { isLogger, zLogger } from './logger-schema';
export { ExactCash } from './exact-cash';
export { TradeLog } from './trade-log';
export { catchAlgoTradingError, catchAlgoTradingRejection, catchError, catchRejection } from './testing';
export { canonicalJson, hashBarSeries, sha256Hex } from './hashing';
