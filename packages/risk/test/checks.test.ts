import { TRADE_CHECK_CODES } from '@algo-trading/core';
import { RiskManager } from '@algo-trading/risk';
import { describe, expect, it } from 'vitest';
import { at } from './helpers';

const good = { symbol: 'AAPL', quantity: 10, entryPrice: 100, stopLoss: 97, confidence: 0.65 };
const codes = (rm: RiskManager, request: Parameters<RiskManager['validateTrade']>[0]) =>
  rm.validateTrade(request).issues.map((i) => i.code);

describe('validateTrade: the seven checks on a live book', () => {
  it('accepts a valid trade (1% stop, confidence above the minimum) on a fresh manager', () => {
    expect(new RiskManager().validateTrade(good)).toEqual({ isValid: true, issues: [] });
  });

  it('insufficient_balance alone (cash spent by other positions, commission counted)', () => {
    const rm = new RiskManager({ initialCapital: 1000, maxPositionPct: 1 });
    expect(codes(rm, { ...good, stopLoss: 98 })).toEqual([]);
    expect(codes(rm, { ...good, stopLoss: 98, commission: 1 })).toEqual(['insufficient_balance']);
  });

  it('insufficient_balance counts short-sale proceeds as owed, not as free cash', () => {
    const rm = new RiskManager({ maxPositionPct: 1, maxPortfolioHeat: null });
    rm.openPosition({ symbol: 'S', side: 'short', entryPrice: 100, quantity: 60, entryDate: at(0) }); // cash 16,000, owes 6,000
    rm.openPosition({ symbol: 'L', entryPrice: 100, quantity: 30, entryDate: at(0) }); // cash 13,000
    expect(rm.getCash()).toBe(13_000);
    expect(rm.getEquity()).toBe(10_000);
    expect(codes(rm, { ...good, quantity: 70 })).toEqual([]); // 7,000 <= 13,000 - 6,000
    expect(codes(rm, { ...good, quantity: 71 })).toEqual(['insufficient_balance']);
  });

  it('position_limit alone, counting what is already held in the symbol', () => {
    const rm = new RiskManager();
    expect(codes(rm, { ...good, quantity: 30, stopLoss: 99 })).toEqual(['position_limit']);
    rm.openPosition({ symbol: 'AAPL', entryPrice: 100, quantity: 20, entryDate: at(0) });
    expect(codes(rm, { ...good, quantity: 5 })).toEqual([]); // 2,500 <= 25% of 10,000
    expect(codes(rm, { ...good, quantity: 6 })).toEqual(['position_limit']);
  });

  it('low_confidence alone', () => {
    expect(codes(new RiskManager(), { ...good, confidence: 0.5 })).toEqual(['low_confidence']);
    expect(codes(new RiskManager({ minConfidence: 0.4 }), { ...good, confidence: 0.5 })).toEqual([]);
  });

  it('drawdown_halt alone, a day after the loss', () => {
    const rm = new RiskManager();
    rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 100, stopLoss: 50, entryDate: at(0, 10), skipChecks: true });
    rm.updatePositions({ X: 84 }, at(0, 11)); // -16%: EMERGENCY, below the 20% kill switch
    rm.closePosition({ symbol: 'X', exitPrice: 84, exitDate: at(0, 12) });
    expect(rm.getRiskMetrics()).toMatchObject({ equity: 8400, drawdownZone: 'EMERGENCY', haltReasons: ['drawdown_halt', 'daily_loss_limit'] });
    const next = { ...good, time: at(1, 10) };
    const result = rm.validateTrade(next);
    expect(result.issues.map((i) => i.code)).toEqual(['drawdown_halt']);
    expect(result.issues[0]!.message).toBe('drawdown 16.00% is at or beyond the maximum 15.00%: trading halted (zone EMERGENCY)');
  });

  it('portfolio_heat alone', () => {
    expect(codes(new RiskManager(), { ...good, stopLoss: 60 })).toEqual(['portfolio_heat']);
  });

  it('daily_loss_limit alone', () => {
    const rm = new RiskManager();
    rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 25, stopLoss: 80, entryDate: at(0, 10), skipChecks: true });
    rm.updatePositions({ X: 88 }, at(0, 11));
    rm.closePosition({ symbol: 'X', exitPrice: 88, exitDate: at(0, 12) });
    expect(codes(rm, good)).toEqual(['daily_loss_limit']);
  });

  it('invalid_prices alone: wrong-side stop, NaN entry, non-positive quantity', () => {
    const rm = new RiskManager();
    expect(codes(rm, { ...good, stopLoss: 101 })).toEqual(['invalid_prices']);
    expect(codes(rm, { ...good, side: 'short' })).toEqual(['invalid_prices']); // stop 97 below a short entry
    expect(codes(rm, { ...good, entryPrice: Number.NaN })).toEqual(['invalid_prices']);
    expect(codes(rm, { ...good, quantity: 0 })).toEqual(['invalid_prices']);
    expect(codes(rm, null as never)).toEqual(['invalid_prices']);
  });

  it('returns every failed check at once', () => {
    const rm = new RiskManager();
    rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 100, stopLoss: 50, entryDate: at(0, 10), skipChecks: true });
    rm.updatePositions({ X: 84 }, at(0, 11));
    // cash 0; zone EMERGENCY; day -16%; heat already 34 x 100 / 8,400 > 3%.
    const result = rm.validateTrade({ symbol: 'Y', quantity: 30, entryPrice: 100, stopLoss: 60, confidence: 0.3 });
    expect(result.isValid).toBe(false);
    expect(result.issues.map((i) => i.code)).toEqual([
      'insufficient_balance',
      'position_limit',
      'low_confidence',
      'drawdown_halt',
      'portfolio_heat',
      'daily_loss_limit',
    ]);
    const all = rm.validateTrade({ symbol: 'Y', quantity: 30, entryPrice: 100, stopLoss: 101, confidence: 0.3 });
    expect(new Set(all.issues.map((i) => i.code))).toEqual(new Set(TRADE_CHECK_CODES.slice(0, 7)));
  });

  it('every check code, the portfolio limits included, when each is configured and broken', () => {
    const rm = new RiskManager({ maxOpenPositions: 1, maxGrossExposure: 0.5 });
    rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 100, stopLoss: 50, entryDate: at(0, 10), skipChecks: true });
    rm.updatePositions({ X: 84 }, at(0, 11));
    const all = rm.validateTrade({ symbol: 'Y', quantity: 30, entryPrice: 100, stopLoss: 101, confidence: 0.3 });
    expect(new Set(all.issues.map((i) => i.code))).toEqual(new Set(TRADE_CHECK_CODES));
  });
});

describe('validateTrade: the portfolio limits on a live book', () => {
  it('max_open_positions counts positions across symbols; adding to a held one is allowed', () => {
    const rm = new RiskManager({ maxOpenPositions: 2, maxPortfolioHeat: null, maxPositionPct: 1 });
    rm.openPosition({ symbol: 'A', entryPrice: 100, quantity: 10, entryDate: at(0) });
    expect(codes(rm, { ...good, symbol: 'B' })).toEqual([]);
    rm.openPosition({ symbol: 'B', entryPrice: 100, quantity: 10, entryDate: at(0) });
    const refused = rm.validateTrade({ ...good, symbol: 'C' });
    expect(refused.issues).toEqual([{ code: 'max_open_positions', message: '2 positions are open, the maximum is 2: C would open one more' }]);
    expect(codes(rm, { ...good, symbol: 'A' })).toEqual([]);
    rm.closePosition({ symbol: 'A', exitPrice: 100, exitDate: at(1) });
    expect(codes(rm, { ...good, symbol: 'C' })).toEqual([]);
  });

  it('gross_exposure sums |market value| of longs and shorts at their latest prices, plus the order', () => {
    const rm = new RiskManager({ maxGrossExposure: 0.6, maxPortfolioHeat: null, maxPositionPct: 1, takeProfitPct: null, hardStopPct: null, trailingStopPct: null });
    rm.openPosition({ symbol: 'L', entryPrice: 100, quantity: 20, entryDate: at(0) }); // 2,000 long
    rm.openPosition({ symbol: 'S', side: 'short', entryPrice: 50, quantity: 40, entryDate: at(0) }); // 2,000 short
    // equity 10,000: 4,000 held + 2,000 order = 6,000 = 60%: allowed; one more unit is not.
    expect(codes(rm, { ...good, quantity: 20 })).toEqual([]);
    expect(codes(rm, { ...good, quantity: 21 })).toEqual(['gross_exposure']);
    // L rises to 110: gross 2,200 + 2,000, equity 10,200, cap 6,120: 1,900 fits, 2,000 does not.
    rm.updatePositions({ L: 110, S: 50 }, at(1));
    expect(codes(rm, { ...good, quantity: 19 })).toEqual([]);
    expect(codes(rm, { ...good, quantity: 20 })).toEqual(['gross_exposure']);
  });
});
