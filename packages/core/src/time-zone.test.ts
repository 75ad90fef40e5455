import { describe, expect, it } from 'vitest';
import { isAlgoTradingError } from './errors';
import { checkTimeZone, fromWallClock, toWallClock, zoneOffsetAt } from './time-zone';

const HOUR = 3_600_000;
const utc = (y: number, m: number, d: number, h = 0, min = 0): number => Date.UTC(y, m - 1, d, h, min);

describe('time zones', () => {
  it('offsets and wall-clock conversions across New York DST changes', () => {
    expect(zoneOffsetAt('America/New_York', utc(2024, 1, 15))).toBe(-5 * HOUR);
    expect(zoneOffsetAt('America/New_York', utc(2024, 7, 15))).toBe(-4 * HOUR);
    expect(toWallClock('Asia/Kolkata', utc(2024, 1, 1))).toBe(utc(2024, 1, 1, 5, 30));
    // Midnight of 2024-03-10 (EST) and of 2024-11-04 (EST again).
    expect(fromWallClock('America/New_York', utc(2024, 3, 10))).toBe(utc(2024, 3, 10, 5));
    expect(fromWallClock('America/New_York', utc(2024, 3, 11))).toBe(utc(2024, 3, 11, 4));
    // 01:30 on 2024-11-03 happens twice: the earlier (EDT) instant.
    expect(fromWallClock('America/New_York', utc(2024, 11, 3, 1, 30))).toBe(utc(2024, 11, 3, 5, 30));
    // 02:30 on 2024-03-10 does not exist: read with the offset before the gap (03:30 EDT).
    expect(fromWallClock('America/New_York', utc(2024, 3, 10, 2, 30))).toBe(utc(2024, 3, 10, 7, 30));
  });
});

describe('checkTimeZone', () => {
  it('accepts IANA zones and rejects others with INVALID_CONFIG naming the value', () => {
    expect(() => checkTimeZone('Europe/Paris')).not.toThrow();
    let caught: unknown;
    try {
      checkTimeZone('Mars/Olympus');
    } catch (error) {
      caught = error;
    }
    expect(isAlgoTradingError(caught, 'INVALID_CONFIG')).toBe(true);
    expect((caught as Error).message).toBe('timeZone must be an IANA time zone such as "America/New_York" or "UTC", got "Mars/Olympus"');
  });

  it('UTC needs no Intl call and Lord Howe has a 30-minute DST shift', () => {
    expect(zoneOffsetAt('UTC', 123_456)).toBe(0);
    expect(zoneOffsetAt('Australia/Lord_Howe', utc(2024, 1, 15))).toBe(11 * HOUR);
    expect(zoneOffsetAt('Australia/Lord_Howe', utc(2024, 7, 15))).toBe(10.5 * HOUR);
  });
});
