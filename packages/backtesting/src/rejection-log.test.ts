import { describe, expect, it } from 'vitest';
import { RejectionLog } from './rejection-log';
import type { RejectionReason } from './types';

const cash: readonly RejectionReason[] = [{ code: 'cash', message: 'no cash' }];
const lot: readonly RejectionReason[] = [{ code: 'lot', message: 'below one lot' }];

describe('RejectionLog', () => {
  it('records refusals, counts repeats into a record and builds the Rejection objects', () => {
    const log = new RejectionLog();
    expect(log.toArray()).toEqual([]);
    const k = log.push({ orderId: 3, barIndex: 10, time: 1000, symbol: 'AAPL', side: 'long', quantity: 5, price: 101.5, reasons: cash });
    log.push({ orderId: 4, barIndex: 11, time: 1100, symbol: 'MSFT', side: 'short', quantity: 0, price: Number.NaN, reasons: lot });
    const first = log.toArray();
    expect(first[0]).toEqual({ orderId: 3, time: 1000, barIndex: 10, count: 1, lastBarIndex: 10, lastTime: 1000, symbol: 'AAPL', side: 'long', quantity: 5, price: 101.5, reasons: cash });
    expect(log.toArray()).toBe(first); // built once while unchanged
    log.extend(k, 11, 1100);
    log.extend(k, 12, 1200);
    expect([log.orderIdAt(k), log.lastBarIndexAt(k), log.sideAt(k), log.symbolAt(k), log.reasonsAt(k)]).toEqual([3, 12, 'long', 'AAPL', cash]);
    const after = log.toArray();
    expect(after).not.toBe(first);
    expect(after[0]).toMatchObject({ count: 3, barIndex: 10, lastBarIndex: 12, time: 1000, lastTime: 1200 });
    expect(after[1]).toMatchObject({ orderId: 4, side: 'short', count: 1, reasons: lot });
    expect(first[0]!.count).toBe(1); // objects handed out are not changed afterwards
  });

  it('grows past its first capacity and forgets everything at clear, keeping no stale row', () => {
    const log = new RejectionLog();
    for (let k = 0; k < 300; k++) log.push({ orderId: k, barIndex: k, time: k, symbol: `S${k}`, side: 'long', quantity: k, price: k, reasons: cash });
    expect(log.length).toBe(300);
    expect(log.toArray()[299]).toMatchObject({ orderId: 299, symbol: 'S299', quantity: 299 });
    log.clear();
    expect(log.length).toBe(0);
    expect(log.toArray()).toEqual([]);
    log.push({ orderId: 7, barIndex: 2, time: 20, symbol: 'X', side: 'short', quantity: 1, price: 2, reasons: lot });
    expect(log.toArray()).toEqual([{ orderId: 7, time: 20, barIndex: 2, count: 1, lastBarIndex: 2, lastTime: 20, symbol: 'X', side: 'short', quantity: 1, price: 2, reasons: lot }]);
  });
});
