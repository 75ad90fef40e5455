import type { Fill, Trade } from '@algo-trading/core';
import { csvNumber, writeCsvNumber } from './csv-number';

export { csvNumber } from './csv-number';

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
 * one process, equity.csv of 1,000,000 bars, on a loaded 2-core machine). The per-bar files go
 * further and write their ASCII lines as bytes ({@link lines}).
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

  /**
   * Appends lines `0` to `count - 1`, each written as bytes by `line` (at most `lineBytes` of
   * them), yielding every chunk that fills up. A plain loop per chunk: the per-bar files have a
   * million lines, too many for a generator step or a string each.
   */
  *lines(count: number, lineBytes: number, line: (bytes: Uint8Array, at: number, i: number) => number): Generator<Uint8Array> {
    let i = 0;
    while (i < count) {
      const bytes = this.#buffer;
      const limit = bytes.length - lineBytes;
      let at = this.#length;
      while (i < count && at <= limit) at = line(bytes, at, i++);
      this.#length = at;
      if (i < count) {
        const full = this.take();
        if (full !== undefined) yield full;
        if (lineBytes > this.#buffer.length) this.#buffer = Buffer.allocUnsafe(lineBytes);
      }
    }
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
const ZERO = 48;
const COMMA = 44;
const NEWLINE = 10;
/** Most bytes of an ISO 8601 time: 24 (`2024-01-02T09:30:00.000Z`), 27 for years past 9999. */
const ISO_BYTES = 27;

/**
 * {@link isoTime} for long series of increasing times: the date part is formatted once per day and
 * the time of day from integer arithmetic, instead of a `Date` per bar. Same text as `isoTime`.
 */
export class IsoTimeFormatter {
  #day = NaN;
  /** `2024-01-02T` of {@link #day}. */
  readonly #prefix = new Uint8Array(11);
  readonly #scratch = Buffer.allocUnsafe(64);

  format(ms: number): string {
    return this.#scratch.toString('latin1', 0, this.write(this.#scratch, 0, ms));
  }

  /** Writes the text of {@link format} (ASCII) into `bytes` at `at`; returns the index after it. */
  write(bytes: Uint8Array, at: number, ms: number): number {
    if (!Number.isInteger(ms) || ms < 0 || ms >= 253_402_300_800_000) {
      // Outside 1970-9999: the general path.
      const text = isoTime(ms);
      for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
      return at;
    }
    const day = ms - (ms % DAY_MS);
    if (day !== this.#day) {
      this.#day = day;
      const text = new Date(day).toISOString();
      for (let i = 0; i < 11; i++) this.#prefix[i] = text.charCodeAt(i);
    }
    const prefix = this.#prefix;
    for (let i = 0; i < 11; i++) bytes[at + i] = prefix[i]!;
    let rest = ms - day;
    const millis = rest % 1000;
    rest = (rest - millis) / 1000;
    const seconds = rest % 60;
    rest = (rest - seconds) / 60;
    const minutes = rest % 60;
    const hours = (rest - minutes) / 60;
    at = twoDigits(bytes, at + 11, hours);
    bytes[at++] = 58; // :
    at = twoDigits(bytes, at, minutes);
    bytes[at++] = 58;
    at = twoDigits(bytes, at, seconds);
    bytes[at++] = 46; // .
    const hundreds = Math.floor(millis / 100);
    bytes[at++] = ZERO + hundreds;
    at = twoDigits(bytes, at, millis - hundreds * 100);
    bytes[at++] = 90; // Z
    return at;
  }
}

/** Writes `n` (0-99) as two digits; returns the index after them. */
function twoDigits(bytes: Uint8Array, at: number, n: number): number {
  const tens = Math.floor(n / 10);
  bytes[at] = ZERO + tens;
  bytes[at + 1] = ZERO + n - tens * 10;
  return at + 2;
}

/** Most bytes a number takes in a CSV file (see `writeCsvNumber`), and its comma. */
const NUMBER_FIELD_BYTES = 25;

/**
 * A column whose value often stays the same from one line to the next (cash changes only at
 * fills; equity and drawdown stay put while flat): the last value's bytes are copied, not
 * formatted again.
 */
class RepeatingNumber {
  #value = NaN; // NaN's text is empty, as the cache starts
  readonly #bytes = new Uint8Array(NUMBER_FIELD_BYTES);
  #length = 0;

  /** Writes `value` as `writeCsvNumber` does; returns the index after it. */
  write(bytes: Uint8Array, at: number, value: number): number {
    const cached = this.#bytes;
    if (Object.is(value, this.#value)) {
      for (let i = 0; i < this.#length; i++) bytes[at++] = cached[i]!;
      return at;
    }
    const end = writeCsvNumber(bytes, at, value);
    for (let i = at; i < end; i++) cached[i - at] = bytes[i]!;
    this.#value = value;
    this.#length = end - at;
    return end;
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
  const chunks = new LineChunks();
  chunks.add(`${EQUITY_COLUMNS.join(',')}${benchmark === undefined ? '' : `,${BENCHMARK_COLUMN}`}${close === undefined ? '' : `,${CLOSE_COLUMN}`}\n`);
  const lineBytes = ISO_BYTES + 5 * NUMBER_FIELD_BYTES + 1;
  const equityText = new RepeatingNumber();
  const cashText = new RepeatingNumber();
  const drawdownText = new RepeatingNumber();
  yield* chunks.lines(n, lineBytes, (bytes, at, i) => {
    at = times.write(bytes, at, time[i]!);
    bytes[at++] = COMMA;
    at = equityText.write(bytes, at, equity[i]!);
    bytes[at++] = COMMA;
    at = cashText.write(bytes, at, cash[i]!);
    bytes[at++] = COMMA;
    at = drawdownText.write(bytes, at, drawdown[i]!);
    if (benchmark !== undefined) {
      bytes[at++] = COMMA;
      at = writeCsvNumber(bytes, at, benchmark[i]!);
    }
    if (close !== undefined) {
      bytes[at++] = COMMA;
      at = writeCsvNumber(bytes, at, close[i]!);
    }
    bytes[at++] = NEWLINE;
    return at;
  });
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
  const lineBytes = ISO_BYTES + columns.length * NUMBER_FIELD_BYTES + 1;
  yield* chunks.lines(time.length, lineBytes, (bytes, at, i) => {
    at = times.write(bytes, at, time[i]!);
    for (const column of columns) {
      bytes[at++] = COMMA;
      at = writeCsvNumber(bytes, at, column[i]!);
    }
    bytes[at++] = NEWLINE;
    return at;
  });
  const last = chunks.take();
  if (last !== undefined) yield last;
}
