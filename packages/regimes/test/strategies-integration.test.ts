import { loadSampleBars } from '@algo-trading/data';
import { FeatureFrame, LogisticRegression, MLPredictionStrategy, buildFeatures, directionLabels } from '@algo-trading/strategies';
import { expect, it } from 'vitest';
import { regimeFeatureColumns, selectByRegime, walkForwardRegimes } from '../src/index';

// Regime probabilities as ML features and per-regime thresholds, with the strategies package as
// it is: its FeatureFrame accepts the extra columns, and its threshold rule runs once per regime.
it('walk-forward regime probabilities feed the ML strategy; thresholds are chosen per regime', async () => {
  const bars = loadSampleBars('sp500');
  const wf = walkForwardRegimes({ bars, model: { states: 2, seed: 7, restarts: 1 }, trainWindow: 1000, refitEvery: 126 });
  const base = buildFeatures(bars);
  const frame = FeatureFrame.fromColumns({ ...base.values, ...regimeFeatureColumns(wf, { dropLast: true }) }, { time: base.time });
  expect(frame.columns.at(-1)).toBe('regime_p0');
  // Rows become usable only once the regimes exist: the warm-up propagates as NaN.
  expect(frame.finiteRows()[0]).toBe(wf.warmup);

  const labels = directionLabels(bars, { horizon: 1 });
  const strategy = new MLPredictionStrategy({ model: new LogisticRegression({ seed: 1 }), featureColumns: [...frame.columns] });
  const fitted = await strategy.fit(frame.slice(0, 3000), labels.subarray(0, 3000));
  expect(fitted.rows).toBe(3000 - wf.warmup);
  const probabilities = await strategy.predictProbabilities(frame);
  expect(Number.isNaN(probabilities[wf.warmup - 1]!)).toBe(true);
  expect(Number.isFinite(probabilities[wf.warmup]!)).toBe(true);

  const thresholds = [0.51, 0.53]; // stricter in the volatile state
  const perRegime = thresholds.map((th) => strategy.applyThreshold(probabilities, th).signals);
  const signals = selectByRegime({ labels: wf.labels, series: perRegime, warmup: 0 });
  for (let t = 0; t < bars.length; t++) {
    const label = wf.labels[t]!;
    expect(signals[t]).toBe(label === -1 ? 0 : perRegime[label]![t]);
  }
}, 120_000);
