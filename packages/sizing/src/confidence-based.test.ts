import { describe, expect, it } from 'vitest';
import { expectRejects } from '../test/helpers';
import { ConfidenceBasedSizing, confidenceBasedOptionsSchema } from './confidence-based';

const base = { capital: 10_000, entryPrice: 100 } as const;

describe('ConfidenceBasedSizing: hand-computed sizes', () => {
  const sizer = new ConfidenceBasedSizing();

  it('applies the product defaults', () => {
    expect(sizer.method).toBe('confidence_based');
    expect(sizer.options).toEqual({
      baseRiskFraction: 0.01,
      maxRiskFraction: 0.02,
      minConfidence: 0.55,
      maxPositionFraction: 0.25,
      lotSize: 1,
    });
    expect(Object.isFrozen(sizer.options)).toBe(true);
  });

  it('worked example: confidence 0.75, the position cap binds', () => {
    // riskFraction = 0.01 + 0.01 x (0.75 - 0.55) / 0.45 = 0.014444; 144.44 / 3 = 48.1 units by risk;
    // cap 2,500 / 100 = 25.
    const result = sizer.calculate({ ...base, stopLossPrice: 97, confidence: 0.75 });
    expect(result).toMatchObject({ quantity: 25, riskAmount: 75, riskPerUnit: 3, positionValue: 2_500, limitedBy: 'max_position' });
    expect(result.riskFraction).toBeCloseTo(0.0144444444, 9);
  });

  it('risks the base fraction at minConfidence and the maximum at confidence 1', () => {
    // Per-unit risk 10: 10,000 x 0.01 / 10 = 10 units; 10,000 x 0.02 / 10 = 20 units (cap 25).
    expect(sizer.calculate({ ...base, stopLossPrice: 90, confidence: 0.55 })).toEqual({
      quantity: 10,
      riskAmount: 100,
      riskFraction: 0.01,
      riskPerUnit: 10,
      positionValue: 1_000,
      limitedBy: 'risk',
    });
    expect(sizer.calculate({ ...base, stopLossPrice: 90, confidence: 1 })).toEqual({
      quantity: 20,
      riskAmount: 200,
      riskFraction: 0.02,
      riskPerUnit: 10,
      positionValue: 2_000,
      limitedBy: 'risk',
    });
  });

  it('interpolates linearly in between', () => {
    // Halfway: (0.775 - 0.55) / 0.45 = 0.5 -> 0.015 -> 150 / 10 = 15 units.
    const half = sizer.calculate({ ...base, stopLossPrice: 90, confidence: 0.775 });
    expect(half.quantity).toBe(15);
    expect(half.riskFraction).toBeCloseTo(0.015, 12);
    // 0.9: 0.01 + 0.01 x 0.35 / 0.45 = 0.017778 -> 177.8 / 10 = 17.78 -> 17.
    expect(sizer.calculateSize({ ...base, stopLossPrice: 90, confidence: 0.9 })).toBe(17);
  });

  it('clamps a confidence above 1 to 1', () => {
    expect(sizer.calculate({ ...base, stopLossPrice: 90, confidence: 1.2 })).toMatchObject({ quantity: 20, riskFraction: 0.02 });
    expect(sizer.calculate({ ...base, stopLossPrice: 90, confidence: 75 })).toMatchObject({ quantity: 20, riskFraction: 0.02 });
  });

  it('declines below minConfidence', () => {
    expect(sizer.calculate({ ...base, stopLossPrice: 90, confidence: 0.5499 })).toEqual({
      quantity: 0,
      riskAmount: 0,
      riskFraction: 0,
      riskPerUnit: 10,
      positionValue: 0,
      limitedBy: 'confidence',
    });
    expect(sizer.calculate({ ...base, stopLossPrice: 90, confidence: 0 })).toMatchObject({ quantity: 0, limitedBy: 'confidence' });
  });

  it('sizes declared shorts from a stop above the entry; without a side the request is a long', () => {
    expect(sizer.calculate({ ...base, stopLossPrice: 110, side: 'short', confidence: 1 })).toMatchObject({ quantity: 20, riskPerUnit: 10, limitedBy: 'risk' });
    expect(() => sizer.calculate({ ...base, stopLossPrice: 110, confidence: 1 })).toThrow(/for a long position .*got 110/);
    expect(sizer.calculateSize({ ...base, stopLossPrice: 110, side: 'short', confidence: 0.55 })).toBe(10);
    expect(sizer.calculate({ ...base, stopLossPrice: 103, side: 'short', confidence: 0.75 })).toMatchObject({
      quantity: 25,
      limitedBy: 'max_position',
    });
  });

  it('scales by riskMultiplier after the interpolation', () => {
    // 0.02 x 0.5 = 0.01 -> 10 units; 0.02 x 0.25 = 0.005 -> 5 units.
    expect(sizer.calculate({ ...base, stopLossPrice: 90, confidence: 1, riskMultiplier: 0.5 })).toMatchObject({
      quantity: 10,
      riskFraction: 0.01,
      limitedBy: 'risk',
    });
    expect(sizer.calculateSize({ ...base, stopLossPrice: 90, confidence: 1, riskMultiplier: 0.25 })).toBe(5);
    expect(sizer.calculate({ ...base, stopLossPrice: 90, confidence: 1, riskMultiplier: 0 })).toMatchObject({
      quantity: 0,
      limitedBy: 'risk_multiplier',
    });
  });

  it('floors to integer and fractional lots', () => {
    // Per-unit risk 6 at minConfidence: 100 / 6 = 16.666...
    expect(sizer.calculateSize({ ...base, stopLossPrice: 94, confidence: 0.55 })).toBe(16);
    expect(new ConfidenceBasedSizing({ lotSize: 0.001 }).calculateSize({ ...base, stopLossPrice: 94, confidence: 0.55 })).toBe(16.666);
    expect(new ConfidenceBasedSizing({ lotSize: 10 }).calculateSize({ ...base, stopLossPrice: 94, confidence: 0.55 })).toBe(10);
  });

  it('does not lose a unit to float noise', () => {
    // 1,000 x 0.01 / (1.1 - 0.7) is 24.999999999999993 in floats; exactly 25.
    expect(new ConfidenceBasedSizing().calculateSize({ capital: 1_000, entryPrice: 1.1, stopLossPrice: 0.7, confidence: 0.55 })).toBe(25);
  });

  it('cuts to the cash, commission included', () => {
    // 20 units by risk; 1,500 / (100 x 1.001) = 14.98 -> 14.
    expect(sizer.calculate({ ...base, stopLossPrice: 90, confidence: 1, cash: 1_500, commissionPct: 0.001 })).toMatchObject({
      quantity: 14,
      riskAmount: 140,
      limitedBy: 'cash',
    });
  });

  it('a flat schedule (base = max) risks the same at every confidence above the minimum', () => {
    const flat = new ConfidenceBasedSizing({ baseRiskFraction: 0.01, maxRiskFraction: 0.01, minConfidence: 0 });
    expect(flat.calculateSize({ ...base, stopLossPrice: 90, confidence: 0 })).toBe(10);
    expect(flat.calculateSize({ ...base, stopLossPrice: 90, confidence: 1 })).toBe(10);
  });

  it('returns 0 with the reason on degenerate input', () => {
    expect(sizer.calculate({ capital: 0, entryPrice: 100, stopLossPrice: 90, confidence: 1 })).toMatchObject({
      quantity: 0,
      limitedBy: 'zero_capital',
    });
    expect(sizer.calculate({ ...base, stopLossPrice: 100, confidence: 1 })).toMatchObject({ quantity: 0, limitedBy: 'zero_risk' });
    // 100 x 0.01 / 10 = 0.1 unit.
    expect(sizer.calculate({ capital: 100, entryPrice: 100, stopLossPrice: 90, confidence: 0.55 })).toMatchObject({
      quantity: 0,
      limitedBy: 'lot',
    });
  });
});

describe('ConfidenceBasedSizing: illegal input', () => {
  const sizer = new ConfidenceBasedSizing();
  const request = { ...base, stopLossPrice: 97, confidence: 0.75 };

  it.each([
    ['confidence', { confidence: undefined }, 'confidence is required by confidence_based sizing, got undefined'],
    ['confidence', { confidence: Number.NaN }, 'confidence must be a finite number greater than or equal to 0, got NaN'],
    ['confidence', { confidence: Infinity }, 'got Infinity'],
    ['confidence', { confidence: -0.1 }, 'got -0.1'],
    ['confidence', { confidence: '0.8' }, 'got "0.8"'],
    ['stopLossPrice', { stopLossPrice: undefined }, 'stopLossPrice is required by confidence_based sizing'],
    ['stopLossPrice', { stopLossPrice: -1 }, 'got -1'],
    ['capital', { capital: -5 }, 'got -5'],
    ['entryPrice', { entryPrice: 0 }, 'got 0'],
  ])('rejects %s: %o', (field, patch, message) => {
    expectRejects(() => sizer.calculate({ ...request, ...patch } as never), 'INVALID_ARGUMENT', field, message);
  });
});

describe('ConfidenceBasedSizing: options', () => {
  it.each([
    ['baseRiskFraction', { baseRiskFraction: 0 }, 'expected a number greater than 0 and at most 1, got 0'],
    ['baseRiskFraction', { baseRiskFraction: 1.5, maxRiskFraction: 1 }, 'got 1.5'],
    ['maxRiskFraction', { maxRiskFraction: Number.NaN }, 'got NaN'],
    ['baseRiskFraction', { baseRiskFraction: 0.03 }, 'expected baseRiskFraction (0.03) to be at most maxRiskFraction (0.02), got 0.03'],
    ['baseRiskFraction', { baseRiskFraction: 0.02, maxRiskFraction: 0.01 }, 'expected baseRiskFraction (0.02) to be at most maxRiskFraction (0.01)'],
    ['minConfidence', { minConfidence: 1 }, 'expected a number at least 0 and less than 1, got 1'],
    ['minConfidence', { minConfidence: -0.1 }, 'got -0.1'],
    ['maxPositionFraction', { maxPositionFraction: 0 }, 'got 0'],
    ['lotSize', { lotSize: -0.001 }, 'got -0.001'],
    ['min_confidence', { min_confidence: 0.6 }, 'unknown key'],
  ])('rejects a bad %s: %o', (key, options, message) => {
    expectRejects(() => new ConfidenceBasedSizing(options as never), 'INVALID_CONFIG', key, message);
  });

  it('exports its schema with the defaults', () => {
    expect(confidenceBasedOptionsSchema.parse({ minConfidence: 0.6 })).toEqual({
      baseRiskFraction: 0.01,
      maxRiskFraction: 0.02,
      minConfidence: 0.6,
      maxPositionFraction: 0.25,
      lotSize: 1,
    });
  });
});
