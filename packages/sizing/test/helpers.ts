import { isAlgoTradingError, type AlgoTradingError, type AlgoTradingErrorCode } from '@algo-trading/core';
import { expect } from 'vitest';

/** Runs `fn`, expects an AlgoTradingError and returns it for further assertions. */
export function thrown(fn: () => unknown): AlgoTradingError {
  try {
    fn();
  } catch (error) {
    if (isAlgoTradingError(error)) return error;
    throw error;
  }
  throw new Error('expected an AlgoTradingError, but nothing was thrown');
}

/** Expects `fn` to throw an AlgoTradingError with `code` whose message and details name `field`. */
export function expectRejects(fn: () => unknown, code: AlgoTradingErrorCode, field: string, messagePart?: string): AlgoTradingError {
  const error = thrown(fn);
  expect(error.code).toBe(code);
  expect(error.message).toContain(field);
  expect(error.details.field).toBe(field);
  if (messagePart !== undefined) expect(error.message).toContain(messagePart);
  return error;
}
