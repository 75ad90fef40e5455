/**
 * The one set of time rules of the project: every time value (a cell of a file, a row object, a
 * DataFrame column) becomes epoch milliseconds UTC through {@link toEpochMs}.
 *
 * - ISO 8601 text: a date alone is UTC midnight; a date-time without an offset is UTC, so the
 *   result never depends on the machine's time zone (unlike `Date.parse`). Impossible dates
 *   (`2023-02-30`) are rejected, not rolled over.
 * - Numbers (and decimal text) are epochs in a unit. With `auto` the unit is guessed from the
 *   magnitude, but only for values of at least {@link MIN_AUTO_EPOCH} (1e8 seconds is
 *   1973-03-03): a smaller number is a year, a row counter or a compact date far more often than a
 *   time in 1970, so it is refused unless the unit is given. Compact dates are recognised first:
 *   an 8-digit integer `YYYYMMDD` and a 14-digit `YYYYMMDDHHMMSS` that form a real date are read as
 *   UTC dates under `auto`.
 * - `Date` objects give their time.
 */

/** Unit of epoch numbers; `auto` guesses it from each value's magnitude ({@link detectEpochUnit}). */
export type TimeUnit = 'auto' | 's' | 'ms' | 'us' | 'ns';

/** Every {@link TimeUnit}. */
export const TIME_UNITS = ['auto', 's', 'ms', 'us', 'ns'] as const satisfies readonly TimeUnit[];

/**
 * The smallest magnitude `auto` reads as an epoch: 1e8 seconds, 1973-03-03T09:46:40Z. Below it a
 * number is ambiguous (`2020`, `20200102` and `1` would all land in 1970) and needs an explicit unit.
 */
export const MIN_AUTO_EPOCH = 1e8;

const MS_PER_UNIT = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 } as const;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const EPOCH_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

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

/**
 * An epoch number in `unit` as epoch milliseconds. With `auto`, the unit comes from
 * {@link detectEpochUnit} and a value whose magnitude is below {@link MIN_AUTO_EPOCH} gives NaN
 * (ambiguous: pass the unit). NaN stays NaN.
 */
export function epochToMs(value: number, unit: TimeUnit): number {
  let resolved: Exclude<TimeUnit, 'auto'>;
  if (unit === 'auto') {
    if (!(Math.abs(value) >= MIN_AUTO_EPOCH)) return Number.NaN;
    resolved = detectEpochUnit(value);
  } else {
    resolved = unit;
  }
  return resolved === 'ms' ? value : value * MS_PER_UNIT[resolved];
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Epoch ms of a valid calendar date and clock time (UTC), NaN when any part is out of range. */
function utcTime(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  if (day > (month === 2 ? (isLeapYear(year) ? 29 : 28) : DAYS_IN_MONTH[month - 1]!)) return Number.NaN;
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not (and is only needed there).
  const midnight = year >= 100 ? Date.UTC(year, month - 1, day) : new Date(0).setUTCFullYear(year, month - 1, day);
  return midnight + ((hour * 60 + minute) * 60 + second) * 1000;
}

/**
 * A compact date as epoch ms UTC: an 8-digit integer `YYYYMMDD` (`20200102` is 2020-01-02) or a
 * 14-digit integer `YYYYMMDDHHMMSS` (`20200102153000` is 2020-01-02T15:30:00Z). NaN for any other
 * number, and when the digits do not form a real date and time.
 */
export function parseCompactDate(value: number): number {
  if (!Number.isInteger(value)) return Number.NaN;
  if (value >= 1e7 && value < 1e8) {
    return utcTime(Math.floor(value / 1e4), Math.floor(value / 100) % 100, value % 100, 0, 0, 0);
  }
  if (value >= 1e13 && value < 1e14) {
    const date = Math.floor(value / 1e6);
    const clock = value % 1e6;
    return utcTime(
      Math.floor(date / 1e4),
      Math.floor(date / 100) % 100,
      date % 100,
      Math.floor(clock / 1e4),
      Math.floor(clock / 100) % 100,
      clock % 100,
    );
  }
  return Number.NaN;
}

/**
 * A numeric time as epoch ms: with `auto`, a compact date ({@link parseCompactDate}) when it is
 * one, else an epoch of guessed unit ({@link epochToMs}, NaN below {@link MIN_AUTO_EPOCH}); with an
 * explicit unit, an epoch in that unit. NaN for non-finite input.
 */
export function numberToEpochMs(value: number, unit: TimeUnit): number {
  if (!Number.isFinite(value)) return Number.NaN;
  if (unit === 'auto') {
    const compact = parseCompactDate(value);
    if (compact === compact) return compact;
  }
  return epochToMs(value, unit);
}

/** The digit at `i` of `text` (0-9), or -1. */
function digitAt(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Two digits at `i` as a number 0-99, or -1. */
function twoDigitsAt(text: string, i: number): number {
  const a = digitAt(text, i);
  const b = digitAt(text, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** The characters JavaScript's `\s` matches (and `String#trim` removes). */
function isJsSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Parses an ISO 8601 date (`2020-01-03`, UTC midnight) or date-time (`2020-01-03T14:30`,
 * `2020-01-03 14:30:00.250`, `...Z`, `...+02:00`, `...-0500`, `...+01`; without an offset it is
 * UTC) to epoch milliseconds. NaN when the text is not such a date or names an impossible one
 * (`2021-02-29`, `2020-04-31`, `24:00`). Unlike `Date.parse`, the result never depends on the
 * machine's time zone and nothing rolls over.
 */
export function parseIsoTime(text: string): number {
  // A hand-written scanner rather than a regular expression: file loaders call it once per row.
  const n = text.length;
  if (n < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Number.NaN;
  const century = twoDigitsAt(text, 0);
  const yy = twoDigitsAt(text, 2);
  const month = twoDigitsAt(text, 5);
  const day = twoDigitsAt(text, 8);
  if (century < 0 || yy < 0 || month < 0 || day < 0) return Number.NaN;
  const year = century * 100 + yy;
  if (n === 10) return utcTime(year, month, day, 0, 0, 0);
  const separator = text.charCodeAt(10);
  // `T`, `t` or a space; then HH:MM.
  if ((separator !== 84 && separator !== 116 && separator !== 32) || n < 16 || text.charCodeAt(13) !== 58) return Number.NaN;
  const hour = twoDigitsAt(text, 11);
  const minute = twoDigitsAt(text, 14);
  if (hour < 0 || minute < 0) return Number.NaN;
  let second = 0;
  let fraction = -1;
  let fractionScale = 1;
  let pos = 16;
  if (pos < n && text.charCodeAt(pos) === 58) {
    second = twoDigitsAt(text, pos + 1);
    if (second < 0) return Number.NaN;
    pos += 3;
    const mark = text.charCodeAt(pos);
    if (mark === 46 || mark === 44) {
      // `.fff` or `,fff`: 1 to 9 digits.
      pos++;
      fraction = 0;
      let digits = 0;
      for (let d = digitAt(text, pos); d >= 0; d = digitAt(text, pos)) {
        if (++digits > 9) return Number.NaN;
        fraction = fraction * 10 + d;
        fractionScale *= 10;
        pos++;
      }
      if (digits === 0) return Number.NaN;
    }
  }
  while (pos < n && isJsSpace(text.charCodeAt(pos))) pos++;
  let offsetMinutes = 0;
  if (pos < n) {
    const zone = text.charCodeAt(pos);
    if (zone === 90 || zone === 122) {
      pos++;
    } else if (zone === 43 || zone === 45) {
      const hours = twoDigitsAt(text, pos + 1);
      if (hours < 0) return Number.NaN;
      pos += 3;
      let minutes = 0;
      if (pos < n) {
        if (text.charCodeAt(pos) === 58) pos++;
        minutes = twoDigitsAt(text, pos);
        if (minutes < 0) return Number.NaN;
        pos += 2;
      }
      if (hours > 23 || minutes > 59) return Number.NaN;
      offsetMinutes = (zone === 45 ? -1 : 1) * (hours * 60 + minutes);
    } else {
      return Number.NaN;
    }
    if (pos !== n) return Number.NaN;
  }
  let ms = utcTime(year, month, day, hour, minute, second);
  // fraction / 10^k is exact-then-rounded once (both below 2^53), i.e. Number(`0.${digits}`).
  if (fraction >= 0) ms += (fraction / fractionScale) * 1000;
  return ms - offsetMinutes * 60_000;
}

/** Text of a number as epoch ms (trimmed decimal text, `auto` rules included), else ISO text. */
function textToEpochMs(value: string, unit: TimeUnit): number {
  const text = value.trim();
  if (EPOCH_PATTERN.test(text)) return numberToEpochMs(Number(text), unit);
  return parseIsoTime(text);
}

/**
 * Converts one time value to epoch milliseconds UTC, the project's one time parser:
 * - a number is an epoch in `unit` ({@link numberToEpochMs}: with `auto`, compact dates
 *   `YYYYMMDD` / `YYYYMMDDHHMMSS` first, and no guess below {@link MIN_AUTO_EPOCH});
 * - a `Date` gives its time;
 * - text is trimmed, then read as a number (same rules) when it is decimal text, else as ISO 8601
 *   ({@link parseIsoTime}: UTC unless it has an offset, impossible dates rejected).
 *
 * NaN when the value cannot be read; {@link describeTimeProblem} says why, for the message.
 *
 * @example
 * toEpochMs('2024-01-02');            // Date.UTC(2024, 0, 2)
 * toEpochMs('20240102');              // Date.UTC(2024, 0, 2)
 * toEpochMs(1_704_153_600);           // seconds by magnitude: Date.UTC(2024, 0, 2)
 * toEpochMs('2023-02-30');            // NaN (no such day)
 * toEpochMs(2020);                    // NaN (ambiguous: pass a unit)
 * toEpochMs(2020, 's');               // 2_020_000
 */
export function toEpochMs(value: unknown, unit: TimeUnit = 'auto'): number {
  if (typeof value === 'number') return numberToEpochMs(value, unit);
  if (typeof value === 'string') return textToEpochMs(value, unit);
  if (value instanceof Date) return value.getTime();
  return Number.NaN;
}

/** Epoch ms as an ISO string (`2020-01-03T00:00:00.000Z`) for messages, or the raw number. */
export function describeTime(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return String(ms);
  return new Date(ms).toISOString();
}

const ISO_FORMS = 'an ISO date (YYYY-MM-DD, optionally THH:MM[:SS[.fff]] with Z or +-HH:MM)';
const ISO_SHAPE = /^\d{4}-\d{2}-\d{2}(?:$|[T ])/i;

/**
 * Why {@link toEpochMs} could not read `value` with `unit`, as a clause for an error message
 * (`line 3, column "date": <clause>, got "2023-02-30"`). Only meant for values it rejected.
 */
export function describeTimeProblem(value: unknown, unit: TimeUnit = 'auto'): string {
  const text = typeof value === 'string' ? value.trim() : undefined;
  const number = typeof value === 'number' ? value : text !== undefined && EPOCH_PATTERN.test(text) ? Number(text) : undefined;
  if (number !== undefined && Number.isFinite(number) && unit === 'auto' && Math.abs(number) < MIN_AUTO_EPOCH) {
    const compact = Number.isInteger(number) && number >= 1e7 && number < 1e8;
    return (
      `expected a date or an epoch with a stated unit: ${compact ? 'an 8-digit number that is not a real YYYYMMDD date' : `a number below ${MIN_AUTO_EPOCH}`} ` +
      `is ambiguous (as epoch seconds it would be ${describeTime(number * 1000)}); write dates as YYYY-MM-DD or YYYYMMDD, ` +
      `or pass timeUnit 's' or 'ms' when the numbers are epochs`
    );
  }
  if (text !== undefined && ISO_SHAPE.test(text)) {
    return `expected ${ISO_FORMS} that exists: month 01-12, a day the month has, hours 00-23, minutes and seconds 00-59`;
  }
  if (unit === 'auto') {
    return `expected ${ISO_FORMS}, a compact date (YYYYMMDD or YYYYMMDDHHMMSS), epoch seconds or milliseconds, or a Date`;
  }
  return `expected ${ISO_FORMS}, an epoch number in ${unit === 's' ? 'seconds' : unit === 'ms' ? 'milliseconds' : unit === 'us' ? 'microseconds' : 'nanoseconds'} (timeUnit '${unit}'), or a Date`;
}
