import { AlgoTradingError, describeValue } from '@algo-trading/core';

const FEATURE_FRAME_MARKER = Symbol.for('@algo-trading/strategies:FeatureFrame');

/** Options of {@link FeatureFrame.fromColumns}. */
export interface FeatureFrameOptions {
  /** Bar times (epoch ms) aligned with the rows; copied. */
  readonly time?: ArrayLike<number> | undefined;
  /** Column order; default the record's key order. Every name must be a key of the record. */
  readonly columns?: readonly string[] | undefined;
}

function notFound(name: string, available: readonly string[]): never {
  throw new AlgoTradingError(
    'INVALID_ARGUMENT',
    `feature column ${describeValue(name)} does not exist; available columns: ${available.join(', ') || '(none)'}`,
    { details: { field: 'columns', value: name } },
  );
}

/**
 * Named feature columns aligned with bars: one `Float64Array` per feature, NaN where a value is not
 * available yet (indicator warm-up). Columnar, so building and slicing are cheap; {@link toMatrix}
 * produces the row-major matrix a model consumes.
 *
 * @example
 * const frame = FeatureFrame.fromColumns({ a: [1, 2, NaN], b: [4, 5, 6] });
 * frame.finiteRows();          // Int32Array [0, 1]
 * frame.toMatrix([1]);         // [Float64Array [2, 5]]
 */
export class FeatureFrame {
  /** Column names in order. */
  readonly columns: readonly string[];
  /** Column values by name, each of length {@link length}. */
  readonly values: Readonly<Record<string, Float64Array>>;
  /** Bar times aligned with the rows, when known. */
  readonly time: Float64Array | undefined;
  /** Number of rows. */
  readonly length: number;

  private constructor(columns: readonly string[], values: Record<string, Float64Array>, length: number, time: Float64Array | undefined) {
    this.columns = Object.freeze([...columns]);
    this.values = Object.freeze(values);
    this.length = length;
    this.time = time;
    Object.defineProperty(this, FEATURE_FRAME_MARKER, { value: true, enumerable: false });
  }

  /**
   * Wraps `Float64Array` columns without copying (the caller hands them over). Internal fast path
   * of `buildFeatures`; use {@link fromColumns} for anything else.
   */
  static fromOwnedColumns(values: Record<string, Float64Array>, columns: readonly string[], time?: Float64Array): FeatureFrame {
    const length = columns.length === 0 ? (time?.length ?? 0) : values[columns[0]!]!.length;
    return new FeatureFrame(columns, values, length, time);
  }

  /**
   * Builds a frame from a record of number arrays (copied into `Float64Array`s). Throws
   * `INVALID_DATA` when columns differ in length or hold something other than numbers.
   */
  static fromColumns(record: Readonly<Record<string, ArrayLike<number>>>, options: FeatureFrameOptions = {}): FeatureFrame {
    if (typeof record !== 'object' || record === null) {
      throw new AlgoTradingError('INVALID_DATA', `feature columns must be an object of arrays, got ${describeValue(record)}`, {
        details: { field: 'columns', value: record },
      });
    }
    const names = options.columns ?? Object.keys(record);
    const { data, length: rows } = readColumns(record, names, notFound, true);
    const values: Record<string, Float64Array> = {};
    names.forEach((name, k) => (values[name] = data[k]!));
    let length = names.length > 0 ? rows : -1;
    let time: Float64Array | undefined;
    if (options.time !== undefined) {
      time = toColumn('time', options.time);
      if (length !== -1 && time.length !== length) {
        throw new AlgoTradingError('INVALID_DATA', `time has ${time.length} values but the features have ${length} rows`, {
          details: { field: 'time', value: time.length },
        });
      }
      if (length === -1) length = time.length;
    }
    return new FeatureFrame(names, values, Math.max(length, 0), time);
  }

  /** The values of one column; throws `INVALID_ARGUMENT` naming the available columns when missing. */
  column(name: string): Float64Array {
    const values = this.values[name];
    if (values === undefined || !Object.prototype.hasOwnProperty.call(this.values, name)) notFound(name, this.columns);
    return values;
  }

  /** A frame with only `names`, in that order (shares memory). */
  select(names: readonly string[]): FeatureFrame {
    const values: Record<string, Float64Array> = {};
    for (const name of names) values[name] = this.column(name);
    return new FeatureFrame(names, values, this.length, this.time);
  }

  /** Rows `[start, end)` as a frame sharing this one's memory. */
  slice(start = 0, end: number = this.length): FeatureFrame {
    const values: Record<string, Float64Array> = {};
    for (const name of this.columns) values[name] = this.values[name]!.subarray(start, end);
    const time = this.time?.subarray(start, end);
    const length = this.columns.length === 0 ? (time?.length ?? 0) : values[this.columns[0]!]!.length;
    return new FeatureFrame(this.columns, values, length, time);
  }

  /** True when every selected column (default all) is finite at `row`. */
  isRowFinite(row: number, columns: readonly string[] = this.columns): boolean {
    for (const name of columns) {
      if (!Number.isFinite(this.column(name)[row]!)) return false;
    }
    return true;
  }

  /** Indices of the rows where every selected column (default all) is finite, ascending. */
  finiteRows(columns: readonly string[] = this.columns): Int32Array {
    return finiteRowIndices(columns.map((name) => this.column(name)), this.length);
  }

  /**
   * Row-major matrix of the selected rows (default all) and columns (default all): one
   * `Float64Array` per row, all views of a single buffer. The model-facing format
   * (`FeatureMatrix`).
   */
  toMatrix(rows?: ArrayLike<number>, columns: readonly string[] = this.columns): Float64Array[] {
    return rowMatrix(
      columns.map((name) => this.column(name)),
      rows,
      this.length,
    );
  }
}

/** True when `value` is a {@link FeatureFrame} from any copy of this package. */
export function isFeatureFrame(value: unknown): value is FeatureFrame {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[FEATURE_FRAME_MARKER] === true;
}

/**
 * The columns `names` of `record` as `Float64Array`s of one common length (copied when `copy`,
 * else a `Float64Array` is used as it is). `onMissing` reports a name that is not an own key;
 * columns of different lengths or non-numeric values throw `INVALID_DATA`.
 */
export function readColumns(
  record: Readonly<Record<string, unknown>>,
  names: readonly string[],
  onMissing: (name: string, available: readonly string[]) => never,
  copy: boolean,
): { data: Float64Array[]; length: number } {
  const data: Float64Array[] = [];
  let length = -1;
  for (const name of names) {
    const source = Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
    if (source === undefined) onMissing(name, Object.keys(record));
    const column = !copy && source instanceof Float64Array ? source : toColumn(name, source);
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
  return { data, length: Math.max(length, 0) };
}

/** Copies an array of numbers into a Float64Array; non-numbers are an `INVALID_DATA` error. */
export function toColumn(name: string, source: unknown): Float64Array {
  if (source instanceof Float64Array) return Float64Array.from(source);
  if (typeof source !== 'object' || source === null || typeof (source as ArrayLike<unknown>).length !== 'number') {
    throw new AlgoTradingError('INVALID_DATA', `feature column ${name} must be an array of numbers, got ${describeValue(source)}`, {
      details: { field: name, value: source },
    });
  }
  const array = source as ArrayLike<unknown>;
  const out = new Float64Array(array.length);
  for (let i = 0; i < array.length; i++) {
    const v = array[i];
    if (typeof v === 'number') out[i] = v;
    else if (v === null || v === undefined) out[i] = Number.NaN;
    else {
      throw new AlgoTradingError('INVALID_DATA', `${name}[${i}] must be a number, got ${describeValue(v)}`, {
        details: { field: name, index: i, value: v },
      });
    }
  }
  return out;
}

/** Indices of rows where every column is finite. */
export function finiteRowIndices(data: readonly Float64Array[], length: number): Int32Array {
  const keep = new Int32Array(length);
  let count = 0;
  for (let i = 0; i < length; i++) {
    let ok = true;
    for (let c = 0; c < data.length; c++) {
      if (!Number.isFinite(data[c]![i]!)) {
        ok = false;
        break;
      }
    }
    if (ok) keep[count++] = i;
  }
  return keep.slice(0, count);
}

/** Row-major matrix (row views into one buffer) of `rows` (default all) over columns `data`. */
export function rowMatrix(data: readonly Float64Array[], rows: ArrayLike<number> | undefined, length: number): Float64Array[] {
  const width = data.length;
  const count = rows === undefined ? length : rows.length;
  const buffer = new Float64Array(count * width);
  const out: Float64Array[] = new Array(count);
  for (let r = 0; r < count; r++) {
    const row = rows === undefined ? r : rows[r]!;
    if (!Number.isInteger(row) || row < 0 || row >= length) {
      throw new AlgoTradingError('INVALID_ARGUMENT', `rows[${r}] must be a row index in [0, ${length}), got ${describeValue(row)}`, {
        details: { field: 'rows', index: r, value: row },
      });
    }
    const offset = r * width;
    for (let c = 0; c < width; c++) buffer[offset + c] = data[c]![row]!;
    out[r] = buffer.subarray(offset, offset + width);
  }
  return out;
}
