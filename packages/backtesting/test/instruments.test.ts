import { BarSeries } from '@algo-trading/core';
import { generateUniverse } from '@algo-trading/data';
import { RiskManager } from '@algo-trading/risk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';
import { DAY, T0, bars, flat, ohlcPath, rejects, signalsOf } from './helpers';

const costless = { commissionPct: 0, slippageBps: 0 } as const;

/** Whether `price` is a whole number of `tick`s (to float noise). */
const onTick = (price: number, tick: number) => Math.abs(price / tick - Math.round(price / tick)) < 1e-6;

describe('instruments: lot size per symbol', () => {
  it('floors each symbol to its own lot, the others to the engine lot', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, ...costless, instruments: { A: { lotSize: 10 } } });
    await engine.runBacktest({
      data: { A: flat([33, 33, 33], 'A'), B: flat([7, 7, 7], 'B') },
      targetWeights: { time: [T0], weights: { A: [0.5], B: [0.5] } },
    });
    // 5,000 / 33 = 151.5 -> 150 (lots of 10); 5,000 / 7 = 714.3 -> 714 (lots of 1).
    const holdings = engine.getHoldings();
    expect(Array.from(holdings.positions['A']!)).toEqual([0, 150, 150]);
    expect(Array.from(holdings.positions['B']!)).toEqual([0, 714, 714]);
  });

  it('an all-in entry is cut to whole lots of its symbol, fractional lots included', async () => {
    const engine = new BacktestEngine({ initialCapital: 1000, ...costless, lotSize: 1, instruments: { BTC: { lotSize: 0.001 } } });
    await engine.runBacktest({ data: flat([30_000, 30_000, 30_000], 'BTC'), signals: [1, 0, 0] });
    expect(engine.getFills().map((f) => f.quantity)).toEqual([0.033]); // 1000 / 30000 = 0.0333 -> 0.033
  });
});

describe('instruments: invariants on random universes (property)', () => {
  it("every fill is a whole number of its symbol's lots, on its tick, and the cash never goes negative", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 100_000 }), fc.boolean(), async (seed, atClose) => {
        const data = generateUniverse({ symbols: 3, bars: 50, seed, missingRate: 0.1, volatility: 0.03 });
        const [s1, s2, s3] = [...data.keys()] as [string, string, string];
        const lots: Record<string, number> = { [s1]: 5, [s2]: 0.01, [s3]: 1 };
        const ticks: Record<string, number> = { [s1]: 0.05, [s2]: 0.01, [s3]: 0.25 };
        const engine = new BacktestEngine({
          initialCapital: 10_000,
          commissionPct: 0.001,
          slippageBps: 5,
          fillAt: atClose ? 'close' : 'next_open',
          instruments: { [s1]: { lotSize: 5, tickSize: 0.05 }, [s2]: { lotSize: 0.01, tickSize: 0.01, commission: { model: 'fixed', amount: 2 } }, [s3]: { tickSize: 0.25 } },
        });
        const t0 = data.get(s1)!.time[0]!;
        const time = Array.from({ length: 8 }, (_, j) => t0 + j * 6 * DAY);
        const draws = fc.sample(fc.array(fc.double({ min: 0, max: 0.33, noNaN: true }), { minLength: 8, maxLength: 8 }), { numRuns: 3, seed });
        await engine.runBacktest({ data, targetWeights: { time, weights: { [s1]: draws[0]!, [s2]: draws[1]!, [s3]: draws[2]! } } });
        for (const f of engine.getFills()) {
          expect(onTick(f.quantity, lots[f.symbol]!)).toBe(true);
          expect(onTick(f.price, ticks[f.symbol]!)).toBe(true);
        }
        for (const c of engine.getEquityCurve().cash) expect(c).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 30 },
    );
  });
});

describe('instruments: tick size', () => {
  it('rounds a buy fill up and a sell fill down to the tick, after slippage', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 5, instruments: { X: { tickSize: 0.05 } } });
    const data = bars(
      [
        [100, 100, 100, 100],
        [100.01, 101, 100, 101],
        [101.03, 102, 101, 101.5],
      ],
      'X',
    );
    await engine.runBacktest({ data, signals: [1, -1, 0] });
    // Buy: 100.01 x 1.0005 = 100.060005 -> up to 100.10. Sell: 101.03 x 0.9995 = 100.979485 -> down to 100.95.
    const fills = engine.getFills();
    expect(fills.map((f) => [f.side, f.price, f.referencePrice])).toEqual([
      ['buy', 100.1, 100.01],
      ['sell', 100.95, 101.03],
    ]);
    // The slippage cost counts the rounding: |fill - reference| x quantity.
    expect(fills[0]!.slippageCost).toBeCloseTo((100.1 - 100.01) * fills[0]!.quantity, 9);
  });

  it('rounds limit and stop levels to the nearest tick, bracket and risk-manager levels included', async () => {
    const engine = new BacktestEngine({
      initialCapital: 10_000,
      ...costless,
      riskManager: new RiskManager({ initialCapital: 10_000, maxPositionPct: 1, maxPortfolioHeat: null, minConfidence: 0 }),
      positionSizer: undefined,
      instruments: { X: { tickSize: 0.25 } },
    });
    const data = bars(
      [
        [100, 100, 100, 100],
        [100, 100.5, 99.75, 100.25],
        [100.25, 100.5, 100, 100.25],
      ],
      'X',
    );
    await engine.run({
      data,
      strategy: {
        onBar(ctx) {
          if (ctx.index === 0) {
            ctx.submit({ side: 'buy', type: 'limit', limitPrice: 100.13, quantity: 5, timeInForce: 'gtc' }); // -> 100.25
            ctx.submit({ side: 'buy', type: 'stop', stopPrice: 150.37, quantity: 5, timeInForce: 'gtc' }); // -> 150.25
          }
        },
      },
    });
    const orders = engine.getOrders();
    expect(orders.map((o) => [o.role, o.type, o.limitPrice, o.stopPrice])).toEqual([
      ['order', 'limit', 100.25, null],
      ['order', 'stop', null, 150.25],
      // The limit fills at bar 1's open 100 (below its limit); the manager's levels at that fill:
      // stop 100 x 0.97 = 97; target 100 x 1.05 = 105.
      ['stop_loss', 'trailing_stop', null, 97],
      ['take_profit', 'limit', 105, null],
      ['time_stop', 'market', null, null],
    ]);
    expect(engine.getFills().map((f) => f.price)).toEqual([100]);
  });

  it('keeps every fill price on the tick grid (property, random paths and signals)', async () => {
    await fc.assert(
      fc.asyncProperty(
        ohlcPath(3, 40).chain((path) => fc.tuple(fc.constant(path), signalsOf(path.length), fc.constantFrom(0.01, 0.05, 0.25))),
        async ([path, signals, tick]) => {
          const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0.001, slippageBps: 7, allowShort: true, instruments: { TEST: { tickSize: tick } } });
          await engine.runBacktest({ data: path, signals });
          for (const f of engine.getFills()) {
            // Market fills at the open are rounded; a delisting/ruin exit at the close too.
            expect(onTick(f.price, tick)).toBe(true);
            if (f.side === 'buy') expect(f.price).toBeGreaterThanOrEqual(f.referencePrice);
            else expect(f.price).toBeLessThanOrEqual(f.referencePrice);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('instruments: shortable, borrow rate, commission', () => {
  it('shortable: false refuses short entries in that symbol only, with a no_short reason naming it', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, ...costless, allowShort: true, instruments: { A: { shortable: false } } });
    await engine.runBacktest({
      data: { A: flat([10, 10, 10, 10], 'A'), B: flat([20, 20, 20, 20], 'B') },
      signals: { A: [-1, -1, 0, 0], B: [-1, 0, 0, 0] },
    });
    expect(engine.getFills().map((f) => [f.symbol, f.side])).toEqual([['B', 'sell']]);
    const refusals = engine.getRejections();
    // A held -1 is recorded once (like a short without allowShort), not on every bar.
    expect(refusals.map((r) => [r.symbol, r.side, r.count, r.reasons.map((x) => x.code)])).toEqual([['A', 'short', 1, ['no_short']]]);
    expect(refusals[0]!.reasons[0]!.message).toBe('A cannot be shorted (instruments.A.shortable: false): a sell that would open a short is refused');
  });

  it('shortable: false still lets a long be sold (exits are not shorts)', async () => {
    const engine = new BacktestEngine({ initialCapital: 1000, ...costless, allowShort: true, instruments: { A: { shortable: false } } });
    await engine.runBacktest({ data: flat([10, 10, 11, 11], 'A'), signals: [1, -1, 0, 0] });
    expect(engine.getFills().map((f) => [f.side, f.reason])).toEqual([
      ['buy', 'entry'],
      ['sell', 'signal'],
    ]);
  });

  it("borrowRate: a symbol's own annual rate accrues daily on its short value, the others at the financing model's", async () => {
    const engine = new BacktestEngine({
      initialCapital: 10_000,
      ...costless,
      allowShort: true,
      maxLeverage: 2,
      positionSizer: { method: 'fixed', calculate: () => ({ quantity: 10, riskAmount: 0, riskFraction: 0, riskPerUnit: 0, positionValue: 0, limitedBy: 'risk' }), calculateSize: () => 10 },
      financing: { borrowRate: 0.0365 },
      instruments: { B: { borrowRate: 0.365 } },
    });
    const results = await engine.runBacktest({
      data: { A: flat([100, 100, 100, 100], 'A'), B: flat([100, 100, 100, 100], 'B') },
      signals: { A: [-1, 0, 0, 0], B: [-1, 0, 0, 0] },
    });
    // Both short 10 x 100 from day 1's open. Days 2 and 3 each book one day on day-1 and day-2
    // closes: A 1,000 x 0.0365 / 365 = 0.1, B 1,000 x 0.365 / 365 = 1 -> 2 x 1.1 = 2.2.
    expect(results.totalBorrowFees).toBeCloseTo(2.2, 12);
    expect(results.finalEquity).toBeCloseTo(10_000 - 2.2, 9);
  });

  it('borrowRate without a financing model still charges that symbol (365-day basis)', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, ...costless, allowShort: true, instruments: { B: { borrowRate: 0.365 } } });
    const results = await engine.runBacktest({ data: flat([50, 50, 50, 50], 'B'), signals: [-1, 0, 0, 0] });
    const [fill] = engine.getFills();
    // All in: 200 short at 50 = 10,000; two days at 0.1% a day = 20.
    expect(fill!.quantity).toBe(200);
    expect(results.totalBorrowFees).toBeCloseTo(20, 9);
    expect(results.totalInterest).toBe(0);
  });

  it('borrowRate uses a 360-day basis when the financing model says so', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, ...costless, allowShort: true, financing: { dayCount: 360 }, instruments: { B: { borrowRate: 0.36 } } });
    const results = await engine.runBacktest({ data: flat([50, 50, 50, 50], 'B'), signals: [-1, 0, 0, 0] });
    expect(results.totalBorrowFees).toBeCloseTo(20, 9); // 10,000 x 0.36 / 360 x 2 days
  });

  it("commission: a symbol's own model replaces the engine's for its fills only", async () => {
    const engine = new BacktestEngine({
      initialCapital: 10_000,
      commissionPct: 0.001,
      slippageBps: 0,
      instruments: { A: { commission: { model: 'fixed', amount: 5 } }, C: { commission: { model: 'percent', rate: 0.01 } } },
      positionSizer: { method: 'fixed', calculate: () => ({ quantity: 10, riskAmount: 0, riskFraction: 0, riskPerUnit: 0, positionValue: 0, limitedBy: 'risk' }), calculateSize: () => 10 },
    });
    await engine.runBacktest({
      data: { A: flat([100, 100, 100], 'A'), B: flat([100, 100, 100], 'B'), C: flat([100, 100, 100], 'C') },
      signals: { A: [1, -1, 0], B: [1, -1, 0], C: [1, -1, 0] },
    });
    expect(engine.getFills().map((f) => [f.symbol, f.side, f.commission])).toEqual([
      ['A', 'buy', 5],
      ['B', 'buy', 1],
      ['C', 'buy', 10],
      ['A', 'sell', 5],
      ['B', 'sell', 1],
      ['C', 'sell', 10],
    ]);
  });

  it("an all-in entry is sized with the symbol's own percent commission (cash never negative)", async () => {
    const engine = new BacktestEngine({ initialCapital: 1000, commissionPct: 0, slippageBps: 0, instruments: { X: { commission: { model: 'percent', rate: 0.02 } } } });
    await engine.runBacktest({ data: flat([10, 10, 10], 'X'), signals: [1, 0, 0] });
    // floor(1000 / (10 x 1.02)) = 98.
    expect(engine.getFills().map((f) => [f.quantity, f.commission])).toEqual([[98, 19.6]]);
    expect(engine.getCash().toNumber()).toBeCloseTo(1000 - 980 - 19.6, 9);
  });
});

describe('instruments: bad input', () => {
  it('a symbol that is not in the data is INVALID_CONFIG naming it', async () => {
    const engine = new BacktestEngine({ initialCapital: 1000, instruments: { MSFT: { lotSize: 1 } } });
    await rejects(engine.runBacktest({ data: { A: flat([1, 2], 'A'), B: flat([1, 2], 'B') }, signals: { A: [0, 0] } }), 'INVALID_CONFIG', 'instruments.MSFT: unknown symbol "MSFT" (the data has A, B)');
    // A single series is named by its symbol.
    await rejects(engine.runBacktest({ data: flat([1, 2], 'SPY'), signals: [0, 0] }), 'INVALID_CONFIG', 'instruments.MSFT', 'SPY');
  });

  it('bad instrument options are INVALID_CONFIG at construction, naming the path', () => {
    expect(() => new BacktestEngine({ initialCapital: 1000, instruments: { A: { lotSize: -1 } } })).toThrow(/instruments\.A\.lotSize/);
    expect(() => new BacktestEngine({ initialCapital: 1000, instruments: { A: { tickSize: 0 } } })).toThrow(/instruments\.A\.tickSize/);
    expect(() => new BacktestEngine({ initialCapital: 1000, instruments: { A: { borrowRate: 2 } } })).toThrow(/instruments\.A\.borrowRate/);
    expect(() => new BacktestEngine({ initialCapital: 1000, instruments: { A: { shortable: 'no' as never } } })).toThrow(/instruments\.A\.shortable/);
    expect(() => new BacktestEngine({ initialCapital: 1000, instruments: { A: { tick: 0.01 } as never } })).toThrow(/instruments\.A.*tick/);
    expect(() => new BacktestEngine({ initialCapital: 1000, instruments: { A: { commission: { model: 'percent', rate: 5 } } } })).toThrow(/instruments\.A\.commission/);
  });

  it('a negative target weight of a symbol that cannot be shorted is INVALID_DATA naming it', async () => {
    const engine = new BacktestEngine({ initialCapital: 1000, allowShort: true, instruments: { A: { shortable: false } } });
    await rejects(
      engine.runBacktest({ data: { A: flat([1, 2], 'A'), B: flat([1, 2], 'B') }, targetWeights: { time: [T0], weights: { A: [-0.5], B: [-0.5] } } }),
      'INVALID_DATA',
      'targetWeights.weights.A[0] must be >= 0: A cannot be shorted',
    );
  });
});

describe('instruments: everything in one currency', () => {
  it('a universe without instruments gives the same run as before (the engine settings per symbol)', async () => {
    const data = () => ({ A: BarSeries.fromPrices([T0, T0 + DAY, T0 + 2 * DAY], [10, 11, 12], { symbol: 'A' }), B: BarSeries.fromPrices([T0, T0 + DAY, T0 + 2 * DAY], [5, 5, 6], { symbol: 'B' }) });
    const plain = new BacktestEngine({ initialCapital: 1000 });
    const same = new BacktestEngine({ initialCapital: 1000, instruments: { A: {}, B: { lotSize: 1, shortable: true } } });
    const a = await plain.runBacktest({ data: data(), signals: { A: [1, 0, 0], B: [1, 0, 0] } });
    const b = await same.runBacktest({ data: data(), signals: { A: [1, 0, 0], B: [1, 0, 0] } });
    expect(b.finalEquity).toBe(a.finalEquity);
    expect(same.getFills()).toEqual(plain.getFills());
  });
});
