import { BarSeries } from '@algo-trading/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchError, recordingLogger, utc } from '../test/helpers';
import { parseResampleInterval, resampleBars, resampleUniverse } from './resample';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

function bars(rows: readonly (readonly [number, number, number, number, number, number])[], symbol = 'X'): BarSeries {
  return BarSeries.fromRows(
    rows.map(([time, open, high, low, close, volume]) => ({ time, open, high, low, close, volume })),
    { symbol },
  );
}

function rowsOf(s: BarSeries): number[][] {
  return s.toRows().map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume]);
}

/** `count` bars `step` apart from `start`, with volume 1 and flat prices. */
function flat(start: number, count: number, step: number): BarSeries {
  return BarSeries.fromColumns({
    time: Array.from({ length: count }, (_, i) => start + i * step),
    open: new Array(count).fill(10),
    high: new Array(count).fill(10),
    low: new Array(count).fill(10),
    close: new Array(count).fill(10),
    volume: new Array(count).fill(1),
  });
}

describe('parseResampleInterval', () => {
  it('reads the short forms and objects', () => {
    expect(parseResampleInterval('5m')).toEqual({ unit: 'minute', count: 5 });
    expect(parseResampleInterval('15min')).toEqual({ unit: 'minute', count: 15 });
    expect(parseResampleInterval('4h')).toEqual({ unit: 'hour', count: 4 });
    expect(parseResampleInterval('1d')).toEqual({ unit: 'day', count: 1 });
    expect(parseResampleInterval('2w')).toEqual({ unit: 'week', count: 2 });
    expect(parseResampleInterval('3mo')).toEqual({ unit: 'month', count: 3 });
    expect(parseResampleInterval({ unit: 'hour', count: 2 })).toEqual({ unit: 'hour', count: 2 });
  });

  it('rejects months as M, zero counts, intraday buckets longer than a day', () => {
    for (const bad of ['1M', '0h', '1y', 'h', '25h', '1441m', '']) {
      expect(catchError(() => parseResampleInterval(bad), 'INVALID_CONFIG').details.field, bad).toBe('interval');
    }
    expect(catchError(() => parseResampleInterval({ unit: 'minute', count: 1.5 }), 'INVALID_CONFIG').message).toContain('interval must be { unit');
  });
});

describe('resampleBars: hand-computed buckets', () => {
  // 1-minute bars from 09:30 UTC: [time, open, high, low, close, volume].
  const minutes = bars([
    [utc(2024, 1, 2, 9, 30), 10, 11, 9.5, 10.5, 100],
    [utc(2024, 1, 2, 9, 31), 10.5, 12, 10, 11, 50],
    [utc(2024, 1, 2, 9, 32), 11, 11.5, 8, 9, 70],
    [utc(2024, 1, 2, 9, 34), 9, 10, 8.5, 9.5, 30],
    [utc(2024, 1, 2, 9, 35), 9.5, 9.8, 9.1, 9.6, 10],
    [utc(2024, 1, 2, 9, 36), 9.6, 13, 9.6, 12.5, 20],
    [utc(2024, 1, 2, 9, 39), 12.5, 12.6, 12, 12.1, 5],
  ]);

  it('minutes to 5 minutes: first open, max high, min low, last close, summed volume; empty minutes need no bar', () => {
    expect(rowsOf(resampleBars(minutes, { interval: '5m' }))).toEqual([
      [utc(2024, 1, 2, 9, 30), 10, 12, 8, 9.5, 250],
      [utc(2024, 1, 2, 9, 35), 9.5, 13, 9.1, 12.1, 35],
    ]);
    expect(resampleBars(minutes, { interval: '5m' }).symbol).toBe('X');
  });

  it('no partial last bucket unless asked: 09:35-09:40 is complete only when a bar ends at 09:40', () => {
    const cut = minutes.slice(0, 6); // last bar 09:36, ends 09:37 < 09:40
    expect(rowsOf(resampleBars(cut, { interval: '5m' }))).toEqual([[utc(2024, 1, 2, 9, 30), 10, 12, 8, 9.5, 250]]);
    expect(rowsOf(resampleBars(cut, { interval: '5m', partial: 'keep' }))).toEqual([
      [utc(2024, 1, 2, 9, 30), 10, 12, 8, 9.5, 250],
      [utc(2024, 1, 2, 9, 35), 9.5, 13, 9.1, 12.5, 30],
    ]);
    // A stated bar duration decides instead of the spacing (here: 5-minute source bars).
    expect(resampleBars(cut, { interval: '5m', barDuration: 5 * MIN }).length).toBe(2);
  });

  it("label: 'first' dates each bar by its first source bar", () => {
    const late = minutes.slice(3);
    expect(resampleBars(late, { interval: '5m', label: 'first', partial: 'keep' }).toRows().map((b) => b.time)).toEqual([
      utc(2024, 1, 2, 9, 34),
      utc(2024, 1, 2, 9, 35),
    ]);
  });

  it('minutes to hours in a half-hour zone: Kolkata hours start at :30 UTC', () => {
    const series = flat(utc(2024, 1, 1, 0, 0), 120, MIN); // 05:30-07:29 local
    const hourly = resampleBars(series, { interval: '1h', timeZone: 'Asia/Kolkata', partial: 'keep' });
    expect(hourly.toRows().map((b) => [b.time, b.volume])).toEqual([
      [utc(2023, 12, 31, 23, 30), 30], // 05:00-06:00 local holds 05:30-05:59
      [utc(2024, 1, 1, 0, 30), 60],
      [utc(2024, 1, 1, 1, 30), 30],
    ]);
  });

  it('hours to days in New York across both DST changes: 23- and 25-hour days', () => {
    const spring = flat(utc(2024, 3, 9, 5), 24 + 23 + 24, HOUR);
    expect(rowsOf(resampleBars(spring, { interval: '1d', timeZone: 'America/New_York' })).map((r) => [r[0], r[5]])).toEqual([
      [utc(2024, 3, 9, 5), 24],
      [utc(2024, 3, 10, 5), 23],
      [utc(2024, 3, 11, 4), 24],
    ]);
    const autumn = flat(utc(2024, 11, 2, 4), 24 + 25 + 24, HOUR);
    expect(rowsOf(resampleBars(autumn, { interval: '1d', timeZone: 'America/New_York' })).map((r) => [r[0], r[5]])).toEqual([
      [utc(2024, 11, 2, 4), 24],
      [utc(2024, 11, 3, 4), 25],
      [utc(2024, 11, 4, 5), 24],
    ]);
    // Hourly buckets on the autumn day: 25 of them, one bar each (01:00 local twice).
    const hours = resampleBars(autumn, { interval: '1h', timeZone: 'America/New_York' });
    expect(hours.length).toBe(73);
    expect(hours.toRows().slice(24, 49).every((b) => b.volume === 1)).toBe(true);
    // 4-hour buckets keep counting from local midnight: 00:00 EDT, then 03:00, 07:00, ... 23:00 EST after the change.
    const fourHours = resampleBars(autumn.slice(24, 49), { interval: '4h', timeZone: 'America/New_York', partial: 'keep' });
    expect(fourHours.toRows().map((b) => [b.time, b.volume])).toEqual([
      [utc(2024, 11, 3, 4), 4],
      [utc(2024, 11, 3, 8), 4],
      [utc(2024, 11, 3, 12), 4],
      [utc(2024, 11, 3, 16), 4],
      [utc(2024, 11, 3, 20), 4],
      [utc(2024, 11, 4, 0), 4],
      [utc(2024, 11, 4, 4), 1],
    ]);
  });

  it('days to weeks (Monday or Sunday start) and to months and quarters', () => {
    // Weekdays from Monday 2024-01-01 to Friday 2024-01-12.
    const weekdays = BarSeries.fromColumns({
      time: [1, 2, 3, 4, 5, 8, 9, 10, 11, 12].map((d) => utc(2024, 1, d)),
      open: [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
      high: [11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
      low: [9, 10, 11, 12, 13, 14, 15, 16, 17, 18],
      close: [11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
      volume: [1, 1, 1, 1, 1, 2, 2, 2, 2, 2],
    });
    // The second week ends Friday + 1 day < Monday: not shown complete by the data.
    expect(rowsOf(resampleBars(weekdays, { interval: '1w' }))).toEqual([[utc(2024, 1, 1), 10, 15, 9, 15, 5]]);
    expect(rowsOf(resampleBars(weekdays, { interval: '1w', partial: 'keep' }))).toEqual([
      [utc(2024, 1, 1), 10, 15, 9, 15, 5],
      [utc(2024, 1, 8), 15, 20, 14, 20, 10],
    ]);
    expect(resampleBars(weekdays, { interval: '1w', weekStart: 'sunday', partial: 'keep' }).toRows().map((b) => b.time)).toEqual([
      utc(2023, 12, 31),
      utc(2024, 1, 7),
    ]);

    const q1 = flat(utc(2024, 1, 1), 91, DAY); // 2024-01-01 .. 2024-03-31 (leap year)
    expect(rowsOf(resampleBars(q1, { interval: '1mo' })).map((r) => [r[0], r[5]])).toEqual([
      [utc(2024, 1, 1), 31],
      [utc(2024, 2, 1), 29],
      [utc(2024, 3, 1), 31],
    ]);
    expect(rowsOf(resampleBars(q1, { interval: '3mo' })).map((r) => [r[0], r[5]])).toEqual([[utc(2024, 1, 1), 91]]);
    expect(resampleBars(q1.slice(0, 90), { interval: '1mo' }).length).toBe(2); // March incomplete
  });

  it('sessionStart: FX days from 17:00 New York', () => {
    // Hourly from Sunday 2024-01-07 17:00 EST (22:00 UTC) for 48 hours.
    const fx = flat(utc(2024, 1, 7, 22), 48, HOUR);
    const days = resampleBars(fx, { interval: '1d', timeZone: 'America/New_York', sessionStart: '17:00' });
    expect(rowsOf(days).map((r) => [r[0], r[5]])).toEqual([
      [utc(2024, 1, 7, 22), 24],
      [utc(2024, 1, 8, 22), 24],
    ]);
  });

  it('warns when date-only bars are resampled in another zone than UTC', () => {
    const logger = recordingLogger();
    resampleBars(flat(utc(2024, 1, 1), 10, DAY), { interval: '1w', timeZone: 'America/New_York', logger });
    expect(logger.calls.map((c) => c.level)).toEqual(['warn']);
  });

  it('resampleUniverse resamples every symbol', () => {
    const universe = resampleUniverse({ B: minutes.withSymbol('B'), A: minutes.withSymbol('A') }, { interval: '5m' });
    expect([...universe.keys()]).toEqual(['A', 'B']);
    expect(universe.get('B')!.volume[0]).toBe(250);
  });

  it('bad input: not a series, upsampling, unknown zone, bad options', () => {
    expect(catchError(() => resampleBars([] as never, { interval: '1h' }), 'INVALID_ARGUMENT').message).toContain('series must be a BarSeries');
    expect(catchError(() => resampleBars(flat(utc(2024, 1, 1), 3, DAY), { interval: '1h' }), 'INVALID_ARGUMENT').message).toBe(
      "resampleBars only aggregates: interval 1 h is shorter than the series' bar spacing (1 day)",
    );
    expect(catchError(() => resampleBars(minutes, { interval: '1h', timeZone: 'Mars/Olympus' }), 'INVALID_CONFIG').message).toBe(
      'timeZone must be an IANA time zone such as "America/New_York" or "UTC", got "Mars/Olympus"',
    );
    expect(catchError(() => resampleBars(minutes, { interval: '1h', sessionStart: '9:30' }), 'INVALID_CONFIG').message).toContain('sessionStart');
    expect(catchError(() => resampleBars(minutes, { interval: '1h', weekstart: 'monday' } as never), 'INVALID_CONFIG').message).toContain('weekstart');
  });

  it('property: totals and extremes are kept, bars stay valid, buckets never overlap', () => {
    const zones = fc.constantFrom('UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 180 }), fc.double({ min: 1, max: 100, noNaN: true }), fc.double({ min: 0, max: 0.1, noNaN: true }), fc.nat(1000)), { minLength: 1, maxLength: 300 }),
        fc.constantFrom('5m', '15m', '1h', '4h', '1d', '1w', '1mo'),
        zones,
        fc.integer({ min: utc(2023, 1, 1), max: utc(2025, 1, 1) }),
        (steps, interval, timeZone, start) => {
          let t = Math.floor(start / MIN) * MIN;
          const rows = steps.map(([gap, price, wick, volume]) => {
            t += gap * MIN * 30;
            return [t, price, price * (1 + wick), price / (1 + wick), price, volume] as const;
          });
          const series = bars(rows);
          let result: BarSeries;
          try {
            result = resampleBars(series, { interval, timeZone, partial: 'keep' });
          } catch (error) {
            // Only upsampling may be refused.
            expect((error as Error).message).toContain('only aggregates');
            return;
          }
          const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
          expect(sum(result.volume)).toBe(sum(series.volume));
          expect(result.open[0]).toBe(series.open[0]);
          expect(result.close[result.length - 1]).toBe(series.close[series.length - 1]);
          expect(Math.max(...result.high)).toBe(Math.max(...series.high));
          expect(Math.min(...result.low)).toBe(Math.min(...series.low));
          expect(result.time[0]).toBeLessThanOrEqual(series.time[0]!);
          expect(result.length).toBeLessThanOrEqual(series.length);
        },
      ),
      { numRuns: 150 },
    );
  });
});
