/**
 * The closed set of error codes every algo-trading package throws with.
 *
 * - `INVALID_ARGUMENT`: a function was called with an illegal value (NaN, negative price, ...).
 * - `INVALID_CONFIG`: an options object or configuration file failed validation.
 * - `INVALID_DATA`: market data (bars, signals, features) broke a data rule.
 * - `PARSE_ERROR`: a file or text could not be parsed (CSV, YAML, JSON).
 * - `NOT_FOUND`: a file, symbol, position or optional module does not exist.
 * - `INVALID_STATE`: a call that is not allowed in the current state (time going backwards, ...).
 * - `INVARIANT_VIOLATION`: an internal invariant broke; always a bug worth reporting.
 * - `IO_ERROR`: reading or writing a file failed.
 * - `UNSUPPORTED`: a feature or format this version does not support.
 * - `ABORTED`: the caller cancelled the work (AbortSignal, SIGINT).
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'INVALID_CONFIG',
  'INVALID_DATA',
  'PARSE_ERROR',
  'NOT_FOUND',
  'INVALID_STATE',
  'INVARIANT_VIOLATION',
  'IO_ERROR',
  'UNSUPPORTED',
  'ABORTED',
] as const;

/** One of {@link ERROR_CODES}. */
export type AlgoTradingErrorCode = (typeof ERROR_CODES)[number];

/** Where an error points: the offending field, its position and value, when known. */
export interface AlgoTradingErrorDetails {
  /** The field, column or config path at fault, e.g. `close` or `risk_management.stop_loss.hard_stop_pct`. */
  readonly field?: string;
  /** The position in the input (row index, 1-based line number in files), when it has one. */
  readonly index?: number;
  /** The offending value as received. */
  readonly value?: unknown;
  /** Any further structured detail (e.g. a list of config issues). */
  readonly [key: string]: unknown;
}

/** Options of {@link AlgoTradingError}. */
export interface AlgoTradingErrorOptions {
  readonly cause?: unknown;
  readonly details?: AlgoTradingErrorDetails;
}

// Symbol.for is shared by every copy of this module in a process, so the guard works even when
// several versions of @algo-trading/core are installed side by side (instanceof would not).
const ERROR_MARKER = Symbol.for('@algo-trading/core:AlgoTradingError');

/**
 * The one error class of the project. Its `code` is a closed union and its message names the
 * field, the position and the offending value.
 *
 * @example
 * throw new AlgoTradingError('INVALID_DATA', 'close[12] must be a finite positive price, got NaN',
 *   { details: { field: 'close', index: 12, value: NaN } });
 */
export class AlgoTradingError extends Error {
  /** Machine-readable category, one of {@link ERROR_CODES}. */
  readonly code: AlgoTradingErrorCode;
  /** Field, index and value the error is about, when known. */
  readonly details: AlgoTradingErrorDetails;

  constructor(code: AlgoTradingErrorCode, message: string, options: AlgoTradingErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AlgoTradingError';
    this.code = code;
    this.details = options.details ?? {};
    Object.defineProperty(this, ERROR_MARKER, { value: true, enumerable: false });
  }
}

/**
 * True when `error` is an {@link AlgoTradingError} from any copy of this package.
 * Optionally narrows to one code.
 */
export function isAlgoTradingError(error: unknown, code?: AlgoTradingErrorCode): error is AlgoTradingError {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as Record<symbol, unknown>)[ERROR_MARKER] !== true) return false;
  return code === undefined || (error as AlgoTradingError).code === code;
}

/**
 * Renders a received value for an error message: numbers as written (`NaN`, `-Infinity`),
 * strings quoted, objects as short JSON.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (typeof value === 'function') return 'a function';
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
