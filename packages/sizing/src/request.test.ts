import { catchAlgoTradingError, type PositionSizer, type SizingRequest } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { expectRejects } from '../test/helpers';
import { ConfidenceBasedSizing } from './confidence-based';
import { FixedFractionalSizing } from './fixed-fractional';
import { KellyCriterion } from './kelly';
import { PercentOfEquitySizing } from './percent-of-equity';

// A request every sizer accepts: Kelly and confidence fields are ignored by the others.
const valid: SizingRequest = {
  capital: 10_000,
  entryPrice: 100,
  stopLossPrice: 95,
  winRate: 0.6,
  avgWin: 300,
  avgLoss: 100,
  confidence: 0.75,
};

const sizers: readonly PositionSizer[] = [
  new FixedFractionalSizing(),
  new KellyCriterion(),
  new ConfidenceBasedSizing(),
  new PercentOfEquitySizing(),
];

// The valid request sized by hand with each sizer's defaults (risk per unit 100 - 95 = 5, cap 25%
// of 10,000 = 2,500 = 25 units):
// - fixed fractional 1%: 100 / 5 = 20 units, under the cap;
// - Kelly: f* = 0.6 - 0.4 / 3 = 0.4667, a quarter is 0.1167, capped at 2%: 200 / 5 = 40 -> cap 25;
// - confidence 0.75: 1% + 1% x (0.75 - 0.55) / 0.45 = 1.444%: 144.4 / 5 = 28.9 -> cap 25;
// - percent of equity 100%: 10,000 / 100 = 100 units.
const HAND_SIZED: Record<string, { quantity: number; riskFraction: number; limitedBy: string }> = {
  fixed_fractional: { quantity: 20, riskFraction: 0.01, limitedBy: 'risk' },
  kelly: { quantity: 25, riskFraction: 0.02, limitedBy: 'max_position' },
  confidence_based: { quantity: 25, riskFraction: 0.01 + (0.01 * 0.2) / 0.45, limitedBy: 'max_position' },
  percent_of_equity: { quantity: 100, riskFraction: 1, limitedBy: 'fraction' },
};

describe.each(sizers.map((s) => [s.method, s] as const))('%s: shared request checks', (method, sizer) => {
  it('sizes the valid request as computed by hand', () => {
    const expected = HAND_SIZED[method]!;
    const result = sizer.calculate(valid);
    expect(result).toMatchObject({ quantity: expected.quantity, limitedBy: expected.limitedBy, riskPerUnit: 5 });
    expect(result.riskFraction).toBeCloseTo(expected.riskFraction, 15);
    expect(sizer.calculateSize(valid)).toBe(expected.quantity);
  });

  it.each([
    ['capital', { capital: Number.NaN }, 'capital must be a finite number greater than or equal to 0, got NaN'],
    ['capital', { capital: -0.01 }, 'got -0.01'],
    ['entryPrice', { entryPrice: Number.NaN }, 'entryPrice must be a finite number greater than 0, got NaN'],
    ['entryPrice', { entryPrice: -Infinity }, 'got -Infinity'],
    ['side', { side: 'up' }, 'side must be "long" or "short", got "up"'],
    ['riskMultiplier', { riskMultiplier: 1.5 }, 'riskMultiplier must be a number in [0, 1], got 1.5'],
    ['riskMultiplier', { riskMultiplier: -0.1 }, 'got -0.1'],
    ['riskMultiplier', { riskMultiplier: Number.NaN }, 'got NaN'],
    ['cash', { cash: -1 }, 'cash must be a finite number greater than or equal to 0, got -1'],
    ['cash', { cash: Number.NaN }, 'got NaN'],
    ['commissionPct', { commissionPct: -0.001 }, 'commissionPct must be a number in [0, 1), got -0.001'],
    ['commissionPct', { commissionPct: 1 }, 'got 1'],
    ['stopLossPrice', { stopLossPrice: 0 }, 'stopLossPrice must be a finite number greater than 0, got 0'],
    ['stopLossPrice', { stopLossPrice: Infinity }, 'got Infinity'],
    ['stopLossPrice', { side: 'long', stopLossPrice: 101 }, 'at or below entryPrice (100) for a long position, got 101'],
    ['stopLossPrice', { stopLossPrice: 101 }, 'at or below entryPrice (100) for a long position (side defaults to "long"; pass side: "short" for a short), got 101'],
    ['stopLossPrice', { side: 'short', stopLossPrice: 99 }, 'at or above entryPrice (100) for a short position, got 99'],
  ])('rejects a bad %s: %o', (field, patch, message) => {
    const request = { ...valid, ...patch } as SizingRequest;
    expectRejects(() => sizer.calculate(request), 'INVALID_ARGUMENT', field, message);
    // calculateSize validates the same way.
    expectRejects(() => sizer.calculateSize(request), 'INVALID_ARGUMENT', field);
  });

  it('rejects a missing request', () => {
    const error = catchAlgoTradingError(() => sizer.calculate(null as unknown as SizingRequest));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('request must be a sizing request object, got null');
  });

  it('returns 0 for zero capital', () => {
    expect(sizer.calculate({ ...valid, capital: 0 })).toMatchObject({ quantity: 0, limitedBy: 'zero_capital' });
  });

  it('returns 0 for a zero risk multiplier', () => {
    expect(sizer.calculate({ ...valid, riskMultiplier: 0 })).toMatchObject({ quantity: 0, limitedBy: 'risk_multiplier' });
  });

  it('returns 0 when no cash is left', () => {
    expect(sizer.calculate({ ...valid, cash: 0 })).toMatchObject({ quantity: 0, limitedBy: 'cash' });
  });

  it('rejects a missing or null stop when it sizes by risk, and accepts it otherwise', () => {
    for (const stopLossPrice of [undefined, null]) {
      const request = { ...valid, stopLossPrice } as unknown as SizingRequest;
      if (sizer.method === 'percent_of_equity') {
        expect(sizer.calculate(request)).toMatchObject({ riskPerUnit: 0, riskAmount: 0 });
      } else {
        expectRejects(() => sizer.calculate(request), 'INVALID_ARGUMENT', 'stopLossPrice', `is required by ${sizer.method} sizing`);
      }
    }
  });

  it('accepts a stop equal to the entry on either side: zero risk per unit', () => {
    // Risk-based sizers cannot size a zero risk (quantity 0, `zero_risk`); percent of equity sizes
    // by capital (100 units) and reports no risk.
    const expected = method === 'percent_of_equity' ? { quantity: 100, riskAmount: 0, limitedBy: 'fraction' } : { quantity: 0, riskAmount: 0, limitedBy: 'zero_risk' };
    for (const side of ['long', 'short'] as const) {
      expect(sizer.calculate({ ...valid, stopLossPrice: 100, side })).toMatchObject({ ...expected, riskPerUnit: 0 });
    }
  });
});

describe('the engine call', () => {
  // What the backtest engine passes at fill time: no Kelly statistics (they are in the options),
  // the fill price as entry, the equity as capital, the drawdown-zone multiplier, cash and commission.
  const engineSizers: readonly PositionSizer[] = [
    new FixedFractionalSizing(),
    new KellyCriterion({ winRate: 0.6, avgWin: 300, avgLoss: 100 }),
    new ConfidenceBasedSizing(),
    new PercentOfEquitySizing(),
  ];
  const request: SizingRequest = {
    capital: 10_000,
    entryPrice: 100,
    stopLossPrice: 97,
    side: 'long',
    confidence: 1,
    riskMultiplier: 0.5,
    cash: 10_000,
    commissionPct: 0.001,
  };

  it('every sizer accepts it; hand-computed sizes', () => {
    // fixed: 10,000 x 0.01 x 0.5 / 3 = 16.67 -> 16 (cap 25, cash 99).
    // kelly: min(0.25 x 0.4667, 0.02) x 0.5 = 0.01 -> 33.3 -> cap 25.
    // confidence 1: 0.02 x 0.5 = 0.01 -> 33.3 -> cap 25.
    // percent: 10,000 x 0.5 / 100.1 = 49.95 -> 49.
    expect(engineSizers.map((s) => s.calculate(request))).toMatchObject([
      { quantity: 16, riskFraction: 0.005, limitedBy: 'risk' },
      { quantity: 25, riskFraction: 0.01, limitedBy: 'max_position' },
      { quantity: 25, riskFraction: 0.01, limitedBy: 'max_position' },
      { quantity: 49, riskFraction: 0.5, limitedBy: 'fraction' },
    ]);
  });

  it('shorts and optional fields given as undefined', () => {
    const short: SizingRequest = {
      ...request,
      stopLossPrice: 103,
      side: 'short',
      riskMultiplier: undefined,
      cash: undefined,
      commissionPct: undefined,
    };
    // fixed: 100 / 3 = 33.3 -> cap 25; percent: 10,000 / 100 = 100.
    expect(engineSizers.map((s) => s.calculateSize(short))).toEqual([25, 25, 25, 100]);
  });

  it('the cash cut keeps the purchase and its commission within the cash', () => {
    const tight = { ...request, riskMultiplier: 1, cash: 1_000, commissionPct: 0.01 };
    for (const sizer of engineSizers) {
      const { quantity, limitedBy } = sizer.calculate(tight);
      // 1,000 / 101 = 9.9 -> 9 for every sizer.
      expect(quantity).toBe(9);
      expect(limitedBy).toBe('cash');
      expect(quantity * 100 * 1.01).toBeLessThanOrEqual(1_000);
    }
  });
});
