import { isAlgoTradingError } from '@algo-trading/core';
import { expect } from 'vitest';

/** Asserts that `fn` throws an AlgoTradingError with `code` (and a message matching `text`). */
export function expectCode(fn: () => unknown, code: string, text?: RegExp): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(isAlgoTradingError(thrown), `expected an AlgoTradingError ${code}, got ${String(thrown)}`).toBe(true);
  expect((thrown as { code: string }).code).toBe(code);
  if (text !== undefined) expect((thrown as Error).message).toMatch(text);
}
