import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AlgoTradingError, type Fill, type Position, type Trade } from '@algo-trading/core';
import { z } from 'zod';
import type { AppConfig } from '../config/schema';
import type { BenchmarkResults } from '../pipeline/benchmark';
import type { RunManifest } from '../report/manifest';
import { BENCHMARK_COLUMN, CLOSE_COLUMN, EQUITY_COLUMNS, type EquityCurveData, type SymbolColumns } from './csv';
import type { HeadlineMetrics } from './summary-table';

/**
 * Version of the `results.json` layout; `report` refuses a newer one. Version 2 keeps the per-bar
 * equity curve in `equity.csv` only; version 1 files (curve inside) are still read.
 */
export const RESULTS_SCHEMA_VERSION = 2;

/**
 * Orders the engine did not fill, as stored in `results.json`: one record per run of consecutive
 * bars rejected alike (`count` orders, from `barIndex` to `lastBarIndex`).
 */
export interface RejectionRecord {
  readonly time: number;
  readonly barIndex: number;
  /** Orders this record stands for (consecutive bars rejected for the same reasons), >= 1. */
  readonly count: number;
  /** The last bar of the record, and its time. */
  readonly lastBarIndex: number;
  readonly lastTime: number;
  readonly symbol: string;
  /** Why: validation codes (`position_limit`, ...), `cash`, `lot`, `halted`, ... */
  readonly reasons: readonly string[];
  readonly message: string;
}

/** Where the bars came from and what they span. */
export interface DataRange {
  readonly source: string;
  readonly symbol: string;
  /** ISO 8601 of the first and last bar. */
  readonly start: string;
  readonly end: string;
  readonly bars: number;
}

/** One symbol of a universe run (`results.json` `universe.perSymbol`). */
export interface SymbolSummary {
  /** Net P&L: closed trades plus the open position at the last close. */
  readonly pnl: number;
  /** `pnl` / initial capital: the contributions sum to the total return (less financing). */
  readonly contribution: number;
  /** Closed trades. */
  readonly trades: number;
  /** Share of the closed trades with a positive P&L (NaN without one). */
  readonly winRate: number;
  /** Share of the time slices that ended holding the symbol. */
  readonly exposure: number;
  /** Traded value / mean portfolio equity. */
  readonly turnover: number;
  /** Sum of |quantity x price| of its fills. */
  readonly tradedValue: number;
  /** Mean weight over the time slices and the weight at the last one. */
  readonly averageWeight: number;
  readonly finalWeight: number;
  /** The symbol's own bars: count, first and last (ISO). */
  readonly bars: number;
  readonly start: string;
  readonly end: string;
  /** Buy and hold of the symbol alone: last close / first close - 1 (no costs). */
  readonly buyAndHoldReturn: number;
}

/** The universe of a multi-symbol run. */
export interface UniverseSummary {
  readonly symbols: readonly string[];
  readonly perSymbol: Readonly<Record<string, SymbolSummary>>;
  /** Traded value of every fill / mean portfolio equity. */
  readonly turnover: number;
  /** How positions were sized, in words. */
  readonly sizing: string;
}

/** Weights and positions per symbol over the time slices (`weights.csv`, `positions.csv`; not in `results.json`). */
export interface HoldingsData {
  /** Market value / portfolio equity at each slice's close. */
  readonly weights: SymbolColumns;
  /** Signed units held at the end of each slice. */
  readonly positions: SymbolColumns;
}

/**
 * Everything a run produced: enough to rebuild the report (`algo-trading report <dir>`) without
 * the data or the model. `results.json` holds all of it but the per-bar equity curve, which is
 * `equity.csv`. Non-finite numbers are stored as the strings `"NaN"`, `"Infinity"` and
 * `"-Infinity"`.
 */
export interface RunResults {
  readonly schemaVersion: number;
  /** The command that produced it: `backtest`, `demo`, ... */
  readonly command: string;
  /** A title for people, e.g. `ML prediction strategy on S&P 500`. */
  readonly title: string;
  readonly strategy: { readonly name: string; readonly parameters: Readonly<Record<string, unknown>> };
  readonly headline: HeadlineMetrics;
  /** Every statistic of the metrics package for the run. */
  readonly metrics: Readonly<Record<string, unknown>>;
  readonly dataRange: DataRange;
  readonly config: AppConfig;
  readonly manifest: RunManifest;
  /** The account at every bar's close (`equity.csv`; not in `results.json`). */
  readonly equityCurve: EquityCurveData;
  readonly trades: readonly Trade[];
  readonly fills: readonly Fill[];
  readonly rejections: readonly RejectionRecord[];
  readonly openPositions: readonly Position[];
  /** Anything else worth keeping (walk-forward folds, signal statistics, threshold chosen ...). */
  readonly extra: Readonly<Record<string, unknown>>;
  /** What the strategy is measured against (absent in files written before benchmarks existed). */
  readonly benchmark?: BenchmarkResults | undefined;
  /**
   * The closes of the bars backtested, one per equity-curve point (for the report's price chart).
   * Like every per-bar series, the closes are in `equity.csv` (its `close` column); `results.json`
   * keeps the symbol.
   */
  readonly prices?: { readonly symbol: string; readonly close: ArrayLike<number> } | undefined;
  /** What a reader must know before trusting the figures (no trade, most orders rejected, ...). */
  readonly warnings?: readonly string[] | undefined;
  /** A run of several symbols: per-symbol results (absent for one series). */
  readonly universe?: UniverseSummary | undefined;
  /** A run of several symbols: weights and positions over time (`weights.csv`, `positions.csv`). */
  readonly holdings?: HoldingsData | undefined;
}

/** Orders rejected in a run: the sum of the records' counts (a record stands for consecutive bars rejected alike). */
export function rejectedOrders(results: Pick<RunResults, 'rejections'>): number {
  let total = 0;
  for (const r of results.rejections) total += r.count;
  return total;
}

function encodeNonFinite(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

function decodeNumber(value: unknown): unknown {
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return value;
}

/** Keys of {@link RunResults} that `results.json` writes as arrays of one compact record per line. */
const RECORD_LISTS = new Set(['trades', 'fills', 'rejections', 'openPositions']);

/**
 * `results.json` in chunks for streaming: pretty JSON of every field but the equity curve; the
 * trade, fill and rejection lists one record per line; typed arrays as arrays, non-finite numbers
 * as strings. No chunk holds more than a few thousand records.
 */
export function* resultsJsonChunks(results: RunResults): Generator<string> {
  // The per-bar series (the account's curve, the benchmark's, the closes) are in equity.csv only.
  const benchmark = results.benchmark === undefined ? undefined : { ...results.benchmark, equity: undefined };
  const prices = results.prices === undefined ? undefined : { symbol: results.prices.symbol };
  const entries = Object.entries({ ...results, benchmark, prices, schemaVersion: RESULTS_SCHEMA_VERSION }).filter(
    ([key, value]) => key !== 'equityCurve' && key !== 'holdings' && value !== undefined,
  );
  yield '{\n';
  for (let k = 0; k < entries.length; k++) {
    const [key, value] = entries[k]!;
    const end = k === entries.length - 1 ? '\n' : ',\n';
    if (RECORD_LISTS.has(key) && Array.isArray(value)) {
      if (value.length === 0) {
        yield `  ${JSON.stringify(key)}: []${end}`;
        continue;
      }
      let chunk = `  ${JSON.stringify(key)}: [\n`;
      for (let i = 0; i < value.length; i++) {
        chunk += `    ${JSON.stringify(value[i], encodeNonFinite)}${i === value.length - 1 ? '\n' : ',\n'}`;
        if (i % 4096 === 4095) {
          yield chunk;
          chunk = '';
        }
      }
      yield `${chunk}  ]${end}`;
    } else {
      yield `  ${JSON.stringify(key)}: ${JSON.stringify(value, encodeNonFinite, 2).replace(/\n/g, '\n  ')}${end}`;
    }
  }
  yield '}\n';
}

/** `results.json` text (see {@link resultsJsonChunks}). */
export function serializeResults(results: RunResults): string {
  return [...resultsJsonChunks(results)].join('');
}

const numberish = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);

const resultsShape = z.looseObject({
  schemaVersion: z.number().int(),
  command: z.string(),
  title: z.string(),
  strategy: z.looseObject({ name: z.string(), parameters: z.record(z.string(), z.unknown()) }),
  headline: z.record(z.string(), numberish),
  metrics: z.record(z.string(), z.unknown()),
  dataRange: z.looseObject({ source: z.string(), symbol: z.string(), start: z.string(), end: z.string(), bars: z.number() }),
  config: z.record(z.string(), z.unknown()),
  manifest: z.record(z.string(), z.unknown()),
  // Layout 1 only: the curve inside results.json.
  equityCurve: z
    .looseObject({
      time: z.array(z.number()),
      equity: z.array(numberish),
      cash: z.array(numberish),
      drawdown: z.array(numberish),
    })
    .optional(),
  trades: z.array(z.record(z.string(), z.unknown())),
  fills: z.array(z.record(z.string(), z.unknown())),
  rejections: z.array(z.record(z.string(), z.unknown())),
  openPositions: z.array(z.record(z.string(), z.unknown())),
  extra: z.record(z.string(), z.unknown()),
});

function decodeRecord(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = decodeNumber(v);
  return out;
}

/** An equity curve of no bars (a `results.json` of layout 2 read without its `equity.csv`). */
const NO_CURVE: EquityCurveData = { time: [], equity: [], cash: [], drawdown: [] };

/** The stored benchmark with its non-finite figures restored; undefined when absent. */
function decodeBenchmark(value: unknown): BenchmarkResults | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const b = value as Record<string, unknown>;
  const record = (v: unknown) => (typeof v === 'object' && v !== null ? decodeRecord(v as Record<string, unknown>) : {});
  return {
    ...(b as unknown as BenchmarkResults),
    equity: Array.isArray(b['equity']) ? (b['equity'] as unknown[]).map(decodeNumber) as number[] : [],
    metrics: record(b['metrics']) as unknown as BenchmarkResults['metrics'],
    relative: record(b['relative']) as unknown as BenchmarkResults['relative'],
  };
}

/** The stored universe summary with its non-finite figures restored; undefined when absent. */
function decodeUniverse(value: unknown): UniverseSummary | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const u = value as Record<string, unknown>;
  const perSymbol: Record<string, SymbolSummary> = {};
  const stored = typeof u['perSymbol'] === 'object' && u['perSymbol'] !== null ? (u['perSymbol'] as Record<string, unknown>) : {};
  for (const [symbol, record] of Object.entries(stored)) {
    if (typeof record === 'object' && record !== null) perSymbol[symbol] = decodeRecord(record as Record<string, unknown>) as unknown as SymbolSummary;
  }
  return { ...(u as unknown as UniverseSummary), perSymbol, turnover: decodeNumber(u['turnover']) as number };
}

/**
 * Parses `results.json` text back into {@link RunResults} (non-finite numbers restored). The
 * equity curve is empty unless the file has layout 1 (curve inside): {@link readResultsDir}
 * reads it from `equity.csv`.
 *
 * @throws AlgoTradingError `PARSE_ERROR` for invalid JSON or a file that is not a results file,
 *   `UNSUPPORTED` for a newer layout version.
 */
export function parseResults(text: string, source = 'results.json'): RunResults {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new AlgoTradingError('PARSE_ERROR', `${source} is not valid JSON: ${(cause as Error).message}`, {
      cause,
      details: { field: source },
    });
  }
  const parsed = resultsShape.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String).join('.') || '(root)';
    throw new AlgoTradingError('PARSE_ERROR', `${source} is not an algo-trading results file: ${path}: ${issue.message}`, {
      cause: parsed.error,
      details: { field: path },
    });
  }
  const data = parsed.data;
  if (data.schemaVersion > RESULTS_SCHEMA_VERSION) {
    throw new AlgoTradingError(
      'UNSUPPORTED',
      `${source} has layout version ${data.schemaVersion}; this CLI reads up to ${RESULTS_SCHEMA_VERSION}: upgrade @algo-trading/cli`,
      { details: { field: 'schemaVersion', value: data.schemaVersion } },
    );
  }
  const curve = data.equityCurve;
  const benchmark = decodeBenchmark(data['benchmark']);
  const universe = decodeUniverse(data['universe']);
  return {
    ...(data as unknown as RunResults),
    ...(benchmark === undefined ? {} : { benchmark }),
    ...(universe === undefined ? {} : { universe }),
    headline: decodeRecord(data.headline) as unknown as HeadlineMetrics,
    metrics: decodeRecord(data.metrics),
    rejections: data.rejections.map((r) => {
      // Layout 1 stored one record per order without a count.
      const barIndex = r['barIndex'] as number;
      return { count: 1, lastBarIndex: barIndex, lastTime: r['time'], ...r } as unknown as RejectionRecord;
    }),
    equityCurve:
      curve === undefined
        ? NO_CURVE
        : {
            time: curve.time,
            equity: curve.equity.map(decodeNumber) as number[],
            cash: curve.cash.map(decodeNumber) as number[],
            drawdown: curve.drawdown.map(decodeNumber) as number[],
          },
  };
}

/** A growable Float64Array column for reading a file of unknown length. */
class Column {
  values = new Float64Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = x;
  }
  done(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}

/**
 * Reads an `equity.csv` written by a run, line by line, into columns.
 *
 * @throws AlgoTradingError `NOT_FOUND` naming the path, `PARSE_ERROR` naming the line of a row
 *   that is not `time,equity,cash,drawdown`.
 */
export async function readEquityCsv(path: string): Promise<EquityCurveData> {
  const columns = [new Column(), new Column(), new Column(), new Column(), new Column(), new Column()] as const;
  // Optional columns after the four of every run, in the order the writer puts them.
  const optional = [BENCHMARK_COLUMN, CLOSE_COLUMN] as const;
  let present: (typeof optional)[number][] = [];
  let width: number = EQUITY_COLUMNS.length;
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new AlgoTradingError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `cannot read ${path}: ${(cause as Error).message}`, {
      cause,
      details: { field: 'path', value: path },
    });
  }
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    if (line === 1) {
      const names = text.trim().split(',');
      const extra = names.slice(EQUITY_COLUMNS.length);
      const inOrder = optional.filter((name) => extra.includes(name));
      if (names.slice(0, EQUITY_COLUMNS.length).join(',') !== EQUITY_COLUMNS.join(',') || extra.join(',') !== inOrder.join(',')) {
        throw new AlgoTradingError('PARSE_ERROR', `${path} line 1: expected the header ${EQUITY_COLUMNS.join(',')}[,${BENCHMARK_COLUMN}][,${CLOSE_COLUMN}], got ${JSON.stringify(text)}`, {
          details: { field: path, index: 1 },
        });
      }
      present = inOrder;
      width = names.length;
      continue;
    }
    if (text === '') continue;
    const cells = text.split(',');
    const time = Date.parse(cells[0] ?? '');
    if (cells.length !== width || Number.isNaN(time)) {
      throw new AlgoTradingError('PARSE_ERROR', `${path} line ${line}: expected an ISO time and ${width - 1} numbers, got ${JSON.stringify(text)}`, {
        details: { field: path, index: line },
      });
    }
    columns[0].push(time);
    for (let c = 1; c < width; c++) columns[c]!.push(cells[c] === '' ? NaN : Number(cells[c]));
  }
  const curve = { time: columns[0].done(), equity: columns[1].done(), cash: columns[2].done(), drawdown: columns[3].done() };
  const column = (name: (typeof optional)[number]) => {
    const k = present.indexOf(name);
    return k < 0 ? undefined : columns[EQUITY_COLUMNS.length + k]!.done();
  };
  const benchmark = column(BENCHMARK_COLUMN);
  const close = column(CLOSE_COLUMN);
  return { ...curve, ...(benchmark === undefined ? {} : { benchmark }), ...(close === undefined ? {} : { close }) };
}

/**
 * Reads the results of a run folder: `<dir>/results.json` and, for layout 2, the equity curve from
 * `<dir>/equity.csv`.
 * @throws AlgoTradingError `NOT_FOUND` naming the path when a file does not exist, and the errors
 *   of {@link parseResults} and {@link readEquityCsv}.
 */
export async function readResultsDir(dir: string): Promise<RunResults> {
  const path = join(dir, 'results.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AlgoTradingError('NOT_FOUND', `results file not found: ${path} (is ${dir} the --out folder of a run?)`, {
        cause,
        details: { field: 'dir', value: dir },
      });
    }
    throw new AlgoTradingError('IO_ERROR', `cannot read ${path}: ${(cause as Error).message}`, { cause, details: { field: 'dir', value: dir } });
  }
  const results = parseResults(text, path);
  if (results.schemaVersion < 2) return results;
  const equityCurve = await readEquityCsv(join(dir, 'equity.csv'));
  const benchmark =
    results.benchmark !== undefined && equityCurve.benchmark !== undefined ? { ...results.benchmark, equity: Array.from(equityCurve.benchmark) } : results.benchmark;
  // Files written before the closes moved to equity.csv keep them in results.json.
  const prices =
    results.prices === undefined || (results.prices as { close?: unknown }).close !== undefined
      ? results.prices
      : equityCurve.close === undefined
        ? undefined
        : { symbol: results.prices.symbol, close: equityCurve.close };
  const holdings =
    results.universe === undefined
      ? undefined
      : {
          weights: await readSymbolColumnsCsv(join(dir, 'weights.csv'), results.universe.symbols),
          positions: await readSymbolColumnsCsv(join(dir, 'positions.csv'), results.universe.symbols),
        };
  const { prices: _stored, ...rest } = results;
  return {
    ...rest,
    equityCurve,
    ...(benchmark === undefined ? {} : { benchmark }),
    ...(prices === undefined ? {} : { prices }),
    ...(holdings === undefined ? {} : { holdings }),
  };
}

/**
 * Reads a `weights.csv` or `positions.csv` written by a universe run: `time`, then one column per
 * symbol of `symbols` in that order.
 *
 * @throws AlgoTradingError `NOT_FOUND` naming the path, `PARSE_ERROR` naming the line of a row
 *   that does not match the header.
 */
export async function readSymbolColumnsCsv(path: string, symbols: readonly string[]): Promise<SymbolColumns> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new AlgoTradingError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `cannot read ${path}: ${(cause as Error).message}`, {
      cause,
      details: { field: 'path', value: path },
    });
  }
  const lines = text.split('\n');
  const expected = ['time', ...symbols].join(',');
  if ((lines[0] ?? '').trim() !== expected) {
    throw new AlgoTradingError('PARSE_ERROR', `${path} line 1: expected the header ${expected}, got ${JSON.stringify(lines[0] ?? '')}`, {
      details: { field: path, index: 1 },
    });
  }
  const time = new Column();
  const columns = symbols.map(() => new Column());
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (line === '') continue;
    const cells = line.split(',');
    const t = Date.parse(cells[0] ?? '');
    if (cells.length !== symbols.length + 1 || Number.isNaN(t)) {
      throw new AlgoTradingError('PARSE_ERROR', `${path} line ${k + 1}: expected an ISO time and ${symbols.length} numbers, got ${JSON.stringify(line)}`, {
        details: { field: path, index: k + 1 },
      });
    }
    time.push(t);
    columns.forEach((column, j) => column.push(cells[j + 1] === '' ? NaN : Number(cells[j + 1])));
  }
  const values: Record<string, Float64Array> = {};
  symbols.forEach((s, j) => (values[s] = columns[j]!.done()));
  return { time: time.done(), symbols, values };
}
