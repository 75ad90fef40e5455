import { BarSeries } from '@algo-trading/core';
import { generateUniverse } from '@algo-trading/data';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestEngine, type Strategy } from '../src/index';
import { DAY, T0, fixedSizer, rejects } from './helpers';

/** Flat bars (open = high = low = close) of `symbol` on the given days after T0. */
function onDays(symbol: string, days: readonly number[], prices: readonly number[]): BarSeries {
  return BarSeries.fromRows(
    days.map((d, k) => ({ time: T0 + d * DAY, open: prices[k]!, high: prices[k]!, low: prices[k]!, close: prices[k]!, volume: 1000 })),
    { symbol },
  );
}

const costless = { commissionPct: 0, slippageBps: 0 } as const;

describe('several symbols: calendars and delisting', () => {
  // A trades on days 0-3, B on days 0, 2 and 4: five time slices; A's bars end first.
  const data = () => ({ A: onDays('A', [0, 1, 2, 3], [10, 10, 12, 14]), B: onDays('B', [0, 2, 4], [20, 22, 30]) });

  it('fills each symbol at its own next bar, marks a symbol without a bar at its last close, closes a delisted position', async () => {
    const sizer = fixedSizer(10);
    const engine = new BacktestEngine({ initialCapital: 1000, positionSizer: sizer, ...costless });
    const results = await engine.runBacktest({ data: data(), signals: { A: [1, 0, 0, 0], B: [1, 0, 0] } });
    // A buys 10 at day 1's open (10); B at its next bar, day 2 (22): cash 1000 - 100 - 220 = 680.
    // Day 3: A's last bar (the run goes on to day 4): sold at its close 14 (cash 820); B has no
    // bar and is marked at 22. Day 4: B closes at 30.
    expect(Array.from(engine.getEquityCurve().equity)).toEqual([1000, 1000, 1020, 1040, 1120]);
    expect(Array.from(engine.getEquityCurve().cash)).toEqual([1000, 900, 680, 820, 820]);
    expect(engine.getFills().map((f) => [f.symbol, f.side, f.quantity, f.price, f.barIndex, f.reason])).toEqual([
      ['A', 'buy', 10, 10, 1, 'entry'],
      ['B', 'buy', 10, 22, 2, 'entry'],
      ['A', 'sell', 10, 14, 3, 'delisted'],
    ]);
    const [trade] = engine.getTrades();
    expect(trade).toMatchObject({ symbol: 'A', pnl: 40, exitReason: 'delisted', exitTime: T0 + 3 * DAY });
    expect(results).toMatchObject({ symbol: 'A,B', symbols: ['A', 'B'], bars: 5, finalEquity: 1120, realizedPnl: 40, unrealizedPnl: 80, exposure: 4 / 5 });
    expect(results.perSymbol['A']).toMatchObject({ pnl: 40, contribution: 0.04, trades: 1, exposure: 2 / 5, tradedValue: 240 });
    expect(results.perSymbol['B']).toMatchObject({ pnl: 80, contribution: 0.08, trades: 0, exposure: 3 / 5, tradedValue: 220 });
    expect(results.totalReturn).toBeCloseTo(0.12, 12);
    // mean equity 1036: turnover = traded value / mean equity
    expect(results.turnover).toBeCloseTo(460 / 1036, 12);
    expect(results.perSymbol['A']!.turnover).toBeCloseTo(240 / 1036, 12);
    expect(sizer.requests.map((r) => [r.symbol, r.capital])).toEqual([
      ['A', 1000],
      ['B', 1020 - 20], // B is sized at day 2's open: cash 900 + A marked at its day-1 close 10
    ]);
    const holdings = engine.getHoldings();
    expect(Array.from(holdings.time)).toEqual([0, 1, 2, 3, 4].map((d) => T0 + d * DAY));
    expect(Array.from(holdings.positions['A']!)).toEqual([0, 10, 10, 0, 0]);
    expect(Array.from(holdings.positions['B']!)).toEqual([0, 0, 10, 10, 10]);
    expect(holdings.weights['B']![3]).toBeCloseTo(220 / 1040, 15);
    expect(holdings.weights['A']![2]).toBeCloseTo(120 / 1020, 15);
  });

  it('never trades a symbol before its first bar', async () => {
    const engine = new BacktestEngine({ initialCapital: 1000, positionSizer: fixedSizer(1), ...costless });
    const late = { A: onDays('A', [0, 1, 2, 3], [10, 10, 10, 10]), B: onDays('B', [2, 3], [50, 60]) };
    await engine.runBacktest({ data: late, signals: { B: [1, 0] } });
    expect(engine.getFills().map((f) => [f.symbol, f.barIndex, f.price])).toEqual([['B', 3, 60]]);
  });

  it('accepts a Map and an array of series as the same universe', async () => {
    const signals = { A: [1, 0, 0, 0], B: [1, 0, 0] };
    const run = async (d: unknown) => {
      const engine = new BacktestEngine({ initialCapital: 1000, positionSizer: fixedSizer(10), ...costless });
      return (await engine.runBacktest({ data: d as ReturnType<typeof data>, signals })).finalEquity;
    };
    const d = data();
    expect(await run(new Map(Object.entries(d)))).toBe(1120);
    expect(await run([d.B, d.A])).toBe(1120);
  });
});

describe('several symbols: shared cash', () => {
  const two = () => ({ A: onDays('A', [0, 1, 2, 3], [10, 10, 10, 10]), B: onDays('B', [0, 1, 2, 3], [10, 10, 10, 10]) });

  it('two all-in entries in one slice never spend the same cash: the second is refused', async () => {
    const engine = new BacktestEngine({ initialCapital: 1000, ...costless });
    await engine.runBacktest({ data: two(), signals: { A: [1, 0, 0, 0], B: [1, 0, 0, 0] } });
    expect(engine.getFills().map((f) => [f.symbol, f.quantity])).toEqual([['A', 100]]);
    expect(engine.getRejections()).toMatchObject([{ symbol: 'B', barIndex: 1, reasons: [{ code: 'cash' }] }]);
    expect(Math.min(...engine.getEquityCurve().cash)).toBe(0);
  });

  it.each([
    ['exits_first', [['B', 'buy', 100], ['B', 'sell', 100], ['A', 'buy', 100]], 0],
    ['submission', [['B', 'buy', 100], ['B', 'sell', 100]], 1],
  ] as const)('with orderSequence %s, an exit of one symbol funds (or not) an entry of another at the same open', async (orderSequence, fills, refused) => {
    const engine = new BacktestEngine({ initialCapital: 1000, orderSequence, ...costless });
    // B enters at slice 1 with all the cash; at slice 1 B says exit and A says enter: both at slice 2's open.
    await engine.runBacktest({ data: two(), signals: { A: [0, 1, 0, 0], B: [1, -1, 0, 0] } });
    expect(engine.getFills().map((f) => [f.symbol, f.side, f.quantity])).toEqual(fills);
    expect(engine.getRejections().length).toBe(refused);
    expect(engine.getFills().every((f) => f.barIndex === (f.symbol === 'A' || f.side === 'sell' ? 2 : 1))).toBe(true);
  });
});

describe('several symbols: strategies', () => {
  it('calls onBar once per slice with bounded per-symbol views, and trades with a symbol', async () => {
    const data = { A: onDays('A', [0, 1, 2, 3], [10, 11, 12, 13]), B: onDays('B', [1, 3], [50, 55]) };
    const seen: string[] = [];
    const strategy: Strategy = {
      onBar(ctx) {
        const b = ctx.barsOf('B');
        seen.push(`${ctx.index}:${ctx.barsOf('A').length}/${b.length}:${ctx.hasBar('B') ? 'B' : '-'}`);
        if (ctx.index === 0) ctx.submit({ symbol: 'B', side: 'buy', quantity: 2 });
        if (ctx.index === 1) ctx.submit({ side: 'buy', quantity: 1 });
        if (ctx.index === 2) expect(ctx.positionOf('B')).toMatchObject({ side: 'long', quantity: 2, entryPrice: 50 });
      },
    };
    const engine = new BacktestEngine({ initialCapital: 1000, ...costless });
    const results = await engine.run({ data, strategy });
    expect(seen).toEqual(['0:1/0:-', '1:2/1:B', '2:3/1:-', '3:4/2:B']);
    // B's order waits for B's first bar (slice 1); the order without a symbol is refused.
    expect(engine.getFills().map((f) => [f.symbol, f.barIndex, f.price])).toEqual([['B', 1, 50]]);
    expect(engine.getRejections()).toMatchObject([{ reasons: [{ code: 'invalid_order' }] }]);
    expect(results.finalEquity).toBe(1000 + 2 * 5);
  });

  it('refuses a returned signal in a multi-symbol run', async () => {
    const data = { A: onDays('A', [0, 1], [10, 11]), B: onDays('B', [0, 1], [10, 11]) };
    const engine = new BacktestEngine({ initialCapital: 1000 });
    await rejects(engine.run({ data, strategy: { onBar: () => 1 } }), 'INVALID_DATA', 'multi-symbol', 'ctx.submit');
  });

  it('throws INVALID_ARGUMENT for an unknown symbol in barsOf', async () => {
    const data = { A: onDays('A', [0, 1], [10, 11]), B: onDays('B', [0, 1], [10, 11]) };
    const engine = new BacktestEngine({ initialCapital: 1000 });
    await rejects(engine.run({ data, strategy: { onBar: (ctx) => void ctx.barsOf('C') } }), 'INVALID_ARGUMENT', 'barsOf', '"C"');
  });
});

describe('several symbols: bad input', () => {
  const data = () => ({ A: onDays('A', [0, 1, 2], [10, 10, 10]), B: onDays('B', [0, 2], [10, 10]) });
  const engine = () => new BacktestEngine({ initialCapital: 1000 });

  it('names the symbol, field and index', async () => {
    await rejects(engine().runBacktest({ data: data(), signals: { A: [0, 0, 0], B: [0, 0, 0] } }), 'INVALID_DATA', 'signals.B has 3 values but data.B has 2 bars');
    await rejects(engine().runBacktest({ data: data(), signals: { A: [0, 0, 0], C: [0] } }), 'INVALID_DATA', 'signals.C', 'unknown symbol "C"');
    await rejects(engine().runBacktest({ data: data(), signals: { A: [0, 2, 0] } }), 'INVALID_DATA', 'signals.A[1] must be -1, 0 or 1');
    await rejects(engine().runBacktest({ data: data(), signals: { A: [0, 0, 0] }, confidences: { B: [0.5, Infinity] } }), 'INVALID_DATA', 'confidences.B[1]');
    await rejects(engine().runBacktest({ data: data(), signals: { A: [0, 0, 0] }, stopLosses: { A: [NaN, -1, NaN] } }), 'INVALID_DATA', 'stopLosses.A[1]');
    await rejects(engine().runBacktest({ data: data(), signals: [0, 0, 0] }), 'INVALID_DATA', 'signals must be a record of symbol');
    await rejects(engine().runBacktest({ data: data(), signals: {}, spreads: [0, 0, 0] }), 'INVALID_DATA', 'spreads');
  });

  it('refuses duplicate symbols', async () => {
    const d = data();
    await rejects(engine().runBacktest({ data: [d.A, d.A], signals: {} }), 'INVALID_DATA', '"A" occurs twice');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties on random universes with gaps

/** A random universe: 1-4 symbols on up to 30 days, each day kept with probability ~0.8, random walks. */
const universeArb = fc
  .array(
    fc.array(fc.record({ keep: fc.integer({ min: 0, max: 9 }), move: fc.double({ min: -0.1, max: 0.1, noNaN: true }), gap: fc.double({ min: -0.03, max: 0.03, noNaN: true }), signal: fc.constantFrom(-1, 0, 0, 1) }), { minLength: 30, maxLength: 30 }),
    { minLength: 1, maxLength: 4 },
  )
  .map((symbols) => {
    const data: Record<string, BarSeries> = {};
    const signals: Record<string, number[]> = {};
    symbols.forEach((days, k) => {
      const symbol = `S${k}`;
      let price = 50 + 10 * k;
      const rows: { time: number; open: number; high: number; low: number; close: number; volume: number }[] = [];
      const sig: number[] = [];
      days.forEach((d, day) => {
        if (d.keep >= 8 && rows.length > 0) return;
        const open = price * (1 + d.gap);
        const close = open * (1 + d.move);
        rows.push({ time: T0 + day * DAY, open, high: Math.max(open, close) * 1.01, low: Math.min(open, close) * 0.99, close, volume: 1000 });
        sig.push(d.signal);
        price = close;
      });
      data[symbol] = BarSeries.fromRows(rows, { symbol });
      signals[symbol] = sig;
    });
    return { data, signals };
  });

describe('several symbols: properties', () => {
  it('cash is never negative, equity is cash plus every position at its last close, realized P&L adds up over symbols', async () => {
    await fc.assert(
      fc.asyncProperty(universeArb, fc.boolean(), async ({ data, signals }, exitsFirst) => {
        const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0.001, slippageBps: 5, orderSequence: exitsFirst ? 'exits_first' : 'submission' });
        const results = await engine.runBacktest({ data, signals });
        const curve = engine.getEquityCurve();
        const holdings = engine.getHoldings();
        const symbols = Object.keys(data).sort();
        for (let i = 0; i < curve.time.length; i++) {
          expect(curve.cash[i]).toBeGreaterThanOrEqual(0);
          let marked = curve.cash[i]!;
          for (const s of symbols) {
            const series = data[s]!;
            // the symbol's last close at or before the slice
            let j = -1;
            while (j + 1 < series.length && series.time[j + 1]! <= curve.time[i]!) j++;
            const q = holdings.positions[s]![i]!;
            if (q !== 0) marked += q * series.close[j]!;
          }
          expect(curve.equity[i]).toBeCloseTo(marked, 6);
        }
        let realized = 0;
        for (const s of symbols) {
          const trades = engine.getTrades().filter((t) => t.symbol === s);
          realized += trades.reduce((sum, t) => sum + t.pnl, 0);
          expect(results.perSymbol[s]!.trades).toBe(trades.length);
        }
        expect(realized).toBeCloseTo(results.realizedPnl, 6);
        const contributions = symbols.reduce((sum, s) => sum + results.perSymbol[s]!.contribution, 0);
        expect(contributions).toBeCloseTo((results.finalEquity - 10_000) / 10_000, 9);
      }),
      { numRuns: 60, seed: 20_260_212 },
    );
  });

  it('a universe of one symbol gives exactly the single-series results', async () => {
    await fc.assert(
      fc.asyncProperty(universeArb, async ({ data, signals }) => {
        const symbol = 'S0';
        const options = { initialCapital: 10_000, commissionPct: 0.001, slippageBps: 5, allowShort: true } as const;
        const single = new BacktestEngine(options);
        const a = await single.runBacktest({ data: data[symbol]!, signals: signals[symbol]! });
        const universe = new BacktestEngine(options);
        const b = await universe.runBacktest({ data: { [symbol]: data[symbol]! }, signals: { [symbol]: signals[symbol]! } });
        expect(b).toEqual(a);
        expect(universe.getFills()).toEqual(single.getFills());
        expect(universe.getTrades()).toEqual(single.getTrades());
        expect(universe.getEquityCurve()).toEqual(single.getEquityCurve());
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('N independent symbols with fixed quantities and enough cash give the sum of N single runs', async () => {
    await fc.assert(
      fc.asyncProperty(universeArb, async ({ data, signals }) => {
        // Costless: a delisting closes at the last close, where a single run keeps the position open.
        const options = { initialCapital: 1_000_000, positionSizer: fixedSizer(3), ...costless } as const;
        const engine = new BacktestEngine(options);
        const together = await engine.runBacktest({ data, signals });
        let pnl = 0;
        for (const s of Object.keys(data)) {
          const single = new BacktestEngine(options);
          const alone = await single.runBacktest({ data: data[s]!, signals: signals[s]! });
          const singlePnl = alone.realizedPnl + alone.unrealizedPnl;
          expect(together.perSymbol[s]!.pnl).toBeCloseTo(singlePnl, 6);
          const delisted = engine.getTrades().filter((t) => t.symbol === s && t.exitReason === 'delisted').length;
          expect(together.perSymbol[s]!.trades).toBe(single.getTrades().length + delisted);
          pnl += singlePnl;
        }
        expect(together.finalEquity - 1_000_000).toBeCloseTo(pnl, 5);
      }),
      { numRuns: 40, seed: 11 },
    );
  });
});

describe('target weights', () => {
  it('rebalances at the next open, sells first so that sells fund buys', async () => {
    // B doubles from day 2; A stays at 10. Day 0: all in B. Day 2 (equity 2,000): all in A.
    const data = { A: onDays('A', [0, 1, 2, 3], [10, 10, 10, 10]), B: onDays('B', [0, 1, 2, 3], [10, 10, 20, 20]) };
    const engine = new BacktestEngine({ initialCapital: 1000, ...costless });
    const results = await engine.runBacktest({
      data,
      targetWeights: { time: new Float64Array([T0, T0 + 2 * DAY]), weights: { A: new Float64Array([0, 1]), B: new Float64Array([1, 0]) } },
    });
    expect(engine.getFills().map((f) => [f.symbol, f.side, f.quantity, f.price, f.barIndex])).toEqual([
      ['B', 'buy', 100, 10, 1],
      ['B', 'sell', 100, 20, 3],
      ['A', 'buy', 200, 10, 3],
    ]);
    expect(Array.from(engine.getEquityCurve().cash)).toEqual([1000, 0, 0, 0]);
    expect(results.finalEquity).toBe(2000);
    expect(Array.from(engine.getHoldings().weights['A']!)).toEqual([0, 0, 0, 1]);
    expect(engine.getOrders().every((o) => o.tag === 'rebalance')).toBe(true);
  });

  it('drops the rest of a buy cut to the cash when a newer rebalance finds the symbol at its target', async () => {
    // Day 0: half each (50 A, 50 B at 10). Day 1's open: B gaps to 12.5, so its buy is cut to the
    // 500 left: 40 units. Day 1 (equity 1,000): A 0.4 -> sell 10; B 0.5 -> 500 / 12.5 = 40, held.
    // Day 2's open: the sale frees 125; the 10 B units cut on day 1 must not be bought with it.
    const data = { A: onDays('A', [0, 1, 2], [10, 10, 12.5]), B: onDays('B', [0, 1, 2], [10, 12.5, 12.5]) };
    const engine = new BacktestEngine({ initialCapital: 1000, ...costless });
    await engine.runBacktest({ data, targetWeights: { time: [T0, T0 + DAY], weights: { A: [0.5, 0.4], B: [0.5, 0.5] } } });
    expect(engine.getFills().map((f) => [f.symbol, f.side, f.quantity, f.barIndex])).toEqual([
      ['A', 'buy', 50, 1],
      ['B', 'buy', 40, 1],
      ['A', 'sell', 10, 2],
    ]);
    expect(engine.getEquityCurve().cash[2]).toBe(125);
  });

  it('floors to the lot, skips drifts within the threshold and trades below the minimum value', async () => {
    const data = { A: onDays('A', [0, 1, 2], [30, 30, 31]), B: onDays('B', [0, 1, 2], [7, 7, 7]) };
    const engine = new BacktestEngine({ initialCapital: 1000, lotSize: 5, ...costless });
    await engine.runBacktest({
      data,
      targetWeights: { time: [T0, T0 + DAY], weights: { A: [0.5, 0.5], B: [0.3, 0.31] } },
      rebalance: { driftThreshold: 0.02, minTradeValue: 50 },
    });
    // Day 0: A 500 / 30 = 16.7 -> 15 (lot 5); B 300 / 7 = 42.9 -> 40. Day 1 (equity 1000): A is at
    // 0.45 (drift 0.05 > 0.02): 15 -> 15, nothing; B at 0.28 (drift 0.03): 44.3 -> 40, nothing.
    expect(engine.getFills().map((f) => [f.symbol, f.quantity, f.barIndex])).toEqual([
      ['A', 15, 1],
      ['B', 40, 1],
    ]);
  });

  it('rejects bad schedules before the loop, naming the symbol, field and index', async () => {
    const data = { A: onDays('A', [0, 1], [10, 10]), B: onDays('B', [0, 1], [10, 10]) };
    const engine = new BacktestEngine({ initialCapital: 1000 });
    const time = [T0, T0 + DAY];
    await rejects(engine.runBacktest({ data, targetWeights: { time, weights: { A: [0.5, NaN] } } }), 'INVALID_DATA', 'targetWeights.weights.A[1] must be a finite number');
    await rejects(engine.runBacktest({ data, targetWeights: { time, weights: { A: [0.5] } } }), 'INVALID_DATA', 'targetWeights.weights.A must have one weight per row', 'got 1 values');
    await rejects(engine.runBacktest({ data, targetWeights: { time, weights: { A: [0.7, 0], B: [0.5, 0] } } }), 'INVALID_DATA', 'row 0 sums to 1.2', 'maxLeverage 1');
    await rejects(engine.runBacktest({ data, targetWeights: { time, weights: { C: [0, 0] } } }), 'INVALID_DATA', 'targetWeights.weights.C', 'unknown symbol');
    await rejects(engine.runBacktest({ data, targetWeights: { time, weights: { A: [-0.5, 0] } } }), 'INVALID_DATA', 'targetWeights.weights.A[0] must be >= 0 without allowShort');
    await rejects(engine.runBacktest({ data, targetWeights: { time: [T0, T0], weights: {} } }), 'INVALID_DATA', 'targetWeights.time[1]');
    await rejects(engine.runBacktest({ data, targetWeights: { time, weights: {} }, rebalance: { driftThreshold: -1 } }), 'INVALID_ARGUMENT', 'rebalance.driftThreshold');
    const both = { data, targetWeights: { time, weights: {} }, signals: { A: [0, 0] } };
    await rejects(engine.runBacktest(both as never), 'INVALID_ARGUMENT', 'unknown key "signals"');
  });
});

describe('target weights: properties on synthetic universes with gaps, listings and delistings', () => {
  it('cash is never negative and equity is cash plus the marked positions at every slice', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.boolean(),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        async (seed, missingRate, atClose, driftThreshold) => {
          const data = generateUniverse({ symbols: 4, bars: 60, seed, missingRate, volatility: 0.03, spans: { S02: { first: 10 }, S03: { last: 40 } } });
          const symbols = [...data.keys()];
          const time = Float64Array.from({ length: 12 }, (_, j) => data.get('S01')!.time[0]! + j * 5 * 86_400_000);
          const rng = fc.sample(fc.array(fc.double({ min: 0, max: 0.25, noNaN: true }), { minLength: 12, maxLength: 12 }), { numRuns: 4, seed });
          const weights = Object.fromEntries(symbols.map((s, k) => [s, Float64Array.from(rng[k]!)]));
          const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0.001, slippageBps: 5, fillAt: atClose ? 'close' : 'next_open' });
          await engine.runBacktest({ data, targetWeights: { time, weights }, rebalance: { driftThreshold } });
          const curve = engine.getEquityCurve();
          const holdings = engine.getHoldings();
          for (let i = 0; i < curve.time.length; i++) {
            expect(curve.cash[i]).toBeGreaterThanOrEqual(0);
            let marked = curve.cash[i]!;
            for (const s of symbols) {
              const series = data.get(s)!;
              let j = -1;
              while (j + 1 < series.length && series.time[j + 1]! <= curve.time[i]!) j++;
              const q = holdings.positions[s]![i]!;
              if (q !== 0) marked += q * series.close[j]!;
            }
            expect(curve.equity[i]).toBeCloseTo(marked, 6);
          }
          // A delisting happens at a symbol's last bar, when the run goes on after it (S03's span
          // ends at slot 40; a missing last bar ends a symbol early too).
          const end = curve.time[curve.time.length - 1]!;
          for (const t of engine.getTrades().filter((x) => x.exitReason === 'delisted')) {
            const series = data.get(t.symbol)!;
            expect(t.exitTime).toBe(series.time[series.length - 1]);
            expect(t.exitTime).toBeLessThan(end);
          }
          expect(holdings.positions['S03']![curve.time.length - 1]).toBe(0);
        },
      ),
      { numRuns: 40, seed: 5 },
    );
  });
});
