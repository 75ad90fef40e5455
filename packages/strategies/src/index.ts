/**
 * `@algo-trading/strategies`: a model-agnostic ML prediction strategy. Causal features and
 * indicators over `Float64Array`, forward-looking labels, the probability-to-signal rule,
 * a threshold grid search and walk-forward evaluation out of sample, plus a plain-TypeScript
 * logistic-regression baseline model.
 * @packageDocumentation
 */

// Model interface (declared in core; re-exported for convenience)
export type { FeatureMatrix, FitOptions, ProbabilisticClassifier } from '@algo-trading/core';

// Indicators
export { sma } from './indicators/sma';
export { ema, wilderAverage } from './indicators/ema';
export { rsi } from './indicators/rsi';
export { macd, type MacdOptions, type MacdResult } from './indicators/macd';
export {
  bollingerBands,
  bollingerPercentB,
  type BollingerBandsResult,
  type BollingerOptions,
} from './indicators/bollinger';
export { atr, trueRange, type HighLowClose } from './indicators/atr';
export { rollingStd, zScore, type RollingStdOptions } from './indicators/rolling-std';

// Features
export {
  buildFeatures,
  featureColumnNames,
  featureSpecSchema,
  type FeatureSpec,
  type ResolvedFeatureSpec,
} from './features/build-features';
export { FeatureFrame, isFeatureFrame, type FeatureFrameOptions } from './features/feature-frame';
export {
  isDataFrameLike,
  resolveFeatures,
  type DataFrameLike,
  type FeatureInput,
  type ResolvedFeatures,
} from './features/feature-input';
export type { BarsInput } from './features/bars-input';

// Rule-based signals
export { crossoverSignals, smaCross, smaCrossParametersSchema, smaCrossSignals, type SmaCrossOptions } from './rules/sma-cross';
export {
  isParameterizedStrategy,
  type IndicatorCache,
  type ParameterIssue,
  type ParameterSchema,
  type ParameterizedStrategy,
  type ParameterizedStrategyInput,
  type StrategyDecisions,
} from './rules/parameterized-strategy';

// Labels
export { directionLabels, type DirectionLabelsOptions } from './labels/direction-labels';
export { tripleBarrierLabels, type TripleBarrierOptions } from './labels/triple-barrier-labels';

// Strategy
export {
  MLPredictionStrategy,
  mlPredictionStrategySchema,
  type MLPredictionStrategyOptions,
  type SignalOutput,
  type StrategyFitOptions,
  type StrategyFitResult,
} from './strategy/ml-prediction-strategy';
export { THRESHOLD_TOLERANCE, applyThreshold, type ThresholdedSignals } from './strategy/signal-rule';
export { getSignalStatistics, type SignalStatistics } from './strategy/signal-statistics';

// Models
export {
  LogisticRegression,
  logisticRegressionSchema,
  type LogisticRegressionOptions,
  type LogisticRegressionState,
} from './models/logistic-regression';

// Evaluation
export {
  closeToCloseReturns,
  nextPosition,
  strategyReturns,
  type StrategyReturnsOptions,
  type StrategyReturnsResult,
} from './evaluation/strategy-returns';
export {
  walkForwardSplits,
  walkForwardSplitSchema,
  type WalkForwardSplit,
  type WalkForwardSplitOptions,
} from './evaluation/walk-forward-splits';
export {
  OPTIMIZATION_METRICS,
  thresholdGrid,
  type OptimizationMetric,
  type ThresholdRow,
} from './evaluation/threshold-grid';
export {
  ThresholdOptimizer,
  type GridSearchOptions,
  type GridSearchResult,
  type OutOfSampleMetrics,
  type WalkForwardFoldResult,
  type WalkForwardOptions,
  type WalkForwardProgress,
  type WalkForwardResult,
} from './evaluation/threshold-optimizer';
