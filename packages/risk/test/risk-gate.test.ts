import type { RiskGate } from '@algo-trading/core';
import { RiskManager } from '@algo-trading/risk';
import { describe, expect, it } from 'vitest';
import { DAY, at, expectError } from './helpers';
import { FakePortfolio } from './portfolio';

describe('RiskManager as the engine RiskGate', () => {
  it('is assignable to RiskGate and resets to a fresh state', () => {
    const gate: RiskGate = new RiskManager();
    gate.reset({ initialCapital: 25_000, time: at(0) });
    const rm = gate as RiskManager;
    expect(rm.getCash()).toBe(25_000);
    expect(rm.getEquity()).toBe(25_000);
    expect(rm.getPositions()).toEqual([]);
    rm.mark(new FakePortfolio(20_000).mark(at(0)));
    expect(rm.getEquity()).toBe(20_000); // the queries read the engine's portfolio after a mark
    rm.reset({ initialCapital: 5_000 });
    expect(rm.getRiskMetrics()).toMatchObject({ equity: 5_000, peakEquity: 5_000, periods: 0, tradeCount: 0 });
    expectError(() => rm.reset({ initialCapital: 0 }), 'INVALID_ARGUMENT', /initialCapital must be a finite number greater than 0, got 0/);
  });

  it('decides the protective orders of a new position at its fill price', () => {
    const rm = new RiskManager();
    const plan = rm.protection({ symbol: 'X', side: 'long', entryPrice: 100, entryTime: at(0) });
    expect(plan).toMatchObject({ stopLoss: 97, takeProfit: 105, timeStopAt: at(30) });
    expect(plan.trailing!.percent).toBe(0.02);
    expect(plan.trailing!.activationPrice).toBeCloseTo(102, 12);
    const short = rm.protection({ symbol: 'X', side: 'short', entryPrice: 200, entryTime: at(0) });
    expect(short).toMatchObject({ stopLoss: 206, takeProfit: 190 });
    expect(short.trailing!.activationPrice).toBeCloseTo(196, 12);
    const bare = new RiskManager({ hardStopPct: null, takeProfitPct: null, trailingStopPct: null, timeStopDays: null });
    expect(bare.protection({ symbol: 'X', side: 'long', entryPrice: 100, entryTime: at(0) })).toEqual({
      stopLoss: null,
      takeProfit: null,
      trailing: null,
      timeStopAt: null,
    });
    expectError(() => rm.protection({ symbol: 'X', side: 'long', entryPrice: -1, entryTime: at(0) }), 'INVALID_ARGUMENT', /entryPrice/);
    expectError(() => rm.protection({ symbol: 'X', side: 'up' as never, entryPrice: 1, entryTime: at(0) }), 'INVALID_ARGUMENT', /side/);
    expectError(() => rm.protection({ symbol: 'X', side: 'long', entryPrice: 1, entryTime: Number.NaN }), 'INVALID_ARGUMENT', /entryTime/);
  });

  it('takeProfitPct above 1: a long target above +100%; a short throws INVALID_CONFIG naming it (its target would be <= 0)', () => {
    const rm = new RiskManager({ takeProfitPct: 1.5 });
    // 100 x (1 + 1.5) = 250; stop 100 x (1 - 0.03) = 97.
    expect(rm.protectiveLevels('long', 100)).toEqual({ stopLoss: 97, takeProfit: 250 });
    expectError(() => rm.protectiveLevels('short', 100), 'INVALID_CONFIG', /takeProfitPct must be below 1 for a short .* got 1\.5/);
    expectError(() => rm.protection({ symbol: 'X', side: 'short', entryPrice: 100, entryTime: at(0) }), 'INVALID_CONFIG', /takeProfitPct/);
    // validateTrade never throws: a short is checked on its own numbers (no default target).
    rm.reset({ initialCapital: 10_000, time: at(0) });
    expect(rm.validateTrade({ symbol: 'X', side: 'short', quantity: 1, entryPrice: 100, stopLoss: 103 }).isValid).toBe(true);
    expect(new RiskManager({ takeProfitPct: 0.5 }).protectiveLevels('short', 100)).toEqual({ stopLoss: 103, takeProfit: 50 });
  });

  it('checks a trade against the portfolio it is given: balance, position limit, heat', () => {
    const rm = new RiskManager({ maxPortfolioHeat: 0.03 });
    rm.reset({ initialCapital: 10_000, time: at(0) });
    // Long A 10 @ 100 with its stop at 97 (risk 30), short B 20 @ 50 (owes 1000 back).
    const portfolio = new FakePortfolio(10_000).open('A', 'long', 10, 100, 97).open('B', 'short', 20, 50, 52).mark(at(0));
    // cash 10,000, equity 10,000, available balance 10,000 - 1,000 = 9,000; open risk 30 + 40 = 70.
    const ok = rm.validateTrade({ symbol: 'C', quantity: 10, entryPrice: 100, stopLoss: 98 }, portfolio);
    expect(ok).toEqual({ isValid: true, issues: [] });
    const codes = (request: Parameters<RiskManager['validateTrade']>[0]) => rm.validateTrade(request, portfolio).issues.map((i) => i.code);
    expect(codes({ symbol: 'C', quantity: 91, entryPrice: 100, stopLoss: 99.9 })).toEqual(['insufficient_balance', 'position_limit']);
    // A already holds 1,000: adding 1,600 makes 2,600 > 25% of 10,000.
    expect(codes({ symbol: 'A', quantity: 16, entryPrice: 100, stopLoss: 99.9 })).toEqual(['position_limit']);
    // heat: (70 + 10 x 24) / 10,000 = 3.1% > 3%
    expect(codes({ symbol: 'C', quantity: 10, entryPrice: 100, stopLoss: 76 })).toEqual(['portfolio_heat']);
  });

  it('marks the portfolio once per bar: returns, peak, zone; reserves the history from expectedPeriods', () => {
    const rm = new RiskManager();
    rm.reset({ initialCapital: 1_000, time: at(0), expectedPeriods: 2 });
    const portfolio = new FakePortfolio(1_000).open('X', 'long', 5, 100);
    for (const [k, close] of [110, 99, 121, 121].entries()) expect(rm.mark(portfolio.mark(at(0) + k + 1, { X: close }))).toBe('none');
    // Equity 500 + 5 x close after 1000 (4 marks, 2 expected): 1050, 995, 1105, 1105.
    expect(Array.from(rm.getReturns())).toEqual([1050 / 1000 - 1, 995 / 1050 - 1, 1105 / 995 - 1, 0]);
    expect(rm.getRiskMetrics()).toMatchObject({ equity: 1105, peakEquity: 1105, openPositions: 1, periods: 4, maxDrawdownBars: 1 });
    expect(rm.getRiskMetrics().maxDrawdown).toBeCloseTo(55 / 1050, 12);
    expectError(() => rm.mark(new FakePortfolio(1).mark(at(0))), 'INVALID_STATE', /before the last time seen/);
    rm.reset({ initialCapital: 1_000, expectedPeriods: 0 });
    expect(rm.getReturns().length).toBe(0);
    expectError(() => rm.reset({ initialCapital: 1_000, expectedPeriods: 1.5 }), 'INVALID_ARGUMENT', /expectedPeriods must be an integer >= 0, got 1.5/);
  });

  it('starts a new day from the equity of the previous mark and latches the daily loss limit', () => {
    const rm = new RiskManager({ maxPortfolioHeat: null });
    rm.reset({ initialCapital: 10_000, time: at(0) });
    const portfolio = new FakePortfolio(10_000).open('X', 'long', 25, 100, 50);
    rm.mark(portfolio.mark(at(0), { X: 101 }));
    expect(rm.getRiskMetrics().dailyPnl).toBe(25);
    rm.mark(portfolio.mark(at(1), { X: 88 }));
    const m = rm.getRiskMetrics();
    expect(m.dailyPnl).toBe(-325); // 25 x (88 - 101) against the equity at the previous close (10,025)
    expect(m.dailyPnlPct).toBeCloseTo(-325 / 10_025, 12);
    expect(m.dailyLossLimitHit).toBe(true);
    expect(rm.validateTrade({ symbol: 'Y', quantity: 1, entryPrice: 10, time: at(1) }).issues.map((i) => i.code)).toEqual(['daily_loss_limit']);
    // A request in a later day is not blocked by this day's limit.
    expect(rm.validateTrade({ symbol: 'Y', quantity: 1, entryPrice: 10, time: at(1) + DAY }).issues).toEqual([]);
  });

  it('returns flatten at the kill switch until the engine has closed every position', () => {
    const rm = new RiskManager({ dailyLossLimitPct: null, maxPortfolioHeat: null, maxPositionPct: 1 });
    rm.reset({ initialCapital: 10_000, time: at(0) });
    const portfolio = new FakePortfolio(10_000).open('X', 'long', 100, 100);
    expect(rm.mark(portfolio.mark(at(0), { X: 85 }))).toBe('none');
    expect(rm.getDrawdownZone()).toBe('EMERGENCY');
    expect(rm.getRiskMultiplier()).toBe(0);
    expect(rm.mark(portfolio.mark(at(1), { X: 79 }))).toBe('flatten');
    expect(rm.mark(portfolio.mark(at(1), { X: 79 }))).toBe('flatten'); // still open: the engine has not filled yet
    expect(rm.mark(portfolio.close('X', 78).mark(at(2)))).toBe('none');
    expect(rm.getRiskMetrics()).toMatchObject({ killSwitchCount: 1, equity: 7_800, openPositions: 0, tradingHalted: true });
  });
});
