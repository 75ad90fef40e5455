/**
 * `@algo-trading/metrics`: performance statistics over returns, equity curves and trades,
 * matching empyrical (zipline / pyfolio) to floating-point precision, edge cases included.
 * @packageDocumentation
 */
export {
  annualVolatility,
  cagr,
  returnsFromEquity,
  stability,
  totalReturn,
  type AnnualizationOptions,
  type ReturnsFromEquityOptions,
} from './returns';
export {
  calmarRatio,
  downsideRisk,
  omegaRatio,
  sharpeRatio,
  sortinoRatio,
  tailRatio,
  type CalmarRatioOptions,
  type OmegaRatioOptions,
  type SharpeRatioOptions,
  type SortinoOptions,
} from './ratios';
export { alpha, alphaBeta, beta, informationRatio, type AlphaBeta, type AlphaBetaOptions } from './relative';
export {
  drawdownPeriods,
  drawdownSeries,
  maxDrawdown,
  type DrawdownPeriod,
  type DrawdownPeriodsOptions,
  type DrawdownSeriesOptions,
} from './drawdown';
export {
  conditionalValueAtRisk,
  percentile,
  quantileSorted,
  sortedCopy,
  valueAtRisk,
  type TailRiskOptions,
} from './tail-risk';
export {
  averageLoss,
  averageTradePnl,
  averageWin,
  expectancy,
  maxConsecutiveLosses,
  payoffRatio,
  profitFactor,
  tradeStatistics,
  winRate,
  type TradeLike,
  type TradeStatistics,
} from './trades';
export {
  deflatedSharpeRatio,
  expectedMaxSharpe,
  probabilisticSharpeRatio,
  type DeflatedSharpeOptions,
  type ProbabilisticSharpeOptions,
} from './sharpe-inference';
export { CALENDAR_DAYS_PER_YEAR, EXCHANGE_DAYS_PER_YEAR, inferPeriodsPerYear } from './periods';
export { computeMetrics, type ComputeMetricsInput, type PerformanceMetrics } from './compute-metrics';
export { DEFAULT_PERIODS_PER_YEAR, MAX_ANNUALIZED_PER_PERIOD_RATE, type RiskFreeInput } from './inputs';
