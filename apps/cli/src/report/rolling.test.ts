import fc from 'fast-check';
import { sharpeRatio } from '@algo-trading/metrics';
import { describe, expect, it } from 'vitest';
import { rollingSharpe, rollingWindow } from './rolling';

describe('rollingSharpe', () => {
  it('is the headline Sharpe ratio of each trailing window, by hand', () => {
    // Window 3 over [0.01, 0.02, 0.03, 0.02]: means 0.02 and 0.07/3; ddof-1 stds 0.01 and sqrt(1/3) x 0.01.
    const out = rollingSharpe([0.01, 0.02, 0.03, 0.02], 3, 252);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo((0.02 / 0.01) * Math.sqrt(252), 10);
    expect(out[3]).toBeCloseTo((0.07 / 3 / (Math.sqrt(1 / 3) * 0.01)) * Math.sqrt(252), 10);
  });

  it('matches sharpeRatio on every window of random returns (property), NaN on flat windows', () => {
    fc.assert(
      fc.property(
        // Returns on a 0.001% grid up to 5%: realistic values (no subnormal numbers).
        fc.array(fc.integer({ min: -5000, max: 5000 }).map((v) => v / 100_000), { minLength: 2, maxLength: 400 }),
        fc.integer({ min: 2, max: 40 }),
        (returns, window) => {
          const out = rollingSharpe(returns, window, 252);
          for (let t = window - 1; t < returns.length; t++) {
            const expected = sharpeRatio(returns.slice(t - window + 1, t + 1), { periodsPerYear: 252 });
            if (!Number.isFinite(expected) || Math.abs(expected) > 1e6) continue; // flat or near-flat windows
            expect(Math.abs(out[t]! - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
          }
        },
      ),
      { numRuns: 100 },
    );
    const flat = rollingSharpe([0.03, -0.02, 0.01, 0, 0, 0, 0, 0], 4, 252);
    expect(flat[7]).toBeNaN();
  });

  it('chooses half a year of bars, bounded by the run, and rejects a window below 2', () => {
    expect(rollingWindow(252, 5000)).toBe(126);
    expect(rollingWindow(252, 150)).toBe(50);
    expect(rollingWindow(252, 30)).toBe(20);
    expect(rollingWindow(NaN, 5000)).toBe(126);
    expect(() => rollingSharpe([1, 2, 3], 1, 252)).toThrow('window must be an integer of at least 2, got 1');
  });
});
