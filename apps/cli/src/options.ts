import { InvalidArgumentError, Option } from 'commander';

/**
 * The command-line options shared by several commands, defined once, and the values they accept.
 * This module is loaded by `--help` and `--version`, so it imports commander and nothing else:
 * every heavy dependency of a command is imported when that command runs.
 */

/** Values of `backtest --strategy`. */
export const STRATEGY_CHOICES = ['sma-cross', 'ml'] as const;
/** One of {@link STRATEGY_CHOICES}. */
export type StrategyChoice = (typeof STRATEGY_CHOICES)[number];

/**
 * Values of `optimize --metric`: the strategies package's `OPTIMIZATION_METRICS`, repeated here so
 * that `--help` does not load that package (a test checks that both lists are equal).
 */
export const OPTIMIZE_METRICS = ['sharpe', 'total_return', 'calmar'] as const;

/**
 * Values of `data import --on-conflict`: the store package's `CONFLICT_POLICIES`, repeated here so
 * that `--help` does not load that package (a test checks that both lists are equal).
 */
export const ON_CONFLICT_CHOICES = ['error', 'keep', 'replace'] as const;

/** Values of `runs ls --status`: the store package's `RUN_STATUSES` (a test checks that both lists are equal). */
export const RUN_STATUS_CHOICES = ['running', 'completed', 'failed', 'cancelled'] as const;

/**
 * A timeframe of the store: a count and one of s, m, h, d, w, M, y (`1m`, `1d`, `1M`). The store
 * package's `TIMEFRAME_PATTERN`, repeated here so that `--help` does not load that package (a
 * test checks that both are equal).
 */
export const TIMEFRAME_OPTION_PATTERN = /^[1-9][0-9]{0,5}(s|m|h|d|w|M|y)$/;

/** Parses a `--timeframe` value ({@link TIMEFRAME_OPTION_PATTERN}). */
export function parseTimeframeOption(value: string): string {
  const timeframe = value.trim();
  if (!TIMEFRAME_OPTION_PATTERN.test(timeframe)) {
    throw new InvalidArgumentError('expected a timeframe such as 1m, 5m, 1h, 1d, 1w or 1M (a count and one of s, m, h, d, w, M, y).');
  }
  return timeframe;
}

/** Log levels of `--log-level` and `logging.level`, any case. */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'WARN', 'ERROR', 'SILENT'] as const;

/** Parses an integer option value at least `min` (and at most `max`, when given). */
export function parseIntegerOption(min: number, max?: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || (max !== undefined && n > max)) {
      throw new InvalidArgumentError(max === undefined ? `expected an integer greater than or equal to ${min}.` : `expected an integer between ${min} and ${max}.`);
    }
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

/** Parses `--log-level`: one of {@link LOG_LEVELS} in any case, returned upper-case. */
export function parseLogLevel(value: string): string {
  const level = value.trim().toUpperCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new InvalidArgumentError(`expected one of ${LOG_LEVELS.filter((l) => l !== 'WARN').join(', ')}.`);
  }
  return level;
}

/** `-d, --data <file>` (required). */
export function dataOption(): Option {
  return new Option(
    '-d, --data <file>',
    'OHLCV CSV file (date, open, high, low, close[, volume]), sample:sp500 for the bundled S&P 500, or store:SYMBOL[@TIMEFRAME] for bars in the store (see --db)',
  ).makeOptionMandatory();
}

/** `--db <file>`: the store's database file. */
export function dbOption(help = 'the store database for store: data (default: store.path of the config, ./algo-trading.duckdb)'): Option {
  return new Option('--db <file>', help);
}

/** `--db <file>` of the commands that record their runs. */
export function recordDbOption(): Option {
  return dbOption('the store database: store: data is loaded from it and the run is recorded in it (default: store.path of the config, ./algo-trading.duckdb)');
}

/** `--no-record`: do not record the run in the store. */
export function noRecordOption(): Option {
  return new Option('--no-record', 'do not record this run in the store (runs are recorded when the store database exists)');
}

/** `--sort-unordered`: sort rows out of time order (with a warning) instead of failing. */
export function sortUnorderedOption(): Option {
  return new Option('--sort-unordered', 'sort data rows that are out of time order (logged) instead of failing');
}

/** `-c, --config <file>`. */
export function configOption(help = 'config.yaml (default: ./config.yaml when it exists, else the built-in defaults)'): Option {
  return new Option('-c, --config <file>', help);
}

/** `-o, --out <dir>`. */
export function outOption(help: string): Option {
  return new Option('-o, --out <dir>', help);
}

/** `--json`. */
export function jsonOption(help: string): Option {
  return new Option('--json', help);
}

/** `--seed <n>` (default 42). */
export function seedOption(): Option {
  return new Option('--seed <n>', 'seed of initialisation, shuffling and splits').argParser(parseIntegerOption(0)).default(42);
}

/** `--epochs <n>`. */
export function epochsOption(defaultEpochs: number, help = 'training epochs'): Option {
  return new Option('--epochs <n>', help).argParser(parseIntegerOption(1)).default(defaultEpochs);
}

/** `--folds <n>` (default 4). */
export function foldsOption(help = 'number of out-of-sample walk-forward folds'): Option {
  return new Option('--folds <n>', help).argParser(parseIntegerOption(1)).default(4);
}

/** `--benchmark <data>`: the series bought and held as the benchmark. */
export function benchmarkOption(): Option {
  return new Option(
    '--benchmark <data>',
    'series to buy and hold as the benchmark: an OHLCV CSV file, sample:<name> or store:SYMBOL[@TIMEFRAME] (default: the data itself; several symbols: their equal-weight portfolio, rebalanced monthly), aligned as of each bar',
  );
}

/** Parses a thread count: `auto` or an integer >= 1. */
export function parseWorkersOption(value: string): number | 'auto' {
  if (value.trim().toLowerCase() === 'auto') return 'auto';
  return parseIntegerOption(1)(value);
}

/**
 * Values of `portfolio optimize --method`: the portfolio package's four mean-variance objectives
 * (`OBJECTIVES`), then the risk-based allocations and equal weights.
 */
export const PORTFOLIO_METHODS = [
  'min_variance',
  'max_sharpe',
  'target_return',
  'target_volatility',
  'hrp',
  'risk_parity',
  'inverse_volatility',
  'equal_weight',
] as const;
/** One of {@link PORTFOLIO_METHODS}. */
export type PortfolioMethod = (typeof PORTFOLIO_METHODS)[number];

/**
 * Values of `portfolio optimize --covariance`: the portfolio package's `COVARIANCE_METHODS`,
 * repeated here so that `--help` does not load that package (a test checks that both lists are equal).
 */
export const PORTFOLIO_COVARIANCES = ['sample', 'ledoit_wolf', 'constant_correlation', 'ewma'] as const;

/** Values of `portfolio optimize --returns`: the arithmetic mean, or the exponentially weighted mean. */
export const PORTFOLIO_RETURNS = ['mean', 'ewma'] as const;

/** Parses a finite number option value (any sign). */
export function parseFiniteOption(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a finite number.');
  return n;
}

/** Parses a positive number option value (> 0). */
export function parsePositiveOption(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number greater than 0.');
  return n;
}

/** Parses `--bounds lower,upper`: two finite numbers, lower <= upper (e.g. `0,1` or `-0.2,0.5`). */
export function parseBoundsOption(value: string): readonly [number, number] {
  const parts = value.split(',').map((p) => p.trim());
  const [lower, upper] = parts.map(Number);
  if (parts.length !== 2 || parts.includes('') || !Number.isFinite(lower) || !Number.isFinite(upper)) {
    throw new InvalidArgumentError('expected two numbers lower,upper (for example 0,1 or -0.2,0.5).');
  }
  if (lower! > upper!) throw new InvalidArgumentError(`expected lower <= upper, got ${lower} > ${upper}.`);
  return [lower!, upper!];
}

/**
 * Values of `portfolio backtest --method`: the portfolio package's `REBALANCE_METHODS`, repeated
 * here so that `--help` does not load that package (a test checks that both lists are equal).
 */
export const PORTFOLIO_BACKTEST_METHODS = ['equal_weight', 'inverse_volatility', 'risk_parity', 'hrp', 'min_variance', 'max_sharpe'] as const;
/** One of {@link PORTFOLIO_BACKTEST_METHODS}. */
export type PortfolioBacktestMethod = (typeof PORTFOLIO_BACKTEST_METHODS)[number];

/** Calendar periods of `portfolio backtest --every`: the portfolio package's `REBALANCE_PERIODS` (a test checks that both lists are equal). */
export const REBALANCE_PERIOD_CHOICES = ['week', 'month', 'quarter', 'year'] as const;

/** Parses `--every`: `week`, `month`, `quarter`, `year` (first bar of each, UTC) or a number of return periods >= 1. */
export function parseEveryOption(value: string): (typeof REBALANCE_PERIOD_CHOICES)[number] | number {
  const text = value.trim().toLowerCase();
  if ((REBALANCE_PERIOD_CHOICES as readonly string[]).includes(text)) return text as (typeof REBALANCE_PERIOD_CHOICES)[number];
  const n = Number(text);
  if (text === '' || !Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected ${REBALANCE_PERIOD_CHOICES.join(', ')} or a number of return periods (an integer >= 1).`);
  }
  return n;
}

/** `-d, --data <source>` of the commands that take a universe. */
export function universeDataOption(): Option {
  return new Option(
    '-d, --data <source>',
    'a folder of CSV files (one symbol per file), a CSV file with a symbol column, sample:stocks for the bundled five stocks, or store:A,B[@TIMEFRAME] for symbols of the store',
  ).makeOptionMandatory();
}
