import { catchAlgoTradingError, createSeededRandom } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { LogisticRegression } from './logistic-regression';

function dataset(n: number, seed: number): { X: number[][]; y: number[] } {
  // y = 1 when 2 x0 - x1 + noise > 0.5; x2 is pure noise on a very different scale
  const rng = createSeededRandom(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x0 = rng.normal();
    const x1 = rng.normal();
    const x2 = 1000 + 500 * rng.normal();
    X.push([x0, x1, x2]);
    y.push(2 * x0 - x1 + 0.3 * rng.normal() > 0.5 ? 1 : 0);
  }
  return { X, y };
}

describe('LogisticRegression', () => {
  it('learns a linear rule: high accuracy, coefficient signs and ratio recovered', () => {
    const train = dataset(2000, 1);
    const test = dataset(1000, 2);
    const model = new LogisticRegression({ epochs: 500 });
    model.fit(train.X, train.y);
    const p = model.predictProba(test.X);
    let correct = 0;
    for (let i = 0; i < p.length; i++) correct += (p[i]! >= 0.5 ? 1 : 0) === test.y[i] ? 1 : 0;
    expect(correct / p.length).toBeGreaterThan(0.93);
    const { weights } = model.state;
    expect(weights[0]).toBeGreaterThan(0);
    expect(weights[1]).toBeLessThan(0);
    expect(weights[0]! / -weights[1]!).toBeGreaterThan(1.6);
    expect(weights[0]! / -weights[1]!).toBeLessThan(2.5);
    expect(Math.abs(weights[2]!)).toBeLessThan(0.01 * Math.abs(weights[0]!));
  });

  it('probabilities are in (0, 1) and match the reported parameters in the original space', () => {
    const { X, y } = dataset(300, 3);
    const model = new LogisticRegression();
    model.fit(X, y);
    const p = model.predictProba(X);
    const { weights, intercept } = model.state;
    for (let i = 0; i < 20; i++) {
      const z = intercept + weights.reduce((s, w, c) => s + w * X[i]![c]!, 0);
      expect(p[i]).toBeCloseTo(1 / (1 + Math.exp(-z)), 9);
      expect(p[i]! > 0 && p[i]! < 1).toBe(true);
    }
  });

  it('with balanced noise labels the intercept-only fit predicts ~ the base rate', () => {
    const X = Array.from({ length: 400 }, () => [1]);
    const y = Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const model = new LogisticRegression({ epochs: 2000, tolerance: 0 });
    model.fit(X, y);
    expect(model.predictProba([[1]])[0]).toBeCloseTo(0.25, 3);
  });

  it('is deterministic for a seed, including seeded mini-batches', () => {
    const { X, y } = dataset(500, 4);
    const a = new LogisticRegression({ batchSize: 32, epochs: 20, seed: 9 });
    const b = new LogisticRegression({ batchSize: 32, epochs: 20, seed: 9 });
    const c = new LogisticRegression({ batchSize: 32, epochs: 20, seed: 10 });
    a.fit(X, y);
    b.fit(X, y);
    c.fit(X, y);
    expect(Array.from(a.predictProba(X))).toEqual(Array.from(b.predictProba(X)));
    expect(Array.from(a.predictProba(X))).not.toEqual(Array.from(c.predictProba(X)));
  });

  it('reports epochs, stops early when converged, and honours abort', () => {
    const { X, y } = dataset(200, 5);
    const epochs: number[] = [];
    const model = new LogisticRegression({ epochs: 5000, tolerance: 1e-6 });
    model.fit(X, y, { onEpochEnd: (e, logs) => epochs.push(e + (logs.loss! > 0 ? 0 : NaN)) });
    expect(model.state.epochsRun).toBe(epochs.length);
    expect(model.state.epochsRun).toBeLessThan(5000);
    const controller = new AbortController();
    controller.abort();
    expect(catchAlgoTradingError(() => new LogisticRegression().fit(X, y, { signal: controller.signal }), 'ABORTED').message).toContain('aborted');
  });

  it('rejects bad input naming the row and value', () => {
    const model = new LogisticRegression();
    expect(catchAlgoTradingError(() => model.predictProba([[1]]), 'INVALID_STATE').message).toContain('not fitted');
    expect(catchAlgoTradingError(() => model.fit([[1], [Number.NaN]], [0, 1]), 'INVALID_DATA').message).toContain('X[1][0]');
    expect(catchAlgoTradingError(() => model.fit([[1], [2]], [0, 2]), 'INVALID_DATA').message).toContain('y[1]');
    expect(catchAlgoTradingError(() => model.fit([[1], [2]], [0]), 'INVALID_DATA').message).toContain('y must have one label per row');
    expect(catchAlgoTradingError(() => model.fit([[1], [2, 3]], [0, 1]), 'INVALID_DATA').message).toContain('X[1]');
    expect(catchAlgoTradingError(() => model.fit([], []), 'INVALID_DATA').message).toContain('no rows');
    model.fit([[1], [2]], [0, 1]);
    expect(catchAlgoTradingError(() => model.predictProba([[1, 2]]), 'INVALID_DATA').message).toContain('X[0]');
    expect(catchAlgoTradingError(() => new LogisticRegression({ l2: -1 }), 'INVALID_CONFIG').message).toContain('l2');
    expect(catchAlgoTradingError(() => new LogisticRegression({ epoch: 3 } as never), 'INVALID_CONFIG').message).toContain('epoch');
  });
});
