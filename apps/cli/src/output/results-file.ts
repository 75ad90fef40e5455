import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AlgoTradingError, type Fill, type Position, type Trade } from '@algo-trading/core';
import { z } from 'zod';
import type { AppConfig } from '../config/schema';
import type { BenchmarkResults } from '../pipeline/benchmark';
import type { RunManifest } from '../report/manifest';
import type { HeadlineMetrics } from './summary-table';

/** Version of the `results.json` layout; `report` refuses a newer one. */
export const RESULTS_SCHEMA_VERSION = 1;

/** One order the engine did not fill, as stored in `results.json`. */
export interface RejectionRecord {
  readonly time: number;
  readonly barIndex: number;
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

/**
 * Everything a run produced, as written to `results.json`: enough to rebuild the report
 * (`algo-trading report <dir>`) without the data or the model. Non-finite numbers are stored
 * as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
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
  readonly equityCurve: {
    readonly time: readonly number[];
    readonly equity: readonly number[];
    readonly cash: readonly number[];
    readonly drawdown: readonly number[];
  };
  readonly trades: readonly Trade[];
  readonly fills: readonly Fill[];
  readonly rejections: readonly RejectionRecord[];
  readonly openPositions: readonly Position[];
  /** Anything else worth keeping (walk-forward folds, signal statistics, threshold chosen ...). */
  readonly extra: Readonly<Record<string, unknown>>;
  /** What the strategy is measured against (absent in files written before benchmarks existed). */
  readonly benchmark?: BenchmarkResults | undefined;
  /** The closes of the bars backtested, one per equity-curve point (for the report's price chart). */
  readonly prices?: { readonly symbol: string; readonly close: readonly number[] } | undefined;
  /** What a reader must know before trusting the figures (no trade, most orders rejected, ...). */
  readonly warnings?: readonly string[] | undefined;
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

/** `results.json` text: pretty JSON, typed arrays as arrays, non-finite numbers as strings. */
export function serializeResults(results: RunResults): string {
  return `${JSON.stringify(results, encodeNonFinite, 2)}\n`;
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
  equityCurve: z.looseObject({
    time: z.array(z.number()),
    equity: z.array(numberish),
    cash: z.array(numberish),
    drawdown: z.array(numberish),
  }),
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

/**
 * Parses `results.json` text back into {@link RunResults} (non-finite numbers restored).
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
  return {
    ...(data as unknown as RunResults),
    ...(benchmark === undefined ? {} : { benchmark }),
    headline: decodeRecord(data.headline) as unknown as HeadlineMetrics,
    metrics: decodeRecord(data.metrics),
    equityCurve: {
      time: curve.time,
      equity: curve.equity.map(decodeNumber) as number[],
      cash: curve.cash.map(decodeNumber) as number[],
      drawdown: curve.drawdown.map(decodeNumber) as number[],
    },
  };
}

/**
 * Reads `<dir>/results.json`.
 * @throws AlgoTradingError `NOT_FOUND` naming the path when it does not exist, and the errors of {@link parseResults}.
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
  return parseResults(text, path);
}
