/**
 * Time values of market data files and tables, converted to epoch milliseconds UTC: ISO 8601
 * dates and date-times (a date alone, or a date-time without an offset, is UTC), epoch numbers in
 * seconds, milliseconds, microseconds or nanoseconds, and `Date` objects.
 */

/** Unit of epoch numbers; `auto` guesses it from each value's magnitude ({@link detectEpochUnit}). */
export type TimeUnit = 'auto' | 's' | 'ms' | 'us' | 'ns';

/** Every {@link TimeUnit}. */
export const TIME_UNITS = ['auto', 's', 'ms', 'us', 'ns'] as const satisfies readonly TimeUnit[];

const MS_PER_UNIT = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 } as const;

/**
 * The unit of an epoch number guessed from its magnitude: below 1e11 seconds (1e11 s is the year
 * 5138, while 1e11 ms is only 1973-03-03), below 1e14 milliseconds, below 1e17 microseconds,
 * otherwise nanoseconds. Millisecond times before 1973-03-03 are therefore read as seconds: pass
 * an explicit unit for such data.
 */
export function detectEpochUnit(value: number): Exclude<TimeUnit, 'auto'> {
  const a = Math.abs(value);
  if (a < 1e11) return 's';
  if (a < 1e14) return 'ms';
  if (a < 1e17) return 'us';
  return 'ns';
}

/** An epoch number in `unit` as epoch milliseconds; NaN stays NaN. */
export function epochToMs(value: number, unit: TimeUnit): number {
  const resolved = unit === 'auto' ? detectEpochUnit(value) : unit;
  return resolved === 'ms' ? value : value * MS_PER_UNIT[resolved];
}

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const EPOCH_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const CLOCK_PATTERN = /^\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?$/;
const DATE_ONLY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Parses an ISO 8601 date (`2020-01-03`, UTC midnight) or date-time (`2020-01-03T14:30`,
 * `2020-01-03 14:30:00.250`, `...Z`, `...+02:00`, `...-0500`; without an offset it is UTC) to epoch
 * milliseconds. NaN when the text is not such a date or names an impossible one (`2021-02-29`).
 * Unlike `Date.parse`, the result never depends on the machine's time zone.
 */
export function parseIsoTime(text: string): number {
  const m = ISO_PATTERN.exec(text);
  if (m === null) return Number.NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!)) return Number.NaN;
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not (and is only needed there).
  const midnight = year >= 100 ? Date.UTC(year, month - 1, day) : new Date(0).setUTCFullYear(year, month - 1, day);
  let ms = midnight + ((hour * 60 + minute) * 60 + second) * 1000;
  if (m[7] !== undefined) ms += Number(`0.${m[7]}`) * 1000;
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMinutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (offsetHours > 23 || offsetMinutes > 59) return Number.NaN;
    ms -= sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  return ms;
}

/** A custom parser for time text that is neither ISO nor an epoch number; returns epoch ms. */
export type TimeParser = (text: string) => number;

/**
 * Converts one time value to epoch milliseconds: a number is an epoch in `unit`; a `Date` gives
 * its time; text is handed to `parseTime` when given, otherwise read as an epoch number or an ISO
 * date. NaN when the value cannot be read (the caller reports it with its position).
 */
export function toEpochMs(value: unknown, unit: TimeUnit, parseTime?: TimeParser): number {
  if (typeof value === 'number') return Number.isFinite(value) ? epochToMs(value, unit) : Number.NaN;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const text = value.trim();
    if (parseTime !== undefined) {
      const ms = parseTime(text);
      return typeof ms === 'number' && Number.isFinite(ms) ? ms : Number.NaN;
    }
    if (EPOCH_PATTERN.test(text)) return epochToMs(Number(text), unit);
    return parseIsoTime(text);
  }
  return Number.NaN;
}

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

/** Epoch ms as an ISO string (`2020-01-03T00:00:00.000Z`) for messages, or the raw number. */
export function describeTime(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return String(ms);
  return new Date(ms).toISOString();
}
