/**
 * `@algo-trading/regimes`: causal market-regime detection. A Gaussian hidden Markov model
 * (Baum-Welch, Viterbi, filtered, smoothed and streaming probabilities, save/load), simple
 * volatility and trend regimes, walk-forward refits, and the pieces that make trading
 * regime-aware: a regime risk policy, regime feature columns and per-regime parameters.
 * @packageDocumentation
 */

// Gaussian HMM
export {
  GaussianHMM,
  gaussianHmmSchema,
  isGaussianHMM,
  type CovarianceType,
  type GaussianHmmOptions,
  type GaussianHmmParams,
  type HmmFitReport,
  type HmmFitSummary,
  type HmmRestartReport,
  type HmmSample,
  type HmmSampleOptions,
  type InitMethod,
  type ResolvedGaussianHmmOptions,
  type SavedGaussianHmm,
  type SavedHmmModel,
  type StateOrder,
} from './hmm/gaussian-hmm';
export { SAVED_HMM_FORMAT, SAVED_HMM_FORMAT_VERSION } from './hmm/persistence';
export { MAX_OBSERVATION_MAGNITUDE, type ObservationInput } from './observations';

// Simple causal regimes and series helpers
export {
  volatilityRegime,
  volatilityRegimeSchema,
  type VolatilityRegimeOptions,
  type VolatilityRegimeResult,
} from './simple/volatility-regime';
export {
  TREND_REGIME_NAMES,
  trendRegime,
  trendRegimeSchema,
  type TrendRegimeOptions,
  type TrendRegimeResult,
} from './simple/trend-regime';
export { logReturns, realizedVolatility, type PriceInput, type RealizedVolatilityOptions } from './series';
export { WARMUP_LABEL, labelsFromProbabilities, type RegimeLabels } from './labels';

// Walk-forward
export {
  walkForwardRegimes,
  type WalkForwardRegimeFold,
  type WalkForwardRegimesOptions,
  type WalkForwardRegimesResult,
} from './walk-forward';

// Regime-aware trading
export { RegimeRiskPolicy, regimeRiskPolicySchema, type RegimeRiskPolicyOptions } from './risk-policy';
/** The rule that combines risk multipliers (their product), from `@algo-trading/core`, where the risk manager uses it too. */
export { composeRiskMultipliers, type RiskScaleSeries } from '@algo-trading/core';
export { regimeFeatureColumns, type RegimeFeatureOptions } from './regime-features';
export {
  regimeParameter,
  selectByRegime,
  type RegimeParameterOptions,
  type SelectByRegimeOptions,
} from './regime-parameters';
