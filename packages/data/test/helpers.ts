import { isAlgoTradingError, type AlgoTradingError, type AlgoTradingErrorCode, type Logger } from '@algo-trading/core';
import { expect } from 'vitest';

/** Runs `fn`, expects an AlgoTradingError with `code`, and returns it for further checks. */
export function catchError(fn: () => unknown, code: AlgoTradingErrorCode): AlgoTradingError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a throw').toBeDefined();
  expect(isAlgoTradingError(caught), `expected an AlgoTradingError, got ${String(caught)}`).toBe(true);
  expect((caught as AlgoTradingError).code, (caught as Error).message).toBe(code);
  return caught as AlgoTradingError;
}

/** Async {@link catchError}. */
export async function catchErrorAsync(fn: () => Promise<unknown>, code: AlgoTradingErrorCode): Promise<AlgoTradingError> {
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  expect(isAlgoTradingError(caught), `expected an AlgoTradingError, got ${String(caught)}`).toBe(true);
  expect((caught as AlgoTradingError).code, (caught as Error).message).toBe(code);
  return caught as AlgoTradingError;
}

/** A logger that records every call. */
export function recordingLogger(): Logger & { calls: { level: string; args: unknown[] }[] } {
  const calls: { level: string; args: unknown[] }[] = [];
  const make = (level: string) => (...args: unknown[]) => {
    calls.push({ level, args });
  };
  return { calls, debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') } as Logger & {
    calls: { level: string; args: unknown[] }[];
  };
}

/** Epoch ms of a UTC date. */
export const utc = (y: number, m: number, d: number, h = 0, min = 0, s = 0): number => Date.UTC(y, m - 1, d, h, min, s);
