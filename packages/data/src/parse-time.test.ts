import { describe, expect, it } from 'vitest';
import { utc } from '../test/helpers';
import { combineDateAndClock } from './parse-time';

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
