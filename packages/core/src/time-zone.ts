import { AlgoTradingError, describeValue } from './errors';

/**
 * Wall-clock arithmetic in an IANA time zone with the platform's `Intl` data (no dependency):
 * offsets at an instant and the instant of a local date and time, DST gaps and overlaps included.
 * Each conversion costs a few `Intl` calls: convert once per bucket or per day, never per bar.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter of wall-clock fields in `timeZone`; `INVALID_CONFIG` for an unknown zone. */
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (cause) {
      throw new AlgoTradingError('INVALID_CONFIG', `timeZone must be an IANA time zone such as "America/New_York" or "UTC", got ${describeValue(timeZone)}`, {
        cause,
        details: { field: 'timeZone', value: timeZone },
      });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Checks that `timeZone` is an IANA zone this platform knows (`INVALID_CONFIG` naming it otherwise). */
export function checkTimeZone(timeZone: string): void {
  formatterOf(timeZone);
}

/** The zone's offset from UTC at instant `utcMs`, in ms (New York in winter: -18,000,000). */
export function zoneOffsetAt(timeZone: string, utcMs: number): number {
  if (timeZone === 'UTC') return 0;
  // Whole seconds: Intl has no milliseconds field, and offsets are whole minutes.
  const whole = Math.floor(utcMs / 1000) * 1000;
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterOf(timeZone).formatToParts(whole)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  const asUtc = new Date(0).setUTCFullYear(fields.year, fields.month - 1, fields.day) + ((fields.hour * 60 + fields.minute) * 60 + fields.second) * 1000;
  return asUtc - whole;
}

/** The wall-clock time at `utcMs` in the zone, as epoch ms of the same fields in UTC. */
export function toWallClock(timeZone: string, utcMs: number): number {
  return utcMs + zoneOffsetAt(timeZone, utcMs);
}

/**
 * The instant at which the zone's clocks show `wallMs` (wall-clock fields encoded as UTC epoch
 * ms), disambiguated like Temporal's `compatible` mode: in a DST overlap (an hour shown twice) the
 * earlier instant; in a gap (skipped times) the time is read with the offset before the gap, which
 * moves it forward by the gap (02:30 on New York's spring-forward day is 03:30 EDT; a midnight that
 * does not exist becomes the moment the clocks jump).
 */
export function fromWallClock(timeZone: string, wallMs: number): number {
  if (timeZone === 'UTC') return wallMs;
  const day = 86_400_000;
  const before = zoneOffsetAt(timeZone, wallMs - day);
  const after = zoneOffsetAt(timeZone, wallMs + day);
  let best = Number.NaN;
  for (const offset of before === after ? [before] : [before, after]) {
    const candidate = wallMs - offset;
    if (zoneOffsetAt(timeZone, candidate) === offset && !(candidate >= best)) best = candidate;
  }
  // No candidate maps back: the wall time is in a gap.
  return best === best ? best : wallMs - before;
}
