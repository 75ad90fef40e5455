/**
 * The interrupt state of the running CLI. The binary's SIGINT / SIGTERM handlers call
 * {@link requestInterrupt}; the run notices at its next checkpoint (`checkpoint()` between
 * folds, between output steps, through {@link interruptSignal} inside training) and stops with an
 * `ABORTED` error, which removes its temporary files on the way out. Light on purpose: the binary
 * loads it before any command.
 */

let pending: NodeJS.Signals | undefined;
let controller = new AbortController();

/** Records an interrupt (the first signal wins) and aborts {@link interruptSignal}. */
export function requestInterrupt(signal: NodeJS.Signals): void {
  if (pending !== undefined) return;
  pending = signal;
  controller.abort(signal);
}

/** The signal of a pending interrupt, or undefined. */
export function pendingInterrupt(): NodeJS.Signals | undefined {
  return pending;
}

/** Aborted when an interrupt is requested: hand it to work that can stop early (model training). */
export function interruptSignal(): AbortSignal {
  return controller.signal;
}

/** Forgets a pending interrupt (tests running several commands in one process). */
export function resetInterrupt(): void {
  pending = undefined;
  controller = new AbortController();
}
