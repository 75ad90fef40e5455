import { AlgoTradingError, describeValue, type FeatureMatrix } from '@algo-trading/core';

/**
 * Standardisation parameters, fitted on training rows only and saved with the model:
 * `z = (x - mean) / scale` per column.
 */
export interface ScalerState {
  readonly mean: readonly number[];
  /** Population standard deviation per column; 1 for a constant column. */
  readonly scale: readonly number[];
}

/**
 * Fits a {@link ScalerState} on rows `[0, rowEnd)` of `X` (all finite). Two passes per column
 * (mean, then the mean of squared deviations) for accuracy.
 */
export function fitScaler(X: FeatureMatrix, rowEnd: number, columns: number): ScalerState {
  const mean = new Float64Array(columns);
  const sq = new Float64Array(columns);
  for (let i = 0; i < rowEnd; i++) {
    const row = X[i]!;
    for (let j = 0; j < columns; j++) mean[j]! += row[j]!;
  }
  for (let j = 0; j < columns; j++) mean[j]! /= rowEnd;
  for (let i = 0; i < rowEnd; i++) {
    const row = X[i]!;
    for (let j = 0; j < columns; j++) {
      const d = row[j]! - mean[j]!;
      sq[j]! += d * d;
    }
  }
  const scale = new Array<number>(columns);
  for (let j = 0; j < columns; j++) {
    const sd = Math.sqrt(sq[j]! / rowEnd);
    scale[j] = sd > 0 && Number.isFinite(sd) ? sd : 1;
  }
  return { mean: Array.from(mean), scale };
}

/**
 * Writes standardised rows into `out` (row-major float32, `rows x columns`) and marks each row
 * valid (1) when all its values are finite; invalid rows are written as zeros.
 */
export function standardizeInto(X: FeatureMatrix, scaler: ScalerState, columns: number, out: Float32Array, valid: Uint8Array): void {
  const { mean, scale } = scaler;
  for (let i = 0; i < X.length; i++) {
    const row = X[i]!;
    const base = i * columns;
    let ok = 1;
    for (let j = 0; j < columns; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v)) {
        ok = 0;
        break;
      }
      out[base + j] = (v - mean[j]!) / scale[j]!;
    }
    if (ok === 0) out.fill(0, base, base + columns);
    valid[i] = ok;
  }
}

/** Checks a loaded {@link ScalerState} against the feature count. */
export function checkScaler(state: ScalerState, columns: number, source: string): ScalerState {
  const ok =
    Array.isArray(state.mean) &&
    Array.isArray(state.scale) &&
    state.mean.length === columns &&
    state.scale.length === columns &&
    state.mean.every(Number.isFinite) &&
    state.scale.every((s) => Number.isFinite(s) && s > 0);
  if (!ok) {
    throw new AlgoTradingError('INVALID_DATA', `${source}: scaler must hold ${columns} finite means and positive scales, got ${describeValue(state)}`, {
      details: { field: 'scaler', value: state },
    });
  }
  return state;
}
