import { catchAlgoTradingRejection, createSeededRandom, type FeatureMatrix } from '@algo-trading/core';
import { deflatedSharpeRatio } from '@algo-trading/metrics';
import { describe, expect, it } from 'vitest';
import { ColumnModel } from '../../test/fixtures';
import { MLPredictionStrategy } from '../strategy/ml-prediction-strategy';
import { ThresholdOptimizer } from './threshold-optimizer';

const N = Number.NaN;

/** A straightforward re-implementation of the evaluation, independent of the package code. */
function referenceRow(p: readonly number[], r: readonly number[], threshold: number, costs: number) {
  const n = p.length;
  const out: number[] = [0];
  let pos = 0;
  let trades = 0;
  for (let t = 0; t < n - 1; t++) {
    const s = p[t]! >= threshold - 1e-12 ? 1 : 1 - p[t]! >= threshold - 1e-12 ? -1 : 0;
    const next = s === 1 ? 1 : s === -1 ? 0 : pos;
    const cost = Math.abs(next - pos) * costs;
    if (next === 1 && pos === 0) trades++;
    pos = next;
    out.push(pos * r[t + 1]! - cost);
  }
  const mean = out.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(out.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const total = out.reduce((g, x) => g * (1 + x), 1) - 1;
  return { out, trades, sharpe: (mean / sd) * Math.sqrt(252), total };
}

describe('ThresholdOptimizer.gridSearch', () => {
  it('hand-computed small table', async () => {
    const strategy = new MLPredictionStrategy({ model: new ColumnModel() });
    const result = await ThresholdOptimizer.gridSearch({
      strategy,
      data: { p: [0.8, 0.4, 0.3, 0.8, 0.6, 0.5] },
      returns: [N, 0.02, -0.01, 0.03, 0.01, -0.02],
      thresholdRange: [0.55, 0.85],
      step: 0.15,
      metric: 'total_return',
      minTrades: 2,
    });
    expect(result.trials).toBe(3);
    const byThreshold = new Map(result.rows.map((r) => [r.threshold, r]));
    // 0.55: signals [1,-1,-1,1,1,0]: long t0, flat t1..t2, long t3..: returns [0, .02, 0, 0, .01, -.02]
    expect(byThreshold.get(0.55)!.totalReturn).toBeCloseTo(1.02 * 1.01 * 0.98 - 1, 14);
    expect(byThreshold.get(0.55)!.trades).toBe(2);
    // 0.7: signals [1,0,-1,1,0,0]: returns [0, .02, -.01, 0, .01, -.02]
    expect(byThreshold.get(0.7)!.totalReturn).toBeCloseTo(1.02 * 0.99 * 1.01 * 0.98 - 1, 14);
    expect(byThreshold.get(0.7)!.buySignals).toBe(2);
    expect(byThreshold.get(0.7)!.sellSignals).toBe(1);
    // 0.85: nothing reaches it -> no trades, flagged
    expect(byThreshold.get(0.85)!.trades).toBe(0);
    expect(byThreshold.get(0.85)!.totalReturn).toBe(0);
    expect(byThreshold.get(0.85)!.tooFewTrades).toBe(true);
    expect(result.rows.map((r) => r.threshold)).toEqual([0.55, 0.85, 0.7]); // 0.0096 > 0 > -0.0005
    expect(result.best?.threshold).toBe(0.55);
  });

  it('matches an independent implementation on a synthetic model with known probabilities', async () => {
    const rng = createSeededRandom(17);
    const n = 1500;
    const r: number[] = [N];
    for (let t = 1; t < n; t++) r.push(0.01 * rng.normal());
    // the model knows the sign of the next return, with a confidence that is right 70% of the time
    const p: number[] = [];
    for (let t = 0; t < n; t++) {
      const up = t + 1 < n && r[t + 1]! > 0;
      const right = rng.next() < 0.7;
      const conf = 0.5 + 0.5 * rng.next();
      p.push(up === right ? conf : 1 - conf);
    }
    let calls = 0;
    const model = {
      predictProba: (X: FeatureMatrix) => {
        calls++;
        return X.map((row) => row[0]!);
      },
    };
    const strategy = new MLPredictionStrategy({ model });
    const costs = 0.0005;
    const result = await ThresholdOptimizer.gridSearch({ strategy, data: { p }, returns: r, costs, minTrades: 30 });
    expect(calls).toBe(1); // probabilities computed once for 9 thresholds
    expect(result.trials).toBe(9);
    expect(result.rows).toHaveLength(9);
    for (const row of result.rows) {
      const ref = referenceRow(p, r, row.threshold, costs);
      expect(row.sharpe).toBeCloseTo(ref.sharpe, 9);
      expect(row.totalReturn).toBeCloseTo(ref.total, 9);
      expect(row.trades).toBe(ref.trades);
      expect(row.tooFewTrades).toBe(ref.trades < 30);
      expect(row.tradeFrequency).toBeCloseTo(ref.trades / n, 12);
    }
    for (let i = 1; i < result.rows.length; i++) {
      expect(result.rows[i - 1]!.sharpe).toBeGreaterThanOrEqual(result.rows[i]!.sharpe);
    }
    expect(result.rows[0]!.sharpe).toBeGreaterThan(1); // a 70%-right model earns money
    const best = result.best!;
    expect(best.tooFewTrades).toBe(false);
    // the deflated Sharpe ratio of the best row given 9 trials
    const sharpes = result.rows.map((x) => x.sharpe);
    const mean = sharpes.reduce((a, b) => a + b, 0) / sharpes.length;
    const variance = sharpes.reduce((a, b) => a + (b - mean) ** 2, 0) / (sharpes.length - 1);
    const dsr = deflatedSharpeRatio(referenceRow(p, r, best.threshold, costs).out, { trials: 9, sharpeVariance: variance });
    expect(result.deflatedSharpe).toBeCloseTo(dsr, 9);
    expect(result.deflatedSharpe).toBeGreaterThan(0);
    expect(result.deflatedSharpe).toBeLessThanOrEqual(1);
  });

  it('accepts precomputed probabilities and reports no best row when every row has too few trades', async () => {
    const result = await ThresholdOptimizer.gridSearch({
      probabilities: [0.5, 0.5, 0.5],
      returns: [N, 0.01, 0.01],
      thresholdRange: [0.6, 0.7],
      step: 0.1,
    });
    expect(result.best).toBeUndefined();
    expect(result.deflatedSharpe).toBeNaN();
    expect(result.rows.every((r) => r.tooFewTrades && r.trades === 0)).toBe(true);
  });

  it('rejects bad options and misaligned returns', async () => {
    const strategy = new MLPredictionStrategy({ model: new ColumnModel() });
    expect((await catchAlgoTradingRejection(ThresholdOptimizer.gridSearch({ strategy, returns: [N] } as never), 'INVALID_CONFIG')).message).toContain('strategy');
    expect((await catchAlgoTradingRejection(ThresholdOptimizer.gridSearch({ strategy, data: { p: [0.5] }, returns: [N], metric: 'sortino' as never }), 'INVALID_CONFIG')).message).toContain('metric');
    expect((await catchAlgoTradingRejection(ThresholdOptimizer.gridSearch({ strategy, data: { p: [0.5, 0.6] }, returns: [N] }), 'INVALID_DATA')).message).toContain('returns has 1 values');
    expect((await catchAlgoTradingRejection(ThresholdOptimizer.gridSearch({ strategy, data: { p: [0.5] }, returns: [N], thresholdRange: [0.9, 0.6] }), 'INVALID_CONFIG')).message).toContain('low <= high');
  });
});

describe('ThresholdOptimizer.walkForward', () => {
  // rows 0..57; column p is the probability the ColumnModel returns; column idx identifies rows
  const n = 58;
  const idx = Array.from({ length: n }, (_, i) => i);

  it('fits on the fit part only, chooses the threshold on the validation tail, predicts the test window', async () => {
    // validation tails favour threshold 0.8 (0.6-confidence signals lose there); the test windows would favour 0.6
    const p = new Array<number>(n).fill(0.5);
    const r = new Array<number>(n).fill(0);
    r[0] = N;
    const labels = idx.map((i) => (i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : N));
    const models: ColumnModel[] = [];
    const progress: number[] = [];
    // fold k: train [10k, 10k + 20), embargo 2, test [10k + 22, 10k + 30)
    for (let k = 0; k < 3; k++) {
      const v = 10 * k + 16; // validation tail is [10k + 16, 10k + 20) with validationFraction 0.2
      p[v] = 0.65; // weak BUY then a loss
      r[v + 1] = -0.05;
      p[v + 2] = 0.85; // strong BUY then a gain
      r[v + 3] = 0.04;
      p[v + 3] = 0.1; // exit
    }
    const result = await ThresholdOptimizer.walkForward({
      modelFactory: () => {
        const m = new ColumnModel(0);
        models.push(m);
        return m;
      },
      features: { p, idx },
      labels,
      returns: r,
      splits: { trainSize: 20, testSize: 8, step: 10, embargo: 2 },
      thresholdRange: [0.6, 0.8],
      step: 0.2,
      metric: 'total_return',
      minTrades: 1,
      onProgress: (x) => progress.push(x.completed),
    });
    expect(result.folds).toHaveLength(3);
    expect(progress).toEqual([1, 2, 3]);
    result.folds.forEach((fold, k) => {
      expect(fold.split).toEqual({ fold: k, trainStart: 10 * k, trainEnd: 10 * k + 20, testStart: 10 * k + 22, testEnd: 10 * k + 30 });
      expect(fold.validationStart).toBe(10 * k + 16);
      expect(fold.fitEnd).toBe(10 * k + 14); // validation start - embargo
      expect(fold.threshold).toBe(0.8);
      expect(fold.thresholdSource).toBe('validation');
      // the model was fitted only on rows of [trainStart, fitEnd) with a finite label
      const fitted = models[k]!.fitted[0]!;
      const rows = fitted.X.map((row) => row[1]!);
      for (const row of rows) {
        expect(row).toBeGreaterThanOrEqual(10 * k);
        expect(row).toBeLessThan(10 * k + 14);
        expect(Number.isFinite(labels[row]!)).toBe(true);
      }
      expect(fold.trainedRows).toBe(rows.length);
      // it predicted the validation tail through the end of the test window, nothing later
      const seen = models[k]!.seen[0]!.map((row) => row[1]!);
      expect(Math.min(...seen)).toBe(10 * k + 16);
      expect(Math.max(...seen)).toBe(10 * k + 29);
    });
    // outside the test windows: HOLD, NaN confidence, NaN returns
    for (let i = 0; i < n; i++) {
      const inTest = (i >= 22 && i < 30) || (i >= 32 && i < 40) || (i >= 42 && i < 50);
      expect(result.testMask[i]).toBe(inTest ? 1 : 0);
      if (!inTest) {
        expect(result.signals[i]).toBe(0);
        expect(result.confidences[i]).toBeNaN();
        expect(result.strategyReturns[i]).toBeNaN();
      }
    }
  });

  it('overall metrics are those of the concatenated test windows; accuracy counts labelled predictions', async () => {
    const rng = createSeededRandom(5);
    const m = 400;
    const p = Array.from({ length: m }, () => rng.next());
    const r = [N, ...Array.from({ length: m - 1 }, () => 0.01 * rng.normal())];
    const labels = Array.from({ length: m }, (_, i) => (i === m - 1 ? N : r[i + 1]! > 0 ? 1 : 0));
    const strategy = new MLPredictionStrategy({ model: new ColumnModel(), confidenceThreshold: 0.6 });
    const result = await ThresholdOptimizer.walkForward({
      strategy,
      features: { p },
      labels,
      returns: r,
      splits: { trainSize: 100, testSize: 50, embargo: 1 },
      validationFraction: 0,
    });
    expect(result.folds.map((f) => f.threshold)).toEqual(new Array(result.folds.length).fill(0.6));
    expect(result.folds.every((f) => f.thresholdSource === 'default' && f.trainedRows === 0)).toBe(true);
    let correct = 0;
    let labelled = 0;
    const oos: number[] = [];
    for (const f of result.folds) {
      for (let i = f.split.testStart; i < f.split.testEnd; i++) {
        oos.push(result.strategyReturns[i]!);
        if (Number.isFinite(labels[i]!)) {
          labelled++;
          if ((p[i]! >= 0.5 ? 1 : 0) === labels[i]) correct++;
        }
      }
      expect(result.strategyReturns[f.split.testStart]).toBe(0); // each window starts flat
    }
    expect(result.overall.testRows).toBe(oos.length);
    expect(result.overall.labelledRows).toBe(labelled);
    expect(result.overall.accuracy).toBeCloseTo(correct / labelled, 14);
    expect(result.overall.totalReturn).toBeCloseTo(oos.reduce((g, x) => g * (1 + x), 1) - 1, 12);
    expect(result.overall.trades).toBe(result.folds.reduce((s, f) => s + f.test.trades, 0));
  });

  it('rejects overlapping test windows, a missing model source and misaligned labels; honours abort', async () => {
    const strategy = new MLPredictionStrategy({ model: new ColumnModel() });
    const base = { features: { p: new Array(50).fill(0.5) }, labels: new Array(50).fill(1), returns: new Array(50).fill(0) };
    expect((await catchAlgoTradingRejection(ThresholdOptimizer.walkForward({ ...base, strategy, splits: { trainSize: 10, testSize: 10, step: 5 } }), 'INVALID_CONFIG')).message).toContain('without overlap');
    expect((await catchAlgoTradingRejection(ThresholdOptimizer.walkForward({ ...base, splits: { trainSize: 10, testSize: 10 } }), 'INVALID_CONFIG')).message).toContain('modelFactory');
    expect((await catchAlgoTradingRejection(ThresholdOptimizer.walkForward({ ...base, strategy, labels: [1], splits: { trainSize: 10, testSize: 10 } }), 'INVALID_DATA')).message).toContain('labels has 1 values');
    const controller = new AbortController();
    controller.abort();
    expect((await catchAlgoTradingRejection(ThresholdOptimizer.walkForward({ ...base, strategy, splits: { trainSize: 10, testSize: 10 }, signal: controller.signal }), 'ABORTED')).message).toContain('fold 0');
    expect((await catchAlgoTradingRejection(ThresholdOptimizer.walkForward({
        ...base,
        labels: new Array(50).fill(N),
        modelFactory: () => new ColumnModel(),
        splits: { trainSize: 10, testSize: 10 },
      }), 'INVALID_DATA')).message).toContain('fold 0');
  });

  it('disposes every fold model, after success and when training fails', async () => {
    class DisposableModel extends ColumnModel {
      disposed = 0;
      constructor(private readonly failFit: boolean) {
        super(0);
      }
      override fit(X: FeatureMatrix, y: ArrayLike<number>): void {
        if (this.failFit) throw new Error('fit failed');
        super.fit(X, y);
      }
      dispose(): void {
        this.disposed++;
      }
    }
    const n = 60;
    const p = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0.8 : 0.3));
    const labels = Array.from({ length: n }, (_, i) => i % 2);
    const returns = Array.from({ length: n }, (_, i) => (i === 0 ? N : 0.001 * ((i % 5) - 2)));
    const made: DisposableModel[] = [];
    const options = {
      features: { p },
      labels,
      returns,
      splits: { trainSize: 20, testSize: 10 },
      thresholdRange: [0.6, 0.8] as [number, number],
      step: 0.2,
      minTrades: 0,
    };
    const ok = await ThresholdOptimizer.walkForward({ ...options, modelFactory: () => (made.push(new DisposableModel(false)), made.at(-1)!) });
    expect(ok.folds).toHaveLength(4);
    expect(made.map((m) => m.disposed)).toEqual([1, 1, 1, 1]);
    const failing: DisposableModel[] = [];
    const failed = await catchAlgoTradingRejection(
      ThresholdOptimizer.walkForward({ ...options, modelFactory: () => (failing.push(new DisposableModel(true)), failing.at(-1)!) }),
      'INVALID_DATA',
    );
    expect(failed.message).toContain('fit failed');
    expect(failing.map((m) => m.disposed)).toEqual([1]);
  });
});
