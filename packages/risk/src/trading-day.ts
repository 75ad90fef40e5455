import { checkTimeZone, fromWallClock, toWallClock } from '@algo-trading/core';

/** Milliseconds in 24 hours. */
export const MS_PER_DAY = 86_400_000;

/**
 * Finds the calendar day (in a time zone) that contains a time: its first instant and the first
 * instant of the next local day, epoch ms. UTC uses arithmetic only; other zones use core's
 * wall-clock conversion (a few `Intl` calls, so a caller that caches the day's end pays them once a
 * day). A local midnight that does not exist (a DST jump at 00:00) starts the day when the clocks
 * jump; a midnight shown twice starts it at the earlier instant.
 */
export class TradingDayClock {
  /** The IANA zone the days are counted in, as the platform names it (`Etc/UTC` stays as given). */
  readonly timeZone: string;
  readonly #utc: boolean;

  /** @throws AlgoTradingError `INVALID_CONFIG` naming an unknown time zone. */
  constructor(timeZone = 'UTC') {
    checkTimeZone(timeZone);
    this.timeZone = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
    this.#utc = this.timeZone === 'UTC' || this.timeZone === 'Etc/UTC';
  }

  /** First instant (epoch ms) of the local day after the one containing `time`. */
  dayEnd(time: number): number {
    if (this.#utc) return (Math.floor(time / MS_PER_DAY) + 1) * MS_PER_DAY;
    return fromWallClock(this.timeZone, this.#wallMidnight(time) + MS_PER_DAY);
  }

  /** First instant (epoch ms) of the local day containing `time`. */
  dayStart(time: number): number {
    if (this.#utc) return Math.floor(time / MS_PER_DAY) * MS_PER_DAY;
    return fromWallClock(this.timeZone, this.#wallMidnight(time));
  }

  /** The local date of `time` at 00:00, as wall-clock fields encoded in UTC epoch ms. */
  #wallMidnight(time: number): number {
    return Math.floor(toWallClock(this.timeZone, time) / MS_PER_DAY) * MS_PER_DAY;
  }
}
