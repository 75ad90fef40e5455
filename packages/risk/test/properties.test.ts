import type { Side } from '@algo-trading/core';
import { RiskManager, zoneForDrawdown, type OhlcPrice } from '@algo-trading/risk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { at } from './helpers';

const SYMBOLS = ['A', 'B', 'C'] as const;

const stepArb = fc.record({
  moves: fc.tuple(...SYMBOLS.map(() => fc.double({ min: -0.06, max: 0.06, noNaN: true }))),
  wicks: fc.tuple(...SYMBOLS.map(() => fc.double({ min: 0, max: 0.03, noNaN: true }))),
  hours: fc.integer({ min: 1, max: 30 }),
  proposal: fc.record({
    symbol: fc.integer({ min: 0, max: 2 }),
    short: fc.boolean(),
    fraction: fc.double({ min: 0.005, max: 0.5, noNaN: true }),
    stopPct: fc.option(fc.double({ min: 0.005, max: 0.2, noNaN: true }), { nil: undefined }),
    confidence: fc.double({ min: 0.3, max: 1, noNaN: true }),
  }),
  close: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
  /** About one bar in fifteen gaps down 22% in aggressive runs (a crash). */
  crash: fc.integer({ min: 0, max: 14 }).map((v) => v === 0),
});

const runArb = fc.record({
  commissionPct: fc.constantFrom(0, 0.001),
  /** Product defaults, or loose per-trade limits and wilder prices so that halts and the kill switch happen. */
  aggressive: fc.boolean(),
  steps: fc.array(stepArb, { minLength: 10, maxLength: 60 }),
});

const AGGRESSIVE = {
  maxPositionPct: 1,
  maxPortfolioHeat: 0.4,
  hardStopPct: 0.3,
  takeProfitPct: 0.5,
  trailingStopPct: null,
  minConfidence: 0.4,
} as const;

/** How often each situation occurred over all runs, to check the properties were exercised. */
const seen = { opened: 0, refusedWhileHalted: 0, drawdownHalt: 0, dailyHalt: 0, trades: 0 };

describe('properties on random price paths (standalone API)', () => {
  it('heat stays within the maximum after every accepted trade, no entry while halted, drawdown and zone agree, P&L sums to the cash change', () => {
    fc.assert(
      fc.property(runArb, ({ commissionPct, aggressive, steps }) => {
        const rm = new RiskManager(aggressive ? { ...AGGRESSIVE, commissionPct } : { commissionPct });
        const maxHeat = rm.options.maxPortfolioHeat!;
        const scale = aggressive ? 2.5 : 1;
        const sizeScale = aggressive ? 2 : 1;
        const drift = aggressive ? -0.02 : 0; // a falling market, so that halts and the kill switch happen
        const zones = rm.options.drawdownZones;
        const prices = [100, 50, 20];
        let time = at(0, 0);
        let pnlSum = 0;
        for (const step of steps) {
          // 1. A proposed entry at the current prices.
          const before = rm.getRiskMetrics();
          const symbol = SYMBOLS[step.proposal.symbol]!;
          const price = prices[step.proposal.symbol]!;
          const side: Side = step.proposal.short && !aggressive ? 'short' : 'long'; // aggressive runs: longs in a falling market
          const quantity = Math.floor((before.equity * step.proposal.fraction * sizeScale) / price);
          if (quantity >= 1 && rm.getPosition(symbol) === undefined) {
            const d = side === 'long' ? 1 : -1;
            const stopPct = step.proposal.stopPct === undefined ? undefined : step.proposal.stopPct * sizeScale;
            const stopLoss = stopPct === undefined ? undefined : price * (1 - d * stopPct);
            const request = { symbol, side, quantity, entryPrice: price, stopLoss, confidence: step.proposal.confidence };
            const verdict = rm.validateTrade({ ...request, commission: commissionPct * quantity * price });
            const codes = verdict.issues.map((i) => i.code);
            if (before.tradingHalted) {
              seen.refusedWhileHalted++;
              if (before.haltReasons.includes('drawdown_halt')) seen.drawdownHalt++;
              if (before.haltReasons.includes('daily_loss_limit')) seen.dailyHalt++;
              expect(verdict.isValid).toBe(false);
              for (const reason of before.haltReasons) expect(codes).toContain(reason);
            }
            if (verdict.isValid) {
              rm.openPosition({ ...request, entryDate: time });
              seen.opened++;
              expect(rm.getRiskMetrics().portfolioHeat).toBeLessThanOrEqual(maxHeat + 1e-12);
            } else {
              const count = rm.getPositions().length;
              expect(() => rm.openPosition({ ...request, entryDate: time })).toThrow();
              expect(rm.getPositions()).toHaveLength(count);
            }
          }
          // 2. Sometimes a manual exit.
          if (step.close !== undefined) {
            const s = SYMBOLS[step.close]!;
            if (rm.getPosition(s) !== undefined) {
              pnlSum += rm.closePosition({ symbol: s, exitPrice: prices[step.close]!, exitDate: time }).pnl;
            }
          }
          // 3. The next bar for every symbol.
          time += step.hours * 3_600_000;
          const bars: Record<string, OhlcPrice> = {};
          SYMBOLS.forEach((s, i) => {
            const open = prices[i]! * (aggressive && step.crash ? 0.78 : 1);
            const close = open * (1 + step.moves[i]! * scale + drift);
            const wick = step.wicks[i]! * scale;
            bars[s] = { open, high: Math.max(open, close) * (1 + wick), low: Math.min(open, close) * (1 - wick), close };
            prices[i] = close;
          });
          for (const trade of rm.updatePositions(bars, time)) pnlSum += trade.pnl;

          const m = rm.getRiskMetrics();
          expect(m.peakEquity).toBeGreaterThanOrEqual(m.equity);
          expect(m.currentDrawdown).toBeCloseTo((m.peakEquity - m.equity) / m.peakEquity, 12);
          expect(zoneForDrawdown(m.currentDrawdown, zones)).toBe(m.drawdownZone);
          expect(m.maxDrawdown).toBeGreaterThanOrEqual(m.currentDrawdown);
          if (m.currentDrawdown >= zones.killSwitch) expect(m.openPositions).toBe(0);
        }
        seen.trades += rm.getTrades().length;
        for (const p of rm.getPositions()) {
          pnlSum += rm.closePosition({ symbol: p.symbol, exitPrice: p.currentPrice, exitDate: time }).pnl;
        }
        const cashChange = rm.getCash() - 10_000;
        expect(Math.abs(pnlSum - cashChange)).toBeLessThan(1e-6);
        expect(rm.getEquity()).toBe(rm.getCash());
        expect(rm.getRiskMetrics().realizedPnl).toBeCloseTo(pnlSum, 6);
      }),
      { numRuns: 300 },
    );
    // The properties above are only meaningful if each situation actually happened.
    expect(seen.opened).toBeGreaterThan(100);
    expect(seen.drawdownHalt).toBeGreaterThan(0);
    expect(seen.dailyHalt).toBeGreaterThan(0);
    expect(seen.trades).toBeGreaterThan(100);
  }, 120_000); // hundreds of random runs: seconds on a quiet machine, far more on a loaded one
});

describe('property of the kill switch', () => {
  it('a crash to 20% below the peak or more closes every position with reason emergency; less keeps them', () => {
    const arb = fc.record({
      weights: fc.array(fc.double({ min: 0.1, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }),
      exposure: fc.double({ min: 0.3, max: 1, noNaN: true }),
      crash: fc.double({ min: 0, max: 0.6, noNaN: true }),
      gain: fc.double({ min: 0, max: 0.1, noNaN: true }),
    });
    fc.assert(
      fc.property(arb, ({ weights, exposure, crash, gain }) => {
        const rm = new RiskManager({ hardStopPct: null, takeProfitPct: null, trailingStopPct: null, dailyLossLimitPct: null });
        const total = weights.reduce((a, b) => a + b, 0);
        const symbols = weights.map((_, i) => `S${i}`);
        weights.forEach((w, i) => {
          const quantity = Math.floor((10_000 * exposure * w) / total);
          if (quantity > 0) rm.openPosition({ symbol: symbols[i]!, entryPrice: 1, quantity, entryDate: at(0), skipChecks: true });
        });
        const up = Object.fromEntries(symbols.map((s) => [s, 1 + gain]));
        expect(rm.updatePositions(up, at(1))).toEqual([]);
        const held = rm.getPositions().length;
        const price = (1 + gain) * (1 - crash);
        const closed = rm.updatePositions(Object.fromEntries(symbols.map((s) => [s, price])), at(2));
        const m = rm.getRiskMetrics();
        if (m.currentDrawdown >= 0.2) {
          expect(closed).toHaveLength(held);
          for (const t of closed) expect(t).toMatchObject({ exitReason: 'emergency', exitPrice: price });
          expect(m.openPositions).toBe(0);
          expect(m.killSwitchCount).toBe(held > 0 ? 1 : 0);
        } else {
          expect(closed).toEqual([]);
          expect(m.openPositions).toBe(held);
        }
        expect(zoneForDrawdown(m.currentDrawdown, rm.options.drawdownZones)).toBe(m.drawdownZone);
      }),
      { numRuns: 300 },
    );
  });
});
