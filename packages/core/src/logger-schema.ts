import { z } from 'zod';
import { silentLogger, type Logger } from './logger';

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * Whether `value` can serve as a {@link Logger}: an object (or function) with `debug`, `info`,
 * `warn` and `error` methods. pino loggers and `console` qualify.
 */
export function isLogger(value: unknown): value is Logger {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const record = value as Record<string, unknown>;
  return LOGGER_METHODS.every((method) => typeof record[method] === 'function');
}

/**
 * The `logger` key of an options schema: a {@link Logger}, defaulting to {@link silentLogger},
 * with the message every package shows for a wrong value.
 */
export function zLogger() {
  return z
    .custom<Logger>(isLogger, { error: 'expected a Logger (an object with debug, info, warn and error methods)' })
    .default(() => silentLogger);
}
