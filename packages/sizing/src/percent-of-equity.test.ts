import { describe, expect, it } from 'vitest';
import { expectRejects } from '../test/helpers';
import { PercentOfEquitySizing, percentOfEquityOptionsSchema } from './percent-of-equity';

const base = { capital: 10_000, entryPrice: 100 } as const;

describe('PercentOfEquitySizing: hand-computed sizes', () => {
  const allIn = new PercentOfEquitySizing();

  it('applies the defaults: all in, no commission, whole units', () => {
    expect(allIn.method).toBe('percent_of_equity');
    expect(allIn.options).toEqual({ fraction: 1, commissionPct: 0, lotSize: 1 });
    expect(Object.isFrozen(allIn.options)).toBe(true);
  });

  it('all in without a stop: 10,000 / 100 = 100 units', () => {
    expect(allIn.calculate(base)).toEqual({
      quantity: 100,
      riskAmount: 0,
      riskFraction: 1,
      riskPerUnit: 0,
      positionValue: 10_000,
      limitedBy: 'fraction',
    });
    expect(allIn.calculateSize(base)).toBe(100);
  });

  it('leaves room for the commission (peer all-in sizing)', () => {
    // floor(10,000 / (100 x 1.001)) = floor(99.9) = 99.
    const sizer = new PercentOfEquitySizing({ commissionPct: 0.001 });
    expect(sizer.calculate(base)).toMatchObject({ quantity: 99, positionValue: 9_900, limitedBy: 'fraction' });
    // 1% commission: 10,000 / 101 = 99.0099 -> 99; 2%: 10,000 / 102 = 98.04 -> 98.
    expect(new PercentOfEquitySizing({ commissionPct: 0.01 }).calculateSize(base)).toBe(99);
    expect(new PercentOfEquitySizing({ commissionPct: 0.02 }).calculateSize(base)).toBe(98);
  });

  it("a request's commissionPct overrides the option", () => {
    const sizer = new PercentOfEquitySizing({ commissionPct: 0.02 });
    expect(sizer.calculateSize({ ...base, commissionPct: 0 })).toBe(100);
    expect(sizer.calculateSize({ ...base, commissionPct: 0.001 })).toBe(99);
  });

  it('commits a fraction of the capital', () => {
    // 10,000 x 0.5 / 100 = 50; 10,000 x 0.333 / 100 = 33.3 -> 33.
    expect(new PercentOfEquitySizing({ fraction: 0.5 }).calculate(base)).toMatchObject({
      quantity: 50,
      riskFraction: 0.5,
      positionValue: 5_000,
      limitedBy: 'fraction',
    });
    expect(new PercentOfEquitySizing({ fraction: 0.333 }).calculateSize(base)).toBe(33);
  });

  it('scales the fraction by riskMultiplier', () => {
    expect(allIn.calculate({ ...base, riskMultiplier: 0.25 })).toMatchObject({ quantity: 25, riskFraction: 0.25 });
    expect(allIn.calculate({ ...base, riskMultiplier: 0 })).toMatchObject({ quantity: 0, riskFraction: 0, limitedBy: 'risk_multiplier' });
  });

  it('reports the risk to a stop when one is given (long and short)', () => {
    expect(allIn.calculate({ ...base, stopLossPrice: 95 })).toMatchObject({ quantity: 100, riskPerUnit: 5, riskAmount: 500 });
    expect(allIn.calculate({ ...base, stopLossPrice: 104, side: 'short' })).toMatchObject({ quantity: 100, riskPerUnit: 4, riskAmount: 400 });
    // null means "no stop", as in core's ProtectiveLevels.
    expect(allIn.calculate({ ...base, stopLossPrice: null as unknown as number })).toMatchObject({ quantity: 100, riskPerUnit: 0 });
  });

  it('sizes shorts the same way (by capital)', () => {
    expect(allIn.calculateSize({ ...base, side: 'short' })).toBe(100);
  });

  it('floors to integer and fractional lots', () => {
    // 1,000 / 3 = 333.333...
    const request = { capital: 1_000, entryPrice: 3 };
    expect(allIn.calculateSize(request)).toBe(333);
    expect(new PercentOfEquitySizing({ lotSize: 0.001 }).calculateSize(request)).toBe(333.333);
    expect(new PercentOfEquitySizing({ lotSize: 0.25 }).calculateSize(request)).toBe(333.25);
    expect(new PercentOfEquitySizing({ lotSize: 100 }).calculateSize(request)).toBe(300);
    // Crypto: 1,000 / 43,210.5 = 0.0231425232... BTC.
    expect(new PercentOfEquitySizing({ lotSize: 1e-8 }).calculateSize({ capital: 1_000, entryPrice: 43_210.5 })).toBe(0.02314252);
    expect(new PercentOfEquitySizing({ lotSize: 0.001 }).calculateSize({ capital: 1_000, entryPrice: 43_210.5 })).toBe(0.023);
  });

  it('does not lose a unit to float noise', () => {
    // 1,000 x 0.7 / 0.28 is 2499.9999999999995 in floats; exactly 2,500.
    expect(new PercentOfEquitySizing({ fraction: 0.7 }).calculateSize({ capital: 1_000, entryPrice: 0.28 })).toBe(2_500);
    // 100 x 0.7 / 0.07 = 999.9999999999999 in floats; exactly 1,000.
    expect(new PercentOfEquitySizing({ fraction: 0.7 }).calculateSize({ capital: 100, entryPrice: 0.07 })).toBe(1_000);
  });

  it('cuts to the cash, commission included', () => {
    expect(allIn.calculate({ ...base, cash: 5_000 })).toMatchObject({ quantity: 50, limitedBy: 'cash' });
    // 5,000 / 101 = 49.5 -> 49.
    expect(allIn.calculate({ ...base, cash: 5_000, commissionPct: 0.01 })).toMatchObject({ quantity: 49, limitedBy: 'cash' });
    // Enough cash: the fraction binds.
    expect(allIn.calculate({ ...base, cash: 10_000 })).toMatchObject({ quantity: 100, limitedBy: 'fraction' });
    expect(allIn.calculate({ ...base, cash: 99 })).toMatchObject({ quantity: 0, limitedBy: 'cash' });
  });

  it('returns 0 with the reason on degenerate input', () => {
    expect(allIn.calculate({ capital: 0, entryPrice: 100 })).toEqual({
      quantity: 0,
      riskAmount: 0,
      riskFraction: 1,
      riskPerUnit: 0,
      positionValue: 0,
      limitedBy: 'zero_capital',
    });
    // 50 / 100 = 0.5 unit.
    expect(allIn.calculate({ capital: 50, entryPrice: 100 })).toMatchObject({ quantity: 0, limitedBy: 'lot' });
  });
});

describe('PercentOfEquitySizing: illegal input', () => {
  const sizer = new PercentOfEquitySizing();

  it.each([
    ['capital', { capital: Number.NaN, entryPrice: 100 }, 'got NaN'],
    ['capital', { capital: -10, entryPrice: 100 }, 'got -10'],
    ['capital', { capital: Infinity, entryPrice: 100 }, 'got Infinity'],
    ['entryPrice', { capital: 1_000, entryPrice: 0 }, 'got 0'],
    ['entryPrice', { capital: 1_000, entryPrice: -1 }, 'got -1'],
    ['entryPrice', { capital: 1_000, entryPrice: Infinity }, 'got Infinity'],
    ['stopLossPrice', { capital: 1_000, entryPrice: 100, stopLossPrice: Number.NaN }, 'got NaN'],
    ['commissionPct', { capital: 1_000, entryPrice: 100, commissionPct: 1.5 }, 'got 1.5'],
    ['cash', { capital: 1_000, entryPrice: 100, cash: -Infinity }, 'got -Infinity'],
  ])('rejects a bad %s: %o', (field, request, message) => {
    expectRejects(() => sizer.calculate(request), 'INVALID_ARGUMENT', field, message);
  });
});

describe('PercentOfEquitySizing: options', () => {
  it.each([
    ['fraction', { fraction: 0 }, 'expected a number greater than 0 and at most 1, got 0'],
    ['fraction', { fraction: 1.5 }, 'got 1.5'],
    ['fraction', { fraction: -0.5 }, 'got -0.5'],
    ['commissionPct', { commissionPct: 1 }, 'expected a number at least 0 and less than 1, got 1'],
    ['commissionPct', { commissionPct: -0.001 }, 'got -0.001'],
    ['lotSize', { lotSize: 0 }, 'expected a number greater than 0, got 0'],
    ['percent', { percent: 0.5 }, 'unknown key'],
  ])('rejects a bad %s: %o', (key, options, message) => {
    expectRejects(() => new PercentOfEquitySizing(options as never), 'INVALID_CONFIG', key, message);
  });

  it('exports its schema with the defaults', () => {
    expect(percentOfEquityOptionsSchema.parse({ lotSize: 0.01 })).toEqual({ fraction: 1, commissionPct: 0, lotSize: 0.01 });
  });
});
