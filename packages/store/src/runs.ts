import { randomBytes } from 'node:crypto';
import { AlgoTradingError, describeValue, parseOptions, type Fill, type Trade } from '@algo-trading/core';
import { parseIsoTime } from '@algo-trading/data';
import { z } from 'zod';
import { detectGitCommit } from './code-version';
import { inTransaction, queryObjects, queryRows, toNumber, type StoreContext } from './context';
import { appendDoubleColumns, appendRows, readDoubleColumns, readTextRows, sqlString, textNumber, type StageColumnType } from './duckdb';
import type { TimeInput } from './options';
import { isTimeframe, isValidSymbol } from './timeframe';

/**
 * Run results: one row per run in `runs` (keyed by id, with the hashes of its configuration and
 * data and the code version), its parameters and metrics as name/value rows, its trades and
 * fills, and its per-bar equity curve (appended column by column). The run folders the CLI
 * writes stay the full record; the store indexes them and makes the numbers queryable.
 */

/** Lifecycle of a run. */
export const RUN_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;
/** One of {@link RUN_STATUSES}. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Metrics `listRuns` includes by default (the headline statistics of a backtest). */
export const DEFAULT_LIST_METRICS = ['totalReturn', 'cagr', 'sharpeRatio', 'maxDrawdown', 'tradeCount'] as const;

/** The per-bar account curve of a run. */
export interface EquityCurveInput {
  /** Bar times, epoch ms. */
  readonly time: ArrayLike<number>;
  readonly equity: ArrayLike<number>;
  readonly cash?: ArrayLike<number> | undefined;
  /** Drawdown from the peak as a positive fraction. */
  readonly drawdown?: ArrayLike<number> | undefined;
}

/** One run to record. */
export interface RecordRunInput {
  /** Unique id (letters, digits and `._:@+-`, up to 200 characters); default: a new time-ordered id. */
  readonly id?: string | undefined;
  /** The command that produced it: `backtest`, `optimize`, `walk-forward`, `sweep`, ... */
  readonly command: string;
  /** Default `completed`. */
  readonly status?: RunStatus | undefined;
  /** Why the run failed, for `failed` runs. */
  readonly error?: string | undefined;
  /** When the run was made; default now. */
  readonly createdAt?: TimeInput | undefined;
  readonly title?: string | undefined;
  readonly strategy?: string | undefined;
  /** Hash of the resolved configuration (e.g. sha256 hex). */
  readonly configHash: string;
  /** Hash of the bars the run used. */
  readonly dataHash: string;
  /** The version of the code that ran, e.g. `@algo-trading/cli@0.3.0`. */
  readonly codeVersion: string;
  /** The git commit of the code; default: detected in the working folder (null outside git). Pass null to skip. */
  readonly gitCommit?: string | null | undefined;
  /** The run folder (results.json, trades.csv, ...), when there is one. */
  readonly folder?: string | undefined;
  /** Where the bars came from: a file, `sample:sp500`, `store:SPY@1d`. */
  readonly dataSource?: string | undefined;
  readonly symbols?: readonly string[] | undefined;
  readonly timeframe?: string | undefined;
  /** First and last bar of the run. */
  readonly startTime?: TimeInput | undefined;
  readonly endTime?: TimeInput | undefined;
  /** Number of bars. */
  readonly bars?: number | undefined;
  /** The resolved configuration, stored as JSON. */
  readonly config?: unknown;
  /** Strategy and run parameters; nested objects are flattened to dotted names (`sizing.method`). */
  readonly parameters?: Readonly<Record<string, unknown>> | undefined;
  /** Metrics by name (NaN and infinities allowed; null for not available). */
  readonly metrics?: Readonly<Record<string, number | null>> | undefined;
  readonly trades?: readonly Trade[] | undefined;
  readonly fills?: readonly Fill[] | undefined;
  readonly equityCurve?: EquityCurveInput | undefined;
}

/** Options of `recordRun` / `recordRuns`. */
export interface RecordRunOptions {
  /** Replace a run already recorded under the same id (its parameters, metrics, trades, fills and curve). Default false. */
  readonly replace?: boolean | undefined;
}

/** A run as listed: everything but its parameters, trades, fills and curve. */
export interface RunSummary {
  readonly id: string;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly command: string;
  readonly status: RunStatus;
  readonly error: string | null;
  readonly title: string | null;
  readonly strategy: string | null;
  readonly configHash: string;
  readonly dataHash: string;
  readonly codeVersion: string;
  readonly gitCommit: string | null;
  readonly folder: string | null;
  readonly dataSource: string | null;
  readonly symbols: readonly string[];
  readonly timeframe: string | null;
  readonly startTime: number | null;
  readonly endTime: number | null;
  readonly bars: number | null;
  /** The metrics asked for (by default {@link DEFAULT_LIST_METRICS}); null when the run has no such metric. */
  readonly metrics: Readonly<Record<string, number | null>>;
}

/** The per-bar curve of a recorded run, as columns. */
export interface EquityCurve {
  readonly time: Float64Array;
  readonly equity: Float64Array;
  /** Present when recorded. */
  readonly cash: Float64Array | undefined;
  readonly drawdown: Float64Array | undefined;
}

/** Everything recorded about a run. */
export interface RunDetail extends RunSummary {
  /** Every metric, in the order recorded. */
  readonly metrics: Readonly<Record<string, number | null>>;
  /** Flattened parameters (`sizing.method`), in the order recorded. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly config: unknown;
  readonly trades: readonly Trade[];
  readonly fills: readonly Fill[];
  /** Null when no curve was recorded. */
  readonly equityCurve: EquityCurve | null;
}

/** Options of `listRuns`. */
export interface ListRunsOptions {
  readonly command?: string | undefined;
  readonly status?: RunStatus | undefined;
  readonly strategy?: string | undefined;
  /** Runs created at or after this time. */
  readonly since?: TimeInput | undefined;
  /** At most this many runs (the newest). */
  readonly limit?: number | undefined;
  /** Metrics to include in each summary; default {@link DEFAULT_LIST_METRICS}. */
  readonly metrics?: readonly string[] | undefined;
}

/** One row of a comparison: a metric or parameter and its value in each run. */
export interface ComparisonRow<T> {
  readonly name: string;
  /** In the order of `runs`; null (metrics) or undefined (parameters) when a run lacks it. */
  readonly values: readonly T[];
  /** True when the runs do not all have the same value. */
  readonly differs: boolean;
}

/** Runs side by side. */
export interface RunComparison {
  readonly runs: readonly RunSummary[];
  readonly metrics: readonly ComparisonRow<number | null>[];
  readonly parameters: readonly ComparisonRow<unknown>[];
  /** Present with `includeEquity`: each run's curve (null when it has none), in the order of `runs`. */
  readonly equityCurves?: readonly (EquityCurve | null)[];
}

/** Options of `compareRuns`. */
export interface CompareRunsOptions {
  /** Only these metrics, in this order; default every metric of any of the runs. */
  readonly metrics?: readonly string[] | undefined;
  /** Load the equity curves too (for overlaid charts). Default false. */
  readonly includeEquity?: boolean | undefined;
}

/** Any number, NaN and infinities included (zod's number() refuses them). */
const anyNumber = z.custom<number>((v) => typeof v === 'number', { error: 'expected a number' });
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,199}$/;
const timeInput = z.union([z.number().finite(), z.date(), z.string().trim().min(1)]);
/** Control characters other than tab and line breaks are refused in text fields (they separate fields when runs are listed). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => !CONTROL.test(v), { error: 'expected text without control characters' });
const nonEmpty = text(10_000);
const arrayLike = z.custom<ArrayLike<number>>(
  (v) => (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) && (v as ArrayLike<unknown>).length >= 0,
  { error: 'expected an array or typed array of numbers' },
);

const tradeSchema = z.object({
  symbol: z.string(),
  side: z.enum(['long', 'short']),
  quantity: anyNumber,
  entryTime: anyNumber,
  exitTime: anyNumber,
  entryPrice: anyNumber,
  exitPrice: anyNumber,
  entryBarIndex: z.number().int(),
  exitBarIndex: z.number().int(),
  grossPnl: anyNumber,
  commission: anyNumber,
  slippageCost: anyNumber,
  pnl: anyNumber,
  returnPct: anyNumber,
  initialRisk: anyNumber.nullable(),
  rMultiple: anyNumber.nullable(),
  exitReason: z.string(),
  barsHeld: z.number().int(),
});

const fillSchema = z.object({
  time: anyNumber,
  barIndex: z.number().int(),
  /** The engine order filled; -1 when unknown (a fill from outside a backtest). */
  orderId: z.number().int().default(-1),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  effect: z.enum(['open', 'close']),
  quantity: anyNumber,
  price: anyNumber,
  referencePrice: anyNumber,
  commission: anyNumber,
  slippageCost: anyNumber,
  reason: z.string(),
});

const runSchema = z.strictObject({
  id: z.string().regex(ID_PATTERN, { error: 'expected 1 to 200 letters, digits or ._:@+- starting with a letter or digit' }).optional(),
  command: text(200),
  status: z.enum(RUN_STATUSES).default('completed'),
  error: nonEmpty.optional(),
  createdAt: timeInput.optional(),
  title: nonEmpty.optional(),
  strategy: text(500).optional(),
  configHash: text(200),
  dataHash: text(200),
  codeVersion: text(500),
  gitCommit: text(200).nullable().optional(),
  folder: nonEmpty.optional(),
  dataSource: nonEmpty.optional(),
  symbols: z.array(z.string().refine(isValidSymbol, { error: 'expected a symbol without white space, "," or "@"' })).readonly().optional(),
  timeframe: z.string().refine(isTimeframe, { error: 'expected a timeframe such as 1d' }).optional(),
  startTime: timeInput.optional(),
  endTime: timeInput.optional(),
  bars: z.number().int().min(0).optional(),
  config: z.unknown().optional(),
  parameters: z.record(text(200), z.unknown()).optional(),
  metrics: z.record(text(200), anyNumber.nullable()).optional(),
  trades: z.array(tradeSchema).readonly().optional(),
  fills: z.array(fillSchema).readonly().optional(),
  equityCurve: z
    .strictObject({ time: arrayLike, equity: arrayLike, cash: arrayLike.optional(), drawdown: arrayLike.optional() })
    .optional(),
});

type ParsedRun = z.output<typeof runSchema>;

function toMs(field: string, value: TimeInput | undefined): number | null {
  if (value === undefined) return null;
  const ms = typeof value === 'number' ? value : value instanceof Date ? value.getTime() : parseIsoTime(value);
  if (!Number.isFinite(ms)) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `${field} must be epoch ms, a Date or an ISO 8601 date-time, got ${describeValue(value)}`, {
      details: { field, value },
    });
  }
  return ms;
}

/** A new run id: the UTC time to the second and 8 random hex digits, e.g. `20240102T093000Z-1a2b3c4d`. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

/** JSON text in which NaN and infinities survive as the strings "NaN", "Infinity", "-Infinity". */
function toJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    if (typeof v === 'bigint') return v.toString();
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  });
  return text ?? 'null';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Parameters as dotted names and leaf values (arrays and non-plain objects are leaves). */
function flatten(parameters: Readonly<Record<string, unknown>>, prefix = '', out: [string, unknown][] = []): [string, unknown][] {
  for (const [key, value] of Object.entries(parameters)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (isPlainObject(value) && Object.keys(value).length > 0) flatten(value, name, out);
    else out.push([name, value]);
  }
  return out;
}

function float64(field: string, values: ArrayLike<number>, length: number): Float64Array {
  if (values.length !== length) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `${field} has ${values.length} values but equityCurve.time has ${length}`, {
      details: { field, value: values.length },
    });
  }
  if (values instanceof Float64Array) return values;
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (typeof v !== 'number') {
      throw new AlgoTradingError('INVALID_ARGUMENT', `${field}[${i}] must be a number, got ${describeValue(v)}`, { details: { field, index: i, value: v } });
    }
    out[i] = v;
  }
  return out;
}

const RUN_COLUMNS: readonly (readonly [string, StageColumnType])[] = [
  ['id', 'VARCHAR'],
  ['created_ms', 'DOUBLE'],
  ['command', 'VARCHAR'],
  ['status', 'VARCHAR'],
  ['error', 'VARCHAR'],
  ['title', 'VARCHAR'],
  ['strategy', 'VARCHAR'],
  ['config_hash', 'VARCHAR'],
  ['data_hash', 'VARCHAR'],
  ['code_version', 'VARCHAR'],
  ['git_commit', 'VARCHAR'],
  ['folder', 'VARCHAR'],
  ['data_source', 'VARCHAR'],
  ['symbols', 'VARCHAR[]'],
  ['timeframe', 'VARCHAR'],
  ['start_ms', 'DOUBLE'],
  ['end_ms', 'DOUBLE'],
  ['bar_count', 'DOUBLE'],
  ['config', 'VARCHAR'],
];

const ts = (column: string) => `CASE WHEN ${column} IS NULL THEN NULL ELSE make_timestamp(CAST(round(${column} * 1000) AS BIGINT)) END`;

/** Records runs in one transaction; returns their ids. See `Store.recordRuns`. */
export async function recordRuns(context: StoreContext, inputs: readonly RecordRunInput[], options: RecordRunOptions = {}): Promise<string[]> {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `runs must be a non-empty array of runs, got ${describeValue(inputs)}`, { details: { field: 'runs', value: inputs } });
  }
  const replace = options.replace ?? false;
  const parsed: ParsedRun[] = inputs.map((input, i) => parseOptions(runSchema, input, { what: inputs.length === 1 ? 'run' : `runs[${i}]`, code: 'INVALID_ARGUMENT' }));
  const now = new Date();
  const ids = parsed.map((run) => run.id ?? newRunId(now));
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `run id ${JSON.stringify(duplicate)} appears twice in one call`, { details: { field: 'id', value: duplicate } });
  }
  const runRows: unknown[][] = [];
  const parameterRows: unknown[][] = [];
  const metricRows: unknown[][] = [];
  const tradeRows: unknown[][] = [];
  const fillRows: unknown[][] = [];
  const curves: { index: number; time: Float64Array; equity: Float64Array; cash: Float64Array | undefined; drawdown: Float64Array | undefined }[] = [];
  for (let r = 0; r < parsed.length; r++) {
    const run = parsed[r]!;
    const id = ids[r]!;
    const gitCommit = run.gitCommit === undefined ? await detectGitCommit() : run.gitCommit;
    runRows.push([
      id,
      toMs('createdAt', run.createdAt) ?? now.getTime(),
      run.command,
      run.status,
      run.error,
      run.title,
      run.strategy,
      run.configHash,
      run.dataHash,
      run.codeVersion,
      gitCommit,
      run.folder,
      run.dataSource,
      run.symbols ?? [],
      run.timeframe,
      toMs('startTime', run.startTime),
      toMs('endTime', run.endTime),
      run.bars,
      run.config === undefined ? null : toJson(run.config),
    ]);
    flatten(run.parameters ?? {}).forEach(([name, value], seq) => {
      parameterRows.push([id, seq, name, toJson(value), typeof value === 'number' ? value : null]);
    });
    Object.entries(run.metrics ?? {}).forEach(([name, value], seq) => metricRows.push([id, seq, name, value]));
    (run.trades ?? []).forEach((t, seq) =>
      tradeRows.push([
        id, seq, t.symbol, t.side, t.quantity, t.entryTime, t.exitTime, t.entryPrice, t.exitPrice, t.entryBarIndex, t.exitBarIndex,
        t.grossPnl, t.commission, t.slippageCost, t.pnl, t.returnPct, t.initialRisk, t.rMultiple, t.exitReason, t.barsHeld,
      ]),
    );
    (run.fills ?? []).forEach((f, seq) =>
      fillRows.push([id, seq, f.time, f.barIndex, f.symbol, f.side, f.effect, f.quantity, f.price, f.referencePrice, f.commission, f.slippageCost, f.reason, f.orderId]),
    );
    const curve = run.equityCurve;
    if (curve !== undefined) {
      const n = curve.time.length;
      curves.push({
        index: r,
        time: float64('equityCurve.time', curve.time, n),
        equity: float64('equityCurve.equity', curve.equity, n),
        cash: curve.cash === undefined ? undefined : float64('equityCurve.cash', curve.cash, n),
        drawdown: curve.drawdown === undefined ? undefined : float64('equityCurve.drawdown', curve.drawdown, n),
      });
    }
  }
  const { connection, modules } = context;
  await inTransaction(context, async () => {
    const idList = ids.map(sqlString).join(', ');
    const existing = await queryRows(context, `SELECT id FROM runs WHERE id IN (${idList}) ORDER BY id`);
    if (existing.length > 0) {
      if (!replace) {
        const names = existing.map((row) => String(row[0]));
        throw new AlgoTradingError('INVALID_STATE', `run ${names.map((n) => JSON.stringify(n)).join(', ')} is already recorded: pass replace: true to replace it`, {
          details: { field: 'id', value: names },
        });
      }
      for (const table of ['run_parameters', 'run_metrics', 'run_trades', 'run_fills', 'run_equity']) {
        await connection.run(`DELETE FROM ${table} WHERE run_id IN (${idList})`);
      }
      await connection.run(`DELETE FROM runs WHERE id IN (${idList})`);
    }
    await appendRows(modules, connection, 'runs_input', RUN_COLUMNS, runRows);
    await appendRows(modules, connection, 'metrics_input', [['run_id', 'VARCHAR'], ['seq', 'DOUBLE'], ['name', 'VARCHAR'], ['value', 'DOUBLE']], metricRows);
    await connection.run(
      `INSERT INTO runs SELECT id, ${ts('created_ms')}, command, status, error, title, strategy, config_hash, data_hash, code_version, git_commit,
         folder, data_source, symbols, timeframe, ${ts('start_ms')}, ${ts('end_ms')}, CAST(bar_count AS BIGINT), config,
         coalesce((SELECT map(list(m.name ORDER BY m.seq), list(m.value ORDER BY m.seq)) FROM metrics_input m WHERE m.run_id = r.id), MAP {})
       FROM runs_input r`,
    );
    if (metricRows.length > 0) {
      await connection.run(`INSERT INTO run_metrics SELECT run_id, CAST(seq AS INTEGER), name, value FROM metrics_input`);
    }
    if (parameterRows.length > 0) {
      await appendRows(modules, connection, 'parameters_input', [['run_id', 'VARCHAR'], ['seq', 'DOUBLE'], ['name', 'VARCHAR'], ['value', 'VARCHAR'], ['number', 'DOUBLE']], parameterRows);
      await connection.run(`INSERT INTO run_parameters SELECT run_id, CAST(seq AS INTEGER), name, value, number FROM parameters_input`);
    }
    if (tradeRows.length > 0) {
      const names = ['run_id', 'seq', 'symbol', 'side', 'quantity', 'entry_ms', 'exit_ms', 'entry_price', 'exit_price', 'entry_bar_index', 'exit_bar_index',
        'gross_pnl', 'commission', 'slippage_cost', 'pnl', 'return_pct', 'initial_risk', 'r_multiple', 'exit_reason', 'bars_held'];
      const text = new Set(['run_id', 'symbol', 'side', 'exit_reason']);
      await appendRows(modules, connection, 'trades_input', names.map((n) => [n, text.has(n) ? 'VARCHAR' : 'DOUBLE'] as const), tradeRows);
      await connection.run(
        `INSERT INTO run_trades SELECT run_id, CAST(seq AS INTEGER), symbol, side, quantity, ${ts('entry_ms')}, ${ts('exit_ms')}, entry_price, exit_price,
           CAST(entry_bar_index AS INTEGER), CAST(exit_bar_index AS INTEGER), gross_pnl, commission, slippage_cost, pnl, return_pct, initial_risk, r_multiple,
           exit_reason, CAST(bars_held AS INTEGER) FROM trades_input`,
      );
    }
    if (fillRows.length > 0) {
      const names = ['run_id', 'seq', 'time_ms', 'bar_index', 'symbol', 'side', 'effect', 'quantity', 'price', 'reference_price', 'commission', 'slippage_cost', 'reason', 'order_id'];
      const text = new Set(['run_id', 'symbol', 'side', 'effect', 'reason']);
      await appendRows(modules, connection, 'fills_input', names.map((n) => [n, text.has(n) ? 'VARCHAR' : 'DOUBLE'] as const), fillRows);
      await connection.run(
        `INSERT INTO run_fills SELECT run_id, CAST(seq AS INTEGER), ${ts('time_ms')}, CAST(bar_index AS INTEGER), symbol, side, effect, quantity, price,
           reference_price, commission, slippage_cost, reason, CAST(order_id AS INTEGER) FROM fills_input`,
      );
    }
    if (curves.length > 0) {
      // Every curve's columns go in by memory copies (one staging table for all runs of the call).
      const total = curves.reduce((sum, c) => sum + c.time.length, 0);
      const columns = Array.from({ length: 6 }, () => new Float64Array(total));
      const [runIndex, seq, time, equity, cash, drawdown] = columns as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
      let offset = 0;
      for (const curve of curves) {
        const n = curve.time.length;
        runIndex.fill(curve.index, offset, offset + n);
        for (let i = 0; i < n; i++) seq[offset + i] = i;
        time.set(curve.time, offset);
        equity.set(curve.equity, offset);
        if (curve.cash !== undefined) cash.set(curve.cash, offset);
        if (curve.drawdown !== undefined) drawdown.set(curve.drawdown, offset);
        offset += n;
      }
      await connection.run(`CREATE OR REPLACE TEMP TABLE equity_input (run_index DOUBLE, seq DOUBLE, time DOUBLE, equity DOUBLE, cash DOUBLE, drawdown DOUBLE)`);
      await appendDoubleColumns(modules, connection, { name: 'equity_input', catalog: 'temp' }, columns);
      await appendRows(
        modules,
        connection,
        'curve_runs',
        [['run_index', 'DOUBLE'], ['run_id', 'VARCHAR'], ['has_cash', 'DOUBLE'], ['has_drawdown', 'DOUBLE']],
        curves.map((c) => [c.index, ids[c.index], c.cash === undefined ? 0 : 1, c.drawdown === undefined ? 0 : 1]),
      );
      await connection.run(
        `INSERT INTO run_equity SELECT r.run_id, CAST(e.seq AS INTEGER), make_timestamp(CAST(round(e.time * 1000) AS BIGINT)), e.equity,
           CASE WHEN r.has_cash = 1 THEN e.cash END, CASE WHEN r.has_drawdown = 1 THEN e.drawdown END
         FROM equity_input e JOIN curve_runs r ON r.run_index = e.run_index ORDER BY r.run_id, e.seq`,
      );
    }
    for (const table of ['runs_input', 'parameters_input', 'metrics_input', 'trades_input', 'fills_input', 'equity_input', 'curve_runs']) {
      await connection.run(`DROP TABLE IF EXISTS ${table}`);
    }
  });
  context.logger.debug({ runs: ids.length }, `recorded ${ids.length} run(s)`);
  return ids;
}

/** Sets the status (and error) of a recorded run; `NOT_FOUND` when there is no such run. */
export async function setRunStatus(context: StoreContext, options: { readonly id: string; readonly status: RunStatus; readonly error?: string | undefined }): Promise<void> {
  const parsed = parseOptions(
    z.strictObject({ id: z.string().min(1), status: z.enum(RUN_STATUSES), error: nonEmpty.optional() }),
    options,
    { what: 'setRunStatus options', code: 'INVALID_ARGUMENT' },
  );
  const result = await context.connection.run(`UPDATE runs SET status = $1, error = $2 WHERE id = $3`, [parsed.status, parsed.error ?? null, parsed.id]);
  if (result.rowsChanged === 0) throw notFound([parsed.id]);
}

/** Deletes a run and everything recorded with it; false when there was no such run. */
export async function deleteRun(context: StoreContext, id: string): Promise<boolean> {
  if (typeof id !== 'string' || id === '') {
    throw new AlgoTradingError('INVALID_ARGUMENT', `id must be a run id, got ${describeValue(id)}`, { details: { field: 'id', value: id } });
  }
  return inTransaction(context, async () => {
    for (const table of ['run_parameters', 'run_metrics', 'run_trades', 'run_fills', 'run_equity']) {
      await context.connection.run(`DELETE FROM ${table} WHERE run_id = $1`, [id]);
    }
    const result = await context.connection.run(`DELETE FROM runs WHERE id = $1`, [id]);
    return result.rowsChanged > 0;
  });
}

function notFound(ids: readonly string[]): AlgoTradingError {
  return new AlgoTradingError('NOT_FOUND', `no run ${ids.map((id) => JSON.stringify(id)).join(', ')} in the store`, { details: { field: 'id', value: ids } });
}

const SUMMARY_COLUMNS = `id, CAST(epoch_us(created_at) AS DOUBLE) / 1000 AS created_at, command, status, error, title, strategy, config_hash, data_hash,
  code_version, git_commit, folder, data_source, symbols, timeframe, CAST(epoch_us(start_time) AS DOUBLE) / 1000 AS start_time,
  CAST(epoch_us(end_time) AS DOUBLE) / 1000 AS end_time, bar_count`;

function summaryFromRow(row: readonly unknown[], metrics: Readonly<Record<string, number | null>>): RunSummary {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: String(row[0]),
    createdAt: toNumber(row[1])!,
    command: String(row[2]),
    status: String(row[3]) as RunStatus,
    error: text(row[4]),
    title: text(row[5]),
    strategy: text(row[6]),
    configHash: String(row[7]),
    dataHash: String(row[8]),
    codeVersion: String(row[9]),
    gitCommit: text(row[10]),
    folder: text(row[11]),
    dataSource: text(row[12]),
    symbols: ((row[13] as unknown[] | null) ?? []).map(String),
    timeframe: text(row[14]),
    startTime: toNumber(row[15]),
    endTime: toNumber(row[16]),
    bars: toNumber(row[17]),
    metrics,
  };
}

/** Metric values of runs by run id and name. */
async function metricsOf(context: StoreContext, runFilter: string, names: readonly string[] | undefined): Promise<Map<string, Record<string, number | null>>> {
  const nameFilter = names === undefined ? '' : names.length === 0 ? ' AND false' : ` AND name IN (${names.map(sqlString).join(', ')})`;
  const rows = await queryRows(context, `SELECT run_id, name, value FROM run_metrics WHERE run_id IN (${runFilter})${nameFilter} ORDER BY run_id, seq`);
  const out = new Map<string, Record<string, number | null>>();
  for (const [runId, name, value] of rows) {
    let record = out.get(String(runId));
    if (record === undefined) {
      record = {};
      out.set(String(runId), record);
    }
    record[String(name)] = value === null ? null : Number(value);
  }
  return out;
}

const listRunsSchema = z.strictObject({
  command: z.string().min(1).optional(),
  status: z.enum(RUN_STATUSES).optional(),
  strategy: z.string().min(1).optional(),
  since: timeInput.optional(),
  limit: z.number().int().min(1).optional(),
  metrics: z.array(z.string().min(1)).readonly().optional(),
});

/** The fields of a {@link RunSummary} as text-friendly SQL over `runs p` (see {@link summaryFromText}). */
const SUMMARY_TEXT_FIELDS = [
  'p.id',
  'epoch_us(p.created_at)',
  'p.command',
  'p.status',
  'p.error',
  'p.title',
  'p.strategy',
  'p.config_hash',
  'p.data_hash',
  'p.code_version',
  'p.git_commit',
  'p.folder',
  'p.data_source',
  "array_to_string(p.symbols, ',')",
  'p.timeframe',
  'epoch_us(p.start_time)',
  'epoch_us(p.end_time)',
  'p.bar_count',
];

/** Epoch microseconds as text to epoch ms (the same division DuckDB does in `epoch_us(t) / 1000`). */
function microsText(text: string | undefined): number | null {
  const micros = textNumber(text);
  return micros === null ? null : micros / 1000;
}

function summaryFromText(row: readonly string[], metrics: Readonly<Record<string, number | null>>): RunSummary {
  const text = (i: number) => (row[i] === undefined || row[i] === '' ? null : row[i]!);
  return {
    id: row[0]!,
    createdAt: microsText(row[1])!,
    command: row[2]!,
    status: row[3] as RunStatus,
    error: text(4),
    title: text(5),
    strategy: text(6),
    configHash: row[7]!,
    dataHash: row[8]!,
    codeVersion: row[9]!,
    gitCommit: text(10),
    folder: text(11),
    dataSource: text(12),
    symbols: row[13] === undefined || row[13] === '' ? [] : row[13].split(','),
    timeframe: text(14),
    startTime: microsText(row[15]),
    endTime: microsText(row[16]),
    bars: textNumber(row[17]),
    metrics,
  };
}

/** Newest first, then by id: the order of every run list. */
function newestFirst(a: RunSummary, b: RunSummary): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Recorded runs, newest first; see `Store.listRuns`. */
export async function listRuns(context: StoreContext, input: ListRunsOptions = {}): Promise<RunSummary[]> {
  const options = parseOptions(listRunsSchema, input, { what: 'listRuns options', code: 'INVALID_ARGUMENT' });
  const filters: string[] = [];
  if (options.command !== undefined) filters.push(`command = ${sqlString(options.command)}`);
  if (options.status !== undefined) filters.push(`status = ${sqlString(options.status)}`);
  if (options.strategy !== undefined) filters.push(`strategy = ${sqlString(options.strategy)}`);
  const since = toMs('since', options.since);
  if (since !== null) filters.push(`created_at >= make_timestamp(${Math.ceil(since * 1000)})`);
  const names = options.metrics ?? DEFAULT_LIST_METRICS;
  const where = filters.length > 0 ? ` WHERE ${filters.join(' AND ')}` : '';
  // With a limit DuckDB picks the newest runs; the order itself is set here, in JS (cheaper
  // than an ordered aggregate in SQL). Metrics come from the runs row's own map.
  const picked = `(SELECT * FROM runs${where}${options.limit === undefined ? '' : ` ORDER BY created_at DESC, id LIMIT ${options.limit}`}) p`;
  const rows = await readTextRows(context.connection, {
    fields: [...SUMMARY_TEXT_FIELDS, ...names.map((name) => `p.metrics[${sqlString(name)}]`)],
    from: picked,
  });
  const base = SUMMARY_TEXT_FIELDS.length;
  return rows
    .map((row) => {
      const metrics: Record<string, number | null> = {};
      names.forEach((name, k) => (metrics[name] = textNumber(row[base + k])));
      return summaryFromText(row, metrics);
    })
    .sort(newestFirst);
}

function fromJson(text: unknown): unknown {
  if (text === null || text === undefined) return null;
  return JSON.parse(String(text));
}

async function equityOf(context: StoreContext, id: string): Promise<EquityCurve | null> {
  const [presence] = await queryRows(context, `SELECT count(*), count(cash), count(drawdown) FROM run_equity WHERE run_id = $1`, [id]);
  const n = Number(presence![0]);
  if (n === 0) return null;
  const [time, equity, cash, drawdown] = (await readDoubleColumns(
    context.modules,
    context.connection,
    `SELECT CAST(epoch_us(time) AS DOUBLE) / 1000, equity, coalesce(cash, CAST('NaN' AS DOUBLE)), coalesce(drawdown, CAST('NaN' AS DOUBLE))
     FROM run_equity WHERE run_id = ${sqlString(id)} ORDER BY seq`,
    n,
  )) as [Float64Array, Float64Array, Float64Array, Float64Array];
  return { time, equity, cash: Number(presence![1]) > 0 ? cash : undefined, drawdown: Number(presence![2]) > 0 ? drawdown : undefined };
}

/** Everything recorded about one run; `NOT_FOUND` when there is no such run. */
export async function getRun(context: StoreContext, id: string): Promise<RunDetail> {
  if (typeof id !== 'string' || id === '') {
    throw new AlgoTradingError('INVALID_ARGUMENT', `id must be a run id, got ${describeValue(id)}`, { details: { field: 'id', value: id } });
  }
  const rows = await queryRows(context, `SELECT ${SUMMARY_COLUMNS}, config FROM runs WHERE id = $1`, [id]);
  const row = rows[0];
  if (row === undefined) throw notFound([id]);
  const metrics = (await metricsOf(context, sqlString(id), undefined)).get(id) ?? {};
  const parameters: Record<string, unknown> = {};
  for (const [name, value, number] of await queryRows(context, `SELECT name, value, number FROM run_parameters WHERE run_id = $1 ORDER BY seq`, [id])) {
    parameters[String(name)] = number !== null ? Number(number) : fromJson(value);
  }
  const trades = (
    await queryObjects(
      context,
      `SELECT symbol, side, quantity, CAST(epoch_us(entry_time) AS DOUBLE) / 1000 AS "entryTime", CAST(epoch_us(exit_time) AS DOUBLE) / 1000 AS "exitTime",
         entry_price AS "entryPrice", exit_price AS "exitPrice", entry_bar_index AS "entryBarIndex", exit_bar_index AS "exitBarIndex", gross_pnl AS "grossPnl",
         commission, slippage_cost AS "slippageCost", pnl, return_pct AS "returnPct", initial_risk AS "initialRisk", r_multiple AS "rMultiple",
         exit_reason AS "exitReason", bars_held AS "barsHeld"
       FROM run_trades WHERE run_id = $1 ORDER BY seq`,
      [id],
    )
  ).map((t) => t as unknown as Trade);
  const fills = (
    await queryObjects(
      context,
      `SELECT CAST(epoch_us(time) AS DOUBLE) / 1000 AS time, bar_index AS "barIndex", order_id AS "orderId", symbol, side, effect, quantity, price, reference_price AS "referencePrice",
         commission, slippage_cost AS "slippageCost", reason
       FROM run_fills WHERE run_id = $1 ORDER BY seq`,
      [id],
    )
  ).map((f) => f as unknown as Fill);
  return {
    ...summaryFromRow(row, metrics),
    metrics,
    parameters,
    config: fromJson(row[18]),
    trades,
    fills,
    equityCurve: await equityOf(context, id),
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Runs side by side: their summaries, metrics and parameters as rows; see `Store.compareRuns`. */
export async function compareRuns(context: StoreContext, ids: readonly string[], options: CompareRunsOptions = {}): Promise<RunComparison> {
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string' || id === '')) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `ids must be a non-empty array of run ids, got ${describeValue(ids)}`, { details: { field: 'ids', value: ids } });
  }
  const parsed = parseOptions(
    z.strictObject({ metrics: z.array(z.string().min(1)).readonly().optional(), includeEquity: z.boolean().default(false) }),
    options,
    { what: 'compareRuns options', code: 'INVALID_ARGUMENT' },
  );
  const unique = [...new Set(ids)];
  const idList = unique.map(sqlString).join(', ');
  const rows = await queryRows(context, `SELECT ${SUMMARY_COLUMNS} FROM runs WHERE id IN (${idList})`);
  const byId = new Map(rows.map((row) => [String(row[0]), row]));
  const missing = unique.filter((id) => !byId.has(id));
  if (missing.length > 0) throw notFound(missing);
  const metricRows = await queryRows(
    context,
    `SELECT name, run_id, value, min(seq) OVER (PARTITION BY name) AS first FROM run_metrics WHERE run_id IN (${idList}) ORDER BY first, name`,
  );
  const metricValues = new Map<string, Map<string, number | null>>();
  for (const [name, runId, value] of metricRows) {
    const values = metricValues.get(String(name)) ?? new Map<string, number | null>();
    values.set(String(runId), value === null ? null : Number(value));
    metricValues.set(String(name), values);
  }
  const metricNames = parsed.metrics ?? [...metricValues.keys()];
  const metrics = metricNames.map((name) => {
    const values = unique.map((id) => metricValues.get(name)?.get(id) ?? null);
    return { name, values, differs: values.some((v) => !sameValue(v, values[0])) };
  });
  const parameterRows = await queryRows(
    context,
    `SELECT name, run_id, value, number, min(seq) OVER (PARTITION BY name) AS first FROM run_parameters WHERE run_id IN (${idList}) ORDER BY first, name`,
  );
  const parameterValues = new Map<string, Map<string, unknown>>();
  for (const [name, runId, value, number] of parameterRows) {
    const values = parameterValues.get(String(name)) ?? new Map<string, unknown>();
    values.set(String(runId), number !== null ? Number(number) : fromJson(value));
    parameterValues.set(String(name), values);
  }
  const parameters = [...parameterValues.entries()].map(([name, values]) => {
    const list = unique.map((id) => values.get(id));
    return { name, values: list, differs: list.some((v) => !sameValue(v, list[0])) };
  });
  const runs = unique.map((id) => summaryFromRow(byId.get(id)!, Object.fromEntries(metrics.map((m) => [m.name, m.values[unique.indexOf(id)] ?? null]))));
  if (!parsed.includeEquity) return { runs, metrics, parameters };
  const equityCurves: (EquityCurve | null)[] = [];
  for (const id of unique) equityCurves.push(await equityOf(context, id));
  return { runs, metrics, parameters, equityCurves };
}
