import { AlgoTradingError } from '@algo-trading/core';
import type { PreparedSweep } from '../prepare';
import type { SweepResult } from '../run-sweep';
import { decodeRow, encodeNonFinite, type SweepRow } from './row';

/**
 * The results file of a sweep: one JSON document with the sweep's identity (spec hash, data
 * hash, strategy), its summary, one row per line and the walk-forward folds. Non-finite numbers
 * are written as the strings `NaN`, `Infinity`, `-Infinity`. The CLI writes it atomically; a
 * resumed run reads it back with {@link parseSweepResults}.
 */

/** `format` field of a results file. */
export const SWEEP_RESULTS_FORMAT = 'algo-trading-sweep';
/** Layout version of a results file. */
export const SWEEP_RESULTS_VERSION = 1;

function line(value: unknown): string {
  return JSON.stringify(value, encodeNonFinite);
}

/**
 * The results file text of a sweep result (rows and folds one per line, so that the file diffs
 * and greps well).
 */
export function serializeSweepResults(result: SweepResult, extra: Readonly<Record<string, unknown>> = {}): string {
  const { rows, folds, ...head } = result;
  const header = JSON.stringify({ format: SWEEP_RESULTS_FORMAT, version: SWEEP_RESULTS_VERSION, ...head, ...extra }, encodeNonFinite, 2);
  const body = [
    `  "rows": [${rows.length === 0 ? ']' : `\n${rows.map((r) => `    ${line(r)}`).join(',\n')}\n  ]`}`,
    `  "folds": ${folds === null ? 'null' : `[${folds.length === 0 ? ']' : `\n${folds.map((f) => `    ${line(f)}`).join(',\n')}\n  ]`}`}`,
  ];
  return `${header.slice(0, -2)},\n${body.join(',\n')}\n}\n`;
}

/**
 * The results file text of a sweep still running (a checkpoint): its identity and the rows so far
 * (test rows of walk-forward folds included), `complete: false`, no summary. A resumed run reads
 * it like a final file.
 */
export function serializeSweepCheckpoint(prepared: PreparedSweep, rows: readonly SweepRow[], extra: Readonly<Record<string, unknown>> = {}): string {
  const head = {
    format: SWEEP_RESULTS_FORMAT,
    version: SWEEP_RESULTS_VERSION,
    name: prepared.spec.name ?? null,
    specHash: prepared.specHash,
    strategy: { specifier: prepared.strategyRef.specifier, name: prepared.strategy.name },
    data: prepared.data.ref,
    objective: prepared.objective,
    parameterNames: prepared.parameters.map((p) => p.name),
    metricNames: prepared.metricNames,
    combinations: prepared.combinations.length,
    complete: false,
    summary: null,
    ...extra,
  };
  const sorted = [...rows].sort((a, b) => (a.segment === 'test' ? 1 : 0) - (b.segment === 'test' ? 1 : 0) || a.index - b.index);
  const header = JSON.stringify(head, encodeNonFinite, 2);
  const body = `  "rows": [${sorted.length === 0 ? ']' : `\n${sorted.map((r) => `    ${line(r)}`).join(',\n')}\n  ]`}`;
  return `${header.slice(0, -2)},\n${body},\n  "folds": null\n}\n`;
}

/** What {@link parseSweepResults} reads back. */
export interface SweepResultsFile {
  readonly specHash: string;
  readonly complete: boolean;
  /** Every row of the file: train and full rows, then each fold's test row. */
  readonly rows: SweepRow[];
  /** The whole document (summary, folds, ...), non-finite numbers restored in the rows only. */
  readonly document: Record<string, unknown>;
}

/**
 * Reads a results file (for `--resume`).
 * @throws AlgoTradingError `PARSE_ERROR` naming the file when it is not JSON or not a sweep
 *   results file, `UNSUPPORTED` for a newer layout.
 */
export function parseSweepResults(text: string, source = 'sweep.json'): SweepResultsFile {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    throw new AlgoTradingError('PARSE_ERROR', `${source} is not valid JSON: ${(cause as Error).message}`, { cause, details: { field: source } });
  }
  if (typeof doc !== 'object' || doc === null || doc['format'] !== SWEEP_RESULTS_FORMAT || !Array.isArray(doc['rows']) || typeof doc['specHash'] !== 'string') {
    throw new AlgoTradingError('PARSE_ERROR', `${source} is not an algo-trading sweep results file`, { details: { field: source } });
  }
  if (typeof doc['version'] !== 'number' || doc['version'] > SWEEP_RESULTS_VERSION) {
    throw new AlgoTradingError('UNSUPPORTED', `${source} has layout version ${String(doc['version'])}; this version reads up to ${SWEEP_RESULTS_VERSION}`, {
      details: { field: 'version', value: doc['version'] },
    });
  }
  const rows = (doc['rows'] as SweepRow[]).map(decodeRow);
  const folds = Array.isArray(doc['folds']) ? (doc['folds'] as { test?: SweepRow | null }[]) : [];
  for (const fold of folds) if (fold.test !== null && fold.test !== undefined) rows.push(decodeRow(fold.test));
  return { specHash: doc['specHash'], complete: doc['complete'] === true, rows, document: doc };
}

/** A table of rows for CSV or display: the parameters, then every metric, then the run's details. */
export interface SweepTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
}

/**
 * The rows as a table: `index`, `fold`, `segment`, one column per parameter, `trades`, one
 * column per metric, `run_ms`, `worker`, `error`, `key`.
 */
export function sweepTable(rows: readonly SweepRow[], parameterNames: readonly string[], metricNames: readonly string[]): SweepTable {
  const header = ['index', 'fold', 'segment', ...parameterNames, 'trades', ...metricNames, 'run_ms', 'worker', 'error', 'key'];
  return {
    header,
    rows: rows.map((r) => [
      r.index,
      r.fold,
      r.segment,
      ...parameterNames.map((p) => {
        const v = r.params[p];
        return v === undefined ? null : typeof v === 'boolean' ? String(v) : v;
      }),
      r.tradeCount,
      ...metricNames.map((m) => r.metrics?.[m] ?? null),
      Math.round(r.runMs * 1000) / 1000,
      r.worker,
      r.error === null ? null : `${r.error.code}: ${r.error.message}`,
      r.key,
    ]),
  };
}
