import type { ParamValue } from '../spec/constraint';

/** Which bars a row was run on: the whole data, or a walk-forward fold's train or test window. */
export type SegmentKind = 'full' | 'train' | 'test';

/** One evaluation to run: a combination of parameters on a range of bars. */
export interface WorkUnit {
  /** Position of the row in its list (combination order; fold-major for walk-forward). */
  readonly index: number;
  /** Index of the combination in the parameter space. */
  readonly combination: number;
  /** sha256 (32 hex digits) of the spec hash, the parameters and the bar range: the row's identity. */
  readonly key: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Walk-forward fold (0-based), or null. */
  readonly fold: number | null;
  readonly segment: SegmentKind;
  /** First bar of the run (the strategy sees every bar before it too). */
  readonly start: number;
  /** End bar of the run, exclusive (the strategy sees no bar from here on). */
  readonly end: number;
}

/** Why a combination produced no metrics. */
export interface RowError {
  /** The `AlgoTradingError` code, or the error's name (`TypeError`). */
  readonly code: string;
  readonly message: string;
}

/** The result of one {@link WorkUnit}: one row of a sweep. */
export interface SweepRow extends WorkUnit {
  /** Every numeric result of the backtest (sharpeRatio, totalReturn, maxDrawdown, ...), or null on error. */
  readonly metrics: Readonly<Record<string, number>> | null;
  /** Closed trades, or null on error. */
  readonly tradeCount: number | null;
  /** Time to generate the decisions and run the backtest, in milliseconds. */
  readonly runMs: number;
  /** Who ran it: `host/pid/thread`. */
  readonly worker: string;
  /** Set when the combination threw; the sweep goes on. */
  readonly error: RowError | null;
}

/** A JSON replacer keeping non-finite numbers as the strings `NaN`, `Infinity`, `-Infinity`. */
export function encodeNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

function decodeNumber(value: unknown): number {
  if (value === 'NaN' || value === null) return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return value as number;
}

/** Restores the non-finite metrics of a row read from JSON (written with {@link encodeNonFinite}). */
export function decodeRow(row: SweepRow): SweepRow {
  if (row.metrics === null) return row;
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(row.metrics)) metrics[k] = decodeNumber(v);
  return { ...row, metrics };
}
