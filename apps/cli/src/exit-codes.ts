import { isAlgoTradingError } from '@algo-trading/core';

/**
 * Exit codes of `algo-trading`:
 * - 0: success;
 * - 1: the run failed (data missing or malformed, a model or engine error, a file not writable);
 * - 2: bad usage (unknown command or option, an invalid option value, an invalid config.yaml);
 * - 130: interrupted by SIGINT (128 + 2), after removing temporary files.
 */
export const EXIT_CODES = { OK: 0, FAILED: 1, USAGE: 2, INTERRUPTED: 130 } as const;

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

const USAGE_MARKER = Symbol.for('@algo-trading/cli:UsageError');

/** An error in how the CLI was called (options, config file): exit code 2. */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
    Object.defineProperty(this, USAGE_MARKER, { value: true, enumerable: false });
  }
}

/** True for a {@link UsageError} (from any copy of this module). */
export function isUsageError(error: unknown): error is UsageError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[USAGE_MARKER] === true;
}

/**
 * Runs `fn`, turning any error it throws into a {@link UsageError} with the same message (and the
 * original as `cause`): for validating options and the config file.
 */
export async function asUsage<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isUsageError(error)) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** The exit code for an error thrown by a command. */
export function exitCodeFor(error: unknown): ExitCode {
  if (isUsageError(error)) return EXIT_CODES.USAGE;
  if (isAlgoTradingError(error, 'ABORTED')) return EXIT_CODES.INTERRUPTED;
  return EXIT_CODES.FAILED;
}

/** The error code to report in `--json` output (`USAGE` for usage errors). */
export function errorCodeFor(error: unknown): string {
  if (isUsageError(error)) {
    const cause = error.cause;
    return isAlgoTradingError(cause) ? cause.code : 'USAGE';
  }
  if (isAlgoTradingError(error)) return error.code;
  return 'INTERNAL';
}
