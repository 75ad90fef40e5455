import { createSeededRandom } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import {
  FeatureFrame,
  LogisticRegression,
  MLPredictionStrategy,
  ThresholdOptimizer,
  buildFeatures,
  closeToCloseReturns,
  directionLabels,
} from '../src/index';
import { syntheticBars } from './fixtures';

/**
 * A feature that truly predicts the label must give out-of-sample accuracy well above 50%; the
 * same pipeline on shuffled labels must give about 50% (no leakage manufactures skill).
 */
describe('planted signal, walk-forward with LogisticRegression', () => {
  const bars = syntheticBars(3000, 21);
  const labels = directionLabels(bars, { horizon: 1 });
  const returns = closeToCloseReturns(bars);
  const base = buildFeatures(bars, {
    returnHorizons: [1, 5],
    logReturnHorizons: [],
    smaPeriods: [10],
    emaPeriods: [],
    macd: null,
    bollinger: null,
    volatilityWindows: [10],
  });
  // planted: the sign of tomorrow's move plus noise of equal size (about 84% informative)
  const rng = createSeededRandom(99);
  const planted = new Float64Array(bars.length);
  for (let t = 0; t < bars.length; t++) {
    const y = labels[t]!;
    planted[t] = Number.isNaN(y) ? Number.NaN : (y === 1 ? 1 : -1) + rng.normal();
  }
  const columns: Record<string, Float64Array> = { planted };
  for (const c of base.columns) columns[c] = base.column(c);
  const features = FeatureFrame.fromColumns(columns, { time: bars.time });

  const run = (y: Float64Array) =>
    ThresholdOptimizer.walkForward({
      modelFactory: (fold) => new LogisticRegression({ seed: fold, epochs: 200 }),
      strategyOptions: { confidenceThreshold: 0.55 },
      features,
      labels: y,
      returns,
      splits: { trainSize: 600, testSize: 300, embargo: 1 },
      thresholdRange: [0.5, 0.8],
      step: 0.05,
      metric: 'sharpe',
    });

  it('out-of-sample accuracy is well above 50% and the strategy makes money', async () => {
    const wf = await run(labels);
    expect(wf.folds.length).toBe(7); // tests [601, 901), ..., [2401, 2701)
    expect(wf.overall.labelledRows).toBeGreaterThan(2000);
    expect(wf.overall.accuracy).toBeGreaterThan(0.75);
    for (const fold of wf.folds) expect(fold.test.accuracy).toBeGreaterThan(0.65);
    expect(wf.overall.sharpe).toBeGreaterThan(2);
    expect(wf.overall.totalReturn).toBeGreaterThan(0);
  });

  it('shuffled labels give about 50%', async () => {
    const shuffled = Float64Array.from(labels);
    // shuffle the known labels among themselves, keep the trailing NaN in place
    const known = shuffled.subarray(0, bars.length - 1);
    createSeededRandom(3).shuffle(known);
    const wf = await run(shuffled);
    expect(wf.overall.accuracy).toBeGreaterThan(0.45);
    expect(wf.overall.accuracy).toBeLessThan(0.55);
  });

  it('is deterministic: same seeds, same out-of-sample signals', async () => {
    const a = await run(labels);
    const b = await run(labels);
    expect(Array.from(a.signals)).toEqual(Array.from(b.signals));
    expect(Array.from(a.probabilities)).toEqual(Array.from(b.probabilities));
  });

  it('the in-sample strategy on a fitted model agrees with generateSignals', async () => {
    const strategy = new MLPredictionStrategy({ model: new LogisticRegression({ seed: 1 }) });
    const fit = await strategy.fit(features.slice(0, 1000), labels.subarray(0, 1000));
    expect(fit.rows).toBeGreaterThan(900);
    const { signals, probabilities } = await strategy.generateSignals(features.slice(1000, 1500));
    let correct = 0;
    let count = 0;
    for (let i = 0; i < 500; i++) {
      const p = probabilities[i]!;
      const y = labels[1000 + i]!;
      if (Number.isNaN(p) || Number.isNaN(y)) continue;
      count++;
      if ((p >= 0.5 ? 1 : 0) === y) correct++;
      if (p >= 0.55) expect(signals[i]).toBe(1);
    }
    expect(correct / count).toBeGreaterThan(0.75);
  });
});
