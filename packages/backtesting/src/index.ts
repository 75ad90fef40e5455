/**
 * `@algo-trading/backtesting`: the event-driven backtest engine with simulated fills, an exact
 * cash ledger and risk-manager and position-sizer integration.
 * @packageDocumentation
 */
export {
  BacktestEngine,
  type BacktestData,
  type BacktestMetrics,
  type BacktestResults,
  type SignalsBacktestInput,
  type StrategyBacktestInput,
} from './engine';
export {
  FILL_AT,
  backtestEngineOptionsSchema,
  type BacktestEngineOptions,
  type FillAt,
  type ResolvedBacktestEngineOptions,
} from './options';
export {
  ENGINE_REJECTION_CODES,
  type BarsView,
  type EquityCurve,
  type OpenPositionReport,
  type PositionView,
  type Rejection,
  type RejectionCode,
  type RejectionReason,
  type Strategy,
  type StrategyContext,
  type StrategyDecision,
} from './types';
