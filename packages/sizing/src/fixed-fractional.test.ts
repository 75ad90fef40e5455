import { describe, expect, it } from 'vitest';
import { expectRejects } from '../test/helpers';
import { FixedFractionalSizing, fixedFractionalOptionsSchema } from './fixed-fractional';

const base = { capital: 10_000, entryPrice: 100 } as const;

describe('FixedFractionalSizing: hand-computed sizes', () => {
  const sizer = new FixedFractionalSizing();

  it('applies the product defaults', () => {
    expect(sizer.method).toBe('fixed_fractional');
    expect(sizer.options).toEqual({ riskFraction: 0.01, maxPositionFraction: 0.25, lotSize: 1 });
    expect(Object.isFrozen(sizer.options)).toBe(true);
  });

  it('worked example: the position cap binds (long, stop 97)', () => {
    // risk budget 10,000 x 0.01 = 100; per unit 100 - 97 = 3 -> 33.3 units;
    // cap 10,000 x 0.25 / 100 = 25 units -> 25, limited by the cap.
    expect(sizer.calculate({ ...base, stopLossPrice: 97 })).toEqual({
      quantity: 25,
      riskAmount: 75, // 25 x 3
      riskFraction: 0.01,
      riskPerUnit: 3,
      positionValue: 2_500, // 25 x 100
      limitedBy: 'max_position',
    });
    expect(sizer.calculateSize({ ...base, stopLossPrice: 97 })).toBe(25);
  });

  it('the risk budget binds (long, stop 95)', () => {
    // 100 / (100 - 95) = 20 units <= cap 25.
    expect(sizer.calculate({ ...base, stopLossPrice: 95 })).toEqual({
      quantity: 20,
      riskAmount: 100,
      riskFraction: 0.01,
      riskPerUnit: 5,
      positionValue: 2_000,
      limitedBy: 'risk',
    });
  });

  it('sizes declared shorts from a stop above the entry', () => {
    // 100 / (105 - 100) = 20 units.
    expect(sizer.calculate({ ...base, stopLossPrice: 105, side: 'short' })).toMatchObject({ quantity: 20, riskPerUnit: 5, limitedBy: 'risk' });
    // 100 / 3 = 33.3 > cap 25.
    expect(sizer.calculate({ ...base, stopLossPrice: 103, side: 'short' })).toMatchObject({ quantity: 25, limitedBy: 'max_position' });
  });

  it('treats a request without a side as a long: a stop above the entry is an error, not a silent short', () => {
    expect(() => sizer.calculate({ ...base, stopLossPrice: 105 })).toThrow(
      'stopLossPrice must be at or below entryPrice (100) for a long position (side defaults to "long"; pass side: "short" for a short), got 105',
    );
  });

  it('floors to whole units', () => {
    // 100 / 6 = 16.67 -> 16; risk 16 x 6 = 96.
    expect(sizer.calculate({ ...base, stopLossPrice: 94 })).toMatchObject({ quantity: 16, riskAmount: 96, limitedBy: 'risk' });
  });

  it('a tighter position cap binds', () => {
    // cap 10,000 x 0.1 / 100 = 10 units < 100 / 5 = 20.
    const capped = new FixedFractionalSizing({ maxPositionFraction: 0.1 });
    expect(capped.calculate({ ...base, stopLossPrice: 95 })).toMatchObject({ quantity: 10, positionValue: 1_000, limitedBy: 'max_position' });
  });

  it.each([
    // 100 / 6 = 16.666...
    [0.01, 16.66],
    [0.001, 16.666],
    [1e-8, 16.66666666],
    [0.5, 16.5],
    [5, 15],
  ])('floors to a lot of %s exactly', (lotSize, expected) => {
    const result = new FixedFractionalSizing({ lotSize }).calculate({ ...base, stopLossPrice: 94 });
    expect(result.quantity).toBe(expected);
    expect(result.limitedBy).toBe('risk');
  });

  it('does not lose a unit to float noise in the risk per unit', () => {
    // 1.1 - 0.7 = 0.40000000000000013 in floats, and 10 / that = 24.999999999999993;
    // the exact answer is 1,000 x 0.01 / 0.4 = 25 units (cap 250 / 1.1 = 227).
    expect(new FixedFractionalSizing().calculateSize({ capital: 1_000, entryPrice: 1.1, stopLossPrice: 0.7 })).toBe(25);
    // 0.4 - 0.3 = 0.10000000000000003: 1,000 x 0.01 / 0.1 = 100 units (cap 250 / 0.4 = 625).
    expect(new FixedFractionalSizing().calculateSize({ capital: 1_000, entryPrice: 0.4, stopLossPrice: 0.3 })).toBe(100);
  });

  it('does not lose a lot to float noise in the lot division', () => {
    // 10 x 0.03 / (2 - 1) = 0.3 units; 0.3 / 0.1 = 2.9999999999999996 in floats, the answer is 3 lots = 0.3
    // (written exactly, not 0.30000000000000004). Cap 10 x 0.25 / 2 = 1.25.
    const sizer3 = new FixedFractionalSizing({ riskFraction: 0.03, lotSize: 0.1 });
    expect(sizer3.calculateSize({ capital: 10, entryPrice: 2, stopLossPrice: 1 })).toBe(0.3);
    // capital 1,000, riskFraction 0.3, per-unit risk 0.3 - 0.2 = 0.09999999999999998:
    // 300 / 0.1 = 3,000 units (cap 1,000 x 1 / 0.3 = 3,333).
    const sizer30 = new FixedFractionalSizing({ riskFraction: 0.3, maxPositionFraction: 1 });
    expect(sizer30.calculate({ capital: 1_000, entryPrice: 0.3, stopLossPrice: 0.2 })).toMatchObject({
      quantity: 3_000,
      limitedBy: 'risk',
    });
  });

  it('still floors a genuine shortfall', () => {
    // 1,000 x 0.01 / 0.40000001 = 24.99999937 -> 24, not 25.
    expect(new FixedFractionalSizing().calculateSize({ capital: 1_000, entryPrice: 1.10000001, stopLossPrice: 0.7 })).toBe(24);
  });

  it('scales the risk by riskMultiplier', () => {
    // 10,000 x 0.01 x 0.5 = 50; 50 / 5 = 10 units.
    expect(sizer.calculate({ ...base, stopLossPrice: 95, riskMultiplier: 0.5 })).toMatchObject({
      quantity: 10,
      riskAmount: 50,
      riskFraction: 0.005,
      limitedBy: 'risk',
    });
    // 10,000 x 0.01 x 0.25 = 25; 25 / 3 = 8.3 -> 8.
    expect(sizer.calculateSize({ ...base, stopLossPrice: 97, riskMultiplier: 0.25 })).toBe(8);
  });

  it('cuts the size to the cash, commission included', () => {
    // 20 by risk; 1,500 / 100 = 15 affordable.
    expect(sizer.calculate({ ...base, stopLossPrice: 95, cash: 1_500 })).toMatchObject({ quantity: 15, limitedBy: 'cash' });
    // 1,500 / (100 x 1.01) = 14.85 -> 14.
    expect(sizer.calculate({ ...base, stopLossPrice: 95, cash: 1_500, commissionPct: 0.01 })).toMatchObject({
      quantity: 14,
      riskAmount: 70,
      limitedBy: 'cash',
    });
    // 2,000 buys exactly the 20 units: the cash does not bind.
    expect(sizer.calculate({ ...base, stopLossPrice: 95, cash: 2_000 })).toMatchObject({ quantity: 20, limitedBy: 'risk' });
    // Not one unit affordable.
    expect(sizer.calculate({ ...base, stopLossPrice: 95, cash: 99.99 })).toMatchObject({ quantity: 0, limitedBy: 'cash' });
  });

  it('returns 0 with the reason on degenerate input', () => {
    expect(sizer.calculate({ capital: 0, entryPrice: 100, stopLossPrice: 95 })).toEqual({
      quantity: 0,
      riskAmount: 0,
      riskFraction: 0.01,
      riskPerUnit: 5,
      positionValue: 0,
      limitedBy: 'zero_capital',
    });
    expect(sizer.calculate({ ...base, stopLossPrice: 100 })).toMatchObject({ quantity: 0, riskPerUnit: 0, limitedBy: 'zero_risk' });
    expect(sizer.calculate({ ...base, stopLossPrice: 100, side: 'short' })).toMatchObject({ quantity: 0, limitedBy: 'zero_risk' });
    expect(sizer.calculate({ ...base, stopLossPrice: 95, riskMultiplier: 0 })).toMatchObject({
      quantity: 0,
      riskFraction: 0,
      limitedBy: 'risk_multiplier',
    });
    // 100 x 0.01 / 5 = 0.2 units, below one lot.
    expect(sizer.calculate({ capital: 100, entryPrice: 100, stopLossPrice: 95 })).toMatchObject({ quantity: 0, limitedBy: 'lot' });
  });
});

describe('FixedFractionalSizing: illegal input', () => {
  const sizer = new FixedFractionalSizing();

  it.each([
    ['capital', { capital: Number.NaN, entryPrice: 100, stopLossPrice: 95 }, 'got NaN'],
    ['capital', { capital: -1, entryPrice: 100, stopLossPrice: 95 }, 'got -1'],
    ['capital', { capital: Infinity, entryPrice: 100, stopLossPrice: 95 }, 'got Infinity'],
    ['entryPrice', { capital: 1_000, entryPrice: 0, stopLossPrice: 95 }, 'got 0'],
    ['entryPrice', { capital: 1_000, entryPrice: -100, stopLossPrice: 95 }, 'got -100'],
    ['stopLossPrice', { capital: 1_000, entryPrice: 100 }, 'required'],
    ['stopLossPrice', { capital: 1_000, entryPrice: 100, stopLossPrice: Number.NaN }, 'got NaN'],
    ['stopLossPrice', { capital: 1_000, entryPrice: 100, stopLossPrice: -5 }, 'got -5'],
    ['stopLossPrice', { capital: 1_000, entryPrice: 100, stopLossPrice: 105, side: 'long' }, 'below entryPrice (100)'],
    ['stopLossPrice', { capital: 1_000, entryPrice: 100, stopLossPrice: 95, side: 'short' }, 'above entryPrice (100)'],
  ] as const)('rejects a bad %s (%o)', (field, request, messagePart) => {
    expectRejects(() => sizer.calculate(request), 'INVALID_ARGUMENT', field, messagePart);
  });

  it('rejects a string where a number belongs', () => {
    expectRejects(() => sizer.calculate({ capital: '10000' as unknown as number, entryPrice: 100, stopLossPrice: 95 }), 'INVALID_ARGUMENT', 'capital', 'got "10000"');
  });
});

describe('FixedFractionalSizing: options', () => {
  it.each([
    ['riskFraction', { riskFraction: 0 }],
    ['riskFraction', { riskFraction: 1.5 }],
    ['riskFraction', { riskFraction: '1%' }],
    ['maxPositionFraction', { maxPositionFraction: 0 }],
    ['maxPositionFraction', { maxPositionFraction: 1.01 }],
    ['lotSize', { lotSize: 0 }],
    ['lotSize', { lotSize: -1 }],
    ['lotSize', { lotSize: Infinity }],
    ['riskFracton', { riskFracton: 0.02 }],
  ])('rejects a bad %s', (key, options) => {
    expectRejects(() => new FixedFractionalSizing(options as never), 'INVALID_CONFIG', key);
  });

  it('accepts the bounds', () => {
    expect(new FixedFractionalSizing({ riskFraction: 1, maxPositionFraction: 1, lotSize: 1e-8 }).options).toEqual({
      riskFraction: 1,
      maxPositionFraction: 1,
      lotSize: 1e-8,
    });
  });

  it('exports its schema with the defaults', () => {
    expect(fixedFractionalOptionsSchema.parse({})).toEqual({ riskFraction: 0.01, maxPositionFraction: 0.25, lotSize: 1 });
  });
});
