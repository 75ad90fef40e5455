import { AlgoTradingError, describeValue } from '@algo-trading/core';
import { HEADER_ALIASES, normalizeHeader, type ColumnMapping, type ColumnRef } from '@algo-trading/data';

/**
 * Which column of an imported file holds which bar field. Detection follows the data package's
 * header rules (the same aliases, case and punctuation ignored, an ambiguous header is an error),
 * so a file `readBarsCsv` understands imports the same way; in addition a `timeframe` column is
 * recognised, and a first column with an empty header (pandas' `to_csv()` index) or pandas'
 * `__index_level_0__` serves as the time when nothing else does.
 */

/** Fields an imported file can hold. */
type Field = 'time' | 'clock' | 'open' | 'high' | 'low' | 'close' | 'adjClose' | 'volume' | 'price' | 'symbol' | 'timeframe';

/** Column index of every field; -1 when absent. */
export type FileRoles = Record<Field, number>;

/** Columns of a file resolved to bar fields. */
export interface ResolvedFileColumns {
  readonly roles: FileRoles;
  /** `ohlc`, or `price` for files with a single close or price column (open = high = low = close). */
  readonly layout: 'ohlc' | 'price';
  /** The single price column of the `price` layout; -1 for OHLC. */
  readonly priceColumn: number;
}

const TIMEFRAME_ALIASES = ['timeframe', 'interval', 'period'];
const PANDAS_INDEX_NAMES = ['column0', '__index_level_0__'];

function listNames(names: readonly string[]): string {
  return names.map((n) => JSON.stringify(n)).join(', ');
}

function resolveRef(names: readonly string[], path: string, ref: ColumnRef, source: string): number {
  if (typeof ref === 'number') {
    if (Number.isInteger(ref) && ref >= 0 && ref < names.length) return ref;
    throw new AlgoTradingError('INVALID_CONFIG', `columns.${path} must be a column position from 0 to ${names.length - 1} in ${source}, got ${describeValue(ref)}`, {
      details: { field: `columns.${path}`, value: ref },
    });
  }
  const exact = ref.trim().toLowerCase();
  let index = names.findIndex((n) => n.trim().toLowerCase() === exact);
  if (index < 0) index = names.findIndex((n) => normalizeHeader(n) === normalizeHeader(ref));
  if (index < 0) {
    throw new AlgoTradingError('INVALID_CONFIG', `columns.${path}: no column named ${describeValue(ref)} in ${source} (columns found: ${listNames(names)})`, {
      details: { field: `columns.${path}`, value: ref },
    });
  }
  return index;
}

function detect(names: readonly string[], aliases: readonly string[], taken: ReadonlySet<number>, field: string, source: string): number {
  let found = -1;
  for (let i = 0; i < names.length; i++) {
    if (taken.has(i) || !aliases.includes(normalizeHeader(names[i]!))) continue;
    if (found >= 0) {
      throw new AlgoTradingError(
        'INVALID_DATA',
        `${source}: columns ${JSON.stringify(names[found])} and ${JSON.stringify(names[i])} both look like ${field}: choose one with columns.${field}`,
        { details: { field, value: [names[found], names[i]], path: source } },
      );
    }
    found = i;
  }
  return found;
}

function missing(source: string, field: string, message: string, names: readonly string[]): never {
  throw new AlgoTradingError('INVALID_DATA', `${source}: ${message} (columns found: ${listNames(names)})`, {
    details: { field, value: names, path: source },
  });
}

/**
 * Chooses the column of every field of `names` (a file's header): explicit `mapping` entries
 * first, then detection among the other columns. Throws `INVALID_DATA` naming the file and the
 * missing column, `INVALID_CONFIG` for a mapping that names no column.
 */
export function resolveFileColumns(
  names: readonly string[],
  options: { readonly mapping?: ColumnMapping | undefined; readonly useAdjusted: boolean; readonly source: string },
): ResolvedFileColumns {
  const { source } = options;
  const mapping = options.mapping ?? {};
  const roles: FileRoles = {
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
    timeframe: -1,
  };
  const taken = new Set<number>();
  if (mapping.time !== undefined) {
    if (Array.isArray(mapping.time)) {
      const [dateRef, clockRef] = mapping.time as readonly [ColumnRef, ColumnRef];
      roles.time = resolveRef(names, 'time[0]', dateRef, source);
      roles.clock = resolveRef(names, 'time[1]', clockRef, source);
      taken.add(roles.clock);
    } else {
      roles.time = resolveRef(names, 'time', mapping.time as ColumnRef, source);
    }
    taken.add(roles.time);
  }
  for (const field of ['open', 'high', 'low', 'close', 'adjClose', 'volume', 'price', 'symbol'] as const) {
    const ref = mapping[field];
    if (ref === undefined) continue;
    roles[field] = resolveRef(names, field, ref, source);
    taken.add(roles[field]);
  }
  if (roles.time < 0) {
    const stamp = detect(names, ['datetime', 'timestamp'], taken, 'time', source);
    if (stamp >= 0) {
      roles.time = stamp;
    } else {
      const date = detect(names, ['date'], taken, 'time', source);
      const clock = detect(names, ['time'], taken, 'time', source);
      if (date >= 0 && clock >= 0) {
        roles.time = date;
        roles.clock = clock;
      } else {
        roles.time = date >= 0 ? date : clock;
      }
    }
    if (roles.time < 0 && names.length > 0 && PANDAS_INDEX_NAMES.includes(names[0]!) && !taken.has(0)) roles.time = 0;
    if (roles.time >= 0) taken.add(roles.time);
    if (roles.clock >= 0) taken.add(roles.clock);
  }
  for (const field of ['open', 'high', 'low', 'close', 'adjClose', 'volume', 'price', 'symbol'] as const) {
    if (roles[field] >= 0) continue;
    roles[field] = detect(names, HEADER_ALIASES[field], taken, field, source);
    if (roles[field] >= 0) taken.add(roles[field]);
  }
  roles.timeframe = detect(names, TIMEFRAME_ALIASES, taken, 'timeframe', source);
  if (roles.time < 0) {
    missing(source, 'time', 'no time column: expected one of date, datetime, timestamp, time (or set columns.time)', names);
  }
  const ohlcPresent = (['open', 'high', 'low'] as const).filter((f) => roles[f] >= 0);
  let layout: 'ohlc' | 'price';
  let priceColumn = -1;
  if (ohlcPresent.length === 0) {
    layout = 'price';
    priceColumn = roles.close >= 0 ? roles.close : roles.price;
    if (priceColumn < 0) missing(source, 'close', 'no price column: expected open, high, low and close, or a single close or price column', names);
  } else {
    layout = 'ohlc';
    for (const field of ['open', 'high', 'low', 'close'] as const) {
      if (roles[field] < 0) {
        missing(source, field, `has ${ohlcPresent.join(', ')} but no ${field} column: OHLC data needs open, high, low and close (or set columns.${field})`, names);
      }
    }
  }
  if (options.useAdjusted && roles.adjClose < 0) {
    missing(source, 'adjClose', 'useAdjusted needs an adjusted close column (adj close, adjclose, adj_close), or columns.adjClose', names);
  }
  return { roles, layout, priceColumn };
}
