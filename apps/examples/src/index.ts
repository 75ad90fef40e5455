/**
 * The runnable examples of algo-trading (private package). Each also runs as a regression test.
 * @packageDocumentation
 */
export { runMlDemo } from './ml-demo';
export { runSmaCrossoverExample, type SmaCrossoverExampleOptions, type SmaCrossoverExampleResult } from './sma-crossover';
