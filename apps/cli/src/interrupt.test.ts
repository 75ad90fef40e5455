import { isAlgoTradingError } from '@algo-trading/core';
import { afterEach, describe, expect, it } from 'vitest';
import { captureIo, catchError, tempDir } from '../test/helpers';
import { interruptSignal, pendingInterrupt, requestInterrupt, resetInterrupt } from './interrupt';
import { runCli } from './program';
import { checkpoint, throwIfInterrupted } from './yield';

afterEach(() => resetInterrupt());

describe('interrupts', () => {
  it('the first signal is recorded and aborts the shared AbortSignal; checkpoints then stop the run', async () => {
    expect(pendingInterrupt()).toBeUndefined();
    await checkpoint(); // nothing pending: passes
    const signal = interruptSignal();
    requestInterrupt('SIGTERM');
    requestInterrupt('SIGINT'); // the first one wins
    expect(pendingInterrupt()).toBe('SIGTERM');
    expect(signal.aborted).toBe(true);
    const error = catchError(() => throwIfInterrupted());
    expect(isAlgoTradingError(error, 'ABORTED')).toBe(true);
    expect((error as Error).message).toBe('interrupted by SIGTERM');
    await expect(checkpoint()).rejects.toThrow('interrupted by SIGTERM');
    resetInterrupt();
    expect(pendingInterrupt()).toBeUndefined();
    expect(interruptSignal().aborted).toBe(false);
  });

  it('a run that fails while a signal is pending reports the signal (a library may wrap the abort in its own error)', async () => {
    const { io, out, err } = captureIo(tempDir());
    requestInterrupt('SIGTERM');
    const code = await runCli(['backtest', '--data', 'missing.csv', '--strategy', 'sma-cross', '--json'], io);
    expect(code).toBe(143);
    expect(err()).toContain('algo-trading: interrupted (SIGTERM); no partial output was left behind');
    expect(err()).not.toContain('missing.csv');
    expect(JSON.parse(out())).toEqual({ ok: false, error: { code: 'ABORTED', message: 'interrupted by SIGTERM', exitCode: 143 } });
  });
});
