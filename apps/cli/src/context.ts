import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AlgoTradingError, normalizeLogLevel, setupLogger, silentLogger, type Logger } from '@algo-trading/core';
import { defaultConfig, type AppConfig } from './config/schema';
import { asUsage } from './exit-codes';
import type { CliIo } from './io';
import { createProgressReporter, type ProgressReporter } from './progress';

export { processIo, type CliIo } from './io';

/** The file a command reads when no `--config` is given and it exists in the working folder. */
export const DEFAULT_CONFIG_FILE = 'config.yaml';

/** Options every command accepts (`--quiet`, `--log-level`, `--log-file`). */
export interface GlobalOptions {
  readonly quiet?: boolean | undefined;
  readonly logLevel?: string | undefined;
  readonly logFile?: string | undefined;
}

/** Everything a command needs: the validated configuration, a logger, progress, output helpers. */
export interface CommandContext {
  readonly io: CliIo;
  readonly config: AppConfig;
  readonly logger: Logger;
  /**
   * Logger of the detailed machinery (models, engine, risk manager): the log file only, so
   * per-fit lines, drawdown-zone changes and halts neither flood the console nor break the
   * progress bar; the console too at `--log-level DEBUG`.
   */
  readonly engineLogger: Logger;
  readonly progress: ProgressReporter;
  /** `--json`: machine-readable output on stdout, nothing else there. */
  readonly json: boolean;
  readonly quiet: boolean;
  /** The command line after `algo-trading` (for the manifest). */
  readonly argv: readonly string[];
  /** The configuration file read (absolute), or undefined for the built-in defaults. */
  readonly configFile: string | undefined;
  /** A path from the command line, resolved from the working folder. */
  resolvePath(path: string): string;
  /** Writes text for people to stdout (suppressed with `--json`). */
  print(text: string): void;
  /** Writes one JSON document to stdout (only with `--json`). */
  printJson(value: unknown): void;
}

/** Options of {@link createContext}. */
export interface CreateContextOptions {
  readonly io: CliIo;
  readonly globals: GlobalOptions;
  readonly argv: readonly string[];
  /**
   * The command's name. Every command but `demo` reads `./config.yaml` when no `--config` is
   * given and the file exists; `demo` keeps its own configuration unless `--config` names one.
   */
  readonly command?: string | undefined;
  /** `--config` path; see {@link CreateContextOptions.command} when omitted. */
  readonly configPath?: string | undefined;
  readonly json?: boolean | undefined;
}

/**
 * Loads the configuration and sets up logging: level from `--log-level` or `logging.level`, file
 * from `--log-file` or `logging.file`, console lines on stderr unless `--quiet` or
 * `logging.console: false`. Without `--config`, `./config.yaml` is read when it exists (and the
 * log says so), except by `demo`.
 *
 * @throws UsageError (exit 2) when the configuration file is missing or invalid;
 *   AlgoTradingError `IO_ERROR` (exit 1) when the log file cannot be opened.
 */
export async function createContext(options: CreateContextOptions): Promise<CommandContext> {
  const { io, globals } = options;
  const resolvePath = (path: string): string => resolve(io.cwd, path);
  const implicitConfig = resolvePath(DEFAULT_CONFIG_FILE);
  const configFile =
    options.configPath !== undefined
      ? resolvePath(options.configPath)
      : options.command !== 'demo' && existsSync(implicitConfig)
        ? implicitConfig
        : undefined;
  // The YAML reader and the libraries' checks load only when there is a file to read.
  const config = configFile === undefined ? defaultConfig() : await asUsage(async () => (await import('./config/load')).loadConfig(configFile));
  const quiet = globals.quiet === true;
  const json = options.json === true;
  const level = globals.logLevel ?? config.logging.level;
  const pinoLevel = await asUsage(() => normalizeLogLevel(level));
  const logFile = globals.logFile ?? config.logging.file ?? undefined;
  const logPath = logFile === undefined ? undefined : resolvePath(logFile);
  // The loggers are set up by their first line, so a command that logs nothing never loads pino;
  // the log file is opened now, so an unwritable one fails before the run.
  if (logPath !== undefined) checkLogFile(logPath);
  const logger = onFirstLine(
    () => setupLogger({ name: 'algo-trading', level, logFile: logPath, console: !quiet && config.logging.console, consoleStream: io.stderr }),
    pinoLevel,
  );
  if (options.configPath === undefined && configFile !== undefined) {
    logger.info({ config: configFile }, `using ${configFile} (found in the working folder; --config chooses another file)`);
  } else if (options.configPath === undefined && options.command === 'demo' && existsSync(implicitConfig)) {
    logger.info(`the demo uses its own configuration; pass --config ${DEFAULT_CONFIG_FILE} to run it with ${implicitConfig}`);
  }
  const engineLogger: Logger =
    level.trim().toUpperCase() === 'DEBUG'
      ? logger
      : logPath === undefined
        ? silentLogger
        : onFirstLine(() => setupLogger({ name: 'algo-trading', level, logFile: logPath, console: false }), pinoLevel);
  const progress = createProgressReporter({
    stream: io.stderr,
    logger,
    mode: quiet ? 'none' : io.progressMode,
  });
  return {
    io,
    config,
    logger,
    engineLogger,
    progress,
    json,
    quiet,
    argv: options.argv,
    configFile,
    resolvePath,
    print(text) {
      if (!json) io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    printJson(value) {
      if (json) io.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
    },
  };
}

/** JSON replacer for `--json` output: non-finite numbers as strings, typed arrays as arrays. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

const LEVEL_RANKS = { debug: 0, info: 1, warn: 2, error: 3 } as const;

/**
 * A logger made by `setup` when its first line at `level` or above is logged (lines below `level`,
 * which the logger would drop, are dropped without making it).
 */
function onFirstLine(setup: () => Logger, level: ReturnType<typeof normalizeLogLevel>): Logger {
  let logger: Logger | undefined;
  const lowest = level === 'silent' || level === 'fatal' || level === 'trace' ? 4 : LEVEL_RANKS[level];
  const method = (name: keyof Logger) => {
    if (LEVEL_RANKS[name] < lowest) return (): void => undefined;
    return (...args: unknown[]): void => {
      logger ??= setup();
      (logger[name] as (...a: unknown[]) => void).apply(logger, args);
    };
  };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}

/** Creates the log file's folder and opens the file for appending; failures are `IO_ERROR`s naming it (exit 1, not a usage error). */
function checkLogFile(logPath: string): void {
  try {
    mkdirSync(dirname(logPath), { recursive: true });
    closeSync(openSync(logPath, 'a'));
  } catch (cause) {
    throw new AlgoTradingError('IO_ERROR', `cannot open the log file ${logPath}: ${(cause as Error).message}`, {
      cause,
      details: { field: 'logging.file', value: logPath },
    });
  }
}
