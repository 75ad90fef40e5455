/**
 * `@algo-trading/portfolio`: portfolio construction over a universe's returns: returns
 * matrices, covariance and expected-return estimators, mean-variance optimization (HiGHS),
 * risk parity, hierarchical risk parity, portfolio analytics, discrete allocation and
 * walk-forward rebalance schedules.
 * @packageDocumentation
 */
export {
  returnsMatrix,
  universeEntries,
  type PlainReturnsInput,
  type ReturnKind,
  type ReturnsInput,
  type ReturnsMatrix,
  type ReturnsMatrixOptions,
  type UniverseInput,
} from './returns-matrix';
export {
  COVARIANCE_METHODS,
  covariance,
  type CovarianceInput,
  type CovarianceMatrix,
  type CovarianceMethod,
  type CovarianceOptions,
} from './covariance';
export {
  EXPECTED_RETURNS_METHODS,
  expectedReturns,
  type ExpectedReturns,
  type ExpectedReturnsInput,
  type ExpectedReturnsMethod,
  type ExpectedReturnsOptions,
} from './expected-returns';
export {
  OBJECTIVES,
  efficientFrontier,
  optimizePortfolio,
  type EfficientFrontierOptions,
  type FrontierPoint,
  type Objective,
  type OptimizePortfolioOptions,
  type PortfolioConstraints,
  type PortfolioOptimization,
  type WeightBounds,
} from './optimize';
export { loadSolver, type KktResiduals } from './qp';
export {
  inverseVolatility,
  riskParity,
  type RiskAllocation,
  type RiskParityOptions,
  type RiskParityResult,
} from './risk-based';
export {
  hierarchicalRiskParity,
  type HierarchicalRiskParityOptions,
  type HierarchicalRiskParityResult,
  type LinkageRow,
} from './hrp';
export { portfolioStats, type PortfolioStats, type PortfolioStatsOptions, type WeightsInput } from './stats';
export { discreteAllocation, type DiscreteAllocation, type DiscreteAllocationOptions } from './allocation';
export {
  REBALANCE_METHODS,
  REBALANCE_PERIODS,
  rebalanceSchedule,
  type RebalanceMethod,
  type RebalancePeriod,
  type RebalanceSchedule,
  type RebalanceScheduleOptions,
  type ScheduleConstraints,
  type SkippedRebalance,
} from './schedule';
