import { RiskManager } from '@algo-trading/risk';
import { describe, expect, it } from 'vitest';
import { at, bar, expectError, zoneOnly } from './helpers';

describe('standalone API: openPosition, closePosition, updatePositions', () => {
  it('runs the standalone example of the README', () => {
    const rm = new RiskManager({
      initialCapital: 10_000,
      maxDrawdownPct: 0.15,
      dailyLossLimitPct: 0.03,
      maxPortfolioHeat: 0.03,
      hardStopPct: 0.03,
      trailingStopPct: 0.02,
      takeProfitPct: 0.05,
      timeStopDays: 30,
      maxPositionPct: 0.25,
      minConfidence: 0.55,
    });
    const { isValid, issues } = rm.validateTrade({ symbol: 'AAPL', quantity: 10, entryPrice: 100, stopLoss: 97, confidence: 0.65 });
    expect([isValid, issues]).toEqual([true, []]);
    const position = rm.openPosition({ symbol: 'AAPL', entryPrice: 100, quantity: 10, stopLoss: 97, entryDate: new Date(at(0)) });
    expect(position).toMatchObject({ symbol: 'AAPL', side: 'long', quantity: 10, entryPrice: 100, stopLoss: 97, takeProfit: 105, currentPrice: 100, marketValue: 1000, unrealizedPnl: 0, openRisk: 30 });
    expect(rm.updatePositions({ AAPL: 102 }, new Date(at(1)))).toEqual([]);
    const m = rm.getRiskMetrics();
    expect(m).toMatchObject({ equity: 10_020, cash: 9000, currentDrawdown: 0, drawdownZone: 'NORMAL', openPositions: 1, dailyPnl: 20 });
    // 102 reached the +2% activation: the trailing stop 99.96 governs, so 2.04 x 10 is at risk.
    expect(m.openRisk).toBeCloseTo(20.4, 9);
    expect(m.portfolioHeat).toBeCloseTo(20.4 / 10_020, 12);
    expect(m.exposure).toBeCloseTo(1020 / 10_020, 12);
    expect(rm.getSummary()).toContain('AAPL long 10 @ 100.00 -> 102.00: P&L 20.00, stop 97.00, trailing 99.96, target 105.00');
  });

  it('closePosition books a manual exit, whole or partial, and its R multiple', () => {
    const rm = new RiskManager();
    rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 20, entryDate: at(0) });
    const part = rm.closePosition({ symbol: 'X', exitPrice: 103, exitDate: at(1), quantity: 5 });
    expect(part).toMatchObject({ exitReason: 'manual', quantity: 5, pnl: 15, initialRisk: 15, rMultiple: 1 });
    expect(rm.getPosition('X')!.quantity).toBe(15);
    const rest = rm.closePosition({ symbol: 'X', exitPrice: 99, exitDate: at(2), reason: 'signal' });
    expect(rest).toMatchObject({ exitReason: 'signal', quantity: 15, pnl: -15, rMultiple: -15 / 45 });
    expect(rm.getPosition('X')).toBeUndefined();
    expect(rm.getRiskMetrics()).toMatchObject({ tradeCount: 2, winRate: 0.5, realizedPnl: 0 });
    expect(rm.getCash()).toBe(10_000);
  });

  it('returns a shared empty array when nothing closes and ignores symbols without a position', () => {
    const rm = new RiskManager();
    const a = rm.updatePositions({ Z: 5 }, at(0));
    expect(a).toEqual([]);
    expect(rm.updatePositions({}, at(1))).toBe(a);
    rm.openPosition({ symbol: 'toString', entryPrice: 100, quantity: 1, entryDate: at(1) });
    expect(rm.updatePositions({}, at(2))).toEqual([]); // no own entry: keeps its price
    expect(rm.getPosition('toString')!.currentPrice).toBe(100);
  });

  it('rejects invalid input with AlgoTradingError', () => {
    const rm = new RiskManager();
    expectError(
      () => rm.openPosition({ symbol: 'X', entryPrice: -1, quantity: 10, entryDate: at(0) }),
      'INVALID_ARGUMENT',
      /Invalid position for "X": entryPrice must be a finite number greater than 0, got -1/,
    );
    expectError(
      () => rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 10, stopLoss: 101, entryDate: at(0) }),
      'INVALID_ARGUMENT',
      /stopLoss 101 must be below the entry price 100 of a long/,
    );
    expectError(
      () => rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 10, confidence: 2, entryDate: at(0) }),
      'INVALID_ARGUMENT',
      /confidence must be a number in \[0, 1\], got 2/,
    );
    expectError(
      () => rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 10, entryDate: new Date('nope') }),
      'INVALID_ARGUMENT',
      /entryDate must be a valid Date or epoch milliseconds, got Invalid Date/,
    );
    expectError(
      () => rm.openPosition({ symbol: 'X', side: 'flat' as never, entryPrice: 100, quantity: 10, entryDate: at(0) }),
      'INVALID_ARGUMENT',
      /side must be "long" or "short", got "flat"/,
    );
    rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 10, entryDate: at(1) });
    expectError(() => rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 1, entryDate: at(1) }), 'INVALID_STATE', /already open/);
    expectError(() => rm.openPosition({ symbol: 'Y', entryPrice: 10, quantity: 1, entryDate: at(0) }), 'INVALID_STATE', /entryDate .* is before the last time seen/);
    expectError(() => rm.closePosition({ symbol: 'NOPE', exitPrice: 10, exitDate: at(2) }), 'NOT_FOUND', /closePosition: no open position in "NOPE"/);
    expectError(() => rm.closePosition({ symbol: 'X', exitPrice: 0, exitDate: at(2) }), 'INVALID_ARGUMENT', /exitPrice must be a finite number greater than 0, got 0/);
    expectError(() => rm.closePosition({ symbol: 'X', exitPrice: 10, exitDate: at(2), quantity: 11 }), 'INVALID_ARGUMENT', /quantity must be a number in \(0, 10\]/);
    expectError(() => rm.closePosition({ symbol: 'X', exitPrice: 10, exitDate: at(2), reason: 'boredom' as never }), 'INVALID_ARGUMENT', /reason must be one of/);
    expectError(() => rm.closePosition({ symbol: 'X', exitPrice: 10, exitDate: at(0) }), 'INVALID_STATE', /exitDate .* before the last time seen/);
    expectError(() => rm.updatePositions({ X: Number.NaN }, at(2)), 'INVALID_DATA', /prices\.X must be a finite number greater than 0, got NaN/);
    expectError(() => rm.updatePositions({ X: bar(100, 99, 98, 100) }, at(2)), 'INVALID_DATA', /prices\.X\.high must be >= open, low and close \(100\), got 99/);
    expectError(() => rm.updatePositions({ X: bar(100, 101, 100.5, 100.6) }, at(2)), 'INVALID_DATA', /prices\.X\.low must be <= open and close/);
    expectError(() => rm.updatePositions({ X: 100 }, at(0)), 'INVALID_STATE', /date .* before the last time seen/);
    expectError(() => rm.updatePositions(null as never, at(2)), 'INVALID_ARGUMENT', /prices must be an object/);
    expect(rm.getPosition('X')).toMatchObject({ quantity: 10, currentPrice: 100 });
  });

  it('skipChecks books a position the checks would refuse (still validating the input)', () => {
    const rm = new RiskManager();
    expect(() => rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 50, entryDate: at(0) })).toThrow(/position_limit/);
    rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 50, entryDate: at(0), skipChecks: true });
    expect(rm.getPosition('X')!.quantity).toBe(50);
  });
});

describe('metrics', () => {
  /** All in at 100 with no stops, so the equity is 100 x price. */
  function allIn(extra: { varConfidence?: number } = {}) {
    const rm = new RiskManager({ ...extra, ...zoneOnly });
    rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 100, entryDate: at(0, 10) });
    return rm;
  }

  it('tracks drawdown, its duration in bars and calendar days, and the per-period returns', () => {
    const rm = allIn();
    rm.updatePositions({ X: 100 }, at(0));
    rm.updatePositions({ X: 99 }, at(1));
    rm.updatePositions({ X: 98 }, at(3)); // two bars, three days after the peak
    let m = rm.getRiskMetrics();
    expect(m).toMatchObject({ currentDrawdownBars: 2, currentDrawdownDays: 3, maxDrawdownBars: 2, maxDrawdownDays: 3 });
    expect(m.currentDrawdown).toBeCloseTo(0.02, 12);
    rm.updatePositions({ X: 101 }, at(4)); // new peak
    m = rm.getRiskMetrics();
    expect(m).toMatchObject({ currentDrawdown: 0, currentDrawdownBars: 0, currentDrawdownDays: 0, maxDrawdownBars: 2, maxDrawdownDays: 3, peakEquity: 10_100 });
    rm.updatePositions({ X: 100 }, at(4, 21)); // 6 hours later
    m = rm.getRiskMetrics();
    expect(m.currentDrawdownBars).toBe(1);
    expect(m.currentDrawdownDays).toBeCloseTo(0.25, 12);
    expect(m.currentDrawdown).toBeCloseTo(100 / 10_100, 12);
    expect(m.maxDrawdown).toBeCloseTo(0.02, 12);
    const returns = Array.from(rm.getReturns());
    const expected = [0, -0.01, 98 / 99 - 1, 101 / 98 - 1, 100 / 101 - 1];
    expect(returns).toHaveLength(5);
    returns.forEach((r, i) => expect(r).toBeCloseTo(expected[i]!, 14));
  });

  it('computes historical VaR and CVaR (95%) of the per-period returns', () => {
    const rm = allIn();
    expect(rm.getRiskMetrics()).toMatchObject({ valueAtRisk: null, conditionalValueAtRisk: null, periods: 0, winRate: null });
    for (const [day, price] of [[0, 100], [1, 99], [2, 98], [3, 101], [4, 100]] as const) rm.updatePositions({ X: price }, at(day));
    // sorted: -1/99, -0.01, -1/101, 0, 3/98; position 0.05 x 4 = 0.2
    const lowest = 98 / 99 - 1;
    const m = rm.getRiskMetrics();
    expect(m.periods).toBe(5);
    expect(m.valueAtRisk).toBeCloseTo(lowest + (-0.01 - lowest) * 0.2, 14);
    expect(m.conditionalValueAtRisk).toBeCloseTo(lowest, 14); // k = floor(4 x 0.05) = 0
    // 80%: position 0.2 x 4 = 0.8 -> between -1/99 and -0.01; k = floor(4 x 0.2) = 0
    const rm80 = allIn({ varConfidence: 0.8 });
    for (const [day, price] of [[0, 100], [1, 99], [2, 98], [3, 101], [4, 100]] as const) rm80.updatePositions({ X: price }, at(day));
    const m80 = rm80.getRiskMetrics();
    expect(m80.varConfidence).toBe(0.8);
    expect(m80.valueAtRisk).toBeCloseTo(lowest + (-0.01 - lowest) * 0.8, 14);
    expect(m80.conditionalValueAtRisk).toBeCloseTo(lowest, 14);
  });

  it('reports trades, win rate and a readable summary', () => {
    const rm = new RiskManager();
    rm.openPosition({ symbol: 'A', entryPrice: 100, quantity: 10, entryDate: at(0) });
    rm.openPosition({ symbol: 'B', side: 'short', entryPrice: 50, quantity: 20, entryDate: at(0) });
    rm.updatePositions({ A: bar(100, 106, 99, 105.5), B: bar(50, 50.5, 49.5, 50) }, at(1)); // A hits 105
    rm.closePosition({ symbol: 'B', exitPrice: 51, exitDate: at(2) });
    const m = rm.getRiskMetrics();
    expect(m).toMatchObject({ tradeCount: 2, winRate: 0.5, realizedPnl: 30, openPositions: 0 });
    const summary = rm.getSummary();
    expect(summary.split('\n')[0]).toBe('Risk summary');
    expect(summary).toContain('Equity:            10030.00 (cash 10030.00, initial 10000.00, peak 10050.00)');
    expect(summary).toContain('Drawdown:          0.20% (max 0.20%), zone NORMAL, risk multiplier 1');
    expect(summary).toContain('Trades:            2 closed, win rate 50.0%, realized P&L 30.00');
    expect(summary).toContain('Trading:           active');
    expect(summary).toMatch(/Value at risk: {5}95% VaR -?\d+\.\d{2}%, CVaR -?\d+\.\d{2}% over 1 period\(s\)/);
  });
});
