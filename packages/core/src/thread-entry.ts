import { fileURLToPath } from 'node:url';

/**
 * Where a package's worker-thread entry is, and how to start it.
 *
 * Worker threads run JavaScript. A built package starts its bundled entry (`built`, a path
 * relative to the calling module, which sits in `dist/`). A package running from its TypeScript
 * sources (this repository's tests, without a build) starts `tsx-thread.mjs` instead: that
 * bootstrap registers tsx's loader in the thread, because Node 20 does not apply a `--import tsx`
 * given in a worker's execArgv, then imports the TypeScript entry (`source`) passed as the
 * thread's last argument. The thread gets the `@algo-trading/source` condition, so sibling
 * packages resolve to their sources as they do for the caller. Which case applies is decided by
 * the caller's own file extension.
 */
export interface ThreadEntry {
  /** The file the thread starts (a `file:` URL). */
  readonly filename: string;
  /** Node options of the thread (sources only). */
  readonly execArgv: readonly string[] | undefined;
  /** Arguments appended to the thread's `process.argv` (sources only: the TypeScript entry). */
  readonly argv: readonly string[] | undefined;
}

/** The entry's location relative to the calling module, built and from sources. */
export interface ThreadEntryPaths {
  /** The bundled JavaScript entry, relative to the caller's built file (e.g. `./thread.js`). */
  readonly built: string;
  /** The TypeScript entry, relative to the caller's source file (e.g. `../thread.ts`). */
  readonly source: string;
}

const SOURCE_FILE = /\.[cm]?ts$/;

/** The thread entry for a caller at `callerUrl` (its `import.meta.url`). */
export function threadEntry(callerUrl: string, paths: ThreadEntryPaths): ThreadEntry {
  if (!SOURCE_FILE.test(new URL(callerUrl).pathname)) {
    return { filename: new URL(paths.built, callerUrl).href, execArgv: undefined, argv: undefined };
  }
  // `src/` ships beside `dist/`, so the bootstrap is found from either build of this module.
  const bootstrap = new URL('../src/tsx-thread.mjs', import.meta.url).href;
  return {
    filename: bootstrap,
    execArgv: ['--conditions=@algo-trading/source'],
    argv: [fileURLToPath(new URL(paths.source, callerUrl))],
  };
}
