import { AlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, UsageError, asUsage, isUsageError } from './exit-codes';
import { describeFailure, errorCodeFor, exitCodeFor } from './failure';

describe('exit codes', () => {
  it('maps usage errors to 2, aborts to 130, everything else to 1', () => {
    expect(exitCodeFor(new UsageError('bad'))).toBe(EXIT_CODES.USAGE);
    expect(exitCodeFor(new AlgoTradingError('ABORTED', 'stop'))).toBe(130);
    expect(exitCodeFor(new AlgoTradingError('ABORTED', 'interrupted by SIGTERM', { details: { field: 'signal', value: 'SIGTERM' } }))).toBe(143);
    expect(exitCodeFor(new AlgoTradingError('INVALID_DATA', 'bad row'))).toBe(1);
    expect(exitCodeFor(new Error('boom'))).toBe(1);
    expect(EXIT_CODES).toEqual({ OK: 0, FAILED: 1, USAGE: 2, INTERRUPTED: 130, TERMINATED: 143 });
  });

  it('asUsage turns any failure into a usage error keeping the message and the cause', async () => {
    const cause = new AlgoTradingError('INVALID_CONFIG', 'x: expected a number');
    const error = await asUsage(() => {
      throw cause;
    }).catch((e: unknown) => e);
    expect(isUsageError(error)).toBe(true);
    expect((error as Error).message).toBe('x: expected a number');
    expect((error as Error).cause).toBe(cause);
    expect(errorCodeFor(error)).toBe('INVALID_CONFIG');
    expect(await asUsage(() => 5)).toBe(5);
    const usage = new UsageError('u');
    await expect(asUsage(() => Promise.reject(usage))).rejects.toBe(usage);
  });

  it('reports error codes for JSON output', () => {
    expect(errorCodeFor(new UsageError('plain'))).toBe('USAGE');
    expect(errorCodeFor(new AlgoTradingError('NOT_FOUND', 'gone'))).toBe('NOT_FOUND');
    expect(errorCodeFor(new TypeError('bug'))).toBe('INTERNAL');
    expect(isUsageError(new Error('x'))).toBe(false);
  });

  it('describes a failure for stderr: a bug keeps its stack, a typed error its code', () => {
    const bug = describeFailure(new TypeError('x is undefined'));
    expect(bug).toMatchObject({ exitCode: 1, code: 'INTERNAL', label: 'error', message: 'x is undefined' });
    expect(bug.stack).toContain('TypeError: x is undefined');
    const typed = describeFailure(new AlgoTradingError('IO_ERROR', 'cannot write'));
    expect(typed).toMatchObject({ exitCode: 1, code: 'IO_ERROR', label: 'error (IO_ERROR)', stack: undefined });
    expect(describeFailure(new UsageError('bad flag'))).toMatchObject({ exitCode: 2, code: 'USAGE', label: 'usage error' });
    expect(describeFailure('a string')).toMatchObject({ exitCode: 1, message: 'a string' });
  });
});
