import { describe, expect, it } from 'vitest';
import { LogisticRegression, MLPredictionStrategy, ThresholdOptimizer, buildFeatures, closeToCloseReturns, directionLabels, isDataFrameLike } from '../src/index';
import { syntheticBars } from './fixtures';

describe('danfojs DataFrame input (duck-typed)', () => {
  it('gives the same signals as the FeatureFrame it was made from, NaN warm-up rows included', async () => {
    const dfd = await import('danfojs-node');
    const bars = syntheticBars(400, 8);
    const features = buildFeatures(bars, { smaPeriods: [10, 20], macd: null });
    const record: Record<string, number[]> = {};
    for (const c of features.columns) record[c] = Array.from(features.column(c));
    const df = new dfd.DataFrame(record);
    expect(isDataFrameLike(df)).toBe(true);

    const strategy = new MLPredictionStrategy({ model: new LogisticRegression({ seed: 2 }), featureColumns: [...features.columns] });
    const labels = directionLabels(bars);
    await strategy.fit(df, labels);
    const fromFrame = await strategy.generateSignals(features);
    const fromDf = await strategy.generateSignals(df);
    expect(Array.from(fromDf.signals)).toEqual(Array.from(fromFrame.signals));
    expect(Array.from(fromDf.probabilities)).toEqual(Array.from(fromFrame.probabilities));
    expect(fromDf.confidences[0]).toBeNaN(); // warm-up row: no prediction

    const grid = await ThresholdOptimizer.gridSearch({ strategy, data: df, returns: closeToCloseReturns(bars), minTrades: 1 });
    expect(grid.rows).toHaveLength(9);
  }, 120_000); // loads danfo.js and its TensorFlow.js: slow on a loaded machine

  it('names a column the DataFrame lacks', async () => {
    const dfd = await import('danfojs-node');
    const df = new dfd.DataFrame({ a: [1, 2] });
    const strategy = new MLPredictionStrategy({ model: new LogisticRegression(), featureColumns: ['b'] });
    await expect(strategy.generateSignals(df)).rejects.toThrow(/"b" is missing.*available columns: a/);
  });
});
