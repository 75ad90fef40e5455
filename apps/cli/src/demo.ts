import { join, resolve } from 'node:path';
import { silentLogger, type Logger } from '@algo-trading/core';
import { validateConfig } from './config/load';
import type { AppConfig } from './config/schema';
import type { RunResults } from './output/results-file';
import { silentProgress, type ProgressReporter } from './progress';
import { SP500_SAMPLE, loadBars } from './pipeline/load-data';
import { runMlBacktest } from './pipeline/ml-backtest';
import { checkOutputFolder } from './output/atomic-write';
import { RUN_OUTPUT_FILES, writeRunOutputs } from './pipeline/write-run';
import type { StoreAccess } from './store/access';
import { checkpoint } from './yield';

/** Options of {@link runDemo}; every key optional. */
export interface DemoOptions {
  /** Output folder; default `./results/demo-<UTC timestamp>` under `cwd`. */
  readonly out?: string | undefined;
  /** Folder relative paths are resolved from; default the process's working folder. */
  readonly cwd?: string | undefined;
  /** Walk-forward folds (default 4). */
  readonly folds?: number | undefined;
  /** Training epochs per fold (default 15, early stopping may end sooner). */
  readonly epochs?: number | undefined;
  /** Seed of model initialisation, shuffling and splits (default 42). */
  readonly seed?: number | undefined;
  /** Configuration; default {@link demoConfig}. */
  readonly config?: AppConfig | undefined;
  readonly logger?: Logger | undefined;
  /** Logger of the engine and the risk manager (per-bar events); default `logger`. */
  readonly engineLogger?: Logger | undefined;
  readonly progress?: ProgressReporter | undefined;
  /** Command line for the manifest; default `['demo']`. */
  readonly argv?: readonly string[] | undefined;
  /** Clock for the default folder name (tests). */
  readonly now?: Date | undefined;
  /** Another series (a CSV file, `sample:<name>` or `store:SYMBOL@TIMEFRAME`) to buy and hold as the benchmark; default the S&P 500 itself. */
  readonly benchmark?: string | undefined;
  /** The store a `store:` benchmark is loaded from; default `./algo-trading.duckdb` under `cwd`. */
  readonly store?: StoreAccess | undefined;
}

/** What {@link runDemo} produced. */
export interface DemoOutcome {
  readonly results: RunResults;
  readonly outDir: string;
  readonly files: readonly string[];
  readonly reportPath: string;
}

/** Defaults of the demo: small and fast enough to finish well under two minutes on two cores. */
export const DEMO_DEFAULTS = Object.freeze({ folds: 4, epochs: 15, seed: 42 });

/**
 * The demo's configuration when none is given: every product default, except that the S&P 500
 * index is traded in units of 0.01. With whole units, a 25% position limit on 10,000 of capital
 * cannot buy one unit of an index above 2,500.
 */
export function demoConfig(): AppConfig {
  return validateConfig({ backtesting: { lot_size: 0.01 } }, 'demo configuration');
}

/** `demo-20240102-030405` for a UTC time. */
export function demoFolderName(now: Date): string {
  const iso = now.toISOString(); // 2024-01-02T03:04:05.678Z
  return `demo-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}

/**
 * The product's complete integration example on the real S&P 500 daily bars bundled through
 * vega-datasets: data loading, feature engineering, walk-forward training of the TensorFlow.js
 * classifier, the ML strategy with its threshold chosen on validation data, the risk manager and
 * confidence-based sizing, the backtest of the out-of-sample signals, results analysis and the
 * HTML report. Shared by `algo-trading demo`, `pnpm demo` and the examples package.
 *
 * @example
 * const { results, reportPath } = await runDemo({ out: 'results/my-demo' });
 * results.headline.sharpeRatio;
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoOutcome> {
  const cwd = options.cwd ?? process.cwd();
  const logger = options.logger ?? silentLogger;
  const outDir = resolve(cwd, options.out ?? join('results', demoFolderName(options.now ?? new Date())));
  checkOutputFolder(outDir, RUN_OUTPUT_FILES);
  const { bars, source } = await loadBars(SP500_SAMPLE, (p) => resolve(cwd, p), logger);
  const benchmarkData =
    options.benchmark === undefined
      ? undefined
      : await loadBars(options.benchmark, (p) => resolve(cwd, p), logger, { store: options.store, option: '--benchmark', command: 'demo' });
  logger.info({ bars: bars.length, from: new Date(bars.time[0]!).toISOString().slice(0, 10) }, 'S&P 500 daily bars loaded');
  const { results } = await runMlBacktest({
    bars,
    source,
    config: options.config ?? demoConfig(),
    folds: options.folds ?? DEMO_DEFAULTS.folds,
    epochs: options.epochs ?? DEMO_DEFAULTS.epochs,
    seed: options.seed ?? DEMO_DEFAULTS.seed,
    logger,
    engineLogger: options.engineLogger,
    progress: options.progress ?? silentProgress,
    argv: options.argv ?? ['demo'],
    command: 'demo',
    title: 'ML prediction strategy on the S&P 500 (walk-forward, out of sample)',
    benchmarkData,
  });
  await checkpoint(); // a SIGINT that arrived during the run stops it before anything is written
  const files = await writeRunOutputs(outDir, results, { logger });
  return { results, outDir, files, reportPath: join(outDir, 'report.html') };
}
