import type { TradeRequest } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { findInvalidPrices, runTradeChecks, type TradeCheckContext, type TradeCheckLimits } from './trade-checks';

const limits: TradeCheckLimits = {
  maxPositionPct: 0.25,
  minConfidence: 0.55,
  maxPortfolioHeat: 0.03,
  dailyLossLimitPct: 0.03,
  maxDrawdownPct: 0.15,
  maxOpenPositions: null,
  maxGrossExposure: null,
};
const context: TradeCheckContext = {
  availableBalance: 10_000,
  equity: 10_000,
  existingExposure: 0,
  zone: 'NORMAL',
  drawdown: 0,
  openRisk: 0,
  dailyLimitHit: false,
  dailyLoss: 0,
  defaults: { stopLoss: 97, takeProfit: 105 },
  openPositions: 0,
  symbolOpen: false,
  otherGrossExposure: 0,
  symbolExposure: 0,
};
const good: TradeRequest = { symbol: 'AAPL', quantity: 10, entryPrice: 100, stopLoss: 97, confidence: 0.65 };
const codes = (r: TradeRequest, c: Partial<TradeCheckContext> = {}, l: Partial<TradeCheckLimits> = {}) =>
  runTradeChecks(r, { ...context, ...c }, { ...limits, ...l }).map((i) => i.code);

describe('runTradeChecks', () => {
  it('passes a sound trade', () => {
    expect(codes(good)).toEqual([]);
  });

  it('fails each check alone', () => {
    expect(codes(good, { availableBalance: 999 })).toEqual(['insufficient_balance']);
    expect(codes({ ...good, commission: 1 }, { availableBalance: 1000 })).toEqual(['insufficient_balance']);
    expect(codes({ ...good, quantity: 26 })).toEqual(['position_limit']);
    expect(codes(good, { existingExposure: 1501 })).toEqual(['position_limit']);
    expect(codes({ ...good, confidence: 0.5 })).toEqual(['low_confidence']);
    expect(codes({ ...good, confidence: 1.2 })).toEqual(['low_confidence']);
    expect(codes(good, { zone: 'EMERGENCY', drawdown: 0.16 })).toEqual(['drawdown_halt']);
    expect(codes(good, { openRisk: 271 })).toEqual(['portfolio_heat']); // (271 + 30) / 10000 > 3%
    expect(codes(good, { dailyLimitHit: true, dailyLoss: 0.031 })).toEqual(['daily_loss_limit']);
    expect(codes({ ...good, stopLoss: 101 })).toEqual(['invalid_prices']);
  });

  it('accepts heat exactly at the maximum and uses the default stop when none is given', () => {
    expect(codes(good, { openRisk: 270 })).toEqual([]);
    const { stopLoss: _ignored, ...noStop } = good;
    expect(codes(noStop, { openRisk: 271, defaults: { stopLoss: 97, takeProfit: null } })).toEqual(['portfolio_heat']);
    expect(codes(noStop, { openRisk: 0, defaults: { stopLoss: null, takeProfit: null } })).toEqual(['portfolio_heat']); // no stop: whole notional at risk
  });

  it('skips disabled limits and a missing confidence', () => {
    const { confidence: _c, ...noConfidence } = good;
    expect(codes(noConfidence)).toEqual([]);
    expect(codes(good, { openRisk: 5000, dailyLimitHit: true }, { maxPortfolioHeat: null, dailyLossLimitPct: null })).toEqual([]);
  });

  it('returns every failed check together, with messages naming the numbers', () => {
    const issues = runTradeChecks(
      { ...good, quantity: 30, confidence: 0.4, stopLoss: 60 },
      { ...context, availableBalance: 2000, zone: 'EMERGENCY', drawdown: 0.2, dailyLimitHit: true, dailyLoss: 0.05 },
      limits,
    );
    expect(issues.map((i) => i.code)).toEqual([
      'insufficient_balance',
      'position_limit',
      'low_confidence',
      'drawdown_halt',
      'portfolio_heat',
      'daily_loss_limit',
    ]);
    expect(issues[0]!.message).toBe('long 30 x 100 + commission 0.00 = 3000.00 exceeds the available balance 2000.00');
    expect(issues[1]!.message).toBe('position value 3000.00 exceeds 25.00% of equity (2500.00)');
    expect(issues[2]!.message).toBe('confidence 0.4 is below the minimum 0.55');
    expect(issues[3]!.message).toMatch(/drawdown 20\.00% .* maximum 15\.00%/);
    expect(issues[4]!.message).toMatch(/portfolio heat would be 12\.00%/);
    expect(issues[5]!.message).toMatch(/daily loss 5\.00% reached the limit 3\.00%/);
  });

  it('reports all invalid numbers in one invalid_prices issue and skips checks that need them', () => {
    const issues = runTradeChecks({ symbol: '', quantity: Number.NaN, entryPrice: -1, takeProfit: 0 }, context, limits);
    expect(issues.map((i) => i.code)).toEqual(['invalid_prices']);
    expect(issues[0]!.message).toMatch(/symbol must be a non-empty string, got ""/);
    expect(issues[0]!.message).toMatch(/entryPrice must be a finite number greater than 0, got -1/);
    expect(issues[0]!.message).toMatch(/quantity must be a finite number greater than 0, got NaN/);
    expect(issues[0]!.message).toMatch(/takeProfit must be a finite number greater than 0, got 0/);
  });
});

describe('runTradeChecks: portfolio limits', () => {
  it('max_open_positions: a new symbol beyond the limit is refused; adding to a held symbol is not a new position', () => {
    expect(codes(good, { openPositions: 2 }, { maxOpenPositions: 3 })).toEqual([]);
    expect(codes(good, { openPositions: 3 }, { maxOpenPositions: 3 })).toEqual(['max_open_positions']);
    expect(codes(good, { openPositions: 3, symbolOpen: true }, { maxOpenPositions: 3 })).toEqual([]);
    expect(codes(good, { openPositions: 50 })).toEqual([]); // off by default
    const [issue] = runTradeChecks(good, { ...context, openPositions: 3 }, { ...limits, maxOpenPositions: 3 });
    expect(issue!.message).toBe('3 positions are open, the maximum is 3: AAPL would open one more');
  });

  it('gross_exposure: |market values| of every position plus the order, over the equity after commission', () => {
    // 1,000 (order) + 8,000 (others) = 9,000 <= 0.9 x 10,000: at the cap is allowed.
    expect(codes(good, { otherGrossExposure: 8000 }, { maxGrossExposure: 0.9 })).toEqual([]);
    expect(codes(good, { otherGrossExposure: 8001 }, { maxGrossExposure: 0.9 })).toEqual(['gross_exposure']);
    // The commission lowers the equity: 9,000 / (10,000 - 10) > 0.9.
    expect(codes({ ...good, commission: 10 }, { otherGrossExposure: 8000 }, { maxGrossExposure: 0.9 })).toEqual(['gross_exposure']);
    // Same side adds: 500 held + 1,000 + 8,000 = 9,500 > 9,000.
    expect(codes(good, { otherGrossExposure: 8000, symbolExposure: 500 }, { maxGrossExposure: 0.9 })).toEqual(['gross_exposure']);
    // Opposite side nets: |-500 + 1,000| + 8,400 = 8,900 <= 9,000.
    expect(codes(good, { otherGrossExposure: 8400, symbolExposure: -500 }, { maxGrossExposure: 0.9 })).toEqual([]);
    // Leverage: a cap above 1.
    expect(codes(good, { otherGrossExposure: 14_000 }, { maxGrossExposure: 1.5, maxPositionPct: 1 })).toEqual([]);
    expect(codes(good, { otherGrossExposure: 14_001 }, { maxGrossExposure: 1.5 })).toEqual(['gross_exposure']);
    // Equity gone: any exposure is above the cap.
    expect(codes(good, { equity: 0 }, { maxGrossExposure: 5, maxPortfolioHeat: null })).toEqual(['position_limit', 'gross_exposure']);
    const [issue] = runTradeChecks(good, { ...context, otherGrossExposure: 8500 }, { ...limits, maxGrossExposure: 0.9 });
    expect(issue!.message).toBe('gross exposure would be 95.00% of equity (9500.00 / 10000.00), above the maximum 90.00%');
  });

  it('skips gross_exposure when the numbers are invalid (reported as invalid_prices)', () => {
    expect(codes({ ...good, quantity: Number.NaN }, { otherGrossExposure: 1e9 }, { maxGrossExposure: 0.5 })).toEqual(['invalid_prices']);
  });
});

describe('findInvalidPrices', () => {
  it('checks the side of the stop and the target', () => {
    expect(findInvalidPrices({ ...good, side: 'short', stopLoss: 103, takeProfit: 95 }, 'short')).toEqual([]);
    expect(findInvalidPrices({ ...good, side: 'short', stopLoss: 97 }, 'short')).toEqual([
      'stopLoss 97 must be above the entry price 100 of a short',
    ]);
    expect(findInvalidPrices({ ...good, takeProfit: 99 }, 'long')).toEqual(['takeProfit 99 must be above the entry price 100 of a long']);
    expect(findInvalidPrices({ ...good, stopLoss: Number.POSITIVE_INFINITY }, 'long')).toEqual([
      'stopLoss must be a finite number greater than 0, got Infinity',
    ]);
    expect(findInvalidPrices({ ...good, commission: -1 }, 'long')).toEqual(['commission must be a finite number >= 0, got -1']);
  });
});
