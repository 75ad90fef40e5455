import { readFile } from 'node:fs/promises';
import { AlgoTradingError, describeValue, type BarSeries } from '@algo-trading/core';
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
  let records: { record: Record<string, string>; info: { lines: number } }[];
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
  if (records.length === 0 || timeKey === undefined || !header.includes('signal')) {
    throw new AlgoTradingError(
      'INVALID_DATA',
      `${source} line 1: expected a header with a date (or datetime, timestamp, time) column and a signal column${header.length > 0 ? `, got ${header.join(', ')}` : ''}`,
      { details: { field: source, index: 1 } },
    );
  }
  const hasConfidence = header.includes('confidence');
  const indexOfTime = new Map<number, number>();
  for (let i = 0; i < bars.length; i++) indexOfTime.set(bars.time[i]!, i);
  const n = bars.length;
  const signals = new Int8Array(n);
  const confidences = hasConfidence ? new Float64Array(n).fill(NaN) : undefined;
  const seen = new Set<number>();
  for (const { record, info } of records) {
    const line = info.lines;
    const timeText = record[timeKey] ?? '';
    const time = parseTime(timeText);
    if (Number.isNaN(time)) fail(source, line, `${timeKey} must be an ISO date or epoch seconds / milliseconds, got ${describeValue(timeText)}`, timeText);
    const index = indexOfTime.get(time);
    if (index === undefined) fail(source, line, `${describeValue(timeText)} is not the time of any bar in the data`, timeText);
    if (seen.has(index)) fail(source, line, `${describeValue(timeText)} appears twice`, timeText);
    seen.add(index);
    const signalText = record['signal'] ?? '';
    const signal = Number(signalText);
    if (signalText === '' || !(signal === -1 || signal === 0 || signal === 1)) {
      fail(source, line, `signal must be -1, 0 or 1, got ${describeValue(signalText)}`, signalText);
    }
    signals[index] = signal;
    if (confidences !== undefined) {
      const text = record['confidence'] ?? '';
      if (text !== '') {
        const confidence = Number(text);
        if (!(confidence >= 0 && confidence <= 1)) fail(source, line, `confidence must be a number between 0 and 1, got ${describeValue(text)}`, text);
        confidences[index] = confidence;
      }
    }
  }
  return { signals, confidences, rows: records.length };
}

/**
 * Reads a signals CSV file and aligns it with `bars` (see {@link parseSignalsCsv}).
 * @throws AlgoTradingError `NOT_FOUND` naming the path when the file does not exist.
 */
export async function readSignalsCsv(path: string, bars: BarSeries): Promise<AlignedSignals> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new AlgoTradingError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `cannot read signals file ${path}: ${code === 'ENOENT' ? 'no such file' : (cause as Error).message}`, {
      cause,
      details: { field: 'signals', value: path },
    });
  }
  return parseSignalsCsv(text, bars, path);
}
