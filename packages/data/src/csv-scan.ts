import { numberToEpochMs } from '@algo-trading/core';
import {
  allocateRows,
  cellToEpochMs,
  readNumber,
  readSymbol,
  readTime,
  symbolRows,
  tableColumns,
  type ReadRows,
} from './build-series';
import type { ResolvedColumns } from './column-roles';
import type { ResolvedCsvOptions } from './options';
import type { Table } from './table';

/**
 * The fast path of the CSV loaders: one pass over the file's bytes that writes numbers straight
 * into the `Float64Array` columns, with no string per cell and no `string[][]` of records.
 *
 * It reads exactly what the full parser (csv-parse with `bom`, `trim`, `skip_empty_lines` and
 * `skip_records_with_empty_values`) reads, for the files it accepts: no quote character anywhere,
 * a one-byte delimiter, `\n` or `\r\n` line endings used throughout, the same number of fields on
 * every line. For anything else it returns undefined and the caller uses the full parser, which
 * also owns the messages about malformed CSV. Cell errors are not a reason to fall back: a cell the
 * byte parser does not take is decoded and read by the same functions as every other source, which
 * report it with its line, column and value.
 *
 * Why it is fast: a decimal with at most 15-16 significant digits and a small exponent is exactly
 * `mantissa * 10^k` or `mantissa / 10^k` computed in doubles (both operands exact, one rounding:
 * the result is the correctly rounded value, the same double as `Number(text)`); longer numbers
 * are handed to `Number`. Time cells that are digits go through the same number parser and core's
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

/** The value of `digits` ASCII decimal digits and signs as a number, through the engine's own conversion. */
function slowDecimal(bytes: Uint8Array, start: number, end: number): number {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]!);
  return Number(text);
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
  bytes: Uint8Array,
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
      // Not a decimal: find the end of the field.
      numeric = false;
      while (b !== delimiter && b !== LF && b !== CR) b = ++i < size ? bytes[i]! : LF;
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
        // Too many digits for one exact operation: the engine's own correctly rounded conversion.
        value = slowDecimal(bytes, s, e);
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

/**
 * Reads a CSV file's bytes with the fast path, or returns undefined when the file needs the full
 * parser (quotes, a multi-byte delimiter, lone `\r` or mixed line endings, a ragged line, no data
 * rows). Throws the loaders' usual errors for unreadable cells and missing columns.
 */
export function scanCsv(buf: Buffer, options: ResolvedCsvOptions): ScannedCsv | undefined {
  if (options.delimiter.length !== 1) return undefined;
  const delimiter = options.delimiter.charCodeAt(0);
  if (delimiter >= 128 || delimiter === QUOTE || delimiter === LF || delimiter === CR || delimiter === FF) return undefined;
  if (buf.indexOf(QUOTE) >= 0) return undefined;
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  const size = bytes.length;
  const bom = size >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // Line endings: `\n` with no `\r` anywhere, or `\r\n` on every line (checked per line).
  const firstCr = buf.indexOf(CR, bom);
  const crlf = firstCr >= 0;
  if (crlf && buf.indexOf(LF, bom) !== firstCr + 1) return undefined;
  const cursor = new Float64Array(1);

  // The header (or, without one, the first record, which fixes the number of fields).
  const fieldStarts = new Int32Array(MAX_FIELDS);
  const fieldEnds = new Int32Array(MAX_FIELDS);
  const fieldValues = new Float64Array(MAX_FIELDS);
  let pos = bom;
  let width = 0;
  let headerStart = -1;
  while (pos < size) {
    width = scanLine(bytes, pos, size, delimiter, crlf, fieldStarts, fieldEnds, fieldValues, MAX_FIELDS, cursor);
    if (width === BAIL) return undefined;
    if (width > 0) {
      headerStart = pos;
      break;
    }
    pos = cursor[0]!;
  }
  if (headerStart < 0) return undefined;
  let emptyHeader = true;
  for (let f = 0; f < width; f++) if (fieldEnds[f]! > fieldStarts[f]!) emptyHeader = false;
  if (emptyHeader) return undefined;
  const names: string[] = [];
  for (let f = 0; f < width; f++) names.push(options.header ? buf.toString('utf8', fieldStarts[f], fieldEnds[f]) : `column ${f + 1}`);
  const dataStart = options.header ? cursor[0]! : headerStart;

  // Capacity: one row per remaining line feed, plus a last line without one.
  let capacity = 1;
  for (let i = buf.indexOf(LF, dataStart); i >= 0; i = buf.indexOf(LF, i + 1)) capacity++;
  const recordStarts = size < 2 ** 32 ? new Uint32Array(capacity) : new Float64Array(capacity);
  let rowCount = 0;

  const lineOf = (row: number): number => {
    const target = recordStarts[row]!;
    let line = 1;
    for (let i = buf.indexOf(LF); i >= 0 && i < target; i = buf.indexOf(LF, i + 1)) line++;
    return line;
  };
  const table: Table = {
    names,
    get rowCount() {
      return rowCount;
    },
    cell(row, column) {
      const starts = new Int32Array(width);
      const ends = new Int32Array(width);
      scanLine(bytes, recordStarts[row]!, size, delimiter, crlf, starts, ends, new Float64Array(width), width, new Float64Array(1));
      return buf.toString('utf8', starts[column], ends[column]);
    },
    where: (row) => `line ${lineOf(row)}`,
    position: lineOf,
    fromText: true,
    what: 'CSV header',
  };

  const resolved = tableColumns(table, options, { hasHeader: options.header });
  const { roles, layout, priceColumn } = resolved;
  const cols = allocateRows(capacity, resolved, options);
  const { time, open, high, low, close, adjClose, volume } = cols;
  const priceSource = options.useAdjusted ? roles.adjClose : priceColumn;
  const timeColumn = roles.time;
  const clockColumn = roles.clock;
  const symbolColumn = roles.symbol;
  const volumeColumn = roles.volume;
  const textUnit = options.textTimeUnit;
  const customTime = options.parseTime !== undefined;
  const wanted = symbolColumn >= 0 ? options.symbol : undefined;
  const symbolIds = symbolColumn >= 0 ? new Int32Array(capacity) : undefined;
  const keep = wanted === undefined ? undefined : new Int32Array(capacity);
  const symbols: string[] = [];
  const ids = new Map<string, number>();
  let lastSymbolStart = -1;
  let lastSymbolLength = -1;
  let lastSymbolId = -1;

  /**
   * csv-parse also skips a record whose cells are all blank to JavaScript's `trim` (`\v`, no-break
   * spaces): only a line made of whitespace bytes and UTF-8 lead bytes can be one, which the first
   * byte of a normal line rules out.
   */
  const isEmptyRecord = (): boolean => {
    for (let f = 0; f < width; f++) {
      for (let i = fieldStarts[f]!; i < fieldEnds[f]!; i++) {
        const b = bytes[i]!;
        if (b < 9 || (b > 13 && b < 32) || (b > 32 && b < 128)) return false;
      }
    }
    for (let f = 0; f < width; f++) if (buf.toString('utf8', fieldStarts[f], fieldEnds[f]).trim() !== '') return false;
    return true;
  };
  const numberAt = (row: number, column: number): number => {
    const value = fieldValues[column]!;
    return value === value ? value : readNumber(table, row, column);
  };

  /**
   * True when every line from `from` on has the header's width and a line ending the fast path
   * takes. A cell error found before the end of the file is only reported when this holds: the full
   * parser reads the whole file before any cell, so a malformed line later on is the error to report.
   */
  const restIsWellFormed = (from: number): boolean => {
    for (let p = from; p < size; p = cursor[0]!) {
      const count = scanLine(bytes, p, size, delimiter, crlf, fieldStarts, fieldEnds, fieldValues, width, cursor);
      if (count !== 0 && count !== width) return false;
    }
    return true;
  };

  let k = 0;
  pos = dataStart;
  try {
    while (pos < size) {
      const lineStart = pos;
      const count = scanLine(bytes, pos, size, delimiter, crlf, fieldStarts, fieldEnds, fieldValues, width, cursor);
      pos = cursor[0]!;
      if (count === 0) continue;
      if (count !== width) return undefined;
      if (isEmptyRecord()) continue;
      const row = rowCount++;
      recordStarts[row] = lineStart;

      if (symbolIds !== undefined) {
        const s = fieldStarts[symbolColumn]!;
        const length = fieldEnds[symbolColumn]! - s;
        let id = lastSymbolId;
        if (length === 0 || length !== lastSymbolLength || buf.compare(buf, lastSymbolStart, lastSymbolStart + length, s, s + length) !== 0) {
          const symbol = length === 0 ? readSymbol(table, row, symbolColumn) : buf.toString('utf8', s, s + length).trim();
          if (symbol === '') readSymbol(table, row, symbolColumn);
          let known = ids.get(symbol);
          if (known === undefined) {
            known = symbols.length;
            ids.set(symbol, known);
            symbols.push(symbol);
          }
          id = known;
          lastSymbolStart = s;
          lastSymbolLength = length;
          lastSymbolId = id;
        }
        if (keep !== undefined) {
          if (symbols[id] !== wanted) continue;
          keep[k] = row;
        }
        symbolIds[k] = id;
      }

      let ms: number;
      if (clockColumn >= 0 || customTime) {
        ms = readTime(table, row, resolved, options);
      } else {
        const value = fieldValues[timeColumn]!;
        ms = value === value ? numberToEpochMs(value, textUnit) : cellToEpochMs(buf.toString('utf8', fieldStarts[timeColumn], fieldEnds[timeColumn]), options);
        if (!Number.isFinite(ms)) ms = readTime(table, row, resolved, options);
      }
      time[k] = ms;
      if (layout === 'price') {
        close[k] = numberAt(row, priceSource);
      } else {
        open[k] = numberAt(row, roles.open);
        high[k] = numberAt(row, roles.high);
        low[k] = numberAt(row, roles.low);
        close[k] = numberAt(row, roles.close);
        if (adjClose !== undefined) adjClose[k] = numberAt(row, roles.adjClose);
      }
      volume[k] = volumeColumn >= 0 ? numberAt(row, volumeColumn) : 0;
      k++;
    }
  } catch (error) {
    if (restIsWellFormed(pos)) throw error;
    return undefined;
  }
  if (rowCount === 0) return undefined;
  const read: ReadRows = {
    length: k,
    ...cols,
    rows: keep?.subarray(0, k),
    symbolIds: symbolIds?.subarray(0, k),
    symbols,
  };
  return { table, resolved, read: symbolRows(table, read, symbolColumn, wanted) };
}
