import { createRequire } from 'node:module';
import { isAlgoTradingError } from '@algo-trading/core';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { runBacktestCommand, STRATEGY_CHOICES, type BacktestCommandOptions } from './commands/backtest';
import { runConfigCheck, runConfigInit } from './commands/config';
import { runDemoCommand, type DemoCommandOptions } from './commands/demo';
import { OPTIMIZE_METRICS, runOptimizeCommand, type OptimizeCommandOptions } from './commands/optimize';
import { runReportCommand } from './commands/report';
import { runTrainCommand, type TrainCommandOptions } from './commands/train';
import { runWalkForwardCommand, type WalkForwardCommandOptions } from './commands/walk-forward';
import { createContext, processIo, type CliIo, type GlobalOptions } from './context';
import { EXIT_CODES, errorCodeFor, exitCodeFor, isUsageError, type ExitCode } from './exit-codes';

const requireHere = createRequire(import.meta.url);

/** The version of `@algo-trading/cli` (from its package.json). */
export function cliVersion(): string {
  return (requireHere('../package.json') as { version: string }).version;
}

/** Parses an integer option value at least `min`. */
export function parseIntegerOption(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer greater than or equal to ${min}.`);
    return n;
  };
}

/** Parses a number option value in [min, max]. */
export function parseNumberOption(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a number between ${min} and ${max}.`);
    }
    return n;
  };
}

const DATA_HELP = 'OHLCV CSV file (date, open, high, low, close[, volume]), or sample:sp500 for the bundled S&P 500';
const BENCHMARK_HELP = 'series to buy and hold as the benchmark: an OHLCV CSV file or sample:<name> (default: the data itself), aligned as of each bar';

interface CommandRun {
  json: boolean;
}

/**
 * Builds the `algo-trading` commander program. Each command's action runs its `run*Command`;
 * errors propagate to {@link runCli}, which maps them to exit codes.
 */
export function buildProgram(io: CliIo, argv: readonly string[], state: CommandRun): Command {
  const program = new Command('algo-trading');
  program
    .description('Backtest, train, optimize and report trading strategies with risk management.')
    .version(cliVersion(), '-V, --version', 'print the version')
    .option('-q, --quiet', 'no progress and no log lines on the console (results still print)')
    .option('--log-level <level>', 'DEBUG, INFO, WARNING or ERROR (default: logging.level of the config)')
    .option('--log-file <path>', 'JSON-lines log file (default: logging.file of the config)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)');

  const context = async (command: Command, options: { config?: string | undefined; json?: boolean | undefined }) => {
    state.json = options.json === true;
    return createContext({
      io,
      globals: command.optsWithGlobals<GlobalOptions>(),
      argv,
      configPath: options.config,
      json: options.json,
    });
  };

  program
    .command('backtest')
    .description('Backtest a strategy (or a signals file) on OHLCV data through the risk manager and the engine')
    .requiredOption('-d, --data <file>', DATA_HELP)
    .option('-c, --config <file>', 'config.yaml (default: built-in defaults)')
    .option('--signals <file>', 'CSV of date, signal (-1/0/1)[, confidence] to backtest instead of a strategy')
    .addOption(new Option('--strategy <name>', 'strategy to run (default: strategy.type of the config)').choices(STRATEGY_CHOICES))
    .option('--fast <n>', 'SMA crossover: fast period', parseIntegerOption(1), 20)
    .option('--slow <n>', 'SMA crossover: slow period', parseIntegerOption(2), 50)
    .option('--model <dir>', 'ML: a model saved by `train` (default: walk-forward training on the data)')
    .option('--folds <n>', 'ML walk-forward: number of out-of-sample folds', parseIntegerOption(1), 4)
    .option('--epochs <n>', 'ML: training epochs per fold', parseIntegerOption(1), 15)
    .option('--seed <n>', 'ML: seed of initialisation, shuffling and splits', parseIntegerOption(0), 42)
    .option('-o, --out <dir>', 'write results.json, trades.csv, fills.csv, equity.csv and report.html here')
    .option('--benchmark <data>', BENCHMARK_HELP)
    .option('--json', 'print the results as JSON on stdout')
    .action(async (options: BacktestCommandOptions & { config?: string }, command: Command) => {
      await runBacktestCommand(await context(command, options), options);
    });

  program
    .command('train')
    .description('Train the TensorFlow.js classifier on features built from the data and save it')
    .requiredOption('-d, --data <file>', DATA_HELP)
    .option('-c, --config <file>', 'config.yaml (default: built-in defaults)')
    .requiredOption('-m, --model-out <dir>', 'folder to save the model to (must not exist or be empty)')
    .option('--epochs <n>', 'training epochs', parseIntegerOption(1), 20)
    .option('--validation <fraction>', 'share of the latest rows held out for validation', parseNumberOption(0.05, 0.5), 0.2)
    .option('--seed <n>', 'seed of initialisation, shuffling and splits', parseIntegerOption(0), 42)
    .option('--json', 'print the training summary as JSON on stdout')
    .action(async (options: TrainCommandOptions & { config?: string }, command: Command) => {
      await runTrainCommand(await context(command, options), options);
    });

  program
    .command('optimize')
    .description('Grid-search the confidence threshold of the ML strategy on validation data')
    .requiredOption('-d, --data <file>', DATA_HELP)
    .option('-c, --config <file>', 'config.yaml (default: built-in defaults)')
    .addOption(new Option('--metric <name>', 'metric to maximise').choices(OPTIMIZE_METRICS).default('sharpe'))
    .option('--model <dir>', 'a model saved by `train` (default: train on the first part of the data)')
    .option('--train-fraction <fraction>', 'share of the data used to train when no --model is given', parseNumberOption(0.2, 0.9), 0.6)
    .option('--min <threshold>', 'lowest threshold tried', parseNumberOption(0.5, 0.99), 0.5)
    .option('--max <threshold>', 'highest threshold tried', parseNumberOption(0.5, 0.99), 0.75)
    .option('--step <step>', 'threshold step', parseNumberOption(0.001, 0.5), 0.025)
    .option('--epochs <n>', 'training epochs', parseIntegerOption(1), 20)
    .option('--seed <n>', 'seed of initialisation, shuffling and splits', parseIntegerOption(0), 42)
    .option('-o, --out <dir>', 'write optimization.json and optimization.csv here')
    .option('--json', 'print the table as JSON on stdout')
    .action(async (options: OptimizeCommandOptions & { config?: string }, command: Command) => {
      await runOptimizeCommand(await context(command, options), options);
    });

  program
    .command('walk-forward')
    .description('Out-of-sample evaluation: train, choose the threshold on validation, predict the next window, roll')
    .requiredOption('-d, --data <file>', DATA_HELP)
    .option('-c, --config <file>', 'config.yaml (default: built-in defaults)')
    .option('--folds <n>', 'number of out-of-sample folds', parseIntegerOption(1), 4)
    .option('--epochs <n>', 'training epochs per fold', parseIntegerOption(1), 15)
    .option('--seed <n>', 'seed of initialisation, shuffling and splits', parseIntegerOption(0), 42)
    .option('-o, --out <dir>', 'write walk-forward.json and folds.csv here')
    .option('--benchmark <data>', BENCHMARK_HELP)
    .option('--json', 'print the folds and the overall metrics as JSON on stdout')
    .action(async (options: WalkForwardCommandOptions & { config?: string }, command: Command) => {
      await runWalkForwardCommand(await context(command, options), options);
    });

  program
    .command('report')
    .description('Rebuild report.html from the results.json of a run folder')
    .argument('<dir>', 'the --out folder of a run')
    .option('--json', 'print the report path as JSON')
    .action(async (dir: string, options: { json?: boolean }) => {
      state.json = options.json === true;
      await runReportCommand(io, dir, options);
    });

  program
    .command('demo')
    .description('The full ML pipeline on real S&P 500 data: features, walk-forward TensorFlow.js training, threshold on validation, risk manager, backtest, HTML report')
    .option('-c, --config <file>', 'config.yaml (default: built-in defaults)')
    .option('-o, --out <dir>', 'output folder (default: ./results/demo-<timestamp>)')
    .option('--benchmark <data>', BENCHMARK_HELP)
    .option('--folds <n>', 'walk-forward folds', parseIntegerOption(1), 4)
    .option('--epochs <n>', 'training epochs per fold', parseIntegerOption(1), 15)
    .option('--seed <n>', 'seed of initialisation, shuffling and splits', parseIntegerOption(0), 42)
    .option('--json', 'print the results as JSON on stdout')
    .action(async (options: DemoCommandOptions & { config?: string }, command: Command) => {
      await runDemoCommand(await context(command, options), options);
    });

  const config = program.command('config').description('Write or check a config.yaml');
  config
    .command('init')
    .description('Write a commented config.yaml with every default')
    .argument('[path]', 'where to write', 'config.yaml')
    .option('-f, --force', 'overwrite an existing file')
    .option('--json', 'print the path as JSON')
    .action((path: string, options: { force?: boolean; json?: boolean }) => {
      state.json = options.json === true;
      runConfigInit(io, { path, force: options.force, json: options.json });
    });
  config
    .command('check')
    .description('Validate a config.yaml; every problem names its path and value')
    .argument('[path]', 'the file to check', 'config.yaml')
    .option('--json', 'print the resolved configuration as JSON')
    .action(async (path: string, options: { json?: boolean }) => {
      state.json = options.json === true;
      await runConfigCheck(io, { path, json: options.json });
    });

  return program;
}

/**
 * Runs the CLI with `argv` (the words after `algo-trading`) and returns the exit code: 0 success,
 * 1 failed run, 2 bad usage. Errors are printed on stderr (and as JSON on stdout with `--json`).
 * Never calls `process.exit`.
 *
 * @example
 * const code = await runCli(['backtest', '--data', 'prices.csv', '--strategy', 'sma-cross']);
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
      if (state.json) io.stdout.write(`${JSON.stringify({ ok: false, error: { code: 'USAGE', message: error.message } })}\n`);
      return EXIT_CODES.USAGE;
    }
    const code = exitCodeFor(error);
    const message = error instanceof Error ? error.message : String(error);
    const label = isUsageError(error) ? 'usage error' : isAlgoTradingError(error) ? `error (${error.code})` : 'error';
    io.stderr.write(`algo-trading: ${label}: ${message}\n`);
    if (!isUsageError(error) && !isAlgoTradingError(error) && error instanceof Error && error.stack !== undefined) {
      io.stderr.write(`${error.stack}\n`);
    }
    if (state.json) {
      io.stdout.write(`${JSON.stringify({ ok: false, error: { code: errorCodeFor(error), message, exitCode: code } })}\n`);
    }
    return code;
  }
}
