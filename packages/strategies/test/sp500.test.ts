import { loadSampleBars } from '@algo-trading/data';
import { describe, expect, it } from 'vitest';
import {
  LogisticRegression,
  MLPredictionStrategy,
  ThresholdOptimizer,
  buildFeatures,
  closeToCloseReturns,
  directionLabels,
  featureColumnNames,
} from '../src/index';

/** Sanity of the features on the real S&P 500 daily sample (vega-datasets, 2000-01-03 .. 2020-04-17). */
describe('real S&P 500 sample', () => {
  const bars = loadSampleBars('sp500');
  const features = buildFeatures(bars);
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);

  it('builds every default column over the whole history, finite after the 50-bar warm-up', () => {
    expect(bars.length).toBeGreaterThan(5000);
    expect(features.length).toBe(bars.length);
    expect(features.columns).toEqual(featureColumnNames());
    const rows = features.finiteRows();
    expect(rows[0]).toBe(49);
    expect(rows.length).toBe(bars.length - 49);
  });

  it('values are in their natural ranges', () => {
    const rsi = features.column('rsi_14');
    const atr = features.column('atr_ratio_14');
    const pctB = features.column('bb_percent_b_20');
    for (let t = 49; t < bars.length; t++) {
      expect(rsi[t]! >= 0 && rsi[t]! <= 100).toBe(true);
      expect(atr[t]! > 0 && atr[t]! < 0.15).toBe(true); // daily true range below 15% of the price
      expect(pctB[t]! > -1.5 && pctB[t]! < 2.5).toBe(true);
    }
  });

  it('volatility peaks in the 2008 crisis or the 2020 crash, and is calm in 2017', () => {
    const vol = features.column('volatility_20');
    let peak = 20; // the first value (20 returns need 21 closes)
    for (let t = 21; t < bars.length; t++) if (vol[t]! > vol[peak]!) peak = t;
    const peakDay = day(bars.time[peak]!);
    // the 20-day window peaks at the end of March 2020 (the October 2008 peak comes close)
    expect((peakDay >= '2008-10-01' && peakDay <= '2008-12-31') || (peakDay >= '2020-03-01' && peakDay <= '2020-04-17')).toBe(true);
    expect(vol[peak]! * Math.sqrt(252)).toBeGreaterThan(0.6); // annualised > 60%
    for (let t = 20; t < bars.length; t++) {
      const d = day(bars.time[t]!);
      if (d >= '2017-03-01' && d <= '2017-12-31') expect(vol[t]! * Math.sqrt(252)).toBeLessThan(0.15);
    }
  });

  it('a walk-forward LogisticRegression runs end to end, out of sample, with plausible accuracy', async () => {
    const labels = directionLabels(bars, { horizon: 1 });
    const returns = closeToCloseReturns(bars);
    const wf = await ThresholdOptimizer.walkForward({
      modelFactory: (fold) => new LogisticRegression({ seed: fold, epochs: 100 }),
      features,
      labels,
      returns,
      splits: { trainSize: 1000, testSize: 500, embargo: 1 },
      thresholdRange: [0.5, 0.6],
      step: 0.02,
      costs: 0.0005,
    });
    expect(wf.folds.length).toBeGreaterThanOrEqual(7);
    // daily direction is hard to predict: honest accuracy stays near a coin flip
    expect(wf.overall.accuracy).toBeGreaterThan(0.42);
    expect(wf.overall.accuracy).toBeLessThan(0.6);
    expect(Number.isFinite(wf.overall.totalReturn)).toBe(true);
    for (let t = 0; t < 1001; t++) expect(wf.signals[t]).toBe(0); // nothing before the first test window

    const strategy = new MLPredictionStrategy({ model: new LogisticRegression({ seed: 1 }) });
    await strategy.fit(features.slice(0, 2500), labels.subarray(0, 2500));
    const { signals, confidences } = await strategy.generateSignals(features);
    const stats = strategy.getSignalStatistics(signals, confidences);
    expect(stats.total).toBe(bars.length);
    expect(stats.holdSignals).toBeGreaterThanOrEqual(49);
  });
});
