import { Decimal, type Fill, type RiskGate } from '@algo-trading/core';
import { RiskManager } from '@algo-trading/risk';
import { describe, expect, it } from 'vitest';
import { at, expectError } from './helpers';

function fill(overrides: Partial<Fill>): Fill {
  return {
    time: at(0),
    barIndex: 0,
    symbol: 'X',
    side: 'buy',
    effect: 'open',
    quantity: 10,
    price: 100,
    referencePrice: 100,
    commission: 0,
    slippageCost: 0,
    reason: 'entry',
    ...overrides,
  };
}

describe('RiskManager as the engine RiskGate', () => {
  it('is assignable to RiskGate and resets to a fresh book', () => {
    const gate: RiskGate = new RiskManager();
    gate.reset({ initialCapital: 25_000, time: at(0) });
    const rm = gate as RiskManager;
    expect(rm.getCash()).toBe(25_000);
    expect(rm.getEquity()).toBe(25_000);
    expect(rm.getPositions()).toEqual([]);
    rm.onFill(fill({}));
    rm.reset({ initialCapital: 5_000 });
    expect(rm.getPositions()).toEqual([]);
    expect(rm.getTrades()).toEqual([]);
    expect(rm.getRiskMetrics()).toMatchObject({ equity: 5_000, peakEquity: 5_000, periods: 0, tradeCount: 0 });
    expectError(() => rm.reset({ initialCapital: 0 }), 'INVALID_ARGUMENT', /initialCapital must be a finite number greater than 0, got 0/);
  });

  it('reserves the return history from expectedPeriods and still grows past it', () => {
    const rm = new RiskManager();
    rm.reset({ initialCapital: 1_000, time: at(0), expectedPeriods: 2 });
    rm.onFill(fill({ quantity: 5, price: 100 }));
    const closes = [110, 99, 121, 121];
    for (let k = 0; k < closes.length; k++) {
      rm.updatePrice('X', closes[k]!);
      rm.markToMarket(at(0) + k + 1);
    }
    // Equity 500 + 5 x close: 1050, 995, 1105, 1105 after 1000 (4 marks, 2 expected).
    expect(Array.from(rm.getReturns())).toEqual([1050 / 1000 - 1, 995 / 1050 - 1, 1105 / 995 - 1, 0]);
    rm.reset({ initialCapital: 1_000, expectedPeriods: 0 });
    expect(rm.getReturns().length).toBe(0);
    expectError(() => rm.reset({ initialCapital: 1_000, expectedPeriods: 1.5 }), 'INVALID_ARGUMENT', /expectedPeriods must be an integer >= 0, got 1.5/);
    expectError(() => rm.reset({ initialCapital: 1_000, expectedPeriods: -1 }), 'INVALID_ARGUMENT', /expectedPeriods must be an integer >= 0/);
  });

  it('reopens a symbol after a round trip (closed keys stay mapped to nothing)', () => {
    const rm = new RiskManager({ maxPositionPct: 1 });
    rm.reset({ initialCapital: 10_000, time: at(0) });
    rm.onFill(fill({}));
    rm.onFill(fill({ side: 'sell', effect: 'close', price: 101, reason: 'signal' }));
    expect(rm.getPosition('X')).toBeUndefined();
    expect(rm.getPositions()).toEqual([]);
    expectError(() => rm.checkExit('X', 100, 100, 100, 100, at(0)), 'NOT_FOUND', /no open position/);
    rm.onFill(fill({ side: 'sell', price: 102 }));
    expect(rm.getPosition('X')).toMatchObject({ side: 'short', quantity: 10, entryPrice: 102 });
    expect(rm.getTrades()).toHaveLength(1);
  });

  it('books fills exactly in Decimal, like the engine ledger', () => {
    const rm = new RiskManager({ maxPositionPct: 1 });
    rm.reset({ initialCapital: 10_000, time: at(0) });
    const buy = fill({ quantity: 3, price: 33.33, referencePrice: 33.3, commission: 0.09999, slippageCost: 0.09 });
    rm.onFill(buy);
    let ledger = new Decimal(10_000).minus(new Decimal(33.33).times(3)).minus(0.09999);
    expect(rm.getCashDecimal().equals(ledger)).toBe(true);
    expect(rm.getCashDecimal().toString()).toBe('9899.91001');
    expect(rm.getCash()).toBe(9899.91001);
    const sell = fill({ time: at(1), barIndex: 1, side: 'sell', effect: 'close', quantity: 3, price: 35.1, commission: 0.1053, reason: 'signal' });
    rm.onFill(sell);
    ledger = ledger.plus(new Decimal(35.1).times(3)).minus(0.1053);
    expect(rm.getCashDecimal().equals(ledger)).toBe(true);
    expect(rm.getCashDecimal().toString()).toBe('10005.10471');
    const [trade] = rm.getTrades();
    expect(trade).toMatchObject({ symbol: 'X', side: 'long', quantity: 3, entryPrice: 33.33, exitPrice: 35.1, exitReason: 'signal', entryBarIndex: 0, exitBarIndex: 1, barsHeld: 1 });
    expect(trade!.grossPnl).toBeCloseTo(5.31, 12);
    expect(trade!.commission).toBeCloseTo(0.20529, 12);
    expect(trade!.pnl).toBeCloseTo(5.10471, 12);
    expect(trade!.slippageCost).toBeCloseTo(0.09, 12);
  });

  it('keeps positions keyed by symbol, long and short, with levels from the fill or the defaults', () => {
    const rm = new RiskManager({ maxPositionPct: 1 });
    rm.reset({ initialCapital: 10_000, time: at(0) });
    rm.onFill(fill({ symbol: 'A' }));
    rm.onFill(fill({ symbol: 'B', side: 'sell', quantity: 20, price: 50, commission: 1 }), { stopLoss: 52, takeProfit: null });
    expect(rm.getPosition('A')).toMatchObject({ side: 'long', quantity: 10, entryPrice: 100, stopLoss: 97, takeProfit: 105, trailingStop: null });
    expect(rm.getPosition('B')).toMatchObject({ side: 'short', quantity: 20, entryPrice: 50, stopLoss: 52, takeProfit: null });
    expect(rm.getCash()).toBe(10_000 - 1000 + 1000 - 1);
    rm.updatePrice('A', 102);
    rm.updatePrice('B', 49);
    // equity = cash + 10 x 102 - 20 x 49
    expect(rm.getEquity()).toBe(9999 + 1020 - 980);
    expect(rm.markToMarket(at(0))).toBe('none');
    expect(rm.getRiskMetrics().equity).toBe(10_039);
    expect(rm.getPositions().map((p) => p.symbol)).toEqual(['A', 'B']);
    expect(rm.protectiveLevels('short', 200)).toEqual({ stopLoss: 206, takeProfit: 190 });
  });

  it('takeProfitPct above 1: a long target above +100%; a short throws INVALID_CONFIG naming it (its target would be <= 0)', () => {
    const rm = new RiskManager({ takeProfitPct: 1.5 });
    // 100 x (1 + 1.5) = 250; stop 100 x (1 - 0.03) = 97.
    expect(rm.protectiveLevels('long', 100)).toEqual({ stopLoss: 97, takeProfit: 250 });
    expectError(() => rm.protectiveLevels('short', 100), 'INVALID_CONFIG', /takeProfitPct must be below 1 for a short .* got 1\.5/);
    // validateTrade never throws: a short is checked on its own numbers (no default target).
    rm.reset({ initialCapital: 10_000, time: at(0) });
    expect(rm.validateTrade({ symbol: 'X', side: 'short', quantity: 1, entryPrice: 100, stopLoss: 103 }).isValid).toBe(true);
    expect(new RiskManager({ takeProfitPct: 0.5 }).protectiveLevels('short', 100)).toEqual({ stopLoss: 103, takeProfit: 50 });
  });

  it('checkExit: intrabar stop and target, gap, trailing from the next bar, time stop at the close', () => {
    const rm = new RiskManager();
    rm.reset({ initialCapital: 10_000, time: at(0) });
    rm.onFill(fill({}));
    expect(rm.checkExit('X', 100, 101, 99, 100.5, at(0))).toBeNull();
    expect(rm.checkExit('X', 99, 100, 96.5, 97, at(1))).toBe('hard_stop');
    expect(rm.lastExitPrice).toBe(97);
    expect(rm.checkExit('X', 95, 96, 94, 95, at(1))).toBe('hard_stop');
    expect(rm.lastExitPrice).toBe(95);
    expect(rm.checkExit('X', 101, 105.5, 100, 105, at(1))).toBe('take_profit');
    expect(rm.lastExitPrice).toBe(105);
    // arms at high 104 -> 101.92, then the next bar's low 101.8 hits it
    expect(rm.checkExit('X', 100, 104, 100, 103, at(1))).toBeNull();
    expect(rm.checkExit('X', 103, 103.5, 101.8, 102, at(2))).toBe('trailing_stop');
    expect(rm.lastExitPrice).toBeCloseTo(101.92, 10);
    expect(rm.checkExit('X', 103, 103.5, 102.5, 103, at(30))).toBe('time_stop');
    expect(rm.lastExitPrice).toBe(103);
    expectError(() => rm.checkExit('Q', 1, 1, 1, 1, at(30)), 'NOT_FOUND', /checkExit: no open position in "Q"/);
  });

  it('partial closes and adds average the entry and prorate the entry commission', () => {
    const rm = new RiskManager({ maxPositionPct: 1 });
    rm.reset({ initialCapital: 10_000, time: at(0) });
    rm.onFill(fill({ quantity: 10, price: 100, commission: 2 }));
    rm.onFill(fill({ quantity: 30, price: 104, commission: 6 }));
    expect(rm.getPosition('X')).toMatchObject({ quantity: 40, entryPrice: 103 });
    rm.onFill(fill({ side: 'sell', effect: 'close', quantity: 10, price: 110, commission: 1, reason: 'manual' }));
    const [trade] = rm.getTrades();
    expect(trade).toMatchObject({ quantity: 10, grossPnl: 70, commission: 3, pnl: 67 }); // 8 x 10/40 + 1
    expect(rm.getPosition('X')!.quantity).toBe(30);
    rm.onFill(fill({ side: 'sell', effect: 'close', quantity: 30, price: 100, commission: 0, reason: 'manual' }));
    expect(rm.getTrades()[1]).toMatchObject({ quantity: 30, grossPnl: -90, commission: 6, pnl: -96 });
    expect(rm.getPositions()).toEqual([]);
    expect(rm.getCash()).toBe(10_000 + 67 - 96);
  });

  it('rolls the trading day at checkExit, so the day starts at the previous close', () => {
    const rm = new RiskManager({ maxPortfolioHeat: null });
    rm.reset({ initialCapital: 10_000, time: at(0) });
    rm.onFill(fill({ quantity: 25 }), { stopLoss: 50, takeProfit: null });
    rm.updatePrice('X', 101);
    rm.markToMarket(at(0));
    expect(rm.getRiskMetrics().dailyPnl).toBe(25);
    // Next day: the engine checks the bar, records its close, then marks.
    expect(rm.checkExit('X', 95, 96, 87.5, 88, at(1))).toBeNull();
    rm.updatePrice('X', 88);
    expect(rm.markToMarket(at(1))).toBe('none');
    const m = rm.getRiskMetrics();
    expect(m.dailyPnl).toBe(-325); // 25 x (88 - 101) against the equity at the previous close (10,025)
    expect(m.dailyPnlPct).toBeCloseTo(-325 / 10_025, 12);
    expect(m.dailyLossLimitHit).toBe(true);
    expect(rm.validateTrade({ symbol: 'Y', quantity: 1, entryPrice: 10, time: at(1) }).issues.map((i) => i.code)).toEqual(['daily_loss_limit']);
    expect(rm.validateTrade({ symbol: 'Y', quantity: 1, entryPrice: 10, time: at(2) }).issues).toEqual([]);
  });

  it('rejects malformed or impossible fills with a clear error and leaves the book unchanged', () => {
    const rm = new RiskManager();
    rm.reset({ initialCapital: 10_000, time: at(1) });
    expectError(() => rm.onFill(fill({ side: 'sell', effect: 'close' })), 'NOT_FOUND', /closing fill: no open position in "X"/);
    expectError(() => rm.onFill(fill({ price: Number.NaN })), 'INVALID_ARGUMENT', /fill\.price must be a finite number greater than 0, got NaN/);
    expectError(() => rm.onFill(fill({ commission: -1 })), 'INVALID_ARGUMENT', /fill\.commission/);
    expectError(() => rm.onFill(fill({}), { stopLoss: Number.NaN, takeProfit: null }), 'INVALID_ARGUMENT', /levels\.stopLoss/);
    expectError(() => rm.onFill(fill({ time: at(0) })), 'INVALID_STATE', /fill\.time 2024-01-02T15:00:00\.000Z is before the last time seen 2024-01-03T15:00:00\.000Z/);
    expect(rm.getCash()).toBe(10_000);
    rm.onFill(fill({ time: at(1) }));
    expectError(() => rm.onFill(fill({ time: at(1), side: 'sell' })), 'INVALID_STATE', /cannot open a short in X while a long is open/);
    expectError(() => rm.onFill(fill({ time: at(1), effect: 'close' })), 'INVALID_STATE', /a buy fill cannot close the long position/);
    expectError(() => rm.onFill(fill({ time: at(1), side: 'sell', effect: 'close', quantity: 11 })), 'INVALID_STATE', /exceeds the open position of 10/);
    expectError(() => rm.updatePrice('X', 0), 'INVALID_DATA', /price of X must be a finite number greater than 0, got 0/);
    expectError(() => rm.updatePrice('Y', 10), 'NOT_FOUND', /updatePrice: no open position in "Y"/);
    expectError(() => rm.markToMarket(at(0)), 'INVALID_STATE', /before the last time seen/);
    expect(rm.getCash()).toBe(9000);
  });
});
