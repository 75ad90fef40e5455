import { readFile } from 'node:fs/promises';
import { AlgoTradingError, describeValue, type BarSeries, type Universe } from '@algo-trading/core';
import { epochToMs, parseIsoTime } from '@algo-trading/data';
import { parse } from 'csv-parse/sync';

/** Signals read from a file and aligned with the bars. */
export interface AlignedSignals {
  /** -1 / 0 / 1 per bar; bars without a row in the file hold (0). */
  readonly signals: Int8Array;
  /** Confidence per bar (NaN where none), or undefined when the file has no confidence column. */
  readonly confidences: Float64Array | undefined;
  /** Rows of the file (each matched one bar). */
  readonly rows: number;
}

const TIME_HEADERS = ['date', 'datetime', 'timestamp', 'time'];

function fail(source: string, line: number, message: string, value?: unknown): never {
  throw new AlgoTradingError('INVALID_DATA', `${source} line ${line}: ${message}`, {
    details: { field: source, index: line, ...(value === undefined ? {} : { value }) },
  });
}

function parseTime(text: string): number {
  const trimmed = text.trim();
  return /^[+-]?\d+(\.\d+)?$/.test(trimmed) ? epochToMs(Number(trimmed), 'auto') : parseIsoTime(trimmed);
}

/**
 * Parses a signals CSV (`date,signal[,confidence]`; the time column may also be called datetime,
 * timestamp or time, as ISO 8601 or epoch seconds / milliseconds) and aligns it with `bars` by
 * time. Every row must name a bar's time; bars without a row get signal 0.
 *
 * @throws AlgoTradingError `INVALID_DATA` naming the file and line of the first bad row (unknown
 *   time, duplicate time, a signal other than -1, 0, 1, a confidence outside [0, 1]);
 *   `PARSE_ERROR` for malformed CSV.
 */
export function parseSignalsCsv(text: string, bars: BarSeries, source = 'signals.csv'): AlignedSignals {
  const { records, timeKey, hasConfidence } = parseRecords(text, source, false);
  const aligner = new Aligner(bars, hasConfidence);
  for (const { record, info } of records) aligner.add(record, info.lines, timeKey, source);
  return { signals: aligner.signals, confidences: aligner.confidences, rows: records.length };
}

/** Signals of a universe read from a file: one {@link AlignedSignals} per symbol of the data. */
export interface UniverseSignals {
  /** -1 / 0 / 1 per bar of each symbol (every symbol of the data; bars without a row hold). */
  readonly signals: Record<string, Int8Array>;
  /** Confidences per bar of each symbol, or undefined when the file has no confidence column. */
  readonly confidences: Record<string, Float64Array> | undefined;
  /** Rows of the file. */
  readonly rows: number;
}

/**
 * Parses the signals CSV of a universe: `date,symbol,signal[,confidence]`, one row per symbol and
 * bar (long format, like a multi-symbol bars CSV), each row aligned with that symbol's own bars by
 * time. Symbols of the data without a row hold (signal 0) throughout.
 *
 * @throws AlgoTradingError `INVALID_DATA` naming the file and line of the first bad row (no
 *   symbol column, a symbol not in the data, a time that is not one of that symbol's bars, a
 *   duplicate, a bad signal or confidence); `PARSE_ERROR` for malformed CSV.
 */
export function parseUniverseSignalsCsv(text: string, universe: Universe, source = 'signals.csv'): UniverseSignals {
  const { records, timeKey, hasConfidence } = parseRecords(text, source, true);
  const aligners = new Map<string, Aligner>();
  for (const [symbol, bars] of universe) aligners.set(symbol, new Aligner(bars, hasConfidence));
  for (const { record, info } of records) {
    const symbol = record['symbol'] ?? '';
    const aligner = aligners.get(symbol);
    if (aligner === undefined) fail(source, info.lines, `symbol ${describeValue(symbol)} is not in the data (${[...aligners.keys()].join(', ')})`, symbol);
    aligner.add(record, info.lines, timeKey, source);
  }
  const signals: Record<string, Int8Array> = {};
  const confidences: Record<string, Float64Array> = {};
  for (const [symbol, aligner] of aligners) {
    signals[symbol] = aligner.signals;
    if (aligner.confidences !== undefined) confidences[symbol] = aligner.confidences;
  }
  return { signals, confidences: hasConfidence ? confidences : undefined, rows: records.length };
}

type CsvRecord = { record: Record<string, string>; info: { lines: number } };

/** Parses the CSV and checks its header: a time column, `signal` (and `symbol` when `needSymbol`). */
function parseRecords(text: string, source: string, needSymbol: boolean): { records: CsvRecord[]; timeKey: string; hasConfidence: boolean } {
  let records: CsvRecord[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as never;
  } catch (cause) {
    const line = (cause as { lines?: number }).lines;
    throw new AlgoTradingError('PARSE_ERROR', `${source}${line === undefined ? '' : ` line ${line}`}: ${(cause as Error).message}`, {
      cause,
      details: { field: source, ...(line === undefined ? {} : { index: line }) },
    });
  }
  const header = records[0] === undefined ? [] : Object.keys(records[0].record);
  const timeKey = TIME_HEADERS.find((h) => header.includes(h));
  if (records.length === 0 || timeKey === undefined || !header.includes('signal') || (needSymbol && !header.includes('symbol'))) {
    const expected = needSymbol ? 'a date (or datetime, timestamp, time) column, a symbol column and a signal column (one row per symbol and bar)' : 'a date (or datetime, timestamp, time) column and a signal column';
    throw new AlgoTradingError('INVALID_DATA', `${source} line 1: expected a header with ${expected}${header.length > 0 ? `, got ${header.join(', ')}` : ''}`, {
      details: { field: source, index: 1 },
    });
  }
  return { records, timeKey, hasConfidence: header.includes('confidence') };
}

/** Aligns signal rows with one series' bars by time. */
class Aligner {
  readonly signals: Int8Array;
  readonly confidences: Float64Array | undefined;
  readonly #indexOfTime = new Map<number, number>();
  readonly #seen = new Set<number>();

  constructor(bars: BarSeries, hasConfidence: boolean) {
    for (let i = 0; i < bars.length; i++) this.#indexOfTime.set(bars.time[i]!, i);
    this.signals = new Int8Array(bars.length);
    this.confidences = hasConfidence ? new Float64Array(bars.length).fill(NaN) : undefined;
  }

  add(record: Record<string, string>, line: number, timeKey: string, source: string): void {
    const timeText = record[timeKey] ?? '';
    const time = parseTime(timeText);
    if (Number.isNaN(time)) fail(source, line, `${timeKey} must be an ISO date or epoch seconds / milliseconds, got ${describeValue(timeText)}`, timeText);
    const index = this.#indexOfTime.get(time);
    const of = record['symbol'] === undefined ? '' : ` of ${record['symbol']}`;
    if (index === undefined) fail(source, line, `${describeValue(timeText)} is not the time of any bar${of} in the data`, timeText);
    if (this.#seen.has(index)) fail(source, line, `${describeValue(timeText)}${of} appears twice`, timeText);
    this.#seen.add(index);
    const signalText = record['signal'] ?? '';
    const signal = Number(signalText);
    if (signalText === '' || !(signal === -1 || signal === 0 || signal === 1)) {
      fail(source, line, `signal must be -1, 0 or 1, got ${describeValue(signalText)}`, signalText);
    }
    this.signals[index] = signal;
    if (this.confidences !== undefined) {
      const text = record['confidence'] ?? '';
      if (text !== '') {
        const confidence = Number(text);
        if (!(confidence >= 0 && confidence <= 1)) fail(source, line, `confidence must be a number between 0 and 1, got ${describeValue(text)}`, text);
        this.confidences[index] = confidence;
      }
    }
  }
}

/**
 * Reads a signals CSV file and aligns it with `bars` (see {@link parseSignalsCsv}).
 * @throws AlgoTradingError `NOT_FOUND` naming the path when the file does not exist.
 */
export async function readSignalsCsv(path: string, bars: BarSeries): Promise<AlignedSignals> {
  return parseSignalsCsv(await readSignalsText(path), bars, path);
}

async function readSignalsText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new AlgoTradingError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `cannot read signals file ${path}: ${code === 'ENOENT' ? 'no such file' : (cause as Error).message}`, {
      cause,
      details: { field: 'signals', value: path },
    });
  }
}

/** Reads the signals CSV of a universe (see {@link parseUniverseSignalsCsv}). */
export async function readUniverseSignalsCsv(path: string, universe: Universe): Promise<UniverseSignals> {
  return parseUniverseSignalsCsv(await readSignalsText(path), universe, path);
}
