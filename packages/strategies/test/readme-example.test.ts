import { loadSampleBars } from '@algo-trading/data';
import { expect, it } from 'vitest';
import {
  LogisticRegression,
  MLPredictionStrategy,
  ThresholdOptimizer,
  buildFeatures,
  closeToCloseReturns,
  directionLabels,
} from '../src/index';

// The README example, verbatim apart from the assertions (it must keep working).
it('README example runs', async () => {
  const bars = loadSampleBars('sp500');
  const features = buildFeatures(bars);
  const labels = directionLabels(bars, { horizon: 1 });
  const returns = closeToCloseReturns(bars);
  const progress: string[] = [];

  const wf = await ThresholdOptimizer.walkForward({
    modelFactory: (fold) => new LogisticRegression({ seed: fold }),
    features,
    labels,
    returns,
    splits: { trainSize: 1000, testSize: 250, embargo: 1 },
    thresholdRange: [0.5, 0.6],
    step: 0.02,
    metric: 'sharpe',
    costs: 0.0015,
    onProgress: ({ completed, totalFolds }) => progress.push(`fold ${completed}/${totalFolds}`),
  });
  expect(progress.at(-1)).toBe(`fold ${wf.folds.length}/${wf.folds.length}`);
  expect(Number.isFinite(wf.overall.totalReturn)).toBe(true);
  expect(wf.folds[0]!.threshold).toBeGreaterThanOrEqual(0.5);
  expect(wf.signals.length).toBe(bars.length);

  const strategy = new MLPredictionStrategy({ model: new LogisticRegression(), confidenceThreshold: 0.55 });
  await strategy.fit(features.slice(0, 3000), labels.subarray(0, 3000));
  const { signals, confidences } = await strategy.generateSignals(features);
  const stats = strategy.getSignalStatistics(signals, confidences);
  expect(stats.total).toBe(bars.length);
  const table = await ThresholdOptimizer.gridSearch({
    strategy,
    data: features,
    returns,
    thresholdRange: [0.5, 0.9],
    step: 0.05,
    metric: 'sharpe',
  });
  expect(table.rows).toHaveLength(9);
  expect(table.trials).toBe(9);
});
