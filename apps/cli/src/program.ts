import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import type { BacktestCommandOptions } from './commands/backtest';
import type { DataImportOptions, DataListOptions, DataShowOptions } from './commands/data';
import type { DemoCommandOptions } from './commands/demo';
import type { OptimizeCommandOptions } from './commands/optimize';
import type { RunsCompareOptions, RunsInitOptions, RunsListOptions, RunsShowOptions } from './commands/runs';
import type { PortfolioOptimizeCommandOptions } from './commands/portfolio';
import type { PortfolioBacktestCommandOptions } from './commands/portfolio-backtest';
import type { SweepCommandOptions } from './commands/sweep';
import type { TrainCommandOptions } from './commands/train';
import type { WalkForwardCommandOptions } from './commands/walk-forward';
import type { WorkerCommandOptions } from './commands/worker';
import type { CommandContext, GlobalOptions } from './context';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import { pendingInterrupt } from './interrupt';
import { processIo, type CliIo } from './io';
import {
  OPTIMIZE_METRICS,
  PORTFOLIO_BACKTEST_METHODS,
  PORTFOLIO_COVARIANCES,
  PORTFOLIO_METHODS,
  parseEveryOption,
  universeDataOption,
  PORTFOLIO_RETURNS,
  STRATEGY_CHOICES,
  benchmarkOption,
  ON_CONFLICT_CHOICES,
  RUN_STATUS_CHOICES,
  configOption,
  dataOption,
  dbOption,
  epochsOption,
  foldsOption,
  jsonOption,
  noRecordOption,
  outOption,
  parseIntegerOption,
  parseLogLevel,
  parseBoundsOption,
  parseFiniteOption,
  parseNumberOption,
  parseTimeframeOption,
  parsePositiveOption,
  parseWorkersOption,
  recordDbOption,
  seedOption,
  sortUnorderedOption,
} from './options';

// Startup: this module (with commander and ./options) is all that `--help` and `--version` load.
// Every command's code, and with it the libraries, zod, yaml, pino, TensorFlow.js and ECharts, is
// imported when that command runs (the `import()` calls below). Only type imports at the top.

const requireHere = createRequire(import.meta.url);

/** The version of `@algo-trading/cli` (from its package.json). */
export function cliVersion(): string {
  return (requireHere('../package.json') as { version: string }).version;
}

export { parseIntegerOption, parseNumberOption } from './options';

/** What the running command told {@link runCli} (set when its action starts). */
interface CommandRun {
  json: boolean;
}

/** Options every run command accepts besides its own. */
interface RunOptions {
  readonly config?: string | undefined;
  readonly json?: boolean | undefined;
}

type CommandRunner<O> = (ctx: CommandContext, options: O) => Promise<unknown>;

/**
 * Builds the `algo-trading` commander program. Each command's action imports its module and runs
 * its `run*Command`; errors propagate to {@link runCli}, which maps them to exit codes.
 */
export function buildProgram(io: CliIo, argv: readonly string[], state: CommandRun = { json: false }): Command {
  const program = new Command('algo-trading');
  program
    .description('Backtest, train, optimize and report trading strategies with risk management.')
    .version(cliVersion(), '-V, --version', 'print the version')
    .option('-q, --quiet', 'no progress and no log lines on the console (results still print)')
    .option('--log-level <level>', 'DEBUG, INFO, WARNING or ERROR (default: logging.level of the config)', parseLogLevel)
    .option('--log-file <path>', 'JSON-lines log file (default: logging.file of the config)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)');

  /** The action of a run command: loads its module and the context, then runs it. */
  const action =
    <O extends RunOptions>(load: () => Promise<CommandRunner<O>>) =>
    async (options: O, command: Command): Promise<void> => {
      state.json = options.json === true;
      const [{ createContext }, run] = await Promise.all([import('./context'), load()]);
      const ctx = await createContext({
        io,
        globals: command.optsWithGlobals<GlobalOptions>(),
        argv,
        command: command.name(),
        configPath: options.config,
        json: options.json,
      });
      await run(ctx, options);
    };

  program
    .command('backtest')
    .description(
      'Backtest a strategy (or a signals file) on OHLCV data through the risk manager and the engine; data of several symbols runs as one portfolio with shared cash',
    )
    .addOption(
      new Option(
        '-d, --data <source>',
        'OHLCV CSV file, sample:sp500, store:SYMBOL[@TIMEFRAME]; or several symbols: a folder of CSV files (one symbol per file), a CSV file with a symbol column, sample:stocks, store:A,B[@TIMEFRAME]',
      ).makeOptionMandatory(),
    )
    .addOption(sortUnorderedOption())
    .addOption(configOption())
    .option('--signals <file>', 'CSV of date, signal (-1/0/1)[, confidence] to backtest instead of a strategy (several symbols: date, symbol, signal[, confidence])')
    .addOption(new Option('--strategy <name>', 'strategy to run (default: strategy.type of the config)').choices(STRATEGY_CHOICES))
    .option('--fast <n>', 'SMA crossover: fast period', parseIntegerOption(1), 20)
    .option('--slow <n>', 'SMA crossover: slow period', parseIntegerOption(2), 50)
    .option('--model <dir>', 'ML: a model saved by `train` (default: walk-forward training on the data)')
    .addOption(foldsOption('ML walk-forward: number of out-of-sample folds'))
    .addOption(epochsOption(15, 'ML: training epochs per fold'))
    .addOption(seedOption())
    .addOption(outOption('write results.json, trades.csv, fills.csv, equity.csv and report.html here (several symbols: also weights.csv and positions.csv)'))
    .option('--no-report', 'with --out, write every file but report.html (for very long runs)')
    .addOption(benchmarkOption())
    .addOption(recordDbOption())
    .addOption(noRecordOption())
    .addOption(jsonOption('print the results as JSON on stdout'))
    .action(action<BacktestCommandOptions & RunOptions>(async () => (await import('./commands/backtest')).runBacktestCommand));

  program
    .command('train')
    .description('Train the TensorFlow.js classifier on features built from the data and save it')
    .addOption(dataOption())
    .addOption(sortUnorderedOption())
    .addOption(configOption())
    .requiredOption('-m, --model-out <dir>', 'folder to save the model to (must not exist or be empty)')
    .addOption(epochsOption(20))
    .option('--validation <fraction>', 'share of the latest rows held out for validation', parseNumberOption(0.05, 0.5), 0.2)
    .addOption(seedOption())
    .addOption(dbOption())
    .addOption(jsonOption('print the training summary as JSON on stdout'))
    .action(action<TrainCommandOptions & RunOptions>(async () => (await import('./commands/train')).runTrainCommand));

  program
    .command('optimize')
    .description('Grid-search the confidence threshold of the ML strategy on validation data')
    .addOption(dataOption())
    .addOption(sortUnorderedOption())
    .addOption(configOption())
    .addOption(new Option('--metric <name>', 'metric to maximise').choices(OPTIMIZE_METRICS).default('sharpe'))
    .option('--model <dir>', 'a model saved by `train` (default: train on the first part of the data)')
    .option('--train-fraction <fraction>', 'share of the data used to train when no --model is given', parseNumberOption(0.2, 0.9), 0.6)
    .option('--min <threshold>', 'lowest threshold tried', parseNumberOption(0.5, 0.99), 0.5)
    .option('--max <threshold>', 'highest threshold tried', parseNumberOption(0.5, 0.99), 0.75)
    .option('--step <step>', 'threshold step', parseNumberOption(0.001, 0.5), 0.025)
    .addOption(epochsOption(20))
    .addOption(seedOption())
    .addOption(outOption('write optimization.json and optimization.csv here'))
    .addOption(dbOption())
    .addOption(jsonOption('print the table as JSON on stdout'))
    .action(action<OptimizeCommandOptions & RunOptions>(async () => (await import('./commands/optimize')).runOptimizeCommand));

  program
    .command('walk-forward')
    .description('Out-of-sample evaluation: train, choose the threshold on validation, predict the next window, roll')
    .addOption(dataOption())
    .addOption(sortUnorderedOption())
    .addOption(configOption())
    .addOption(foldsOption())
    .addOption(epochsOption(15, 'training epochs per fold'))
    .addOption(seedOption())
    .addOption(outOption('write walk-forward.json and folds.csv here'))
    .addOption(benchmarkOption())
    .addOption(recordDbOption())
    .addOption(noRecordOption())
    .addOption(jsonOption('print the folds and the overall metrics as JSON on stdout'))
    .action(action<WalkForwardCommandOptions & RunOptions>(async () => (await import('./commands/walk-forward')).runWalkForwardCommand));

  program
    .command('report')
    .description('Rebuild report.html from the results of a run folder')
    .argument('<dir>', 'the --out folder of a run')
    .addOption(jsonOption('print the report path as JSON'))
    .action(async (dir: string, options: { json?: boolean }) => {
      state.json = options.json === true;
      const { runReportCommand } = await import('./commands/report');
      await runReportCommand(io, dir, options);
    });

  program
    .command('demo')
    .description(
      'The full ML pipeline on real S&P 500 data: features, walk-forward TensorFlow.js training, threshold on validation, risk manager, backtest, HTML report',
    )
    .addOption(configOption('config.yaml (default: the demo configuration, see the README)'))
    .addOption(outOption('output folder (default: ./results/demo-<timestamp>)'))
    .addOption(foldsOption('walk-forward folds'))
    .addOption(epochsOption(15, 'training epochs per fold'))
    .addOption(seedOption())
    .addOption(benchmarkOption())
    .addOption(recordDbOption())
    .addOption(noRecordOption())
    .addOption(jsonOption('print the results as JSON on stdout'))
    .action(action<DemoCommandOptions & RunOptions>(async () => (await import('./commands/demo')).runDemoCommand));

  program
    .command('sweep')
    .description('Run a parameter sweep or walk-forward from a YAML spec on all cores, or across machines through a Redis queue')
    .argument('<spec>', 'the sweep spec (YAML): strategy, parameters, data, engine/risk/sizing, objective, walkForward')
    .addOption(configOption('config.yaml for the logging settings (default: ./config.yaml when it exists)'))
    .addOption(new Option('-w, --workers <n>', 'worker threads: a number or auto (available parallelism)').argParser(parseWorkersOption).default('auto'))
    .option('--queue <redis-url>', 'run on a BullMQ queue at redis://host:port/db; `algo-trading worker` processes take the jobs')
    .option('--queue-name <name>', 'queue name (default algo-trading-sweep)')
    .option('--share-data <dir>', 'with --queue: publish the data file to this shared folder as <sha256>.csv for workers on other machines')
    .option('--chunk-size <n>', 'combinations per task or job (default: about 8 tasks per thread; 25 per queue job)', parseIntegerOption(1))
    .addOption(outOption('write sweep.json, sweep.csv and report.html here (default ./results/sweep-<spec name>)'))
    .option('--resume', 'skip the combinations already in <out>/sweep.json (same spec, data and versions)')
    .option('--top <n>', 'combinations listed on the console', parseIntegerOption(1), 10)
    .option('--no-report', 'write sweep.json and sweep.csv but not report.html')
    .addOption(dbOption('the store database: a store: data reference of the spec is loaded from it and the finished sweep is recorded in it (default: store.path of the config, ./algo-trading.duckdb)'))
    .addOption(noRecordOption())
    .addOption(jsonOption('print the summary, the top combinations and the files as JSON on stdout'))
    .action(async (spec: string, options: SweepCommandOptions & RunOptions, command: Command) => {
      const run = action<SweepCommandOptions & RunOptions>(async () => {
        const { runSweepCommand } = await import('./commands/sweep');
        return (ctx, o) => runSweepCommand(ctx, spec, o);
      });
      await run(options, command);
    });

  program
    .command('worker')
    .description('Take sweep jobs from a Redis queue and run them on this machine until Ctrl-C')
    .requiredOption('--queue <redis-url>', 'the queue at redis://host:port/db (the one `sweep --queue` uses)')
    .option('--queue-name <name>', 'queue name (default algo-trading-sweep)')
    .addOption(new Option('--concurrency <n>', 'jobs at once, each on its own thread: a number or auto').argParser(parseWorkersOption).default(1))
    .option('--data-dir <dir>', 'folder with the data published by `sweep --share-data` (mounted on this machine)')
    .option('--lock-duration <ms>', 'job lock: a worker that dies leaves its jobs this long before another takes them up', parseIntegerOption(1000), 30_000)
    .addOption(dbOption('the store database store: data references are loaded from (default: store.path of the config, ./algo-trading.duckdb)'))
    .addOption(configOption('config.yaml for the logging settings (default: ./config.yaml when it exists)'))
    .action(action<WorkerCommandOptions & RunOptions>(async () => (await import('./commands/worker')).runWorkerCommand));

  /** The action of a command with arguments: the arguments first, then the options (see `action`). */
  const actionWithArgs =
    <A, O extends RunOptions>(load: () => Promise<(ctx: CommandContext, args: A, options: O) => Promise<unknown>>) =>
    async (args: A, options: O, command: Command): Promise<void> => {
      const run = action<O>(async () => {
        const runner = await load();
        return (ctx, o) => runner(ctx, args, o);
      });
      await run(options, command);
    };

  const data = program
    .command('data')
    .description('Bars in the store, the optional DuckDB database (--db, default ./algo-trading.duckdb): import, list, show');
  data
    .command('import')
    .description('Import OHLCV bars from CSV or Parquet files, folders of them, or sample:<name> into the store (created when missing); idempotent, conflicting bars reported')
    .argument('<files...>', 'CSV (.csv, .tsv, .gz) and Parquet (.parquet) files, folders of them, or sample:sp500 / sample:stocks')
    .option('--symbol <symbol>', 'the symbol of files without a symbol column (default: the file name, SPY.csv -> SPY); with a symbol column, import only its rows')
    .option('--timeframe <timeframe>', "the bars' timeframe: 1m, 5m, 1h, 1d, 1w, 1M ... (default: a timeframe column, else inferred from the spacing)", parseTimeframeOption)
    .addOption(
      new Option('--on-conflict <policy>', 'a bar stored with other values: error (import nothing, list them), keep the stored bar, or replace it')
        .choices(ON_CONFLICT_CHOICES)
        .default('error'),
    )
    .option('--recursive', 'also import the files of sub-folders')
    .option('--adjusted', 'rescale open, high and low by adj close / close and store adj close as the close')
    .addOption(dbOption('the store database (default: store.path of the config, ./algo-trading.duckdb); created when missing'))
    .addOption(configOption())
    .addOption(jsonOption('print what was imported (counts per series, conflicts) as JSON'))
    .action(actionWithArgs<string[], DataImportOptions & RunOptions>(async () => (await import('./commands/data')).runDataImportCommand));
  data
    .command('ls')
    .description('List the stored symbols and timeframes with their bar counts and time ranges')
    .option('--symbol <symbol>', 'only this symbol')
    .option('--timeframe <timeframe>', 'only this timeframe', parseTimeframeOption)
    .addOption(dbOption('the store database (default: store.path of the config, ./algo-trading.duckdb)'))
    .addOption(configOption())
    .addOption(jsonOption('print the series as JSON'))
    .action(action<DataListOptions & RunOptions>(async () => (await import('./commands/data')).runDataListCommand));
  data
    .command('show')
    .description("A symbol's stored bars: timeframe, bar count, time range, first and last rows")
    .argument('<symbol>', 'the symbol, e.g. SPY')
    .option('--timeframe <timeframe>', 'only this timeframe (default: every timeframe of the symbol)', parseTimeframeOption)
    .option('--rows <n>', 'bars shown at each end', parseIntegerOption(1, 1000), 5)
    .addOption(dbOption('the store database (default: store.path of the config, ./algo-trading.duckdb)'))
    .addOption(configOption())
    .addOption(jsonOption('print the series and their first and last bars as JSON'))
    .action(actionWithArgs<string, DataShowOptions & RunOptions>(async () => (await import('./commands/data')).runDataShowCommand));

  const runs = program
    .command('runs')
    .description('Runs recorded in the store: every backtest, walk-forward, demo and sweep once the store database exists');
  runs
    .command('init')
    .description('Create the store database (when missing) so that runs are recorded in it from now on')
    .addOption(dbOption('the store database (default: store.path of the config, ./algo-trading.duckdb)'))
    .addOption(configOption())
    .addOption(jsonOption('print the store path as JSON'))
    .action(action<RunsInitOptions & RunOptions>(async () => (await import('./commands/runs')).runRunsInitCommand));
  runs
    .command('ls')
    .description('List recorded runs, newest first, with their headline metrics')
    .option('--limit <n>', 'the newest n runs', parseIntegerOption(1), 20)
    .option('--all', 'every run (no --limit)')
    .option('--command <name>', 'only runs of this command: backtest, walk-forward, demo, sweep')
    .option('--strategy <name>', 'only runs of this strategy (as listed)')
    .addOption(new Option('--status <status>', 'only runs with this status').choices(RUN_STATUS_CHOICES))
    .option('--since <date>', 'only runs made at or after this ISO 8601 date or time (UTC)')
    .addOption(dbOption('the store database (default: store.path of the config, ./algo-trading.duckdb)'))
    .addOption(configOption())
    .addOption(jsonOption('print the runs as JSON'))
    .action(action<RunsListOptions & RunOptions>(async () => (await import('./commands/runs')).runRunsListCommand));
  runs
    .command('show')
    .description('Everything recorded about a run: data, hashes, code version, folder, parameters, metrics')
    .argument('<id>', 'a run id (as listed by runs ls), latest, or latest~N for the N-th before it')
    .addOption(dbOption('the store database (default: store.path of the config, ./algo-trading.duckdb)'))
    .addOption(configOption())
    .addOption(jsonOption('print the run (with its trades and fills) as JSON'))
    .action(actionWithArgs<string, RunsShowOptions & RunOptions>(async () => (await import('./commands/runs')).runRunsShowCommand));
  runs
    .command('compare')
    .description('Runs side by side: a metrics table on the console and an HTML page with their equity curves overlaid')
    .argument('<ids...>', 'two or more run ids, latest or latest~N')
    .addOption(outOption('the HTML comparison file (default: ./results/compare-<UTC time>.html)'))
    .option('--no-html', 'print the table only')
    .option('--metrics <names>', 'comma-separated metrics for the console table (default: the headline metrics)')
    .addOption(dbOption('the store database (default: store.path of the config, ./algo-trading.duckdb)'))
    .addOption(configOption())
    .addOption(jsonOption('print every metric and parameter side by side as JSON'))
    .action(actionWithArgs<string[], RunsCompareOptions & RunOptions>(async () => (await import('./commands/runs')).runRunsCompareCommand));
  const portfolio = program.command('portfolio').description('Portfolio construction over a universe of several symbols');
  portfolio
    .command('optimize')
    .description(
      'Weights for a universe: mean-variance (min variance, max Sharpe, target return or volatility), HRP, risk parity, inverse volatility or equal weight; the efficient frontier and a discrete allocation',
    )
    .addOption(universeDataOption())
    .addOption(sortUnorderedOption())
    .addOption(configOption('config.yaml for the logging settings (default: ./config.yaml when it exists)'))
    .addOption(new Option('--method <name>', 'how the weights are chosen').choices(PORTFOLIO_METHODS).default('min_variance'))
    .addOption(new Option('--covariance <estimator>', 'covariance estimator').choices(PORTFOLIO_COVARIANCES).default('ledoit_wolf'))
    .addOption(new Option('--returns <estimator>', 'expected returns: arithmetic mean or exponentially weighted mean').choices(PORTFOLIO_RETURNS).default('mean'))
    .option('--risk-free <rate>', 'annual risk-free rate (Sharpe ratios, max_sharpe)', parseFiniteOption, 0.02)
    .option('--target-return <rate>', 'target_return: the lowest annual expected return accepted', parseFiniteOption)
    .option('--target-volatility <vol>', 'target_volatility: the highest annual volatility accepted', parsePositiveOption)
    .option('--bounds <lower,upper>', 'weight bounds of every symbol for the mean-variance methods and the frontier (default 0,1: long only)', parseBoundsOption)
    .option('--lookback <n>', 'estimate on the last n return periods only (default: every period common to all symbols)', parseIntegerOption(2))
    .option('--cash <amount>', 'money for the discrete allocation at the last close (whole units)', parsePositiveOption, 10_000)
    .option('--frontier-points <n>', 'portfolios on the efficient frontier', parseIntegerOption(2), 20)
    .addOption(outOption('write portfolio.json, weights.csv, frontier.csv and report.html here'))
    .addOption(jsonOption('print the weights, statistics, allocation and frontier as JSON on stdout'))
    .action(action<PortfolioOptimizeCommandOptions & RunOptions>(async () => (await import('./commands/portfolio')).runPortfolioOptimizeCommand));
  portfolio
    .command('backtest')
    .description(
      'Walk-forward rebalancing backtest of a universe: at each rebalance the weights of --method are estimated on the trailing --lookback returns only and traded through the engine; compared with equal weight',
    )
    .addOption(universeDataOption())
    .addOption(sortUnorderedOption())
    .addOption(configOption('config.yaml for the capital, commission, slippage, lot size and logging (default: ./config.yaml when it exists)'))
    .addOption(new Option('--method <name>', 'how the weights are chosen at each rebalance').choices(PORTFOLIO_BACKTEST_METHODS).default('hrp'))
    .option('--lookback <n>', 'return periods in each estimation window (ending at the rebalance close)', parseIntegerOption(2), 24)
    .addOption(
      new Option('--align <rule>', 'outer: every time slice, a symbol with a missing bar in the window weighs 0 at that rebalance; inner: only the dates every symbol trades')
        .choices(['outer', 'inner'])
        .default('outer'),
    )
    .option('--every <period>', 'rebalance at the first bar of each week, month, quarter or year (UTC), or every n return periods', parseEveryOption, 'month')
    .addOption(new Option('--covariance <estimator>', 'covariance estimator on each window').choices(PORTFOLIO_COVARIANCES).default('ledoit_wolf'))
    .addOption(new Option('--returns <estimator>', 'max_sharpe: expected returns, arithmetic mean or exponentially weighted mean').choices(PORTFOLIO_RETURNS).default('mean'))
    .option('--risk-free <rate>', 'max_sharpe: annual risk-free rate', parseFiniteOption, 0.02)
    .option('--bounds <lower,upper>', 'min_variance, max_sharpe: weight bounds of every symbol (default 0,1: long only)', parseBoundsOption)
    .option('--drift-threshold <w>', 'trade a symbol only when its weight is further than this from its target', parseNumberOption(0, 1), 0)
    .option('--min-trade <amount>', 'trade a symbol only when the trade is worth at least this (money)', parseNumberOption(0, Number.MAX_VALUE), 0)
    .addOption(outOption('write results.json, trades.csv, fills.csv, equity.csv, weights.csv, positions.csv and report.html here'))
    .option('--no-report', 'with --out, write every file but report.html')
    .addOption(benchmarkOption())
    .addOption(recordDbOption())
    .addOption(noRecordOption())
    .addOption(jsonOption('print the results as JSON on stdout'))
    .action(action<PortfolioBacktestCommandOptions & RunOptions>(async () => (await import('./commands/portfolio-backtest')).runPortfolioBacktestCommand));

  const config = program.command('config').description('Write or check a config.yaml');
  config
    .command('init')
    .description('Write a commented config.yaml with every default')
    .argument('[path]', 'where to write', 'config.yaml')
    .option('-f, --force', 'overwrite an existing file')
    .addOption(jsonOption('print the path as JSON'))
    .action(async (path: string, options: { force?: boolean; json?: boolean }) => {
      state.json = options.json === true;
      const { runConfigInit } = await import('./commands/config');
      runConfigInit(io, { path, force: options.force, json: options.json });
    });
  config
    .command('check')
    .description('Validate a config.yaml as a run would; every problem names its path and value')
    .argument('[path]', 'the file to check', 'config.yaml')
    .addOption(jsonOption('print the resolved configuration as JSON'))
    .action(async (path: string, options: { json?: boolean }) => {
      state.json = options.json === true;
      const { runConfigCheck } = await import('./commands/config');
      await runConfigCheck(io, { path, json: options.json });
    });

  return program;
}

/**
 * Runs the CLI with `argv` (the words after `algo-trading`) and returns the exit code: 0 success,
 * 1 failed run, 2 bad usage, 130 / 143 interrupted. Errors are printed on stderr (and as JSON on
 * stdout with `--json`: `{"ok": false, "error": {"code", "message", "exitCode"}}`).
 * Never calls `process.exit`.
 *
 * @example
 * const code = await runCli(['backtest', '--data', 'sample:sp500', '--strategy', 'sma-cross']);
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const state: CommandRun = { json: argv.includes('--json') };
  const program = buildProgram(io, argv, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_CODES.OK;
      // commander already printed its message (unknown option, missing argument, bad value ...).
      if (state.json) {
        io.stdout.write(`${JSON.stringify({ ok: false, error: { code: 'USAGE', message: error.message, exitCode: EXIT_CODES.USAGE } })}\n`);
      }
      return EXIT_CODES.USAGE;
    }
    const { describeFailure } = await import('./failure');
    const signal = pendingInterrupt();
    // A run stopped by a signal fails with whatever the interrupted step threw (a library may wrap
    // the abort in its own error): the signal is the cause.
    const failure =
      signal === undefined
        ? describeFailure(error)
        : {
            ...describeFailure(error),
            code: 'ABORTED',
            message: `interrupted by ${signal}`,
            exitCode: signal === 'SIGTERM' ? EXIT_CODES.TERMINATED : EXIT_CODES.INTERRUPTED,
          };
    if (failure.code === 'ABORTED') {
      io.stderr.write(`${interruptedMessage(failure.exitCode === EXIT_CODES.TERMINATED ? 'SIGTERM' : 'SIGINT')}\n`);
    } else {
      io.stderr.write(`algo-trading: ${failure.label}: ${failure.message}\n`);
      if (failure.stack !== undefined) io.stderr.write(`${failure.stack}\n`);
    }
    if (state.json) {
      io.stdout.write(`${JSON.stringify({ ok: false, error: { code: failure.code, message: failure.message, exitCode: failure.exitCode } })}\n`);
    }
    return failure.exitCode;
  }
}

/** The line printed when a run stops on a signal. */
export function interruptedMessage(signal: NodeJS.Signals): string {
  return `algo-trading: interrupted (${signal}); no partial output was left behind`;
}
