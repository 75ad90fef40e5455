import { rmSync } from 'node:fs';

/**
 * The registry of temporary files and folders the CLI has on disk right now. An interrupted run
 * (SIGINT, SIGTERM) calls {@link cleanupTempPaths} before exiting, so it leaves no partial file.
 */
const livePaths = new Set<string>();

/** Records a temporary file or folder until {@link releaseTempPath}. */
export function registerTempPath(path: string): void {
  livePaths.add(path);
}

/** Forgets a temporary path (it was renamed into place or removed). */
export function releaseTempPath(path: string): void {
  livePaths.delete(path);
}

/** The temporary paths currently registered (for tests and diagnostics). */
export function liveTempPaths(): string[] {
  return [...livePaths];
}

/**
 * Removes every registered temporary path, synchronously (safe inside a signal handler).
 * Returns how many were removed; failures are ignored (the path may already be gone).
 */
export function cleanupTempPaths(): number {
  let removed = 0;
  for (const path of livePaths) {
    try {
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch {
      // Best effort: nothing more can be done while exiting.
    }
    livePaths.delete(path);
  }
  return removed;
}
