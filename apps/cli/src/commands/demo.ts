import type { CommandContext } from '../context';
import { runDemo, type DemoOutcome } from '../demo';
import { reportRun } from './backtest';

/** Options of `algo-trading demo`. */
export interface DemoCommandOptions {
  /** `--config`: when given its configuration is used as is, otherwise the demo's own (`demoConfig`). */
  readonly config?: string | undefined;
  readonly out?: string | undefined;
  readonly folds: number;
  readonly epochs: number;
  readonly seed: number;
  readonly json?: boolean | undefined;
  /** `--benchmark`: a CSV file or `sample:<name>` to buy and hold as the benchmark. */
  readonly benchmark?: string | undefined;
}

/**
 * `algo-trading demo`: runs {@link runDemo} with the command's configuration, logging and
 * progress, then prints the summary table and the report's path (or JSON).
 */
export async function runDemoCommand(ctx: CommandContext, options: DemoCommandOptions): Promise<DemoOutcome> {
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
  });
  reportRun(ctx, outcome.results, outcome.outDir, outcome.files);
  return outcome;
}
