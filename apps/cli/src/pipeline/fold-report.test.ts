import { BarSeries, type Trade } from '@algo-trading/core';
import type { WalkForwardFoldResult } from '@algo-trading/strategies';
import { describe, expect, it } from 'vitest';
import { foldRows } from './fold-report';
import { countInMarket, inMarketMask } from './market-time';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function bars(n: number): BarSeries {
  return BarSeries.fromRows(Array.from({ length: n }, (_, i) => ({ time: T0 + i * DAY, open: 10, high: 10, low: 10, close: 10 })), {
    symbol: 'T',
  });
}

function fold(k: number, testStart: number, testEnd: number, signalOnly: number): WalkForwardFoldResult {
  return {
    split: { fold: k, trainStart: 0, trainEnd: testStart - 1, testStart, testEnd },
    fitStart: 0,
    fitEnd: testStart - 2,
    trainedRows: testStart - 2,
    validationStart: testStart - 2,
    threshold: 0.55 + k * 0.025,
    thresholdSource: 'validation',
    validationMetric: 1,
    test: {
      sharpe: 9,
      totalReturn: signalOnly,
      calmar: 1,
      maxDrawdown: -0.5,
      trades: 99,
      tradeFrequency: 1,
      accuracy: 0.5 + k / 10,
      labelledRows: testEnd - testStart,
      testRows: testEnd - testStart,
    },
  };
}

const trade = (entryBarIndex: number, exitBarIndex: number) => ({ entryBarIndex, exitBarIndex }) as unknown as Trade;

describe('foldRows', () => {
  // Rows 0..7; the engine ran on rows 2..7 (its bars 0..5) with 100 of capital.
  // Fold 1 tests rows 2..4 (engine bars 0..2), fold 2 rows 5..7 (engine bars 3..5).
  const equity = [100, 110, 99, 99, 108.9, 108.9];
  const rows = foldRows({
    folds: [fold(0, 2, 5, 0.3), fold(1, 5, 8, -0.2)],
    bars: bars(8),
    offset: 2,
    equity,
    initialCapital: 100,
    trades: [trade(1, 3), trade(4, 5)],
    openPositions: [{ entryBarIndex: 5 }],
    periodsPerYear: 252,
  });

  it('cuts returns, drawdowns and Sharpe ratios from the engine equity at the fold boundaries', () => {
    // Fold 1: returns [0, 0.1, -0.1] from 100: 99 / 100 - 1; drawdown 99 / 110 - 1; mean 0 -> Sharpe 0.
    expect(rows[0]!.totalReturn).toBeCloseTo(-0.01, 14);
    expect(rows[0]!.maxDrawdown).toBeCloseTo(99 / 110 - 1, 14);
    expect(rows[0]!.sharpeRatio).toBeCloseTo(0, 12);
    // Fold 2: returns [0, 0.1, 0] from 99: mean 1/30, std (ddof 1) sqrt(1/300): Sharpe sqrt(300 x 252) / 30.
    expect(rows[1]!.totalReturn).toBeCloseTo(0.1, 14);
    expect(rows[1]!.maxDrawdown).toBe(0);
    expect(rows[1]!.sharpeRatio).toBeCloseTo(Math.sqrt(300 * 252) / 30, 10);
  });

  it('compounds to the run: prod(1 + fold return) - 1 = final equity / capital - 1', () => {
    const compounded = rows.reduce((g, r) => g * (1 + r.totalReturn), 1) - 1;
    expect(compounded).toBeCloseTo(108.9 / 100 - 1, 14);
  });

  it('counts trades by entry bar and exposure from the held bars', () => {
    expect(rows.map((r) => r.trades)).toEqual([1, 1]);
    // Held at the closes of bars 1, 2 (trade 1), 4 (trade 2) and 5 (open position).
    expect(rows.map((r) => r.exposure)).toEqual([2 / 3, 2 / 3]);
  });

  it('keeps the model figures and labels the signal-only return', () => {
    expect(rows[0]).toMatchObject({ fold: 1, train: '2024-01-01..2024-01-01', test: '2024-01-03..2024-01-05', threshold: 0.55, accuracy: 0.5 });
    expect(rows[1]).toMatchObject({ fold: 2, test: '2024-01-06..2024-01-08', signalOnlyReturn: -0.2, thresholdSource: 'validation' });
  });
});

describe('inMarketMask', () => {
  it('marks the closes a position was held at, as the engine counts exposure', () => {
    // Held 1..2, closed in its entry bar at 4 (never held at a close), open from 6 to the end.
    const mask = inMarketMask(8, [{ entryBarIndex: 1, exitBarIndex: 3 }, { entryBarIndex: 4, exitBarIndex: 4 }, { entryBarIndex: 6 }]);
    expect([...mask]).toEqual([0, 1, 1, 0, 0, 0, 1, 1]);
    expect(countInMarket(mask)).toBe(4);
    expect(countInMarket(mask, 2, 7)).toBe(2);
  });

  it('counts overlapping positions once and clips spans to the run', () => {
    const mask = inMarketMask(5, [{ entryBarIndex: 0, exitBarIndex: 3 }, { entryBarIndex: 2, exitBarIndex: 9 }, { entryBarIndex: -1, exitBarIndex: 1 }]);
    expect([...mask]).toEqual([1, 1, 1, 1, 1]);
    expect([...inMarketMask(0, [{ entryBarIndex: 0 }])]).toEqual([]);
  });
});
