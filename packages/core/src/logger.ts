import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type pino from 'pino';
import type pinoPretty from 'pino-pretty';
import { AlgoTradingError, describeValue } from './errors';

// pino and pino-pretty (both CommonJS) are required by the first setupLogger call that needs them,
// not when core is imported: every package imports core, most programs never set up a logger, and
// the two cost about as much CPU to load as the rest of core (some 0.2 s in a fresh process on a
// loaded 2-core machine), which a short command such as `algo-trading runs ls` would pay.
let requireHere: NodeJS.Require | undefined;
function load<T>(name: 'pino' | 'pino-pretty'): T {
  requireHere ??= createRequire(import.meta.url);
  return requireHere(name) as T;
}

/** A log method: a message, or a structured object and a message (pino's calling convention). */
export interface LogFn {
  (message: string): void;
  (object: object, message?: string): void;
}

/**
 * The logger libraries accept. pino loggers satisfy it; so does anything with these four methods.
 * Libraries never print on their own: without a logger they use {@link silentLogger}.
 */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const noop: LogFn = () => undefined;

/** A logger that discards everything: the default of every library. */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

/** Log levels accepted by {@link setupLogger}, case-insensitive. `WARNING` means `warn`. */
export type LogLevelName = 'debug' | 'info' | 'warn' | 'warning' | 'error' | 'silent';

const LEVELS: Record<string, pino.LevelWithSilent> = {
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  silent: 'silent',
};

/** Maps DEBUG / INFO / WARNING / WARN / ERROR / SILENT (any case) to a pino level. */
export function normalizeLogLevel(level: string): pino.LevelWithSilent {
  const key = typeof level === 'string' ? level.trim().toLowerCase() : '';
  const mapped = LEVELS[key];
  if (mapped === undefined) {
    throw new AlgoTradingError(
      'INVALID_CONFIG',
      `logging.level must be one of DEBUG, INFO, WARNING, ERROR, SILENT, got ${describeValue(level)}`,
      { details: { field: 'logging.level', value: level } },
    );
  }
  return mapped;
}

/** Options of {@link setupLogger}. */
export interface SetupLoggerOptions {
  /** Logger name, shown on every line. */
  readonly name: string;
  /** JSON-lines log file; its folder is created. Omit for no file. */
  readonly logFile?: string | undefined;
  /** DEBUG, INFO, WARNING or ERROR (any case). Default INFO. */
  readonly level?: string | undefined;
  /** Human-readable lines on the console (stderr). Default true. */
  readonly console?: boolean | undefined;
  /** Where console lines go; default process.stderr (so stdout stays clean for --json output). */
  readonly consoleStream?: NodeJS.WritableStream | undefined;
  /** Colour console lines; default: when the console stream is a terminal. */
  readonly colorize?: boolean | undefined;
}

/** A pino logger that also satisfies {@link Logger}. */
export type AppLogger = pino.Logger & Logger;

/**
 * The logging convenience for applications: pino with a readable console and/or a JSON-lines
 * file. Writes synchronously so nothing is lost when the process exits.
 *
 * @example
 * const log = setupLogger({ name: 'backtest', level: 'WARNING', logFile: './logs/trading.log' });
 * log.warn({ symbol: 'SPY' }, 'position limit reached');
 */
export function setupLogger(options: SetupLoggerOptions): AppLogger {
  if (typeof options?.name !== 'string' || options.name.trim() === '') {
    throw new AlgoTradingError('INVALID_CONFIG', `logger name must be a non-empty string, got ${describeValue(options?.name)}`, {
      details: { field: 'name', value: options?.name },
    });
  }
  const level = normalizeLogLevel(options.level ?? 'INFO');
  const pinoLib = load<typeof pino>('pino');
  const streams: pino.StreamEntry[] = [];
  if (options.console ?? true) {
    const target = options.consoleStream ?? process.stderr;
    const colorize = options.colorize ?? Boolean((target as NodeJS.WriteStream).isTTY);
    const pretty = load<typeof pinoPretty>('pino-pretty');
    streams.push({
      level: level === 'silent' ? 'fatal' : level,
      stream: pretty({ destination: target, colorize, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }),
    });
  }
  if (options.logFile !== undefined) {
    try {
      mkdirSync(dirname(options.logFile), { recursive: true });
    } catch (cause) {
      throw new AlgoTradingError('IO_ERROR', `cannot create the folder of log file ${options.logFile}`, {
        cause,
        details: { field: 'logFile', value: options.logFile },
      });
    }
    streams.push({
      level: level === 'silent' ? 'fatal' : level,
      stream: pinoLib.destination({ dest: options.logFile, sync: true, mkdir: true }),
    });
  }
  return pinoLib({ name: options.name, level }, pinoLib.multistream(streams)) as AppLogger;
}
