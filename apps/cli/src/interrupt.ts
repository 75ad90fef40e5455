/**
 * The interrupt state of the running CLI. The binary's SIGINT / SIGTERM handlers call
 * {@link requestInterrupt}; the run notices at its next checkpoint (`checkpoint()` between
 * folds, between output steps, through {@link interruptSignal} inside training) and stops with an
 * `ABORTED` error, which removes its temporary files on the way out. Light on purpose: the binary
 * loads it before any command.
 */

let pending: NodeJS.Signals | undefined;
let controller = new AbortController();

/** Default of {@link interruptGraceMs}: most runs reach a checkpoint within a few milliseconds. */
export const DEFAULT_INTERRUPT_GRACE_MS = 250;
let graceMs = DEFAULT_INTERRUPT_GRACE_MS;

/**
 * How long the binary waits, after a first SIGINT / SIGTERM, for the run to stop by itself before
 * it stops it outright. A command whose stop takes longer (a sweep hands back its finished rows
 * and saves them; a queue worker finishes its running jobs) sets its own with
 * {@link setInterruptGraceMs}. A second signal always stops at once.
 */
export function interruptGraceMs(): number {
  return graceMs;
}

/** Sets {@link interruptGraceMs} for the running command. */
export function setInterruptGraceMs(ms: number): void {
  graceMs = ms;
}

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
  graceMs = DEFAULT_INTERRUPT_GRACE_MS;
}
