import { AlgoTradingError, BarSeries, describeTime, describeTimeProblem, describeValue, isAlgoTradingError, toEpochMs, universeOf, type Universe } from '@algo-trading/core';
import { resolveColumns, type ResolvedColumns } from './column-roles';
import type { ResolvedLoadOptions } from './options';
import { combineDateAndClock, type TimeParser } from './parse-time';
import type { Table } from './table';

/**
 * From a table to validated series, in two phases shared by every source:
 * 1. reading: every cell of the rows to keep becomes a number in `Float64Array` columns
 *    ({@link readTableRows} cell by cell; the CSV scanner straight from the file's bytes);
 * 2. {@link finishSeries}: adjusting, grouping by symbol, time order, core's bar rules, with every
 *    error reported at its line or row, column and value.
 */

/** One series per symbol of a table; `symbol` is undefined when the table has no symbol column. */
export interface SymbolGroup {
  readonly symbol: string | undefined;
  readonly series: BarSeries;
}

/** The numbers read from a table (phase 1): one entry per kept row, in table order. */
export interface ReadRows {
  /** Number of rows read. */
  readonly length: number;
  readonly time: Float64Array;
  /** For the price layout, `open`, `high`, `low` and `close` are one array. */
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  /** Adjusted closes, read only for OHLC data with `useAdjusted`. */
  readonly adjClose: Float64Array | undefined;
  readonly volume: Float64Array;
  /** The table row of each read row; undefined when row k is table row k. */
  readonly rows: Int32Array | undefined;
  /** The symbol of each read row (an index into `symbols`); undefined without a symbol column. */
  readonly symbolIds: Int32Array | undefined;
  /** Symbols in order of first appearance. */
  readonly symbols: readonly string[];
}

const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function cellError(
  table: Table,
  row: number,
  column: number,
  value: unknown,
  expectation: string,
  cause?: unknown,
  code: 'PARSE_ERROR' | 'INVALID_DATA' = table.fromText ? 'PARSE_ERROR' : 'INVALID_DATA',
): never {
  const name = table.names[column] ?? `column ${column + 1}`;
  throw new AlgoTradingError(
    code,
    `${table.where(row)}, column ${JSON.stringify(name)}: ${expectation}, got ${describeValue(value)}`,
    { cause, details: { field: name, index: table.position(row), value } },
  );
}

/** A cell as a number: numbers as they are, decimal text parsed; NaN for anything else. */
export function cellToNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const text = value.trim();
    return NUMBER_PATTERN.test(text) ? Number(text) : Number.NaN;
  }
  return Number.NaN;
}

/** The number at a cell, or a `PARSE_ERROR` / `INVALID_DATA` naming the cell. */
export function readNumber(table: Table, row: number, column: number): number {
  const raw = table.cell(row, column);
  const value = cellToNumber(raw);
  if (Number.isNaN(value)) cellError(table, row, column, raw, 'expected a number');
  return value;
}

/** What {@link cellToEpochMs} needs of the options. */
export type TimeReadOptions = Pick<ResolvedLoadOptions, 'timeUnit' | 'textTimeUnit' | 'parseTime'>;

/**
 * A time cell as epoch ms with core's rules (`toEpochMs`): text with the text unit (or the custom
 * `parseTime`), numbers with the number unit. NaN when unreadable; `parseTime` may throw.
 */
export function cellToEpochMs(raw: unknown, options: TimeReadOptions): number {
  if (typeof raw === 'string') {
    const parse: TimeParser | undefined = options.parseTime;
    if (parse !== undefined) {
      const ms = parse(raw.trim());
      return typeof ms === 'number' && Number.isFinite(ms) ? ms : Number.NaN;
    }
    return toEpochMs(raw, options.textTimeUnit);
  }
  return toEpochMs(raw, options.timeUnit);
}

/** The time of a row (its time cell, or its date and clock cells), or an error naming the cell. */
export function readTime(table: Table, row: number, resolved: ResolvedColumns, options: TimeReadOptions): number {
  const { roles } = resolved;
  const raw = table.cell(row, roles.time);
  if (roles.clock >= 0) {
    const clock = table.cell(row, roles.clock);
    const ms = combineDateAndClock(raw, clock);
    if (Number.isNaN(ms)) {
      const clockName = table.names[roles.clock] ?? `column ${roles.clock + 1}`;
      cellError(
        table,
        row,
        roles.time,
        [raw, clock],
        `expected an ISO date (YYYY-MM-DD) with a time of day HH:MM[:SS] in column ${JSON.stringify(clockName)} (or choose one time column with columns.time)`,
      );
    }
    return ms;
  }
  let ms: number;
  try {
    ms = cellToEpochMs(raw, options);
  } catch (cause) {
    return cellError(table, row, roles.time, raw, `parseTime failed (${(cause as Error)?.message ?? String(cause)})`, cause);
  }
  if (!Number.isFinite(ms)) {
    const custom = options.parseTime !== undefined && typeof raw === 'string';
    const unit = typeof raw === 'string' ? options.textTimeUnit : options.timeUnit;
    cellError(table, row, roles.time, raw, custom ? 'parseTime returned no finite epoch milliseconds' : describeTimeProblem(raw, unit));
  }
  return ms;
}

/** The symbol of a row: trimmed text, or a finite number as text; an error for anything else. */
export function readSymbol(table: Table, row: number, column: number): string {
  const raw = table.cell(row, column);
  const symbol = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : '';
  if (symbol === '') cellError(table, row, column, raw, 'expected a symbol');
  return symbol;
}

/** Symbols numbered in order of first appearance. */
export class SymbolIds {
  /** Every symbol seen, by id. */
  readonly symbols: string[] = [];
  private readonly ids = new Map<string, number>();

  /** The id of `symbol`, numbering it when new. */
  idOf(symbol: string): number {
    let id = this.ids.get(symbol);
    if (id === undefined) {
      id = this.symbols.length;
      this.ids.set(symbol, id);
      this.symbols.push(symbol);
    }
    return id;
  }
}

/** Empty columns for `capacity` rows in the layout of `resolved`. */
export function allocateRows(capacity: number, resolved: ResolvedColumns, options: Pick<ResolvedLoadOptions, 'useAdjusted'>) {
  const price = resolved.layout === 'price' ? new Float64Array(capacity) : undefined;
  return {
    time: new Float64Array(capacity),
    open: price ?? new Float64Array(capacity),
    high: price ?? new Float64Array(capacity),
    low: price ?? new Float64Array(capacity),
    close: price ?? new Float64Array(capacity),
    adjClose: options.useAdjusted && resolved.layout === 'ohlc' ? new Float64Array(capacity) : undefined,
    volume: new Float64Array(capacity),
  };
}

/**
 * Phase 1 for any {@link Table}: reads the rows to keep (all, or only `options.symbol`'s when there
 * is a symbol column) cell by cell into columns, row by row: the symbol first (a row of another
 * symbol is not read further), then time, prices and volume. The first unreadable cell in table
 * order is the one reported.
 */
export function readTableRows(table: Table, resolved: ResolvedColumns, options: ResolvedLoadOptions): ReadRows {
  const { roles, layout, priceColumn } = resolved;
  const n = table.rowCount;
  const cols = allocateRows(n, resolved, options);
  const priceSource = options.useAdjusted ? roles.adjClose : priceColumn;
  const symbolColumn = roles.symbol;
  const symbolIds = symbolColumn >= 0 ? new Int32Array(n) : undefined;
  const wanted = symbolColumn >= 0 ? options.symbol : undefined;
  const keep = wanted === undefined ? undefined : new Int32Array(n);
  const ids = new SymbolIds();
  let k = 0;
  for (let r = 0; r < n; r++) {
    if (symbolIds !== undefined) {
      const symbol = readSymbol(table, r, symbolColumn);
      const id = ids.idOf(symbol);
      if (keep !== undefined) {
        if (symbol !== wanted) continue;
        keep[k] = r;
      }
      symbolIds[k] = id;
    }
    cols.time[k] = readTime(table, r, resolved, options);
    if (layout === 'price') {
      cols.close[k] = readNumber(table, r, priceSource);
    } else {
      cols.open[k] = readNumber(table, r, roles.open);
      cols.high[k] = readNumber(table, r, roles.high);
      cols.low[k] = readNumber(table, r, roles.low);
      cols.close[k] = readNumber(table, r, roles.close);
      if (cols.adjClose !== undefined) cols.adjClose[k] = readNumber(table, r, roles.adjClose);
    }
    cols.volume[k] = roles.volume >= 0 ? readNumber(table, r, roles.volume) : 0;
    k++;
  }
  return symbolRows(table, { length: k, ...cols, rows: keep?.subarray(0, k), symbolIds: symbolIds?.subarray(0, k), symbols: ids.symbols }, symbolColumn, wanted);
}

/**
 * With `options.symbol` (`wanted`) and a symbol column: `NOT_FOUND` when no row had it, else the
 * rows relabelled as that one symbol.
 */
export function symbolRows(table: Table, read: ReadRows, symbolColumn: number, wanted: string | undefined): ReadRows {
  if (wanted === undefined) return read;
  const id = read.symbols.indexOf(wanted);
  if (id < 0) symbolNotFound(table, symbolColumn, wanted, read.symbols);
  const ids = read.symbolIds!;
  ids.fill(0);
  return { ...read, symbols: [wanted] };
}

/** `NOT_FOUND`: `options.symbol` is not in the symbol column. */
export function symbolNotFound(table: Table, column: number, wanted: string, found: readonly string[]): never {
  const name = table.names[column] ?? `column ${column + 1}`;
  throw new AlgoTradingError(
    'NOT_FOUND',
    `symbol ${JSON.stringify(wanted)} does not occur in column ${JSON.stringify(name)} (symbols found: ${[...found].sort().join(', ')})`,
    { details: { field: 'symbol', value: wanted } },
  );
}

interface Columns {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

function permute(source: Float64Array, order: ArrayLike<number>): Float64Array {
  const out = new Float64Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = source[order[k]!]!;
  return out;
}

/** The column (of the table) a validation error about a bar field refers to. */
function sourceColumn(field: string, resolved: ResolvedColumns, useAdjusted: boolean): number {
  const { roles, layout, priceColumn } = resolved;
  if (field === 'time') return roles.time;
  if (field === 'volume') return roles.volume;
  if (field === 'open' || field === 'high' || field === 'low' || field === 'close') {
    if (layout === 'price') return useAdjusted ? roles.adjClose : priceColumn;
    return useAdjusted && field === 'close' ? roles.adjClose : roles[field];
  }
  return -1;
}

/**
 * Rescales OHLC rows in place by adjClose / close. One factor for all four keeps their order
 * (rounding is monotonic); close becomes adj exactly, so a high or low that touched the close keeps
 * touching it (no 1-ulp rule violations). Rows whose close is not a finite positive price are left
 * for the bar rules to report.
 */
function adjustRows(table: Table, read: ReadRows, resolved: ResolvedColumns): void {
  const { open, high, low, close, adjClose } = read;
  if (adjClose === undefined) return;
  for (let k = 0; k < read.length; k++) {
    const c = close[k]!;
    if (!(c > 0 && Number.isFinite(c))) continue;
    const adj = adjClose[k]!;
    if (!(adj > 0 && Number.isFinite(adj))) {
      cellError(table, read.rows === undefined ? k : read.rows[k]!, resolved.roles.adjClose, adj, 'expected a finite positive adjusted close', undefined, 'INVALID_DATA');
    }
    const h = high[k]!;
    const l = low[k]!;
    const factor = adj / c;
    const hAdj = h * factor;
    const lAdj = l * factor;
    open[k] = open[k]! * factor;
    high[k] = h >= c ? Math.max(hAdj, adj) : hAdj;
    low[k] = l <= c ? Math.min(lAdj, adj) : lAdj;
    close[k] = adj;
  }
}

function duplicateError(table: Table, previousRow: number, row: number, ms: number, timeColumn: number): never {
  const name = table.names[timeColumn] ?? 'time';
  throw new AlgoTradingError(
    'INVALID_DATA',
    `${table.where(row)}, column ${JSON.stringify(name)}: duplicate time ${describeTime(ms)}, already at ${table.where(previousRow)}`,
    { details: { field: name, index: table.position(row), value: table.cell(row, timeColumn) } },
  );
}

/** Maps a core validation error (`close[12] ...`, series index) to the table's line/row and column name. */
function relocate(error: unknown, table: Table, rows: Int32Array | undefined, resolved: ResolvedColumns, useAdjusted: boolean): unknown {
  if (!isAlgoTradingError(error)) return error;
  const { field, index } = error.details;
  if (typeof field !== 'string' || typeof index !== 'number') return error;
  const row = rows === undefined ? index : rows[index];
  if (row === undefined || row >= table.rowCount) return error;
  const column = sourceColumn(field, resolved, useAdjusted);
  const name = column >= 0 ? (table.names[column] ?? field) : field;
  const rule = /^\w+\[\d+\] ([\s\S]*)$/.exec(error.message)?.[1] ?? error.message;
  const isPrice = field !== 'time' && field !== 'volume';
  const adjusted = useAdjusted && isPrice ? ' (after adjusting by the adjusted close)' : '';
  const label = resolved.layout === 'price' && isPrice ? 'price' : field;
  return new AlgoTradingError(error.code, `${table.where(row)}, column ${JSON.stringify(name)}: ${label} ${rule}${adjusted}`, {
    cause: error,
    details: { ...error.details, field: name, index: table.position(row), bar: index },
  });
}

/**
 * One symbol's rows as a validated series: strictly increasing times (sorted only with
 * `sortUnordered`, duplicates always an error), then core's bar rules. `rows` maps the columns'
 * entries to table rows for messages (undefined: entry k is table row k).
 */
function finishGroup(
  table: Table,
  cols: Columns,
  rows: Int32Array | undefined,
  resolved: ResolvedColumns,
  options: ResolvedLoadOptions,
  symbol: string | undefined,
): BarSeries {
  const { time } = cols;
  const n = time.length;
  const timeColumn = resolved.roles.time;
  const rowOf = (k: number): number => (rows === undefined ? k : rows[k]!);
  let orderedRows = rows;
  for (let k = 1; k < n; k++) {
    if (time[k]! > time[k - 1]!) continue;
    if (time[k] === time[k - 1]) duplicateError(table, rowOf(k - 1), rowOf(k), time[k]!, timeColumn);
    if (!options.sortUnordered) {
      const name = table.names[timeColumn] ?? 'time';
      throw new AlgoTradingError(
        'INVALID_DATA',
        `${table.where(rowOf(k))}, column ${JSON.stringify(name)}: time ${describeTime(time[k]!)} is earlier than ${table.where(rowOf(k - 1))} (${describeTime(time[k - 1]!)}); rows must be in time order (pass sortUnordered: true to sort them)`,
        { details: { field: name, index: table.position(rowOf(k)), value: table.cell(rowOf(k), timeColumn) } },
      );
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a]! - time[b]! || a - b);
    const sortedTime = permute(time, order);
    const sortedRows = Int32Array.from(order, (i) => rowOf(i));
    for (let j = 1; j < n; j++) {
      if (sortedTime[j] === sortedTime[j - 1]) duplicateError(table, sortedRows[j - 1]!, sortedRows[j]!, sortedTime[j]!, timeColumn);
    }
    options.logger.warn(
      { rows: n, firstOutOfOrder: table.where(rowOf(k)), symbol },
      `${n} rows were not in time order (first at ${table.where(rowOf(k))}); sorted them because sortUnordered is set`,
    );
    cols = mapColumns(cols, (column) => (column === time ? sortedTime : permute(column, order)));
    orderedRows = sortedRows;
    break;
  }
  try {
    return BarSeries.fromValidatedColumns(cols, symbol === undefined ? undefined : { symbol });
  } catch (error) {
    throw relocate(error, table, orderedRows, resolved, options.useAdjusted);
  }
}

/** `columns` with `map` applied to each; price-only columns (one array for o, h, l, c) stay one array. */
function mapColumns(columns: Readonly<Columns>, map: (column: Float64Array) => Float64Array): Columns {
  const price = columns.close === columns.open ? map(columns.close) : undefined;
  return {
    time: map(columns.time),
    open: price ?? map(columns.open),
    high: price ?? map(columns.high),
    low: price ?? map(columns.low),
    close: price ?? map(columns.close),
    volume: map(columns.volume),
  };
}

/** The first `length` entries of `column`: a view when little would be wasted, else a copy. */
function fit(column: Float64Array, length: number): Float64Array {
  if (column.length === length) return column;
  return column.length - length <= column.length >> 6 ? column.subarray(0, length) : column.slice(0, length);
}

/**
 * Phase 2: adjusts prices, splits the rows by symbol (groups in sorted symbol order), and turns each
 * group into a validated series, reporting every problem at its table row and column.
 */
export function finishSeries(table: Table, read: ReadRows, resolved: ResolvedColumns, options: ResolvedLoadOptions): SymbolGroup[] {
  adjustRows(table, read, resolved);
  const n = read.length;
  const all = mapColumns(read, (column) => fit(column, n));
  const { symbolIds, symbols } = read;
  if (symbolIds === undefined) {
    return [{ symbol: undefined, series: finishGroup(table, all, read.rows, resolved, options, options.symbol) }];
  }
  if (symbols.length === 1) {
    return [{ symbol: symbols[0], series: finishGroup(table, all, read.rows, resolved, options, symbols[0]) }];
  }
  // Counting sort of the rows by symbol (stable: each group keeps the table order).
  const counts = new Int32Array(symbols.length + 1);
  for (let k = 0; k < n; k++) counts[symbolIds[k]! + 1]!++;
  for (let s = 0; s < symbols.length; s++) counts[s + 1]! += counts[s]!;
  const starts = counts.slice(0, symbols.length);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[counts[symbolIds[k]!]!++] = k;
  const byName = symbols.map((symbol, id) => ({ symbol, id })).sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  return byName.map(({ symbol, id }) => {
    const members = order.subarray(starts[id]!, id + 1 < symbols.length ? starts[id + 1]! : n);
    const cols = mapColumns(all, (column) => permute(column, members));
    const rows = Int32Array.from(members, (k) => (read.rows === undefined ? k : read.rows[k]!));
    return { symbol, series: finishGroup(table, cols, rows, resolved, options, symbol) };
  });
}

/** Resolves the columns of a table: explicit mapping first, then header detection. */
export function tableColumns(table: Table, options: ResolvedLoadOptions, extra: { hasHeader?: boolean; fallbackTime?: number } = {}): ResolvedColumns {
  return resolveColumns({
    names: table.names,
    hasHeader: extra.hasHeader ?? true,
    mapping: options.columns,
    useAdjusted: options.useAdjusted,
    fallbackTime: extra.fallbackTime,
    what: table.what,
  });
}

/**
 * How the columns of a CSV file are resolved: with its header, and, when the first header cell is
 * empty, that first column as the time if no column is named like one (pandas' `to_csv()` writes
 * its index there with an empty name).
 */
export function csvColumnHints(names: readonly string[], header: boolean): { hasHeader: boolean; fallbackTime?: number } {
  return header && names.length > 0 && names[0]!.trim() === '' ? { hasHeader: true, fallbackTime: 0 } : { hasHeader: header };
}

/** `INVALID_DATA`: the table has a header but no data rows. */
export function noDataRows(table: Pick<Table, 'what'>): never {
  throw new AlgoTradingError('INVALID_DATA', `no data rows in the ${table.what === 'CSV header' ? 'CSV' : table.what}`, {
    details: { field: 'rows', value: 0 },
  });
}

/**
 * Builds validated series from a table: resolves the columns, reads the rows (only
 * `options.symbol`'s when there is a symbol column and it is given; errors name the line or row,
 * the column and the value), then {@link finishSeries}.
 */
export function buildSeries(
  table: Table,
  options: ResolvedLoadOptions,
  extra: { hasHeader?: boolean; fallbackTime?: number } = {},
): SymbolGroup[] {
  const resolved = tableColumns(table, options, extra);
  if (table.rowCount === 0) noDataRows(table);
  return finishSeries(table, readTableRows(table, resolved, options), resolved, options);
}

/**
 * The {@link Universe} of `groups` (one series per symbol, in sorted symbol order):
 * the symbol column's values, or `symbol` for the one series of data without a symbol column
 * (`INVALID_DATA` when there is none; `what` names the data, `single` the function for one series).
 */
export function groupsToUniverse(groups: readonly SymbolGroup[], symbol: string | undefined, what: string, single: string): Universe {
  const series = groups.map((group) => {
    const name = group.symbol ?? symbol ?? group.series.symbol;
    if (name === undefined) {
      throw new AlgoTradingError(
        'INVALID_DATA',
        `${what} has no symbol column (symbol, ticker or columns.symbol): pass options.symbol to name its one series, or use ${single}`,
        { details: { field: 'symbol' } },
      );
    }
    return group.series.symbol === name ? group.series : group.series.withSymbol(name);
  });
  return universeOf(series);
}

/**
 * The single series of `groups`, or `INVALID_DATA` when there are several symbols; `bySymbolName`
 * names the function that returns every symbol, when there is one.
 */
export function singleSeries(groups: readonly SymbolGroup[], bySymbolName?: string): BarSeries {
  if (groups.length === 1) return groups[0]!.series;
  const symbols = groups.map((g) => g.symbol).join(', ');
  const hint = bySymbolName === undefined ? 'pass symbol to pick one' : `use ${bySymbolName} for one series per symbol, or pass symbol to pick one`;
  throw new AlgoTradingError(
    'INVALID_DATA',
    `the data holds ${groups.length} symbols (${symbols}): ${hint}`,
    { details: { field: 'symbol', value: groups.map((g) => g.symbol) } },
  );
}
