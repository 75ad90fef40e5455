import { AlgoTradingError, describeValue } from '@algo-trading/core';
import { isDataFrameLike, type DataFrameLike } from '@algo-trading/data';
import { isFeatureFrame, readColumns, toColumn, type FeatureFrame } from './feature-frame';

// The duck-typed danfojs DataFrame of @algo-trading/data (danfojs stays an optional peer).
export { isDataFrameLike, type DataFrameLike };

/** What the strategy accepts as features: a {@link FeatureFrame}, a record of columns, or a danfojs DataFrame. */
export type FeatureInput = FeatureFrame | Readonly<Record<string, ArrayLike<number>>> | DataFrameLike;

/** Features resolved to plain columns. */
export interface ResolvedFeatures {
  readonly columns: readonly string[];
  /** One array per column, same order as `columns`. */
  readonly data: readonly Float64Array[];
  readonly length: number;
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
  const record = input as Readonly<Record<string, unknown>>;
  const names = columns ?? Object.keys(record);
  return { columns: names, ...readColumns(record, names, missing, false) };
}
