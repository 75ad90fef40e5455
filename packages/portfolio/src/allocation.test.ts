import { describe, expect, it } from 'vitest';
import { discreteAllocation } from './allocation';

describe('discreteAllocation (greedy)', () => {
  it('floors each target, then buys the largest affordable deficit (worked by hand)', () => {
    // Targets 500, 300, 200. Round 1: A 16 x 30 = 480, B 6 x 45 = 270, C 28 x 7 = 196; cash left 54.
    // Deficits A 20, B 30, C 4: buy B (45) -> 9 left; only C (7) fits, deficit 4 > 0: buy -> 2 left.
    const result = discreteAllocation({ weights: { A: 0.5, B: 0.3, C: 0.2 }, prices: { A: 30, B: 45, C: 7 }, cash: 1000 });
    expect(result.quantities).toEqual({ A: 16, B: 7, C: 29 });
    expect(result.leftover).toBe(2);
    expect(result.invested).toBe(998);
    expect(result.weights.B).toBeCloseTo(0.315, 15);
  });

  it('counts money exactly and buys whole lots', () => {
    const exact = discreteAllocation({ weights: { A: 0.5, B: 0.5 }, prices: { A: 0.1, B: 0.2 }, cash: 1 });
    expect(exact.quantities).toEqual({ A: 5, B: 2 });
    expect(exact.leftover).toBe(0.1);
    const lots = discreteAllocation({ weights: { A: 1 }, prices: { A: 30 }, cash: 1000, lotSize: 10 });
    expect(lots.quantities).toEqual({ A: 30 });
    expect(lots.leftover).toBe(100);
  });

  it('normalizes the weights and skips zero weights', () => {
    const result = discreteAllocation({ weights: { A: 2, B: 0 }, prices: { A: 10 }, cash: 95 });
    expect(result.quantities).toEqual({ A: 9 });
    expect(result.leftover).toBe(5);
  });

  it('rejects negative weights, missing prices and bad cash', () => {
    expect(() => discreteAllocation({ weights: { A: -0.1, B: 1.1 }, prices: { A: 1, B: 1 }, cash: 10 })).toThrow(/weights.A: expected a weight >= 0 \(long only\)/);
    expect(() => discreteAllocation({ weights: { A: 1 }, prices: {}, cash: 10 })).toThrow(/prices.A must be a finite number > 0/);
    expect(() => discreteAllocation({ weights: { A: 1 }, prices: { A: 1 }, cash: 0 })).toThrow(/cash: expected a number greater than 0/);
    expect(() => discreteAllocation({ weights: { A: 1 }, prices: { A: 1 }, cash: 10, lotSize: 0 })).toThrow(/lotSize/);
  });
});
