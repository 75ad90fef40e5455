import { AlgoTradingError } from '@algo-trading/core';
import { readTimes } from './inputs';
import { selectInPlace } from './selection';

/**
 * Inference of the annualization factor (periods per year) from bar times.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const YEAR_DAYS = 365.25;
/** Times (ms) below which integer arithmetic on them is exact. */
const SAFE_MS = 2 ** 53;

/** Trading days a year on an exchange calendar (empyrical's daily factor). */
export const EXCHANGE_DAYS_PER_YEAR = 252;
/** Days a year of a market that trades every day (crypto). */
export const CALENDAR_DAYS_PER_YEAR = 365;

/** Sample size of the median's first guess. */
const MEDIAN_SAMPLE = 63;

/**
 * Median of the spacings `t[i] - t[i - 1]` (i = 1 .. n - 1), exactly as sorting them would give
 * it, usually in one read-only pass: bar spacings repeat (most bars of a series share one), so a
 * guess from a small sample is checked by counting the spacings below and equal to it; when the
 * middle rank(s) fall among the equal ones, the guess is the median. Otherwise (irregular
 * spacings) the spacings are copied and the middle ranks selected (expected O(n)).
 */
export function medianSpacing(t: Float64Array): number {
  const guess = spacingGuess(t);
  const m = t.length - 1;
  let below = 0;
  let equal = 0;
  for (let i = 1; i <= m; i++) {
    const gap = t[i]! - t[i - 1]!;
    if (gap < guess) below++;
    else if (gap === guess) equal++;
  }
  return medianSpacingFrom(t, guess, below, equal);
}

/**
 * The first guess of {@link medianSpacing}: the median spacing of a small evenly spread sample
 * of `t` (2 or more values; not validated: a guess from invalid times is never used).
 */
export function spacingGuess(t: ArrayLike<number>): number {
  const m = t.length - 1;
  const sample = new Float64Array(Math.min(MEDIAN_SAMPLE, m));
  for (let s = 0; s < sample.length; s++) {
    const i = 1 + Math.floor(((s + 0.5) * m) / sample.length);
    sample[s] = t[i]! - t[i - 1]!;
  }
  sample.sort();
  return sample[sample.length >> 1]!;
}

/**
 * {@link medianSpacing} once the spacings below and equal to `guess` ({@link spacingGuess})
 * are counted (readTimes counts them in its validation pass): the guess when the middle ranks
 * fall among the equal ones, otherwise a selection over a copy of the spacings.
 */
export function medianSpacingFrom(t: Float64Array, guess: number, below: number, equal: number): number {
  const m = t.length - 1;
  const mid = m >> 1;
  // Ranks read by the median: mid (odd count), mid - 1 and mid (even count).
  const firstRank = m % 2 === 1 ? mid : mid - 1;
  if (below <= firstRank && mid < below + equal) return guess;
  const gaps = new Float64Array(m);
  for (let i = 1; i <= m; i++) gaps[i - 1] = t[i]! - t[i - 1]!;
  selectInPlace(gaps, mid);
  if (m % 2 === 1) return gaps[mid]!;
  // gaps[0 .. mid) hold the smaller values: the rank mid - 1 is their largest.
  let lower = gaps[0]!;
  for (let i = 1; i < mid; i++) if (gaps[i]! > lower) lower = gaps[i]!;
  return (lower + gaps[mid]!) / 2;
}

/** The most frequent value (ties: the larger), e.g. the usual number of bars in a session. */
function mostCommon(values: Float64Array): number {
  values.sort();
  let best = values[0]!;
  let bestRun = 0;
  let run = 0;
  for (let i = 0; i < values.length; i++) {
    run = i > 0 && values[i] === values[i - 1] ? run + 1 : 1;
    if (run >= bestRun) {
      bestRun = run;
      best = values[i]!;
    }
  }
  return best;
}

/** Time of day (ms after UTC midnight) in the middle of the longest stretch without bars. */
function sessionBoundary(times: Float64Array): number {
  const minutes = 1440;
  const seen = new Uint8Array(minutes);
  // Distinct minutes seen so far: once every minute of the day has a bar there is no stretch
  // without bars and the answer is 0 (the loop below would find the same), so the scan stops
  // (a 24/7 market of minute bars fills the clock within a day).
  let distinct = 0;
  for (let i = 0; i < times.length; i++) {
    const time = times[i]!;
    // Time of day by a floor division (fmod of large doubles is slow): the same value as the
    // fmod form for integer milliseconds below 2^53; other times take the fmod form.
    const ms =
      time === Math.floor(time) && time < SAFE_MS && time > -SAFE_MS
        ? time - Math.floor(time / DAY_MS) * DAY_MS
        : ((time % DAY_MS) + DAY_MS) % DAY_MS;
    const minute = Math.floor(ms / MINUTE_MS);
    if (seen[minute] === 0) {
      seen[minute] = 1;
      if (++distinct === minutes) return 0;
    }
  }
  let first = -1;
  for (let m = 0; m < minutes; m++) {
    if (seen[m] === 1) {
      first = m;
      break;
    }
  }
  if (first === -1) return 0;
  // Longest circular run of empty minutes, scanning once around the clock from a busy minute.
  let bestStart = 0;
  let bestLength = 0;
  let runStart = -1;
  for (let k = 1; k <= minutes; k++) {
    const m = (first + k) % minutes;
    if (seen[m] === 0) {
      if (runStart === -1) runStart = first + k;
      const length = first + k - runStart + 1;
      if (length > bestLength) {
        bestLength = length;
        bestStart = runStart;
      }
    } else {
      runStart = -1;
    }
  }
  if (bestLength === 0) return 0;
  return ((bestStart + bestLength / 2) % minutes) * MINUTE_MS;
}

/**
 * Infers how many bars a year a series has from its bar times (epoch ms, strictly increasing):
 *
 * - the bar size is the median spacing between bars: yearly (>= 300 days) 1, quarterly (>= 80)
 *   4, monthly (>= 25) 12, weekly (>= 5) 52 (multiples of these divide: 2-week bars give 26);
 * - daily bars (>= 20 hours): 365 when the market trades on weekends (at least 5% of the bars
 *   on Saturdays and 5% on Sundays, UTC) and 252 (an exchange calendar) otherwise;
 * - intraday bars: the most common number of bars per session (days split in the middle of the
 *   longest daily stretch without bars; ties go to the larger count) x 365 or 252 by the same weekend rule. With less than a week of data, bars
 *   covering 20 hours or more of the day count as a 24/7 market.
 *
 * Examples: daily stocks 252, daily crypto 365, 1-minute US equities 390 x 252 = 98,280,
 * hourly crypto 24 x 365 = 8,760. Pass `periodsPerYear` explicitly when the guess is wrong
 * (e.g. 24/5 FX gives 24 x 252).
 *
 * Throws INVALID_DATA with fewer than 2 times or times that do not increase.
 */
export function inferPeriodsPerYear(times: ArrayLike<number>): number {
  const length = typeof times === 'object' && times !== null && typeof times.length === 'number' ? times.length : 0;
  return inferPeriodsPerYearOf(readTimes(times, length));
}

/** Kernel of {@link inferPeriodsPerYear} over validated times (finite, strictly increasing); `knownSpacing` is their {@link medianSpacing} when known. */
export function inferPeriodsPerYearOf(t: Float64Array, knownSpacing?: number): number {
  const n = t.length;
  if (n < 2) {
    throw new AlgoTradingError('INVALID_DATA', `times must have at least 2 entries to infer periodsPerYear, got ${n}`, {
      details: { field: 'times', value: n },
    });
  }
  const spacing = knownSpacing ?? medianSpacing(t);

  if (spacing >= 300 * DAY_MS) return 1 / Math.max(1, Math.round(spacing / (YEAR_DAYS * DAY_MS)));
  if (spacing >= 80 * DAY_MS) return 4 / Math.max(1, Math.round(spacing / ((YEAR_DAYS / 4) * DAY_MS)));
  if (spacing >= 25 * DAY_MS) return 12 / Math.max(1, Math.round(spacing / ((YEAR_DAYS / 12) * DAY_MS)));
  if (spacing >= 5 * DAY_MS) return 52 / Math.max(1, Math.round(spacing / WEEK_MS));

  // Split days where the market sleeps, so a session crossing UTC midnight stays one day.
  const boundary = sessionBoundary(t);
  const dayOf = (time: number) => Math.floor((time - boundary) / DAY_MS);

  // Bars per session: run lengths of equal day numbers (times increase). The day number is
  // computed only near the end of the current day: a bar more than a second before that end
  // (rounding of the division is far below a second) is in the same day.
  const counts: number[] = [];
  let saturday = 0;
  let sunday = 0;
  let current = dayOf(t[0]!);
  const sameDayLimit = (day: number) => (Math.abs(day) < 1e8 ? (day + 1) * DAY_MS + boundary - 1000 : -Infinity);
  let sameDayBefore = sameDayLimit(current);
  let run = 0;
  for (let i = 0; i < n; i++) {
    const time = t[i]!;
    if (time < sameDayBefore) {
      run++;
      continue;
    }
    const day = dayOf(time);
    if (day === current) {
      run++;
      continue;
    }
    counts.push(run);
    // 1970-01-01 (day 0) was a Thursday: weekday = (day + 4) mod 7, 0 = Sunday.
    const weekday = (((current + 4) % 7) + 7) % 7;
    if (weekday === 6) saturday += run;
    else if (weekday === 0) sunday += run;
    current = day;
    sameDayBefore = sameDayLimit(current);
    run = 1;
  }
  counts.push(run);
  const lastWeekday = (((current + 4) % 7) + 7) % 7;
  if (lastWeekday === 6) saturday += run;
  else if (lastWeekday === 0) sunday += run;
  const barsPerDay = mostCommon(Float64Array.from(counts));

  let everyDay: boolean;
  if (t[n - 1]! - t[0]! >= WEEK_MS) {
    everyDay = saturday >= 0.05 * n && sunday >= 0.05 * n;
  } else {
    everyDay = spacing < 20 * HOUR_MS && barsPerDay * spacing >= 20 * HOUR_MS;
  }
  const days = everyDay ? CALENDAR_DAYS_PER_YEAR : EXCHANGE_DAYS_PER_YEAR;

  if (spacing >= 20 * HOUR_MS) return days / Math.max(1, Math.round(spacing / DAY_MS));
  return barsPerDay * days;
}
