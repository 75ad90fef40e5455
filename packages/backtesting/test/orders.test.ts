import { describe, expect, it } from 'vitest';
import type { OpenOrder } from '../src/index';
import { eventRows, fillRows, runSteps, type Row } from './orders-helpers';

const FLAT: Row = [100, 100, 100, 100];

describe('market orders', () => {
  it('fill at the next open, with their state changes recorded', async () => {
    const { engine, ids } = await runSteps([FLAT, [101, 102, 100, 101], FLAT], { 0: { side: 'buy', quantity: 10 } });
    expect(fillRows(engine)).toEqual([[1, 'buy', 10, 101, 'entry']]);
    expect(eventRows(engine, ids[0]!)).toEqual([
      ['submitted', 0, 0, null],
      ['accepted', 0, 0, null],
      ['filled', 1, 10, 101],
    ]);
    expect(engine.getOrders()[0]).toMatchObject({ id: 0, type: 'market', role: 'order', status: 'filled', quantity: 10, filledQuantity: 10, averagePrice: 101 });
  });

  it('fill at the same bar close with fillAt: close', async () => {
    const { engine } = await runSteps([[100, 101, 99, 100.5], FLAT], { 0: { side: 'buy', quantity: 10 } }, { fillAt: 'close' });
    expect(fillRows(engine)).toEqual([[0, 'buy', 10, 100.5, 'entry']]);
  });

  it("a strategy order that closes a position exits with reason 'order'", async () => {
    const { engine } = await runSteps([FLAT, FLAT, [103, 104, 102, 103]], { 0: { side: 'buy', quantity: 10 }, 1: { side: 'sell', quantity: 10 } });
    expect(fillRows(engine)).toEqual([
      [1, 'buy', 10, 100, 'entry'],
      [2, 'sell', 10, 103, 'order'],
    ]);
    expect(engine.getTrades()[0]).toMatchObject({ exitReason: 'order', pnl: 30 });
  });

  it('a sell larger than the long position closes it, then opens a short with the rest', async () => {
    const { engine } = await runSteps([FLAT, FLAT, [103, 104, 102, 103]], { 0: { side: 'buy', quantity: 10 }, 1: { side: 'sell', quantity: 15 } }, { allowShort: true });
    expect(fillRows(engine)).toEqual([
      [1, 'buy', 10, 100, 'entry'],
      [2, 'sell', 10, 103, 'order'],
      [2, 'sell', 5, 103, 'entry'],
    ]);
    expect(engine.getOpenPositions()[0]).toMatchObject({ side: 'short', quantity: 5 });
  });
});

describe('limit orders', () => {
  const buyLimit = { side: 'buy', type: 'limit', limitPrice: 99, quantity: 10 } as const;

  it('buy: an open at or below the limit fills at the open (better)', async () => {
    const { engine } = await runSteps([FLAT, [98, 100, 97, 99]], { 0: buyLimit });
    expect(fillRows(engine)).toEqual([[1, 'buy', 10, 98, 'entry']]);
  });

  it('buy: a low at or below the limit fills at the limit', async () => {
    const { engine } = await runSteps([FLAT, [100, 101, 99, 100.5]], { 0: buyLimit });
    expect(fillRows(engine)).toEqual([[1, 'buy', 10, 99, 'entry']]);
  });

  it('buy: rests until a bar reaches it', async () => {
    const { engine, ids } = await runSteps([FLAT, [100, 101, 99.5, 100], [100, 100, 98, 99]], { 0: buyLimit });
    expect(fillRows(engine)).toEqual([[2, 'buy', 10, 99, 'entry']]);
    expect(engine.getOrders()[ids[0]!]!.status).toBe('filled');
  });

  it('sell: an open at or above the limit fills at the open, a high at the limit', async () => {
    const gap = await runSteps([FLAT, FLAT, [102, 103, 101, 102]], { 0: { side: 'buy', quantity: 10 }, 1: { side: 'sell', type: 'limit', limitPrice: 101, quantity: 10 } });
    expect(fillRows(gap.engine).at(-1)).toEqual([2, 'sell', 10, 102, 'order']);
    const touch = await runSteps([FLAT, FLAT, [100, 101.5, 99, 100]], { 0: { side: 'buy', quantity: 10 }, 1: { side: 'sell', type: 'limit', limitPrice: 101, quantity: 10 } });
    expect(fillRows(touch.engine).at(-1)).toEqual([2, 'sell', 10, 101, 'order']);
  });

  it('is never filled worse than its limit: slippage stops at the limit', async () => {
    const { engine } = await runSteps([FLAT, [98, 100, 97, 99]], { 0: buyLimit }, { slippageBps: 200 });
    // 98 x 1.02 = 99.96 would be worse than the limit 99: capped at 99.
    expect(engine.getFills()[0]).toMatchObject({ referencePrice: 98, price: 99 });
  });
});

describe('stop orders', () => {
  const buyStop = { side: 'buy', type: 'stop', stopPrice: 101, quantity: 10 } as const;

  it('buy: an open at or above the stop fills at the open (worse), plus slippage', async () => {
    const { engine } = await runSteps([FLAT, [102, 103, 101.5, 102]], { 0: buyStop }, { slippageBps: 10 });
    expect(engine.getFills()[0]).toMatchObject({ barIndex: 1, referencePrice: 102 });
    expect(engine.getFills()[0]!.price).toBeCloseTo(102 * 1.001, 12);
  });

  it('buy: a high at or above the stop fills at the stop plus slippage, never above the high', async () => {
    const a = await runSteps([FLAT, [100, 102, 99, 101]], { 0: buyStop }, { slippageBps: 10 });
    expect(a.engine.getFills()[0]!.referencePrice).toBe(101);
    expect(a.engine.getFills()[0]!.price).toBeCloseTo(101.101, 10);
    const b = await runSteps([FLAT, [100, 101.05, 99, 101]], { 0: buyStop }, { slippageBps: 10 });
    expect(b.engine.getFills()[0]!.price).toBe(101.05); // 101.101 is above the bar's high
  });

  it('sell: protects a long below the price; an untouched stop rests', async () => {
    const { engine, ids } = await runSteps(
      [FLAT, FLAT, [99, 99.5, 97.5, 98], [98, 98, 96, 97]],
      { 0: { side: 'buy', quantity: 10 }, 1: { side: 'sell', type: 'stop', stopPrice: 97, quantity: 10, reduceOnly: true } },
    );
    expect(fillRows(engine)).toEqual([
      [1, 'buy', 10, 100, 'entry'],
      [3, 'sell', 10, 97, 'order'],
    ]);
    expect(engine.getOrders()[ids[1]!]!.status).toBe('filled');
  });
});

describe('stop-limit orders', () => {
  const stopLimit = { side: 'buy', type: 'stop_limit', stopPrice: 101, limitPrice: 101.5, quantity: 10 } as const;

  it('triggered inside the bar: a limit at or beyond its stop, it fills at the stop', async () => {
    const { engine } = await runSteps([FLAT, [100, 102, 99, 101.8]], { 0: stopLimit });
    expect(fillRows(engine)).toEqual([[1, 'buy', 10, 101, 'entry']]);
  });

  it('triggered by the open within its limit: fills at the open', async () => {
    const { engine } = await runSteps([FLAT, [101.2, 102, 100, 101.8]], { 0: stopLimit });
    expect(fillRows(engine)).toEqual([[1, 'buy', 10, 101.2, 'entry']]);
  });

  it('triggered by an open beyond its limit: rests as a limit, which can fill later in the same bar', async () => {
    const { engine } = await runSteps([FLAT, [102, 102.5, 101.3, 102]], { 0: stopLimit });
    expect(fillRows(engine)).toEqual([[1, 'buy', 10, 101.5, 'entry']]);
  });

  it('triggered by an open beyond its limit and not back to it: a limit from then on', async () => {
    const { engine } = await runSteps([FLAT, [102, 102.5, 101.8, 102], [101.4, 102, 101, 101.5]], { 0: stopLimit });
    // Bar 1 triggers it (open 102 >= 101) but never comes back to 101.5; bar 2 opens at 101.4.
    expect(fillRows(engine)).toEqual([[2, 'buy', 10, 101.4, 'entry']]);
  });

  it('never fills outside the bar range', async () => {
    const { engine } = await runSteps([FLAT, [100, 100.9, 99, 100]], { 0: stopLimit });
    expect(engine.getFills()).toEqual([]);
  });
});

describe('trailing stops', () => {
  const long = { side: 'buy', quantity: 10 } as const;

  it('trail the best high by a percent from the placement close, in force from the next bar', async () => {
    const { engine } = await runSteps(
      [FLAT, FLAT, [101, 110, 100, 108], [108, 108.5, 104, 105]],
      { 0: long, 1: { side: 'sell', type: 'trailing_stop', trailPercent: 0.05, reduceOnly: true } },
    );
    // Placed at bar 1's close 100: level 95. Bar 2's high 110 moves it to 104.5 (not in force in
    // bar 2, whose low 100 stays above 95); bar 3's low 104 reaches 104.5.
    expect(fillRows(engine).at(-1)).toEqual([3, 'sell', 10, 104.5, 'order']);
  });

  it('arm only once the best price reaches the activation price', async () => {
    const { engine } = await runSteps(
      [FLAT, FLAT, [101, 104, 100, 103], [103, 103, 98.5, 99], [99, 112, 99, 111], [111, 111, 106, 107]],
      { 0: long, 1: { side: 'sell', type: 'trailing_stop', trailAmount: 5, activationPrice: 110, reduceOnly: true } },
    );
    // Not armed at 104 (bar 3's low 98.5 passes unharmed); armed by bar 4's high 112: level 107,
    // reached by bar 5's low 106.
    expect(fillRows(engine).at(-1)).toEqual([5, 'sell', 10, 107, 'order']);
  });

  it('fill at the open when the bar gaps through the level', async () => {
    const { engine } = await runSteps([FLAT, FLAT, [90, 92, 89, 91]], { 0: long, 1: { side: 'sell', type: 'trailing_stop', trailPercent: 0.05, reduceOnly: true } });
    expect(fillRows(engine).at(-1)).toEqual([2, 'sell', 10, 90, 'order']);
  });
});

describe('time in force', () => {
  const HOUR = 3_600_000;

  it('ioc: its first price only; the rest is cancelled', async () => {
    const missed = await runSteps([FLAT, [100, 100, 98, 99]], { 0: { side: 'buy', type: 'limit', limitPrice: 99, quantity: 10, timeInForce: 'ioc' } });
    expect(missed.engine.getFills()).toEqual([]);
    expect(missed.engine.getOrders()[0]).toMatchObject({ status: 'cancelled' });
    expect(eventRows(missed.engine, 0).at(-1)).toEqual(['cancelled', 1, 0, null]);
    const filled = await runSteps([FLAT, [98.5, 100, 98, 99]], { 0: { side: 'buy', type: 'limit', limitPrice: 99, quantity: 10, timeInForce: 'ioc' } });
    expect(fillRows(filled.engine)).toEqual([[1, 'buy', 10, 98.5, 'entry']]);
  });

  it('bars: n: can fill on the n bars after its submission, then expires', async () => {
    const rows: Row[] = [FLAT, FLAT, FLAT, [100, 100, 98, 99]];
    const { engine } = await runSteps(rows, { 0: { side: 'buy', type: 'limit', limitPrice: 99, quantity: 10, timeInForce: { bars: 2 } } });
    expect(engine.getFills()).toEqual([]); // bar 3 reaches 99, one bar too late
    expect(engine.getOrders()[0]).toMatchObject({ status: 'expired' });
    expect(eventRows(engine, 0).at(-1)).toEqual(['expired', 2, 0, null]);
    const inTime = await runSteps(rows, { 0: { side: 'buy', type: 'limit', limitPrice: 99, quantity: 10, timeInForce: { bars: 3 } } });
    expect(fillRows(inTime.engine)).toEqual([[3, 'buy', 10, 99, 'entry']]);
  });

  it('day: until the end of the UTC day of its first bar', async () => {
    // Hourly bars: 22:00 and 23:00 of day 1, then 00:00 of day 2.
    const { BacktestEngine } = await import('../src/index');
    const { BarSeries } = await import('@algo-trading/core');
    const t = Date.UTC(2024, 0, 1, 22);
    const data = BarSeries.fromRows([
      { time: t - HOUR, open: 100, high: 100, low: 100, close: 100 },
      { time: t, open: 100, high: 100, low: 99.5, close: 100 },
      { time: t + HOUR, open: 100, high: 100, low: 99.5, close: 100 },
      { time: t + 2 * HOUR, open: 99, high: 99, low: 98, close: 98 },
    ]);
    const engine = new BacktestEngine({ initialCapital: 10_000, commissionPct: 0, slippageBps: 0 });
    await engine.run({ data, strategy: { onBar: (ctx) => void (ctx.index === 0 && ctx.submit({ side: 'buy', type: 'limit', limitPrice: 99, quantity: 1, timeInForce: 'day' })) } });
    expect(engine.getFills()).toEqual([]);
    expect(engine.getOrders()[0]).toMatchObject({ status: 'expired' });
    expect(engine.getOrders()[0]!.events.at(-1)).toMatchObject({ status: 'expired', barIndex: 3 });
  });

  it('gtc: rests until it fills', async () => {
    const rows: Row[] = [FLAT, FLAT, FLAT, FLAT, FLAT, [100, 100, 98, 99]];
    const { engine } = await runSteps(rows, { 0: { side: 'buy', type: 'limit', limitPrice: 99, quantity: 10 } });
    expect(fillRows(engine)).toEqual([[5, 'buy', 10, 99, 'entry']]);
  });
});

describe('partial fills (volume participation)', () => {
  it('a market order takes at most the participation of each bar; the rest waits for gtc', async () => {
    const rows: Row[] = [FLAT, FLAT, FLAT, FLAT, FLAT];
    const { engine } = await runSteps(rows, { 0: { side: 'buy', quantity: 250 } }, { volumeParticipation: 0.1 }, [1000, 1000, 1000, 1000, 1000]);
    expect(fillRows(engine)).toEqual([
      [1, 'buy', 100, 100, 'entry'],
      [2, 'buy', 100, 100, 'entry'],
      [3, 'buy', 50, 100, 'entry'],
    ]);
    expect(eventRows(engine, 0).slice(2)).toEqual([
      ['partially_filled', 1, 100, 100],
      ['partially_filled', 2, 200, 100],
      ['filled', 3, 250, 100],
    ]);
    expect(engine.getOpenPositions()[0]!.quantity).toBe(250);
  });

  it('ioc and day orders cancel what a bar cannot fill', async () => {
    const { engine } = await runSteps([FLAT, FLAT, FLAT], { 0: { side: 'buy', quantity: 250, timeInForce: 'ioc' } }, { volumeParticipation: 0.1 }, [1000, 1000, 1000]);
    expect(fillRows(engine)).toEqual([[1, 'buy', 100, 100, 'entry']]);
    expect(engine.getOrders()[0]).toMatchObject({ status: 'cancelled', filledQuantity: 100 });
  });
});

describe('OCO groups', () => {
  it('the first fill cancels the other members', async () => {
    const { engine, ids } = await runSteps([FLAT, [100, 106, 99, 105], FLAT], {
      0: [
        { side: 'buy', type: 'limit', limitPrice: 95, quantity: 10, ocoGroup: 'x' },
        { side: 'buy', type: 'stop', stopPrice: 105, quantity: 10, ocoGroup: 'x' },
      ],
    });
    expect(fillRows(engine)).toEqual([[1, 'buy', 10, 105, 'entry']]);
    expect(engine.getOrders()[ids[0]!]).toMatchObject({ status: 'cancelled', ocoGroup: 'x' });
    expect(engine.getOrders()[ids[0]!]!.events.at(-1)!.message).toBe('another order of its OCO group filled');
  });

  it('a bar touching both members fills one only, the first on the assumed path', async () => {
    const { engine } = await runSteps([FLAT, [100, 106, 94, 100], FLAT], {
      0: [
        { side: 'buy', type: 'limit', limitPrice: 95, quantity: 10, ocoGroup: 'x' },
        { side: 'buy', type: 'stop', stopPrice: 105, quantity: 10, ocoGroup: 'x' },
      ],
    });
    // Flat: the bar is assumed to go down first (stop_first), reaching 95 before 105.
    expect(fillRows(engine)).toEqual([[1, 'buy', 10, 95, 'entry']]);
  });
});

describe('brackets', () => {
  const entry = { side: 'buy', quantity: 10, bracket: { stopLoss: 95, takeProfit: 110 } } as const;

  it('children go live when the entry fills at the open and act on the rest of that bar', async () => {
    const { engine } = await runSteps([FLAT, [100, 101, 94, 96], FLAT], { 0: entry });
    expect(fillRows(engine)).toEqual([
      [1, 'buy', 10, 100, 'entry'],
      [1, 'sell', 10, 95, 'hard_stop'],
    ]);
    const orders = engine.getOrders();
    expect(orders.map((o) => [o.id, o.role, o.type, o.parentId, o.status])).toEqual([
      [0, 'order', 'market', null, 'filled'],
      [1, 'stop_loss', 'stop', 0, 'filled'],
      [2, 'take_profit', 'limit', 0, 'cancelled'],
    ]);
    expect(orders[1]!.ocoGroup).toBe('bracket #0');
  });

  it('the target exits as take_profit and cancels the stop', async () => {
    const { engine } = await runSteps([FLAT, FLAT, [105, 111, 104, 110]], { 0: entry });
    expect(fillRows(engine).at(-1)).toEqual([2, 'sell', 10, 110, 'take_profit']);
    expect(engine.getOrders()[1]).toMatchObject({ role: 'stop_loss', status: 'cancelled' });
  });

  it('a bar that opens beyond the target and trades through the stop exits at the target, at the open', async () => {
    const { engine } = await runSteps([FLAT, FLAT, [112, 113, 90, 91]], { 0: entry });
    expect(fillRows(engine).at(-1)).toEqual([2, 'sell', 10, 112, 'take_profit']);
  });

  it('after an entry inside the bar, stop_first assumes the stop was reached and the target was not', async () => {
    const limitEntry = { side: 'buy', type: 'limit', limitPrice: 99, quantity: 10, bracket: { stopLoss: 97, takeProfit: 101 } } as const;
    // Bar 1: the limit fills at 99; the range 96-102 holds both children.
    const stopFirst = await runSteps([FLAT, [100, 102, 96, 100], FLAT], { 0: limitEntry });
    expect(fillRows(stopFirst.engine)).toEqual([
      [1, 'buy', 10, 99, 'entry'],
      [1, 'sell', 10, 97, 'hard_stop'],
    ]);
    const targetFirst = await runSteps([FLAT, [100, 102, 96, 100], FLAT], { 0: limitEntry }, { intrabarPolicy: 'target_first' });
    expect(fillRows(targetFirst.engine).at(-1)).toEqual([1, 'sell', 10, 101, 'take_profit']);
    // Only the target in range: stop_first assumes it was not reached; it rests for the next bar.
    const onlyTarget = await runSteps([FLAT, [100, 102, 98.5, 100], [100, 101.5, 99.5, 101]], { 0: limitEntry });
    expect(fillRows(onlyTarget.engine)).toEqual([
      [1, 'buy', 10, 99, 'entry'],
      [2, 'sell', 10, 101, 'take_profit'],
    ]);
  });

  it('a level the fill already passed exits at once at the fill price; passedLevels: reject refuses the entry', async () => {
    const gapped = await runSteps([FLAT, [94, 95, 93, 94], FLAT], { 0: entry });
    expect(fillRows(gapped.engine)).toEqual([
      [1, 'buy', 10, 94, 'entry'],
      [1, 'sell', 10, 94, 'hard_stop'],
    ]);
    const refused = await runSteps([FLAT, [94, 95, 93, 94], FLAT], { 0: entry }, { passedLevels: 'reject' });
    expect(refused.engine.getFills()).toEqual([]);
    expect(refused.engine.getOrders()[0]).toMatchObject({ status: 'rejected' });
    expect(refused.engine.getRejections()[0]!.reasons.map((r) => r.code)).toEqual(['invalid_levels']);
  });

  it('children are reduce-only: cancelled when the position closes by another order', async () => {
    const { engine } = await runSteps([FLAT, FLAT, FLAT, FLAT], { 0: entry, 1: { side: 'sell', quantity: 10 } });
    expect(fillRows(engine).at(-1)).toEqual([2, 'sell', 10, 100, 'order']);
    expect(engine.getOrders().filter((o) => o.parentId === 0).map((o) => [o.status, o.events.at(-1)!.message])).toEqual([
      ['cancelled', 'the position is closed'],
      ['cancelled', 'the position is closed'],
    ]);
  });

  it('with a trail, the stop child trails once armed and exits as trailing_stop', async () => {
    const { engine } = await runSteps(
      [FLAT, FLAT, [101, 108, 100, 107], [107, 107, 102, 103]],
      { 0: { side: 'buy', quantity: 10, bracket: { stopLoss: 95, trailing: { percent: 0.05 } } } },
    );
    // Trail 5% from the entry 100 (95), ratcheted by bar 2's high 108 to 102.6.
    expect(fillRows(engine).at(-1)).toEqual([3, 'sell', 10, 102.6, 'trailing_stop']);
    expect(engine.getOrders()[1]).toMatchObject({ type: 'trailing_stop', role: 'stop_loss', stopPrice: 95 });
  });
});

describe('the strategy API', () => {
  it('cancel ends a live order; replace swaps it for a changed copy', async () => {
    const { engine } = await runSteps([FLAT, FLAT, FLAT, [100, 100, 97, 98]], {
      0: { side: 'buy', type: 'limit', limitPrice: 90, quantity: 10 },
      1: (ctx) => {
        expect(ctx.openOrders.map((o) => [o.id, o.limitPrice, o.status])).toEqual([[0, 90, 'accepted']]);
        expect(ctx.replace(0, { limitPrice: 98 })).toBe(1);
        expect(ctx.replace(42, { limitPrice: 98 })).toBeNull();
      },
      2: (ctx) => {
        expect(ctx.openOrders.map((o) => o.id)).toEqual([1]);
        const second = ctx.submit({ side: 'buy', type: 'limit', limitPrice: 80, quantity: 5 });
        expect(ctx.cancel(second)).toBe(true);
        expect(ctx.cancel(second)).toBe(false);
      },
    });
    const orders = engine.getOrders();
    expect(orders.map((o) => [o.id, o.status, o.replacesId])).toEqual([
      [0, 'cancelled', null],
      [1, 'filled', 0],
      [2, 'cancelled', null],
    ]);
    expect(orders[0]!.events.at(-1)!.message).toBe('replaced by order #1');
    expect(orders[2]!.events.at(-1)!.message).toBe('cancelled by the strategy');
    expect(fillRows(engine)).toEqual([[3, 'buy', 10, 98, 'entry']]);
  });

  it('lists bracket children in openOrders with their parent id', async () => {
    let seen: unknown;
    await runSteps([FLAT, FLAT, FLAT], {
      0: { side: 'buy', quantity: 1, bracket: { stopLoss: 90, takeProfit: 110 }, tag: 'swing' },
      1: (ctx) => {
        seen = ctx.openOrders.map((o) => [o.id, o.role, o.parentId, o.reduceOnly, o.quantity]);
      },
    });
    expect(seen).toEqual([
      [1, 'stop_loss', 0, true, null],
      [2, 'take_profit', 0, true, null],
    ]);
  });

  it('openOrders is a frozen snapshot, the same array until an order or its state changes', async () => {
    const seen: (readonly OpenOrder[])[] = [];
    await runSteps([FLAT, FLAT, FLAT, [101, 108, 100, 107], FLAT], {
      0: { side: 'buy', quantity: 10, bracket: { stopLoss: 95, trailing: { percent: 0.05 } } },
      1: (ctx) => void seen.push(ctx.openOrders, ctx.openOrders),
      2: (ctx) => {
        seen.push(ctx.openOrders);
        ctx.submit({ side: 'buy', type: 'limit', limitPrice: 50, quantity: 1 });
        seen.push(ctx.openOrders);
      },
      3: (ctx) => void seen.push(ctx.openOrders),
    });
    const [first, again, nextBar, afterSubmit, afterRatchet] = seen;
    // Nothing changed between the reads of bars 1 and 2: one array.
    expect(again).toBe(first);
    expect(nextBar).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first![0])).toBe(true);
    expect(first!.map((o) => [o.id, o.type, o.stopPrice])).toEqual([[1, 'trailing_stop', 95]]);
    // A new order, then the trailing stop's ratchet (bar 3's high 108: 102.6), each give a new snapshot.
    expect(afterSubmit!.map((o) => o.id)).toEqual([1, 2]);
    expect(afterRatchet).not.toBe(afterSubmit);
    expect(afterRatchet!.map((o) => [o.id, o.stopPrice])).toEqual([
      [1, 102.6],
      [2, null],
    ]);
    // A snapshot kept across bars still shows the state when it was taken.
    expect(first!.map((o) => o.stopPrice)).toEqual([95]);
  });

  it('inconsistent orders are rejected with reasons, not thrown', async () => {
    const { engine, ids } = await runSteps([FLAT, FLAT], {
      0: [
        { side: 'buy', type: 'limit', quantity: 1 },
        { side: 'buy', type: 'stop_limit', stopPrice: 101, limitPrice: 100, quantity: 1 },
        { side: 'buy', quantity: -5 },
        { side: 'buy', quantity: 1, symbol: 'NOPE' },
        { side: 'sell', quantity: 1, reduceOnly: true },
        { side: 'buy', quantity: 1, colour: 'red' } as never,
      ],
    });
    expect(ids).toEqual([0, 1, 2, 3, 4, 5]);
    expect(engine.getFills()).toEqual([]);
    const codes = engine.getRejections().map((r) => [r.orderId, r.reasons.map((x) => x.code)[0], r.barIndex]);
    expect(codes).toEqual([
      [0, 'invalid_order', 0],
      [1, 'invalid_order', 0],
      [2, 'invalid_order', 0],
      [3, 'unknown_symbol', 0],
      [4, 'reduce_only', 0],
      [5, 'invalid_order', 0],
    ]);
    const reasons = engine.getRejections().map((r) => r.reasons[0]!.message);
    expect(reasons[0]).toContain('needs limitPrice');
    expect(reasons[1]).toContain('at or above its stop');
    expect(reasons[2]).toContain('quantity must be a finite number greater than 0, got -5');
    expect(reasons[5]).toContain('colour is not an order field');
    expect(engine.getOrders().every((o) => o.status === 'rejected' && o.events.map((e) => e.status).join() === 'submitted,rejected')).toBe(true);
  });

  it("an order's own quantity the cash cannot cover is refused (cash), not cut", async () => {
    const { engine } = await runSteps([FLAT, FLAT], { 0: { side: 'buy', quantity: 2000 } });
    expect(engine.getFills()).toEqual([]);
    expect(engine.getRejections()[0]).toMatchObject({ barIndex: 1, quantity: 2000, reasons: [{ code: 'cash' }] });
  });

  it('an order without a quantity is sized at the fill (all in without a sizer)', async () => {
    const { engine } = await runSteps([FLAT, [125, 125, 125, 125]], { 0: { side: 'buy' } });
    expect(fillRows(engine)).toEqual([[1, 'buy', 800, 125, 'entry']]);
    expect(engine.getOrders()[0]).toMatchObject({ quantity: 800, status: 'filled' });
  });
});
