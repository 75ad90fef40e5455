import {
  AlgoTradingError,
  BarSeries,
  checkTimeZone,
  describeValue,
  fromWallClock,
  isBarSeries,
  parseOptions,
  toUniverse,
  toWallClock,
  zLogger,
  type Logger,
  type Universe,
  type UniverseInput,
} from '@algo-trading/core';
import { z } from 'zod';

/** The units bars can be resampled to. */
export const RESAMPLE_UNITS = ['minute', 'hour', 'day', 'week', 'month'] as const;
/** One of {@link RESAMPLE_UNITS}. */
export type ResampleUnit = (typeof RESAMPLE_UNITS)[number];

/** A target bar length: `count` units, e.g. `{ unit: 'minute', count: 15 }`. */
export interface ResampleInterval {
  readonly unit: ResampleUnit;
  readonly count: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const SHORT_UNITS: Readonly<Record<string, ResampleUnit>> = { m: 'minute', min: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month' };
/** Counts that keep an intraday bucket within one day. */
const MAX_COUNT: Readonly<Record<ResampleUnit, number>> = { minute: 1440, hour: 24, day: 366, week: 53, month: 120 };

/**
 * Reads an interval such as `5m` (or `5min`), `1h`, `4h`, `1d`, `1w`, `1mo` or `3mo`.
 * Case-sensitive: months are `mo` (never `M`, too easily taken for minutes). `INVALID_CONFIG`
 * naming the value otherwise.
 */
export function parseResampleInterval(text: string | ResampleInterval): ResampleInterval {
  if (typeof text === 'object' && text !== null) {
    const { unit, count } = text;
    if (!RESAMPLE_UNITS.includes(unit) || !Number.isInteger(count) || count < 1 || count > MAX_COUNT[unit]) {
      throw new AlgoTradingError(
        'INVALID_CONFIG',
        `interval must be { unit: ${RESAMPLE_UNITS.join(' | ')}, count: a whole number from 1 up to 1440 minutes, 24 hours, 366 days, 53 weeks or 120 months }, got ${describeValue(text)}`,
        { details: { field: 'interval', value: text } },
      );
    }
    return { unit, count };
  }
  const match = typeof text === 'string' ? /^(\d+)(min|mo|m|h|d|w)$/.exec(text.trim()) : null;
  if (match === null) {
    throw new AlgoTradingError(
      'INVALID_CONFIG',
      `interval must look like 5m (or 5min), 1h, 1d, 1w or 3mo (months are "mo"), got ${describeValue(text)}`,
      { details: { field: 'interval', value: text } },
    );
  }
  return parseResampleInterval({ unit: SHORT_UNITS[match[2]!]!, count: Number(match[1]) });
}

/** Options of {@link resampleBars}. */
export interface ResampleOptions {
  /** The target bar length: `15m`, `1h`, `1d`, `1w`, `1mo`, `3mo`, ... or `{ unit, count }`. */
  readonly interval: string | ResampleInterval;
  /**
   * IANA time zone of the sessions: day, week and month boundaries are local midnights (or local
   * `sessionStart`) there, DST included. Default `UTC`. Daily bars dated by day alone are UTC
   * midnights: resample them in UTC, or their days shift (a warning is logged).
   */
  readonly timeZone?: string | undefined;
  /** First day of a week. Default `monday` (ISO weeks). */
  readonly weekStart?: 'monday' | 'sunday' | undefined;
  /**
   * Local time (`HH:MM`) at which a trading day starts; days, weeks and months start then.
   * Default `00:00`. FX: `17:00` in `America/New_York` with `weekStart: 'sunday'`.
   */
  readonly sessionStart?: string | undefined;
  /** The time of a resampled bar: its bucket's start (default) or its first source bar's time. */
  readonly label?: 'start' | 'first' | undefined;
  /**
   * The last bucket when the data does not show it complete: `drop` (default) or `keep`. It is
   * complete when its last source bar ends (time + bar duration) at or after the bucket's end.
   */
  readonly partial?: 'drop' | 'keep' | undefined;
  /** Duration of one source bar in ms, for the completeness check. Default: the smallest spacing of the series. */
  readonly barDuration?: number | undefined;
  /** Receives the warning about date-only bars resampled outside UTC. Default: silent. */
  readonly logger?: Logger | undefined;
}

const resampleOptionsSchema = z.strictObject({
  interval: z.union([
    z.string({ error: 'expected an interval such as 15m, 1h, 1d, 1w or 1mo' }),
    z.strictObject({ unit: z.enum(RESAMPLE_UNITS), count: z.number().int().min(1) }),
  ]),
  timeZone: z.string().trim().min(1).default('UTC'),
  weekStart: z.enum(['monday', 'sunday']).default('monday'),
  sessionStart: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'expected a local time HH:MM from 00:00 to 23:59' })
    .default('00:00'),
  label: z.enum(['start', 'first']).default('start'),
  partial: z.enum(['drop', 'keep']).default('drop'),
  barDuration: z.number().positive().finite().optional(),
  logger: zLogger(),
});

function describeDuration(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY} day${ms === DAY ? '' : 's'}`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE} min`;
  return `${ms} ms`;
}

/** A bucket boundary finder: the [start, end) of the bucket holding instant `t`. */
type Bucketer = (t: number, out: Float64Array) => void;

function makeBucketer(interval: ResampleInterval, timeZone: string, weekStart: 'monday' | 'sunday', session: number): Bucketer {
  const { unit, count } = interval;
  /** The local trading day holding `t`: its index (days since 1970-01-01 in local dates) and bounds. */
  let dayIndex = Number.NaN;
  let dayStart = Number.NaN;
  let dayEnd = Number.NaN;
  // Each day's start is asked for several times (as one day's end and the next one's start).
  const starts = new Map<number, number>();
  const startOfDay = (index: number): number => {
    let start = starts.get(index);
    if (start === undefined) {
      start = fromWallClock(timeZone, index * DAY + session);
      starts.set(index, start);
    }
    return start;
  };
  const locateDay = (t: number): void => {
    if (t >= dayStart && t < dayEnd) return;
    let index = Math.floor((toWallClock(timeZone, t) - session) / DAY);
    // A session start inside a DST gap moves; step to the day that really holds t.
    while (t < startOfDay(index)) index--;
    while (t >= startOfDay(index + 1)) index++;
    dayIndex = index;
    dayStart = startOfDay(index);
    dayEnd = startOfDay(index + 1);
  };
  switch (unit) {
    case 'minute':
    case 'hour': {
      // Fixed lengths of time counted from the start of each local day: a bucket never spans the
      // day boundary, and hourly buckets follow the clock before and after a DST change.
      const step = count * (unit === 'minute' ? MINUTE : 60 * MINUTE);
      return (t, out) => {
        locateDay(t);
        const start = dayStart + Math.floor((t - dayStart) / step) * step;
        out[0] = start;
        out[1] = Math.min(start + step, dayEnd);
      };
    }
    case 'day':
      return (t, out) => {
        locateDay(t);
        const first = Math.floor(dayIndex / count) * count;
        out[0] = startOfDay(first);
        out[1] = startOfDay(first + count);
      };
    case 'week': {
      // 1970-01-05 (day 4) was a Monday, 1970-01-04 (day 3) a Sunday.
      const reference = weekStart === 'monday' ? 4 : 3;
      return (t, out) => {
        locateDay(t);
        const weeks = Math.floor((dayIndex - reference) / 7);
        const first = reference + Math.floor(weeks / count) * count * 7;
        out[0] = startOfDay(first);
        out[1] = startOfDay(first + 7 * count);
      };
    }
    case 'month':
      return (t, out) => {
        locateDay(t);
        const date = new Date(dayIndex * DAY);
        const months = date.getUTCFullYear() * 12 + date.getUTCMonth();
        const first = Math.floor(months / count) * count;
        const dayOfMonth = (m: number) => Math.round(Date.UTC(Math.floor(m / 12), m % 12, 1) / DAY);
        out[0] = startOfDay(dayOfMonth(first));
        out[1] = startOfDay(dayOfMonth(first + count));
      };
  }
}

/**
 * Aggregates bars into longer ones: open = first open, high = max high, low = min low, close =
 * last close, volume = sum, one bar per bucket that holds data (empty buckets give no bar).
 *
 * Buckets, in `timeZone` (default UTC):
 * - minutes and hours: fixed lengths counted from the start of each local trading day (local
 *   midnight, or `sessionStart`): `1h` gives clock hours, 23 of them on the spring DST day and 25
 *   in autumn; no bucket spans the day boundary;
 * - days: local trading days (23, 24 or 25 hours long); `2d` counts days from 1970-01-01;
 * - weeks: seven local days from `weekStart` (Monday, ISO, by default); `2w` counts weeks from
 *   1970-01-05 (a Monday; 1970-01-04 for Sunday weeks);
 * - months: local calendar months; `3mo` gives quarters from January, `12mo` calendar years.
 *
 * The last bucket is dropped unless the data shows it complete (its last bar ends at or after the
 * bucket's end) or `partial: 'keep'`. Each bar's time is its bucket's start (or, with
 * `label: 'first'`, its first source bar's time). Synchronous, typed arrays, two passes.
 *
 * Errors: `INVALID_CONFIG` for bad options (interval, unknown time zone, ...), `INVALID_ARGUMENT`
 * when `series` is not a `BarSeries` or the interval is shorter than the series' bar spacing
 * (resampling only aggregates).
 *
 * @example
 * const hourly = resampleBars(minuteBars, { interval: '1h', timeZone: 'America/New_York' });
 * const weekly = resampleBars(dailyBars, { interval: '1w', partial: 'keep' });
 */
export function resampleBars(series: BarSeries, options: ResampleOptions): BarSeries {
  if (!isBarSeries(series)) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `resampleBars: series must be a BarSeries, got ${describeValue(series)}`, {
      details: { field: 'series', value: series },
    });
  }
  const o = parseOptions(resampleOptionsSchema, options, { what: 'resampleBars options' });
  const interval = parseResampleInterval(o.interval as string | ResampleInterval);
  checkTimeZone(o.timeZone);
  const logger = o.logger;
  const { time, open, high, low, close, volume } = series;
  const n = series.length;
  let spacing = Number.POSITIVE_INFINITY;
  let dateOnly = true;
  for (let i = 0; i < n; i++) {
    if (i > 0 && time[i]! - time[i - 1]! < spacing) spacing = time[i]! - time[i - 1]!;
    if (time[i]! % DAY !== 0) dateOnly = false;
  }
  const nominal =
    interval.unit === 'minute' ? interval.count * MINUTE : interval.unit === 'hour' ? interval.count * 60 * MINUTE : interval.unit === 'day' ? interval.count * DAY : interval.unit === 'week' ? interval.count * 7 * DAY : interval.count * 28 * DAY;
  if (n > 1 && spacing > nominal) {
    throw new AlgoTradingError(
      'INVALID_ARGUMENT',
      `resampleBars only aggregates: interval ${describeDuration(nominal)} is shorter than the series' bar spacing (${describeDuration(spacing)})`,
      { details: { field: 'interval', value: o.interval } },
    );
  }
  if (n > 1 && dateOnly && o.timeZone !== 'UTC' && (interval.unit === 'day' || interval.unit === 'week' || interval.unit === 'month')) {
    logger.warn(
      { timeZone: o.timeZone, symbol: series.symbol },
      `resampleBars: every bar is at UTC midnight (dates without a time) but timeZone is ${o.timeZone}: their local days differ from their dates; resample date-only bars in UTC`,
    );
  }
  const [hours, minutes] = o.sessionStart.split(':').map(Number) as [number, number];
  const bucketOf = makeBucketer(interval, o.timeZone, o.weekStart, (hours * 60 + minutes) * MINUTE);

  // Pass 1: the buckets, as the index of their first bar and their bounds.
  const firsts: number[] = [];
  const starts: number[] = [];
  let lastEnd = Number.NEGATIVE_INFINITY;
  const bounds = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    if (t < lastEnd) continue;
    bucketOf(t, bounds);
    firsts.push(i);
    starts.push(bounds[0]!);
    lastEnd = bounds[1]!;
  }
  let m = firsts.length;
  if (m > 0 && o.partial === 'drop') {
    const duration = o.barDuration ?? spacing;
    if (!(time[n - 1]! + duration >= lastEnd)) m--;
  }

  // Pass 2: one bar per bucket.
  const out = {
    time: new Float64Array(m),
    open: new Float64Array(m),
    high: new Float64Array(m),
    low: new Float64Array(m),
    close: new Float64Array(m),
    volume: new Float64Array(m),
  };
  for (let b = 0; b < m; b++) {
    const from = firsts[b]!;
    const to = b + 1 < firsts.length ? firsts[b + 1]! : n;
    let h = high[from]!;
    let l = low[from]!;
    let v = 0;
    for (let i = from; i < to; i++) {
      if (high[i]! > h) h = high[i]!;
      if (low[i]! < l) l = low[i]!;
      v += volume[i]!;
    }
    out.time[b] = o.label === 'start' ? starts[b]! : time[from]!;
    out.open[b] = open[from]!;
    out.high[b] = h;
    out.low[b] = l;
    out.close[b] = close[to - 1]!;
    out.volume[b] = v;
  }
  return BarSeries.fromValidatedColumns(out, series.symbol === undefined ? undefined : { symbol: series.symbol });
}

/** {@link resampleBars} applied to every symbol of a universe; the result keeps the symbols' order. */
export function resampleUniverse(universe: UniverseInput, options: ResampleOptions): Universe {
  const checked = toUniverse(universe);
  const out = new Map<string, BarSeries>();
  for (const [symbol, series] of checked) out.set(symbol, resampleBars(series, options));
  return out;
}
