/**
 * The runnable examples of algo-trading (private package). Each also runs as a regression test.
 * @packageDocumentation
 */
export { runMlDemo } from './ml-demo';
export {
  runPortfolioRebalanceExample,
  type PortfolioRebalanceExampleOptions,
  type PortfolioRebalanceExampleResult,
  type RebalanceRun,
} from './portfolio-rebalance';
export { runSmaCrossoverExample, type SmaCrossoverExampleOptions, type SmaCrossoverExampleResult } from './sma-crossover';
export {
  REGIME_RISK_DEFAULTS,
  backtestRegimeRun,
  comparisonRows,
  regimeRiskScale,
  renderRegimeRiskReport,
  runRegimeRiskExample,
  summarizeRun,
  type RegimeComparison,
  type RegimeRiskExampleOptions,
  type RegimeRiskExampleResult,
  type RegimeRiskScale,
  type RegimeRun,
  type RegimeRunSummary,
} from './regime-risk';
