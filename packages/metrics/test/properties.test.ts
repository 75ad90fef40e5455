import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annualVolatility, cagr, maxDrawdown, returnsFromEquity, sharpeRatio, sortinoRatio, totalReturn } from '../src/index';

const finiteReturn = fc.double({ min: -1, max: 2, noNaN: true, noDefaultInfinity: true });
// Realistic returns in basis-point steps (no subnormal magnitudes, whose squares underflow).
const bpReturn = fc.integer({ min: -1000, max: 1000 }).map((k) => k / 10_000);
const returnWithGaps = fc.oneof({ weight: 9, arbitrary: finiteReturn }, { weight: 1, arbitrary: fc.constant(Number.NaN) });

describe('properties', () => {
  it('maxDrawdown is in [-1, 0] for returns >= -1 (NaN only when empty)', () => {
    fc.assert(
      fc.property(fc.array(returnWithGaps, { maxLength: 300 }), (returns) => {
        const mdd = maxDrawdown(returns);
        if (returns.length === 0) return Number.isNaN(mdd);
        return mdd >= -1 && mdd <= 0;
      }),
    );
  });

  it('totalReturn equals the product of (1 + r) minus 1, NaN as 0', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: -0.5, max: 0.5, noNaN: true }), fc.constant(Number.NaN)), { minLength: 1, maxLength: 200 }), (returns) => {
        let product = 1;
        for (const r of returns) if (!Number.isNaN(r)) product *= 1 + r;
        const total = totalReturn(returns);
        return Math.abs(total - (product - 1)) <= 1e-12 * Math.max(1, Math.abs(product));
      }),
    );
  });

  it('totalReturn of an equity curve is last / first - 1', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 200 }), (equity) => {
        const expected = equity[equity.length - 1]! / equity[0]! - 1;
        return Math.abs(totalReturn(returnsFromEquity(equity)) - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
      }),
    );
  });

  it('Sharpe (rf = 0) and Sortino are invariant to scaling returns by a positive constant', () => {
    fc.assert(
      fc.property(
        fc.array(bpReturn, { minLength: 3, maxLength: 200 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (returns, k) => {
          const base = sharpeRatio(returns);
          const scaled = sharpeRatio(returns.map((r) => r * k));
          if (!Number.isFinite(base) || Math.abs(base) > 1e6) return true; // degenerate (std ~ 0)
          expect(Math.abs(scaled - base)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(base)));
          const sortino = sortinoRatio(returns);
          if (Number.isFinite(sortino) && Math.abs(sortino) < 1e6) {
            const scaledSortino = sortinoRatio(returns.map((r) => r * k));
            expect(Math.abs(scaledSortino - sortino)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(sortino)));
          }
          return true;
        },
      ),
    );
  });

  it('annual volatility scales with the constant; CAGR is monotone in the returns', () => {
    fc.assert(
      fc.property(
        fc.array(bpReturn, { minLength: 2, maxLength: 100 }),
        fc.double({ min: 0.001, max: 0.05, noNaN: true }),
        (returns, shift) => {
          const vol = annualVolatility(returns);
          expect(Math.abs(annualVolatility(returns.map((r) => 2 * r)) - 2 * vol)).toBeLessThanOrEqual(1e-9 * Math.max(1e-12, vol));
          expect(cagr(returns.map((r) => r + shift))).toBeGreaterThan(cagr(returns));
        },
      ),
    );
  });
});
