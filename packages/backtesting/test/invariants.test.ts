import { BarSeries } from '@algo-trading/core';
import { PercentOfEquitySizing } from '@algo-trading/sizing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';
import { flat, ohlcPath, signalsOf } from './helpers';
import { checkInvariants } from './ledger-check';

describe('ledger invariants over random OHLC paths and random signals', () => {
  it('hold for every configuration without a risk manager', async () => {
    await fc.assert(
      fc.asyncProperty(
        ohlcPath(2, 60).chain((series) =>
          fc.record({
            series: fc.constant(series),
            signals: signalsOf(series.length),
            stopFraction: fc.option(fc.double({ min: 0.85, max: 0.995, noNaN: true }), { nil: undefined }),
            fillAt: fc.constantFrom('next_open' as const, 'close' as const),
            allowShort: fc.boolean(),
            closeAtEnd: fc.boolean(),
            sized: fc.boolean(),
            lotSize: fc.constantFrom(1, 0.01, 1e-8),
            commissionPct: fc.constantFrom(0, 0.0015, 0.01),
            slippageBps: fc.constantFrom(0, 5, 50),
            capital: fc.constantFrom(500, 10_000, 98_765.4321),
          }),
        ),
        async (c) => {
          const n = c.series.length;
          const stops = c.stopFraction === undefined ? undefined : Array.from({ length: n }, (_, i) => (c.signals[i] === -1 ? c.series.close[i]! / c.stopFraction! : c.series.close[i]! * c.stopFraction!));
          const engine = new BacktestEngine({
            initialCapital: c.capital,
            fillAt: c.fillAt,
            allowShort: c.allowShort,
            closeAtEnd: c.closeAtEnd,
            lotSize: c.lotSize,
            commissionPct: c.commissionPct,
            slippageBps: c.slippageBps,
            ...(c.sized ? { positionSizer: new PercentOfEquitySizing({ fraction: 0.5, lotSize: c.lotSize }) } : {}),
          });
          const results = await engine.runBacktest({ data: c.series, signals: c.signals, ...(stops ? { stopLosses: stops } : {}) });
          checkInvariants(engine, results, c.series.close, c.capital, !c.allowShort);
          if (c.closeAtEnd) expect(results.openPositions).toEqual([]);
          for (const f of engine.getFills()) {
            expect(f.quantity).toBeGreaterThan(0);
            expect(f.commission).toBeCloseTo(f.price * f.quantity * c.commissionPct, 9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('lots of 1e-8 on sub-cent prices (quantities beyond 2^53 lots)', () => {
  const price = 0.00002644381413799332;

  it('sizes an all-in order promptly (regression: the can-afford step-down never ended)', async () => {
    // 10,000 / (price x 1.001) = 377,782,491.507... units, 3.8e16 lots of 1e-8: past 2^53 lots,
    // where q - lot == q in floats.
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0.001, slippageBps: 0, lotSize: 1e-8 });
    const series = flat([price, price, price * 1.5, price * 1.5]);
    const results = await engine.runBacktest({ data: series, signals: [1, 0, -1, 0] });
    const [buy, sell] = engine.getFills();
    expect(buy!.quantity).toBeGreaterThanOrEqual((10_000 / (price * 1.001)) * (1 - 1e-12));
    expect(sell!.quantity).toBe(buy!.quantity);
    checkInvariants(engine, results, series.close, 10_000, true);
  });

  it('publishes a cash curve that never dips below 0 in a long-only run (regression: -6.5e-9 while the ledger was positive)', async () => {
    // Found by fuzzing: all in at each 1, lots of 1e-8, 0.1% commission, fills at the close.
    const prices = [1.030185, 12.996444, 9563.315851, 1.070761, 1.591823, 1980.051082];
    const series = BarSeries.fromPrices(prices.map((_, i) => i * 86_400_000), prices);
    const engine = new BacktestEngine({ initialCapital: 8282.77, commissionPct: 0.001, slippageBps: 0, lotSize: 1e-8, fillAt: 'close' });
    const results = await engine.runBacktest({ data: series, signals: [1, 0, -1, 1, 0, -1] });
    const curve = engine.getEquityCurve();
    // After bar 3's all-in purchase the exact cash is 4.758377e-9 (replayed in Decimal by checkInvariants).
    expect(curve.cash[3]).toBe(4.758377e-9);
    expect(curve.equity[3]).toBeGreaterThan(0);
    checkInvariants(engine, results, series.close, 8282.77, true);
  });

  it('property: log-uniform prices in [1e-6, 1e-4] keep every ledger invariant', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: -6, max: -4, noNaN: true }), { minLength: 2, maxLength: 30 }),
        fc.constantFrom(0, 0.001, 0.0015),
        fc.constantFrom(1e-8, 1e-6),
        async (exponents, commissionPct, lotSize) => {
          const series = flat(exponents.map((e) => 10 ** e));
          const signals = exponents.map((_, i) => (i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : -1));
          const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct, slippageBps: 0, lotSize });
          const results = await engine.runBacktest({ data: series, signals });
          checkInvariants(engine, results, series.close, 10_000, true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
