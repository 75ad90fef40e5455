import { isAlgoTradingError } from '@algo-trading/core';
import { EXIT_CODES, isUsageError, type ExitCode } from './exit-codes';

/**
 * The exit code for an error thrown by a command: 2 for a usage error, 130 / 143 for a run
 * stopped by SIGINT / SIGTERM (`ABORTED`), 1 for everything else.
 */
export function exitCodeFor(error: unknown): ExitCode {
  if (isUsageError(error)) return EXIT_CODES.USAGE;
  if (isAlgoTradingError(error, 'ABORTED')) {
    return error.details.value === 'SIGTERM' ? EXIT_CODES.TERMINATED : EXIT_CODES.INTERRUPTED;
  }
  return EXIT_CODES.FAILED;
}

/** The error code to report in `--json` output (`USAGE` for usage errors, `INTERNAL` for bugs). */
export function errorCodeFor(error: unknown): string {
  if (isUsageError(error)) {
    const cause = error.cause;
    return isAlgoTradingError(cause) ? cause.code : 'USAGE';
  }
  if (isAlgoTradingError(error)) return error.code;
  return 'INTERNAL';
}

/** A failed command as the CLI reports it: exit code, error code, message, and the label of its line on stderr. */
export interface FailureReport {
  readonly exitCode: ExitCode;
  readonly code: string;
  readonly message: string;
  /** `usage error`, `error (INVALID_DATA)`, `error`. */
  readonly label: string;
  /** The stack of an unexpected error (a bug), printed after the message; undefined otherwise. */
  readonly stack: string | undefined;
}

/** Describes an error thrown by a command for stderr and `--json`. */
export function describeFailure(error: unknown): FailureReport {
  const usage = isUsageError(error);
  const typed = isAlgoTradingError(error);
  return {
    exitCode: exitCodeFor(error),
    code: errorCodeFor(error),
    message: error instanceof Error ? error.message : String(error),
    label: usage ? 'usage error' : typed ? `error (${error.code})` : 'error',
    stack: !usage && !typed && error instanceof Error ? error.stack : undefined,
  };
}
