import { catchAlgoTradingError } from '@algo-trading/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inferPeriodsPerYear, medianSpacing, medianSpacingFrom, spacingGuess } from './periods';
import { readTimes } from './inputs';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Weekday bars (Mon-Fri) from Monday 2024-01-01, `perDay` bars from `open` (UTC ms of day) every `step`. */
function exchangeBars(days: number, perDay: number, open: number, step: number): number[] {
  const out: number[] = [];
  const start = Date.UTC(2024, 0, 1);
  for (let d = 0; out.length < days * perDay; d++) {
    const weekday = new Date(start + d * DAY).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let k = 0; k < perDay; k++) out.push(start + d * DAY + open + k * step);
  }
  return out;
}

function everyStep(count: number, step: number, start = Date.UTC(2024, 0, 1)): number[] {
  return Array.from({ length: count }, (_, i) => start + i * step);
}

describe('inferPeriodsPerYear', () => {
  it('daily: 252 on an exchange calendar, 365 for a 24/7 market', () => {
    expect(inferPeriodsPerYear(exchangeBars(300, 1, 21 * HOUR, DAY))).toBe(252);
    expect(inferPeriodsPerYear(everyStep(400, DAY))).toBe(365);
  });

  it('weekly, monthly, quarterly, yearly', () => {
    expect(inferPeriodsPerYear(everyStep(100, 7 * DAY))).toBe(52);
    expect(inferPeriodsPerYear(everyStep(50, 14 * DAY))).toBe(26);
    expect(inferPeriodsPerYear(Array.from({ length: 36 }, (_, i) => Date.UTC(2020, i, 1)))).toBe(12);
    expect(inferPeriodsPerYear(Array.from({ length: 12 }, (_, i) => Date.UTC(2020, 3 * i, 1)))).toBe(4);
    expect(inferPeriodsPerYear(Array.from({ length: 10 }, (_, i) => Date.UTC(2000 + i, 0, 1)))).toBe(1);
  });

  it('intraday on an exchange: bars per session x 252', () => {
    // US equities: 390 one-minute bars from 14:30 UTC
    expect(inferPeriodsPerYear(exchangeBars(20, 390, 14.5 * HOUR, MIN))).toBe(390 * 252);
    // hourly bars 14:30 .. 20:30 UTC (7 a day)
    expect(inferPeriodsPerYear(exchangeBars(30, 7, 14.5 * HOUR, HOUR))).toBe(7 * 252);
    // a session crossing UTC midnight (22:00 .. 05:59 UTC, 5-minute bars) stays one session
    expect(inferPeriodsPerYear(exchangeBars(20, 96, 22 * HOUR, 5 * MIN))).toBe(96 * 252);
  });

  it('intraday 24/7: bars per day x 365, also from less than a week of data', () => {
    expect(inferPeriodsPerYear(everyStep(24 * 30, HOUR))).toBe(24 * 365);
    expect(inferPeriodsPerYear(everyStep(1440 * 3, MIN))).toBe(1440 * 365);
    expect(inferPeriodsPerYear(everyStep(96 * 2, 15 * MIN))).toBe(96 * 365);
  });

  it('tolerates gaps (a missing bar, holidays)', () => {
    const bars = everyStep(24 * 30, HOUR).filter((_, i) => i % 50 !== 7);
    expect(inferPeriodsPerYear(bars)).toBe(24 * 365);
  });

  it('rejects too few or non-increasing times', () => {
    expect(() => inferPeriodsPerYear([1])).toThrow(/at least 2/);
    expect(() => inferPeriodsPerYear([2, 1])).toThrow('times[1] must be greater than times[0] = 2 (strictly increasing), got 1');
    expect(() => inferPeriodsPerYear([0, Number.NaN])).toThrow(/times\[1\]/);
    expect(() => inferPeriodsPerYear(42 as never)).toThrow(/times must be an array/);
  });
});

describe('inferPeriodsPerYear fast paths', () => {
  it('minute bars of a 24/7 market (every minute of the day filled): 1440 x 365', () => {
    const t = Float64Array.from({ length: 3 * 1440 }, (_, i) => Date.UTC(2024, 0, 1) + i * MIN);
    expect(inferPeriodsPerYear(t)).toBe(1440 * 365);
  });

  it('Float64Array times: the same errors (first bad index) as arrays', () => {
    const cases = [
      [1, 2, Number.NaN, 1],
      [1, 2, 2, 3],
      [Number.NEGATIVE_INFINITY, 1],
      [1, Number.POSITIVE_INFINITY],
    ];
    for (const times of cases) {
      expect(() => inferPeriodsPerYear(Float64Array.from(times))).toThrow(/times\[\d\] must be/);
      const { message } = catchAlgoTradingError(() => inferPeriodsPerYear(times), 'INVALID_DATA');
      expect(() => inferPeriodsPerYear(Float64Array.from(times))).toThrow(message);
    }
  });
});

describe('medianSpacing (exact median of the spacings without a sort)', () => {
  const sortedMedian = (t: Float64Array) => {
    const gaps = Float64Array.from({ length: t.length - 1 }, (_, i) => t[i + 1]! - t[i]!).sort();
    const mid = gaps.length >> 1;
    return gaps.length % 2 === 1 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
  };

  it('equals the median of the sorted spacings: regular, gappy and irregular series, odd and even counts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(MIN), fc.constant(2 * MIN), fc.integer({ min: 1, max: 10 * DAY })), { minLength: 1, maxLength: 3000 }),
        (spacings) => {
          const t = new Float64Array(spacings.length + 1);
          for (let i = 0; i < spacings.length; i++) t[i + 1] = t[i]! + spacings[i]!;
          expect(medianSpacing(t)).toBe(sortedMedian(t));
        },
      ),
    );
    // A long irregular series takes the selection path.
    const t = new Float64Array(200_001);
    for (let i = 1; i < t.length; i++) t[i] = t[i - 1]! + 1 + ((i * 7919) % 1000);
    expect(medianSpacing(t)).toBe(sortedMedian(t));
  });
});

describe('median spacing counted while reading the times', () => {
  it('readTimes counts the spacings against the guess; medianSpacingFrom equals medianSpacing', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 300 }), (steps) => {
        const t = new Float64Array(steps.length + 1);
        for (let i = 0; i < steps.length; i++) t[i + 1] = t[i]! + steps[i]! * MIN;
        const counts = Float64Array.of(spacingGuess(t), 0, 0);
        expect(readTimes(t, t.length, 'times', counts)).toBe(t);
        let below = 0;
        let equal = 0;
        for (const s of steps) {
          if (s * MIN < counts[0]!) below++;
          else if (s * MIN === counts[0]!) equal++;
        }
        expect([counts[1], counts[2]]).toEqual([below, equal]);
        expect(medianSpacingFrom(t, counts[0]!, below, equal)).toBe(medianSpacing(t));
      }),
    );
  });

  it('readTimes leaves the count at -1 and throws the usual error for bad times', () => {
    const counts = Float64Array.of(MIN, 0, 0);
    expect(() => readTimes(Float64Array.of(0, MIN, MIN), 3, 'times', counts)).toThrow('times[2] must be greater than times[1]');
    expect(counts[1]).toBe(-1);
  });
});
