import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from './money';
import { PositionBook, type BookFill } from './position-book';
import { catchAlgoTradingError } from './testing';

const base = { commission: 0, slippageCost: 0, time: 0, barIndex: 0 } as const;
const fill = (f: Partial<BookFill> & Pick<BookFill, 'side' | 'quantity' | 'price'>): BookFill => ({ symbol: 'X', ...base, ...f });

/** The code of the AlgoTradingError `fn` throws. */
const code = (fn: () => unknown): string => catchAlgoTradingError(fn).code;

describe('PositionBook', () => {
  it('sizes a purchase against the exact cash, not its float mirror', () => {
    // 1,000 - 1.273 x 785 + 2.6479999999999997 x 785 is exactly 2,079.3749999999997645 (the
    // decimal of 2.6479999999999997 times 785), while the float mirror reads 2,079.375.
    const book = new PositionBook(1_000);
    book.applyFill(fill({ side: 'buy', quantity: 785, price: 1.273 }));
    book.applyFill(fill({ side: 'sell', quantity: 785, price: 2.6479999999999997, reason: 'signal' }));
    expect(book.cash).toBe(2079.375);
    expect(book.exactCash.toString()).toBe('2079.3749999999997645');
    // The float says 41,587.5 units of 0.05 fit; the exact cash is short of that by 2.355e-13.
    expect(book.canAfford(0.05, 41_587.5, 0)).toBe(false);
    expect(book.affordableQuantity(0.05, 0, 0.001)).toBe(41_587.499);
    // 10,000 / (100 x 1.0015) = 99.85 -> 99 whole units.
    expect(new PositionBook(10_000).affordableQuantity(100, 0.0015, 1)).toBe(99);
  });

  it('books a round trip: cash exactly, one trade with both commissions', () => {
    const book = new PositionBook(10_000);
    expect(book.applyFill(fill({ side: 'buy', quantity: 10, price: 100, commission: 1, slippageCost: 0.5, initialStop: 95 }))).toBe(-1);
    expect(book.cash).toBe(8_999);
    expect(book.position('X')).toMatchObject({ direction: 1, side: 'long', quantity: 10, entryPrice: 100, entryCommission: 1 });
    book.mark('X', 104);
    expect(book.equity()).toBe(8_999 + 1_040);
    const k = book.applyFill(fill({ side: 'sell', quantity: 10, price: 110, commission: 1.1, time: 5, barIndex: 3, reason: 'take_profit' }));
    expect(k).toBe(0);
    expect(book.position('X')).toBeUndefined();
    expect(book.open).toEqual([]);
    expect(book.exactCash.toString()).toBe('10097.9'); // 10000 - 1000 - 1 + 1100 - 1.1
    expect(book.trades.get(0)).toMatchObject({
      side: 'long',
      quantity: 10,
      grossPnl: 100,
      commission: 2.1,
      slippageCost: 0.5,
      pnl: 97.9,
      initialRisk: 50,
      exitReason: 'take_profit',
      barsHeld: 3,
    });
    expect(book.trades.get(0).rMultiple).toBeCloseTo(97.9 / 50, 12);
    expect(book.realizedPnl).toBeCloseTo(97.9, 12);
    expect(book.wins).toBe(1);
    expect(book.totalCommission).toBeCloseTo(2.1, 12);
  });

  it('averages adds, prorates the entry commission over partial closes', () => {
    const book = new PositionBook(100_000);
    book.applyFill(fill({ side: 'sell', quantity: 10, price: 100, commission: 2 }));
    book.applyFill(fill({ side: 'sell', quantity: 30, price: 104, commission: 6 }));
    expect(book.position('X')).toMatchObject({ direction: -1, quantity: 40, entryPrice: 103, entryCommission: 8 });
    book.applyFill(fill({ side: 'buy', quantity: 10, price: 101, commission: 1, reason: 'order' }));
    // a quarter closed: gross (103 - 101) x 10 = 20, commission 2 + 1
    expect(book.trades.get(0)).toMatchObject({ side: 'short', quantity: 10, grossPnl: 20, commission: 3, pnl: 17, exitReason: 'order' });
    expect(book.position('X')).toMatchObject({ quantity: 30, entryCommission: 6 });
    book.applyFill(fill({ side: 'buy', quantity: 30, price: 105, commission: 0 }));
    expect(book.trades.get(1)).toMatchObject({ quantity: 30, grossPnl: -60, commission: 6, pnl: -66, initialRisk: null, rMultiple: null });
    expect(book.open).toHaveLength(0);
  });

  it('refuses a fill that would reverse the position, and malformed fills', () => {
    const book = new PositionBook(1_000);
    book.applyFill(fill({ side: 'buy', quantity: 5, price: 10 }));
    expect(code(() => book.applyFill(fill({ side: 'sell', quantity: 6, price: 10 })))).toBe('INVALID_STATE');
    expect(code(() => book.applyFill(fill({ side: 'sell', quantity: 0, price: 10 })))).toBe('INVALID_ARGUMENT');
    expect(code(() => book.applyFill(fill({ side: 'sell', quantity: 1, price: Number.NaN })))).toBe('INVALID_ARGUMENT');
    expect(code(() => book.applyFill(fill({ side: 'hold' as never, quantity: 1, price: 1 })))).toBe('INVALID_ARGUMENT');
    expect(code(() => book.applyFill(fill({ side: 'buy', quantity: 1, price: 1, commission: -1 })))).toBe('INVALID_ARGUMENT');
    expect(code(() => book.bookCashFlow(Number.POSITIVE_INFINITY))).toBe('INVALID_ARGUMENT');
    // Nothing was booked by the refused fills.
    expect(book.cash).toBe(950);
    expect(book.position('X')!.quantity).toBe(5);
  });

  it('books cash flows exactly beside the fills, and resets', () => {
    const book = new PositionBook(1_000);
    book.bookCashFlow(0.1);
    book.bookCashFlow(-0.3);
    expect(book.exactCash.toString()).toBe('999.8');
    expect(book.cashFlows).toBeCloseTo(-0.2, 15);
    book.reset(50);
    expect(book.cash).toBe(50);
    expect(book.trades.length).toBe(0);
    expect(book.cashFlows).toBe(0);
  });

  it('keeps cash equal to the exact sum of its fills, and equity to cash plus positions', () => {
    const step = fc.record({
      side: fc.constantFrom('buy' as const, 'sell' as const),
      quantity: fc.integer({ min: 1, max: 50 }),
      price: fc.integer({ min: 1, max: 100_000 }).map((k) => k / 100),
      commission: fc.integer({ min: 0, max: 500 }).map((k) => k / 100),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const book = new PositionBook(1_000_000);
        let exact = new Decimal(1_000_000);
        let units = 0;
        for (const s of steps) {
          const signed = s.side === 'buy' ? s.quantity : -s.quantity;
          // Never reverse in one fill: cut the fill at the position.
          const quantity = units !== 0 && Math.sign(signed) !== Math.sign(units) ? Math.min(s.quantity, Math.abs(units)) : s.quantity;
          book.applyFill(fill({ side: s.side, quantity, price: s.price, commission: s.commission }));
          const notional = new Decimal(s.price).times(quantity);
          exact = s.side === 'buy' ? exact.minus(notional).minus(s.commission) : exact.plus(notional).minus(s.commission);
          units += s.side === 'buy' ? quantity : -quantity;
        }
        expect(book.exactCash.eq(exact)).toBe(true);
        const p = book.position('X');
        expect(p === undefined ? 0 : p.direction * p.quantity).toBe(units);
      }),
      { numRuns: 300 },
    );
  });
});
