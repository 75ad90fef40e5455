import {
  AlgoTradingError,
  createSeededRandom,
  describeValue,
  parseOptions,
  zIntegerAtLeast,
  zNonNegative,
  zPositive,
  type FeatureMatrix,
  type FitOptions,
  type ProbabilisticClassifier,
} from '@algo-trading/core';
import { z } from 'zod';

/** zod schema of {@link LogisticRegressionOptions}. */
export const logisticRegressionSchema = z
  .strictObject({
    l2: zNonNegative().default(1e-3),
    learningRate: zPositive().default(0.5),
    epochs: zIntegerAtLeast(1).default(300),
    batchSize: zIntegerAtLeast(1).optional(),
    tolerance: zNonNegative().default(1e-7),
    seed: zIntegerAtLeast(0).default(42),
  })
  .default({ l2: 1e-3, learningRate: 0.5, epochs: 300, tolerance: 1e-7, seed: 42 });

/** Options of {@link LogisticRegression} (all optional). */
export type LogisticRegressionOptions = z.input<typeof logisticRegressionSchema>;

/** Fitted parameters of a {@link LogisticRegression}, in the original (unstandardised) feature space. */
export interface LogisticRegressionState {
  readonly weights: readonly number[];
  readonly intercept: number;
  /** Column means and standard deviations used for standardisation (fitted on the training rows). */
  readonly means: readonly number[];
  readonly stds: readonly number[];
  /** Epochs actually run (early stop when the loss improves by less than `tolerance`). */
  readonly epochsRun: number;
  /** Final mean log-loss (with the L2 term) on the training rows. */
  readonly loss: number;
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function matrixShape(X: FeatureMatrix, expectedWidth?: number): { rows: number; width: number } {
  if (!Array.isArray(X)) {
    throw new AlgoTradingError('INVALID_DATA', `X must be an array of rows, got ${describeValue(X)}`, { details: { field: 'X', value: X } });
  }
  const rows = X.length;
  const width = expectedWidth ?? (rows > 0 ? (X[0]?.length ?? 0) : 0);
  for (let r = 0; r < rows; r++) {
    const row = X[r];
    if (row === undefined || typeof row.length !== 'number' || row.length !== width) {
      throw new AlgoTradingError('INVALID_DATA', `X[${r}] must be a row of ${width} numbers, got ${describeValue(row)}`, {
        details: { field: 'X', index: r, value: row },
      });
    }
    for (let c = 0; c < width; c++) {
      const v = row[c]!;
      if (!Number.isFinite(v)) {
        throw new AlgoTradingError('INVALID_DATA', `X[${r}][${c}] must be a finite number, got ${describeValue(v)}`, {
          details: { field: 'X', index: r, value: v, column: c },
        });
      }
    }
  }
  return { rows, width };
}

/**
 * A baseline binary classifier in plain TypeScript: logistic regression with L2 regularisation,
 * inputs standardised on the training rows (stored with the model), trained by gradient descent
 * (full batch, or seeded mini-batches with `batchSize`). Deterministic: same data and seed, same
 * model. Implements `ProbabilisticClassifier`, so it plugs into {@link MLPredictionStrategy} and
 * the walk-forward optimizer without TensorFlow.
 *
 * Loss: mean log-loss + (l2 / 2) x |w|^2 (the intercept is not penalised).
 *
 * @example
 * const model = new LogisticRegression({ l2: 1e-3, epochs: 300, seed: 7 });
 * model.fit(X, y);
 * model.predictProba(X); // Float64Array of P(y = 1)
 */
export class LogisticRegression implements ProbabilisticClassifier {
  private readonly options: z.output<typeof logisticRegressionSchema>;
  private fitted: LogisticRegressionState | undefined;
  // standardised-space parameters used by predictProba
  private w: Float64Array = new Float64Array(0);
  private b = 0;

  constructor(options?: LogisticRegressionOptions) {
    this.options = parseOptions(logisticRegressionSchema, options, { what: 'LogisticRegression options' });
  }

  /** True once {@link fit} has run. */
  get isFitted(): boolean {
    return this.fitted !== undefined;
  }

  /** Fitted parameters (original feature space); throws `INVALID_STATE` before {@link fit}. */
  get state(): LogisticRegressionState {
    if (this.fitted === undefined) {
      throw new AlgoTradingError('INVALID_STATE', 'LogisticRegression is not fitted: call fit(X, y) first');
    }
    return this.fitted;
  }

  /**
   * Trains on rows `X` (finite numbers) and labels `y` (0 or 1). Throws `INVALID_DATA` naming the
   * row and value for anything else. Honours `options.onEpochEnd` and `options.signal`.
   */
  fit(X: FeatureMatrix, y: ArrayLike<number>, options?: FitOptions): void {
    const { rows: n, width: d } = matrixShape(X);
    if (n === 0) throw new AlgoTradingError('INVALID_DATA', 'X has no rows: nothing to fit', { details: { field: 'X', value: 0 } });
    if (typeof y !== 'object' || y === null || y.length !== n) {
      throw new AlgoTradingError('INVALID_DATA', `y must have one label per row of X (${n}), got ${describeValue(y)}`, {
        details: { field: 'y', value: y },
      });
    }
    const labels = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const v = y[r]!;
      if (v !== 0 && v !== 1) {
        throw new AlgoTradingError('INVALID_DATA', `y[${r}] must be 0 or 1, got ${describeValue(v)}`, {
          details: { field: 'y', index: r, value: v },
        });
      }
      labels[r] = v;
    }
    const { l2, learningRate, epochs, tolerance, seed } = this.options;
    const batchSize = Math.min(this.options.batchSize ?? n, n);

    // Standardise into one contiguous row-major buffer.
    const means = new Float64Array(d);
    const stds = new Float64Array(d);
    for (let r = 0; r < n; r++) {
      const row = X[r]!;
      for (let c = 0; c < d; c++) means[c] = means[c]! + row[c]!;
    }
    for (let c = 0; c < d; c++) means[c] = means[c]! / n;
    for (let r = 0; r < n; r++) {
      const row = X[r]!;
      for (let c = 0; c < d; c++) stds[c] = stds[c]! + (row[c]! - means[c]!) ** 2;
    }
    for (let c = 0; c < d; c++) {
      const s = Math.sqrt(stds[c]! / n);
      stds[c] = s > 0 ? s : 1; // a constant column standardises to 0
    }
    const Z = new Float64Array(n * d);
    for (let r = 0; r < n; r++) {
      const row = X[r]!;
      for (let c = 0; c < d; c++) Z[r * d + c] = (row[c]! - means[c]!) / stds[c]!;
    }

    const rng = createSeededRandom(seed);
    const w = new Float64Array(d);
    for (let c = 0; c < d; c++) w[c] = (rng.next() - 0.5) * 0.02;
    let b = 0;
    const order = new Int32Array(n);
    for (let r = 0; r < n; r++) order[r] = r;
    const grad = new Float64Array(d);

    const lossOf = (): number => {
      let loss = 0;
      for (let r = 0; r < n; r++) {
        let z = b;
        const off = r * d;
        for (let c = 0; c < d; c++) z += w[c]! * Z[off + c]!;
        // log(1 + exp(-z)) for y = 1, log(1 + exp(z)) for y = 0, computed stably
        const m = labels[r] === 1 ? -z : z;
        loss += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
      }
      let penalty = 0;
      for (let c = 0; c < d; c++) penalty += w[c]! * w[c]!;
      return loss / n + 0.5 * l2 * penalty;
    };

    let previous = lossOf();
    let epochsRun = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      if (options?.signal?.aborted) {
        throw new AlgoTradingError('ABORTED', `LogisticRegression.fit aborted at epoch ${epoch}`, { cause: options.signal.reason });
      }
      if (batchSize < n) rng.shuffle(order);
      for (let start = 0; start < n; start += batchSize) {
        const end = Math.min(start + batchSize, n);
        const m = end - start;
        grad.fill(0);
        let gb = 0;
        for (let k = start; k < end; k++) {
          const r = order[k]!;
          const off = r * d;
          let z = b;
          for (let c = 0; c < d; c++) z += w[c]! * Z[off + c]!;
          const e = sigmoid(z) - labels[r]!;
          gb += e;
          for (let c = 0; c < d; c++) grad[c] = grad[c]! + e * Z[off + c]!;
        }
        for (let c = 0; c < d; c++) w[c] = w[c]! - learningRate * (grad[c]! / m + l2 * w[c]!);
        b -= learningRate * (gb / m);
      }
      epochsRun = epoch + 1;
      const loss = lossOf();
      options?.onEpochEnd?.(epoch, { loss });
      const improved = previous - loss;
      previous = loss;
      if (Math.abs(improved) < tolerance) break;
    }

    this.w = w;
    this.b = b;
    // Report parameters in the original feature space: z = b + sum w_c (x_c - mu_c) / s_c.
    const weights: number[] = [];
    let intercept = b;
    for (let c = 0; c < d; c++) {
      weights.push(w[c]! / stds[c]!);
      intercept -= (w[c]! * means[c]!) / stds[c]!;
    }
    this.fitted = Object.freeze({
      weights: Object.freeze(weights),
      intercept,
      means: Object.freeze(Array.from(means)),
      stds: Object.freeze(Array.from(stds)),
      epochsRun,
      loss: previous,
    });
  }

  /** P(y = 1) per row. Throws `INVALID_STATE` before {@link fit}, `INVALID_DATA` for a bad row. */
  predictProba(X: FeatureMatrix): Float64Array {
    const state = this.state;
    const d = state.means.length;
    const { rows: n } = matrixShape(X, d);
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const row = X[r]!;
      let z = this.b;
      for (let c = 0; c < d; c++) z += (this.w[c]! * (row[c]! - state.means[c]!)) / state.stds[c]!;
      out[r] = sigmoid(z);
    }
    return out;
  }
}
