import type { Fill, Trade } from '@algo-trading/core';

/** The per-bar account curve written to `equity.csv` and drawn in the report. */
export interface EquityCurveData {
  /** Bar times, epoch ms UTC. */
  readonly time: ArrayLike<number>;
  /** Cash + market value at each bar's close. */
  readonly equity: ArrayLike<number>;
  readonly cash: ArrayLike<number>;
  /** Drawdown from the equity peak as a positive fraction (0.12 = 12% below the peak). */
  readonly drawdown: ArrayLike<number>;
  /** The benchmark's equity at each bar, when the run has one (the `benchmark` column of `equity.csv`). */
  readonly benchmark?: ArrayLike<number> | undefined;
  /** The close of the backtested series at each bar, for a single-series run (the `close` column of `equity.csv`). */
  readonly close?: ArrayLike<number> | undefined;
}

/**
 * A number as written to the CSV files: at most 15 significant digits, NaN as an empty field.
 *
 * Prices and money in the engine are doubles computed from decimal inputs (a fill price is the
 * reference price x (1 + slippage bps / 10,000), a commission price x quantity x rate), exact to
 * about 16 significant digits. Their last digit is noise: 1527.35 with 5 bps slippage computes to
 * 1528.1136749999998 where the exact value is 1528.113675. Rounding to 15 significant digits drops
 * that noise and writes the exact decimal value whenever it has 15 digits or fewer (any price with
 * up to 8 digits times a slippage factor), and otherwise differs from the double by at most
 * 5e-15 of it. Integers below 1e15 are written as they are.
 */
export function csvNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  if (value !== value) return '';
  if (value === Infinity || value === -Infinity) return String(value);
  // Two distinct decimals of at most 15 significant digits are two distinct doubles, so the
  // 15-digit rounding without its trailing zeros is the shortest text of the rounded value: the
  // same as String(Number(rounded)), at a fraction of the cost (this runs for every bar).
  const rounded = value.toPrecision(15);
  if (rounded.includes('e')) return String(Number(rounded));
  if (!rounded.includes('.')) return rounded;
  let end = rounded.length;
  while (rounded.charCodeAt(end - 1) === 48 /* 0 */) end--;
  if (rounded.charCodeAt(end - 1) === 46 /* . */) end--;
  return rounded.slice(0, end);
}

/** Escapes one CSV field (RFC 4180): quoted when it holds a comma, quote or line break; numbers by {@link csvNumber}. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return csvNumber(value);
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV row (values in column order) without its line end. */
export type CsvRow = readonly (string | number | boolean | null | undefined)[];

/** Bytes of text gathered before a chunk is handed to a stream (1 MiB). */
const CHUNK_BYTES = 1 << 20;

/**
 * Gathers lines of text into UTF-8 chunks of about {@link CHUNK_BYTES} for streaming into a file.
 * Each line is encoded into a preallocated buffer as soon as it is made: a chunk built by string
 * concatenation is a rope of thousands of pieces that the stream then flattens and encodes, which
 * for the million-line equity.csv cost more than formatting its numbers (3.3 s against 1.5 s in
 * one process, equity.csv of 1,000,000 bars, on a loaded 2-core machine).
 */
class LineChunks {
  #buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  #length = 0;

  /** Appends `text`; returns the full chunk when `text` did not fit in it (then `text` starts the next). */
  add(text: string): Uint8Array | undefined {
    const needed = 3 * text.length; // the most UTF-8 bytes `text` can take
    if (this.#length + needed <= this.#buffer.length) {
      this.#length += this.#buffer.write(text, this.#length);
      return undefined;
    }
    const full = this.take();
    this.#buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, needed));
    this.#length = this.#buffer.write(text, 0);
    return full;
  }

  /** The bytes gathered so far (undefined when none); the next line starts a new buffer. */
  take(): Uint8Array | undefined {
    if (this.#length === 0) return undefined;
    const bytes = this.#buffer.subarray(0, this.#length);
    this.#buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.#length = 0;
    return bytes;
  }
}

/**
 * CSV as UTF-8 chunks of whole lines (the header first), for streaming into a file: a
 * million-row file is never one string.
 */
export function* csvChunks(header: readonly string[], rows: Iterable<CsvRow>): Generator<Uint8Array> {
  const chunks = new LineChunks();
  chunks.add(`${header.map(csvField).join(',')}\n`);
  for (const row of rows) {
    const full = chunks.add(`${row.map(csvField).join(',')}\n`);
    if (full !== undefined) yield full;
  }
  const last = chunks.take();
  if (last !== undefined) yield last;
}

/** The text of UTF-8 chunks (as {@link csvChunks} makes them). */
export function chunksText(chunks: Iterable<Uint8Array>): string {
  return Buffer.concat([...chunks]).toString('utf8');
}

/** Builds CSV text from a header and rows (values already in column order), `\n` line ends. */
export function toCsv(header: readonly string[], rows: Iterable<CsvRow>): string {
  return chunksText(csvChunks(header, rows));
}

/** An epoch-ms time as ISO 8601 (UTC); empty when not finite. */
export function isoTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * {@link isoTime} for long series of increasing times: the date part is formatted once per day and
 * the time of day from integer arithmetic, instead of a `Date` per bar. Same text as `isoTime`.
 */
export class IsoTimeFormatter {
  #day = NaN;
  #prefix = '';

  format(ms: number): string {
    if (!Number.isInteger(ms) || ms < 0 || ms >= 253_402_300_800_000) return isoTime(ms); // outside 1970-9999: the general path
    const day = ms - (ms % DAY_MS);
    if (day !== this.#day) {
      this.#day = day;
      this.#prefix = new Date(day).toISOString().slice(0, 11); // 2024-01-02T
    }
    let rest = ms - day;
    const millis = rest % 1000;
    rest = (rest - millis) / 1000;
    const seconds = rest % 60;
    rest = (rest - seconds) / 60;
    const minutes = rest % 60;
    const hours = (rest - minutes) / 60;
    return `${this.#prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[millis]}Z`;
  }
}

/** Columns of `trades.csv`. */
export const TRADE_COLUMNS = [
  'symbol',
  'side',
  'quantity',
  'entry_time',
  'exit_time',
  'entry_price',
  'exit_price',
  'gross_pnl',
  'commission',
  'slippage_cost',
  'pnl',
  'return_pct',
  'initial_risk',
  'r_multiple',
  'exit_reason',
  'bars_held',
] as const;

function* tradeRows(trades: readonly Trade[]): Generator<CsvRow> {
  for (const t of trades) {
    yield [
      t.symbol,
      t.side,
      t.quantity,
      isoTime(t.entryTime),
      isoTime(t.exitTime),
      t.entryPrice,
      t.exitPrice,
      t.grossPnl,
      t.commission,
      t.slippageCost,
      t.pnl,
      t.returnPct,
      t.initialRisk,
      t.rMultiple,
      t.exitReason,
      t.barsHeld,
    ];
  }
}

/** `trades.csv` in chunks for streaming: one closed round trip per line, times in ISO 8601 UTC. */
export function tradesCsvChunks(trades: readonly Trade[]): Iterable<Uint8Array> {
  return csvChunks(TRADE_COLUMNS, tradeRows(trades));
}

/** `trades.csv`: one closed round trip per line, times in ISO 8601 UTC. */
export function tradesCsv(trades: readonly Trade[]): string {
  return toCsv(TRADE_COLUMNS, tradeRows(trades));
}

/** Columns of `fills.csv`. */
export const FILL_COLUMNS = [
  'time',
  'bar_index',
  'symbol',
  'side',
  'effect',
  'quantity',
  'price',
  'reference_price',
  'commission',
  'slippage_cost',
  'reason',
] as const;

function* fillRows(fills: readonly Fill[]): Generator<CsvRow> {
  for (const f of fills) {
    yield [
      isoTime(f.time),
      f.barIndex,
      f.symbol,
      f.side,
      f.effect,
      f.quantity,
      f.price,
      f.referencePrice,
      f.commission,
      f.slippageCost,
      f.reason,
    ];
  }
}

/** `fills.csv` in chunks for streaming: every executed order. */
export function fillsCsvChunks(fills: readonly Fill[]): Iterable<Uint8Array> {
  return csvChunks(FILL_COLUMNS, fillRows(fills));
}

/** `fills.csv`: every executed order. */
export function fillsCsv(fills: readonly Fill[]): string {
  return toCsv(FILL_COLUMNS, fillRows(fills));
}

/** Columns of `equity.csv`; then {@link BENCHMARK_COLUMN} and {@link CLOSE_COLUMN} when the run has them. */
export const EQUITY_COLUMNS = ['time', 'equity', 'cash', 'drawdown'] as const;

/** The column of `equity.csv` when the run has a benchmark: its equity at each bar. */
export const BENCHMARK_COLUMN = 'benchmark';

/** The column of `equity.csv` of a single-series run: the series' close at each bar (the report's price chart). */
export const CLOSE_COLUMN = 'close';

/**
 * `equity.csv` in chunks for streaming: the account at every bar's close. Written straight from
 * the columns (no row arrays): this is the file with one line per bar.
 */
export function* equityCsvChunks(curve: EquityCurveData): Generator<Uint8Array> {
  const { time, equity, cash, drawdown, benchmark, close } = curve;
  const n = time.length;
  const times = new IsoTimeFormatter();
  // Cash changes only at fills, and equity and drawdown stay put while flat: reuse the last text.
  let lastEquity = NaN;
  let lastCash = NaN;
  let lastDrawdown = NaN;
  let equityText = '';
  let cashText = '';
  let drawdownText = '';
  const chunks = new LineChunks();
  chunks.add(`${EQUITY_COLUMNS.join(',')}${benchmark === undefined ? '' : `,${BENCHMARK_COLUMN}`}${close === undefined ? '' : `,${CLOSE_COLUMN}`}\n`);
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    const c = cash[i]!;
    const d = drawdown[i]!;
    if (!Object.is(e, lastEquity)) equityText = csvNumber((lastEquity = e));
    if (!Object.is(c, lastCash)) cashText = csvNumber((lastCash = c));
    if (!Object.is(d, lastDrawdown)) drawdownText = csvNumber((lastDrawdown = d));
    let line = `${times.format(time[i]!)},${equityText},${cashText},${drawdownText}`;
    if (benchmark !== undefined) line += `,${csvNumber(benchmark[i]!)}`;
    line += close === undefined ? '\n' : `,${csvNumber(close[i]!)}\n`;
    const full = chunks.add(line);
    if (full !== undefined) yield full;
  }
  const last = chunks.take();
  if (last !== undefined) yield last;
}

/** `equity.csv`: the account at every bar's close. */
export function equityCsv(curve: EquityCurveData): string {
  return chunksText(equityCsvChunks(curve));
}

/** Per-symbol columns over the time slices of a universe run (`weights.csv`, `positions.csv`). */
export interface SymbolColumns {
  /** Time slices, epoch ms UTC. */
  readonly time: ArrayLike<number>;
  /** Symbols in column order. */
  readonly symbols: readonly string[];
  /** One value per time slice for each symbol. */
  readonly values: Readonly<Record<string, ArrayLike<number>>>;
}

/**
 * `weights.csv` / `positions.csv` in chunks for streaming: a `time` column, then one column per
 * symbol (named by the symbol), one row per time slice.
 */
export function* symbolColumnsCsvChunks(table: SymbolColumns): Generator<Uint8Array> {
  const { time, symbols, values } = table;
  const columns = symbols.map((s) => values[s]!);
  const times = new IsoTimeFormatter();
  const chunks = new LineChunks();
  chunks.add(`${['time', ...symbols].map(csvField).join(',')}\n`);
  for (let i = 0; i < time.length; i++) {
    let line = times.format(time[i]!);
    for (const column of columns) line += `,${csvNumber(column[i]!)}`;
    const full = chunks.add(`${line}\n`);
    if (full !== undefined) yield full;
  }
  const last = chunks.take();
  if (last !== undefined) yield last;
}
