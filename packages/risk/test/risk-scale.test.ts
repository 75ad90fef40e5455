import { catchAlgoTradingError } from '@algo-trading/core';
import { RiskManager, type RiskManagerOptions } from '@algo-trading/risk';
import { describe, expect, it } from 'vitest';
import { at, expectError, zoneOnly } from './helpers';
import { FakePortfolio } from './portfolio';

// A regime-like scale over five days: full risk, then half, then a quarter.
const scale = { time: [at(0), at(1), at(2), at(3), at(4)], values: [1, 1, 0.5, 0.5, 0.25] };

describe('RiskManager riskScale: an external multiplier composed with the zone', () => {
  it('is read as of each mark, held between marks, and 1 before the first mark', () => {
    const rm = new RiskManager({ ...zoneOnly, riskScale: scale });
    expect(rm.getRiskScale()).toBe(1);
    expect(rm.getRiskMultiplier()).toBe(1);
    const expected = [1, 1, 0.5, 0.5, 0.25];
    for (let day = 0; day < 5; day++) {
      rm.updatePositions({}, at(day));
      expect(rm.getRiskScale(), `day ${day}`).toBe(expected[day]);
      expect(rm.getRiskMultiplier(), `day ${day}`).toBe(expected[day]); // NORMAL zone: x 1
    }
    // As of: a mark between two entries reads the earlier one; after the last, the last holds.
    rm.reset({ initialCapital: 10_000 });
    expect(rm.getRiskScale()).toBe(1);
    rm.updatePositions({}, at(2, 20)); // after time[2], before time[3]
    expect(rm.getRiskScale()).toBe(0.5);
    rm.updatePositions({}, at(9));
    expect(rm.getRiskScale()).toBe(0.25);
  });

  it('composes with the drawdown zone by the product (hand-computed)', () => {
    const rm = new RiskManager({ ...zoneOnly, riskScale: scale });
    rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 100, entryDate: at(0, 10) }); // all in
    // Day 0: price 94, drawdown 6%: CAUTION (0.5) x scale 1 = 0.5.
    rm.updatePositions({ X: 94 }, at(0));
    expect(rm.getRiskMultiplier()).toBe(0.5);
    // Day 2: price 90, drawdown 10%: ALERT (0.25) x scale 0.5 = 0.125.
    rm.updatePositions({ X: 90 }, at(2));
    expect(rm.getRiskMultiplier()).toBe(0.125);
    const m = rm.getRiskMetrics();
    expect(m.drawdownZone).toBe('ALERT');
    expect(m.zoneRiskMultiplier).toBe(0.25);
    expect(m.riskScale).toBe(0.5);
    expect(m.riskMultiplier).toBe(0.125);
    expect(rm.getSummary()).toContain('zone ALERT, risk multiplier 0.125 (zone 0.25 x risk scale 0.5000)');
    // Day 4: back to the peak: NORMAL (1) x scale 0.25.
    rm.updatePositions({ X: 100 }, at(4));
    expect(rm.getRiskMultiplier()).toBe(0.25);
    // The EMERGENCY zone's 0 stays 0 whatever the scale.
    rm.setRiskScale(1);
    rm.updatePositions({ X: 85 }, at(5));
    expect(rm.getRiskMetrics().drawdownZone).toBe('EMERGENCY');
    expect(rm.getRiskMultiplier()).toBe(0);
  });

  it('as a RiskGate inside an engine: mark(view) reads the scale at the view time', () => {
    const rm = new RiskManager({ ...zoneOnly, riskScale: scale });
    const view = new FakePortfolio(10_000);
    rm.reset({ initialCapital: 10_000, time: at(0), expectedPeriods: 5 });
    // Before the first mark (e.g. a fill at the first bar's open): 1, nothing known yet.
    expect(rm.getRiskMultiplier()).toBe(1);
    const seen: number[] = [];
    for (let day = 0; day < 5; day++) {
      rm.mark(view.mark(at(day)));
      seen.push(rm.getRiskMultiplier());
    }
    expect(seen).toEqual([1, 1, 0.5, 0.5, 0.25]);
    // A new run reads the series from its start again.
    rm.reset({ initialCapital: 10_000, time: at(0) });
    rm.mark(view.mark(at(0)));
    expect(rm.getRiskMultiplier()).toBe(1);
  });

  it('a scale of 1 everywhere is exactly no scale', () => {
    const ones = { time: scale.time, values: [1, 1, 1, 1, 1] };
    const a = new RiskManager({ ...zoneOnly, riskScale: ones });
    const b = new RiskManager(zoneOnly);
    for (const rm of [a, b]) rm.openPosition({ symbol: 'X', entryPrice: 100, quantity: 100, entryDate: at(0, 10) });
    [97, 94, 91, 96, 100].forEach((price, day) => {
      a.updatePositions({ X: price }, at(day));
      b.updatePositions({ X: price }, at(day));
      expect(a.getRiskMultiplier()).toBe(b.getRiskMultiplier());
    });
    expect({ ...a.getRiskMetrics() }).toEqual({ ...b.getRiskMetrics() });
  });

  it('setRiskScale: a constant applies at once, a series from the last mark, null removes it', () => {
    const rm = new RiskManager(zoneOnly);
    rm.setRiskScale(0.4);
    expect(rm.getRiskMultiplier()).toBe(0.4);
    rm.updatePositions({}, at(2));
    expect(rm.getRiskScale()).toBe(0.4); // a constant holds through marks
    rm.setRiskScale(scale);
    expect(rm.getRiskScale()).toBe(0.5); // as of the last mark, at(2)
    rm.updatePositions({}, at(4));
    expect(rm.getRiskScale()).toBe(0.25);
    rm.setRiskScale(null);
    expect(rm.getRiskMultiplier()).toBe(1);
    // The manager keeps a copy: later changes to the caller's arrays do not reach it.
    const values = [0.3];
    const time = [at(0)];
    rm.setRiskScale({ time, values });
    values[0] = 0.9;
    expect(rm.getRiskScale()).toBe(0.3);
  });

  it('rejects bad series with typed errors naming the index and the value', () => {
    const config = (riskScale: unknown) => catchAlgoTradingError(() => new RiskManager({ riskScale } as RiskManagerOptions), 'INVALID_CONFIG');
    expect(config({ time: [1, 2, 3], values: [1, Number.NaN, 1] }).message).toBe('riskScale.values[1] must be a multiplier in [0, 1], got NaN');
    expect(config({ time: [1, 2, 3], values: [1, 1, -0.5] }).details).toMatchObject({ field: 'riskScale', index: 2, value: -0.5 });
    expect(config({ time: [1, 2, 3], values: [1, 1] }).message).toMatch(/riskScale\.time has 3 entries, riskScale\.values 2/);
    expect(config({ time: [2, 1], values: [1, 1] }).message).toMatch(/riskScale\.time\[1\]/);
    expect(config(1.5).message).toMatch(/riskScale/);
    expect(config([1, 0.5]).message).toMatch(/riskScale/);
    const rm = new RiskManager();
    expectError(() => rm.setRiskScale({ time: [1, 2], values: [0.5, 2] }), 'INVALID_ARGUMENT', /riskScale\.values\[1\] must be a multiplier in \[0, 1\], got 2/);
    expectError(() => rm.setRiskScale(Number.NaN), 'INVALID_ARGUMENT', /riskScale must be a multiplier in \[0, 1\].*got NaN/);
    expectError(() => rm.setRiskScale(-1), 'INVALID_ARGUMENT', /got -1/);
    expect(rm.getRiskScale()).toBe(1); // a refused input changes nothing
    // Mid-run, a series that starts after the last mark is refused and changes nothing.
    rm.setRiskScale(0.7);
    rm.updatePositions({}, at(1));
    expectError(() => rm.setRiskScale({ time: [at(2)], values: [0.5] }), 'INVALID_STATE', /riskScale has no multiplier/);
    expect(rm.getRiskScale()).toBe(0.7);
  });

  it('refuses a run the series does not cover, before its first bar', () => {
    const rm = new RiskManager({ riskScale: scale });
    expectError(() => rm.reset({ initialCapital: 10_000, time: at(-1) }), 'INVALID_STATE', /riskScale has no multiplier at 2024-01-01T15:00:00\.000Z: its first time is 2024-01-02T15:00:00\.000Z/);
    const standalone = new RiskManager({ riskScale: scale });
    expectError(() => standalone.updatePositions({}, at(-1)), 'INVALID_STATE', /riskScale has no multiplier/);
    // Nothing was marked: the next period in range still works.
    standalone.updatePositions({}, at(0));
    expect(standalone.getRiskMetrics().periods).toBe(1);
  });
});
