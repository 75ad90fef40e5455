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
