import { catchAlgoTradingError, type AlgoTradingError, type AlgoTradingErrorCode } from '@algo-trading/core';
import { expect } from 'vitest';

/** Expects `fn` to throw an AlgoTradingError with `code` whose message and details name `field`. */
export function expectRejects(fn: () => unknown, code: AlgoTradingErrorCode, field: string, messagePart?: string): AlgoTradingError {
  const error = catchAlgoTradingError(fn, code);
  expect(error.message).toContain(field);
  expect(error.details.field).toBe(field);
  if (messagePart !== undefined) expect(error.message).toContain(messagePart);
  return error;
}
