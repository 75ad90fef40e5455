import { catchAlgoTradingError, type AlgoTradingErrorCode } from '@algo-trading/core';
import { expect } from 'vitest';

/** Milliseconds in a day. */
export const DAY = 86_400_000;

/** 2024-01-02 plus `days` days plus `hours` hours, epoch ms UTC. */
export function at(days: number, hours = 15): number {
  return Date.UTC(2024, 0, 2) + days * DAY + hours * 3_600_000;
}

/** Options with every stop and per-trade limit off, so only the drawdown drives the zone. */
export const zoneOnly = {
  maxPositionPct: 1,
  maxPortfolioHeat: null,
  hardStopPct: null,
  takeProfitPct: null,
  trailingStopPct: null,
  timeStopDays: null,
  dailyLossLimitPct: null,
} as const;

/** A bar object. */
export function bar(open: number, high: number, low: number, close: number) {
  return { open, high, low, close };
}

/** Asserts `fn` throws an AlgoTradingError with `code` and a message matching `pattern`. */
export function expectError(fn: () => unknown, code: AlgoTradingErrorCode, pattern: RegExp): void {
  expect(catchAlgoTradingError(fn, code).message).toMatch(pattern);
}
