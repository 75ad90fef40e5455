import type { Rejection } from '@algo-trading/backtesting';
import { BarSeries, type Fill } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/schema';
import { runWarnings, suggestedLotSize } from './run-warnings';

const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 1);
const bars = BarSeries.fromRows(
  Array.from({ length: 100 }, (_, i) => ({ time: T0 + i * DAY, open: 3000, high: 3000, low: 3000, close: 3000 })),
  { symbol: 'IDX' },
);
const config = defaultConfig(); // 10,000 of capital, 25% position cap, whole units

const entry = (day: number) => ({ time: T0 + day * DAY, effect: 'open', side: 'buy' }) as Fill;
const exit = (day: number) => ({ time: T0 + day * DAY, effect: 'close', side: 'sell' }) as Fill;
const rejection = (day: number, code: string, count = 1, price = 3000) =>
  ({ time: T0 + day * DAY, count, price, reasons: [{ code, message: code }] }) as unknown as Rejection;

describe('runWarnings', () => {
  it('says nothing about a run that traded normally', () => {
    expect(runWarnings({ bars, config, fills: [entry(1), exit(5)], rejections: [rejection(2, 'portfolio_heat')], trades: 1, openPositions: 0 })).toEqual([]);
  });

  it('flags a run without a fill, and says why', () => {
    const base = { bars, config, fills: [], trades: 0, openPositions: 0 };
    expect(runWarnings({ ...base, rejections: [], buySignals: 0 })).toEqual([
      'The run made no trade: the strategy gave no buy signal. Every figure is the initial capital standing still.',
    ]);
    const lot = runWarnings({ ...base, rejections: [rejection(3, 'lot', 4), rejection(9, 'lot')], buySignals: 5 });
    // 0.25 x 10,000 / 3,000 = 0.83 units at most: a tenth of it floors to a lot of 0.01.
    expect(lot).toEqual([
      'The run made no trade: all 5 entry orders were rejected because one lot of 1 at a price around 3,000 is more than the sizing allows (risk_per_trade 0.01, max_position_size 0.25 of 10,000): set backtesting.lot_size to 0.01 (fractional units) or raise backtesting.initial_capital. Every figure is the initial capital standing still.',
    ]);
    expect(runWarnings({ ...base, rejections: [rejection(3, 'drawdown_halt')], buySignals: 5 })[0]).toContain('the only entry order was rejected (see the rejections by reason)');
  });

  it('flags a run whose entries were mostly rejected for the lot size, counting coalesced orders and ignoring sell signals while flat', () => {
    const warnings = runWarnings({
      bars,
      config,
      fills: [entry(1), exit(2)],
      rejections: [rejection(3, 'lot', 2), rejection(4, 'cash'), rejection(5, 'no_short', 50)],
      trades: 1,
      openPositions: 0,
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^3 entry orders of 4 \(75%\) were rejected because one lot of 1 at a price around 3,000/);
  });

  it('flags a run that stopped trading for the lot size', () => {
    // Entries until day 40, then only lot rejections: 59% of the run left without a trade.
    const fills = [entry(1), exit(5), entry(10), exit(15), entry(40), exit(45)];
    const warnings = runWarnings({ bars, config, fills, rejections: [rejection(60, 'lot'), rejection(80, 'lot')], trades: 3, openPositions: 0 });
    expect(warnings).toEqual([expect.stringMatching(/^Trading stopped on 2020-02-10, 60% of the run before its end: all 2 entry orders were rejected after it because one lot of 1/)]);
    // Other rejections after the last entry: not a lot stall.
    expect(runWarnings({ bars, config, fills, rejections: [rejection(60, 'lot'), rejection(80, 'daily_loss')], trades: 3, openPositions: 0 })).toEqual([]);
  });

  it('flags a run whose only trade is still open', () => {
    expect(runWarnings({ bars, config, fills: [entry(1)], rejections: [], trades: 0, openPositions: 1 })).toEqual([
      'No trade was closed (1 position still open, marked at the last close): win rate, profit factor and expectancy are undefined.',
    ]);
  });

  it('suggests a power-of-ten lot with ten lots in the largest position', () => {
    expect(suggestedLotSize(config, 3000)).toBe(0.01); // 0.83 units
    expect(suggestedLotSize(config, 50)).toBe(1); // 50 units: whole units are fine
    expect(suggestedLotSize(config, 60_000)).toBe(0.001); // 0.042 units
  });
});
