/**
 * Lets the event loop run one full turn, I/O poll phase included. Long pipelines that only chain
 * promises never reach the poll phase, where Node delivers signals; awaiting this between steps
 * (folds, before writing outputs) lets a SIGINT handler run promptly.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
