import type { OutOfSampleMetrics } from '@algo-trading/strategies';
import type { CommandContext } from '../context';
import { OutputSet } from '../output/atomic-write';
import { toCsv } from '../output/csv';
import { cell, renderTextTable } from '../output/text-table';
import { loadBars } from '../pipeline/load-data';
import { foldRows, runMlWalkForward } from '../pipeline/ml-walk-forward';
import { buildManifest } from '../report/manifest';
import { checkpoint } from '../yield';

/** Options of `algo-trading walk-forward`. */
export interface WalkForwardCommandOptions {
  readonly data: string;
  /** `--sort-unordered`: sort data rows out of time order instead of failing. */
  readonly sortUnordered?: boolean | undefined;
  readonly folds: number;
  readonly epochs: number;
  readonly seed: number;
  readonly out?: string | undefined;
  readonly json?: boolean | undefined;
}

/** What `walk-forward` reports: one row per fold and the metrics of all test windows together. */
export interface WalkForwardSummary {
  readonly folds: readonly Record<string, number | string>[];
  readonly overall: OutOfSampleMetrics;
}

const FOLD_COLUMNS = ['fold', 'train', 'test', 'trainedRows', 'threshold', 'thresholdSource', 'accuracy', 'trades', 'sharpe', 'totalReturn'] as const;

function foldCells(row: Record<string, number | string>): string[] {
  return FOLD_COLUMNS.map((k) => {
    const v = row[k]!;
    if (typeof v === 'string') return v;
    return Number.isInteger(v) ? String(v) : cell(v);
  });
}

/**
 * `algo-trading walk-forward`: out-of-sample evaluation of the ML strategy. Per fold a fresh
 * TensorFlow.js classifier is trained, the threshold is chosen on the validation tail of the
 * training window, and the next window is predicted and traded (strategy returns net of the
 * configured costs). Prints one row per fold and the overall out-of-sample metrics.
 */
export async function runWalkForwardCommand(ctx: CommandContext, options: WalkForwardCommandOptions): Promise<WalkForwardSummary> {
  const { bars, source } = await loadBars(options.data, ctx.resolvePath, ctx.logger, { sortUnordered: options.sortUnordered });
  const run = await runMlWalkForward({
    bars,
    config: ctx.config,
    folds: options.folds,
    epochs: options.epochs,
    seed: options.seed,
    logger: ctx.logger,
    detailLogger: ctx.engineLogger,
    progress: ctx.progress,
  });
  const folds = foldRows(run, bars);
  const overall = run.result.overall;
  const summary: WalkForwardSummary = { folds, overall };
  const files: string[] = [];
  await checkpoint(); // a SIGINT that arrived during the run stops it before anything is written
  if (options.out !== undefined) {
    const manifest = buildManifest({
      config: ctx.config,
      bars,
      seed: options.seed,
      argv: ctx.argv,
      notes: { 'tfjs backend': run.backend.backend },
    });
    const out = new OutputSet(ctx.resolvePath(options.out));
    out.add('folds.csv', toCsv(FOLD_COLUMNS, folds.map((f) => FOLD_COLUMNS.map((k) => f[k]))));
    out.add(
      'walk-forward.json',
      `${JSON.stringify({ source, folds, overall, manifest }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`,
    );
    files.push(...out.commit());
  }
  ctx.printJson({ ok: true, folds, overall, files });
  ctx.print(`Walk-forward on ${bars.symbol ?? source}: ${folds.length} folds, out of sample\n`);
  ctx.print(renderTextTable(FOLD_COLUMNS, folds.map(foldCells)));
  ctx.print(
    `Overall out of sample: Sharpe ${cell(overall.sharpe, 2)}, total return ${cell(overall.totalReturn * 100, 2)}%, max drawdown ${cell(overall.maxDrawdown * 100, 2)}%, accuracy ${cell(overall.accuracy * 100, 2)}%, ${overall.trades} trades over ${overall.testRows} bars.`,
  );
  if (files.length > 0) ctx.print(`Written: ${files.join(', ')}`);
  return summary;
}
