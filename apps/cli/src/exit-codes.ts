/**
 * Exit codes of `algo-trading`:
 * - 0: success;
 * - 1: the run failed (data missing or malformed, a model or engine error, a file not writable);
 * - 2: bad usage (unknown command or option, an invalid option value, an invalid config.yaml);
 * - 130: interrupted by SIGINT (128 + 2), 143: terminated by SIGTERM (128 + 15), after removing
 *   temporary files.
 *
 * This module imports nothing heavy: the binary loads it before any command runs.
 */
export const EXIT_CODES = { OK: 0, FAILED: 1, USAGE: 2, INTERRUPTED: 130, TERMINATED: 143 } as const;

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
