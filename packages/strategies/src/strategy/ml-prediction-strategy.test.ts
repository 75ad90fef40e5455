import { catchAlgoTradingError, catchAlgoTradingRejection, type FeatureMatrix } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { ColumnModel } from '../../test/fixtures';
import { FeatureFrame } from '../features/feature-frame';
import { MLPredictionStrategy } from './ml-prediction-strategy';

const N = Number.NaN;

describe('MLPredictionStrategy', () => {
  it('turns P(up) into signals with the default threshold 0.55; NaN rows are HOLD and never reach the model', async () => {
    const model = new ColumnModel(0);
    const strategy = new MLPredictionStrategy({ model });
    expect(strategy.confidenceThreshold).toBe(0.55);
    expect(strategy.allowShort).toBe(false);
    const features = { p: [0.9, 0.5, 0.2, N, 0.55, 0.45], other: [1, 1, 1, 1, N, 1] };
    const out = await strategy.generateSignals(features);
    expect(Array.from(out.signals)).toEqual([1, 0, -1, 0, 0, -1]);
    expect(Array.from(out.confidences).map((c) => (Number.isNaN(c) ? 'NaN' : c.toFixed(2)))).toEqual([
      '0.90',
      '0.50',
      '0.80',
      'NaN',
      'NaN',
      '0.55',
    ]);
    expect(Array.from(out.probabilities)).toEqual([0.9, 0.5, 0.2, N, N, 0.45]);
    // the model saw 4 rows, none with a NaN
    expect(model.seen).toHaveLength(1);
    const seen = model.seen[0]!;
    expect(seen).toHaveLength(4);
    for (const row of seen) for (const v of row) expect(Number.isFinite(v)).toBe(true);
  });

  it('a per-call threshold overrides the default; applyThreshold reuses probabilities', async () => {
    const strategy = new MLPredictionStrategy({ model: new ColumnModel(), confidenceThreshold: 0.6 });
    const out = await strategy.generateSignals({ p: [0.58, 0.42] }, { threshold: 0.55 });
    expect(Array.from(out.signals)).toEqual([1, -1]);
    expect(Array.from(strategy.applyThreshold(out.probabilities).signals)).toEqual([0, 0]);
  });

  it('allowShort does not change the signals (it changes how SELL is executed)', async () => {
    const features = { p: [0.9, 0.1, 0.5] };
    const longOnly = await new MLPredictionStrategy({ model: new ColumnModel() }).generateSignals(features);
    const withShort = await new MLPredictionStrategy({ model: new ColumnModel(), allowShort: true }).generateSignals(features);
    expect(Array.from(longOnly.signals)).toEqual([1, -1, 0]);
    expect(Array.from(withShort.signals)).toEqual([1, -1, 0]);
  });

  it('featureColumns select and order the columns the model sees', async () => {
    const model = new ColumnModel(0);
    const strategy = new MLPredictionStrategy({ model, featureColumns: ['b', 'a'] });
    await strategy.generateSignals(FeatureFrame.fromColumns({ a: [0.1, 0.2], b: [0.8, 0.3], c: [N, N] }));
    expect(model.seen[0]!.map((r) => Array.from(r))).toEqual([
      [0.8, 0.1],
      [0.3, 0.2],
    ]);
    expect((await catchAlgoTradingRejection(strategy.generateSignals({ a: [1] }), 'INVALID_ARGUMENT')).message).toContain('"b" is missing');
  });

  it('works with async models', async () => {
    const model = { predictProba: async (X: FeatureMatrix) => X.map(() => 0.8) };
    const out = await new MLPredictionStrategy({ model }).generateSignals({ x: [1, 2] });
    expect(Array.from(out.signals)).toEqual([1, 1]);
  });

  it('every row NaN: all HOLD without calling the model', async () => {
    const model = new ColumnModel();
    const out = await new MLPredictionStrategy({ model }).generateSignals({ x: [N, N] });
    expect(Array.from(out.signals)).toEqual([0, 0]);
    expect(model.seen).toHaveLength(0);
  });

  it('rejects a model output of the wrong length or outside [0, 1], naming the row', async () => {
    const short = new MLPredictionStrategy({ model: { predictProba: () => [0.5] } });
    expect((await catchAlgoTradingRejection(short.generateSignals({ x: [1, 2] }), 'INVALID_DATA')).message).toContain('for 2 rows');
    const bad = new MLPredictionStrategy({ model: { predictProba: () => [0.5, 1.5] } });
    expect((await catchAlgoTradingRejection(bad.generateSignals({ x: [N, 1, 2] }), 'INVALID_DATA')).message).toContain('feature row 2');
    const nan = new MLPredictionStrategy({ model: { predictProba: () => [N] } });
    expect((await catchAlgoTradingRejection(nan.generateSignals({ x: [1] }), 'INVALID_DATA')).message).toContain('NaN');
  });

  it('validates its options naming the key', () => {
    expect(catchAlgoTradingError(() => new MLPredictionStrategy({ model: {} as never }), 'INVALID_CONFIG').message).toContain('model');
    expect(catchAlgoTradingError(() => new MLPredictionStrategy({ model: new ColumnModel(), confidenceThreshold: 0.4 }), 'INVALID_CONFIG').message).toContain('confidenceThreshold');
    expect(catchAlgoTradingError(() => new MLPredictionStrategy({ model: new ColumnModel(), treshold: 0.6 } as never), 'INVALID_CONFIG').message).toContain('treshold');
    expect(catchAlgoTradingError(() => new MLPredictionStrategy({ model: new ColumnModel(), featureColumns: ['a', 'a'] }), 'INVALID_CONFIG').message).toContain('featureColumns');
    expect(catchAlgoTradingError(() => new MLPredictionStrategy({ model: new ColumnModel(), logger: console as never, allowShort: 'yes' as never }), 'INVALID_CONFIG').message).toContain('allowShort');
  });

  it('fit trains on rows with finite features and labels only, and remembers the columns', async () => {
    const model = new ColumnModel();
    const strategy = new MLPredictionStrategy({ model });
    const result = await strategy.fit({ a: [1, 2, N, 4, 5], b: [1, 1, 1, 1, 1] }, [1, 0, 1, N, 1]);
    expect(result).toEqual({ rows: 3, positiveRate: 2 / 3 });
    expect(model.fitted[0]!.X.map((r) => Array.from(r))).toEqual([
      [1, 1],
      [2, 1],
      [5, 1],
    ]);
    expect(model.fitted[0]!.y).toEqual([1, 0, 1]);
    expect(strategy.featureColumns).toEqual(['a', 'b']);
    // later predictions use the fitted column order even if the input lists them differently
    await strategy.generateSignals({ b: [0.1], a: [0.9] });
    expect(Array.from(model.seen[0]![0]!)).toEqual([0.9, 0.1]);
  });

  it('fit honours candidate rows and rejects bad labels or models without fit', async () => {
    const model = new ColumnModel();
    const strategy = new MLPredictionStrategy({ model });
    await strategy.fit({ a: [1, 2, 3, 4] }, [0, 1, 0, 1], { rows: [1, 3] });
    expect(model.fitted[0]!.y).toEqual([1, 1]);
    expect((await catchAlgoTradingRejection(strategy.fit({ a: [1, 2] }, [0, 2]), 'INVALID_DATA')).message).toContain('labels[1]');
    expect((await catchAlgoTradingRejection(strategy.fit({ a: [1, 2] }, [0]), 'INVALID_DATA')).message).toContain('labels');
    expect((await catchAlgoTradingRejection(strategy.fit({ a: [N, 2] }, [0, N]), 'INVALID_DATA')).message).toContain('nothing to train');
    expect((await catchAlgoTradingRejection(strategy.fit({ a: [1, 2] }, [0, 1], { rows: [5] }), 'INVALID_ARGUMENT')).message).toContain('rows[0]');
    const pretrained = new MLPredictionStrategy({ model: { predictProba: () => [] } });
    expect((await catchAlgoTradingRejection(pretrained.fit({ a: [1] }, [1]), 'UNSUPPORTED')).message).toContain('no fit method');
  });

  it('withModel keeps the settings', () => {
    const s = new MLPredictionStrategy({ model: new ColumnModel(), confidenceThreshold: 0.7, allowShort: true, featureColumns: ['x'] });
    const other = new ColumnModel();
    const t = s.withModel(other);
    expect(t.model).toBe(other);
    expect(t.confidenceThreshold).toBe(0.7);
    expect(t.allowShort).toBe(true);
    expect(t.featureColumns).toEqual(['x']);
  });

  it('getSignalStatistics delegates to the statistics function', () => {
    const s = new MLPredictionStrategy({ model: new ColumnModel() }).getSignalStatistics([1, -1, 0, 0]);
    expect(s.buySignals).toBe(1);
    expect(s.sellSignals).toBe(1);
    expect(s.tradeFrequency).toBe(0.5);
  });
});
