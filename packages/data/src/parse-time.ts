import { parseIsoTime } from '@algo-trading/core';

/**
 * Time helpers specific to tables. The time rules themselves (ISO 8601 in UTC, compact dates,
 * epoch units and the `auto` guard) live in `@algo-trading/core` (`toEpochMs`), the one parser of
 * the project; this package re-exports them.
 */

const CLOCK_PATTERN = /^\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?$/;
const DATE_ONLY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A custom parser for time text that is neither ISO nor an epoch number; returns epoch ms. */
export type TimeParser = (text: string) => number;

/**
 * Joins a date cell and a time-of-day cell (`2020-01-03` + `14:30[:00[.000]]`) into one UTC time in
 * epoch ms. NaN when the date is not an ISO date or the time is not a time of day.
 */
export function combineDateAndClock(date: unknown, clock: unknown): number {
  if (typeof date !== 'string' || typeof clock !== 'string') return Number.NaN;
  const d = date.trim();
  const c = clock.trim();
  if (!DATE_ONLY_PATTERN.test(d) || !CLOCK_PATTERN.test(c)) return Number.NaN;
  return parseIsoTime(`${d}T${c}`);
}
