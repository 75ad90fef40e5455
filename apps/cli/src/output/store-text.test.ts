import { describe, expect, it } from 'vitest';
import { barTime, runDataLabel, runTime } from './store-text';

describe('store text', () => {
  it('bar times: a date at midnight UTC, else the date-time to the second, or the millisecond', () => {
    expect(barTime(Date.UTC(2024, 0, 2))).toBe('2024-01-02');
    expect(barTime(Date.UTC(2024, 0, 2, 14, 30))).toBe('2024-01-02T14:30:00Z');
    expect(barTime(Date.UTC(2024, 0, 2, 14, 30, 0, 250))).toBe('2024-01-02T14:30:00.250Z');
    expect(runTime(Date.UTC(2024, 0, 2, 9, 5, 7, 999))).toBe('2024-01-02 09:05:07');
  });

  it("a run's data names its series once", () => {
    expect(runDataLabel({ dataSource: 'store:SPY@1d', symbols: ['SPY'], timeframe: '1d' })).toBe('store:SPY@1d');
    expect(runDataLabel({ dataSource: 'sample:sp500', symbols: ['SP500'], timeframe: '1d' })).toBe('sample:sp500 (SP500@1d)');
    expect(runDataLabel({ dataSource: '/data/prices.csv', symbols: [], timeframe: '1d' })).toBe('/data/prices.csv');
    expect(runDataLabel({ dataSource: null, symbols: ['A', 'B'], timeframe: null })).toBe('A,B');
  });
});
