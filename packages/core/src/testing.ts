import { describeValue, isAlgoTradingError, type AlgoTradingError, type AlgoTradingErrorCode } from './errors';

/**
 * Helpers for tests of code that must throw: each returns what was thrown, so the test can assert
 * on its code, message and details, and throws a plain `Error` saying what happened instead when
 * nothing was thrown (or something else was). They depend on no test runner.
 */

function describeThrown(value: unknown): string {
  if (isAlgoTradingError(value)) return `AlgoTradingError ${value.code}: ${value.message}`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return describeValue(value);
}

function requireAlgoTradingError(value: unknown, code: AlgoTradingErrorCode | undefined): AlgoTradingError {
  if (!isAlgoTradingError(value)) {
    throw new Error(`expected an AlgoTradingError${code === undefined ? '' : ` ${code}`}, got ${describeThrown(value)}`, { cause: value });
  }
  if (code !== undefined && value.code !== code) {
    throw new Error(`expected an AlgoTradingError ${code}, got ${describeThrown(value)}`, { cause: value });
  }
  return value;
}

/**
 * Calls `fn` and returns what it throws.
 * @throws Error when `fn` returns normally.
 * @example
 * expect(catchError(() => JSON.parse('{'))).toBeInstanceOf(SyntaxError);
 */
export function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, nothing was thrown');
}

/**
 * Awaits `promise` (or the promise `fn` returns) and returns its rejection reason.
 * @throws Error when it resolves.
 */
export async function catchRejection(promise: PromiseLike<unknown> | (() => PromiseLike<unknown>)): Promise<unknown> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, the promise resolved');
}

/**
 * Calls `fn` and returns the {@link AlgoTradingError} it throws, of `code` when given.
 * @throws Error when nothing is thrown, or anything else (another error, another code).
 * @example
 * const error = catchAlgoTradingError(() => toDecimal(Number.NaN, 'price'), 'INVALID_ARGUMENT');
 * expect(error.message).toBe('price must be a finite number, got NaN');
 */
export function catchAlgoTradingError(fn: () => unknown, code?: AlgoTradingErrorCode): AlgoTradingError {
  return requireAlgoTradingError(catchError(fn), code);
}

/**
 * Awaits `promise` (or the promise `fn` returns) and returns the {@link AlgoTradingError} it
 * rejects with, of `code` when given.
 * @throws Error when it resolves, or rejects with anything else.
 */
export async function catchAlgoTradingRejection(
  promise: PromiseLike<unknown> | (() => PromiseLike<unknown>),
  code?: AlgoTradingErrorCode,
): Promise<AlgoTradingError> {
  return requireAlgoTradingError(await catchRejection(promise), code);
}
