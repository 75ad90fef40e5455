import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactCash } from './exact-cash';
import { Decimal } from './money';

describe('ExactCash', () => {
  it('books buys and sells: float mirror and exact Decimal', () => {
    const cash = new ExactCash(10_000);
    cash.book('buy', 101.25, 10, 1.5);
    expect(cash.value).toBe(8986);
    expect(cash.exact.toString()).toBe('8986');
    cash.book('sell', 0.1, 3, 0.2);
    expect(cash.exact.toString()).toBe('8986.1'); // 8986 + 0.3 - 0.2 exactly
    expect(cash.value).toBeCloseTo(8986.1, 9);
    expect(Math.abs(cash.value - 8986.1)).toBeLessThanOrEqual(cash.errorBound);
  });

  it('exact equals booking every fill in Decimal, whenever it is read; the mirror stays within its bound', () => {
    const fill = fc.record({
      side: fc.constantFrom('buy' as const, 'sell' as const),
      price: fc.integer({ min: 1, max: 1_000_000 }).map((k) => k / 1000),
      quantity: fc.integer({ min: 1, max: 5000 }),
      commission: fc.integer({ min: 0, max: 10_000 }).map((k) => k / 10_000),
      read: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(fill, { maxLength: 60 }), (fills) => {
        const cash = new ExactCash(1_000_000);
        let expected = new Decimal(1_000_000);
        for (const f of fills) {
          cash.book(f.side, f.price, f.quantity, f.commission);
          const notional = new Decimal(f.price).times(f.quantity);
          expected = f.side === 'buy' ? expected.minus(notional).minus(f.commission) : expected.plus(notional).minus(f.commission);
          if (f.read) expect(cash.exact.eq(expected)).toBe(true);
        }
        expect(cash.exact.eq(expected)).toBe(true);
        expect(Math.abs(cash.value - expected.toNumber())).toBeLessThanOrEqual(cash.errorBound + Math.abs(cash.value) * 2 ** -52);
      }),
    );
  });

  it('canAfford is exact at the boundary (the float sum alone would be wrong)', () => {
    const cash = new ExactCash(0.3);
    expect(cash.canAfford(0.1, 3, 0)).toBe(true); // 0.1 x 3 = 0.30000000000000004 as a float
    expect(cash.canAfford(0.1, 3, 1e-20)).toBe(false);
    expect(cash.canAfford(0.1, 2, 0)).toBe(true);
    expect(cash.canAfford(1, 1, 0)).toBe(false);
    cash.book('buy', 0.1, 3, 0);
    expect(cash.exact.isZero()).toBe(true);
    expect(cash.canAfford(0.01, 1, 0)).toBe(false);
  });

  it('reset starts again from a new initial cash, as a new ExactCash would', () => {
    const cash = new ExactCash(1_000);
    for (let k = 0; k < 100; k++) cash.book(k % 2 === 0 ? 'buy' : 'sell', 10.1, 3, 0.01);
    cash.reset(500);
    expect(cash.value).toBe(500);
    expect(cash.errorBound).toBe(0);
    expect(cash.exact.toString()).toBe('500');
    cash.book('buy', 0.1, 3, 0.2);
    const fresh = new ExactCash(500);
    fresh.book('buy', 0.1, 3, 0.2);
    expect(cash.exact.toString()).toBe('499.5'); // 500 - 0.3 - 0.2 exactly, nothing left of the bookings before the reset
    expect(cash.value).toBe(fresh.value);
    expect(cash.errorBound).toBe(fresh.errorBound);
  });

  it('books cash flows exactly and keeps the mirror within its bound', () => {
    const cash = new ExactCash(100);
    cash.flow(0.1);
    cash.book('buy', 0.2, 1, 0);
    cash.flow(-0.3);
    expect(cash.exact.toString()).toBe('99.6');
    expect(Math.abs(cash.value - 99.6)).toBeLessThanOrEqual(cash.errorBound);
  });

  it('keeps the float mirror on the sign of the exact cash near 0 (regression: -6.5e-9 published)', () => {
    // Fills of an all-in engine run with lots of 1e-8 (found by fuzzing): the last purchase, which
    // the exact cash covers to the last lot, leaves exactly 4.758377e-9 while the compensated float
    // sum alone landed at -6.485516124143942e-9.
    const cash = new ExactCash(8282.77);
    cash.book('buy', 1.030185, 8032.04813164, 8.274495504493553);
    cash.book('sell', 9563.315851, 8032.04813164, 76813.01321330774);
    const before = cash.exact;
    const price = 1.070761;
    const quantity = 71_593_512.14644071;
    const commission = price * quantity * 0.001;
    cash.book('buy', price, quantity, commission);
    const exact = before.minus(new Decimal(price).times(quantity)).minus(commission);
    expect(cash.exact.eq(exact)).toBe(true);
    expect(exact.isNegative()).toBe(false);
    expect(exact.toString()).toBe('4.758377e-9');
    expect(cash.value).toBe(4.758377e-9);
    expect(Math.abs(cash.value - exact.toNumber())).toBeLessThanOrEqual(cash.errorBound);
  });

  it('property: the float mirror has the sign of the exact cash after every booking', () => {
    const fill = fc.record({
      side: fc.constantFrom('buy' as const, 'sell' as const),
      price: fc.double({ min: -3, max: 4, noNaN: true }).map((e) => 10 ** e),
      quantity: fc.integer({ min: 1, max: 10 ** 9 }).map((k) => k / 10 ** 8),
      commission: fc.constantFrom(0, 0.001, 0.0015),
    });
    fc.assert(
      fc.property(fc.array(fill, { maxLength: 30 }), (fills) => {
        const cash = new ExactCash(1_000);
        for (const f of fills) {
          // Buys spend the whole cash when they can (the case that lands next to 0).
          const quantity = f.side === 'buy' ? cash.affordableQuantity(f.price, f.commission, 1e-8) || f.quantity : f.quantity;
          cash.book(f.side, f.price, quantity, f.price * quantity * f.commission);
          const exact = cash.exact;
          expect(cash.value > 0).toBe(exact.gt(0));
          expect(cash.value < 0).toBe(exact.lt(0));
        }
      }),
      { numRuns: 300 },
    );
  });

  describe('affordableQuantity', () => {
    it('sizes from the float mirror when the exact cash confirms it', () => {
      const cash = new ExactCash(10_000);
      // 10,000 / (100 x 1.0015) = 99.85 -> 99 units; 99 x 100 x 1.0015 = 9,914.85 <= 10,000.
      expect(cash.affordableQuantity(100, 0.0015, 1)).toBe(99);
      expect(cash.affordableQuantity(20_000, 0, 1)).toBe(0);
    });

    it('takes a lot less when the float mirror sits a hair above the exact cash', () => {
      // 1,000 - 1.273 x 785 + 2.6479999999999997 x 785 is exactly 2,079.3749999999997645 (the
      // decimal of 2.6479999999999997 times 785), while the float mirror reads 2,079.375.
      const cash = new ExactCash(1_000);
      cash.book('buy', 1.273, 785, 0);
      cash.book('sell', 2.6479999999999997, 785, 0);
      expect(cash.value).toBe(2079.375);
      expect(cash.exact.toString()).toBe('2079.3749999999997645');
      // The float says 41,587.5 units of 0.05 fit (2,079.375 exactly); the exact cash is short of
      // that by 2.355e-13, so 41,587.499 lots of 0.001.
      expect(cash.canAfford(0.05, 41_587.5, 0)).toBe(false);
      expect(cash.affordableQuantity(0.05, 0, 0.001)).toBe(41_587.499);
    });

    it('returns promptly past 2^53 lots and never overdraws the exact cash', () => {
      const cash = new ExactCash(10_000);
      const price = 0.00002644381413799332;
      const q = cash.affordableQuantity(price, 0.001, 1e-8);
      expect(q).toBeGreaterThan(377_782_491);
      cash.book('buy', price, q, price * q * 0.001);
      expect(cash.exact.isNegative()).toBe(false);
    });

    it('property: booking the quantity never makes the exact cash negative', () => {
      const logUniform = (min: number, max: number) =>
        fc.double({ min: Math.log10(min), max: Math.log10(max), noNaN: true }).map((e) => 10 ** e);
      const fill = fc.record({ price: logUniform(1e-6, 1e4), sellPrice: logUniform(1e-6, 1e4) });
      fc.assert(
        fc.property(
          fc.array(fill, { minLength: 1, maxLength: 12 }),
          fc.constantFrom(0, 0.001, 0.0015),
          fc.constantFrom(1, 0.001, 1e-8),
          (fills, commissionPct, lot) => {
            const cash = new ExactCash(10_000);
            for (const f of fills) {
              const q = cash.affordableQuantity(f.price, commissionPct, lot);
              if (q === 0) continue;
              cash.book('buy', f.price, q, f.price * q * commissionPct);
              expect(cash.exact.isNegative()).toBe(false);
              cash.book('sell', f.sellPrice, q, f.sellPrice * q * commissionPct);
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
