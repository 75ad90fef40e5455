import { AlgoTradingError } from '@algo-trading/core';
import { pendingInterrupt } from './interrupt';

/**
 * Lets the event loop run one full turn, I/O poll phase included. Long pipelines that only chain
 * promises never reach the poll phase, where Node delivers signals; awaiting this between steps
 * lets a SIGINT handler run promptly.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/**
 * Stops the run if an interrupt is pending.
 *
 * @throws AlgoTradingError `ABORTED` naming the signal (exit 130 for SIGINT, 143 for SIGTERM).
 */
export function throwIfInterrupted(): void {
  const signal = pendingInterrupt();
  if (signal !== undefined) {
    throw new AlgoTradingError('ABORTED', `interrupted by ${signal}`, { details: { field: 'signal', value: signal } });
  }
}

/**
 * A checkpoint between steps of a run: lets pending signals be delivered
 * ({@link yieldToEventLoop}), then stops the run if one arrived ({@link throwIfInterrupted}).
 */
export async function checkpoint(): Promise<void> {
  await yieldToEventLoop();
  throwIfInterrupted();
}
