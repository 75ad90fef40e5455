import { BacktestEngine } from '@algo-trading/backtesting';
import { BarSeries, createSeededRandom, type RiskGate } from '@algo-trading/core';
import { RiskManager } from '@algo-trading/risk';
import { describe, expect, it } from 'vitest';

/** A random walk with valid OHLC and random signals (seeded). */
function randomRun(seed: number, n: number) {
  const rng = createSeededRandom(seed);
  const time: number[] = [], open: number[] = [], high: number[] = [], low: number[] = [], close: number[] = [];
  const signals = new Int8Array(n);
  let price = 100;
  for (let i = 0; i < n; i++) {
    const o = price * (1 + (rng.next() - 0.5) * 0.01);
    const c = o * (1 + (rng.next() - 0.5) * 0.04);
    time.push(Date.UTC(2024, 0, 1) + i * 3_600_000);
    open.push(o);
    close.push(c);
    high.push(Math.max(o, c) * (1 + rng.next() * 0.01));
    low.push(Math.min(o, c) * (1 - rng.next() * 0.01));
    price = c;
    signals[i] = rng.next() < 0.1 ? 1 : rng.next() < 0.1 ? -1 : 0;
  }
  return { data: BarSeries.fromColumns({ time, open, high, low, close }), signals };
}

/** The RiskGate methods of `rm` without its optional index fast paths. */
function withoutFastPaths(rm: RiskManager): RiskGate {
  return {
    reset: (o) => rm.reset(o),
    protectiveLevels: (side, price) => rm.protectiveLevels(side, price),
    getRiskMultiplier: () => rm.getRiskMultiplier(),
    validateTrade: (request) => rm.validateTrade(request),
    onFill: (fill, levels) => rm.onFill(fill, levels),
    checkExit: (symbol, o, h, l, c, t) => rm.checkExit(symbol, o, h, l, c, t),
    get lastExitPrice() {
      return rm.lastExitPrice;
    },
    updatePrice: (symbol, price) => rm.updatePrice(symbol, price),
    markToMarket: (time) => rm.markToMarket(time),
  };
}

describe('RiskGate index fast paths in the engine', () => {
  it('a gate with checkExitAt/markAt and one without give identical runs', async () => {
    for (const seed of [1, 2, 3]) {
      const { data, signals } = randomRun(seed, 600);
      const options = { trailingStopPct: 0.02, timeStopDays: 2, dailyLossLimitPct: 0.02, maxPositionPct: 1, maxPortfolioHeat: 0.99 };
      const fastRm = new RiskManager(options);
      const slowRm = new RiskManager(options);
      const fast = new BacktestEngine({ initialCapital: 10_000, riskManager: fastRm, allowShort: true });
      const slow = new BacktestEngine({ initialCapital: 10_000, riskManager: withoutFastPaths(slowRm), allowShort: true });
      const confidences = new Float64Array(data.length).fill(0.9);
      const a = await fast.runBacktest({ data, signals, confidences });
      const b = await slow.runBacktest({ data, signals, confidences });
      expect(a.fillCount, JSON.stringify(fast.getRejections().slice(0, 2))).toBeGreaterThan(10);
      expect(a).toEqual(b);
      expect(fast.getFills()).toEqual(slow.getFills());
      expect(fast.getTrades()).toEqual(slow.getTrades());
      expect(fast.getEquityCurve()).toEqual(slow.getEquityCurve());
      expect(fast.getCash().toString()).toBe(slow.getCash().toString());
      expect(fastRm.getRiskMetrics()).toEqual(slowRm.getRiskMetrics());
    }
  });
});

describe('the engine and the risk gate reset', () => {
  it('passes the bar count as expectedPeriods, and the gate keeps one return per bar', async () => {
    const { data, signals } = randomRun(11, 300);
    const rm = new RiskManager();
    const seen: unknown[] = [];
    const gate: RiskGate = {
      ...withoutFastPaths(rm),
      reset(options) {
        seen.push(options);
        rm.reset(options);
      },
      get lastExitPrice() {
        return rm.lastExitPrice;
      },
    };
    await new BacktestEngine({ initialCapital: 10_000, riskManager: gate }).runBacktest({ data, signals });
    expect(seen).toEqual([{ initialCapital: 10_000, time: data.time[0], expectedPeriods: 300 }]);
    expect(rm.getReturns()).toHaveLength(300);
  });
});
