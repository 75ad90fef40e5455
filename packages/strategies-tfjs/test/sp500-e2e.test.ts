import { BacktestEngine } from '@algo-trading/backtesting';
import { loadSampleBars } from '@algo-trading/data';
import { RiskManager } from '@algo-trading/risk';
import { ConfidenceBasedSizing } from '@algo-trading/sizing';
import { ThresholdOptimizer, buildFeatures, closeToCloseReturns, directionLabels, type WalkForwardProgress } from '@algo-trading/strategies';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectBackend, TfjsClassifier } from '../src/index';

/**
 * End to end on the real S&P 500 daily sample (vega-datasets, 2000-01-03 .. 2020-04-17):
 * features -> walk-forward training of TfjsClassifier (one model per fold, threshold chosen on a
 * validation tail, test windows strictly out of sample) -> signals -> a backtest through the
 * engine with the risk manager and confidence-based sizing. Small model, few epochs: well under
 * a minute on the wasm backend.
 */
describe('S&P 500 end to end with TfjsClassifier', () => {
  it('walk-forward trains, predicts out of sample and backtests through risk and sizing', { timeout: 120_000 }, async () => {
    await selectBackend();
    const bars = await loadSampleBars('sp500');
    expect(bars.length).toBeGreaterThan(5000);
    const features = buildFeatures(bars);
    const labels = directionLabels(bars, { horizon: 1 });
    const returns = closeToCloseReturns(bars);

    const baseline = tf.memory().numTensors;
    const models: TfjsClassifier[] = [];
    const progress: WalkForwardProgress[] = [];
    const wf = await ThresholdOptimizer.walkForward({
      modelFactory: (fold) => {
        const model = new TfjsClassifier({ hiddenUnits: [16, 8], dropout: 0.1, epochs: 8, batchSize: 128, learningRate: 2e-3, validationSplit: 0.2, earlyStoppingPatience: 3, seed: 1000 + fold });
        models.push(model);
        return model;
      },
      features,
      labels,
      returns,
      splits: { trainSize: 1000, testSize: 500, embargo: 1 },
      thresholdRange: [0.5, 0.6],
      step: 0.02,
      costs: 0.0005,
      onProgress: (p) => progress.push(p),
    });

    // Walk-forward bookkeeping: every fold trained, reported, strictly out of sample.
    expect(wf.folds.length).toBeGreaterThanOrEqual(7);
    expect(progress.map((p) => p.completed)).toEqual(wf.folds.map((_, i) => i + 1));
    expect(models).toHaveLength(wf.folds.length);
    for (const fold of wf.folds) {
      expect(fold.trainedRows).toBeGreaterThan(500);
      expect(fold.fitEnd).toBeLessThanOrEqual(fold.split.testStart - 1);
      expect(fold.threshold).toBeGreaterThanOrEqual(0.5);
    }
    for (const model of models) expect(model.lastFit!.epochsRun).toBeGreaterThan(0);
    const firstTest = wf.folds[0]!.split.testStart;
    for (let t = 0; t < bars.length; t++) {
      if (wf.testMask[t] === 1) continue;
      expect(wf.signals[t]).toBe(0);
      expect(Number.isNaN(wf.probabilities[t]!)).toBe(true);
    }
    let predicted = 0;
    for (let t = firstTest; t < bars.length; t++) {
      const p = wf.probabilities[t]!;
      if (wf.testMask[t] === 1 && Number.isFinite(p)) {
        predicted += 1;
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
    }
    expect(predicted).toBeGreaterThan(3000);
    // Daily direction is close to a coin flip: an honest out-of-sample accuracy stays near 50%.
    expect(wf.overall.accuracy).toBeGreaterThan(0.42);
    expect(wf.overall.accuracy).toBeLessThan(0.6);
    // The overall figure compounds the per-bar out-of-sample returns of every test window.
    let growth = 1;
    for (let t = 0; t < bars.length; t++) if (wf.testMask[t] === 1) growth *= 1 + wf.strategyReturns[t]!;
    expect(Math.abs(wf.overall.totalReturn - (growth - 1))).toBeLessThan(1e-9);

    // walkForward disposes each fold's model after predicting: no tensor growth across folds.
    expect(tf.memory().numTensors).toBe(baseline);
    expect(models.length).toBe(wf.folds.length);

    // Backtest of the out-of-sample signals: next-open fills, costs, risk manager, confidence sizing.
    const initialCapital = 100_000;
    const engine = new BacktestEngine({
      initialCapital,
      riskManager: new RiskManager({ initialCapital, minConfidence: 0.5 }),
      positionSizer: new ConfidenceBasedSizing({ minConfidence: 0.5 }),
      commissionPct: 0.0005,
      slippageBps: 1,
      symbol: 'SPX',
    });
    const results = await engine.runBacktest({ data: bars, signals: wf.signals, confidences: wf.confidences });
    const trades = engine.getTrades();
    expect(results.bars).toBe(bars.length);
    expect(trades.length).toBeGreaterThan(0);
    expect(results.finalEquity).toBe(engine.getEquityCurve().equity[bars.length - 1]);
    expect(results.realizedPnl).toBeCloseTo(trades.reduce((sum, t) => sum + t.pnl, 0), 6);
    // Ledger invariant: final equity - initial capital = realized + unrealized P&L.
    expect(results.finalEquity - initialCapital).toBeCloseTo(results.realizedPnl + results.unrealizedPnl, 4);
    for (const trade of trades) {
      // A position opens the bar after an out-of-sample BUY signal and is sized > 0.
      expect(wf.testMask[trade.entryBarIndex - 1]).toBe(1);
      expect(trade.quantity).toBeGreaterThan(0);
      expect(trade.entryBarIndex).toBeGreaterThan(firstTest);
    }
    const curve = engine.getEquityCurve();
    for (let t = 0; t < curve.cash.length; t++) expect(curve.cash[t]!).toBeGreaterThanOrEqual(0);
  });
});
