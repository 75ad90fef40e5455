import { RiskManager } from '@algo-trading/risk';
import { describe, expect, it } from 'vitest';
import { at, bar } from './helpers';

describe('portfolio heat', () => {
  it('accumulates across symbols and follows prices and trailing stops', () => {
    const rm = new RiskManager();
    rm.openPosition({ symbol: 'A', entryPrice: 100, quantity: 10, entryDate: at(0) }); // stop 97: risk 30
    rm.openPosition({ symbol: 'B', entryPrice: 50, quantity: 20, stopLoss: 48.5, entryDate: at(0) }); // risk 30
    rm.openPosition({ symbol: 'C', side: 'short', entryPrice: 20, quantity: 50, entryDate: at(0) }); // stop 20.6: risk 30
    let m = rm.getRiskMetrics();
    expect(m.openRisk).toBeCloseTo(90, 9);
    expect(m.portfolioHeat).toBeCloseTo(90 / 10_000, 12);
    // A up to 101 (risk 40), B flat, C down to 19.8 (risk (20.6 - 19.8) x 50 = 40): equity 10,020.
    rm.updatePositions({ A: 101, B: 50, C: 19.8 }, at(1));
    m = rm.getRiskMetrics();
    expect(m.equity).toBeCloseTo(10_020, 9);
    expect(m.openRisk).toBeCloseTo(40 + 30 + 40, 9);
    expect(m.portfolioHeat).toBeCloseTo(110 / 10_020, 12);
    // A's high of 103 arms its trailing stop at 100.94 >= entry: its risk drops to 0.
    rm.updatePositions({ A: bar(101, 103, 100.5, 102) }, at(2));
    expect(rm.getPosition('A')!.openRisk).toBe(0);
    expect(rm.getRiskMetrics().openRisk).toBeCloseTo(30 + 40, 9);
  });

  it('rejects the trade that would push heat above the maximum, accepts one exactly at it', () => {
    const rm = new RiskManager();
    rm.openPosition({ symbol: 'A', entryPrice: 100, quantity: 10, stopLoss: 80, entryDate: at(0) }); // risk 200 = 2%
    const tooHot = rm.validateTrade({ symbol: 'B', quantity: 10, entryPrice: 100, stopLoss: 85 }); // +150 -> 3.5%
    expect(tooHot.issues.map((i) => i.code)).toEqual(['portfolio_heat']);
    expect(tooHot.issues[0]!.message).toMatch(/portfolio heat would be 3\.50% \(open risk 200\.00 \+ this trade 150\.00\), above the maximum 3\.00%/);
    expect(() => rm.openPosition({ symbol: 'B', entryPrice: 100, quantity: 10, stopLoss: 85, entryDate: at(0) })).toThrow(/portfolio_heat/);
    expect(rm.validateTrade({ symbol: 'B', quantity: 10, entryPrice: 100, stopLoss: 90 })).toEqual({ isValid: true, issues: [] });
    rm.openPosition({ symbol: 'B', entryPrice: 100, quantity: 10, stopLoss: 90, entryDate: at(0) });
    expect(rm.getRiskMetrics().portfolioHeat).toBeCloseTo(0.03, 12);
  });
});

describe('daily loss limit', () => {
  /** 25 units at 100 with a far stop so that the day's loss, not the stop, is the story. */
  function loaded(options: ConstructorParameters<typeof RiskManager>[0] = {}) {
    const rm = new RiskManager({ maxPortfolioHeat: null, ...options });
    rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 25, stopLoss: 50, entryDate: at(0, 14) });
    return rm;
  }
  const probe = { symbol: 'Y', quantity: 1, entryPrice: 10, stopLoss: 9.7, confidence: 0.9 };

  it('halts new entries once the day loses 3%, for the rest of the day, and resets the next day', () => {
    const rm = loaded();
    rm.updatePositions({ X: 90 }, at(0, 15)); // -250 = 2.5%
    expect(rm.getRiskMetrics()).toMatchObject({ dailyPnl: -250, dailyLossLimitHit: false });
    expect(rm.validateTrade(probe).isValid).toBe(true);
    rm.updatePositions({ X: 88 }, at(0, 16)); // -300 = 3%
    let m = rm.getRiskMetrics();
    expect(m).toMatchObject({ dailyPnl: -300, dailyLossLimitHit: true, tradingHalted: true, haltReasons: ['daily_loss_limit'] });
    expect(m.dailyPnlPct).toBeCloseTo(-0.03, 12);
    expect(rm.validateTrade(probe).issues.map((i) => i.code)).toEqual(['daily_loss_limit']);
    expect(() => rm.openPosition({ ...probe, entryDate: at(0, 17) })).toThrow(/daily_loss_limit: daily loss 3\.00% reached the limit 3\.00%/);
    rm.updatePositions({ X: 95 }, at(0, 18)); // recovers to -125, still halted the same day
    expect(rm.getRiskMetrics().dailyLossLimitHit).toBe(true);
    expect(rm.validateTrade(probe).isValid).toBe(false);
    // A request dated the next day is not blocked by yesterday's limit.
    expect(rm.validateTrade({ ...probe, time: at(1, 9) }).isValid).toBe(true);
    rm.updatePositions({ X: 95 }, at(1, 15));
    m = rm.getRiskMetrics();
    expect(m).toMatchObject({ dailyLossLimitHit: false, dailyPnl: 0, tradingHalted: false });
    expect(rm.validateTrade(probe).isValid).toBe(true);
    rm.openPosition({ ...probe, entryDate: at(1, 16) });
    expect(rm.getPositions().map((p) => p.symbol)).toEqual(['X', 'Y']);
  });

  it('counts realized and unrealized loss against the day starting equity', () => {
    const rm = loaded();
    rm.updatePositions({ X: 96 }, at(0, 15)); // -100
    rm.closePosition({ symbol: 'X', exitPrice: 96, exitDate: at(0, 16) }); // realized -100
    rm.openPosition({ symbol: 'Z', entryPrice: 50, quantity: 40, stopLoss: 25, entryDate: at(0, 17) });
    rm.updatePositions({ Z: 45 }, at(0, 18)); // unrealized -200: day -300
    expect(rm.getRiskMetrics()).toMatchObject({ dailyPnl: -300, dailyLossLimitHit: true });
  });

  it('days follow the timeZone option', () => {
    const utc = loaded();
    const ny = loaded({ timeZone: 'America/New_York' });
    for (const rm of [utc, ny]) rm.updatePositions({ X: 88 }, Date.UTC(2024, 0, 2, 20)); // 15:00 in New York
    // 03:00Z on Jan 3 is a new UTC day but still 22:00 on Jan 2 in New York.
    for (const rm of [utc, ny]) rm.updatePositions({ X: 88 }, Date.UTC(2024, 0, 3, 3));
    expect(utc.getRiskMetrics().dailyLossLimitHit).toBe(false);
    expect(ny.getRiskMetrics().dailyLossLimitHit).toBe(true);
    ny.updatePositions({ X: 88 }, Date.UTC(2024, 0, 3, 5, 30)); // 00:30 on Jan 3 in New York
    expect(ny.getRiskMetrics().dailyLossLimitHit).toBe(false);
  });

  it('can be disabled', () => {
    const rm = loaded({ dailyLossLimitPct: null });
    rm.updatePositions({ X: 80 }, at(0, 15));
    expect(rm.getRiskMetrics().dailyLossLimitHit).toBe(false);
    expect(rm.validateTrade(probe).isValid).toBe(true);
  });
});
