import { catchAlgoTradingError, type Trade } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import {
  averageLoss,
  averageTradePnl,
  averageWin,
  expectancy,
  maxConsecutiveLosses,
  payoffRatio,
  profitFactor,
  tradeStatistics,
  winRate,
} from './trades';

const trades = [
  { pnl: 300, initialRisk: 100 },
  { pnl: -100, initialRisk: 100 },
  { pnl: -50, initialRisk: 50 },
  { pnl: 0, initialRisk: null },
  { pnl: -25, initialRisk: 0 },
  { pnl: 150, initialRisk: 75 },
];

describe('trade statistics (hand values)', () => {
  it('every statistic', () => {
    expect(winRate(trades)).toBe(2 / 6);
    expect(profitFactor(trades)).toBe(450 / 175);
    // R multiples over initialRisk > 0: 3, -1, -1, 2 -> mean 0.75
    expect(expectancy(trades)).toBe(0.75);
    expect(averageWin(trades)).toBe(225);
    expect(averageLoss(trades)).toBe(-175 / 3);
    expect(averageTradePnl(trades)).toBe(275 / 6);
    expect(payoffRatio(trades)).toBeCloseTo(225 / (175 / 3), 14);
    // -100, -50 then a breakeven (resets), then -25: longest streak 2
    expect(maxConsecutiveLosses(trades)).toBe(2);
    expect(tradeStatistics(trades)).toMatchObject({ tradeCount: 6, winCount: 2, lossCount: 3, grossProfit: 450, grossLoss: -175 });
  });

  it('no trades: NaN ratios, zero counts', () => {
    const s = tradeStatistics([]);
    expect(s.tradeCount).toBe(0);
    expect(s.maxConsecutiveLosses).toBe(0);
    for (const key of ['winRate', 'profitFactor', 'expectancy', 'averageWin', 'averageLoss', 'averageTradePnl', 'payoffRatio'] as const) {
      expect(s[key], key).toBeNaN();
    }
  });

  it('only wins: profit factor Infinity, payoff NaN; no stops: expectancy NaN', () => {
    const wins = [{ pnl: 10 }, { pnl: 20, initialRisk: null }];
    expect(profitFactor(wins)).toBe(Infinity);
    expect(payoffRatio(wins)).toBeNaN();
    expect(expectancy(wins)).toBeNaN();
    expect(averageLoss(wins)).toBeNaN();
    expect(profitFactor([{ pnl: 0 }])).toBeNaN();
    expect(maxConsecutiveLosses([{ pnl: -1 }, { pnl: -2 }, { pnl: -3 }, { pnl: 1 }, { pnl: -1 }])).toBe(3);
  });

  it("accepts core's Trade objects", () => {
    const trade: Trade = {
      symbol: 'SPY', side: 'long', quantity: 10, entryTime: 0, exitTime: 1, entryPrice: 100, exitPrice: 110,
      entryBarIndex: 0, exitBarIndex: 1, grossPnl: 100, commission: 2, slippageCost: 0, pnl: 98, returnPct: 0.098,
      initialRisk: 50, rMultiple: 1.96, exitReason: 'signal', barsHeld: 1,
    } as Trade;
    expect(expectancy([trade])).toBe(98 / 50);
  });

  it('rejects bad trades with the index and the value', () => {
    const error = catchAlgoTradingError(() => tradeStatistics([{ pnl: 1 }, { pnl: Number.NaN }]), 'INVALID_DATA');
    expect(error.message).toBe('trades[1].pnl must be a finite number, got NaN');
    expect(() => tradeStatistics([{ pnl: 1, initialRisk: -5 }])).toThrow('trades[0].initialRisk must be null or a finite number >= 0, got -5');
    expect(() => tradeStatistics([null as never])).toThrow(/trades\[0\]/);
    expect(() => tradeStatistics('x' as never)).toThrow(/trades must be an array/);
  });
});
