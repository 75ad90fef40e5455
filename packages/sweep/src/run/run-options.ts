import { BacktestEngine } from '@algo-trading/backtesting';
import { AlgoTradingError, BarSeries, describeIssues, isAlgoTradingError, type OptionIssue } from '@algo-trading/core';
import { RiskManager, resolveRiskOptions } from '@algo-trading/risk';
import { createPositionSizer, type SizingMethod } from '@algo-trading/sizing';

/**
 * The engine, risk and sizing options of a sweep, as plain data (they travel to worker threads
 * and other machines), and the one place that turns them into a `BacktestEngine`. Their values
 * are validated by the libraries that take them, once, before a sweep starts.
 */
export interface RunOptions {
  /** `BacktestEngine` options (no riskManager, positionSizer or logger: those are built here). */
  readonly engine: Readonly<Record<string, unknown>>;
  /** `RiskManager` options, or null for no risk manager. */
  readonly risk: Readonly<Record<string, unknown>> | null;
  /** `{ method, ...options }` of `createPositionSizer`, or null for all-in sizing. */
  readonly sizing: Readonly<{ method: string } & Record<string, unknown>> | null;
}

/** Engine keys that are objects built from the other sections, not data. */
const BUILT_KEYS: Readonly<Record<string, string>> = {
  riskManager: 'give the RiskManager options under risk',
  positionSizer: 'give the sizer under sizing: { method, ...options }',
  logger: 'pass a logger to runSweep instead',
};

function initialCapitalOf(options: RunOptions): unknown {
  return options.engine['initialCapital'];
}

/** Builds the engine of a run from its options (one per worker thread, reused by every run). */
export function createEngine(options: RunOptions): BacktestEngine {
  const riskManager =
    options.risk === null ? undefined : new RiskManager({ initialCapital: initialCapitalOf(options) as number, ...options.risk });
  const sizing = options.sizing;
  const positionSizer = sizing === null ? undefined : createPositionSizer(sizing.method as SizingMethod, withoutMethod(sizing) as never);
  return new BacktestEngine({
    ...(options.engine as { initialCapital: number }),
    ...(riskManager === undefined ? {} : { riskManager }),
    ...(positionSizer === undefined ? {} : { positionSizer }),
  });
}

function withoutMethod(sizing: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sizing)) if (k !== 'method') rest[k] = v;
  return rest;
}

/** Runs a library constructor; collects its `INVALID_CONFIG` problems with the spec path prefixed. */
function collect(issues: OptionIssue[], section: string, build: () => unknown): void {
  try {
    build();
  } catch (error) {
    if (!isAlgoTradingError(error, 'INVALID_CONFIG')) throw error;
    const found = error.details['issues'];
    const list: OptionIssue[] = Array.isArray(found) ? (found as OptionIssue[]) : [{ path: error.details.field ?? '(root)', message: error.message }];
    for (const issue of list) {
      const path = issue.path === '(root)' ? section : `${section}.${issue.path}`;
      issues.push('received' in issue ? { path, message: issue.message, received: issue.received } : { path, message: issue.message });
    }
  }
}

/** A few bars for the probe run of {@link validateRunOptions}. */
function probeBars(): BarSeries {
  const day = 86_400_000;
  const price = [100, 101, 102, 101];
  return BarSeries.fromColumns({
    time: price.map((_, i) => Date.UTC(2020, 0, 1) + i * day),
    open: price,
    high: price.map((p) => p + 1),
    low: price.map((p) => p - 1),
    close: price,
  });
}

/**
 * Validates the run options with the libraries that take them (`BacktestEngine`, `RiskManager`,
 * `createPositionSizer`), then runs the engine once on a few bars without a signal and returns
 * the names of the numeric results: the metrics a sweep records and may rank by.
 *
 * @throws AlgoTradingError `INVALID_CONFIG` listing every problem as `engine.<key>`,
 *   `risk.<key>` or `sizing.<key>` with the expectation and the value.
 */
export async function validateRunOptions(options: RunOptions): Promise<string[]> {
  const issues: OptionIssue[] = [];
  for (const key of Object.keys(options.engine)) {
    if (key in BUILT_KEYS) issues.push({ path: `engine.${key}`, message: BUILT_KEYS[key]! });
  }
  if (options.engine['initialCapital'] === undefined) issues.push({ path: 'engine.initialCapital', message: 'required (the starting cash)' });
  if (issues.length === 0) {
    collect(issues, 'engine', () => new BacktestEngine(options.engine as { initialCapital: number }));
    if (options.risk !== null) collect(issues, 'risk', () => resolveRiskOptions({ initialCapital: initialCapitalOf(options) as number, ...options.risk }));
    if (options.sizing !== null) {
      const sizing = options.sizing;
      collect(issues, 'sizing', () => createPositionSizer(sizing.method as SizingMethod, withoutMethod(sizing) as never));
    }
  }
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new AlgoTradingError('INVALID_CONFIG', `Invalid sweep spec:\n${describeIssues(issues)}`, {
      details: { field: first.path, value: first.received, issues },
    });
  }
  const results = (await createEngine(options).runBacktest({ data: probeBars(), signals: [0, 0, 0, 0] })) as unknown as Record<string, unknown>;
  return Object.keys(results).filter((k) => typeof results[k] === 'number');
}
