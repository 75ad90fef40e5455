import { bench, describe } from 'vitest';
import { syntheticBars } from '../test/fixtures';
import { buildFeatures } from './features/build-features';
import { ThresholdOptimizer } from './evaluation/threshold-optimizer';
import { closeToCloseReturns } from './evaluation/strategy-returns';
import { sma } from './indicators/sma';

const N = 1_000_000;
const bars = syntheticBars(N, 1);

// rows/s = 1,000,000 / (mean time in s)
describe(`buildFeatures on ${N.toLocaleString('en-US')} bars (21 default columns)`, () => {
  bench('buildFeatures (default spec)', () => {
    buildFeatures(bars);
  }, { iterations: 5, warmupIterations: 1 });
  bench('sma(close, 20)', () => {
    sma(bars.close, 20);
  }, { iterations: 10, warmupIterations: 2 });
});

const returns = closeToCloseReturns(bars);
const probabilities = Float64Array.from({ length: N }, (_, i) => 0.5 + 0.45 * Math.sin(i * 0.37));
describe(`gridSearch on ${N.toLocaleString('en-US')} precomputed probabilities (9 thresholds)`, () => {
  bench('ThresholdOptimizer.gridSearch', async () => {
    await ThresholdOptimizer.gridSearch({ probabilities, returns });
  }, { iterations: 3, warmupIterations: 1 });
});
