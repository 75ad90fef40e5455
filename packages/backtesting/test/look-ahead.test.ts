import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';
import { ohlcPath, signalsOf } from './helpers';

describe('no look-ahead', () => {
  it('gives the first k bars identical results whether or not later bars exist', async () => {
    await fc.assert(
      fc.asyncProperty(
        ohlcPath(3, 50).chain((series) =>
          fc.record({
            series: fc.constant(series),
            signals: signalsOf(series.length),
            confidences: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: series.length, maxLength: series.length }),
            k: fc.integer({ min: 1, max: series.length - 1 }),
            fillAt: fc.constantFrom('next_open' as const, 'close' as const),
            allowShort: fc.boolean(),
            slippageBps: fc.constantFrom(0, 5, 25),
          }),
        ),
        async ({ series, signals, confidences, k, fillAt, allowShort, slippageBps }) => {
          const options = { initialCapital: 10_000, fillAt, allowShort, slippageBps };
          const full = new BacktestEngine(options);
          const prefix = new BacktestEngine(options);
          await full.runBacktest({ data: series, signals, confidences });
          await prefix.runBacktest({ data: series.slice(0, k), signals: signals.slice(0, k), confidences: confidences.slice(0, k) });
          const fc1 = full.getEquityCurve();
          const fc2 = prefix.getEquityCurve();
          expect(Array.from(fc2.equity)).toEqual(Array.from(fc1.equity.subarray(0, k)));
          expect(Array.from(fc2.cash)).toEqual(Array.from(fc1.cash.subarray(0, k)));
          expect(Array.from(fc2.drawdown)).toEqual(Array.from(fc1.drawdown.subarray(0, k)));
          expect(prefix.getFills()).toEqual(full.getFills().filter((f) => f.barIndex < k));
          expect(prefix.getTrades()).toEqual(full.getTrades().filter((t) => t.exitBarIndex < k));
          // A record of the full run that runs past bar k-1 is cut there.
          const cut = full
            .getRejections()
            .filter((r) => r.barIndex < k)
            .map((r) =>
              r.lastBarIndex < k ? r : { ...r, count: k - r.barIndex, lastBarIndex: k - 1, lastTime: series.time[k - 1]! },
            );
          expect(prefix.getRejections()).toEqual(cut);
        },
      ),
      { numRuns: 150 },
    );
  });
});
