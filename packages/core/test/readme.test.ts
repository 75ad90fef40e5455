import { describe, expect, it } from 'vitest';
import { BarSeries, affordableQuantity, isAlgoTradingError } from '../src/index';

// Keeps the package README's example true.
describe('README example', () => {
  it('builds bars, sizes by cash and names the bad column', () => {
    const bars = BarSeries.fromRows([
      { time: Date.UTC(2024, 0, 2), open: 100, high: 102, low: 99, close: 101, volume: 1_000 },
      { time: Date.UTC(2024, 0, 3), open: 101, high: 103, low: 100, close: 102, volume: 1_200 },
    ]);
    expect(bars.length).toBe(2);
    expect([...bars.close]).toEqual([101, 102]);
    expect(bars.slice(1, 2).at(0)?.close).toBe(102);
    expect(affordableQuantity(10_000, 101, 0.0015, 1)).toBe(98);
    let error: unknown;
    try {
      BarSeries.fromRows([{ time: 1, open: 100, high: 99, low: 98, close: 100, volume: 0 }]);
    } catch (e) {
      error = e;
    }
    expect(isAlgoTradingError(error, 'INVALID_DATA')).toBe(true);
    expect((error as Error).message).toMatch(/high/);
    expect((error as Error).message).toMatch(/99/);
  });
});
