/**
 * `@algo-trading/backtesting`: the event-driven backtest engine: one order book (market, limit,
 * stop, stop-limit and trailing-stop orders, time in force, OCO groups, brackets), matching from
 * OHLC bars, execution models (slippage, commission, volume participation, financing), an exact
 * cash ledger, and risk-manager and position-sizer integration.
 * @packageDocumentation
 */
export {
  BacktestEngine,
  rebalanceOptionsSchema,
  type BacktestData,
  type BacktestMetrics,
  type BacktestResults,
  type Holdings,
  type PerSymbol,
  type RebalanceOptions,
  type SignalsBacktestInput,
  type StrategyBacktestInput,
  type SymbolResults,
  type TargetWeights,
  type TargetWeightsBacktestInput,
  type UniverseData,
} from './engine';
export {
  FILL_AT,
  ORDER_SEQUENCES,
  PASSED_LEVELS,
  backtestEngineOptionsSchema,
  commissionConfigSchema,
  financingConfigSchema,
  slippageConfigSchema,
  type BacktestEngineOptions,
  type CommissionConfig,
  type CommissionFunction,
  type FillAt,
  type FinancingConfig,
  type FinancingFunction,
  type OrderSequence,
  type ParticipationFunction,
  type PassedLevels,
  type ResolvedBacktestEngineOptions,
  type SlippageConfig,
  type SlippageFunction,
} from './options';
export {
  dailyFinancing,
  fixedBpsSlippage,
  fixedCommission,
  makerTakerCommission,
  percentCommission,
  perShareCommission,
  spreadSlippage,
  sqrtImpactSlippage,
  tieredCommission,
  volumeParticipation,
  volumeShareSlippage,
  type CommissionTier,
} from './execution-models';
export {
  ENGINE_REJECTION_CODES,
  type BarsView,
  type EquityCurve,
  type OpenOrder,
  type OpenPositionReport,
  type PositionView,
  type Rejection,
  type RejectionCode,
  type RejectionReason,
  type Strategy,
  type StrategyContext,
  type StrategyDecision,
} from './types';
