import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { numberToEpochMs } from '@algo-trading/core';
import {
  allocateRows,
  cellToEpochMs,
  csvColumnHints,
  readNumber,
  readSymbol,
  readTime,
  SymbolIds,
  symbolRows,
  tableColumns,
  type ReadRows,
} from './build-series';
import type { ResolvedColumns } from './column-roles';
import { nearestDouble } from './decimal';
import type { ResolvedCsvOptions } from './options';
import { assertCsvText } from './sniff';
import type { Table } from './table';

/**
 * The fast path of the CSV loaders: one pass over the file's bytes that writes numbers straight
 * into the `Float64Array` columns, with no string per cell and no `string[][]` of records. A file
 * is read in 1 MiB chunks into a reused buffer (twice: line feeds first, to size the columns
 * once), so its text is never held whole in memory.
 *
 * It reads exactly what the full parser (csv-parse with `bom`, `trim`, `skip_empty_lines` and
 * `skip_records_with_empty_values`) reads, for the files it accepts: no quote character, a one-byte
 * delimiter, `\n` or `\r\n` line endings used throughout, the same number of fields on every line.
 * On anything else (found at any point of the file) it gives up and the caller uses the full
 * parser, which also owns the messages about malformed CSV. Cell errors are not a reason to fall
 * back: a cell the byte parser does not take is decoded and read by the same functions as every
 * other source, which report it with its line, column and value; such an error is held until the
 * rest of the file is known to be well formed, because the full parser reports a malformed line
 * anywhere in the file before any cell.
 *
 * Why it is fast: a decimal with at most 15-16 significant digits and a small exponent is exactly
 * `mantissa * 10^k` or `mantissa / 10^k` computed in doubles (both operands exact, one rounding:
 * the result is the correctly rounded value, the same double as `Number(text)`); 16 to 19 digits
 * (full-precision prices) go through an exact double-double conversion (`decimal.ts`), and only
 * longer numbers or undecided ties are handed to `Number`. Time cells that are digits go through the same number parser and core's
 * `numberToEpochMs`; other time text is decoded and read by core's parser.
 */

const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;
const FF = 12;
const MAX_EXACT = 9_007_199_254_740_991; // 2^53 - 1
const POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, i) => 10 ** i); // 1e0 .. 1e22, all exact
/** Lines with more fields go to the full parser. */
const MAX_FIELDS = 1024;

/** A scanned file: the rows read (phase 1 done) and a {@link Table} over the file for messages. */
export interface ScannedCsv {
  readonly table: Table;
  readonly resolved: ResolvedColumns;
  readonly read: ReadRows;
}

/** {@link scanLine}: the line is not for the fast path (ragged, or a line ending it does not take). */
const BAIL = -1;

/**
 * The decimal in `bytes[start, end)`, already checked against the grammar (`power` = its exponent
 * minus its fraction digits, `digits` = how many digits it has before the exponent), when it has
 * too many digits for one exact operation: 16 to 19 significant digits go through
 * {@link nearestDouble}, anything else (or an undecided tie) through the engine's own `Number`.
 */
function longDecimal(bytes: Buffer, start: number, end: number, power: number, negative: boolean, digits: number): number {
  let j = bytes[start] === 43 || bytes[start] === 45 ? start + 1 : start;
  // Skip the leading zeros (and a point among them): the rest of the `digits` are significant.
  let significant = digits;
  for (let c = bytes[j]!; c === 48 || c === 46; c = bytes[++j]!) if (c === 48) significant--;
  if (significant >= 16 && significant <= 19) {
    let mh = 0;
    let ml = 0;
    for (let k = 0; k < significant; j++) {
      const c = bytes[j]!;
      if (c === 46) continue;
      if (k++ < significant - 8) mh = mh * 10 + (c - 48);
      else ml = ml * 10 + (c - 48);
    }
    const value = nearestDouble(mh, ml, power);
    if (value === value) return negative ? -value : value;
  }
  return Number(bytes.toString('latin1', start, end));
}

/**
 * Splits the line at `start` into fields and reads each field as a decimal on the way. Writes each
 * field's bounds without the bytes csv-parse's `trim` removes (space, tab, form feed; never the
 * delimiter), and its value: the number when the field is a decimal of the text-cell grammar
 * `[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?`, equal to `Number(text)` bit for bit, else NaN.
 * Returns the number of fields, 0 for a blank line (csv-parse skips it), or {@link BAIL};
 * `cursor[0]` receives the start of the next line. With `crlf`, every line must end with `\r\n` (or
 * the end of the file); without, there is no `\r` in the file.
 */
function scanLine(
  bytes: Buffer,
  start: number,
  size: number,
  delimiter: number,
  crlf: boolean,
  starts: Int32Array,
  ends: Int32Array,
  values: Float64Array,
  max: number,
  cursor: Float64Array,
): number {
  const spaceIsTrim = delimiter !== SPACE;
  const tabIsTrim = delimiter !== TAB;
  let i = start;
  let count = 0;
  let b = i < size ? bytes[i]! : LF;
  for (;;) {
    while ((b === SPACE && spaceIsTrim) || (b === TAB && tabIsTrim) || b === FF) b = ++i < size ? bytes[i]! : LF;
    const s = i;
    // The decimal, if the field is one.
    let negative = false;
    if (b === 45 || b === 43) {
      negative = b === 45;
      b = ++i < size ? bytes[i]! : LF;
    }
    let mantissa = 0;
    let digits = 0;
    let scale = 0;
    while (b >= 48 && b <= 57) {
      mantissa = mantissa * 10 + (b - 48);
      digits++;
      b = ++i < size ? bytes[i]! : LF;
    }
    if (b === 46) {
      b = ++i < size ? bytes[i]! : LF;
      while (b >= 48 && b <= 57) {
        mantissa = mantissa * 10 + (b - 48);
        digits++;
        scale++;
        b = ++i < size ? bytes[i]! : LF;
      }
    }
    let numeric = digits > 0;
    let exponent = 0;
    if (numeric && (b === 101 || b === 69)) {
      b = ++i < size ? bytes[i]! : LF;
      let expNegative = false;
      if (b === 45 || b === 43) {
        expNegative = b === 45;
        b = ++i < size ? bytes[i]! : LF;
      }
      const expStart = i;
      while (b >= 48 && b <= 57) {
        if (exponent < 100_000) exponent = exponent * 10 + (b - 48);
        b = ++i < size ? bytes[i]! : LF;
      }
      if (i === expStart) numeric = false;
      if (expNegative) exponent = -exponent;
    }
    let e = i;
    while ((b === SPACE && spaceIsTrim) || (b === TAB && tabIsTrim) || b === FF) b = ++i < size ? bytes[i]! : LF;
    if (b !== delimiter && b !== LF && b !== CR) {
      // Not a decimal: find the end of the field. A quote is for the full parser.
      numeric = false;
      while (b !== delimiter && b !== LF && b !== CR && b !== QUOTE) b = ++i < size ? bytes[i]! : LF;
      if (b === QUOTE) return BAIL;
      e = i;
      for (let t = bytes[e - 1]!; e > s && ((t === SPACE && spaceIsTrim) || (t === TAB && tabIsTrim) || t === FF); t = bytes[--e - 1]!);
    }
    if (count === max) return BAIL;
    starts[count] = s;
    ends[count] = e;
    let value = Number.NaN;
    if (numeric) {
      const power = exponent - scale;
      if (mantissa <= MAX_EXACT && power >= -22 && power <= 22) {
        value = power === 0 ? mantissa : power > 0 ? mantissa * POWERS_OF_TEN[power]! : mantissa / POWERS_OF_TEN[-power]!;
        if (negative) value = -value;
      } else {
        value = longDecimal(bytes, s, e, power, negative, digits);
      }
    }
    values[count] = value;
    count++;
    if (b !== delimiter) break;
    b = ++i < size ? bytes[i]! : LF;
  }
  if (b === CR) {
    if (!crlf || bytes[i + 1] !== LF) return BAIL;
    i++;
  } else if (crlf && i < size) {
    return BAIL;
  }
  cursor[0] = i + 1;
  return count === 1 && starts[0] === ends[0] ? 0 : count;
}

/** Where the scanned bytes come from, for messages: the whole text, loaded when a message needs a cell. */
type TextSource = () => Buffer;

/** The first byte offset of line `line` (1-based) in `text`. */
function lineStart(text: Buffer, line: number): number {
  let pos = 0;
  for (let l = 1; l < line; l++) pos = text.indexOf(LF, pos) + 1;
  return pos;
}

/**
 * The fast path as a state machine fed with chunks of the file (each ending at a line boundary, the
 * last one at the end of the file), so that a file is read in small reused buffers: no copy of the
 * whole file in memory. Numbers go straight into columns allocated once for `capacity` rows (an
 * upper bound: the file's line feeds plus one).
 */
class CsvScanner {
  private readonly delimiter: number;
  private readonly cursor = new Float64Array(1);
  private readonly fieldStarts = new Int32Array(MAX_FIELDS);
  private readonly fieldEnds = new Int32Array(MAX_FIELDS);
  private readonly fieldValues = new Float64Array(MAX_FIELDS);
  private readonly recordLines: Uint32Array;
  /** `\n` or `\r\n` line endings, known once the first line ending is seen. */
  private crlf: boolean | undefined;
  private started = false;
  private failed = false;
  /** The first error, held until the rest of the file is known to be well formed (else the full parser reports it). */
  private pending: { error: unknown } | undefined;
  /** Line number (1-based) of the next line. */
  private line = 1;
  private width = -1;
  private table: Table | undefined;
  private resolved: ResolvedColumns | undefined;
  private cols: ReturnType<typeof allocateRows> | undefined;
  private symbolIds: Int32Array | undefined;
  private keep: Int32Array | undefined;
  private readonly ids = new SymbolIds();
  private rowCount = 0;
  private k = 0;
  private chunk: Buffer = Buffer.alloc(0);

  constructor(
    private readonly options: ResolvedCsvOptions,
    private readonly capacity: number,
    private readonly text: TextSource,
  ) {
    this.delimiter = options.delimiter.charCodeAt(0);
    this.recordLines = new Uint32Array(capacity);
  }

  /** False when the options rule the fast path out (a delimiter of several bytes or a special one). */
  static accepts(options: ResolvedCsvOptions): boolean {
    if (options.delimiter.length !== 1) return false;
    const d = options.delimiter.charCodeAt(0);
    return d < 128 && d !== QUOTE && d !== LF && d !== CR && d !== FF;
  }

  /**
   * Reads the complete lines of `chunk[start, end)`, and with `final` the last line too. Returns the
   * offset of the first line not read (to be fed again with more bytes), or -1 when the file is
   * for the full parser.
   */
  feed(chunk: Buffer, start: number, end: number, final: boolean): number {
    if (this.failed) return -1;
    this.chunk = chunk;
    const bytes = chunk;
    let pos = start;
    if (!this.started) {
      if (end - pos < 3 && !final) return pos;
      if (end - pos >= 3 && bytes[pos] === 0xef && bytes[pos + 1] === 0xbb && bytes[pos + 2] === 0xbf) pos += 3;
      this.started = true;
    }
    if (this.crlf === undefined) {
      let i = pos;
      while (i < end && bytes[i] !== LF && bytes[i] !== CR) i++;
      if (i === end) {
        if (!final) return pos;
      } else if (bytes[i] === CR) {
        if (i + 1 === end && !final) return pos;
        if (bytes[i + 1] !== LF) return this.fail();
        this.crlf = true;
      } else {
        this.crlf = false;
      }
    }
    // Complete lines end before the last line feed; the rest waits for more bytes (or is the last line).
    const lastLf = chunk.lastIndexOf(LF, end - 1);
    const limit = final ? end : lastLf < pos ? pos : lastLf + 1;
    const { cursor, fieldStarts, fieldEnds, fieldValues, delimiter } = this;
    const crlf = this.crlf === true;
    while (pos < limit) {
      const count = scanLine(bytes, pos, limit, delimiter, crlf, fieldStarts, fieldEnds, fieldValues, MAX_FIELDS, cursor);
      if (count === BAIL) return this.fail();
      const next = cursor[0]!;
      const line = this.line;
      if (next <= limit && bytes[next - 1] === LF) this.line++;
      pos = next;
      if (count === 0) continue;
      if (this.pending !== undefined) {
        if (count !== this.width) return this.fail();
        continue;
      }
      try {
        if (this.width < 0) {
          this.readHeader(count);
          if (this.options.header) continue;
        }
        if (count !== this.width) return this.fail();
        if (!this.readRow(line)) return this.fail();
      } catch (error) {
        this.pending = { error };
      }
    }
    return Math.min(pos, end);
  }

  private fail(): number {
    this.failed = true;
    return -1;
  }

  /** The first non-blank line: the header (or the first record), which fixes the width. */
  private readHeader(count: number): void {
    const { chunk, fieldStarts, fieldEnds, options } = this;
    let empty = true;
    for (let f = 0; f < count; f++) if (fieldEnds[f]! > fieldStarts[f]!) empty = false;
    if (empty) throw new FallBack();
    this.width = count;
    const names: string[] = [];
    for (let f = 0; f < count; f++) names.push(options.header ? chunk.toString('utf8', fieldStarts[f], fieldEnds[f]) : `column ${f + 1}`);
    const lines = this.recordLines;
    const rowCount = (): number => this.rowCount;
    let text: Buffer | undefined;
    const table: Table = {
      names,
      get rowCount() {
        return rowCount();
      },
      cell: (row, column) => {
        text ??= this.text();
        const starts = new Int32Array(count);
        const ends = new Int32Array(count);
        scanLine(text, lineStart(text, lines[row]!), text.length, this.delimiter, this.crlf === true, starts, ends, new Float64Array(count), count, new Float64Array(1));
        return text.toString('utf8', starts[column], ends[column]);
      },
      where: (row) => `line ${lines[row]!}`,
      position: (row) => lines[row]!,
      fromText: true,
      what: 'CSV header',
    };
    this.table = table;
    const resolved = tableColumns(table, options, csvColumnHints(names, options.header));
    this.resolved = resolved;
    this.cols = allocateRows(this.capacity, resolved, options);
    const hasSymbol = resolved.roles.symbol >= 0;
    this.symbolIds = hasSymbol ? new Int32Array(this.capacity) : undefined;
    this.keep = hasSymbol && options.symbol !== undefined ? new Int32Array(this.capacity) : undefined;
  }

  /** Reads the data line whose fields were just scanned; false when the file outgrew the capacity. */
  private readRow(line: number): boolean {
    const { chunk, fieldStarts, fieldEnds, fieldValues, options, ids, keep, symbolIds, width } = this;
    const table = this.table!;
    const resolved = this.resolved!;
    const { roles, layout, priceColumn } = resolved;
    const { time, open, high, low, close, adjClose, volume } = this.cols!;
    // csv-parse also skips a record whose cells are all blank to JavaScript's `trim` (`\v`, no-break
    // spaces): only a line of whitespace bytes and UTF-8 lead bytes can be one, which the first
    // byte of a normal line rules out.
    let maybeEmpty = true;
    scan: for (let f = 0; f < width; f++) {
      for (let i = fieldStarts[f]!; i < fieldEnds[f]!; i++) {
        const b = chunk[i]!;
        if (b < 9 || (b > 13 && b < 32) || (b > 32 && b < 128)) {
          maybeEmpty = false;
          break scan;
        }
      }
    }
    if (maybeEmpty) {
      let empty = true;
      for (let f = 0; f < width && empty; f++) if (chunk.toString('utf8', fieldStarts[f], fieldEnds[f]).trim() !== '') empty = false;
      if (empty) return true;
    }
    const row = this.rowCount;
    if (row >= this.capacity) return false;
    this.recordLines[row] = line;
    this.rowCount++;
    const k = this.k;
    if (symbolIds !== undefined) {
      const column = roles.symbol;
      const raw = chunk.toString('utf8', fieldStarts[column], fieldEnds[column]).trim();
      const symbol = raw === '' ? readSymbol(table, row, column) : raw;
      const id = ids.idOf(symbol);
      if (keep !== undefined) {
        if (symbol !== options.symbol) return true;
        keep[k] = row;
      }
      symbolIds[k] = id;
    }
    let ms: number;
    if (roles.clock >= 0 || options.parseTime !== undefined) {
      ms = readTime(table, row, resolved, options);
    } else {
      const value = fieldValues[roles.time]!;
      ms = value === value ? numberToEpochMs(value, options.textTimeUnit) : cellToEpochMs(chunk.toString('utf8', fieldStarts[roles.time], fieldEnds[roles.time]), options);
      if (!Number.isFinite(ms)) ms = readTime(table, row, resolved, options);
    }
    time[k] = ms;
    if (layout === 'price') {
      const column = options.useAdjusted ? roles.adjClose : priceColumn;
      const v = fieldValues[column]!;
      close[k] = v === v ? v : readNumber(table, row, column);
    } else {
      let v = fieldValues[roles.open]!;
      open[k] = v === v ? v : readNumber(table, row, roles.open);
      v = fieldValues[roles.high]!;
      high[k] = v === v ? v : readNumber(table, row, roles.high);
      v = fieldValues[roles.low]!;
      low[k] = v === v ? v : readNumber(table, row, roles.low);
      v = fieldValues[roles.close]!;
      close[k] = v === v ? v : readNumber(table, row, roles.close);
      if (adjClose !== undefined) {
        v = fieldValues[roles.adjClose]!;
        adjClose[k] = v === v ? v : readNumber(table, row, roles.adjClose);
      }
    }
    if (roles.volume >= 0) {
      const v = fieldValues[roles.volume]!;
      volume[k] = v === v ? v : readNumber(table, row, roles.volume);
    } else {
      volume[k] = 0;
    }
    this.k = k + 1;
    return true;
  }

  /**
   * The rows read, after the last chunk: undefined when the file is for the full parser (it also
   * reports a file with no header or no data rows); the held error when the file is well formed.
   */
  result(): ScannedCsv | undefined {
    if (this.failed) return undefined;
    if (this.pending !== undefined) {
      if (this.pending.error instanceof FallBack) return undefined;
      throw this.pending.error;
    }
    const { table, resolved, cols } = this;
    if (table === undefined || resolved === undefined || cols === undefined || this.rowCount === 0) return undefined;
    const k = this.k;
    const read: ReadRows = {
      length: k,
      ...cols,
      rows: this.keep?.subarray(0, k),
      symbolIds: this.symbolIds?.subarray(0, k),
      symbols: this.ids.symbols,
    };
    const wanted = resolved.roles.symbol >= 0 ? this.options.symbol : undefined;
    return { table, resolved, read: symbolRows(table, read, resolved.roles.symbol, wanted) };
  }
}

/** Thrown inside the scanner for a file the full parser must handle (an all-blank header). */
class FallBack extends Error {}

/** Line feeds in `bytes[start, end)`. */
function countLineFeeds(bytes: Buffer, start: number, end: number): number {
  let count = 0;
  for (let i = bytes.indexOf(LF, start); i >= 0 && i < end; i = bytes.indexOf(LF, i + 1)) count++;
  return count;
}

/**
 * The fast path over CSV bytes in memory: the rows read and a table for messages, or undefined
 * when the file needs the full parser (quotes, a multi-byte delimiter, lone `\r` or mixed line
 * endings, a ragged line, no header or no data rows). Throws the loaders' usual errors for
 * unreadable cells and missing columns.
 */
export function scanCsvBuffer(buf: Buffer, options: ResolvedCsvOptions): ScannedCsv | undefined {
  if (!CsvScanner.accepts(options)) return undefined;
  const scanner = new CsvScanner(options, countLineFeeds(buf, 0, buf.length) + 1, () => buf);
  if (scanner.feed(buf, 0, buf.length, true) < 0) return undefined;
  return scanner.result();
}

/** Bytes read from a file at a time (the buffer grows for a longer line). */
const CHUNK_BYTES = 1 << 20;

/** Reads a file in chunks into a reused buffer; `onChunk` gets `buffer[0, end)` and returns how much it used. */
async function readChunks(path: string, chunkBytes: number, onChunk: (buffer: Buffer, end: number, final: boolean) => number): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    let buffer = Buffer.allocUnsafe(chunkBytes);
    let kept = 0;
    for (;;) {
      if (kept === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, kept);
        buffer = bigger;
      }
      const { bytesRead } = await file.read(buffer, kept, buffer.length - kept, null);
      const end = kept + bytesRead;
      const final = bytesRead === 0;
      const used = onChunk(buffer, end, final);
      if (used < 0) return false;
      if (final) return true;
      buffer.copy(buffer, 0, used, end);
      kept = end - used;
    }
  } finally {
    await file.close();
  }
}

/**
 * The fast path over a file, read twice in small chunks (line feeds first, to size the columns
 * exactly once; then the rows): the whole file is never in memory. Undefined when the file needs
 * the full parser. `UNSUPPORTED` for a file that is not CSV text (see `describeNonCsv`). I/O errors
 * propagate as Node errors.
 */
export async function scanCsvFile(path: string, options: ResolvedCsvOptions, chunkBytes = CHUNK_BYTES): Promise<ScannedCsv | undefined> {
  if (!CsvScanner.accepts(options)) return undefined;
  let lineFeeds = 0;
  let first = true;
  await readChunks(path, chunkBytes, (buffer, end) => {
    if (first) assertCsvText(buffer.subarray(0, end), 'the file');
    first = false;
    lineFeeds += countLineFeeds(buffer, 0, end);
    return end;
  });
  const scanner = new CsvScanner(options, lineFeeds + 1, () => readFileSync(path));
  const complete = await readChunks(path, chunkBytes, (buffer, end, final) => scanner.feed(buffer, 0, end, final));
  return complete ? scanner.result() : undefined;
}
