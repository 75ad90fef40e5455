import { catchAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { TradingDayClock } from './trading-day';

const utc = Date.UTC;

describe('TradingDayClock', () => {
  it('counts UTC days by default', () => {
    const clock = new TradingDayClock();
    expect(clock.timeZone).toBe('UTC');
    expect(clock.dayEnd(utc(2024, 0, 2, 15, 30))).toBe(utc(2024, 0, 3));
    expect(clock.dayEnd(utc(2024, 0, 2))).toBe(utc(2024, 0, 3));
    expect(clock.dayEnd(utc(2024, 0, 2, 23, 59, 59, 999))).toBe(utc(2024, 0, 3));
    expect(clock.dayStart(utc(2024, 0, 2, 15, 30))).toBe(utc(2024, 0, 2));
  });

  it('counts New York days, across both DST changes', () => {
    const clock = new TradingDayClock('America/New_York');
    // Winter: UTC-5. 2024-01-02 22:00 NY is 03:00Z on Jan 3; the day ends at 05:00Z.
    expect(clock.dayEnd(utc(2024, 0, 3, 3))).toBe(utc(2024, 0, 3, 5));
    expect(clock.dayStart(utc(2024, 0, 3, 3))).toBe(utc(2024, 0, 2, 5));
    // 2024-03-10 has 23 hours: starts 05:00Z (EST), ends 04:00Z on Mar 11 (EDT).
    expect(clock.dayStart(utc(2024, 2, 10, 12))).toBe(utc(2024, 2, 10, 5));
    expect(clock.dayEnd(utc(2024, 2, 10, 12))).toBe(utc(2024, 2, 11, 4));
    // 2024-11-03 has 25 hours: starts 04:00Z (EDT), ends 05:00Z on Nov 4 (EST).
    expect(clock.dayStart(utc(2024, 10, 3, 12))).toBe(utc(2024, 10, 3, 4));
    expect(clock.dayEnd(utc(2024, 10, 3, 12))).toBe(utc(2024, 10, 4, 5));
  });

  it('finds the first instant of a day whose midnight does not exist (Santiago, DST at 00:00)', () => {
    const clock = new TradingDayClock('America/Santiago');
    // On 2024-09-08 Chilean clocks jump from 00:00 to 01:00 (-04 -> -03): the day starts at 04:00Z.
    expect(clock.dayEnd(utc(2024, 8, 7, 12))).toBe(utc(2024, 8, 8, 4));
    expect(clock.dayStart(utc(2024, 8, 8, 12))).toBe(utc(2024, 8, 8, 4));
  });

  it('starts a day whose midnight is shown twice at the earlier instant (Havana, DST ends at 01:00 -> 00:00)', () => {
    const clock = new TradingDayClock('America/Havana');
    // On 2024-11-03 Cuban clocks go back from 01:00 CDT (-04) to 00:00 CST (-05): the date began at
    // 00:00 CDT = 04:00Z, and 00:30 CST (05:30Z) is still that date.
    expect(clock.dayStart(utc(2024, 10, 3, 5, 30))).toBe(utc(2024, 10, 3, 4));
    expect(clock.dayEnd(utc(2024, 10, 3, 5, 30))).toBe(utc(2024, 10, 4, 5));
  });

  it('counts days east of UTC', () => {
    const clock = new TradingDayClock('Asia/Tokyo');
    expect(clock.dayEnd(utc(2024, 0, 2, 14, 59))).toBe(utc(2024, 0, 2, 15));
    expect(clock.dayEnd(utc(2024, 0, 2, 15))).toBe(utc(2024, 0, 3, 15));
  });

  it('rejects an unknown zone with INVALID_CONFIG', () => {
    expect(catchAlgoTradingError(() => new TradingDayClock('Nowhere/Land'), 'INVALID_CONFIG').message).toMatch(
      /timeZone must be an IANA time zone such as "America\/New_York" or "UTC", got "Nowhere\/Land"/,
    );
  });
});
