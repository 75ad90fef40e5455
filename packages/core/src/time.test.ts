import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MIN_AUTO_EPOCH,
  describeTime,
  describeTimeProblem,
  detectEpochUnit,
  epochToMs,
  numberToEpochMs,
  parseCompactDate,
  parseIsoTime,
  toEpochMs,
} from './time';

const utc = (y: number, m: number, d: number, h = 0, min = 0, s = 0): number => Date.UTC(y, m - 1, d, h, min, s);

describe('detectEpochUnit', () => {
  it.each([
    [0, 's'],
    [946_684_800, 's'], // 2000-01-01 in seconds
    [99_999_999_999, 's'],
    [1e11, 'ms'], // 1973-03-03 in ms
    [946_684_800_000, 'ms'],
    [99_999_999_999_999, 'ms'],
    [1e14, 'us'],
    [946_684_800_000_000, 'us'],
    [1e17, 'ns'],
    [946_684_800_000_000_000, 'ns'],
    [-946_684_800, 's'],
  ])('%s is %s', (value, unit) => {
    expect(detectEpochUnit(value)).toBe(unit);
  });
});

describe('epochToMs', () => {
  it('converts each unit to milliseconds', () => {
    expect(epochToMs(946_684_800, 's')).toBe(946_684_800_000);
    expect(epochToMs(946_684_800_000, 'ms')).toBe(946_684_800_000);
    expect(epochToMs(946_684_800_000_000, 'us')).toBe(946_684_800_000);
    expect(epochToMs(946_684_800_000_000_000, 'ns')).toBe(946_684_800_000);
    expect(epochToMs(1.5, 's')).toBe(1500);
  });

  it('auto follows the magnitude from 1e8 (1973-03-03 in seconds) on; an explicit unit overrides it', () => {
    expect(MIN_AUTO_EPOCH).toBe(1e8);
    expect(new Date(MIN_AUTO_EPOCH * 1000).toISOString()).toBe('1973-03-03T09:46:40.000Z');
    expect(epochToMs(946_684_800, 'auto')).toBe(946_684_800_000);
    expect(epochToMs(946_684_800_000, 'auto')).toBe(946_684_800_000);
    expect(epochToMs(1e8, 'auto')).toBe(1e11);
    expect(epochToMs(-1e9, 'auto')).toBe(-1e12);
    expect(epochToMs(86_400_000, 'ms')).toBe(86_400_000);
    expect(epochToMs(86_400_000, 's')).toBe(86_400_000_000);
  });

  it('auto refuses magnitudes below 1e8: years, counters and compact dates would land in 1970', () => {
    for (const value of [0, 1, 2020, 20_200_102, 86_400_000, 99_999_999, -5, -99_999_999]) {
      expect(epochToMs(value, 'auto'), String(value)).toBeNaN();
    }
    expect(epochToMs(Number.NaN, 'auto')).toBeNaN();
  });
});

describe('parseCompactDate', () => {
  it('reads YYYYMMDD and YYYYMMDDHHMMSS integers as UTC', () => {
    expect(parseCompactDate(20_200_102)).toBe(utc(2020, 1, 2));
    expect(parseCompactDate(19_991_231)).toBe(utc(1999, 12, 31));
    expect(parseCompactDate(20_240_229)).toBe(utc(2024, 2, 29));
    expect(parseCompactDate(10_000_101)).toBe(utc(1000, 1, 1));
    expect(parseCompactDate(20_200_102_153_045)).toBe(utc(2020, 1, 2, 15, 30, 45));
  });

  it('gives NaN for impossible dates and other lengths', () => {
    for (const value of [20_230_229, 20_201_301, 20_200_100, 20_200_431, 2020, 202_001_021_530, 20_200_102_240_000, 20_200_102_156_000, 20_200_102.5, -20_200_102]) {
      expect(parseCompactDate(value), String(value)).toBeNaN();
    }
  });
});

describe('numberToEpochMs', () => {
  it('auto: compact dates first, then epochs of guessed unit; explicit units are epochs', () => {
    expect(numberToEpochMs(20_200_102, 'auto')).toBe(utc(2020, 1, 2));
    expect(numberToEpochMs(20_200_102, 's')).toBe(20_200_102_000);
    expect(numberToEpochMs(20_200_102, 'ms')).toBe(20_200_102);
    expect(numberToEpochMs(20_200_102_153_045, 'auto')).toBe(utc(2020, 1, 2, 15, 30, 45));
    // A 14-digit number that is no date-time stays an epoch in ms (the year 2286 and later).
    expect(numberToEpochMs(10_000_000_000_000, 'auto')).toBe(10_000_000_000_000);
    expect(numberToEpochMs(1_704_153_600, 'auto')).toBe(utc(2024, 1, 2));
    expect(numberToEpochMs(2020, 'auto')).toBeNaN();
    expect(numberToEpochMs(20_201_332, 'auto')).toBeNaN();
    expect(numberToEpochMs(Infinity, 'ms')).toBeNaN();
  });
});

/** The previous implementation, a regular expression: the scanner must accept and compute the same. */
const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
function referenceIso(text: string): number {
  const m = ISO_PATTERN.exec(text);
  if (m === null) return Number.NaN;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCMonth() !== month - 1) return Number.NaN;
  let ms = d.getTime() + ((hour * 60 + minute) * 60 + second) * 1000;
  if (m[7] !== undefined) ms += Number(`0.${m[7]}`) * 1000;
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return Number.NaN;
    ms -= (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return ms;
}

describe('parseIsoTime', () => {
  it('reads a date alone as UTC midnight', () => {
    expect(parseIsoTime('2000-01-03')).toBe(utc(2000, 1, 3));
    expect(parseIsoTime('2020-02-29')).toBe(utc(2020, 2, 29));
  });

  it('reads date-times without an offset as UTC, with T or a space', () => {
    expect(parseIsoTime('2020-01-03T14:30')).toBe(utc(2020, 1, 3, 14, 30));
    expect(parseIsoTime('2020-01-03t14:30')).toBe(utc(2020, 1, 3, 14, 30));
    expect(parseIsoTime('2020-01-03 14:30:15')).toBe(utc(2020, 1, 3, 14, 30, 15));
    expect(parseIsoTime('2020-01-03T14:30:15.250')).toBe(utc(2020, 1, 3, 14, 30, 15) + 250);
    expect(parseIsoTime('2020-01-03T14:30:15,5')).toBe(utc(2020, 1, 3, 14, 30, 15) + 500);
    expect(parseIsoTime('2020-01-03T14:30:15.123456789')).toBe(utc(2020, 1, 3, 14, 30, 15) + 0.123456789 * 1000);
  });

  it('applies Z and numeric offsets', () => {
    expect(parseIsoTime('2020-01-03T14:30:00Z')).toBe(utc(2020, 1, 3, 14, 30));
    expect(parseIsoTime('2020-01-03T14:30:00z')).toBe(utc(2020, 1, 3, 14, 30));
    expect(parseIsoTime('2020-01-03T14:30:00+02:00')).toBe(utc(2020, 1, 3, 12, 30));
    expect(parseIsoTime('2020-01-03T14:30:00-0500')).toBe(utc(2020, 1, 3, 19, 30));
    expect(parseIsoTime('2020-01-03T00:30+01')).toBe(utc(2020, 1, 2, 23, 30));
    expect(parseIsoTime('2020-01-03 14:30:00 +02:00')).toBe(utc(2020, 1, 3, 12, 30));
  });

  it('gives NaN for impossible dates and other formats (no rollover, no local time)', () => {
    for (const text of [
      '2021-02-29',
      '2023-02-30',
      '2020-13-01',
      '2020-00-10',
      '2020-04-31',
      '2020-01-03T24:00',
      '2020-01-03T12:60',
      '2020-01-03T12:00:60',
      '2020-01-03T12:00+24:00',
      '2020-01-03T12:00+02:',
      '2020-01-03T12:00:00.',
      '2020-01-03T12:00:00.1234567890',
      '2020-01-03Z',
      '2020-01-03T',
      '01/03/2020',
      '01/02/2020',
      '2020/01/03',
      '20200103',
      '2020-1-3',
      '1',
      'yesterday',
      '',
    ]) {
      expect(parseIsoTime(text), text).toBeNaN();
    }
  });

  it('follows the Gregorian leap-year rules', () => {
    expect(parseIsoTime('2000-02-29')).toBe(utc(2000, 2, 29));
    expect(parseIsoTime('2024-02-29')).toBe(utc(2024, 2, 29));
    expect(parseIsoTime('1900-02-29')).toBeNaN();
    expect(parseIsoTime('2023-02-29')).toBeNaN();
    expect(parseIsoTime('2023-12-31')).toBe(utc(2023, 12, 31));
  });

  it('keeps years below 100 as written (no 1900 shift)', () => {
    expect(new Date(parseIsoTime('0050-06-01')).getUTCFullYear()).toBe(50);
  });

  it('property: inverts Date#toISOString for any time in years 1000-9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
        expect(parseIsoTime(new Date(ms).toISOString())).toBe(ms);
      }),
    );
  });

  it('property: accepts and computes exactly what the regular-expression grammar does', () => {
    const pick = (chars: string) => fc.constantFrom(...chars.split(''));
    const piece = fc.oneof(
      fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0')),
      fc.integer({ min: 0, max: 9 }).map(String),
      pick('-:T tzZ+.,0123456789\u00a0x'),
    );
    const isoLike = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.array(piece, { maxLength: 12 }),
      )
      .map(([y, m, d, rest]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}${rest.join('')}`);
    fc.assert(
      fc.property(fc.oneof(isoLike, fc.string({ maxLength: 30 })), (text) => {
        expect(Object.is(parseIsoTime(text), referenceIso(text)) || (Number.isNaN(parseIsoTime(text)) && Number.isNaN(referenceIso(text)))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('toEpochMs', () => {
  it('reads numbers in the unit, Dates, numeric text and ISO text', () => {
    expect(toEpochMs(946_684_800)).toBe(946_684_800_000);
    expect(toEpochMs(5, 'ms')).toBe(5);
    expect(toEpochMs(new Date(utc(2000, 1, 3)), 'ms')).toBe(utc(2000, 1, 3));
    expect(toEpochMs(' 946684800 ', 'auto')).toBe(946_684_800_000);
    expect(toEpochMs('946684800000', 'auto')).toBe(946_684_800_000);
    expect(toEpochMs('2000-01-03', 'ms')).toBe(utc(2000, 1, 3));
  });

  it('recognises YYYYMMDD text and numbers under auto, and refuses 1970 guesses', () => {
    expect(toEpochMs('20200102')).toBe(utc(2020, 1, 2));
    expect(toEpochMs(20_200_102)).toBe(utc(2020, 1, 2));
    expect(toEpochMs('20200102153000')).toBe(utc(2020, 1, 2, 15, 30));
    expect(toEpochMs('2020')).toBeNaN();
    expect(toEpochMs('1')).toBeNaN();
    expect(toEpochMs(2020)).toBeNaN();
    // With the unit stated, the same text is an epoch.
    expect(toEpochMs('20200102', 's')).toBe(20_200_102_000);
    expect(toEpochMs('2020', 'ms')).toBe(2020);
  });

  it('gives NaN for unreadable values', () => {
    expect(toEpochMs(Number.NaN, 'ms')).toBeNaN();
    expect(toEpochMs(Infinity, 'ms')).toBeNaN();
    expect(toEpochMs(null, 'ms')).toBeNaN();
    expect(toEpochMs(undefined, 'ms')).toBeNaN();
    expect(toEpochMs({}, 'ms')).toBeNaN();
    expect(toEpochMs(new Date(Number.NaN), 'ms')).toBeNaN();
    expect(toEpochMs('01/03/2000', 'ms')).toBeNaN();
    expect(toEpochMs('2023-02-30')).toBeNaN();
  });
});

describe('describeTimeProblem', () => {
  it('explains ambiguous numbers with what they would have been', () => {
    expect(describeTimeProblem('2020')).toBe(
      "expected a date or an epoch with a stated unit: a number below 100000000 is ambiguous (as epoch seconds it would be 1970-01-01T00:33:40.000Z); write dates as YYYY-MM-DD or YYYYMMDD, or pass timeUnit 's' or 'ms' when the numbers are epochs",
    );
    expect(describeTimeProblem(20_201_332)).toContain('an 8-digit number that is not a real YYYYMMDD date is ambiguous');
  });

  it('names impossible ISO dates and the accepted forms', () => {
    expect(describeTimeProblem('2023-02-30')).toBe(
      'expected an ISO date (YYYY-MM-DD, optionally THH:MM[:SS[.fff]] with Z or +-HH:MM) that exists: month 01-12, a day the month has, hours 00-23, minutes and seconds 00-59',
    );
    expect(describeTimeProblem('soon')).toBe(
      'expected an ISO date (YYYY-MM-DD, optionally THH:MM[:SS[.fff]] with Z or +-HH:MM), a compact date (YYYYMMDD or YYYYMMDDHHMMSS), epoch seconds or milliseconds, or a Date',
    );
    expect(describeTimeProblem('soon', 'us')).toBe(
      "expected an ISO date (YYYY-MM-DD, optionally THH:MM[:SS[.fff]] with Z or +-HH:MM), an epoch number in microseconds (timeUnit 'us'), or a Date",
    );
  });
});

describe('describeTime', () => {
  it('renders ISO or the raw number', () => {
    expect(describeTime(utc(2000, 1, 3))).toBe('2000-01-03T00:00:00.000Z');
    expect(describeTime(Number.NaN)).toBe('NaN');
    expect(describeTime(1e20)).toBe('100000000000000000000');
  });
});
