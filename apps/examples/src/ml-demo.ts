/**
 * Example: the product's main job, the ML demo on the real S&P 500 daily bars: features,
 * walk-forward training of the TensorFlow.js classifier, the threshold chosen on validation data,
 * the risk manager and confidence-based sizing, the backtest and the HTML report. The same
 * implementation as `algo-trading demo` (`runDemo` of @algo-trading/cli).
 *
 *   node --conditions=@algo-trading/source --import tsx apps/examples/src/ml-demo.ts [out-dir]
 */
import { pathToFileURL } from 'node:url';
import { renderSummaryTable, runDemo, type DemoOptions, type DemoOutcome } from '@algo-trading/cli';

/** Runs the ML demo (see `runDemo` for the options: output folder, folds, epochs, seed, ...). */
export function runMlDemo(options: DemoOptions = {}): Promise<DemoOutcome> {
  return runDemo(options);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outcome = await runMlDemo(process.argv[2] === undefined ? {} : { out: process.argv[2] });
  console.log(renderSummaryTable(outcome.results.headline, outcome.results.title));
  console.log(`Report: ${outcome.reportPath}`);
}
