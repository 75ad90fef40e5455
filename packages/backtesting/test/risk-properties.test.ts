import type { PortfolioView, ProtectionPlan, ProtectionRequest, RiskAction, RiskGate, Side, TradeRequest, TradeValidation } from '@algo-trading/core';
import { RiskManager } from '@algo-trading/risk';
import { FixedFractionalSizing } from '@algo-trading/sizing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestEngine } from '../src/index';
import { ohlcPath, signalsOf } from './helpers';
import { checkInvariants } from './ledger-check';

interface Mark {
  time: number;
  cash: number;
  equity: number;
  positions: { symbol: string; side: Side; quantity: number }[];
}

/**
 * The real RiskManager behind a spy: it records what the gate reads at every mark (the engine's
 * portfolio view) and every trade check with its answer and the multiplier at that moment.
 */
class SpyGate implements RiskGate {
  readonly marks: Mark[] = [];
  readonly checks: { time: number; valid: boolean; multiplier: number }[] = [];
  constructor(readonly inner: RiskManager) {}
  reset(options: { readonly initialCapital: number; readonly time?: number; readonly expectedPeriods?: number }): void {
    this.marks.length = 0;
    this.checks.length = 0;
    this.inner.reset(options);
  }
  protection(request: ProtectionRequest): ProtectionPlan {
    return this.inner.protection(request);
  }
  getRiskMultiplier(): number {
    return this.inner.getRiskMultiplier();
  }
  validateTrade(request: TradeRequest, portfolio?: PortfolioView): TradeValidation {
    const result = this.inner.validateTrade(request, portfolio);
    this.checks.push({ time: request.time ?? Number.NaN, valid: result.isValid, multiplier: this.inner.getRiskMultiplier() });
    return result;
  }
  mark(portfolio: PortfolioView): RiskAction {
    this.marks.push({
      time: portfolio.time,
      cash: portfolio.cash,
      equity: portfolio.equity,
      positions: portfolio.positions().map((p) => ({ symbol: p.symbol, side: p.side, quantity: p.quantity })),
    });
    return this.inner.mark(portfolio);
  }
}

describe('engine and risk manager together, over random paths', () => {
  it('the gate reads the ledger at every mark, and no entry fills without a passing check while trading is allowed', async () => {
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
              ...(c.tightZones ? { drawdownZones: { caution: 0.002, alert: 0.004, emergency: 0.006, killSwitch: 0.008 } } : {}),
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

          // One mark per bar, at the bar's time; the view is the ledger replayed to the mark (the
          // fills of the bar's open and intrabar path, before the decisions of the bar).
          const fills = engine.getFills();
          expect(spy.marks.map((m) => m.time)).toEqual(Array.from(c.series.time));
          const decidedAtClose = new Set(engine.getOrders().filter((o) => o.role !== 'stop_loss' && o.role !== 'take_profit' && o.role !== 'time_stop').map((o) => o.id));
          spy.marks.forEach((mark, i) => {
            const before = fills.filter((f) => f.barIndex < i || (f.barIndex === i && !(c.fillAt === 'close' && decidedAtClose.has(f.orderId) && engine.getOrders()[f.orderId]!.submittedBarIndex === i)));
            const held = new Map<string, { side: Side; quantity: number }>();
            for (const f of before) {
              if (f.effect === 'open') held.set(f.symbol, { side: f.side === 'buy' ? 'long' : 'short', quantity: (held.get(f.symbol)?.quantity ?? 0) + f.quantity });
              else held.delete(f.symbol);
            }
            if (!(c.closeAtEnd && i === c.series.length - 1) && before.every((f) => f.reason !== 'emergency' || f.barIndex < i)) {
              expect(mark.positions).toEqual([...held].map(([symbol, p]) => ({ symbol, ...p })));
            }
          });
          // Every opening fill passed the checks with a multiplier > 0, and every passing check filled.
          const entries = fills.filter((f) => f.effect === 'open');
          const passed = spy.checks.filter((x) => x.valid);
          expect(passed.length).toBe(entries.length);
          expect(passed.every((x) => x.multiplier > 0)).toBe(true);
          for (const r of engine.getRejections()) {
            expect(r.reasons.length).toBeGreaterThan(0);
            for (const reason of r.reasons) seen.add(reason.code);
          }
          for (const f of fills) seen.add(f.reason);
        },
      ),
      // A fixed seed, so that the last check below is reproducible: on these volatile bars (moves
      // of several percent) most trades end in their first bar at the 3% stop or the 5% target,
      // and a trailing-stop exit shows up in about 1 run in 70 (a random seed missed it in about
      // 1 run of this test in 15).
      { numRuns: 200, seed: 20_240_611 },
    );
    // The runs did exercise the stops and the checks.
    for (const expected of ['entry', 'signal', 'hard_stop', 'take_profit', 'trailing_stop', 'time_stop', 'low_confidence', 'drawdown_halt']) expect(seen).toContain(expected);
  }, 120_000); // 200 random backtests: seconds on a quiet machine, far more on a loaded one
});
