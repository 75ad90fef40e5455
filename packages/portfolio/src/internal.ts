import { AlgoTradingError, describeValue, type AlgoTradingErrorCode } from '@algo-trading/core';

/**
 * Small helpers shared by the modules of this package (internal, not exported from the index).
 */

/** Throws an {@link AlgoTradingError} whose details name the field and value. */
export function fail(code: AlgoTradingErrorCode, field: string, message: string, value?: unknown, extra: Record<string, unknown> = {}): never {
  throw new AlgoTradingError(code, message, { details: { field, ...(value === undefined ? {} : { value }), ...extra } });
}

/** True for an array-like of any values (not a string). */
export function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const length = (value as { length?: unknown }).length;
  return typeof length === 'number' && Number.isInteger(length) && length >= 0;
}

/** Checks a list of symbols: non-empty strings, no duplicates; returns a frozen copy. */
export function readSymbols(symbols: unknown, field = 'symbols'): readonly string[] {
  if (!Array.isArray(symbols) || symbols.length === 0) {
    fail('INVALID_ARGUMENT', field, `${field} must be a non-empty array of symbol names, got ${describeValue(symbols)}`, symbols);
  }
  const seen = new Set<string>();
  for (let i = 0; i < symbols.length; i++) {
    const s: unknown = symbols[i];
    if (typeof s !== 'string' || s.trim() === '') {
      fail('INVALID_ARGUMENT', field, `${field}[${i}] must be a non-empty string, got ${describeValue(s)}`, s, { index: i });
    }
    if (seen.has(s)) fail('INVALID_ARGUMENT', field, `${field}[${i}] ${JSON.stringify(s)} appears twice: symbols must be unique`, s, { index: i });
    seen.add(s);
  }
  return Object.freeze([...(symbols as string[])]);
}

/** Reads a dense row-major matrix given flat (length rows x cols) or as an array of rows. */
export function readDense(
  values: unknown,
  rows: number | undefined,
  cols: number,
  field: string,
  allowNaN: boolean,
): { values: Float64Array; rows: number } {
  if (!isArrayLike(values) || typeof values === 'string') {
    fail('INVALID_ARGUMENT', field, `${field} must be a flat row-major array of numbers or an array of rows, got ${describeValue(values)}`, values);
  }
  const first = values.length > 0 ? values[0] : undefined;
  const nested = isArrayLike(first) && typeof first !== 'string';
  const rowCount = nested ? values.length : rows ?? values.length / cols;
  if (!Number.isInteger(rowCount)) {
    fail('INVALID_DATA', field, `${field} has ${values.length} values, not a multiple of ${cols} columns`, values.length);
  }
  if (!nested && values.length !== rowCount * cols) {
    fail('INVALID_DATA', field, `${field} has ${values.length} values but ${rowCount} x ${cols} = ${rowCount * cols} are needed`, values.length);
  }
  const out = new Float64Array(rowCount * cols);
  const check = (v: unknown, r: number, c: number): number => {
    if (typeof v !== 'number' || v === Infinity || v === -Infinity || (!allowNaN && Number.isNaN(v))) {
      fail(
        'INVALID_DATA',
        field,
        `${field}[${r}][${c}] must be a finite number${allowNaN ? ' or NaN (missing)' : ''}, got ${describeValue(v)}`,
        v,
        { index: r, column: c },
      );
    }
    return v;
  };
  if (nested) {
    for (let r = 0; r < rowCount; r++) {
      const row = values[r];
      if (!isArrayLike(row) || row.length !== cols) {
        fail('INVALID_DATA', field, `${field}[${r}] must be an array of ${cols} numbers (one per symbol), got ${describeValue(row)}`, row, { index: r });
      }
      for (let c = 0; c < cols; c++) out[r * cols + c] = check(row[c], r, c);
    }
  } else {
    for (let k = 0; k < out.length; k++) out[k] = check(values[k], Math.floor(k / cols), k % cols);
  }
  return { values: out, rows: rowCount };
}

/** Reads a vector of finite numbers of the given length. */
export function readVector(values: unknown, length: number, field: string): Float64Array {
  if (!isArrayLike(values) || typeof values === 'string' || values.length !== length) {
    fail('INVALID_ARGUMENT', field, `${field} must be an array of ${length} numbers, got ${describeValue(values)}`, values);
  }
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      fail('INVALID_DATA', field, `${field}[${i}] must be a finite number, got ${describeValue(v)}`, v, { index: i });
    }
    out[i] = v;
  }
  return out;
}

/** ISO date of an epoch-ms time for messages (the raw number when out of range). */
export function formatTime(time: number): string {
  const d = new Date(time);
  return Number.isNaN(d.getTime()) ? String(time) : d.toISOString().slice(0, 10);
}

/** Converts a dense vector to a record keyed by symbol. */
export function toRecord(symbols: readonly string[], values: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < symbols.length; i++) out[symbols[i]!] = values[i]!;
  return out;
}
