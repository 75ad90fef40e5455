import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AlgoTradingError } from '@algo-trading/core';
import type { RunComparison, RunDetail, RunStatus, RunSummary, Store } from '@algo-trading/store';
import type { CommandContext } from '../context';
import { UsageError } from '../exit-codes';
import { writeFileAtomic } from '../output/atomic-write';
import { barTime, runDataLabel, runTime } from '../output/store-text';
import { formatNamedMetric } from '../output/summary-table';
import { renderTextTable } from '../output/text-table';
import { openCliStore, storeAccess, withStore } from '../store/access';

/** Metrics `runs ls` shows, and those `runs compare` shows first on the console. */
export const LIST_METRICS = ['totalReturn', 'sharpeRatio', 'maxDrawdown', 'tradeCount'] as const;

/** The metrics `runs compare` prints (when the runs have them); the HTML page and `--json` have every metric. */
export const COMPARE_METRICS = [
  'totalReturn',
  'cagr',
  'sharpeRatio',
  'sortinoRatio',
  'maxDrawdown',
  'calmarRatio',
  'annualVolatility',
  'winRate',
  'profitFactor',
  'expectancy',
  'tradeCount',
  'exposure',
  'finalEquity',
  'benchmark.totalReturn',
  'alpha',
  'beta',
] as const;

/** A run reference on the command line: an id, `latest` (the newest run) or `latest~N` (the N-th before it). */
const LATEST = /^latest(?:~(\d{1,6}))?$/;

/**
 * The ids that run references name: ids as they are, `latest` and `latest~N` looked up among the
 * runs, newest first.
 *
 * @throws AlgoTradingError `NOT_FOUND` when there is no such run (the store holds fewer).
 */
export async function resolveRunIds(store: Store, refs: readonly string[]): Promise<string[]> {
  const offsets = refs.map((ref) => LATEST.exec(ref.trim())).map((m) => (m === null ? -1 : Number(m[1] ?? 0)));
  const deepest = Math.max(-1, ...offsets);
  const newest = deepest < 0 ? [] : await store.listRuns({ limit: deepest + 1, metrics: [] });
  return refs.map((ref, k) => {
    const offset = offsets[k]!;
    if (offset < 0) return ref.trim();
    const run = newest[offset];
    if (run === undefined) {
      throw new AlgoTradingError('NOT_FOUND', `no run ${JSON.stringify(ref)}: the store holds ${newest.length} run(s)`, { details: { field: 'id', value: ref } });
    }
    return run.id;
  });
}

/** JSON of a run summary: times as ISO 8601. */
function summaryJson(run: RunSummary): Record<string, unknown> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return { ...(run as unknown as Record<string, unknown>), createdAt: iso(run.createdAt), startTime: iso(run.startTime), endTime: iso(run.endTime) };
}

/** Options of `algo-trading runs init`. */
export interface RunsInitOptions {
  readonly db?: string | undefined;
  readonly json?: boolean | undefined;
}

/** `algo-trading runs init`: creates the store (when missing) so that runs are recorded in it from now on. */
export async function runRunsInitCommand(ctx: CommandContext, options: RunsInitOptions): Promise<{ store: string; created: boolean; schemaVersion: number }> {
  const access = storeAccess(ctx, options.db);
  const created = !existsSync(access.path);
  const store = await openCliStore(access, { logger: ctx.logger, create: true, what: 'runs init' });
  const schemaVersion = store.schemaVersion;
  await store.close();
  const outcome = { store: access.path, created, schemaVersion };
  ctx.printJson({ ok: true, ...outcome });
  ctx.print(
    `${created ? 'Created the store' : 'The store'} ${access.path} (layout version ${schemaVersion}): backtest, walk-forward, demo and sweep runs are recorded in it${
      options.db === undefined ? '' : ` when they are given --db ${options.db} (or store.path names it in config.yaml)`
    }.`,
  );
  return outcome;
}

/** Options of `algo-trading runs ls`. */
export interface RunsListOptions {
  readonly limit: number;
  readonly all?: boolean | undefined;
  readonly command?: string | undefined;
  readonly strategy?: string | undefined;
  readonly status?: RunStatus | undefined;
  readonly since?: string | undefined;
  readonly db?: string | undefined;
  readonly json?: boolean | undefined;
}

/** The console table of `runs ls`. */
export function runsTable(runs: readonly RunSummary[]): string {
  return renderTextTable(
    ['id', 'created (UTC)', 'command', 'strategy', 'data', 'return', 'sharpe', 'max dd', 'trades'],
    runs.map((r) => [
      r.id,
      runTime(r.createdAt),
      r.status === 'completed' ? r.command : `${r.command} (${r.status})`,
      r.strategy ?? '',
      runDataLabel(r),
      ...LIST_METRICS.map((name) => formatNamedMetric(name, r.metrics[name])),
    ]),
  );
}

/** `algo-trading runs ls`: the recorded runs, newest first, with their headline metrics. */
export async function runRunsListCommand(ctx: CommandContext, options: RunsListOptions): Promise<RunSummary[]> {
  const access = storeAccess(ctx, options.db);
  const limit = options.all === true ? undefined : options.limit;
  const runs = await withStore(access, { logger: ctx.logger, readOnly: true, what: 'runs ls' }, (store) =>
    store.listRuns({
      limit,
      command: options.command,
      strategy: options.strategy,
      status: options.status,
      since: options.since,
      metrics: LIST_METRICS,
    }),
  );
  ctx.printJson({ ok: true, store: access.path, runs: runs.map(summaryJson) });
  if (runs.length === 0) {
    ctx.print(`No run recorded in ${access.path}${options.command !== undefined || options.strategy !== undefined || options.status !== undefined || options.since !== undefined ? ' matches' : ' yet'}.`);
    return runs;
  }
  ctx.print(runsTable(runs));
  ctx.print(
    limit !== undefined && runs.length === limit
      ? `The newest ${runs.length} runs in ${access.path}; --limit N or --all lists more.`
      : `${runs.length} run(s) in ${access.path}.`,
  );
  return runs;
}

/** Options of `algo-trading runs show`. */
export interface RunsShowOptions {
  readonly db?: string | undefined;
  readonly json?: boolean | undefined;
}

/** The text `runs show` prints. */
export function renderRun(run: RunDetail): string {
  const field = (label: string, value: string) => `  ${label.padEnd(12)} ${value}`;
  const range = run.startTime === null || run.endTime === null ? '' : `, ${barTime(run.startTime)} to ${barTime(run.endTime)}`;
  const lines = [
    `Run ${run.id}: ${run.command}, ${run.status}${run.error === null ? '' : ` (${run.error})`}`,
    ...(run.title === null ? [] : [field('title', run.title)]),
    field('created', `${runTime(run.createdAt)} UTC`),
    ...(run.strategy === null ? [] : [field('strategy', run.strategy)]),
    field('data', `${runDataLabel(run)}${range}${run.bars === null ? '' : `, ${run.bars.toLocaleString('en-US')} bars`}`),
    field('config hash', run.configHash),
    field('data hash', run.dataHash),
    field('code', `${run.codeVersion}${run.gitCommit === null ? '' : ` (git ${run.gitCommit})`}`),
    ...(run.folder === null ? [] : [field('folder', run.folder)]),
  ];
  const parameters = Object.entries(run.parameters);
  if (parameters.length > 0) {
    lines.push('', 'Parameters:', renderTextTable(['name', 'value'], parameters.map(([name, value]) => [name, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)])).trimEnd());
  }
  const metrics = Object.entries(run.metrics);
  if (metrics.length > 0) lines.push('', 'Metrics:', renderTextTable(['name', 'value'], metrics.map(([name, value]) => [name, formatNamedMetric(name, value)])).trimEnd());
  const curve = run.equityCurve === null ? 'no equity curve' : `an equity curve of ${run.equityCurve.time.length.toLocaleString('en-US')} points`;
  lines.push('', `${run.trades.length} trade(s), ${run.fills.length} fill(s), ${curve} recorded.`);
  return `${lines.join('\n')}\n`;
}

/** `algo-trading runs show ID`: everything recorded about a run (`--json`: with its trades and fills, without the curve). */
export async function runRunsShowCommand(ctx: CommandContext, ref: string, options: RunsShowOptions): Promise<RunDetail> {
  const access = storeAccess(ctx, options.db);
  const run = await withStore(access, { logger: ctx.logger, readOnly: true, what: `runs show ${ref}` }, async (store) => {
    const [id] = await resolveRunIds(store, [ref]);
    return store.getRun(id!);
  });
  const { equityCurve, ...rest } = run;
  ctx.printJson({ ok: true, store: access.path, run: { ...summaryJson(rest), equityPoints: equityCurve?.time.length ?? 0 } });
  ctx.print(renderRun(run));
  return run;
}

/** Options of `algo-trading runs compare`. */
export interface RunsCompareOptions {
  /** The HTML file (default `results/compare-<UTC time>.html`). */
  readonly out?: string | undefined;
  /** false with `--no-html`. */
  readonly html?: boolean | undefined;
  /** `--metrics a,b,c`: the metrics on the console (default {@link COMPARE_METRICS}). */
  readonly metrics?: string | undefined;
  readonly db?: string | undefined;
  readonly json?: boolean | undefined;
}

/** `compare-20240102-030405.html` for a UTC time. */
export function compareFileName(now: Date): string {
  const iso = now.toISOString();
  return `compare-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}.html`;
}

/** The console table of `runs compare`: the chosen metrics, then the parameters that differ. */
export function comparisonTable(comparison: RunComparison, metrics: readonly string[]): string {
  const ids = comparison.runs.map((r) => r.id);
  const rows = metrics
    .map((name) => comparison.metrics.find((m) => m.name === name))
    .filter((m) => m !== undefined)
    .map((m) => [m.differs ? `${m.name} *` : m.name, ...m.values.map((v) => formatNamedMetric(m.name, v))]);
  const parts = [renderTextTable(['metric', ...ids], rows)];
  const differing = comparison.parameters.filter((p) => p.differs);
  if (differing.length > 0) {
    parts.push(
      renderTextTable(
        ['parameter', ...ids],
        differing.map((p) => [p.name, ...p.values.map((v) => (v === undefined ? '' : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)))]),
      ),
    );
  }
  return parts.join('\n');
}

/**
 * `algo-trading runs compare ID ID...`: the runs' metrics side by side on the console (and every
 * metric and parameter with `--json`), and an HTML page with their equity curves overlaid.
 */
export async function runRunsCompareCommand(ctx: CommandContext, refs: readonly string[], options: RunsCompareOptions): Promise<RunComparison> {
  if (refs.length < 2) throw new UsageError('runs compare needs at least two runs (ids, latest or latest~N)');
  const access = storeAccess(ctx, options.db);
  const html = options.html === false ? undefined : ctx.resolvePath(options.out ?? join('results', compareFileName(new Date())));
  const comparison = await withStore(access, { logger: ctx.logger, readOnly: true, what: 'runs compare' }, async (store) =>
    store.compareRuns(await resolveRunIds(store, refs), { includeEquity: html !== undefined }),
  );
  if (comparison.runs.length < 2) throw new UsageError(`runs compare needs two different runs, got ${refs.join(' ')} (the same run)`);
  const chosen: readonly string[] = options.metrics === undefined ? COMPARE_METRICS : options.metrics.split(',').map((m) => m.trim()).filter((m) => m !== '');
  const unknown = chosen.filter((name) => !comparison.metrics.some((m) => m.name === name));
  if (options.metrics !== undefined && unknown.length === chosen.length) {
    throw new UsageError(`--metrics ${options.metrics}: none of these runs has such a metric (they have ${comparison.metrics.map((m) => m.name).join(', ')})`);
  }
  if (html !== undefined) {
    // The chart code (ECharts) loads only when a page is written.
    const { renderComparisonHtml } = await import('../report/compare-report');
    writeFileAtomic(html, renderComparisonHtml(comparison, { store: access.path, argv: ctx.argv }));
  }
  const { equityCurves: _curves, ...rest } = comparison;
  ctx.printJson({ ok: true, store: access.path, ...rest, runs: comparison.runs.map(summaryJson), html: html ?? null });
  ctx.print(`Comparing ${comparison.runs.length} runs (* differs):`);
  ctx.print(comparisonTable(comparison, chosen));
  const others = comparison.metrics.length - chosen.filter((c) => !unknown.includes(c)).length;
  if (others > 0) ctx.print(`${others} more metric(s) in ${html === undefined ? '--json' : 'the HTML comparison and --json'}.`);
  if (html !== undefined) ctx.print(`Comparison: ${html}`);
  return comparison;
}
