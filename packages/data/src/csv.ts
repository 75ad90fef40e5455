import { readFile } from 'node:fs/promises';
import { AlgoTradingError, describeValue, isAlgoTradingError, type BarSeries, type Universe } from '@algo-trading/core';
import { parse } from 'csv-parse/sync';
import { buildSeries, csvColumnHints, finishSeries, groupsToUniverse, singleSeries, type SymbolGroup } from './build-series';
import { scanCsvBuffer, scanCsvFile, type ScannedCsv } from './csv-scan';
import { assertCsvText } from './sniff';
import { resolveCsvOptions, type ParseBarsCsvOptions, type ResolvedCsvOptions } from './options';
import { csvTable } from './table';

function csvParseOptions(options: ResolvedCsvOptions) {
  return {
    bom: true,
    delimiter: options.delimiter,
    trim: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
  };
}

/**
 * The line of every record (1-based, counting blank lines). Only computed when a message needs a
 * line: asking csv-parse for record info on every parse costs about 15% of the parse time.
 */
function recordLines(input: Buffer, options: ResolvedCsvOptions): number[] {
  const lines: number[] = [];
  parse(input, {
    ...csvParseOptions(options),
    on_record: (record: string[], context: { lines: number }) => {
      lines.push(context.lines);
      return record;
    },
  });
  return lines;
}

/** The full parser: csv-parse builds the records, then every cell is read through a {@link Table}. */
function parseRecords(input: Buffer, options: ResolvedCsvOptions): SymbolGroup[] {
  let records: string[][];
  try {
    records = parse(input, csvParseOptions(options)) as string[][];
  } catch (cause) {
    const line = (cause as { lines?: unknown }).lines;
    const message = (cause as Error)?.message ?? String(cause);
    throw new AlgoTradingError('PARSE_ERROR', `${typeof line === 'number' ? `line ${line}: ` : ''}malformed CSV: ${message}`, {
      cause,
      details: { field: 'csv', ...(typeof line === 'number' ? { index: line } : {}) },
    });
  }
  if (records.length === 0) {
    throw new AlgoTradingError('PARSE_ERROR', options.header ? 'the CSV is empty: expected a header line' : 'the CSV is empty', {
      details: { field: 'csv', value: '' },
    });
  }
  const first = options.header ? 1 : 0;
  const names = options.header ? records[0]! : records[0]!.map((_, i) => `column ${i + 1}`);
  let lines: number[] | undefined;
  const lineOf = (dataRow: number): number => {
    lines ??= recordLines(input, options);
    return lines[dataRow + first]!;
  };
  const data = first === 0 ? records : records.slice(first);
  return buildSeries(csvTable(names, data, lineOf), options, csvColumnHints(names, options.header));
}

/**
 * CSV bytes to series: the byte scanner when the file is plain (no quotes, one-byte delimiter,
 * consistent line endings and widths), else the full parser; both give the same bars and errors.
 * `parser: 'full'` skips the scanner (for tests that compare the two).
 */
export function parseGroups(input: Buffer, options: ResolvedCsvOptions, parser: 'auto' | 'full' = 'auto'): SymbolGroup[] {
  assertCsvText(input, 'the text');
  const scanned = parser === 'full' ? undefined : scanCsvBuffer(input, options);
  if (scanned === undefined) return parseRecords(input, options);
  return finishSeries(scanned.table, scanned.read, scanned.resolved, options);
}

/** A file to series: scanned in chunks when plain, else read whole for the full parser. */
export async function readGroups(path: string, options: ResolvedCsvOptions, what: string, chunkBytes?: number): Promise<SymbolGroup[]> {
  checkPath(path, what);
  let scanned: ScannedCsv | undefined;
  try {
    scanned = await scanCsvFile(path, options, chunkBytes);
  } catch (cause) {
    if (isAlgoTradingError(cause)) throw withPath(cause, path);
    if (typeof (cause as NodeJS.ErrnoException)?.code === 'string') throw ioError(path, cause);
    throw cause;
  }
  try {
    if (scanned !== undefined) return finishSeries(scanned.table, scanned.read, scanned.resolved, options);
    const bytes = await readBytes(path);
    assertCsvText(bytes, 'the file');
    return parseRecords(bytes, options);
  } catch (error) {
    throw withPath(error, path);
  }
}

function textInput(text: unknown, what: string): Buffer {
  if (typeof text !== 'string') {
    throw new AlgoTradingError('INVALID_ARGUMENT', `${what}: text must be a string of CSV, got ${describeValue(text)}`, {
      details: { field: 'text', value: text },
    });
  }
  return Buffer.from(text, 'utf8');
}

function toUniverseOf(groups: readonly SymbolGroup[], options: ResolvedCsvOptions): Universe {
  return groupsToUniverse(groups, options.symbol, 'the CSV', 'parseBarsCsv');
}

/**
 * Parses CSV text into one validated {@link BarSeries}.
 *
 * Columns are found by header name, case-insensitively: time from `date`, `datetime`, `timestamp`
 * or `time` (or `date` + `time` joined); `open`, `high`, `low`, `close`; `adj close` / `adjclose` /
 * `adj_close`; `volume`; `price`; `symbol` / `ticker`. `options.columns` names them explicitly.
 * Times are ISO dates (a date alone is UTC midnight) or epoch numbers (unit guessed from the
 * magnitude unless `timeUnit` is set). A file with a single price (or close) column gives bars with
 * open = high = low = close and volume 0 (unless a volume column exists).
 *
 * Errors: `PARSE_ERROR` for malformed CSV or an unreadable cell, `INVALID_DATA` for a broken bar
 * rule, rows out of time order (unless `sortUnordered`) or duplicate times; the message names the
 * line (1-based, the header is line 1), the column and the value, and `details.index` holds the line.
 * A file with several symbols is an `INVALID_DATA` error unless `options.symbol` picks one: use
 * {@link parseBarsCsvBySymbol} to get every symbol.
 *
 * @example
 * const bars = parseBarsCsv('date,open,high,low,close,volume\n2024-01-02,100,102,99,101,1000\n', { symbol: 'SPY' });
 * bars.close[0]; // 101
 */
export function parseBarsCsv(text: string, options?: ParseBarsCsvOptions): BarSeries {
  const resolved = resolveCsvOptions(options, 'parseBarsCsv');
  return singleSeries(parseGroups(textInput(text, 'parseBarsCsv'), resolved), 'parseBarsCsvBySymbol');
}

/**
 * Parses CSV text with a symbol column (`symbol` or `ticker`) into a {@link Universe}: one validated
 * series per symbol, in sorted symbol order. Each symbol's rows must be in time order among
 * themselves (or `sortUnordered`); the symbols may have different calendars. Without a symbol
 * column, the one series is keyed by `options.symbol` (required then). Same columns, options and
 * errors as {@link parseBarsCsv}.
 */
export function parseBarsCsvBySymbol(text: string, options?: ParseBarsCsvOptions): Universe {
  const resolved = resolveCsvOptions(options, 'parseBarsCsvBySymbol');
  return toUniverseOf(parseGroups(textInput(text, 'parseBarsCsvBySymbol'), resolved), resolved);
}

function checkPath(path: unknown, what: string): void {
  if (typeof path !== 'string' || path.trim() === '') {
    throw new AlgoTradingError('INVALID_ARGUMENT', `${what}: path must be a non-empty string, got ${describeValue(path)}`, {
      details: { field: 'path', value: path },
    });
  }
}

function ioError(path: string, cause: unknown): AlgoTradingError {
  const code = (cause as NodeJS.ErrnoException)?.code;
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : ((cause as Error)?.message ?? String(cause));
  return new AlgoTradingError('IO_ERROR', `cannot read CSV file ${path}: ${reason}`, {
    cause,
    details: { field: 'path', value: path, ...(code === undefined ? {} : { errno: code }) },
  });
}

async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw ioError(path, cause);
  }
}

function withPath(error: unknown, path: string): unknown {
  if (!isAlgoTradingError(error)) return error;
  return new AlgoTradingError(error.code, `${path}: ${error.message}`, { cause: error, details: { ...error.details, path } });
}

/**
 * Reads a CSV file into one validated {@link BarSeries}; see {@link parseBarsCsv} for columns,
 * options and errors (their messages start with the path). A missing or unreadable file is an
 * `IO_ERROR` naming the path.
 *
 * @example
 * const bars = await readBarsCsv('./data/SPY.csv', { useAdjusted: true });
 */
export async function readBarsCsv(path: string, options?: ParseBarsCsvOptions): Promise<BarSeries> {
  const resolved = resolveCsvOptions(options, 'readBarsCsv');
  const groups = await readGroups(path, resolved, 'readBarsCsv');
  try {
    return singleSeries(groups, 'readBarsCsvBySymbol');
  } catch (error) {
    throw withPath(error, path);
  }
}

/** Reads a CSV file into a {@link Universe}, one validated series per symbol; see {@link parseBarsCsvBySymbol}. */
export async function readBarsCsvBySymbol(path: string, options?: ParseBarsCsvOptions): Promise<Universe> {
  const resolved = resolveCsvOptions(options, 'readBarsCsvBySymbol');
  const groups = await readGroups(path, resolved, 'readBarsCsvBySymbol');
  try {
    return toUniverseOf(groups, resolved);
  } catch (error) {
    throw withPath(error, path);
  }
}
