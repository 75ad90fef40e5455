import { AlgoTradingError, describeValue } from '@algo-trading/core';
import { isFeatureFrame, toColumn, type FeatureFrame } from './feature-frame';

/**
 * The minimal shape of a danfojs `DataFrame` this package reads (duck-typed, so danfojs stays an
 * optional peer and is never imported): column names and `column(name).values`.
 */
export interface DataFrameLike {
  readonly columns: readonly string[];
  readonly shape: readonly number[];
  column(name: string): { readonly values: ArrayLike<unknown> };
}

/** What the strategy accepts as features: a {@link FeatureFrame}, a record of columns, or a danfojs DataFrame. */
export type FeatureInput = FeatureFrame | Readonly<Record<string, ArrayLike<number>>> | DataFrameLike;

/** Features resolved to plain columns. */
export interface ResolvedFeatures {
  readonly columns: readonly string[];
  /** One array per column, same order as `columns`. */
  readonly data: readonly Float64Array[];
  readonly length: number;
}

/** True when `value` looks like a danfojs DataFrame. */
export function isDataFrameLike(value: unknown): value is DataFrameLike {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<DataFrameLike>;
  return Array.isArray(v.columns) && Array.isArray(v.shape) && typeof v.column === 'function';
}

function missing(name: string, available: readonly string[]): never {
  throw new AlgoTradingError(
    'INVALID_ARGUMENT',
    `feature column ${describeValue(name)} is missing from the features; available columns: ${available.join(', ') || '(none)'}`,
    { details: { field: 'featureColumns', value: name } },
  );
}

/**
 * Resolves any {@link FeatureInput} to `Float64Array` columns, selecting `columns` (default: every
 * column of the input, in its order). Throws `INVALID_ARGUMENT` for a missing column and
 * `INVALID_DATA` for columns of different lengths or non-numeric values. Non-finite numbers are
 * kept (as NaN rows the strategy skips).
 */
export function resolveFeatures(input: FeatureInput, columns?: readonly string[]): ResolvedFeatures {
  if (isFeatureFrame(input)) {
    const names = columns ?? input.columns;
    const data = names.map((name) => {
      if (!input.columns.includes(name)) missing(name, input.columns);
      return input.column(name);
    });
    return { columns: names, data, length: input.length };
  }
  if (isDataFrameLike(input)) {
    const available = input.columns.map(String);
    const names = columns ?? available;
    const data = names.map((name) => {
      if (!available.includes(name)) missing(name, available);
      return toColumn(name, input.column(name).values);
    });
    const length = typeof input.shape[0] === 'number' ? input.shape[0] : (data[0]?.length ?? 0);
    return { columns: names, data, length };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input) || ArrayBuffer.isView(input)) {
    throw new AlgoTradingError(
      'INVALID_ARGUMENT',
      `features must be a FeatureFrame, a record of columns or a danfojs DataFrame, got ${describeValue(input)}`,
      { details: { field: 'features', value: input } },
    );
  }
  const record = input as Readonly<Record<string, ArrayLike<number>>>;
  const available = Object.keys(record);
  const names = columns ?? available;
  const data: Float64Array[] = [];
  let length = -1;
  for (const name of names) {
    const source = Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
    if (source === undefined) missing(name, available);
    const column = source instanceof Float64Array ? source : toColumn(name, source);
    if (length === -1) length = column.length;
    else if (column.length !== length) {
      throw new AlgoTradingError(
        'INVALID_DATA',
        `feature column ${name} has ${column.length} rows but ${names[0]} has ${length}: every column must have the same length`,
        { details: { field: name, value: column.length } },
      );
    }
    data.push(column);
  }
  return { columns: names, data, length: Math.max(length, 0) };
}
