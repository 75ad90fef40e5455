import { resolve } from 'node:path';
import { setupLogger, silentLogger, type Logger } from '@algo-trading/core';
import { loadConfig } from './config/load';
import { defaultConfig, type AppConfig } from './config/schema';
import { asUsage } from './exit-codes';
import { createProgressReporter, type ProgressMode, type ProgressReporter } from './progress';

/** Where the CLI reads and writes: the real process by default, fakes in tests. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Folder relative paths are resolved from. */
  readonly cwd: string;
  /** Force a progress mode (default: bar on a terminal, log lines otherwise). */
  readonly progressMode?: ProgressMode | undefined;
}

/** The process's own streams and working folder. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}

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
  /** `--config` path; the defaults when omitted. */
  readonly configPath?: string | undefined;
  readonly json?: boolean | undefined;
}

/**
 * Loads the configuration (a usage error when it is missing or invalid) and sets up logging:
 * level from `--log-level` or `logging.level`, file from `--log-file` or `logging.file`,
 * console lines on stderr unless `--quiet` or `logging.console: false`.
 */
export async function createContext(options: CreateContextOptions): Promise<CommandContext> {
  const { io, globals } = options;
  const resolvePath = (path: string): string => resolve(io.cwd, path);
  const config = options.configPath === undefined ? defaultConfig() : await asUsage(() => loadConfig(resolvePath(options.configPath!)));
  const quiet = globals.quiet === true;
  const json = options.json === true;
  const logFile = globals.logFile ?? config.logging.file ?? undefined;
  const logger = await asUsage(() =>
    setupLogger({
      name: 'algo-trading',
      level: globals.logLevel ?? config.logging.level,
      logFile: logFile === undefined ? undefined : resolvePath(logFile),
      console: !quiet && config.logging.console,
      consoleStream: io.stderr,
    }),
  );
  const level = globals.logLevel ?? config.logging.level;
  const engineLogger: Logger =
    level.trim().toUpperCase() === 'DEBUG'
      ? logger
      : logFile === undefined
        ? silentLogger
        : setupLogger({ name: 'algo-trading', level, logFile: resolvePath(logFile), console: false });
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
