import { AlgoTradingError, describeValue } from '@algo-trading/core';

/** Milliseconds in 24 hours. */
export const MS_PER_DAY = 86_400_000;

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/**
 * Finds the end of the calendar day (in a time zone) that contains a time: the first instant of
 * the next local day, epoch ms. UTC uses arithmetic only; other zones use `Intl` (a few
 * `formatToParts` calls per new day, so a caller that caches the end pays it once a day).
 */
export class TradingDayClock {
  /** The IANA zone the days are counted in. */
  readonly timeZone: string;
  private readonly utc: boolean;
  private readonly format: Intl.DateTimeFormat | null;

  /** @throws AlgoTradingError `INVALID_CONFIG` for an unknown time zone. */
  constructor(timeZone = 'UTC') {
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        hourCycle: 'h23',
      });
    } catch (cause) {
      throw new AlgoTradingError('INVALID_CONFIG', `timeZone must be an IANA time zone name, got ${describeValue(timeZone)}`, {
        cause,
        details: { field: 'timeZone', value: timeZone },
      });
    }
    this.timeZone = format.resolvedOptions().timeZone;
    this.utc = this.timeZone === 'UTC' || this.timeZone === 'Etc/UTC';
    this.format = this.utc ? null : format;
  }

  /** First instant (epoch ms) of the local day after the one containing `time`. */
  dayEnd(time: number): number {
    if (this.utc) return (Math.floor(time / MS_PER_DAY) + 1) * MS_PER_DAY;
    const today = this.localDate(time);
    // Date.UTC normalises day overflow (Jan 32 -> Feb 1).
    const next = new Date(Date.UTC(today.year, today.month - 1, today.day + 1));
    return this.startOfLocalDay({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() }, time);
  }

  /** First instant (epoch ms) of the local day containing `time`. */
  dayStart(time: number): number {
    if (this.utc) return Math.floor(time / MS_PER_DAY) * MS_PER_DAY;
    return this.startOfLocalDay(this.localDate(time), time);
  }

  private parts(time: number): { date: LocalDate; wallUtc: number } {
    const values: Record<string, number> = {};
    for (const part of this.format!.formatToParts(time)) {
      if (part.type !== 'literal') values[part.type] = Number(part.value);
    }
    const date = { year: values['year']!, month: values['month']!, day: values['day']! };
    const wallUtc = Date.UTC(date.year, date.month - 1, date.day, values['hour']!, values['minute']!, values['second']!);
    return { date, wallUtc };
  }

  private localDate(time: number): LocalDate {
    return this.parts(time).date;
  }

  /** Offset of local wall-clock time from UTC at `time`, ms (whole seconds). */
  private offset(time: number): number {
    const seconds = Math.floor(time / 1000) * 1000;
    return this.parts(seconds).wallUtc - seconds;
  }

  private startOfLocalDay(date: LocalDate, near: number): number {
    const wallMidnight = Date.UTC(date.year, date.month - 1, date.day);
    let guess = wallMidnight - this.offset(near);
    guess = wallMidnight - this.offset(guess);
    if (this.isStart(guess, date)) return guess;
    // Midnight does not exist that day (a DST jump at 00:00) or the offsets disagree: search the
    // first instant of the date between 3 hours before and 3 hours after the guess.
    let lo = guess - 3 * 3_600_000; // not yet the date
    let hi = guess + 3 * 3_600_000; // already the date
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (compareDates(this.localDate(mid), date) >= 0) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  private isStart(time: number, date: LocalDate): boolean {
    return compareDates(this.localDate(time), date) === 0 && compareDates(this.localDate(time - 1), date) < 0;
  }
}

function compareDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}
