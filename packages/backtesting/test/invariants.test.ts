import { PercentOfEquitySizing } from '@algo-trading/sizing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';
import { ohlcPath, signalsOf } from './helpers';
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
