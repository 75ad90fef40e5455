import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { AlgoTradingError, isAlgoTradingError } from '@algo-trading/core';
import {
  checkRedis,
  executeSweep,
  objectiveValue,
  parseSweepResults,
  prepareSweep,
  rankRows,
  serializeSweepCheckpoint,
  serializeSweepResults,
  sweepTable,
  type PreparedSweep,
  type SweepProgress,
  type SweepResult,
  type SweepRow,
} from '@algo-trading/sweep';
import { parse as parseYaml } from 'yaml';
import type { CommandContext } from '../context';
import { UsageError } from '../exit-codes';
import { interruptSignal, setInterruptGraceMs } from '../interrupt';
import { checkOutputFolder, writeFileAtomic } from '../output/atomic-write';
import { toCsv } from '../output/csv';
import { cell, renderTextTable } from '../output/text-table';
import { packageVersions } from '../report/manifest';
import { renderSweepReportHtml } from '../report/sweep-report';
import { storeAccess } from '../store/access';
import { storeDataResolver, type StoreBars } from '../store/data-source';
import { checkRecordTarget, recordInStore, recordedLine, sweepRecords, type RecordFlags } from '../store/record';
import { throwIfInterrupted } from '../yield';

/** Options of `algo-trading sweep`. */
export interface SweepCommandOptions extends RecordFlags {
  /** Local worker threads (`auto`: the machine's available parallelism). */
  readonly workers: number | 'auto';
  /** `redis://host:port/db`: run on a BullMQ queue instead of local threads. */
  readonly queue?: string | undefined;
  readonly queueName?: string | undefined;
  /** A folder every worker machine mounts: the data file is published there by content hash. */
  readonly shareData?: string | undefined;
  readonly chunkSize?: number | undefined;
  readonly out?: string | undefined;
  readonly resume?: boolean | undefined;
  readonly top: number;
  /** false with `--no-report`. */
  readonly report?: boolean | undefined;
  readonly json?: boolean | undefined;
}

/** Files a sweep writes into its output folder. */
export const SWEEP_OUTPUT_FILES = ['sweep.json', 'sweep.csv', 'report.html'] as const;

/** How long a stopped sweep may take to collect its finished rows and save them. */
const SWEEP_STOP_GRACE_MS = 15_000;
/** Least time between two checkpoints of the results file. */
const CHECKPOINT_EVERY_MS = 2_000;

/** Reads a sweep spec file (YAML or JSON). */
export function readSpecFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new UsageError(`cannot read the sweep spec ${path}: ${(cause as Error).message}`, { cause });
  }
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true, logLevel: 'silent' }) ?? {};
  } catch (cause) {
    throw new UsageError(`${path}: invalid YAML: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
}

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** The progress status: rate and ETA. */
export function progressStatus(p: SweepProgress): string {
  const rate = Number.isFinite(p.ratePerSecond) ? `${p.ratePerSecond >= 10 ? p.ratePerSecond.toFixed(0) : p.ratePerSecond.toFixed(1)}/s` : '-/s';
  return `${rate}, ETA ${duration(p.etaMs)}`;
}

function paramText(row: SweepRow): string {
  return Object.entries(row.params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

/** The console table of the best rows. */
export function topTable(result: SweepResult, top: number): string {
  const metric = result.objective.metric;
  const extra = ['sharpeRatio', 'totalReturn', 'maxDrawdown'].filter((m) => m !== metric && result.metricNames.includes(m));
  const header = ['rank', ...result.parameterNames, metric, ...extra, 'trades'];
  const rows = rankRows(result.rows, result.objective)
    .slice(0, top)
    .map((r, i) => [
      String(i + 1),
      ...result.parameterNames.map((p) => String(r.params[p] ?? '')),
      cell(objectiveValue(r, result.objective)),
      ...extra.map((m) => cell(r.metrics?.[m] ?? Number.NaN)),
      String(r.tradeCount ?? ''),
    ]);
  return renderTextTable(header, rows);
}

function foldsTable(result: SweepResult): string {
  const metric = result.objective.metric;
  const rows = (result.folds ?? []).map((f) => [
    String(f.fold),
    `${f.testPeriod[0].slice(0, 10)}..${f.testPeriod[1].slice(0, 10)}`,
    f.best === null ? 'none eligible' : paramText(f.best),
    f.best === null ? 'n/a' : cell(objectiveValue(f.best, result.objective)),
    f.test === null ? 'n/a' : cell(objectiveValue(f.test, result.objective)),
    f.test === null ? '' : String(f.test.tradeCount ?? ''),
  ]);
  return renderTextTable(['fold', 'test window', 'chosen on train', `train ${metric}`, `test ${metric}`, 'test trades'], rows);
}

/** Throws a usage error for a spec problem (exit 2); other failures (data, Redis) stay run failures. */
async function asSpecError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isAlgoTradingError(error, 'INVALID_CONFIG')) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

function resumeRows(ctx: CommandContext, prepared: PreparedSweep, file: string): SweepRow[] {
  if (!existsSync(file)) {
    ctx.logger.warn(`--resume: ${file} does not exist; running every combination`);
    return [];
  }
  const previous = parseSweepResults(readFileSync(file, 'utf8'), file);
  if (previous.specHash !== prepared.specHash) {
    throw new UsageError(
      `--resume: ${file} holds the results of another sweep (spec hash ${previous.specHash.slice(0, 12)}, this spec ${prepared.specHash.slice(0, 12)}: ` +
        'the strategy, the data, the engine options or the package versions changed); choose another --out, or drop --resume to start over',
    );
  }
  ctx.logger.info({ file, rows: previous.rows.length }, `resuming: ${previous.rows.length} finished combination(s) read from ${file}`);
  return previous.rows;
}

/**
 * `algo-trading sweep <spec>`: runs a parameter sweep (or a walk-forward) described by a YAML
 * spec on local worker threads (`--workers`) or on a BullMQ queue (`--queue`), with a progress
 * bar; writes `sweep.json` (checkpointed while it runs, so `--resume` continues a stopped sweep),
 * `sweep.csv` and `report.html`; prints the top combinations. Ctrl-C keeps what is finished.
 */
export async function runSweepCommand(ctx: CommandContext, specPath: string, options: SweepCommandOptions): Promise<SweepResult> {
  const specFile = ctx.resolvePath(specPath);
  const spec = readSpecFile(specFile);
  const outDir = ctx.resolvePath(options.out ?? join('results', `sweep-${basename(specFile, extname(specFile))}`));
  checkOutputFolder(outDir, SWEEP_OUTPUT_FILES);
  checkRecordTarget(ctx, options);
  const queueUrl = options.queue;
  let fromStore: StoreBars | undefined;
  const prepared = await asSpecError(() =>
    prepareSweep({
      spec,
      baseDir: dirname(specFile),
      source: specPath,
      logger: ctx.logger,
      dataResolvers: { store: storeDataResolver(storeAccess(ctx, options.db), ctx.logger, (loaded) => (fromStore = loaded)) },
      ...(queueUrl === undefined ? {} : { beforeLoad: () => checkRedis({ url: queueUrl }) }),
    }),
  );
  const resultsFile = join(outDir, 'sweep.json');
  const resume = options.resume === true ? resumeRows(ctx, prepared, resultsFile) : [];
  const mode = queueUrl === undefined ? `${options.workers === 'auto' ? 'auto' : options.workers} worker(s)` : `queue ${options.queueName ?? 'algo-trading-sweep'}`;
  ctx.logger.info(
    { specHash: prepared.specHash, combinations: prepared.combinations.length, units: prepared.units.length, data: prepared.data.ref.source },
    `sweep of ${prepared.combinations.length} combination(s)${prepared.folds === null ? '' : ` x ${prepared.folds.length} fold(s)`} on ${prepared.data.bars.length} bars (${mode})`,
  );

  const rows = new Map<string, SweepRow>(resume.map((r) => [r.key, r]));
  let lastCheckpoint = performance.now();
  const checkpoint = (force: boolean) => {
    if (!force && performance.now() - lastCheckpoint < CHECKPOINT_EVERY_MS) return;
    writeFileAtomic(resultsFile, serializeSweepCheckpoint(prepared, [...rows.values()], { checkpointAt: new Date().toISOString() }));
    lastCheckpoint = performance.now();
  };
  const total = prepared.units.length + (prepared.folds?.length ?? 0);
  const task = ctx.progress.start('sweep', total);
  setInterruptGraceMs(SWEEP_STOP_GRACE_MS);
  let result: SweepResult;
  try {
    result = await executeSweep(prepared, {
      workers: options.workers,
      ...(queueUrl === undefined ? {} : { queue: { url: queueUrl, name: options.queueName, shareDir: options.shareData === undefined ? undefined : ctx.resolvePath(options.shareData) } }),
      chunkSize: options.chunkSize,
      resume,
      signal: interruptSignal(),
      logger: ctx.logger,
      onRows: (fresh) => {
        for (const row of fresh) rows.set(row.key, row);
        checkpoint(false);
      },
      onProgress: (p) => task.update(p.done, progressStatus(p)),
    });
  } catch (error) {
    if (rows.size > resume.length) checkpoint(true); // keep what finished before the failure
    throw error;
  }
  task.done(result.complete ? `${result.stats.elapsedMs >= 1000 ? duration(result.stats.elapsedMs) : `${Math.round(result.stats.elapsedMs)} ms`}` : 'stopped');

  const extra = { createdAt: new Date().toISOString(), argv: ctx.argv, spec: prepared.spec, versions: prepared.versions };
  const files = [resultsFile, join(outDir, 'sweep.csv')];
  writeFileAtomic(resultsFile, serializeSweepResults(result, extra));
  const allRows = [...result.rows, ...(result.folds ?? []).flatMap((f) => (f.test === null ? [] : [f.test]))];
  const table = sweepTable(allRows, result.parameterNames, result.metricNames);
  writeFileAtomic(files[1]!, toCsv(table.header, table.rows));
  if (options.report !== false) {
    files.push(join(outDir, 'report.html'));
    writeFileAtomic(files[2]!, renderSweepReportHtml(result, { top: options.top, spec: prepared.spec, argv: ctx.argv }));
  }

  // A stopped sweep is recorded when it is finished (by `--resume`), so that no row is recorded twice.
  const record = !result.complete
    ? null
    : await recordInStore(ctx, options, (module) =>
        sweepRecords(module, {
          id: module.newRunId(new Date(extra.createdAt)),
          result,
          rows: allRows,
          bars: prepared.data.bars,
          spec: prepared.spec,
          createdAt: extra.createdAt,
          codeVersion: `@algo-trading/cli@${packageVersions(['@algo-trading/cli'])['@algo-trading/cli']}`,
          folder: outDir,
          timeframe: fromStore?.timeframe,
        }),
      );

  const best = result.summary.best;
  ctx.printJson({
    ok: true,
    complete: result.complete,
    specHash: result.specHash,
    combinations: result.combinations,
    rows: result.rows.length,
    objective: result.objective,
    best,
    summary: result.summary,
    top: rankRows(result.rows, result.objective).slice(0, options.top),
    folds: result.folds,
    stats: result.stats,
    files,
    record,
  });
  const done = `${result.rows.length} of ${prepared.units.length} ${prepared.folds === null ? 'combinations' : 'train runs'}`;
  ctx.print(`Sweep ${result.name ?? basename(specFile)}: ${result.strategy.name} on ${result.data.symbol ?? result.data.source}, ${done} run${result.complete ? '' : ' (stopped: --resume continues it)'}, ${result.summary.errors} error(s), in ${duration(result.stats.elapsedMs)}`);
  if (result.folds === null) {
    ctx.print(`\nTop ${Math.min(options.top, result.summary.eligible)} by ${result.objective.metric} (${result.objective.direction}, at least ${result.objective.minTrades} trade(s)):`);
    ctx.print(topTable(result, options.top));
    if (best !== null) {
      const n = result.summary.neighbourhood;
      ctx.print(
        `Best: ${paramText(best)} (${result.objective.metric} ${cell(objectiveValue(best, result.objective))}); deflated Sharpe ratio ${cell(result.summary.deflatedSharpe)} over ${result.summary.trials} trials` +
          (n === null ? '' : `; neighbourhood (${n.evaluated} of ${n.neighbours}) mean ${cell(n.mean)}, min ${cell(n.min)}`),
      );
    } else {
      ctx.print('No combination was eligible (no error, enough trades, a finite objective).');
    }
  } else {
    ctx.print('\nWalk-forward folds (chosen on train, scored on test):');
    ctx.print(foldsTable(result));
    const oos = result.summary.outOfSample!;
    ctx.print(`Out of sample: mean ${result.objective.metric} ${cell(oos.meanObjective)} over ${oos.tested} of ${oos.folds} folds (train ${cell(oos.meanTrainObjective)}, efficiency ${cell(oos.efficiency)})`);
  }
  ctx.print(`Written: ${files.join(', ')}`);
  const recorded = recordedLine(record);
  if (recorded !== undefined) ctx.print(recorded);
  if (!result.complete) {
    ctx.io.stderr.write(`algo-trading: the sweep stopped with ${done} finished, kept in ${resultsFile}; run it again with --resume to finish it\n`);
    throwIfInterrupted();
    throw new AlgoTradingError('ABORTED', 'the sweep stopped before every combination ran', { details: { field: 'signal', value: 'SIGINT' } });
  }
  return result;
}
