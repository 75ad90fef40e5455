import { AlgoTradingError, describeValue } from '@algo-trading/core';

/**
 * Observations of a model, rows = time: one feature as `number[]` / `Float64Array`, or several as
 * an array of rows (`number[][]`, `Float64Array[]`), each row holding one value per feature.
 */
export type ObservationInput = ArrayLike<number> | readonly ArrayLike<number>[];

/** Observations read into one row-major buffer (internal). */
export interface Observations {
  /** `rows x dims` values, row-major. */
  readonly data: Float64Array;
  readonly rows: number;
  readonly dims: number;
}

/**
 * Largest magnitude accepted for an observation. Squared deviations of larger values overflow
 * double precision; no market feature comes near it (rescale the feature if one does).
 */
export const MAX_OBSERVATION_MAGNITUDE = 1e100;

function badData(field: string, message: string, details: Record<string, unknown>): never {
  throw new AlgoTradingError('INVALID_DATA', `${field} ${message}`, { details: { field, ...details } });
}

/** Throws INVALID_DATA unless `value` is a finite number of a sane magnitude. */
export function requireObservation(field: string, index: number, feature: number, dims: number, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > MAX_OBSERVATION_MAGNITUDE) {
    const where = dims === 1 ? `[${index}]` : `[${index}][${feature}]`;
    badData(`${field}${where}`, `must be a finite number with |x| <= 1e100, got ${describeValue(value)}`, { index, value, feature });
  }
  return value;
}

function isRowArray(input: ArrayLike<unknown>): boolean {
  if (ArrayBuffer.isView(input)) return false;
  const first = input[0];
  return typeof first === 'object' && first !== null;
}

/**
 * Reads observations into a row-major buffer, checking that every value is finite. A
 * `Float64Array` of one feature is used without a copy. `dims`, when given, is the number of
 * features the caller expects.
 *
 * @throws AlgoTradingError `INVALID_DATA` for an empty input, rows of different widths, or a
 * non-finite value (naming its row and feature); `INVALID_ARGUMENT` when the width differs from `dims`.
 */
export function readObservations(input: ObservationInput, field = 'X', dims?: number): Observations {
  if (typeof input !== 'object' || input === null || typeof (input as ArrayLike<unknown>).length !== 'number') {
    throw new AlgoTradingError('INVALID_DATA', `${field} must be an array of numbers or an array of rows, got ${describeValue(input)}`, {
      details: { field, value: input },
    });
  }
  const rows = input.length;
  if (rows === 0) badData(field, 'must hold at least one observation, got an empty array', { value: input });
  let out: Observations;
  if (!isRowArray(input as ArrayLike<unknown>)) {
    const values = input as ArrayLike<number>;
    for (let t = 0; t < rows; t++) requireObservation(field, t, 0, 1, values[t]);
    out = { data: values instanceof Float64Array ? values : Float64Array.from(values), rows, dims: 1 };
  } else {
    const rowsIn = input as readonly ArrayLike<number>[];
    const width = rowsIn[0]!.length;
    if (!(width >= 1)) badData(`${field}[0]`, `must hold at least one feature, got ${describeValue(rowsIn[0])}`, { index: 0 });
    const data = new Float64Array(rows * width);
    for (let t = 0; t < rows; t++) {
      const row = rowsIn[t];
      if (typeof row !== 'object' || row === null || row.length !== width) {
        badData(`${field}[${t}]`, `must be a row of ${width} numbers like row 0, got ${describeValue(row)}`, { index: t, value: row });
      }
      for (let j = 0; j < width; j++) data[t * width + j] = requireObservation(field, t, j, width, row[j]);
    }
    out = { data, rows, dims: width };
  }
  if (dims !== undefined && out.dims !== dims) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `${field} has ${out.dims} feature(s) per row but the model has ${dims}`, {
      details: { field, value: out.dims, expected: dims },
    });
  }
  return out;
}

/** Mean and population variance of each feature (two passes). */
export function featureMoments(obs: Observations): { mean: Float64Array; variance: Float64Array } {
  const { data, rows, dims } = obs;
  const mean = new Float64Array(dims);
  const variance = new Float64Array(dims);
  for (let t = 0; t < rows; t++) for (let j = 0; j < dims; j++) mean[j]! += data[t * dims + j]!;
  for (let j = 0; j < dims; j++) mean[j]! /= rows;
  for (let t = 0; t < rows; t++) {
    for (let j = 0; j < dims; j++) {
      const d = data[t * dims + j]! - mean[j]!;
      variance[j]! += d * d;
    }
  }
  for (let j = 0; j < dims; j++) variance[j]! /= rows;
  return { mean, variance };
}

/**
 * Throws INVALID_DATA when a feature takes a single value over all rows: a Gaussian state cannot
 * be fitted to it (its variance is 0 in every state).
 */
export function requireVaryingFeatures(obs: Observations, field = 'X'): void {
  const { data, rows, dims } = obs;
  for (let j = 0; j < dims; j++) {
    const first = data[j]!;
    let varies = false;
    for (let t = 1; t < rows && !varies; t++) varies = data[t * dims + j]! !== first;
    if (!varies) {
      const name = dims === 1 ? field : `${field} feature ${j}`;
      badData(name, `is constant (every one of its ${rows} values is ${first}): a Gaussian HMM cannot be fitted to a constant feature; drop it`, {
        feature: j,
        value: first,
      });
    }
  }
}
