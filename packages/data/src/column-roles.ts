import { AlgoTradingError, describeValue } from '@algo-trading/core';

/**
 * Which column of a table holds which bar field: detected from common header names
 * (case-insensitive, ignoring spaces, `_`, `-` and `.`) or given explicitly.
 */

/** The fields a column can hold. */
export const BAR_FIELDS = ['time', 'open', 'high', 'low', 'close', 'adjClose', 'volume', 'price', 'symbol'] as const;
/** One of {@link BAR_FIELDS}. */
export type BarField = (typeof BAR_FIELDS)[number];

/** A column given by its header name (case-insensitive) or its 0-based position. */
export type ColumnRef = string | number;

/**
 * Explicit column choices; fields left out are detected from the header. `time` may also be a
 * pair `[dateColumn, timeOfDayColumn]` to join a date and a time-of-day column.
 */
export interface ColumnMapping {
  readonly time?: ColumnRef | readonly [ColumnRef, ColumnRef] | undefined;
  readonly open?: ColumnRef | undefined;
  readonly high?: ColumnRef | undefined;
  readonly low?: ColumnRef | undefined;
  readonly close?: ColumnRef | undefined;
  readonly adjClose?: ColumnRef | undefined;
  readonly volume?: ColumnRef | undefined;
  readonly price?: ColumnRef | undefined;
  readonly symbol?: ColumnRef | undefined;
}

/** Header names recognised for each field, after {@link normalizeHeader}. */
export const HEADER_ALIASES: Readonly<Record<BarField, readonly string[]>> = {
  time: ['datetime', 'timestamp', 'date', 'time'],
  open: ['open'],
  high: ['high'],
  low: ['low'],
  close: ['close'],
  adjClose: ['adjclose', 'adjustedclose'],
  volume: ['volume', 'vol'],
  price: ['price'],
  symbol: ['symbol', 'ticker'],
};

/** `" Adj Close "` -> `adjclose`: lower case without spaces, `_`, `-` or `.`. */
export function normalizeHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_.-]+/g, '');
}

/** Columns chosen for each field; -1 when absent. `clock` is a time-of-day column joined to `time`. */
export interface ColumnRoles {
  time: number;
  clock: number;
  open: number;
  high: number;
  low: number;
  close: number;
  adjClose: number;
  volume: number;
  price: number;
  symbol: number;
}

/** How prices are read: full OHLC, or one price per bar (o = h = l = c). */
export type PriceLayout = 'ohlc' | 'price';

/** {@link ColumnRoles} plus the price layout and the column the single price comes from. */
export interface ResolvedColumns {
  readonly roles: ColumnRoles;
  readonly layout: PriceLayout;
  /** Column of the single price for the `price` layout (close, else price); -1 for OHLC. */
  readonly priceColumn: number;
}

/** What {@link resolveColumns} needs to know about the table and the caller's wishes. */
export interface ResolveColumnsInput {
  /** Column names; for a file without a header, `column 1`, `column 2`, ... */
  readonly names: readonly string[];
  /** False when the names are placeholders (no header): then only positions may be mapped. */
  readonly hasHeader: boolean;
  readonly mapping?: ColumnMapping | undefined;
  readonly useAdjusted: boolean;
  /** A column to use as time when no time column is found (a DataFrame's index). */
  readonly fallbackTime?: number | undefined;
  /** For messages: `CSV header`, `row objects`, `DataFrame columns`. */
  readonly what: string;
}

function listNames(names: readonly string[]): string {
  return names.map((n) => JSON.stringify(n)).join(', ');
}

function missing(field: string, message: string, names: readonly string[]): never {
  throw new AlgoTradingError('INVALID_DATA', `${message} (columns found: ${listNames(names)})`, {
    details: { field, value: names },
  });
}

function findByName(names: readonly string[], wanted: string): number {
  const exact = wanted.trim().toLowerCase();
  let index = names.findIndex((n) => n.trim().toLowerCase() === exact);
  if (index < 0) {
    const normalized = normalizeHeader(wanted);
    index = names.findIndex((n) => normalizeHeader(n) === normalized);
  }
  return index;
}

function resolveRef(input: ResolveColumnsInput, path: string, ref: ColumnRef): number {
  const { names } = input;
  if (typeof ref === 'number') {
    if (Number.isInteger(ref) && ref >= 0 && ref < names.length) return ref;
    throw new AlgoTradingError(
      'INVALID_CONFIG',
      `columns.${path} must be a column position from 0 to ${names.length - 1}, got ${describeValue(ref)}`,
      { details: { field: `columns.${path}`, value: ref } },
    );
  }
  if (!input.hasHeader) {
    throw new AlgoTradingError(
      'INVALID_CONFIG',
      `columns.${path} must be a column position (0-based) when the file has no header, got ${describeValue(ref)}`,
      { details: { field: `columns.${path}`, value: ref } },
    );
  }
  const index = findByName(names, ref);
  if (index < 0) {
    throw new AlgoTradingError(
      'INVALID_CONFIG',
      `columns.${path}: no column named ${describeValue(ref)} in the ${input.what} (columns found: ${listNames(names)})`,
      { details: { field: `columns.${path}`, value: ref } },
    );
  }
  return index;
}

function detect(input: ResolveColumnsInput, aliases: readonly string[], taken: ReadonlySet<number>, field: string): number {
  if (!input.hasHeader) return -1;
  let found = -1;
  for (let i = 0; i < input.names.length; i++) {
    if (taken.has(i) || !aliases.includes(normalizeHeader(input.names[i]!))) continue;
    if (found >= 0) {
      throw new AlgoTradingError(
        'INVALID_DATA',
        `columns ${JSON.stringify(input.names[found])} and ${JSON.stringify(input.names[i])} both look like ${field}: choose one with columns.${field}`,
        { details: { field, value: [input.names[found], input.names[i]] } },
      );
    }
    found = i;
  }
  return found;
}

/**
 * Chooses the column of every field: explicit `mapping` entries first, then header detection
 * among the remaining columns. Time: a `datetime`/`timestamp` column, else `date` joined with a
 * `time` column when both exist, else `date` or `time`. Prices: open, high, low and close, or a
 * single close/price column (price-only data). Throws `INVALID_DATA` naming the missing column and
 * listing the columns found, `INVALID_CONFIG` for a mapping that names no column.
 */
export function resolveColumns(input: ResolveColumnsInput): ResolvedColumns {
  const mapping = input.mapping ?? {};
  const roles: ColumnRoles = {
    time: -1,
    clock: -1,
    open: -1,
    high: -1,
    low: -1,
    close: -1,
    adjClose: -1,
    volume: -1,
    price: -1,
    symbol: -1,
  };
  const taken = new Set<number>();
  // 1. Explicit choices.
  if (mapping.time !== undefined) {
    if (Array.isArray(mapping.time)) {
      const [dateRef, clockRef] = mapping.time as readonly [ColumnRef, ColumnRef];
      roles.time = resolveRef(input, 'time[0]', dateRef);
      roles.clock = resolveRef(input, 'time[1]', clockRef);
      taken.add(roles.clock);
    } else {
      roles.time = resolveRef(input, 'time', mapping.time as ColumnRef);
    }
    taken.add(roles.time);
  }
  for (const field of BAR_FIELDS) {
    if (field === 'time') continue;
    const ref = mapping[field];
    if (ref === undefined) continue;
    roles[field] = resolveRef(input, field, ref);
    taken.add(roles[field]);
  }
  // 2. Detection among the other columns.
  if (roles.time < 0) {
    const stamp = detect(input, ['datetime', 'timestamp'], taken, 'time');
    if (stamp >= 0) {
      roles.time = stamp;
    } else {
      const date = detect(input, ['date'], taken, 'time');
      const time = detect(input, ['time'], taken, 'time');
      if (date >= 0 && time >= 0) {
        roles.time = date;
        roles.clock = time;
      } else {
        roles.time = date >= 0 ? date : time;
      }
    }
    if (roles.time < 0 && input.fallbackTime !== undefined) roles.time = input.fallbackTime;
    if (roles.time >= 0) taken.add(roles.time);
    if (roles.clock >= 0) taken.add(roles.clock);
  }
  for (const field of BAR_FIELDS) {
    if (field === 'time' || roles[field] >= 0) continue;
    roles[field] = detect(input, HEADER_ALIASES[field], taken, field);
    if (roles[field] >= 0) taken.add(roles[field]);
  }
  // 3. Completeness.
  const { names } = input;
  if (roles.time < 0) {
    missing(
      'time',
      `the ${input.what} has no time column: expected one of date, datetime, timestamp, time${input.what === 'CSV header' ? ', or a first column with an empty name (a pandas index)' : ''} (or set columns.time)`,
      names,
    );
  }
  const ohlcPresent = (['open', 'high', 'low'] as const).filter((f) => roles[f] >= 0);
  let layout: PriceLayout;
  let priceColumn = -1;
  if (ohlcPresent.length === 0) {
    layout = 'price';
    priceColumn = roles.close >= 0 ? roles.close : roles.price;
    if (priceColumn < 0) {
      missing('close', `the ${input.what} has no price column: expected open, high, low and close, or a single close or price column`, names);
    }
  } else {
    layout = 'ohlc';
    for (const field of ['open', 'high', 'low', 'close'] as const) {
      if (roles[field] < 0) {
        missing(
          field,
          `the ${input.what} has ${ohlcPresent.join(', ')} but no ${field} column: OHLC data needs open, high, low and close (or set columns.${field})`,
          names,
        );
      }
    }
  }
  if (input.useAdjusted && roles.adjClose < 0) {
    missing('adjClose', `useAdjusted needs an adjusted close column (adj close, adjclose, adj_close) in the ${input.what}, or columns.adjClose`, names);
  }
  return { roles, layout, priceColumn };
}
