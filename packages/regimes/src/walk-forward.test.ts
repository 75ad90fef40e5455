import { BarSeries } from '@algo-trading/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectCode } from '../test/expect-code';
import { simulate } from '../test/reference';
import { GaussianHMM } from './hmm/gaussian-hmm';
import { logReturns, realizedVolatility } from './series';
import { walkForwardRegimes, type WalkForwardRegimesResult } from './walk-forward';

// Prices whose log returns follow a calm / turbulent 2-state HMM.
const { x } = simulate(
  {
    startProb: [1, 0],
    transition: [
      [0.98, 0.02],
      [0.04, 0.96],
    ],
    means: [[0.0005], [-0.001]],
    variances: [[0.006 ** 2], [0.02 ** 2]],
  },
  900,
  17,
);
const prices = [100];
for (let t = 1; t < 900; t++) prices.push(prices[t - 1]! * Math.exp(x[t]![0]!));
const bars = BarSeries.fromPrices(prices.map((_, i) => Date.UTC(2020, 0, 1) + i * 86_400_000), prices);
const model = { states: 2, seed: 5, restarts: 1 } as const;

describe('walkForwardRegimes', () => {
  let wf: WalkForwardRegimesResult;
  beforeAll(() => {
    wf = walkForwardRegimes({ bars, model, trainWindow: 300, refitEvery: 50 });
  });

  it('refits every block on the rows before it; nothing before the first fit', () => {
    expect(wf.firstUsableRow).toBe(1); // the log return of bar 0 is NaN
    expect(wf.warmup).toBe(301);
    expect(wf.features).toEqual(['logReturn']);
    expect(wf.states).toBe(2);
    expect(wf.folds).toHaveLength(12); // 599 bars in blocks of 50
    wf.folds.forEach((fold, i) => {
      expect(fold.testStart).toBe(301 + 50 * i);
      expect(fold.trainEnd).toBe(fold.testStart);
      expect(fold.trainStart).toBe(fold.trainEnd - 300);
      expect(fold.testEnd).toBe(Math.min(fold.testStart + 50, 900));
    });
    for (let t = 0; t < 900; t++) {
      const p0 = wf.probabilities[2 * t]!;
      const p1 = wf.probabilities[2 * t + 1]!;
      if (t < 301) {
        expect(Number.isNaN(p0) && Number.isNaN(p1)).toBe(true);
        expect(wf.labels[t]).toBe(-1);
      } else {
        expect(p0 + p1).toBeCloseTo(1, 12);
        expect(wf.labels[t]).toBe(p1 > p0 ? 1 : 0);
      }
    }
    expect(wf.model.isFitted).toBe(true);
    expect(wf.model.params).toEqual(wf.folds.at(-1)!.params);
  });

  it('each block holds the forward pass of a model fitted on its training window only', () => {
    const r = logReturns(bars);
    for (const i of [0, 5]) {
      const fold = wf.folds[i]!;
      const hmm = new GaussianHMM(model);
      hmm.fit(r.subarray(fold.trainStart, fold.trainEnd));
      expect(hmm.params).toEqual(fold.params);
      const filtered = hmm.filter(r.subarray(fold.trainStart, fold.testEnd));
      const offset = fold.testStart - fold.trainStart;
      expect(Array.from(wf.probabilities.subarray(fold.testStart * 2, fold.testEnd * 2))).toEqual(Array.from(filtered.subarray(offset * 2)));
    }
  });

  it('truncation: the regimes at bar t do not change when later bars are removed', () => {
    for (const m of [302, 420, 651, 899]) {
      const cut = walkForwardRegimes({ bars: bars.slice(0, m), model, trainWindow: 300, refitEvery: 50 });
      expect(Array.from(cut.probabilities)).toEqual(Array.from(wf.probabilities.subarray(0, 2 * m)));
      expect(Array.from(cut.labels)).toEqual(Array.from(wf.labels.subarray(0, m)));
    }
  });

  it('expanding windows train on every usable row so far; a GaussianHMM can serve as the template', () => {
    const expanding = walkForwardRegimes({ bars: prices, model: new GaussianHMM(model), trainWindow: 300, refitEvery: 200, window: 'expanding' });
    expect(expanding.folds.map((f) => [f.trainStart, f.trainEnd, f.testEnd])).toEqual([
      [1, 301, 501],
      [1, 501, 701],
      [1, 701, 900],
    ]);
  });

  it('takes several feature columns with a leading warm-up', () => {
    const features = { logReturn: logReturns(bars), volatility: realizedVolatility(bars, { window: 10 }) };
    const result = walkForwardRegimes({ bars, features, model: { ...model, covariance: 'full' }, trainWindow: 300, refitEvery: 100 });
    expect(result.firstUsableRow).toBe(10);
    expect(result.warmup).toBe(310);
    expect(result.features).toEqual(['logReturn', 'volatility']);
    expect(result.folds[0]!.params.covariances).toHaveLength(2);
  });

  it('rejects bad options and data before fitting', () => {
    expectCode(() => walkForwardRegimes({ bars, model: { states: 1 }, trainWindow: 300, refitEvery: 50 }), 'INVALID_CONFIG', /states/);
    expectCode(() => walkForwardRegimes({ bars, model, trainWindow: 1, refitEvery: 50 }), 'INVALID_CONFIG', /trainWindow/);
    expectCode(() => walkForwardRegimes({ bars, model: { states: 3 }, trainWindow: 2, refitEvery: 5 }), 'INVALID_CONFIG', /at least the number of states/);
    expectCode(() => walkForwardRegimes({ bars, model, trainWindow: 300, refitEvery: 0 }), 'INVALID_CONFIG', /refitEvery/);
    expectCode(() => walkForwardRegimes({ bars, model, trainWindow: 300, refitEvery: 5, windows: 'x' } as never), 'INVALID_CONFIG', /windows/);
    expectCode(() => walkForwardRegimes({ bars, model, trainWindow: 899, refitEvery: 5 }), 'INVALID_DATA', /899 usable row/);
    const gap = logReturns(bars);
    gap[500] = Number.NaN;
    expectCode(() => walkForwardRegimes({ bars, features: { r: gap }, model, trainWindow: 300, refitEvery: 50 }), 'INVALID_DATA', /features.r\[500\]/);
    expectCode(() => walkForwardRegimes({ bars, features: { r: [1, 2] }, model, trainWindow: 300, refitEvery: 50 }), 'INVALID_DATA', /900 numbers/);
    expectCode(() => walkForwardRegimes({ bars, features: {}, model, trainWindow: 300, refitEvery: 50 }), 'INVALID_DATA', /at least one column/);
  });

  it('names the fold when a fit fails (a constant training window)', () => {
    const r = logReturns(bars);
    const flat = Float64Array.from(r, (v, t) => (t === 0 ? Number.NaN : t < 320 ? 0 : v));
    expectCode(() => walkForwardRegimes({ bars, features: { r: flat }, model, trainWindow: 300, refitEvery: 50 }), 'INVALID_DATA', /fold 0 \(training rows 1\.\.300\).*constant/);
  });
});
