import { describe, expect, it } from 'vitest';
import { TradeLog } from './trade-log';
import type { Trade } from './types';

const trade = (t: Trade): Trade => t;

describe('TradeLog', () => {
  it('records trades in columns and builds each object once, exactly as recorded', () => {
    const log = new TradeLog();
    expect(log.length).toBe(0);
    expect(log.toArray()).toEqual([]);
    const k = log.push(trade({ symbol: 'AAPL', side: 'short', quantity: 3, entryTime: 10, exitTime: 20, entryPrice: 101.5, exitPrice: 99.25, entryBarIndex: 1, exitBarIndex: 4, grossPnl: 6.75, commission: 0.5, slippageCost: 0.125, pnl: 6.25, returnPct: 6.25 / (101.5 * 3), initialRisk: 4.5, rMultiple: 6.25 / 4.5, exitReason: 'trailing_stop', barsHeld: 3 }));
    log.push(trade({ symbol: 'MSFT', side: 'long', quantity: 1, entryTime: 30, exitTime: 40, entryPrice: 50, exitPrice: 49, entryBarIndex: -1, exitBarIndex: -1, grossPnl: -1, commission: 0, slippageCost: 0, pnl: -1, returnPct: -0.02, initialRisk: null, rMultiple: null, exitReason: 'manual', barsHeld: 0 }));
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
    for (let k = 0; k < 200; k++) log.push(trade({ symbol: `S${k}`, side: 'long', quantity: k + 1, entryTime: k, exitTime: k + 1, entryPrice: 10, exitPrice: 10, entryBarIndex: k, exitBarIndex: k + 1, grossPnl: -0, commission: 0, slippageCost: 0, pnl: -0, returnPct: -0, initialRisk: 0, rMultiple: 0, exitReason: 'signal', barsHeld: 1 }));
    expect(log.length).toBe(200);
    expect(Object.is(log.get(199).pnl, -0)).toBe(true);
    expect(log.get(150)).toMatchObject({ symbol: 'S150', quantity: 151, initialRisk: 0, rMultiple: 0 });
    log.clear();
    expect(log.length).toBe(0);
    expect(log.toArray()).toEqual([]);
    log.push(trade({ symbol: 'X', side: 'long', quantity: 1, entryTime: 0, exitTime: 1, entryPrice: 1, exitPrice: 2, entryBarIndex: 0, exitBarIndex: 1, grossPnl: 1, commission: 0, slippageCost: 0, pnl: 1, returnPct: 1, initialRisk: null, rMultiple: null, exitReason: 'take_profit', barsHeld: 1 }));
    expect(log.toArray().map((t) => t.symbol)).toEqual(['X']);
    expect(log.get(0)).toMatchObject({ symbol: 'X', exitReason: 'take_profit' }); // not the stale row 0 (S0, signal)
    expect(log.symbolAt(0)).toBe('X');
  });

  it('pnlAt, symbolAt and initialRiskAt read one trade without building it', () => {
    const log = new TradeLog();
    log.push(trade({ symbol: 'A', side: 'long', quantity: 2, entryTime: 0, exitTime: 1, entryPrice: 10, exitPrice: 12, entryBarIndex: 0, exitBarIndex: 1, grossPnl: 4, commission: 0.5, slippageCost: 0, pnl: 3.5, returnPct: 0.175, initialRisk: 2, rMultiple: 1.75, exitReason: 'signal', barsHeld: 1 }));
    log.push(trade({ symbol: 'B', side: 'short', quantity: 1, entryTime: 1, exitTime: 2, entryPrice: 10, exitPrice: 11, entryBarIndex: 1, exitBarIndex: 2, grossPnl: -1, commission: 0, slippageCost: 0, pnl: -1, returnPct: -0.1, initialRisk: null, rMultiple: null, exitReason: 'hard_stop', barsHeld: 1 }));
    expect(log.pnlAt(0)).toBe(3.5);
    expect(log.initialRiskAt(0)).toBe(2);
    expect(log.pnlAt(1)).toBe(-1);
    expect(log.initialRiskAt(1)).toBeNull();
    expect([log.symbolAt(0), log.symbolAt(1)]).toEqual(['A', 'B']);
  });
});
