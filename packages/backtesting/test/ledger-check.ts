import { Decimal, type Fill } from '@algo-trading/core';
import { expect } from 'vitest';
import type { BacktestEngine, BacktestResults } from '../src/index';

/** Applies one fill to an exact cash amount, the way the engine's ledger books it. */
export function applyFill(cash: Decimal, f: Fill): Decimal {
  const notional = new Decimal(f.price).times(f.quantity);
  return f.side === 'buy' ? cash.minus(notional).minus(f.commission) : cash.plus(notional).minus(f.commission);
}

/**
 * Checks every ledger invariant of docs/trading-rules.md (section 1, invariants) on a finished run, replaying the fills
 * independently: exact Decimal cash; per bar cash and equity = cash + market value (cash >= 0
 * when long only); drawdown >= 0; final equity - initial = realized + unrealized P&L.
 */
export function checkInvariants(
  engine: BacktestEngine,
  results: BacktestResults,
  close: Float64Array,
  initialCapital: number,
  longOnly: boolean,
): void {
  const fills = engine.getFills();
  const curve = engine.getEquityCurve();
  let k = 0;
  let cash = new Decimal(initialCapital);
  let units = 0;
  let moved = 0;
  for (let i = 0; i < close.length; i++) {
    while (k < fills.length && fills[k]!.barIndex === i) {
      const f = fills[k]!;
      cash = applyFill(cash, f);
      units += f.side === 'buy' ? f.quantity : -f.quantity;
      moved += f.price * f.quantity;
      k++;
    }
    // The float mirror stays within 1e-12 of the exact ledger, relative to the money moved.
    expect(Math.abs(curve.cash[i]! - cash.toNumber())).toBeLessThanOrEqual(1e-12 * (initialCapital + moved));
    if (longOnly) {
      expect(units).toBeGreaterThanOrEqual(0);
      expect(cash.gte(0)).toBe(true);
      // The published curve respects the invariant too, not only the exact ledger.
      expect(curve.cash[i]).toBeGreaterThanOrEqual(0);
      expect(curve.equity[i]).toBeGreaterThanOrEqual(0);
    }
    const expected = cash.toNumber() + units * close[i]!;
    expect(Math.abs(curve.equity[i]! - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
    expect(curve.drawdown[i]).toBeGreaterThanOrEqual(0);
  }
  expect(k).toBe(fills.length);
  expect(engine.getCash().eq(cash)).toBe(true);
  const realized = engine.getTrades().reduce((s, t) => s + t.pnl, 0);
  const unrealized = results.openPositions.reduce((s, p) => s + p.unrealizedPnl, 0);
  const change = results.finalEquity - initialCapital;
  expect(Math.abs(change - (realized + unrealized))).toBeLessThanOrEqual(1e-9 * Math.max(initialCapital, Math.abs(results.finalEquity)));
  expect(Math.abs(results.realizedPnl - realized)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(realized)));
}
