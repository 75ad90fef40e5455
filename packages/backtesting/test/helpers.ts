import {
  BarSeries,
  catchAlgoTradingRejection,
  type AlgoTradingError,
  type AlgoTradingErrorCode,
  type PositionSizer,
  type SizingRequest,
  type SizingResult,
} from '@algo-trading/core';
import fc from 'fast-check';
import { expect } from 'vitest';

export const DAY = 86_400_000;
/** 2024-01-01T00:00:00Z. */
export const T0 = Date.UTC(2024, 0, 1);

/** Bars from [open, high, low, close] tuples, one per day from T0. */
export function bars(rows: readonly (readonly [number, number, number, number])[], symbol = 'TEST'): BarSeries {
  return BarSeries.fromRows(
    rows.map(([open, high, low, close], i) => ({ time: T0 + i * DAY, open, high, low, close, volume: 1000 })),
    { symbol },
  );
}

/** Flat bars: open = high = low = close = price. */
export function flat(prices: readonly number[], symbol = 'TEST'): BarSeries {
  return bars(
    prices.map((p) => [p, p, p, p] as const),
    symbol,
  );
}

/** Awaits `promise`, expects an AlgoTradingError with `code` whose message contains `parts`, returns it. */
export async function rejects(promise: Promise<unknown>, code: AlgoTradingErrorCode, ...parts: string[]): Promise<AlgoTradingError> {
  const error = await catchAlgoTradingRejection(promise, code);
  for (const part of parts) expect(error.message).toContain(part);
  return error;
}

/** A random but valid OHLC path (a random walk of closes with wicks and gaps). */
export const ohlcPath = (minLength = 2, maxLength = 60) =>
  fc
    .array(
      fc.record({
        gap: fc.double({ min: -0.06, max: 0.06, noNaN: true }),
        move: fc.double({ min: -0.08, max: 0.08, noNaN: true }),
        up: fc.double({ min: 0, max: 0.05, noNaN: true }),
        down: fc.double({ min: 0, max: 0.05, noNaN: true }),
      }),
      { minLength, maxLength },
    )
    .map((steps) => {
      let previous = 100;
      const rows = steps.map((s) => {
        const open = previous * (1 + s.gap);
        const close = open * (1 + s.move);
        const high = Math.max(open, close) * (1 + s.up);
        const low = Math.min(open, close) * (1 - s.down);
        previous = close;
        return [open, high, low, close] as const;
      });
      return bars(rows);
    });

/** Random signals of a given length. */
export const signalsOf = (length: number) => fc.array(fc.constantFrom(-1, 0, 0, 1), { minLength: length, maxLength: length });

/** A trade of the reference backtester below. */
export interface PeerTrade {
  entryIndex: number;
  exitIndex: number;
  quantity: number;
  entryPrice: number;
  exitPrice: number;
  pnl: number;
}

/**
 * A plain event-driven long-only backtester written independently of the engine, for the
 * peer-compatible comparison (docs/trading-rules.md, section 1): a signal at bar t fills at bar t+1's open;
 * 1 buys all in, floor(cash / (price x (1 + commission))) whole units, when flat; -1 sells
 * everything when long; commission on both legs; no slippage; positions stay open at the end.
 */
export function peerBacktest(
  data: BarSeries,
  signals: readonly number[],
  initialCapital: number,
  commission: number,
): { trades: PeerTrade[]; equity: number[]; cash: number } {
  let cash = initialCapital;
  let units = 0;
  let entryIndex = -1;
  let entryPrice = 0;
  let entryCost = 0;
  let order: 'buy' | 'sell' | null = null;
  const trades: PeerTrade[] = [];
  const equity: number[] = [];
  for (let t = 0; t < data.length; t++) {
    const open = data.open[t]!;
    if (order === 'buy' && units === 0) {
      // Whole units that fit: n x unitCost <= cash, compared by multiplication (a rounded
      // division can land just below an exact integer).
      const unitCost = open * (1 + commission);
      let n = Math.floor(cash / unitCost);
      if ((n + 1) * unitCost <= cash) n++;
      while (n > 0 && n * unitCost > cash) n--;
      if (n > 0) {
        const fee = n * open * commission;
        cash -= n * open + fee;
        units = n;
        entryIndex = t;
        entryPrice = open;
        entryCost = fee;
      }
    } else if (order === 'sell' && units > 0) {
      const fee = units * open * commission;
      cash += units * open - fee;
      trades.push({
        entryIndex,
        exitIndex: t,
        quantity: units,
        entryPrice,
        exitPrice: open,
        pnl: (open - entryPrice) * units - entryCost - fee,
      });
      units = 0;
    }
    order = null;
    const s = signals[t];
    if (s === 1 && units === 0) order = 'buy';
    if (s === -1 && units > 0) order = 'sell';
    equity.push(cash + units * data.close[t]!);
  }
  return { trades, equity, cash };
}

/** Wraps a sizer and records every request the engine makes of it. */
export function recordingSizer(inner: PositionSizer): PositionSizer & { requests: SizingRequest[] } {
  const requests: SizingRequest[] = [];
  return {
    method: inner.method,
    requests,
    calculate(request: SizingRequest): SizingResult {
      requests.push(request);
      return inner.calculate(request);
    },
    calculateSize(request: SizingRequest): number {
      return this.calculate(request).quantity;
    },
  };
}

/** A sizer that always answers `quantity`, recording its requests. */
export function fixedSizer(quantity: number): PositionSizer & { requests: SizingRequest[] } {
  return recordingSizer({
    method: 'fixed',
    calculate: (request) => ({ quantity, riskAmount: 0, riskFraction: 0, riskPerUnit: 0, positionValue: quantity * request.entryPrice, limitedBy: 'risk' }),
    calculateSize: () => quantity,
  });
}
