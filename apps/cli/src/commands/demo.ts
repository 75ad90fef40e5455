import type { CommandContext } from '../context';
import { runDemo, type DemoOutcome } from '../demo';
import { storeAccess } from '../store/access';
import { checkRecordTarget, recordInStore, resultsRecordSource, runRecord, type RecordFlags } from '../store/record';
import { reportRun } from './backtest';

/** Options of `algo-trading demo`. */
export interface DemoCommandOptions extends RecordFlags {
  /** `--config`: when given its configuration is used as is, otherwise the demo's own (`demoConfig`). */
  readonly config?: string | undefined;
  readonly out?: string | undefined;
  readonly folds: number;
  readonly epochs: number;
  readonly seed: number;
  readonly json?: boolean | undefined;
  /** `--benchmark`: a CSV file, `sample:<name>` or `store:SYMBOL@TIMEFRAME` to buy and hold as the benchmark. */
  readonly benchmark?: string | undefined;
}

/**
 * `algo-trading demo`: runs {@link runDemo} with the command's configuration, logging and
 * progress, records the run in the store (when there is one), then prints the summary table and
 * the report's path (or JSON).
 */
export async function runDemoCommand(ctx: CommandContext, options: DemoCommandOptions): Promise<DemoOutcome> {
  checkRecordTarget(ctx, options);
  const outcome = await runDemo({
    out: options.out,
    cwd: ctx.io.cwd,
    folds: options.folds,
    epochs: options.epochs,
    seed: options.seed,
    config: options.config === undefined ? undefined : ctx.config,
    logger: ctx.logger,
    engineLogger: ctx.engineLogger,
    progress: ctx.progress,
    argv: ctx.argv,
    benchmark: options.benchmark,
    store: storeAccess(ctx, options.db),
  });
  const record = await recordInStore(ctx, options, (module) => [runRecord(module, resultsRecordSource(outcome.results, { symbol: outcome.results.dataRange.symbol, folder: outcome.outDir }))]);
  reportRun(ctx, outcome.results, outcome.outDir, outcome.files, record);
  return outcome;
}
