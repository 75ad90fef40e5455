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
  expect(progress).toHaveLength(wf.folds.length);
  // 5105 rows, 1000 + 1 (embargo) before the first test window of 250: floor(4104 / 250) = 16 folds.
  expect(wf.folds).toHaveLength(16);
  expect(wf.signals.length).toBe(bars.length);
  for (const fold of wf.folds) {
    // A threshold from the grid 0.50, 0.52, ..., 0.60 chosen on validation, or the default 0.55
    // when no threshold reached minTrades there.
    if (fold.thresholdSource === 'validation') expect([0.5, 0.52, 0.54, 0.56, 0.58, 0.6]).toContain(fold.threshold);
    else expect(fold.threshold).toBe(0.55);
  }
  // The out-of-sample total return, rebuilt from the signals by the README's rule: each test window
  // starts flat; the position decided at bar t (1 long, -1 flat: long only, 0 hold) earns
  // returns[t + 1]; a change costs 0.0015 x |change| in the bar the new position first earns; the
  // window's last signal is not executed; NaN returns count as 0.
  let growth = 1;
  let trades = 0;
  for (const fold of wf.folds) {
    const { testStart, testEnd } = fold.split;
    let position = 0;
    let cost = 0;
    let foldGrowth = 1;
    for (let t = testStart; t < testEnd; t++) {
      const r = t === testStart ? 0 : (Number.isNaN(returns[t]!) ? 0 : position * returns[t]!) - cost;
      cost = 0;
      foldGrowth *= 1 + r;
      if (t < testEnd - 1) {
        const signal = wf.signals[t]!;
        const next = signal === 1 ? 1 : signal === -1 ? 0 : position;
        if (next !== position) {
          cost = 0.0015 * Math.abs(next - position);
          if (next !== 0) trades++;
          position = next;
        }
      }
    }
    expect(Math.abs(fold.test.totalReturn - (foldGrowth - 1))).toBeLessThan(1e-12);
    growth *= foldGrowth;
  }
  expect(Math.abs(wf.overall.totalReturn - (growth - 1))).toBeLessThan(1e-12);
  expect(wf.overall.trades).toBe(trades);

  const strategy = new MLPredictionStrategy({ model: new LogisticRegression(), confidenceThreshold: 0.55 });
  await strategy.fit(features.slice(0, 3000), labels.subarray(0, 3000));
  const { signals, confidences } = await strategy.generateSignals(features);
  const stats = strategy.getSignalStatistics(signals, confidences);
  expect(stats.total).toBe(bars.length);
  // The statistics count the signals as they are.
  const count = (value: number) => Array.from(signals).filter((x) => x === value).length;
  expect([stats.buySignals, stats.sellSignals, stats.holdSignals]).toEqual([count(1), count(-1), count(0)]);
  expect(stats.buySignals + stats.sellSignals).toBeGreaterThan(0);
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
