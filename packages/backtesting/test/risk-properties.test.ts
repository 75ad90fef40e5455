import {
  Decimal,
  type ExitReason,
  type Fill,
  type ProtectiveLevels,
  type RiskAction,
  type RiskGate,
  type Side,
  type TradeRequest,
  type TradeValidation,
} from '@algo-trading/core';
import { RiskManager } from '@algo-trading/risk';
import { FixedFractionalSizing } from '@algo-trading/sizing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';
import { ohlcPath, signalsOf } from './helpers';
import { applyFill, checkInvariants } from './ledger-check';

interface Snapshot {
  time: number;
  cash: Decimal;
  equity: number;
  positions: { symbol: string; side: Side; quantity: number }[];
}

/**
 * The real RiskManager behind a spy: after every mark (the end of each bar) it records the
 * manager's exact cash, equity and positions; on every opening fill it checks that trading was
 * not halted.
 */
class SpyGate implements RiskGate {
  readonly snapshots: Snapshot[] = [];
  readonly haltedEntries: Fill[] = [];
  constructor(readonly inner: RiskManager) {}
  reset(options: { readonly initialCapital: number; readonly time?: number }): void {
    this.snapshots.length = 0;
    this.inner.reset(options);
  }
  protectiveLevels(side: Side, entryPrice: number): ProtectiveLevels {
    return this.inner.protectiveLevels(side, entryPrice);
  }
  getRiskMultiplier(): number {
    return this.inner.getRiskMultiplier();
  }
  validateTrade(request: TradeRequest): TradeValidation {
    return this.inner.validateTrade(request);
  }
  onFill(fill: Fill, levels?: ProtectiveLevels): void {
    if (fill.effect === 'open' && (this.inner.getRiskMultiplier() === 0 || this.inner.getRiskMetrics().tradingHalted)) {
      this.haltedEntries.push(fill);
    }
    this.inner.onFill(fill, levels);
  }
  checkExit(symbol: string, open: number, high: number, low: number, close: number, time: number): ExitReason | null {
    return this.inner.checkExit(symbol, open, high, low, close, time);
  }
  get lastExitPrice(): number {
    return this.inner.lastExitPrice;
  }
  updatePrice(symbol: string, price: number): void {
    this.inner.updatePrice(symbol, price);
  }
  markToMarket(time: number): RiskAction {
    const action = this.inner.markToMarket(time);
    this.snapshots.push({
      time,
      cash: this.inner.getCashDecimal(),
      equity: this.inner.getEquity(),
      positions: this.inner.getPositions().map((p) => ({ symbol: p.symbol, side: p.side, quantity: p.quantity })),
    });
    return action;
  }
}

describe('engine and risk manager together, over random paths', () => {
  it('keep the risk manager state equal to the ledger after every bar, and never enter while halted', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        ohlcPath(2, 60).chain((series) =>
          fc.record({
            series: fc.constant(series),
            signals: signalsOf(series.length),
            confidences: fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(Number.NaN)), {
              minLength: series.length,
              maxLength: series.length,
            }),
            fillAt: fc.constantFrom('next_open' as const, 'close' as const),
            allowShort: fc.boolean(),
            closeAtEnd: fc.boolean(),
            commissionPct: fc.constantFrom(0, 0.0015),
            slippageBps: fc.constantFrom(0, 5),
            riskFraction: fc.constantFrom(0.01, 0.05),
            tightZones: fc.boolean(),
          }),
        ),
        async (c) => {
          const spy = new SpyGate(
            new RiskManager({
              minConfidence: 0.3,
              timeStopDays: 5,
              ...(c.tightZones ? { drawdownZones: { normal: 0.002, caution: 0.004, alert: 0.006, emergency: 0.008 } } : {}),
            }),
          );
          const engine = new BacktestEngine({
            initialCapital: 10_000,
            riskManager: spy,
            positionSizer: new FixedFractionalSizing({ riskFraction: c.riskFraction, maxPositionFraction: 0.25 }),
            fillAt: c.fillAt,
            allowShort: c.allowShort,
            closeAtEnd: c.closeAtEnd,
            commissionPct: c.commissionPct,
            slippageBps: c.slippageBps,
          });
          const results = await engine.runBacktest({ data: c.series, signals: c.signals, confidences: c.confidences });
          checkInvariants(engine, results, c.series.close, 10_000, !c.allowShort);
          expect(spy.haltedEntries).toEqual([]);

          // After every bar: exact cash equal to the ledger replayed to that bar, equity and positions equal.
          const fills = engine.getFills();
          const curve = engine.getEquityCurve();
          expect(spy.snapshots).toHaveLength(c.series.length);
          let cash = new Decimal(10_000);
          let k = 0;
          const open = new Map<string, { side: Side; quantity: number }>();
          spy.snapshots.forEach((snap, i) => {
            while (k < fills.length && fills[k]!.barIndex === i) {
              const f = fills[k++]!;
              cash = applyFill(cash, f);
              if (f.effect === 'open') open.set(f.symbol, { side: f.side === 'buy' ? 'long' : 'short', quantity: f.quantity });
              else open.delete(f.symbol);
            }
            expect(snap.time).toBe(c.series.time[i]);
            expect(snap.cash.eq(cash)).toBe(true);
            expect(Math.abs(snap.equity - curve.equity[i]!)).toBeLessThanOrEqual(1e-9 * Math.abs(curve.equity[i]!));
            expect(snap.positions).toEqual([...open].map(([symbol, p]) => ({ symbol, ...p })));
          });
          expect(engine.getCash().eq(spy.inner.getCashDecimal())).toBe(true);
          // The risk manager's closed trades are the engine's.
          expect(spy.inner.getTrades().map((t) => [t.exitBarIndex, t.quantity, t.exitReason])).toEqual(
            engine.getTrades().map((t) => [t.exitBarIndex, t.quantity, t.exitReason]),
          );
          // Every rejection names at least one reason with a known code.
          for (const r of engine.getRejections()) {
            expect(r.reasons.length).toBeGreaterThan(0);
            for (const reason of r.reasons) seen.add(reason.code);
          }
          for (const f of fills) seen.add(f.reason);
        },
      ),
      { numRuns: 200 },
    );
    // The random runs did exercise the stops and the checks.
    for (const expected of ['entry', 'signal', 'hard_stop', 'take_profit', 'trailing_stop', 'time_stop', 'low_confidence', 'halted']) expect(seen).toContain(expected);
  });
});
