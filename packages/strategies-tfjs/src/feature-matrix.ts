import { AlgoTradingError, describeValue, type FeatureMatrix } from '@algo-trading/core';

/** Shape of a validated feature matrix. */
export interface MatrixShape {
  readonly rows: number;
  readonly columns: number;
}

/** How {@link validateFeatureMatrix} treats values. */
export interface MatrixCheck {
  /** Name used in messages (`X`). */
  readonly name: string;
  /** Required column count (the trained model's), or undefined to take it from the first row. */
  readonly columns?: number | undefined;
  /** Whether NaN / +-Infinity are allowed (prediction: such rows get NaN); false for training. */
  readonly allowNonFinite: boolean;
  /** Minimum row count. */
  readonly minRows: number;
}

function rowLength(row: unknown): number | undefined {
  if (Array.isArray(row)) return row.length;
  if (ArrayBuffer.isView(row) && !(row instanceof DataView)) return (row as unknown as ArrayLike<number>).length;
  return undefined;
}

/**
 * Checks a row-major feature matrix: an array of equally long number rows (arrays or typed
 * arrays). Throws `INVALID_DATA` naming the row, the column and the value at fault.
 */
export function validateFeatureMatrix(X: FeatureMatrix, check: MatrixCheck): MatrixShape {
  const { name } = check;
  if (!Array.isArray(X)) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `${name} must be an array of rows (number[][] or Float64Array[]), got ${describeValue(X)}`, {
      details: { field: name, value: X },
    });
  }
  if (X.length < check.minRows) {
    throw new AlgoTradingError('INVALID_DATA', `${name} must have at least ${check.minRows} row(s), got ${X.length}`, {
      details: { field: name, value: X.length },
    });
  }
  const expected = check.columns ?? (X.length > 0 ? rowLength(X[0]) : 0);
  for (let i = 0; i < X.length; i++) {
    const row = X[i] as unknown;
    const length = rowLength(row);
    if (length === undefined) {
      throw new AlgoTradingError('INVALID_DATA', `${name}[${i}] must be an array of numbers, got ${describeValue(row)}`, {
        details: { field: name, index: i, value: row },
      });
    }
    if (length !== expected) {
      const origin = check.columns === undefined ? `the width of ${name}[0]` : 'the feature count the model was trained with';
      throw new AlgoTradingError('INVALID_DATA', `${name}[${i}] has ${length} column(s), expected ${expected} (${origin})`, {
        details: { field: name, index: i, value: length, expected },
      });
    }
    const values = row as ArrayLike<unknown>;
    for (let j = 0; j < length; j++) {
      const v = values[j];
      if (typeof v !== 'number' || (!check.allowNonFinite && !Number.isFinite(v))) {
        throw new AlgoTradingError(
          'INVALID_DATA',
          `${name}[${i}][${j}] must be a finite number, got ${describeValue(v)}`,
          { details: { field: name, index: i, column: j, value: v } },
        );
      }
    }
  }
  if (expected === undefined || expected < 1) {
    throw new AlgoTradingError('INVALID_DATA', `${name} must have at least one column, got ${expected ?? 0}`, {
      details: { field: name, value: expected },
    });
  }
  return { rows: X.length, columns: expected };
}

/**
 * Checks binary labels: `rows` values, each exactly 0 or 1. Returns them as a Uint8Array.
 * Throws `INVALID_DATA` naming the index and the value (NaN labels of the last bars included:
 * drop those rows before fitting).
 */
export function validateLabels(y: ArrayLike<number>, rows: number, name = 'y'): Uint8Array {
  if (y === null || typeof y !== 'object' || typeof (y as { length?: unknown }).length !== 'number') {
    throw new AlgoTradingError('INVALID_ARGUMENT', `${name} must be an array of 0/1 labels, got ${describeValue(y)}`, {
      details: { field: name, value: y },
    });
  }
  if (y.length !== rows) {
    throw new AlgoTradingError('INVALID_DATA', `${name} has ${y.length} label(s) but X has ${rows} row(s)`, {
      details: { field: name, value: y.length, expected: rows },
    });
  }
  const out = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = y[i];
    if (v !== 0 && v !== 1) {
      throw new AlgoTradingError('INVALID_DATA', `${name}[${i}] must be 0 or 1, got ${describeValue(v)}`, {
        details: { field: name, index: i, value: v },
      });
    }
    out[i] = v;
  }
  return out;
}
