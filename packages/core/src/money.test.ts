import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, affordableQuantity, ceilToStep, floorToStep, roundMoney, roundToStep, stepDecimals, sumDecimal, toDecimal } from './money';
import { catchAlgoTradingError } from './testing';

describe('Decimal', () => {
  it('is configured with 34 digits and half-even rounding', () => {
    expect(Decimal.precision).toBe(34);
    expect(Decimal.rounding).toBe(Decimal.ROUND_HALF_EVEN);
  });

  it('adds money exactly where floats do not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(toDecimal(0.1).plus(0.2).toString()).toBe('0.3');
    expect(sumDecimal([0.1, '0.2', new Decimal('0.3')]).toString()).toBe('0.6');
  });

  it('toDecimal converts numbers through their shortest representation', () => {
    expect(toDecimal(1455.219971).toString()).toBe('1455.219971');
    expect(toDecimal('  -1.5e3 ').toNumber()).toBe(-1500);
  });

  it('toDecimal rejects non-finite numbers and non-numeric strings, naming the field', () => {
    for (const bad of [Number.NaN, Infinity, 'abc', '1,5', '']) {
      expect(catchAlgoTradingError(() => toDecimal(bad, 'price'), 'INVALID_ARGUMENT').message).toMatch(/^price must be/);
    }
  });

  it('roundMoney rounds half to even', () => {
    expect(roundMoney('2.345').toString()).toBe('2.34');
    expect(roundMoney('2.355').toString()).toBe('2.36');
    expect(roundMoney(10.5, 0).toString()).toBe('10');
  });
});

describe('stepDecimals', () => {
  it.each([
    [1, 0],
    [5, 0],
    [0.25, 2],
    [0.001, 3],
    [1e-8, 8],
    [2.5e-7, 8],
  ])('%s has %s decimals', (step, decimals) => {
    expect(stepDecimals(step)).toBe(decimals);
  });
});

describe('floorToStep', () => {
  it('floors to whole lots', () => {
    expect(floorToStep(33.333, 1)).toBe(33);
    expect(floorToStep(33.333, 5)).toBe(30);
    expect(floorToStep(0.99, 1)).toBe(0);
  });

  it('absorbs float noise instead of losing a lot', () => {
    // 0.1 * 3 / 0.1 is 2.9999999999999996 in floats; it is 3 lots.
    expect(floorToStep(0.1 * 3, 0.1)).toBe(0.3);
    expect(floorToStep(24.999999999999996, 1)).toBe(25);
    expect(floorToStep(0.7, 0.1)).toBe(0.7);
    expect(floorToStep(1.0000000000000002e-7, 1e-8)).toBe(1e-7);
  });

  it('never adds whole steps for large step counts (regression: relative tolerance above 1e12 steps)', () => {
    // 1e10 units at lot 0.001 is 1e13 lots; a 1e-12 relative tolerance used to add 10 lots.
    expect(floorToStep(1e10, 0.001)).toBe(1e10);
    expect(floorToStep(1e13, 1)).toBe(1e13);
    expect(floorToStep(1e7, 1e-8)).toBe(1e7);
    expect(floorToStep(1e10 - 0.001, 0.001)).toBe(1e10 - 0.001);
  });

  it('still floors a genuine shortfall', () => {
    expect(floorToStep(24.9999999, 1)).toBe(24);
    expect(floorToStep(0.2999, 0.1)).toBe(0.2);
  });

  it('gives 0 for non-positive or non-finite values', () => {
    expect(floorToStep(-3, 1)).toBe(0);
    expect(floorToStep(Number.NaN, 1)).toBe(0);
    expect(floorToStep(Infinity, 1)).toBe(0);
  });

  it('rejects a bad step, naming it', () => {
    expect(() => floorToStep(1, 0)).toThrow('lotSize must be a finite number greater than 0, got 0');
  });

  it('property: the result is a multiple of the step written exactly, never above the value', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.constantFrom(1, 10, 0.5, 0.1, 0.01, 0.001, 1e-8),
        (value, step) => {
          const q = floorToStep(value, step);
          expect(q).toBeGreaterThanOrEqual(0);
          expect(q).toBeLessThanOrEqual(value * (1 + 1e-12) + 1e-300);
          // An exact multiple of the step (checked in Decimal: q / step in floats is inexact near 1e14 steps).
          expect(new Decimal(q).mod(step).isZero()).toBe(true);
          // Written with no more decimals than the step.
          expect(Number(q.toFixed(stepDecimals(step)))).toBe(q);
          // Not more than one step below the value.
          expect(value - q).toBeLessThan(step * (1 + 1e-9));
        },
      ),
    );
  });
});

describe('roundToStep', () => {
  it('rounds to the nearest tick exactly', () => {
    expect(roundToStep(100.126, 0.01)).toBe(100.13);
    expect(roundToStep(100.124, 0.01)).toBe(100.12);
    expect(roundToStep(7, 5)).toBe(5);
    expect(roundToStep(0.30000000000000004, 0.1)).toBe(0.3);
  });
});

describe('ceilToStep', () => {
  it('rounds up to the tick exactly, without adding a tick for float noise', () => {
    expect(ceilToStep(100.121, 0.01)).toBe(100.13);
    expect(ceilToStep(100.12, 0.01)).toBe(100.12);
    expect(ceilToStep(0.30000000000000004, 0.1)).toBe(0.3);
    expect(ceilToStep(0.1 + 0.2 + 0.05, 0.05)).toBe(0.35);
    expect(ceilToStep(7, 5)).toBe(10);
    expect(ceilToStep(0.004, 0.01)).toBe(0.01);
    expect(ceilToStep(0, 0.01)).toBe(0);
    expect(ceilToStep(Number.NaN, 0.01)).toBe(0);
  });

  it('rejects a step that is not a finite number > 0, naming the field', () => {
    expect(() => ceilToStep(1, 0)).toThrow(/tickSize must be a finite number greater than 0, got 0/);
  });

  it('is the smallest multiple of the step at or above the value (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e6, noNaN: true }), fc.constantFrom(0.01, 0.05, 0.25, 1, 0.001), (value, step) => {
        const up = ceilToStep(value, step);
        expect(up).toBeGreaterThanOrEqual(value * (1 - 1e-12));
        expect(up - value).toBeLessThan(step * (1 + 1e-9));
        expect(Math.abs(up / step - Math.round(up / step))).toBeLessThan(1e-6);
      }),
    );
  });

  it('alternating steps give the same results (the decimals cache holds several steps)', () => {
    const once = [floorToStep(1.23456, 0.001), ceilToStep(1.23456, 0.01), floorToStep(7.77, 0.5), ceilToStep(7.77, 0.25)];
    for (let k = 0; k < 20; k++) {
      expect([floorToStep(1.23456, 0.001), ceilToStep(1.23456, 0.01), floorToStep(7.77, 0.5), ceilToStep(7.77, 0.25)]).toEqual(once);
    }
    expect(once).toEqual([1.234, 1.24, 7.5, 8]);
  });
});

describe('affordableQuantity', () => {
  it('is the all-in size with commission included', () => {
    // 10,000 / (100 x 1.0015) = 99.85 -> 99 units.
    expect(affordableQuantity(10_000, 100, 0.0015)).toBe(99);
    expect(affordableQuantity(10_000, 100, 0)).toBe(100);
    expect(affordableQuantity(1_000, 30_000, 0.001, 0.001)).toBe(0.033);
  });

  it('terminates and fits the cash when the lot count is huge (regression: step-down loop climbed forever)', () => {
    // 1e8 / 0.01 = 1e10 units = 1e13 lots of 0.001.
    const q = affordableQuantity(1e8, 0.01, 0, 0.001);
    expect(q).toBe(1e10);
    expect(q * 0.01).toBeLessThanOrEqual(1e8);
  });

  it('returns promptly past 2^53 lots (regression: the step-down loop never ended once q - lot == q)', () => {
    // 10,000 / (0.00002644381413799332 x 1.001) = 377,782,491.5074... units = 3.8e16 lots of 1e-8,
    // beyond 2^53: a lot is finer than the float quantity's ulp (6e-8). The answer is the float
    // quotient itself: 377782491.50741005 x 0.00002644381413799332 x 1.001 rounds to 10,000.
    const price = 0.00002644381413799332;
    const q = affordableQuantity(10_000, price, 0.001, 1e-8);
    expect(q).toBe(377782491.50741005);
    expect(q * price * (1 + 0.001)).toBeLessThanOrEqual(10_000);
    // The next float above does not fit.
    expect((q + 2 ** -24) * price * (1 + 0.001)).toBeGreaterThan(10_000);
  });

  it('takes one lot more than the float quotient when the quotient falls a hair short', () => {
    // 0.3 / 0.1 is 2.9999999999999996 in floats; 3 x 0.1 = 0.30000000000000004 > 0.3, so 2 lots,
    // while 0.30000000000000004 / 0.1 = 3.0000000000000004 buys 3.
    expect(affordableQuantity(0.3, 0.1)).toBe(2);
    expect(affordableQuantity(0.30000000000000004, 0.1)).toBe(3);
    // 0.7 / 0.1 = 6.999999999999999; 7 x 0.1 = 0.7000000000000001 > 0.7: 6 lots.
    expect(affordableQuantity(0.7, 0.1)).toBe(6);
    expect(affordableQuantity(0.7, 1, 0, 0.1)).toBe(0.7);
  });

  it('rejects a bad lot size, naming it', () => {
    expect(() => affordableQuantity(100, 1, 0, 0)).toThrow('lotSize must be a finite number greater than 0, got 0');
  });

  it('property: log-uniform tiny prices and lots down to 1e-8 fit the cash, stay on the lot and miss by less than one lot', () => {
    const logUniform = (min: number, max: number) =>
      fc.double({ min: Math.log10(min), max: Math.log10(max), noNaN: true }).map((e) => 10 ** e);
    fc.assert(
      fc.property(
        logUniform(1, 1e9),
        logUniform(1e-6, 1e5),
        fc.constantFrom(0, 0.0005, 0.001, 0.0015, 0.01),
        fc.constantFrom(1, 5, 0.25, 0.1, 0.001, 1e-6, 1e-8),
        (cash, price, commission, lot) => {
          const q = affordableQuantity(cash, price, commission, lot);
          const unitCost = price * (1 + commission);
          expect(q).toBeGreaterThanOrEqual(0);
          expect(q * unitCost).toBeLessThanOrEqual(cash);
          const lotUnits = (cash / unitCost) * 10 ** stepDecimals(lot);
          if (lotUnits < 2 ** 50) {
            // A whole number of lots (checked in Decimal), and one more lot does not fit.
            expect(new Decimal(q).mod(lot).isZero()).toBe(true);
            expect(new Decimal(q).plus(lot).toNumber() * unitCost).toBeGreaterThan(cash);
          } else {
            // The lot is below the quantity's float resolution: within a few ulps of the quotient.
            expect(q).toBeGreaterThanOrEqual((cash / unitCost) * (1 - 2 ** -49));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is 0 when one lot does not fit or inputs are degenerate', () => {
    expect(affordableQuantity(50, 100)).toBe(0);
    expect(affordableQuantity(0, 100)).toBe(0);
    expect(affordableQuantity(100, 0)).toBe(0);
    expect(affordableQuantity(Number.NaN, 100)).toBe(0);
  });

  it('property: the cost including commission never exceeds the cash, and one more lot would', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e8, noNaN: true }),
        fc.double({ min: 0.01, max: 1e5, noNaN: true }),
        fc.constantFrom(0, 0.0005, 0.0015, 0.01),
        fc.constantFrom(1, 0.1, 0.001),
        (cash, price, commission, lot) => {
          const q = affordableQuantity(cash, price, commission, lot);
          expect(q * price * (1 + commission)).toBeLessThanOrEqual(cash);
          expect((q + lot) * price * (1 + commission)).toBeGreaterThan(cash * (1 - 1e-9));
        },
      ),
    );
  });
});

describe('floorToStep with alternating steps (the decimals of the last step are cached)', () => {
  it('uses each call\'s own step', () => {
    expect(floorToStep(0.37, 0.1)).toBe(0.3);
    expect(floorToStep(0.377, 0.01)).toBe(0.37);
    expect(floorToStep(7.9, 2)).toBe(6);
    expect(floorToStep(0.37, 0.1)).toBe(0.3);
    expect(floorToStep(1.23456, 0.001)).toBe(1.234);
  });
});
