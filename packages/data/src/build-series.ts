import { AlgoTradingError, BarSeries, describeTime, describeTimeProblem, describeValue, isAlgoTradingError, toEpochMs } from '@algo-trading/core';
import { resolveColumns, type ResolvedColumns } from './column-roles';
import type { ResolvedLoadOptions } from './options';
import { combineDateAndClock, type TimeParser } from './parse-time';
import type { Table } from './table';

/** One series per symbol of a table; `symbol` is undefined when the table has no symbol column. */
export interface SymbolGroup {
  readonly symbol: string | undefined;
  readonly series: BarSeries;
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

function readNumber(table: Table, row: number, column: number): number {
  const raw = table.cell(row, column);
  const value = cellToNumber(raw);
  if (Number.isNaN(value)) cellError(table, row, column, raw, 'expected a number');
  return value;
}

function readTime(table: Table, row: number, resolved: ResolvedColumns, options: ResolvedLoadOptions): number {
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
    const unit = typeof raw === 'string' ? options.textTimeUnit : options.timeUnit;
    const custom = options.parseTime !== undefined && typeof raw === 'string';
    cellError(table, row, roles.time, raw, custom ? 'parseTime returned no finite epoch milliseconds' : describeTimeProblem(raw, unit));
  }
  return ms;
}

/**
 * A time cell as epoch ms with core's rules ({@link toEpochMs}): text with the text unit (or the
 * custom `parseTime`), numbers with the number unit. NaN when unreadable; `parseTime` may throw.
 */
export function cellToEpochMs(raw: unknown, options: { timeUnit: ResolvedLoadOptions['timeUnit']; textTimeUnit: ResolvedLoadOptions['textTimeUnit']; parseTime: TimeParser | undefined }): number {
  if (typeof raw === 'string') {
    if (options.parseTime !== undefined) {
      const ms = options.parseTime(raw.trim());
      return typeof ms === 'number' && Number.isFinite(ms) ? ms : Number.NaN;
    }
    return toEpochMs(raw, options.textTimeUnit);
  }
  return toEpochMs(raw, options.timeUnit);
}

function groupBySymbol(table: Table, column: number, wanted: string | undefined): Map<string, Int32Array> {
  const groups = new Map<string, number[]>();
  for (let r = 0; r < table.rowCount; r++) {
    const raw = table.cell(r, column);
    const symbol = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : '';
    if (symbol === '') cellError(table, r, column, raw, 'expected a symbol');
    let rows = groups.get(symbol);
    if (rows === undefined) {
      rows = [];
      groups.set(symbol, rows);
    }
    rows.push(r);
  }
  if (wanted !== undefined) {
    const rows = groups.get(wanted);
    if (rows === undefined) {
      const name = table.names[column] ?? `column ${column + 1}`;
      throw new AlgoTradingError(
        'NOT_FOUND',
        `symbol ${JSON.stringify(wanted)} does not occur in column ${JSON.stringify(name)} (symbols found: ${[...groups.keys()].join(', ')})`,
        { details: { field: 'symbol', value: wanted } },
      );
    }
    return new Map([[wanted, Int32Array.from(rows)]]);
  }
  const out = new Map<string, Int32Array>();
  for (const [symbol, rows] of groups) out.set(symbol, Int32Array.from(rows));
  return out;
}

interface Columns {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

function permute(source: Float64Array, order: readonly number[]): Float64Array {
  const out = new Float64Array(source.length);
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

function buildGroup(
  table: Table,
  rows: Int32Array,
  resolved: ResolvedColumns,
  options: ResolvedLoadOptions,
  symbol: string | undefined,
): BarSeries {
  const n = rows.length;
  const { roles, layout, priceColumn } = resolved;
  const { useAdjusted } = options;
  const time = new Float64Array(n);
  const volume = new Float64Array(n);
  let cols: Columns;
  if (layout === 'price') {
    // One array serves as open, high, low and close (like BarSeries.fromPrices).
    const price = new Float64Array(n);
    const source = useAdjusted ? roles.adjClose : priceColumn;
    for (let k = 0; k < n; k++) {
      const r = rows[k]!;
      time[k] = readTime(table, r, resolved, options);
      price[k] = readNumber(table, r, source);
      volume[k] = roles.volume >= 0 ? readNumber(table, r, roles.volume) : 0;
    }
    cols = { time, open: price, high: price, low: price, close: price, volume };
  } else {
    cols = { time, open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume };
    for (let k = 0; k < n; k++) {
      const r = rows[k]!;
      time[k] = readTime(table, r, resolved, options);
      let o = readNumber(table, r, roles.open);
      let h = readNumber(table, r, roles.high);
      let l = readNumber(table, r, roles.low);
      let c = readNumber(table, r, roles.close);
      if (useAdjusted && c > 0 && Number.isFinite(c)) {
        const adj = readNumber(table, r, roles.adjClose);
        if (!(adj > 0 && Number.isFinite(adj))) cellError(table, r, roles.adjClose, adj, 'expected a finite positive adjusted close', undefined, 'INVALID_DATA');
        // One factor for all four keeps their order (rounding is monotonic); close becomes adj
        // exactly, so high/low that touched close are kept touching it (no 1-ulp violations).
        const factor = adj / c;
        const hAdj = h * factor;
        const lAdj = l * factor;
        o *= factor;
        h = h >= c ? Math.max(hAdj, adj) : hAdj;
        l = l <= c ? Math.min(lAdj, adj) : lAdj;
        c = adj;
      }
      cols.open[k] = o;
      cols.high[k] = h;
      cols.low[k] = l;
      cols.close[k] = c;
      volume[k] = roles.volume >= 0 ? readNumber(table, r, roles.volume) : 0;
    }
  }

  // Time order: strictly increasing, or sorted on request; duplicates are always an error.
  let orderedRows = rows;
  for (let k = 1; k < n; k++) {
    if (time[k]! > time[k - 1]!) continue;
    if (time[k] === time[k - 1]) duplicateError(table, rows[k - 1]!, rows[k]!, time[k]!, roles.time);
    if (!options.sortUnordered) {
      const name = table.names[roles.time] ?? 'time';
      throw new AlgoTradingError(
        'INVALID_DATA',
        `${table.where(rows[k]!)}, column ${JSON.stringify(name)}: time ${describeTime(time[k]!)} is earlier than ${table.where(rows[k - 1]!)} (${describeTime(time[k - 1]!)}); rows must be in time order (pass sortUnordered: true to sort them)`,
        { details: { field: name, index: table.position(rows[k]!), value: table.cell(rows[k]!, roles.time) } },
      );
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a]! - time[b]! || a - b);
    const sortedTime = permute(time, order);
    const sortedRows = Int32Array.from(order, (i) => rows[i]!);
    for (let j = 1; j < n; j++) {
      if (sortedTime[j] === sortedTime[j - 1]) duplicateError(table, sortedRows[j - 1]!, sortedRows[j]!, sortedTime[j]!, roles.time);
    }
    const price = layout === 'price' ? permute(cols.close, order) : undefined;
    cols = {
      time: sortedTime,
      open: price ?? permute(cols.open, order),
      high: price ?? permute(cols.high, order),
      low: price ?? permute(cols.low, order),
      close: price ?? permute(cols.close, order),
      volume: permute(cols.volume, order),
    };
    options.logger.warn(
      { rows: n, firstOutOfOrder: table.where(rows[k]!), symbol },
      `${n} rows were not in time order (first at ${table.where(rows[k]!)}); sorted them because sortUnordered is set`,
    );
    orderedRows = sortedRows;
    break;
  }

  try {
    return BarSeries.fromValidatedColumns(cols, symbol === undefined ? undefined : { symbol });
  } catch (error) {
    throw relocate(error, table, orderedRows, resolved, useAdjusted);
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
function relocate(error: unknown, table: Table, rows: Int32Array, resolved: ResolvedColumns, useAdjusted: boolean): unknown {
  if (!isAlgoTradingError(error)) return error;
  const { field, index } = error.details;
  if (typeof field !== 'string' || typeof index !== 'number' || rows[index] === undefined) return error;
  const row = rows[index]!;
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
 * Builds validated series from a table: resolves the columns, groups rows by symbol when there is
 * a symbol column (keeping only `options.symbol` when given), reads every cell (errors name the
 * line or row, the column and the value), checks time order (sorting only with `sortUnordered`)
 * and validates each series with core's bar rules, reporting violations at their line or row.
 */
export function buildSeries(
  table: Table,
  options: ResolvedLoadOptions,
  extra: { hasHeader?: boolean; fallbackTime?: number } = {},
): SymbolGroup[] {
  const resolved = resolveColumns({
    names: table.names,
    hasHeader: extra.hasHeader ?? true,
    mapping: options.columns,
    useAdjusted: options.useAdjusted,
    fallbackTime: extra.fallbackTime,
    what: table.what,
  });
  if (table.rowCount === 0) {
    throw new AlgoTradingError('INVALID_DATA', `no data rows in the ${table.what === 'CSV header' ? 'CSV' : table.what}`, {
      details: { field: 'rows', value: 0 },
    });
  }
  if (resolved.roles.symbol < 0) {
    const rows = new Int32Array(table.rowCount);
    for (let r = 0; r < rows.length; r++) rows[r] = r;
    return [{ symbol: undefined, series: buildGroup(table, rows, resolved, options, options.symbol) }];
  }
  const groups = groupBySymbol(table, resolved.roles.symbol, options.symbol);
  const out: SymbolGroup[] = [];
  for (const [symbol, rows] of groups) out.push({ symbol, series: buildGroup(table, rows, resolved, options, symbol) });
  return out;
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
