import { describe, expect, it } from 'vitest';
import {
  LogisticRegression,
  MLPredictionStrategy,
  ThresholdOptimizer,
  buildFeatures,
  closeToCloseReturns,
  directionLabels,
} from '../src/index';
import { syntheticBars } from './fixtures';

/** Features and signals for the first k bars must not change when later bars are removed. */
describe('no look-ahead', () => {
  const bars = syntheticBars(800, 5);
  const full = buildFeatures(bars);

  it('features for the first k bars are identical with the later bars removed', () => {
    for (const k of [1, 20, 50, 51, 137, 500, 799]) {
      const cut = buildFeatures(bars.slice(0, k));
      expect(cut.length).toBe(k);
      for (const column of full.columns) {
        const a = cut.column(column);
        const b = full.column(column);
        for (let i = 0; i < k; i++) {
          if (!Object.is(a[i], b[i])) expect.fail(`${column}[${i}] differs with k = ${k}: ${a[i]} vs ${b[i]}`);
        }
      }
    }
  });

  it('features at bar t do not change when a later bar is changed', () => {
    const closes = Float64Array.from(bars.close);
    const t = 400;
    closes[t + 1] = closes[t + 1]! * 1.5;
    const changed = buildFeatures({
      time: bars.time,
      open: bars.open,
      high: bars.high.map((h, i) => Math.max(h, closes[i]!)),
      low: bars.low,
      close: closes,
      volume: bars.volume,
    });
    for (const column of full.columns) {
      for (let i = 0; i <= t; i++) expect(Object.is(changed.column(column)[i], full.column(column)[i])).toBe(true);
    }
    // the change is visible from bar t + 1 on (the test is sensitive)
    expect(changed.column('return_1')[t + 1]).not.toBe(full.column('return_1')[t + 1]);
    expect(changed.column('rsi_14')[t + 1]).not.toBe(full.column('rsi_14')[t + 1]);
  });

  it('signals and confidences for the first k bars are identical with the later bars removed', async () => {
    const model = new LogisticRegression({ seed: 3 });
    const strategy = new MLPredictionStrategy({ model, featureColumns: [...full.columns] });
    await strategy.fit(full.slice(0, 300), directionLabels(bars).subarray(0, 300));
    const all = await strategy.generateSignals(full);
    for (const k of [60, 301, 640]) {
      const part = await strategy.generateSignals(buildFeatures(bars.slice(0, k)));
      expect(Array.from(part.signals)).toEqual(Array.from(all.signals.subarray(0, k)));
      expect(Array.from(part.confidences)).toEqual(Array.from(all.confidences.subarray(0, k)));
    }
  });

  it('walk-forward signals of the folds that end by bar k are identical with the later bars removed', async () => {
    const run = async (n: number) => {
      const b = bars.slice(0, n);
      return ThresholdOptimizer.walkForward({
        modelFactory: (fold) => new LogisticRegression({ seed: fold, epochs: 50 }),
        features: buildFeatures(b),
        labels: directionLabels(b, { horizon: 1 }),
        returns: closeToCloseReturns(b),
        splits: { trainSize: 300, testSize: 100, embargo: 1 },
        thresholdRange: [0.5, 0.6],
        step: 0.05,
        minTrades: 1,
      });
    };
    const whole = await run(800);
    const cut = await run(600); // folds 0 and 1 test [301, 401) and [401, 501) lie inside
    expect(cut.folds.length).toBeGreaterThanOrEqual(2);
    const end = cut.folds[1]!.split.testEnd;
    expect(Array.from(cut.signals.subarray(0, end))).toEqual(Array.from(whole.signals.subarray(0, end)));
    expect(cut.folds[0]!.threshold).toBe(whole.folds[0]!.threshold);
    expect(cut.folds[1]!.threshold).toBe(whole.folds[1]!.threshold);
  });
});
