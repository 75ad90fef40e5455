import type { PositionSizer } from '@algo-trading/core';
import { RiskManager } from '@algo-trading/risk';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';
import { flat } from './helpers';

/** A sizer that always answers `quantity`. */
const fixed = (quantity: number): PositionSizer => ({
  method: 'fixed',
  calculate: (r) => ({ quantity, riskAmount: 0, riskFraction: 0, riskPerUnit: 0, positionValue: quantity * r.entryPrice, limitedBy: 'risk' }),
  calculateSize: () => quantity,
});

/** A manager with only the portfolio limits under test (no stops, no heat, no position cap). */
const limitsOnly = (options: { maxOpenPositions?: number; maxGrossExposure?: number }) =>
  new RiskManager({
    initialCapital: 1000,
    hardStopPct: null,
    trailingStopPct: null,
    takeProfitPct: null,
    timeStopDays: null,
    maxPortfolioHeat: null,
    dailyLossLimitPct: null,
    maxPositionPct: 1,
    minConfidence: 0,
    ...options,
  });

const costless = { commissionPct: 0, slippageBps: 0 } as const;

describe('the RiskManager portfolio limits inside a multi-symbol run', () => {
  it('maxOpenPositions refuses a third symbol while two are open; an exit first frees the slot', async () => {
    const engine = new BacktestEngine({ initialCapital: 1000, ...costless, riskManager: limitsOnly({ maxOpenPositions: 2 }), positionSizer: fixed(10) });
    await engine.runBacktest({
      data: { A: flat([10, 10, 10, 10], 'A'), B: flat([10, 10, 10, 10], 'B'), C: flat([10, 10, 10, 10], 'C') },
      signals: { A: [1, -1, 0, 0], B: [1, 0, 0, 0], C: [1, 1, 0, 0] },
    });
    // Day 1's open: A and B fill, C is the third: refused. Day 2's open: A's exit fills first
    // (exits_first), then C's held signal enters.
    expect(engine.getFills().map((f) => [f.symbol, f.side, f.barIndex])).toEqual([
      ['A', 'buy', 1],
      ['B', 'buy', 1],
      ['A', 'sell', 2],
      ['C', 'buy', 2],
    ]);
    const [refusal] = engine.getRejections();
    expect(refusal).toMatchObject({ symbol: 'C', barIndex: 1 });
    expect(refusal!.reasons).toEqual([{ code: 'max_open_positions', message: '2 positions are open, the maximum is 2: C would open one more' }]);
  });

  it('the order sequence decides whether an exit frees the slot for an entry at the same open', async () => {
    // Day 1: B and C open. Day 2's open: C exits and A enters. In universe order (A, B, C) A's
    // entry comes before C's exit: refused with 'submission', filled after it with 'exits_first'.
    const run = async (orderSequence: 'exits_first' | 'submission') => {
      const engine = new BacktestEngine({ initialCapital: 1000, ...costless, orderSequence, riskManager: limitsOnly({ maxOpenPositions: 2 }), positionSizer: fixed(10) });
      await engine.runBacktest({
        data: { A: flat([10, 10, 10, 10], 'A'), B: flat([10, 10, 10, 10], 'B'), C: flat([10, 10, 10, 10], 'C') },
        signals: { A: [0, 1, 0, 0], B: [1, 0, 0, 0], C: [1, -1, 0, 0] },
      });
      return engine;
    };
    const exitsFirst = await run('exits_first');
    expect(exitsFirst.getFills().map((f) => [f.symbol, f.side, f.barIndex])).toEqual([
      ['B', 'buy', 1],
      ['C', 'buy', 1],
      ['C', 'sell', 2],
      ['A', 'buy', 2],
    ]);
    expect(exitsFirst.getRejections()).toEqual([]);
    const submission = await run('submission');
    expect(submission.getFills().map((f) => [f.symbol, f.side, f.barIndex])).toEqual([
      ['B', 'buy', 1],
      ['C', 'buy', 1],
      ['C', 'sell', 2],
    ]);
    expect(submission.getRejections().map((r) => [r.symbol, r.barIndex, r.reasons[0]!.code])).toEqual([['A', 2, 'max_open_positions']]);
  });

  it('maxGrossExposure sums |market value| across symbols, shorts included', async () => {
    const engine = new BacktestEngine({
      initialCapital: 1000,
      ...costless,
      allowShort: true,
      maxLeverage: 2,
      riskManager: limitsOnly({ maxGrossExposure: 0.5 }),
      positionSizer: fixed(30),
    });
    await engine.runBacktest({
      data: { A: flat([10, 10, 10], 'A'), B: flat([10, 10, 10], 'B') },
      signals: { A: [-1, 0, 0], B: [1, 0, 0] },
    });
    // A's short of 300 is 30% of equity; B's 300 more would make 60% > 50%.
    expect(engine.getFills().map((f) => [f.symbol, f.side])).toEqual([['A', 'sell']]);
    const [refusal] = engine.getRejections();
    expect(refusal!.symbol).toBe('B');
    expect(refusal!.reasons).toEqual([
      { code: 'gross_exposure', message: 'gross exposure would be 60.00% of equity (600.00 / 1000.00), above the maximum 50.00%' },
    ]);
  });
});
