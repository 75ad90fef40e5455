import type { Logger } from '@algo-trading/core';
import { RiskManager } from '@algo-trading/risk';
import { describe, expect, it } from 'vitest';
import { at, zoneOnly } from './helpers';

function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const log = (level: string) => (a: unknown, b?: unknown) => {
    lines.push({ level, message: typeof a === 'string' ? a : String(b) });
  };
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  return { logger, lines };
}

describe('drawdown zones and the risk multiplier', () => {
  it('moves up and down through every zone with the price, and the kill switch flattens at 20%', () => {
    const { logger, lines } = recordingLogger();
    const rm = new RiskManager({ ...zoneOnly, logger });
    rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 100, entryDate: at(0) }); // all in: cash 0
    expect(rm.getCash()).toBe(0);
    const probe = { symbol: 'Y', quantity: 1, entryPrice: 10, stopLoss: 9, confidence: 0.9 };
    const path: [number, number, string, number][] = [
      // price, drawdown, zone, multiplier
      [96, 0.04, 'NORMAL', 1],
      [95, 0.05, 'CAUTION', 0.5],
      [90, 0.1, 'ALERT', 0.25],
      [85, 0.15, 'EMERGENCY', 0],
      [88, 0.12, 'ALERT', 0.25],
      [94, 0.06, 'CAUTION', 0.5],
      [99, 0.01, 'NORMAL', 1],
      [101, 0, 'NORMAL', 1],
    ];
    path.forEach(([price, drawdown, zone, multiplier], day) => {
      expect(rm.updatePositions({ X: price }, at(day + 1))).toEqual([]);
      const m = rm.getRiskMetrics();
      expect(m.currentDrawdown).toBeCloseTo(drawdown, 12);
      expect(m.drawdownZone).toBe(zone);
      expect(rm.getDrawdownZone()).toBe(zone);
      expect(m.riskMultiplier).toBe(multiplier);
      expect(rm.getRiskMultiplier()).toBe(multiplier);
      const codes = rm.validateTrade(probe).issues.map((i) => i.code);
      expect(codes).toEqual(zone === 'EMERGENCY' ? ['insufficient_balance', 'drawdown_halt'] : ['insufficient_balance']);
      expect(m.tradingHalted).toBe(zone === 'EMERGENCY');
    });
    expect(rm.getRiskMetrics().maxDrawdown).toBeCloseTo(0.15, 12);
    expect(rm.getRiskMetrics().peakEquity).toBe(10_100);

    // 10,100 -> 8,000 is a 20.8% drawdown: the kill switch closes everything at the latest price.
    const closed = rm.updatePositions({ X: 80 }, at(20));
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ symbol: 'X', exitReason: 'emergency', exitPrice: 80, pnl: -2000 });
    const m = rm.getRiskMetrics();
    expect(m).toMatchObject({ openPositions: 0, drawdownZone: 'EMERGENCY', killSwitchCount: 1, equity: 8000, cash: 8000 });
    expect(rm.validateTrade({ ...probe, symbol: 'Z' }).issues.map((i) => i.code)).toEqual(['drawdown_halt']);
    expect(() => rm.openPosition({ symbol: 'Z', entryPrice: 10, quantity: 1, entryDate: at(21) })).toThrow(/drawdown_halt/);

    const transitions = lines.filter((l) => l.message.startsWith('risk: drawdown zone')).map((l) => `${l.level} ${l.message}`);
    expect(transitions).toEqual([
      'warn risk: drawdown zone NORMAL -> CAUTION',
      'warn risk: drawdown zone CAUTION -> ALERT',
      'warn risk: drawdown zone ALERT -> EMERGENCY',
      'info risk: drawdown zone EMERGENCY -> ALERT',
      'info risk: drawdown zone ALERT -> CAUTION',
      'info risk: drawdown zone CAUTION -> NORMAL',
      'warn risk: drawdown zone NORMAL -> EMERGENCY',
    ]);
    expect(lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      'risk: emergency kill switch, flattening every position',
    ]);
  });

  it('uses configured thresholds and multipliers', () => {
    const rm = new RiskManager({
      ...zoneOnly,
      drawdownZones: { caution: 0.02, alert: 0.04, emergency: 0.06, killSwitch: 0.3 },
      zoneRiskMultipliers: { caution: 0.8, alert: 0.4 },
    });
    rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 100, entryDate: at(0) });
    rm.updatePositions({ X: 97 }, at(1));
    expect([rm.getDrawdownZone(), rm.getRiskMultiplier()]).toEqual(['CAUTION', 0.8]);
    rm.updatePositions({ X: 95 }, at(2));
    expect([rm.getDrawdownZone(), rm.getRiskMultiplier()]).toEqual(['ALERT', 0.4]);
    rm.updatePositions({ X: 90 }, at(3));
    expect([rm.getDrawdownZone(), rm.getRiskMultiplier()]).toEqual(['EMERGENCY', 0]);
    expect(rm.getPositions()).toHaveLength(1); // 10% < the 30% kill switch
  });

  it('the kill switch closes every symbol, with a short among them', () => {
    const rm = new RiskManager(zoneOnly);
    rm.openPosition({ symbol: 'A', entryPrice: 100, quantity: 50, entryDate: at(0) });
    rm.openPosition({ symbol: 'B', side: 'short', entryPrice: 50, quantity: 60, entryDate: at(0) });
    // A -30% (-1500), B +40% against the short (-1200): equity 7300, drawdown 27%.
    const closed = rm.updatePositions({ A: 70, B: 70 }, at(1));
    expect(closed.map((t) => [t.symbol, t.exitReason, t.pnl])).toEqual([
      ['A', 'emergency', -1500],
      ['B', 'emergency', -1200],
    ]);
    expect(rm.getEquity()).toBe(7300);
    expect(rm.getCash()).toBe(7300);
  });
});
