import { describe, expect, it } from 'vitest';
import { drawdownPeriods, drawdownSeries, longestDrawdownOf, maxDrawdown } from './drawdown';

const DAY = 86_400_000;

describe('maxDrawdown', () => {
  it('counts the start as the first peak', () => {
    expect(maxDrawdown([-0.1, 0.05])).toBeCloseTo(-0.1, 15);
    expect(maxDrawdown([0.2, -0.5, 0.1])).toBeCloseTo(-0.5, 15);
  });
});

describe('drawdownSeries', () => {
  it('equity over its running peak minus 1', () => {
    expect(Array.from(drawdownSeries([100, 120, 90, 130]))).toEqual([0, 0, 90 / 120 - 1, 0]);
    expect(Array.from(drawdownSeries([90, 110], { initialValue: 100 }))).toEqual([90 / 100 - 1, 0]);
    expect(drawdownSeries([]).length).toBe(0);
  });
});

describe('drawdownPeriods', () => {
  const equity = [100, 120, 90, 100, 130, 117, 125, 140, 126];
  const times = equity.map((_, i) => Date.UTC(2024, 0, 1) + i * 2 * DAY);

  it('finds episodes, deepest first, with peak, valley, recovery and durations', () => {
    const periods = drawdownPeriods(equity, { times });
    expect(periods.map((p) => [p.peakIndex, p.valleyIndex, p.recoveryIndex])).toEqual([
      [1, 2, 4],
      [4, 5, 7],
      [7, 8, null],
    ]);
    const [first, second, third] = periods;
    expect(first!.depth).toBeCloseTo(-0.25, 15);
    expect(first!.peakValue).toBe(120);
    expect(first!.valleyValue).toBe(90);
    expect(first!.durationBars).toBe(3);
    expect(first!.durationDays).toBe(6);
    expect(first!.peakTime).toBe(times[1]);
    expect(first!.valleyTime).toBe(times[2]);
    expect(first!.recoveryTime).toBe(times[4]);
    expect(second!.depth).toBeCloseTo(-0.1, 15);
    expect(third!.depth).toBeCloseTo(-0.1, 15); // tie with the second: earlier first
    expect(third!.recoveryTime).toBeNull();
    expect(third!.durationBars).toBe(1); // still open: to the last bar
  });

  it('top limits the count; no times gives null times and NaN days', () => {
    const periods = drawdownPeriods(equity, { top: 1 });
    expect(periods).toHaveLength(1);
    expect(periods[0]!.peakTime).toBeNull();
    expect(periods[0]!.durationDays).toBeNaN();
    expect(drawdownPeriods([100, 101, 102])).toEqual([]);
    expect(() => drawdownPeriods(equity, { top: 0 })).toThrow(/top/);
    expect(() => drawdownPeriods(equity, { times: times.slice(1) })).toThrow(/times must have one entry per equity value/);
  });

  it('initialValue is the first peak (attributed to bar 0)', () => {
    const [period] = drawdownPeriods([90, 95, 101], { initialValue: 100 });
    expect(period).toMatchObject({ peakIndex: 0, valleyIndex: 0, recoveryIndex: 2, peakValue: 100, valleyValue: 90, durationBars: 2 });
  });
});

describe('longestDrawdownOf', () => {
  it('longest episode in bars and in days; NaN for an empty curve', () => {
    const equity = Float64Array.of(100, 90, 100, 99, 98, 97, 96);
    const times = Float64Array.from(equity, (_, i) => i * DAY * (i > 2 ? 3 : 1));
    expect(longestDrawdownOf(equity, undefined, times)).toEqual({ bars: 4, days: (18 - 2) });
    expect(longestDrawdownOf(equity, undefined, undefined).days).toBeNaN();
    expect(longestDrawdownOf(Float64Array.of(1, 2), undefined, undefined)).toEqual({ bars: 0, days: Number.NaN });
    expect(longestDrawdownOf(new Float64Array(0), undefined, undefined).bars).toBeNaN();
  });
});
