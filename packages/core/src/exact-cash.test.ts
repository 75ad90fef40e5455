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

  it('books cash flows exactly and keeps the mirror within its bound', () => {
    const cash = new ExactCash(100);
    cash.flow(0.1);
    cash.book('buy', 0.2, 1, 0);
    cash.flow(-0.3);
    expect(cash.exact.toString()).toBe('99.6');
    expect(Math.abs(cash.value - 99.6)).toBeLessThanOrEqual(cash.errorBound);
  });
});
