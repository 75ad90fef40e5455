import { generateUniverse } from '@algo-trading/data';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestEngine, type Strategy } from '../src/index';
import { DAY, T0, flat, rejects } from './helpers';

const costless = { commissionPct: 0, slippageBps: 0 } as const;

/** A strategy that sets `rows[j]` at the slice dated `times[j]`. */
function scheduled(times: readonly number[], rows: readonly Record<string, number>[]): Strategy {
  return {
    onBar(ctx) {
      const j = times.indexOf(ctx.time);
      if (j >= 0) ctx.setTargetWeights(rows[j]!);
    },
  };
}

describe('ctx.setTargetWeights', () => {
  it('rebalances at the next open, sells first, the sale funding the buy (golden)', async () => {
    // Day 0: 50/50 at 10 and 20 -> day 1's open: 500 A, 250 B, cash 0. Day 1's close: equity
    // 10,000; day 1 asks A 0, B 1: at day 2's open the sale of 500 A at 12 (cash 6,000) comes
    // first and funds the purchase of floor(10,000 / 20) - 250 = 250 B at 20: cash 1,000.
    const data = { A: flat([10, 10, 12, 12, 12], 'A'), B: flat([20, 20, 20, 20, 22], 'B') };
    const engine = new BacktestEngine({ initialCapital: 10_000, ...costless });
    await engine.run({ data, strategy: scheduled([T0, T0 + DAY], [{ A: 0.5, B: 0.5 }, { A: 0, B: 1 }]) });
    expect(engine.getFills().map((f) => [f.symbol, f.side, f.quantity, f.price, f.barIndex])).toEqual([
      ['A', 'buy', 500, 10, 1],
      ['B', 'buy', 250, 20, 1],
      ['A', 'sell', 500, 12, 2],
      ['B', 'buy', 250, 20, 2],
    ]);
    expect(Array.from(engine.getHoldings().positions['B']!)).toEqual([0, 250, 500, 500, 500]);
    expect(Array.from(engine.getEquityCurve().cash)).toEqual([10_000, 0, 1_000, 1_000, 1_000]);
    expect(engine.getOrders().every((o) => o.tag === 'rebalance')).toBe(true);
  });

  it('gives exactly the run of the same targetWeights schedule (random universes, thresholds, fill timing)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        fc.boolean(),
        fc.constantFrom(0, 50),
        async (seed, driftThreshold, atClose, minTradeValue) => {
          const data = generateUniverse({ symbols: 3, bars: 40, seed, missingRate: 0.1, volatility: 0.03, spans: { S02: { last: 25 } } });
          const symbols = [...data.keys()];
          const t0 = data.get('S01')!.time[0]!;
          const times = Array.from({ length: 6 }, (_, j) => t0 + j * 6 * DAY);
          const draws = fc.sample(fc.array(fc.double({ min: 0, max: 0.3, noNaN: true }), { minLength: 6, maxLength: 6 }), { numRuns: 3, seed });
          const rows = times.map((_, j) => Object.fromEntries(symbols.map((s, k) => [s, draws[k]![j]!])));
          // The schedule's rows apply at the first slice at or after their time: date them on slices.
          const slices = new Set<number>();
          for (const s of data.values()) for (const t of s.time) slices.add(t);
          const onSlices = times.filter((t) => slices.has(t));
          const rowsOnSlices = rows.filter((_, j) => slices.has(times[j]!));
          const options = { initialCapital: 10_000, commissionPct: 0.001, slippageBps: 5, fillAt: atClose ? 'close' : 'next_open' } as const;
          const scheduleEngine = new BacktestEngine(options);
          const a = await scheduleEngine.runBacktest({
            data,
            targetWeights: { time: onSlices, weights: Object.fromEntries(symbols.map((s) => [s, rowsOnSlices.map((r) => r[s]!)])) },
            rebalance: { driftThreshold, minTradeValue },
          });
          const callbackEngine = new BacktestEngine(options);
          const b = await callbackEngine.run({ data, strategy: scheduled(onSlices, rowsOnSlices), rebalance: { driftThreshold, minTradeValue } });
          expect(callbackEngine.getFills()).toEqual(scheduleEngine.getFills());
          expect(Array.from(callbackEngine.getEquityCurve().equity)).toEqual(Array.from(scheduleEngine.getEquityCurve().equity));
          expect(b.finalEquity).toBe(a.finalEquity);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the last call of a slice wins; a symbol left out is not traded', async () => {
    const data = { A: flat([10, 10, 10], 'A'), B: flat([20, 20, 20], 'B') };
    const engine = new BacktestEngine({ initialCapital: 10_000, ...costless });
    await engine.run({
      data,
      strategy: {
        onBar(ctx) {
          if (ctx.index !== 0) return;
          ctx.setTargetWeights({ A: 0.9, B: 0.1 });
          ctx.setTargetWeights({ A: 0.2 });
        },
      },
    });
    expect(engine.getFills().map((f) => [f.symbol, f.quantity])).toEqual([['A', 200]]);
  });

  it('works on a single series (its own symbol) and honours the rebalance thresholds', async () => {
    const engine = new BacktestEngine({ initialCapital: 1000, ...costless });
    await engine.run({
      data: flat([10, 10, 10.1, 10.1], 'SPY'),
      strategy: { onBar: (ctx) => ctx.setTargetWeights({ SPY: 0.5 }) },
      rebalance: { driftThreshold: 0.02 },
    });
    // Day 0: buy 50. Later weights 50 x 10 / 1000 = 0.5 and 505 / 1005 = 0.5025: within the drift.
    expect(engine.getFills().map((f) => [f.side, f.quantity, f.price])).toEqual([['buy', 50, 10]]);
  });

  it('bad weights throw INVALID_DATA naming the symbol and the value, wrapped with the bar', async () => {
    const data = { A: flat([10, 10], 'A'), B: flat([20, 20], 'B') };
    const run = (weights: unknown, options: Record<string, unknown> = {}) =>
      new BacktestEngine({ initialCapital: 1000, ...options }).run({ data, strategy: { onBar: (ctx) => ctx.setTargetWeights(weights as never) } });
    await rejects(run({ C: 0.5 }), 'INVALID_DATA', 'strategy.onBar failed at bar 0', 'ctx.setTargetWeights: weights.C: unknown symbol "C"');
    await rejects(run({ A: Number.NaN }), 'INVALID_DATA', 'ctx.setTargetWeights: weights.A must be a finite number, got NaN');
    await rejects(run({ A: '0.5' }), 'INVALID_DATA', 'weights.A must be a finite number');
    await rejects(run({ A: -0.5 }), 'INVALID_DATA', 'weights.A must be >= 0 without allowShort, got -0.5');
    await rejects(run({ A: -0.5 }, { allowShort: true, instruments: { A: { shortable: false } } }), 'INVALID_DATA', 'weights.A must be >= 0: A cannot be shorted');
    await rejects(run({ A: 0.7, B: 0.6 }), 'INVALID_DATA', 'ctx.setTargetWeights: weights sums to 1.2', 'above maxLeverage 1');
    await rejects(run([0.5, 0.5]), 'INVALID_DATA', 'ctx.setTargetWeights: weights must be a record of symbol');
    // With leverage 2 the same weights are fine.
    await expect(run({ A: 0.7, B: 0.6 }, { maxLeverage: 2 })).resolves.toBeDefined();
    await rejects(
      new BacktestEngine({ initialCapital: 1000 }).run({ data, strategy: { onBar: () => undefined }, rebalance: { minTradeValue: -1 } }),
      'INVALID_ARGUMENT',
      'rebalance.minTradeValue',
    );
  });
});
