import type { Side } from '@algo-trading/core';
import { RiskManager, type RiskManagerOptions } from '@algo-trading/risk';
import { describe, expect, it } from 'vitest';
import { at, bar } from './helpers';

/** A manager holding 10 units of X at 100 (stop 97 / 103, target 105 / 95 with the defaults). */
function holding(side: Side, options: RiskManagerOptions = {}) {
  const rm = new RiskManager(options);
  rm.openPosition({ symbol: 'X', side, entryPrice: 100, quantity: 10, entryDate: at(0, 14) });
  return rm;
}

describe('standalone stops, long 10 @ 100', () => {
  it('hard stop hit inside the bar fills at the stop: P&L -30, R -1', () => {
    const rm = holding('long');
    const [trade, ...rest] = rm.updatePositions({ X: bar(99, 99.5, 96, 96.5) }, at(1));
    expect(rest).toEqual([]);
    expect(trade).toMatchObject({ exitReason: 'hard_stop', exitPrice: 97, grossPnl: -30, pnl: -30, initialRisk: 30, rMultiple: -1 });
    expect(rm.getPositions()).toEqual([]);
    expect(rm.getCash()).toBe(9970);
  });

  it('hard stop gapped through fills at the open', () => {
    const [trade] = holding('long').updatePositions({ X: bar(95, 96, 94, 95.5) }, at(1));
    expect(trade).toMatchObject({ exitReason: 'hard_stop', exitPrice: 95, pnl: -50 });
    expect(trade!.rMultiple).toBeCloseTo(-50 / 30, 12);
  });

  it('take profit inside the bar and on a gap', () => {
    const [t1] = holding('long').updatePositions({ X: bar(101, 106, 100.5, 104) }, at(1));
    expect(t1).toMatchObject({ exitReason: 'take_profit', exitPrice: 105, pnl: 50, returnPct: 0.05 });
    expect(t1!.rMultiple).toBeCloseTo(50 / 30, 12);
    const [t2] = holding('long').updatePositions({ X: bar(107, 108, 106, 107.5) }, at(1));
    expect(t2).toMatchObject({ exitReason: 'take_profit', exitPrice: 107, pnl: 70 });
  });

  it('a bar touching both: stop first by default, configurable', () => {
    const both = { X: bar(100, 106, 96, 100) };
    expect(holding('long').updatePositions(both, at(1))[0]).toMatchObject({ exitReason: 'hard_stop', exitPrice: 97 });
    expect(holding('long', { intrabarPolicy: 'target_first' }).updatePositions(both, at(1))[0]).toMatchObject({
      exitReason: 'take_profit',
      exitPrice: 105,
    });
  });

  it('plain prices compare that price and exit at it', () => {
    const rm = holding('long');
    expect(rm.updatePositions({ X: 98 }, at(1))).toEqual([]);
    expect(rm.getPosition('X')!.currentPrice).toBe(98);
    expect(rm.updatePositions({ X: 96.5 }, at(2))[0]).toMatchObject({ exitReason: 'hard_stop', exitPrice: 96.5, pnl: -35 });
    expect(holding('long').updatePositions({ X: 105.5 }, at(1))[0]).toMatchObject({ exitReason: 'take_profit', exitPrice: 105.5 });
  });

  it('trailing stop: arms at +2%, ratchets from highs, applies from the next bar, exits above the hard stop', () => {
    const rm = holding('long');
    expect(rm.updatePositions({ X: bar(100, 101.5, 99, 101) }, at(1))).toEqual([]);
    expect(rm.getPosition('X')!.trailingStop).toBeNull(); // best 101.5 < 102: not armed
    expect(rm.updatePositions({ X: bar(101, 104, 99.5, 103.5) }, at(2))).toEqual([]); // low 99.5 < 101.92 but not in force yet
    const armed = rm.getPosition('X')!;
    expect(armed.trailingStop).toBeCloseTo(101.92, 10);
    expect(armed.effectiveStop).toBeCloseTo(101.92, 10);
    expect(armed.stopLoss).toBe(97);
    expect(armed.bestPrice).toBe(104);
    expect(rm.updatePositions({ X: bar(103.5, 103.8, 102.5, 103) }, at(3))).toEqual([]); // never loosens
    expect(rm.getPosition('X')!.trailingStop).toBeCloseTo(101.92, 10);
    expect(rm.updatePositions({ X: bar(103, 104.5, 102.6, 104) }, at(4))).toEqual([]);
    expect(rm.getPosition('X')!.trailingStop).toBeCloseTo(102.41, 10);
    const [trade] = rm.updatePositions({ X: bar(103, 103.5, 101, 101.5) }, at(5));
    expect(trade!.exitReason).toBe('trailing_stop');
    expect(trade!.exitPrice).toBeCloseTo(102.41, 10);
    expect(trade!.pnl).toBeCloseTo(24.1, 9);
    expect(trade!.rMultiple).toBeCloseTo(24.1 / 30, 9);
    expect(trade!.barsHeld).toBe(5);
  });

  it('time stop after 30 calendar days exits at the close', () => {
    const rm = holding('long');
    expect(rm.updatePositions({ X: bar(101, 101.5, 100, 101) }, at(29, 23))).toEqual([]);
    expect(rm.updatePositions({ X: bar(101, 101.5, 100, 101.2) }, at(30, 14))[0]).toMatchObject({
      exitReason: 'time_stop',
      exitPrice: 101.2,
    });
  });

  it('custom stop and target of openPosition override the defaults', () => {
    const rm = new RiskManager();
    const p = rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 10, stopLoss: 98, takeProfit: 110, entryDate: at(0) });
    expect(p).toMatchObject({ stopLoss: 98, takeProfit: 110, initialRisk: 20, timeStopAt: at(30) });
    expect(rm.updatePositions({ X: bar(100, 107, 99, 106) }, at(1))).toEqual([]);
    expect(rm.updatePositions({ X: bar(106, 111, 105, 110) }, at(2))[0]).toMatchObject({ exitReason: 'take_profit', exitPrice: 110 });
  });

  it('disabled stops never fire', () => {
    // Without a stop the whole position value is at risk, so the heat limit is lifted too.
    const rm = holding('long', {
      hardStopPct: null,
      takeProfitPct: null,
      trailingStopPct: null,
      timeStopDays: null,
      maxPortfolioHeat: null,
    });
    expect(rm.getPosition('X')).toMatchObject({ stopLoss: null, takeProfit: null, timeStopAt: null });
    expect(rm.updatePositions({ X: bar(100, 150, 60, 120) }, at(400))).toEqual([]);
  });
});

describe('standalone stops, short 10 @ 100', () => {
  it('opens with mirrored default levels and books the sale proceeds', () => {
    const rm = holding('short');
    expect(rm.getPosition('X')).toMatchObject({ side: 'short', stopLoss: 103, takeProfit: 95 });
    expect(rm.getCash()).toBe(11_000);
    expect(rm.getEquity()).toBe(10_000);
  });

  it('hard stop inside the bar and gapped', () => {
    expect(holding('short').updatePositions({ X: bar(101, 103.5, 100.5, 103.2) }, at(1))[0]).toMatchObject({
      exitReason: 'hard_stop',
      exitPrice: 103,
      pnl: -30,
      rMultiple: -1,
    });
    expect(holding('short').updatePositions({ X: bar(104, 105, 103.5, 104) }, at(1))[0]).toMatchObject({
      exitReason: 'hard_stop',
      exitPrice: 104,
      pnl: -40,
    });
  });

  it('take profit inside the bar and gapped', () => {
    const rm = holding('short');
    expect(rm.updatePositions({ X: bar(99, 99.5, 94, 96) }, at(1))[0]).toMatchObject({ exitReason: 'take_profit', exitPrice: 95, pnl: 50 });
    expect(rm.getCash()).toBe(10_050);
    expect(holding('short').updatePositions({ X: bar(93, 94, 92, 93) }, at(1))[0]).toMatchObject({ exitPrice: 93, pnl: 70 });
  });

  it('both touched: stop first by default, nearest_first by distance from the open', () => {
    expect(holding('short').updatePositions({ X: bar(100, 104, 94, 100) }, at(1))[0]).toMatchObject({ exitReason: 'hard_stop' });
    // open 96: |96 - 103| = 7 > |96 - 95| = 1 -> target first
    expect(holding('short', { intrabarPolicy: 'nearest_first' }).updatePositions({ X: bar(96, 104, 94, 100) }, at(1))[0]).toMatchObject({
      exitReason: 'take_profit',
      exitPrice: 95,
    });
  });

  it('trailing stop ratchets from lows and applies from the next bar', () => {
    const rm = holding('short');
    expect(rm.updatePositions({ X: bar(99, 99.5, 96, 96.5) }, at(1))).toEqual([]);
    expect(rm.getPosition('X')!.trailingStop).toBeCloseTo(97.92, 10);
    expect(rm.updatePositions({ X: bar(96.5, 97, 95.5, 96) }, at(2))).toEqual([]);
    expect(rm.getPosition('X')!.trailingStop).toBeCloseTo(97.41, 10);
    const [trade] = rm.updatePositions({ X: bar(96.5, 98, 96, 97.8) }, at(3));
    expect(trade!.exitReason).toBe('trailing_stop');
    expect(trade!.exitPrice).toBeCloseTo(97.41, 10);
    expect(trade!.pnl).toBeCloseTo(25.9, 9);
  });

  it('time stop', () => {
    expect(holding('short').updatePositions({ X: 99 }, at(30, 14))[0]).toMatchObject({ exitReason: 'time_stop', exitPrice: 99, pnl: 10 });
  });
});

describe('commission in the standalone API', () => {
  it('charges commissionPct on both legs and reports it in the trade', () => {
    const rm = new RiskManager({ commissionPct: 0.001 });
    rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 10, entryDate: at(0) });
    expect(rm.getCash()).toBe(10_000 - 1000 - 1);
    const [trade] = rm.updatePositions({ X: bar(101, 106, 100, 104) }, at(1));
    expect(trade!.commission).toBeCloseTo(1 + 1.05, 12);
    expect(trade!.pnl).toBeCloseTo(50 - 2.05, 12);
    expect(rm.getCash()).toBeCloseTo(10_000 + 50 - 2.05, 9);
  });
});
