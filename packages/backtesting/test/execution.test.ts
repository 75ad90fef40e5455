import { BarSeries, catchAlgoTradingError, type CommissionContext } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { BacktestEngine, type BacktestEngineOptions } from '../src/index';
import { DAY, T0, bars, rejects } from './helpers';
import { fillRows, runSteps, type Row } from './orders-helpers';

const FLAT: Row = [100, 100, 100, 100];

/** The INVALID_CONFIG error of building an engine with `options`: its message and the field it names. */
function configError(options: unknown): { message: string; field: unknown } {
  const error = catchAlgoTradingError(() => new BacktestEngine(options as BacktestEngineOptions), 'INVALID_CONFIG');
  return { message: error.message, field: error.details.field };
}

describe('execution models inside the engine', () => {
  it('charges the maker rate to a resting limit filled at its limit, the taker rate otherwise', async () => {
    const commission = { model: 'maker_taker', maker: 0.0001, taker: 0.001 } as const;
    const touched = await runSteps([FLAT, [100, 101, 98, 100]], { 0: { side: 'buy', type: 'limit', limitPrice: 99, quantity: 100 } }, { commission });
    expect(touched.engine.getFills()[0]!.commission).toBeCloseTo(99 * 100 * 0.0001, 12);
    const gapped = await runSteps([FLAT, [98, 100, 97, 99]], { 0: { side: 'buy', type: 'limit', limitPrice: 99, quantity: 100 } }, { commission });
    expect(gapped.engine.getFills()[0]!.commission).toBeCloseTo(98 * 100 * 0.001, 12);
  });

  it('applies a per-share minimum once per order across its partial fills', async () => {
    const { engine } = await runSteps([FLAT, FLAT, FLAT, FLAT], { 0: { side: 'buy', quantity: 250 } }, { commission: { model: 'per_share', rate: 0.001, minimum: 1 }, volumeParticipation: 0.1 }, [1000, 1000, 1000, 1000]);
    // 250 shares x 0.001 = 0.25 < 1: the order pays 1 in all, on its first fill.
    expect(engine.getFills().map((f) => f.commission)).toEqual([1, 0, 0]);
    expect(engine.getOrders()[0]!.commission).toBe(1);
  });

  it('prices with half the quoted spread from the spreads input', async () => {
    const data = bars([FLAT, FLAT, FLAT]);
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippage: { model: 'spread', spread: 0.1 } });
    await engine.runBacktest({ data, signals: [1, -1, 0], spreads: [0.4, 0.6, Number.NaN] });
    expect(engine.getFills().map((f) => f.price)).toEqual([100.3, 99.95]); // bar 1: 0.6 / 2; bar 2: no quote, 0.1 / 2
    await rejects(engine.runBacktest({ data, signals: [0, 0, 0], spreads: [0, -1, 0] }), 'INVALID_DATA', 'spreads[1]');
  });

  it('sizes an all-in entry at the fill price of a volume-dependent model, within the cash', async () => {
    const data = bars([FLAT, FLAT]);
    data.volume.set([10_000, 10_000]);
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippage: { model: 'volume_share', priceImpact: 0.5, volumeLimit: 1 } });
    await engine.runBacktest({ data, signals: [1, 0] });
    const [fill] = engine.getFills();
    // 99 units at 100 x (1 + 0.5 x 0.0099^2) = 100.0049...: the cash covers them, not 100.
    expect(fill!.quantity).toBe(99);
    expect(fill!.price).toBeCloseTo(100 * (1 + 0.5 * 0.0099 ** 2), 10);
    expect(engine.getCash().gte(0)).toBe(true);
  });

  it('takes user functions as models and refuses impossible answers naming the model', async () => {
    const commission = (c: CommissionContext) => 1 + 0 * c.notional;
    const { engine } = await runSteps([FLAT, FLAT], { 0: { side: 'buy', quantity: 10 } }, { commission });
    expect(engine.getFills()[0]!.commission).toBe(1);
    const better = { name: 'generous', fillPrice: () => 90 };
    const error = await rejects(runSteps([FLAT, FLAT], { 0: { side: 'buy', quantity: 10 } }, { slippage: better }), 'INVALID_CONFIG', 'slippage model generous', 'not better than the reference');
    expect(error.details).toMatchObject({ field: 'slippage', index: 1 });
    await rejects(runSteps([FLAT, FLAT], { 0: { side: 'buy', quantity: 10 } }, { commission: () => Number.NaN }), 'INVALID_CONFIG', 'commission model', 'NaN');
  });

  it('rejects invalid model options as INVALID_CONFIG naming the key', () => {
    expect(configError({ initialCapital: 1, slippage: { model: 'volume_share', priceImpact: -1 } }).field).toBe('slippage.priceImpact');
    expect(configError({ initialCapital: 1, slippage: { model: 'teleport' } }).field).toBe('slippage.model');
    expect(configError({ initialCapital: 1, commission: { model: 'per_share', rate: 0.01, maximumPct: 2 } }).field).toBe('commission.maximumPct');
    expect(configError({ initialCapital: 1, commission: { model: 'tiered', tiers: [{ upTo: 10, rate: 0.01 }, { upTo: 5, rate: 0.01 }] } }).field).toBe('commission.tiers.1.upTo');
    expect(configError({ initialCapital: 1, commission: { model: 'percent', rate: 0.01 }, commissionPct: 0.01 }).message).toContain('give either commission or its shorthand commissionPct');
    expect(configError({ initialCapital: 1, volumeParticipation: 0 }).field).toBe('volumeParticipation');
    expect(configError({ initialCapital: 1, financing: { cashRate: 0.02, borowRate: 0.1 } }).message).toContain('financing.borowRate: unknown key');
    expect(configError({ initialCapital: 1, maxLeverage: 0.5 }).field).toBe('maxLeverage');
    expect(configError({ initialCapital: 1, passedLevels: 'ignore' }).field).toBe('passedLevels');
    expect(configError({ initialCapital: 1, orderSequence: 'random' }).field).toBe('orderSequence');
  });
});

describe('financing and leverage', () => {
  // Daily bars over a weekend: Friday 2024-01-05, Monday 01-08, Tuesday 01-09.
  const friday = Date.UTC(2024, 0, 5);
  const days = [friday, friday + 3 * DAY, friday + 4 * DAY];
  const series = BarSeries.fromColumns({ time: days, open: [100, 100, 100], high: [100, 100, 100], low: [100, 100, 100], close: [100, 100, 100] });

  it('credits interest on cash by calendar days (a weekend counts three)', async () => {
    const engine = new BacktestEngine({ initialCapital: 36_500, commissionPct: 0, slippageBps: 0, financing: { cashRate: 0.1 } });
    const results = await engine.runBacktest({ data: series, signals: [0, 0, 0] });
    // 36,500 x 10% / 365 = 10 a day: 30 on Monday for the weekend, 10.08... on Tuesday (compounded).
    const monday = 36_500 * 0.1 * 3 / 365;
    const tuesday = (36_500 + monday) * 0.1 / 365;
    expect(results.totalInterest).toBeCloseTo(monday + tuesday, 9);
    expect(Array.from(engine.getEquityCurve().cash)).toEqual([36_500, 36_500 + monday, 36_500 + monday + tuesday]);
    expect(results.finalEquity).toBeCloseTo(36_500 + monday + tuesday, 9);
  });

  it('charges a borrow fee on the market value of a short held overnight', async () => {
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 0, allowShort: true, financing: { borrowRate: 0.365 } });
    const results = await engine.runBacktest({ data: series, signals: [-1, 0, 0] });
    // Short 100 at 100 on Monday's open; Tuesday's booking charges one night on 10,000 at 36.5%.
    expect(engine.getFills()[0]).toMatchObject({ barIndex: 1, quantity: 100 });
    expect(results.totalBorrowFees).toBeCloseTo(10, 9);
    expect(results.finalEquity - 10_000).toBeCloseTo(results.realizedPnl + results.unrealizedPnl + results.totalInterest - results.totalBorrowFees, 9);
  });

  it('maxLeverage lets an all-in entry borrow up to that multiple of equity; cash goes negative only then', async () => {
    const data = bars([FLAT, FLAT, [110, 110, 110, 110]]);
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 0, maxLeverage: 2 });
    const results = await engine.runBacktest({ data, signals: [1, 0, 0] });
    expect(engine.getFills()[0]).toMatchObject({ quantity: 200, price: 100 });
    expect(engine.getEquityCurve().cash[1]).toBe(-10_000);
    expect(results.finalEquity).toBe(-10_000 + 200 * 110);
    // An order's own quantity beyond the limit is refused.
    const refused = await runSteps([FLAT, FLAT], { 0: { side: 'buy', quantity: 201 } }, { initialCapital: 10_000, maxLeverage: 2 });
    expect(refused.engine.getRejections()[0]!.reasons[0]!.code).toBe('cash');
    expect(fillRows((await runSteps([FLAT, FLAT], { 0: { side: 'buy', quantity: 200 } }, { initialCapital: 10_000, maxLeverage: 2 })).engine)).toEqual([[1, 'buy', 200, 100, 'entry']]);
  });
});

describe('order sequence at the open', () => {
  it("exits_first fills the exits at the open before the entries; 'submission' keeps the submission order", async () => {
    // Long 100; at bar 2's open a new buy (submitted first) and the sell of the position compete
    // for 10,000 of cash.
    const steps = { 0: { side: 'buy', quantity: 100 }, 1: [{ side: 'buy', quantity: 100 }, { side: 'sell', quantity: 100 }] } as const;
    const first = await runSteps([FLAT, FLAT, FLAT], steps, { initialCapital: 10_000 });
    expect(fillRows(first.engine)).toEqual([
      [1, 'buy', 100, 100, 'entry'],
      [2, 'sell', 100, 100, 'order'],
      [2, 'buy', 100, 100, 'entry'],
    ]);
    const submission = await runSteps([FLAT, FLAT, FLAT], steps, { initialCapital: 10_000, orderSequence: 'submission' });
    // The buy comes first: no cash left for it; then the sell closes the position.
    expect(fillRows(submission.engine)).toEqual([
      [1, 'buy', 100, 100, 'entry'],
      [2, 'sell', 100, 100, 'order'],
    ]);
    expect(submission.engine.getRejections()[0]).toMatchObject({ barIndex: 2, reasons: [{ code: 'cash' }] });
  });
});

describe('time of the records', () => {
  it('stamps each state change with its bar time', async () => {
    const { engine } = await runSteps([FLAT, FLAT], { 0: { side: 'buy', quantity: 1 } });
    expect(engine.getOrders()[0]!.events.map((e) => e.time)).toEqual([T0, T0, T0 + DAY]);
    expect(engine.getOrders()[0]!.submittedTime).toBe(T0);
  });
});
