import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogram } from './charts';
import { monthlyReturns } from './monthly-returns';

const DAY = 86_400_000;

describe('report statistics (properties)', () => {
  it('monthly returns compound to the whole period return', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 0, max: 27 }),
        (dailyReturns, startDay) => {
          const t0 = Date.UTC(2020, 0, 1 + startDay);
          const time: number[] = [];
          const equity: number[] = [];
          let e = 1000;
          for (let i = 0; i < dailyReturns.length; i++) {
            e *= 1 + dailyReturns[i]!;
            time.push(t0 + i * DAY);
            equity.push(e);
          }
          const months = monthlyReturns(time, equity);
          const compounded = months.reduce((acc, m) => acc * (1 + m.value), 1) - 1;
          expect(compounded).toBeCloseTo(equity.at(-1)! / equity[0]! - 1, 9);
          const distinctMonths = new Set(time.map((t) => `${new Date(t).getUTCFullYear()}-${new Date(t).getUTCMonth()}`));
          expect(months).toHaveLength(distinctMonths.size);
        },
      ),
    );
  });

  it('histogram keeps values whose range underflows when divided into bins', () => {
    const bins = histogram([0, 5e-324, 1e-323]);
    expect(bins.reduce((sum, [, , count]) => sum + count, 0)).toBe(3);
  });

  it('histogram bins cover every finite value exactly once', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: -1, max: 1, noNaN: true }), fc.constant(NaN)), { maxLength: 300 }), (values) => {
        const bins = histogram(values);
        const finite = values.filter(Number.isFinite);
        expect(bins.reduce((sum, [, , count]) => sum + count, 0)).toBe(finite.length);
        for (const [lo, hi] of bins) expect(hi).toBeGreaterThanOrEqual(lo);
      }),
    );
  });
});
