import { describe, expect, it } from 'vitest';
import { TradeLog } from './trade-log';

describe('TradeLog', () => {
  it('records trades in columns and builds each object once, exactly as recorded', () => {
    const log = new TradeLog();
    expect(log.length).toBe(0);
    expect(log.toArray()).toEqual([]);
    const k = log.push('AAPL', 'short', 3, 10, 20, 101.5, 99.25, 1, 4, 6.75, 0.5, 0.125, 6.25, 6.25 / (101.5 * 3), 4.5, 6.25 / 4.5, 'trailing_stop', 3);
    log.push('MSFT', 'long', 1, 30, 40, 50, 49, -1, -1, -1, 0, 0, -1, -0.02, null, null, 'manual', 0);
    expect(k).toBe(0);
    expect(log.length).toBe(2);
    const first = log.get(0);
    expect(first).toEqual({
      symbol: 'AAPL',
      side: 'short',
      quantity: 3,
      entryTime: 10,
      exitTime: 20,
      entryPrice: 101.5,
      exitPrice: 99.25,
      entryBarIndex: 1,
      exitBarIndex: 4,
      grossPnl: 6.75,
      commission: 0.5,
      slippageCost: 0.125,
      pnl: 6.25,
      returnPct: 6.25 / (101.5 * 3),
      initialRisk: 4.5,
      rMultiple: 6.25 / 4.5,
      exitReason: 'trailing_stop',
      barsHeld: 3,
    });
    expect(log.get(1)).toMatchObject({ symbol: 'MSFT', side: 'long', initialRisk: null, rMultiple: null, exitReason: 'manual', entryBarIndex: -1 });
    const all = log.toArray();
    expect(all).toHaveLength(2);
    expect(all[0]).toBe(first); // the same objects on every call
    expect(log.toArray()).not.toBe(all); // a new array each time
  });

  it('keeps -0 and grows past its first capacity; clear forgets everything', () => {
    const log = new TradeLog();
    for (let k = 0; k < 200; k++) log.push(`S${k}`, 'long', k + 1, k, k + 1, 10, 10, k, k + 1, -0, 0, 0, -0, -0, 0, 0, 'signal', 1);
    expect(log.length).toBe(200);
    expect(Object.is(log.get(199).pnl, -0)).toBe(true);
    expect(log.get(150)).toMatchObject({ symbol: 'S150', quantity: 151, initialRisk: 0, rMultiple: 0 });
    log.clear();
    expect(log.length).toBe(0);
    expect(log.toArray()).toEqual([]);
    log.push('X', 'long', 1, 0, 1, 1, 2, 0, 1, 1, 0, 0, 1, 1, null, null, 'take_profit', 1);
    expect(log.toArray().map((t) => t.symbol)).toEqual(['X']);
  });

  it('pnlAt and initialRiskAt read one trade without building it', () => {
    const log = new TradeLog();
    log.push('A', 'long', 2, 0, 1, 10, 12, 0, 1, 4, 0.5, 0, 3.5, 0.175, 2, 1.75, 'signal', 1);
    log.push('B', 'short', 1, 1, 2, 10, 11, 1, 2, -1, 0, 0, -1, -0.1, null, null, 'hard_stop', 1);
    expect(log.pnlAt(0)).toBe(3.5);
    expect(log.initialRiskAt(0)).toBe(2);
    expect(log.pnlAt(1)).toBe(-1);
    expect(log.initialRiskAt(1)).toBeNull();
  });
});
