import { AlgoTradingError, BarSeries, describeValue, parseOptions } from '@algo-trading/core';
import { parseIsoTime } from '@algo-trading/data';
import { z } from 'zod';
import { inTransaction, queryRows, timestampToMs, toNumber, type StoreContext } from './context';
import { readDoubleColumns, sqlString } from './duckdb';
import { loadBarsOptionsSchema, type LoadBarsOptions, type TimeInput } from './options';
import { isTimeframe, isValidSymbol, requireSymbol, requireTimeframe } from './timeframe';

/** One stored series: a symbol at a timeframe, with its extent. */
export interface SymbolSummary {
  readonly symbol: string;
  readonly timeframe: string;
  readonly bars: number;
  /** First and last bar time, epoch ms UTC. */
  readonly first: number;
  readonly last: number;
}

/** Options of `Store.listSymbols`. */
export interface ListSymbolsOptions {
  /** Only this symbol. */
  readonly symbol?: string | undefined;
  /** Only this timeframe. */
  readonly timeframe?: string | undefined;
}

/** Every stored (symbol, timeframe) with its bar count and time range, by symbol then timeframe. */
export async function listSymbols(context: StoreContext, options: ListSymbolsOptions = {}): Promise<SymbolSummary[]> {
  const filters: string[] = [];
  if (options.symbol !== undefined) filters.push(`s.symbol = ${sqlString(requireSymbol('symbol', options.symbol))}`);
  if (options.timeframe !== undefined) filters.push(`s.timeframe = ${sqlString(requireTimeframe('timeframe', options.timeframe))}`);
  const rows = await queryRows(
    context,
    `SELECT s.symbol, s.timeframe, b.n, b.first, b.last FROM series s
     JOIN (SELECT series_id, count(*) AS n, min(time) AS first, max(time) AS last FROM bar_data GROUP BY series_id) b ON b.series_id = s.id
     ${filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : ''}
     ORDER BY s.symbol, s.timeframe`,
  );
  return rows.map(([symbol, timeframe, n, first, last]) => ({
    symbol: String(symbol),
    timeframe: String(timeframe),
    bars: toNumber(n)!,
    first: timestampToMs(first)!,
    last: timestampToMs(last)!,
  }));
}

function timeBound(field: string, value: TimeInput | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : value instanceof Date ? value.getTime() : parseIsoTime(value);
  if (!Number.isFinite(ms)) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `${field} must be epoch ms, a Date or an ISO 8601 date, got ${describeValue(value)}`, {
      details: { field, value },
    });
  }
  return ms;
}

/** The series id of each symbol at the timeframe asked for (or its only timeframe). */
async function resolveSeries(context: StoreContext, symbols: readonly string[], timeframe: string | undefined): Promise<Map<string, number>> {
  const rows = await queryRows(
    context,
    `SELECT symbol, timeframe, id FROM series WHERE symbol IN (${symbols.map(sqlString).join(', ')}) ORDER BY symbol, timeframe`,
  );
  const bySymbol = new Map<string, { timeframe: string; id: number }[]>();
  for (const [symbol, tf, id] of rows) {
    const list = bySymbol.get(String(symbol)) ?? [];
    list.push({ timeframe: String(tf), id: toNumber(id)! });
    bySymbol.set(String(symbol), list);
  }
  const out = new Map<string, number>();
  for (const symbol of symbols) {
    const available = bySymbol.get(symbol);
    if (available === undefined) {
      const known = await queryRows(context, `SELECT DISTINCT symbol FROM series ORDER BY symbol LIMIT 21`);
      const names = known.map((r) => String(r[0]));
      const list = names.length === 0 ? 'the store holds no bars yet' : `stored symbols: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', ...' : ''}`;
      throw new AlgoTradingError('NOT_FOUND', `symbol ${JSON.stringify(symbol)} is not in the store (${list})`, {
        details: { field: 'symbols', value: symbol, available: names },
      });
    }
    const chosen =
      timeframe === undefined
        ? available.length === 1
          ? available[0]
          : undefined
        : available.find((a) => a.timeframe === timeframe);
    if (chosen === undefined) {
      const timeframes = available.map((a) => a.timeframe);
      throw new AlgoTradingError(
        timeframe === undefined ? 'INVALID_ARGUMENT' : 'NOT_FOUND',
        timeframe === undefined
          ? `symbol ${JSON.stringify(symbol)} is stored at several timeframes (${timeframes.join(', ')}): pass timeframe`
          : `symbol ${JSON.stringify(symbol)} has no ${timeframe} bars in the store (stored timeframes: ${timeframes.join(', ')})`,
        { details: { field: 'timeframe', value: timeframe, symbol, available: timeframes } },
      );
    }
    out.set(symbol, chosen.id);
  }
  return out;
}

function strictlyIncreasing(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i]! > values[i - 1]!)) return false;
  return true;
}

async function loadSeries(context: StoreContext, seriesId: number, symbol: string, from: number | undefined, to: number | undefined): Promise<BarSeries> {
  // Bounds in microseconds, the resolution of stored times.
  let filter = `series_id = ${seriesId}`;
  if (from !== undefined) filter += ` AND time >= make_timestamp(${Math.ceil(from * 1000)})`;
  if (to !== undefined) filter += ` AND time <= make_timestamp(${Math.floor(to * 1000)})`;
  const [count] = await queryRows(context, `SELECT count(*) FROM bar_data WHERE ${filter}`);
  const rows = toNumber(count![0])!;
  const select = `SELECT CAST(epoch_us(time) AS DOUBLE) / 1000 AS time, open, high, low, close, volume FROM bar_data WHERE ${filter}`;
  // Imports insert each series in time order and DuckDB scans keep insertion order, so the rows
  // usually arrive sorted without an ORDER BY (sorting a million rows costs more than reading
  // them). Bars added before already stored ones break that order: then the query is sorted.
  let columns = await readDoubleColumns(context.modules, context.connection, select, rows);
  if (!strictlyIncreasing(columns[0]!)) columns = await readDoubleColumns(context.modules, context.connection, `${select} ORDER BY time`, rows);
  const [time, open, high, low, close, volume] = columns as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  return BarSeries.fromValidatedColumns({ time, open, high, low, close, volume }, { symbol });
}

/**
 * Loads bars as `BarSeries` straight from DuckDB's columnar results; see `Store.loadBars`.
 * One symbol (a string) gives a series, a list gives a record keyed by symbol.
 */
export async function loadBars(context: StoreContext, input: LoadBarsOptions): Promise<BarSeries | Record<string, BarSeries>> {
  const options = parseOptions(loadBarsOptionsSchema, input, { what: 'loadBars options' });
  const from = timeBound('from', options.from);
  const to = timeBound('to', options.to);
  if (from !== undefined && to !== undefined && from > to) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `from (${new Date(from).toISOString()}) must not be after to (${new Date(to).toISOString()})`, {
      details: { field: 'from', value: options.from },
    });
  }
  const symbols = typeof options.symbols === 'string' ? [options.symbols] : [...new Set(options.symbols)];
  const ids = await resolveSeries(context, symbols, options.timeframe);
  if (typeof options.symbols === 'string') return loadSeries(context, ids.get(options.symbols)!, options.symbols, from, to);
  const out: Record<string, BarSeries> = {};
  for (const symbol of symbols) out[symbol] = await loadSeries(context, ids.get(symbol)!, symbol, from, to);
  return out;
}

/** Options of `Store.peekBars`. */
export interface PeekBarsOptions {
  readonly symbol: string;
  /** The timeframe; may be left out when the symbol has a single timeframe in the store. */
  readonly timeframe?: string | undefined;
  /** Bars at each end (1 to 1,000). Default 5. */
  readonly rows?: number | undefined;
}

/** The extent of one stored series and its first and last bars. */
export interface PeekedBars {
  readonly summary: SymbolSummary;
  /** The first `rows` bars (all of them when the series is shorter). */
  readonly head: BarSeries;
  /** The last `rows` bars, in time order. */
  readonly tail: BarSeries;
}

const peekBarsOptionsSchema = z.strictObject({
  symbol: z.string().refine(isValidSymbol, { error: 'expected a symbol of 1 to 64 characters without white space, "," or "@"' }),
  timeframe: z.string().refine(isTimeframe, { error: 'expected a timeframe such as 1m, 5m, 1h, 1d, 1w or 1M' }).optional(),
  rows: z.number().int().min(1).max(1000).default(5),
});

async function boundedSeries(context: StoreContext, select: string, rows: number, symbol: string): Promise<BarSeries> {
  const [time, open, high, low, close, volume] = (await readDoubleColumns(context.modules, context.connection, select, rows)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  return BarSeries.fromValidatedColumns({ time, open, high, low, close, volume }, { symbol });
}

/**
 * The extent of one stored series (bar count, first and last time) and its first and last
 * `rows` bars, without reading the rest; see `Store.peekBars`.
 */
export async function peekBars(context: StoreContext, input: PeekBarsOptions): Promise<PeekedBars> {
  const options = parseOptions(peekBarsOptionsSchema, input, { what: 'peekBars options' });
  const id = (await resolveSeries(context, [options.symbol], options.timeframe)).get(options.symbol)!;
  const [extent] = await queryRows(
    context,
    `SELECT s.timeframe, count(*), min(b.time), max(b.time) FROM bar_data b JOIN series s ON s.id = b.series_id WHERE b.series_id = ${id} GROUP BY s.timeframe`,
  );
  const [timeframe, n, first, last] = extent!;
  const bars = toNumber(n)!;
  const take = Math.min(options.rows, bars);
  const columns = `CAST(epoch_us(time) AS DOUBLE) / 1000 AS time, open, high, low, close, volume`;
  const head = await boundedSeries(context, `SELECT ${columns} FROM bar_data WHERE series_id = ${id} ORDER BY time LIMIT ${take}`, take, options.symbol);
  const tail = await boundedSeries(
    context,
    `SELECT * FROM (SELECT ${columns} FROM bar_data WHERE series_id = ${id} ORDER BY time DESC LIMIT ${take}) ORDER BY time`,
    take,
    options.symbol,
  );
  return {
    summary: { symbol: options.symbol, timeframe: String(timeframe), bars, first: timestampToMs(first)!, last: timestampToMs(last)! },
    head,
    tail,
  };
}

/** Options of `Store.deleteBars`. */
export interface DeleteBarsOptions {
  readonly symbol: string;
  /** Only this timeframe; default every timeframe of the symbol. */
  readonly timeframe?: string | undefined;
}

/** Deletes the bars of a symbol (at one timeframe, or all); returns how many bars were deleted. */
export async function deleteBars(context: StoreContext, options: DeleteBarsOptions): Promise<number> {
  const symbol = requireSymbol('symbol', options?.symbol);
  const timeframe = options.timeframe === undefined ? undefined : requireTimeframe('timeframe', options.timeframe);
  const match = `symbol = ${sqlString(symbol)}${timeframe === undefined ? '' : ` AND timeframe = ${sqlString(timeframe)}`}`;
  return inTransaction(context, async () => {
    const result = await context.connection.run(`DELETE FROM bar_data WHERE series_id IN (SELECT id FROM series WHERE ${match})`);
    await context.connection.run(`DELETE FROM series WHERE ${match}`);
    return result.rowsChanged;
  });
}
