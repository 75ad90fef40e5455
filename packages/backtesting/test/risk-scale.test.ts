import { BarSeries } from '@algo-trading/core';
import { RiskManager, type RiskManagerOptions } from '@algo-trading/risk';
import { FixedFractionalSizing } from '@algo-trading/sizing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestEngine, type BacktestEngineOptions } from '../src/index';
import { DAY, T0, bars, flat, ohlcPath, recordingSizer, rejects, signalsOf } from './helpers';

// An external risk scale (e.g. a regime policy's multiplier per bar) given to the risk manager
// inside the engine: composed with the drawdown zone's multiplier at each mark, it scales every
// sized entry. Sizes below are computed by hand from fixed-fractional sizing: 0.5% of equity x
// the multiplier over the 3% stop distance, whole units.

function engineWith(risk: RiskManagerOptions, options: Partial<BacktestEngineOptions> = {}) {
  const sizer = recordingSizer(new FixedFractionalSizing({ riskFraction: 0.005, maxPositionFraction: 0.25 }));
  const riskManager = new RiskManager(risk);
  const engine = new BacktestEngine({ initialCapital: 10_000, riskManager, positionSizer: sizer, commissionPct: 0, slippageBps: 0, ...options });
  return { engine, sizer, riskManager };
}

const timesOf = (n: number) => Array.from({ length: n }, (_, i) => T0 + i * DAY);

describe('risk scale inside the engine', () => {
  it('a 0.5 scale halves the entry risk: 16 units become 8', async () => {
    const data = flat([100, 100, 100, 100]);
    const plain = engineWith({});
    const scaled = engineWith({ riskScale: { time: data.time, values: [0.5, 0.5, 0.5, 0.5] } });
    await plain.engine.runBacktest({ data, signals: [1, 0, 0, 0] });
    await scaled.engine.runBacktest({ data, signals: [1, 0, 0, 0] });
    // 10,000 x 0.5% / 3 = 16.67 -> 16; x 0.5: 8.33 -> 8.
    expect(plain.engine.getFills()[0]).toMatchObject({ barIndex: 1, quantity: 16, price: 100 });
    expect(scaled.engine.getFills()[0]).toMatchObject({ barIndex: 1, quantity: 8, price: 100 });
    expect(plain.sizer.requests[0]!.riskMultiplier).toBe(1);
    expect(scaled.sizer.requests[0]!.riskMultiplier).toBe(0.5);
  });

  it('is causal: a next-open fill uses the scale of the decision bar, a close fill that of its own bar', async () => {
    const data = flat([100, 100, 100, 100]);
    // values[1] = 0.5 is known only at bar 1's close: the next-open fill at bar 1 must not use it.
    const riskScale = { time: data.time, values: [1, 0.5, 1, 1] };
    const nextOpen = engineWith({ riskScale });
    await nextOpen.engine.runBacktest({ data, signals: [1, 0, 0, 0] });
    expect(nextOpen.engine.getFills()[0]).toMatchObject({ barIndex: 1, quantity: 16 });
    // With close fills, the signal of bar 1 fills at bar 1's close, after its mark: values[1].
    const atClose = engineWith({ riskScale }, { fillAt: 'close' });
    await atClose.engine.runBacktest({ data, signals: [0, 1, 0, 0] });
    expect(atClose.engine.getFills()[0]).toMatchObject({ barIndex: 1, quantity: 8 });
  });

  it('composes with the drawdown zone by the product (CAUTION 0.5 x scale 0.5 = 0.25)', async () => {
    // Trade 1: 16 units at 100, hard stop 97 at bar 2: -48, equity 9,952, drawdown 0.48%: CAUTION
    // under a 0.4% CAUTION threshold. Trade 2 is decided at bar 2's close, filled at bar 3's open.
    const data = bars([
      [100, 100, 100, 100],
      [100, 100.5, 99.5, 100],
      [99, 99.5, 96, 98],
      [100, 100, 100, 100],
      [100, 100, 100, 100],
    ]);
    const zones = { drawdownZones: { caution: 0.004, alert: 0.1, emergency: 0.15, killSwitch: 0.2 } } as const;
    const signals = [1, 0, 1, 0, 0];
    const plain = engineWith(zones);
    const scaled = engineWith({ ...zones, riskScale: { time: data.time, values: [1, 1, 0.5, 1, 1] } });
    await plain.engine.runBacktest({ data, signals });
    await scaled.engine.runBacktest({ data, signals });
    for (const run of [plain, scaled]) {
      expect(run.engine.getTrades()[0]).toMatchObject({ quantity: 16, exitBarIndex: 2, exitReason: 'hard_stop', pnl: -48 });
    }
    // Zone alone: 9,952 x 0.5% x 0.5 / 3 = 8.29 -> 8; with the scale: x 0.25: 4.15 -> 4.
    expect(plain.engine.getFills()[2]).toMatchObject({ barIndex: 3, quantity: 8 });
    expect(scaled.engine.getFills()[2]).toMatchObject({ barIndex: 3, quantity: 4 });
    expect(plain.sizer.requests[1]!.riskMultiplier).toBe(0.5);
    expect(scaled.sizer.requests[1]!.riskMultiplier).toBe(0.25);
    expect(scaled.riskManager.getRiskMetrics()).toMatchObject({ zoneRiskMultiplier: 0.5, riskScale: 1, riskMultiplier: 0.5 });
  });

  it('a scale of 0 refuses the entry as a halt', async () => {
    const data = flat([100, 100, 100]);
    const { engine } = engineWith({ riskScale: { time: data.time, values: [0, 1, 1] } });
    const results = await engine.runBacktest({ data, signals: [1, 0, 0] });
    expect(results.tradeCount + results.openPositions.length).toBe(0);
    const [rejection] = engine.getRejections();
    expect(rejection!.barIndex).toBe(1);
    expect(rejection!.reasons[0]).toMatchObject({ code: 'drawdown_halt' });
    expect(rejection!.reasons[0]!.message).toMatch(/risk scale of 0/);
  });

  it('a scale of 1 everywhere gives exactly the unscaled run (random paths and signals)', async () => {
    await fc.assert(
      fc.asyncProperty(
        ohlcPath(2, 40).chain((series) => fc.record({ series: fc.constant(series), signals: signalsOf(series.length) })),
        async ({ series, signals }) => {
          const plain = engineWith({});
          const ones = engineWith({ riskScale: { time: series.time, values: new Float64Array(series.length).fill(1) } });
          const a = await plain.engine.runBacktest({ data: series, signals });
          const b = await ones.engine.runBacktest({ data: series, signals });
          expect(b.finalEquity).toBe(a.finalEquity);
          expect(ones.engine.getFills()).toEqual(plain.engine.getFills());
          expect(Array.from(ones.engine.getEquityCurve().equity)).toEqual(Array.from(plain.engine.getEquityCurve().equity));
          expect(ones.engine.getRejections()).toEqual(plain.engine.getRejections());
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a scaled entry is at most the unscaled size times the scale of its decision bar (random scales)', async () => {
    await fc.assert(
      fc.asyncProperty(
        ohlcPath(2, 40).chain((series) =>
          fc.record({
            series: fc.constant(series),
            values: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: series.length, maxLength: series.length }),
          }),
        ),
        async ({ series, values }) => {
          // One entry at bar 1's open: the scale of bar 0 bounds its size (the risk budget binds:
          // 0.5% over a 3% stop is 16.7% of equity, below the 25% cap, so the size is linear in it).
          const signals = Array.from({ length: series.length }, (_, i) => (i === 0 ? 1 : 0));
          const plain = engineWith({});
          const scaled = engineWith({ riskScale: { time: series.time, values } });
          await plain.engine.runBacktest({ data: series, signals });
          await scaled.engine.runBacktest({ data: series, signals });
          const unscaled = plain.engine.getFills()[0]?.quantity ?? 0;
          const quantity = scaled.engine.getFills()[0]?.quantity ?? 0;
          expect(quantity).toBeLessThanOrEqual(Math.ceil(unscaled * values[0]!));
          if (scaled.sizer.requests.length > 0) expect(scaled.sizer.requests[0]!.riskMultiplier).toBe(values[0]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('several symbols on different clocks: a fill uses the value read at the last mark before it (as of its time)', async () => {
    // A trades at midnight, B at noon: the run walks the union, 8 slices. The scale is daily, keyed by A's times.
    const HALF_DAY = DAY / 2;
    const a = flat([100, 100, 100, 100], 'A');
    const b = BarSeries.fromRows(
      [0, 1, 2, 3].map((i) => ({ time: T0 + HALF_DAY + i * DAY, open: 100, high: 100, low: 100, close: 100, volume: 1000 })),
      { symbol: 'B' },
    );
    const { engine, sizer } = engineWith({ maxPortfolioHeat: null, riskScale: { time: a.time, values: [1, 0.5, 0.25, 1] } });
    await engine.runBacktest({ data: { A: a, B: b }, signals: { A: [1, 0, 0, 0], B: [1, 0, 0, 0] } });
    // A: decided at day 0 (slice 0), filled at day 1's open (slice 2); the last mark before it is
    // slice 1 (day 0, noon), as of which the scale is day 0's 1: 16 units.
    // B: decided at day 0 noon (slice 1), filled at day 1 noon's open (slice 3); the last mark is
    // slice 2 (day 1), whose scale is 0.5: 8 units. Never a value after the fill's time.
    // (A's bars end a slice before the run's: its position closes then; only the entries matter here.)
    expect(engine.getFills().filter((f) => f.reason === 'entry').map((f) => [f.symbol, f.quantity])).toEqual([
      ['A', 16],
      ['B', 8],
    ]);
    expect(sizer.requests.map((r) => r.riskMultiplier)).toEqual([1, 0.5]);
  });

  it('refuses a run whose bars start before the series, before the first bar', async () => {
    const data = flat([100, 100, 100]);
    const { engine } = engineWith({ riskScale: { time: timesOf(3).map((t) => t + DAY), values: [1, 1, 1] } });
    await rejects(engine.runBacktest({ data, signals: [1, 0, 0] }), 'INVALID_STATE', 'riskScale has no multiplier at 2024-01-01T00:00:00.000Z');
  });
});
