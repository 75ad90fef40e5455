import type { Fill, Trade } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { csvField, equityCsv, fillsCsv, isoTime, toCsv, tradesCsv } from './csv';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 2);

describe('csv writers', () => {
  it('escapes fields per RFC 4180 and writes NaN / null as empty', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(1.5)).toBe('1.5');
    expect(csvField(NaN)).toBe('');
    expect(csvField(Infinity)).toBe('Infinity');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(toCsv(['a', 'b'], [[1, 'x,y'], [null, 2]])).toBe('a,b\n1,"x,y"\n,2\n');
  });

  it('isoTime renders UTC and blanks non-finite times', () => {
    expect(isoTime(T0)).toBe('2024-01-02T00:00:00.000Z');
    expect(isoTime(NaN)).toBe('');
  });

  it('trades.csv has one line per trade with every column', () => {
    const trade: Trade = {
      symbol: 'SPY',
      side: 'long',
      quantity: 10,
      entryTime: T0,
      exitTime: T0 + 3 * DAY,
      entryPrice: 100,
      exitPrice: 103,
      entryBarIndex: 0,
      exitBarIndex: 3,
      grossPnl: 30,
      commission: 3.045,
      slippageCost: 1,
      pnl: 26.955,
      returnPct: 0.026955,
      initialRisk: 30,
      rMultiple: 0.8985,
      exitReason: 'take_profit',
      barsHeld: 3,
    };
    const text = tradesCsv([trade, { ...trade, initialRisk: null, rMultiple: null, exitReason: 'signal' }]);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'symbol,side,quantity,entry_time,exit_time,entry_price,exit_price,gross_pnl,commission,slippage_cost,pnl,return_pct,initial_risk,r_multiple,exit_reason,bars_held',
    );
    expect(lines[1]).toBe('SPY,long,10,2024-01-02T00:00:00.000Z,2024-01-05T00:00:00.000Z,100,103,30,3.045,1,26.955,0.026955,30,0.8985,take_profit,3');
    expect(lines[2]).toContain(',,,signal,3');
    expect(lines).toHaveLength(3);
  });

  it('fills.csv and equity.csv', () => {
    const fill: Fill = {
      time: T0,
      barIndex: 1,
      orderId: 0,
      symbol: 'SPY',
      side: 'buy',
      effect: 'open',
      quantity: 5,
      price: 100.05,
      referencePrice: 100,
      commission: 0.75,
      slippageCost: 0.25,
      reason: 'entry',
    };
    expect(fillsCsv([fill])).toBe(
      'time,bar_index,symbol,side,effect,quantity,price,reference_price,commission,slippage_cost,reason\n2024-01-02T00:00:00.000Z,1,SPY,buy,open,5,100.05,100,0.75,0.25,entry\n',
    );
    const curve = {
      time: Float64Array.of(T0, T0 + DAY),
      equity: Float64Array.of(10_000, 9_900),
      cash: Float64Array.of(10_000, 5_000),
      drawdown: Float64Array.of(0, 0.01),
    };
    expect(equityCsv(curve)).toBe(
      'time,equity,cash,drawdown\n2024-01-02T00:00:00.000Z,10000,10000,0\n2024-01-03T00:00:00.000Z,9900,5000,0.01\n',
    );
  });
});
