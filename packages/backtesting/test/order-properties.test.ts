import { Decimal, type OrderRequest, type TimeInForce } from '@algo-trading/core';
import { RiskManager } from '@algo-trading/risk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestEngine, type BacktestEngineOptions } from '../src/index';
import { ohlcPath } from './helpers';
import { applyFill } from './ledger-check';

/** A random order, its prices relative to the close of the bar it is submitted at. */
const orderArb = fc.record({
  bar: fc.nat({ max: 40 }),
  side: fc.constantFrom('buy' as const, 'sell' as const),
  type: fc.constantFrom('market' as const, 'limit' as const, 'stop' as const, 'stop_limit' as const, 'trailing_stop' as const),
  offset: fc.double({ min: -0.06, max: 0.06, noNaN: true }),
  width: fc.double({ min: 0, max: 0.03, noNaN: true }),
  quantity: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
  tif: fc.constantFrom<TimeInForce>('gtc', 'gtc', 'day', 'ioc', { bars: 1 }, { bars: 3 }),
  reduceOnly: fc.boolean(),
  oco: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
  bracket: fc.option(fc.record({ stop: fc.double({ min: 0.005, max: 0.08, noNaN: true }), target: fc.double({ min: 0.005, max: 0.08, noNaN: true }) }), {
    nil: undefined,
  }),
  cancelAfter: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
});
type RandomOrder = typeof orderArb extends fc.Arbitrary<infer T> ? T : never;

function request(o: RandomOrder, close: number): OrderRequest {
  const price = close * (1 + o.offset);
  const sign = o.side === 'buy' ? 1 : -1;
  const base = { side: o.side, quantity: o.quantity, timeInForce: o.tif, reduceOnly: o.reduceOnly || undefined, ocoGroup: o.oco };
  const bracket =
    o.bracket === undefined || o.reduceOnly
      ? undefined
      : { stopLoss: close * (1 - sign * o.bracket.stop), takeProfit: close * (1 + sign * o.bracket.target) };
  switch (o.type) {
    case 'market':
      return { ...base, bracket };
    case 'limit':
      return { ...base, type: 'limit', limitPrice: price, bracket };
    case 'stop':
      return { ...base, type: 'stop', stopPrice: price, bracket };
    case 'stop_limit':
      return { ...base, type: 'stop_limit', stopPrice: price, limitPrice: price * (1 + sign * o.width), bracket };
    case 'trailing_stop':
      return { ...base, type: 'trailing_stop', trailPercent: Math.max(0.001, o.width), bracket };
  }
}

const scenario = ohlcPath(5, 45).chain((series) =>
  fc.record({
    series: fc.constant(series),
    orders: fc.array(orderArb, { maxLength: 25 }),
    volume: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: series.length, maxLength: series.length }),
    participation: fc.option(fc.constantFrom(0.05, 0.3, 1), { nil: undefined }),
    allowShort: fc.boolean(),
    fillAt: fc.constantFrom('next_open' as const, 'close' as const),
    policy: fc.constantFrom('stop_first' as const, 'target_first' as const, 'nearest_first' as const),
    slippage: fc.constantFrom<BacktestEngineOptions['slippage']>(
      { model: 'fixed_bps', bps: 0 },
      { model: 'fixed_bps', bps: 20 },
      { model: 'volume_share', priceImpact: 0.1, volumeLimit: 0.025 },
      { model: 'spread', spread: 0.2 },
    ),
    commission: fc.constantFrom<BacktestEngineOptions['commission']>(
      { model: 'percent', rate: 0.001 },
      { model: 'per_share', rate: 0.01, minimum: 1, maximumPct: 0.01 },
      { model: 'maker_taker', maker: 0.0001, taker: 0.0005 },
    ),
    capital: fc.constantFrom(2_000, 50_000),
  }),
);

async function runRandom(c: typeof scenario extends fc.Arbitrary<infer T> ? T : never, extra: Partial<BacktestEngineOptions> = {}) {
  c.series.volume.set(c.volume);
  const engine = new BacktestEngine({
    initialCapital: c.capital,
    allowShort: c.allowShort,
    fillAt: c.fillAt,
    intrabarPolicy: c.policy,
    slippage: c.slippage,
    commission: c.commission,
    ...(c.participation === undefined ? {} : { volumeParticipation: c.participation }),
    ...extra,
  } as BacktestEngineOptions);
  const submitted: { id: number; cancelAt: number }[] = [];
  const results = await engine.run({
    data: c.series,
    strategy: {
      onBar(ctx) {
        for (const s of submitted) if (s.cancelAt === ctx.index) ctx.cancel(s.id);
        for (const o of c.orders) {
          if (o.bar !== ctx.index) continue;
          const id = ctx.submit(request(o, ctx.bars.close(ctx.index)));
          if (o.cancelAfter !== undefined) submitted.push({ id, cancelAt: ctx.index + o.cancelAfter });
        }
      },
    },
  });
  return { engine, results };
}

describe('order engine properties over random orders and paths', () => {
  it('fills stay in the bar, OCO members never both fill, fills add up to each order, the ledger equals the fills', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(scenario, async (c) => {
        const { engine, results } = await runRandom(c);
        const { open, high, low, close } = c.series;
        const fills = engine.getFills();
        const orders = engine.getOrders();
        // 1. No fill outside the bar's range, except at the open or the close (market orders and
        //    gaps), where slippage is paid on the open or close price.
        const inRange = (i: number, price: number) => price >= low[i]! * (1 - 1e-12) && price <= high[i]! * (1 + 1e-12);
        for (const f of fills) {
          const i = f.barIndex;
          const order = orders[f.orderId]!;
          // A bracket child whose level the entry's fill passed exits at once at that fill price:
          // the open (or close) plus the entry's slippage, the one reference outside the range.
          const passedExit =
            order.parentId !== null && fills.some((g) => g.orderId === order.parentId && g.barIndex === i && g.price === f.referencePrice);
          if (!passedExit) expect(inRange(i, f.referencePrice)).toBe(true);
          const atOpenOrClose = f.referencePrice === open[i] || f.referencePrice === close[i] || passedExit;
          if (!atOpenOrClose) expect(inRange(i, f.price)).toBe(true);
          // Slippage never improves the price.
          if (f.side === 'buy') expect(f.price).toBeGreaterThanOrEqual(f.referencePrice * (1 - 1e-12));
          else expect(f.price).toBeLessThanOrEqual(f.referencePrice * (1 + 1e-12));
          if (order.type === 'limit' && order.limitPrice !== null) {
            if (f.side === 'buy') expect(f.price).toBeLessThanOrEqual(order.limitPrice * (1 + 1e-12));
            else expect(f.price).toBeGreaterThanOrEqual(order.limitPrice * (1 - 1e-12));
          }
          seen.add(`${order.type}:${f.reason}`);
        }
        // 2. An OCO group never fills two members (user groups, and each bracket's children).
        const groups = new Map<string, number>();
        for (const o of orders) if (o.ocoGroup !== null && o.filledQuantity > 0) groups.set(o.ocoGroup, (groups.get(o.ocoGroup) ?? 0) + 1);
        for (const [group, filled] of groups) {
          // A user group name is reused by later orders once the group ended: count per episode.
          if (group.startsWith('bracket')) expect(filled, group).toBe(1);
        }
        for (const o of orders) {
          if (o.ocoGroup === null || o.ocoGroup.startsWith('bracket') || o.filledQuantity === 0) continue;
          const rivals = orders.filter((p) => p.id !== o.id && p.ocoGroup === o.ocoGroup && p.submittedBarIndex === o.submittedBarIndex && p.filledQuantity > 0);
          expect(rivals.map((p) => p.id), `OCO ${o.ocoGroup} at bar ${o.submittedBarIndex}`).toEqual([]);
        }
        // 3. Partial fills add up to each order's filled quantity, never beyond its quantity.
        for (const o of orders) {
          const sum = fills.filter((f) => f.orderId === o.id).reduce((s, f) => s + f.quantity, 0);
          expect(Math.abs(sum - o.filledQuantity)).toBeLessThanOrEqual(1e-9 * Math.max(1, sum));
          if (o.quantity !== null) expect(o.filledQuantity).toBeLessThanOrEqual(o.quantity * (1 + 1e-9));
          if (o.status === 'filled') expect(o.quantity === null || Math.abs(o.filledQuantity - o.quantity) <= 1e-9 * o.quantity).toBe(true);
          seen.add(o.status);
        }
        // 4. Cash and the position equal the sum of the fills, exactly.
        let cash = new Decimal(c.capital);
        let units = 0;
        for (const f of fills) {
          cash = applyFill(cash, f);
          units += f.side === 'buy' ? f.quantity : -f.quantity;
        }
        expect(engine.getCash().eq(cash)).toBe(true);
        const held = engine.getOpenPositions().reduce((s, p) => s + (p.side === 'long' ? p.quantity : -p.quantity), 0);
        expect(Math.abs(held - units)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(units)));
        // Cash never goes negative without leverage or shorts.
        if (!c.allowShort) expect(cash.gte(0)).toBe(true);
        expect(results.fillCount).toBe(fills.length);
      }),
      { numRuns: 300 },
    );
    for (const expected of ['limit:entry', 'stop:entry', 'stop_limit:entry', 'market:entry', 'stop:hard_stop', 'limit:take_profit', 'partially_filled', 'expired', 'cancelled', 'rejected']) {
      expect(seen).toContain(expected);
    }
  });

  it('a risk manager whose rules are out of reach changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (c) => {
        const without = await runRandom(c);
        const withRm = await runRandom(c, {
          riskManager: new RiskManager({
            hardStopPct: null,
            takeProfitPct: null,
            trailingStopPct: null,
            timeStopDays: null,
            maxPortfolioHeat: null,
            dailyLossLimitPct: null,
            maxPositionPct: 1,
            minConfidence: 0,
            drawdownZones: { caution: 0.97, alert: 0.98, emergency: 0.99, killSwitch: 0.995 },
          }),
        });
        expect(withRm.engine.getFills()).toEqual(without.engine.getFills());
        expect(withRm.engine.getOrders()).toEqual(without.engine.getOrders());
        expect(withRm.engine.getEquityCurve()).toEqual(without.engine.getEquityCurve());
        expect(withRm.engine.getCash().eq(without.engine.getCash())).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
