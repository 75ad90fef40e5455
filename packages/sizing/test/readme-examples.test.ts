import type { PositionSizer, SizingRequest, SizingResult } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import {
  ConfidenceBasedSizing,
  DEFAULT_LOT_SIZE,
  DEFAULT_MAX_POSITION_FRACTION,
  FixedFractionalSizing,
  KellyCriterion,
  PercentOfEquitySizing,
  SIZING_METHODS,
  confidenceBasedOptionsSchema,
  createPositionSizer,
  fixedFractionalOptionsSchema,
  isSizingMethod,
  kellyOptionsSchema,
  percentOfEquityOptionsSchema,
} from '../src/index';

// Golden tests: the three worked examples and every other example of README.md, through the public entry.

describe('the worked examples: all three give 25', () => {
  it('fixed fractional', () => {
    expect(
      new FixedFractionalSizing({ riskFraction: 0.01, maxPositionFraction: 0.25 }).calculateSize({
        capital: 10_000,
        entryPrice: 100,
        stopLossPrice: 97,
      }),
    ).toBe(25);
  });

  it('Kelly', () => {
    expect(
      new KellyCriterion({ kellyFraction: 0.25, minWinRate: 0.4 }).calculateSize({
        capital: 10_000,
        entryPrice: 100,
        stopLossPrice: 97,
        winRate: 0.6,
        avgWin: 300,
        avgLoss: 100,
      }),
    ).toBe(25);
  });

  it('confidence based', () => {
    expect(
      new ConfidenceBasedSizing({ baseRiskFraction: 0.01, maxRiskFraction: 0.02, minConfidence: 0.55 }).calculateSize({
        capital: 10_000,
        entryPrice: 100,
        stopLossPrice: 97,
        confidence: 0.75,
      }),
    ).toBe(25);
  });
});

describe('README examples', () => {
  it('percent of equity, all in with commission', () => {
    expect(new PercentOfEquitySizing({ fraction: 1, commissionPct: 0.001 }).calculateSize({ capital: 10_000, entryPrice: 100 })).toBe(99);
  });

  it('the detail of a decision', () => {
    expect(new FixedFractionalSizing().calculate({ capital: 10_000, entryPrice: 100, stopLossPrice: 97 })).toEqual({
      quantity: 25,
      riskAmount: 75,
      riskFraction: 0.01,
      riskPerUnit: 3,
      positionValue: 2_500,
      limitedBy: 'max_position',
    });
  });

  it('a short', () => {
    expect(new FixedFractionalSizing().calculateSize({ capital: 10_000, entryPrice: 100, stopLossPrice: 105, side: 'short' })).toBe(20);
  });

  it('the factory', () => {
    const sizer = createPositionSizer('confidence_based', { baseRiskFraction: 0.01, maxRiskFraction: 0.02 });
    expect(sizer.calculateSize({ capital: 10_000, entryPrice: 100, stopLossPrice: 97, confidence: 0.75 })).toBe(25);
  });

  it('the engine call', () => {
    expect(
      new FixedFractionalSizing().calculate({
        capital: 10_000,
        entryPrice: 100,
        stopLossPrice: 95,
        side: 'long',
        riskMultiplier: 0.5,
        cash: 800,
        commissionPct: 0.001,
      }),
    ).toEqual({ quantity: 7, riskAmount: 35, riskFraction: 0.005, riskPerUnit: 5, positionValue: 700, limitedBy: 'cash' });
  });

  it('fractional lots', () => {
    expect(
      new PercentOfEquitySizing({ fraction: 0.5, commissionPct: 0.001, lotSize: 1e-8 }).calculateSize({ capital: 1_000, entryPrice: 43_210.5 }),
    ).toBe(0.0115597);
  });

  it('a user-written sizer satisfies the interface', () => {
    class FixedUnits implements PositionSizer {
      readonly method = 'fixed_units';
      constructor(private readonly units: number) {}
      calculate(r: SizingRequest): SizingResult {
        const riskPerUnit = r.stopLossPrice === undefined ? 0 : Math.abs(r.entryPrice - r.stopLossPrice);
        const quantity = this.units;
        return { quantity, riskAmount: quantity * riskPerUnit, riskFraction: 0, riskPerUnit, positionValue: quantity * r.entryPrice, limitedBy: 'lot' };
      }
      calculateSize(r: SizingRequest): number {
        return this.calculate(r).quantity;
      }
    }
    const sizers: PositionSizer[] = [new FixedUnits(3), createPositionSizer('percent_of_equity')];
    expect(sizers.map((s) => s.calculateSize({ capital: 1_000, entryPrice: 100, stopLossPrice: 95 }))).toEqual([3, 10]);
  });
});

describe('public entry', () => {
  it('exports the constants and schemas', () => {
    expect(DEFAULT_LOT_SIZE).toBe(1);
    expect(DEFAULT_MAX_POSITION_FRACTION).toBe(0.25);
    expect(SIZING_METHODS.every(isSizingMethod)).toBe(true);
    expect(fixedFractionalOptionsSchema.parse({}).riskFraction).toBe(0.01);
    expect(kellyOptionsSchema.parse({}).maxRiskFraction).toBe(0.02);
    expect(confidenceBasedOptionsSchema.parse({}).minConfidence).toBe(0.55);
    expect(percentOfEquityOptionsSchema.parse({}).fraction).toBe(1);
    expect(() => fixedFractionalOptionsSchema.parse({ riskFracton: 0.01 })).toThrow();
  });
});
