import type { BarSeries, Universe } from '@algo-trading/core';
import { covariance, returnsMatrix } from '@algo-trading/portfolio';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPortfolioRebalanceExample, type PortfolioRebalanceExampleResult, type RebalanceRun } from '../src/portfolio-rebalance';

/**
 * The walk-forward rebalancing example (min-variance vs HRP vs equal weight on the five stocks),
 * tested by properties rather than pinned returns: the weights are a fully invested long-only
 * portfolio, no weight depends on data after its date, the account balances at every slice
 * (rebuilt here from the positions and the closes), and min-variance has the lowest variance of
 * the three on every window it was estimated on.
 */

let run: PortfolioRebalanceExampleResult;

beforeAll(async () => {
  run = await runPortfolioRebalanceExample();
}, 60_000);

const byMethod = (method: string): RebalanceRun => run.runs.find((r) => r.method === method)!;

/** The close of `bars` at its last bar at or before `t` (NaN before its first bar). */
function closeAsOf(bars: BarSeries, t: number): number {
  let price = Number.NaN;
  for (let i = 0; i < bars.length && bars.time[i]! <= t; i++) price = bars.close[i]!;
  return price;
}

/** Each series cut to its bars at or before `t`. */
function truncate(universe: Universe, t: number): Universe {
  const out = new Map<string, BarSeries>();
  for (const [symbol, bars] of universe) {
    let n = 0;
    while (n < bars.length && bars.time[n]! <= t) n++;
    if (n > 0) out.set(symbol, bars.slice(0, n));
  }
  return out;
}

describe('portfolio rebalance example (min-variance, HRP, equal weight on sample:stocks)', () => {
  it('runs the five symbols with every method and compares them side by side', () => {
    expect([...run.universe.keys()]).toEqual(['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT']);
    expect(run.table.map((r) => r.method)).toEqual(['min_variance', 'hrp', 'equal_weight']);
    for (const row of run.table) {
      expect(Number.isFinite(row.totalReturn) && Number.isFinite(row.sharpeRatio) && row.maxDrawdown < 0).toBe(true);
      // 123 months, the first window complete at month 25 (24 returns): 99 monthly rebalances.
      expect(row.rebalances).toBe(99);
    }
    expect(new Set(run.table.map((r) => r.totalReturn.toFixed(6))).size).toBe(3);
  });

  it('sets target weights that are long only and sum to 1 at every rebalance', () => {
    for (const r of run.runs) {
      const { time, weights } = r.schedule;
      for (let k = 0; k < time.length; k++) {
        let sum = 0;
        for (const s of r.schedule.symbols) {
          expect(weights[s]![k]!).toBeGreaterThanOrEqual(-1e-12);
          sum += weights[s]![k]!;
        }
        expect(sum).toBeCloseTo(1, 9);
      }
    }
    // Equal weight: 1/k among the symbols with a full window (GOOG listed in August 2004 joins 24 months later).
    const ew = byMethod('equal_weight').schedule;
    expect(ew.weights.AAPL![0]).toBeCloseTo(1 / 4, 12);
    expect(ew.weights.GOOG![0]).toBe(0);
    expect(ew.weights.AAPL![ew.time.length - 1]).toBeCloseTo(1 / 5, 12);
  });

  it('trades each rebalance to its target within one unit: sells exact, buys cut only when the cash runs out', () => {
    for (const r of run.runs) {
      const { holdings, curve, schedule } = r;
      const time = Array.from(holdings.time);
      for (let k = 0; k < schedule.time.length; k++) {
        const d = time.indexOf(schedule.time[k]!);
        if (d + 1 >= time.length) continue; // the last row has no next open to trade at
        const equity = curve.equity[d]!;
        const cashAfter = curve.cash[d + 1]!;
        let invested = 0;
        for (const [symbol, bars] of run.universe) {
          const price = closeAsOf(bars, time[d]!);
          const before = holdings.positions[symbol]![d]!;
          const after = holdings.positions[symbol]![d + 1]!;
          if (Number.isNaN(price)) {
            // Not listed yet (GOOG before August 2004): no weight, no position.
            expect(schedule.weights[symbol]![k]).toBe(0);
            expect(after).toBe(0);
            continue;
          }
          // The target in whole units at the rebalance close: floor(weight x equity / close).
          const target = Math.floor((schedule.weights[symbol]![k]! * equity) / price + 1e-9);
          if (target < before) expect(after).toBe(target);
          else {
            expect(after).toBeLessThanOrEqual(target);
            // A buy short of its target was cut to the cash: less than one more unit (at the
            // next open with slippage and commission) was left.
            if (after < target) expect(cashAfter).toBeLessThan(closeAsOf(bars, time[d + 1]!) * 1.2);
          }
          invested += (after * price) / equity;
        }
        expect(invested).toBeLessThanOrEqual(1 + 1e-9);
        expect(cashAfter).toBeGreaterThanOrEqual(-1e-6);
      }
    }
  });

  it('keeps equity = cash + every position at its last close, at every slice', () => {
    for (const r of run.runs) {
      const { holdings, curve } = r;
      for (let i = 0; i < holdings.time.length; i++) {
        let value = curve.cash[i]!;
        for (const [symbol, bars] of run.universe) {
          const units = holdings.positions[symbol]![i]!;
          if (units !== 0) value += units * closeAsOf(bars, holdings.time[i]!);
        }
        expect(Math.abs(value - curve.equity[i]!)).toBeLessThan(1e-6 * curve.equity[i]!);
      }
    }
  });

  it('uses no data after a date: truncating the universe there leaves the weights and the equity up to it unchanged', async () => {
    const cut = run.runs[0]!.schedule.time[40]!;
    const short = await runPortfolioRebalanceExample({ universe: truncate(run.universe, cut) });
    for (const [k, r] of run.runs.entries()) {
      const s = short.runs[k]!;
      const rows = s.schedule.time.length;
      expect(rows).toBe(41);
      expect(Array.from(s.schedule.time)).toEqual(Array.from(r.schedule.time.subarray(0, rows)));
      for (const symbol of r.schedule.symbols) expect(Array.from(s.schedule.weights[symbol]!)).toEqual(Array.from(r.schedule.weights[symbol]!.subarray(0, rows)));
      // Every slice before the cut: same equity to the cent (the last slice differs: the truncated
      // run's symbols end there and are sold).
      const slices = s.curve.time.length;
      expect(s.curve.time[slices - 1]).toBe(cut);
      expect(Array.from(s.curve.equity.subarray(0, slices - 1))).toEqual(Array.from(r.curve.equity.subarray(0, slices - 1)));
    }
  }, 60_000);

  it('gives min-variance the lowest variance of the three on every window it was estimated on', () => {
    const R = returnsMatrix(Object.fromEntries(run.universe), { kind: 'simple', align: 'outer' });
    const mv = byMethod('min_variance').schedule;
    const others = [byMethod('hrp').schedule, byMethod('equal_weight').schedule];
    const times = Array.from(R.times!);
    for (let k = 0; k < mv.time.length; k++) {
      const t = times.indexOf(mv.time[k]!);
      const active = mv.symbols.map((_, j) => j).filter((j) => {
        for (let r = t - 23; r <= t; r++) if (Number.isNaN(R.values[r * R.cols + j]!)) return false;
        return true;
      });
      // The window's returns of the symbols with a complete window, rebuilt here row by row.
      const values = new Float64Array(24 * active.length);
      for (let r = 0; r < 24; r++) active.forEach((j, c) => (values[r * active.length + c] = R.values[(t - 23 + r) * R.cols + j]!));
      const window = returnsMatrix({ symbols: active.map((j) => R.symbols[j]!), values, periodsPerYear: R.periodsPerYear!, kind: 'simple' });
      const cov = covariance(window, { method: 'ledoit_wolf', annualize: true });
      const variance = (w: (symbol: string) => number) => {
        let v = 0;
        cov.symbols.forEach((a, i) => cov.symbols.forEach((b, j) => (v += w(a) * w(b) * cov.matrix[i * cov.symbols.length + j]!)));
        return v;
      };
      const own = variance((s) => mv.weights[s]![k]!);
      for (const o of others) expect(own).toBeLessThanOrEqual(variance((s) => o.weights[s]![k]!) * (1 + 1e-6));
    }
  });
});
