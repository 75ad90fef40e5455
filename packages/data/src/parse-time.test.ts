import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utc } from '../test/helpers';
import { combineDateAndClock, describeTime, detectEpochUnit, epochToMs, parseIsoTime, toEpochMs } from './parse-time';

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

  it('auto follows the magnitude; an explicit unit overrides it', () => {
    expect(epochToMs(946_684_800, 'auto')).toBe(946_684_800_000);
    expect(epochToMs(946_684_800_000, 'auto')).toBe(946_684_800_000);
    // 86,400,000 ms is 1970-01-02; auto would read it as seconds.
    expect(epochToMs(86_400_000, 'auto')).toBe(86_400_000_000);
    expect(epochToMs(86_400_000, 'ms')).toBe(86_400_000);
  });
});

describe('parseIsoTime', () => {
  it('reads a date alone as UTC midnight', () => {
    expect(parseIsoTime('2000-01-03')).toBe(utc(2000, 1, 3));
    expect(parseIsoTime('2020-02-29')).toBe(utc(2020, 2, 29));
  });

  it('reads date-times without an offset as UTC, with T or a space', () => {
    expect(parseIsoTime('2020-01-03T14:30')).toBe(utc(2020, 1, 3, 14, 30));
    expect(parseIsoTime('2020-01-03 14:30:15')).toBe(utc(2020, 1, 3, 14, 30, 15));
    expect(parseIsoTime('2020-01-03T14:30:15.250')).toBe(utc(2020, 1, 3, 14, 30, 15) + 250);
    expect(parseIsoTime('2020-01-03T14:30:15,5')).toBe(utc(2020, 1, 3, 14, 30, 15) + 500);
  });

  it('applies Z and numeric offsets', () => {
    expect(parseIsoTime('2020-01-03T14:30:00Z')).toBe(utc(2020, 1, 3, 14, 30));
    expect(parseIsoTime('2020-01-03T14:30:00z')).toBe(utc(2020, 1, 3, 14, 30));
    expect(parseIsoTime('2020-01-03T14:30:00+02:00')).toBe(utc(2020, 1, 3, 12, 30));
    expect(parseIsoTime('2020-01-03T14:30:00-0500')).toBe(utc(2020, 1, 3, 19, 30));
    expect(parseIsoTime('2020-01-03T00:30+01')).toBe(utc(2020, 1, 2, 23, 30));
  });

  it('gives NaN for impossible dates and other formats', () => {
    for (const text of [
      '2021-02-29',
      '2020-13-01',
      '2020-00-10',
      '2020-04-31',
      '2020-01-03T24:00',
      '2020-01-03T12:60',
      '2020-01-03T12:00:60',
      '2020-01-03T12:00+24:00',
      '01/03/2020',
      '2020/01/03',
      '20200103',
      '2020-1-3',
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
});

describe('toEpochMs', () => {
  it('reads numbers in the unit, Dates, numeric text and ISO text', () => {
    expect(toEpochMs(946_684_800, 'auto')).toBe(946_684_800_000);
    expect(toEpochMs(5, 'ms')).toBe(5);
    expect(toEpochMs(new Date(utc(2000, 1, 3)), 'ms')).toBe(utc(2000, 1, 3));
    expect(toEpochMs(' 946684800 ', 'auto')).toBe(946_684_800_000);
    expect(toEpochMs('946684800000', 'auto')).toBe(946_684_800_000);
    expect(toEpochMs('2000-01-03', 'ms')).toBe(utc(2000, 1, 3));
  });

  it('gives NaN for unreadable values', () => {
    expect(toEpochMs(Number.NaN, 'ms')).toBeNaN();
    expect(toEpochMs(Infinity, 'ms')).toBeNaN();
    expect(toEpochMs(null, 'ms')).toBeNaN();
    expect(toEpochMs(undefined, 'ms')).toBeNaN();
    expect(toEpochMs({}, 'ms')).toBeNaN();
    expect(toEpochMs(new Date(Number.NaN), 'ms')).toBeNaN();
    expect(toEpochMs('01/03/2000', 'ms')).toBeNaN();
  });

  it('hands text to a custom parser, which wins over the built-in formats', () => {
    const dmy = (text: string) => {
      const [d, m, y] = text.split('/').map(Number);
      return Date.UTC(y!, m! - 1, d!);
    };
    expect(toEpochMs('03/01/2000', 'auto', dmy)).toBe(utc(2000, 1, 3));
    expect(toEpochMs('x', 'auto', () => Number.NaN)).toBeNaN();
    expect(toEpochMs('x', 'auto', (() => 'soon') as unknown as (t: string) => number)).toBeNaN();
    // Numbers and Dates do not go through the parser.
    expect(toEpochMs(5, 'ms', () => 99)).toBe(5);
  });
});

describe('combineDateAndClock', () => {
  it('joins an ISO date and a time of day in UTC', () => {
    expect(combineDateAndClock('2020-01-03', '09:30')).toBe(utc(2020, 1, 3, 9, 30));
    expect(combineDateAndClock(' 2020-01-03 ', '16:00:05')).toBe(utc(2020, 1, 3, 16, 0, 5));
    expect(combineDateAndClock('2020-01-03', '16:00:05.125')).toBe(utc(2020, 1, 3, 16, 0, 5) + 125);
  });

  it('gives NaN unless both parts have the expected shape', () => {
    expect(combineDateAndClock('2020-01-03', '9:30')).toBeNaN();
    expect(combineDateAndClock('2020-01-03T00:00', '09:30')).toBeNaN();
    expect(combineDateAndClock('2020-01-03', '25:00')).toBeNaN();
    expect(combineDateAndClock(20200103, '09:30')).toBeNaN();
  });
});

describe('describeTime', () => {
  it('renders ISO or the raw number', () => {
    expect(describeTime(utc(2000, 1, 3))).toBe('2000-01-03T00:00:00.000Z');
    expect(describeTime(Number.NaN)).toBe('NaN');
    expect(describeTime(1e20)).toBe('100000000000000000000');
  });
});
