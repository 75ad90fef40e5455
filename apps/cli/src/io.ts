import type { ProgressMode } from './progress';

/** Where the CLI reads and writes: the real process by default, fakes in tests. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Folder relative paths are resolved from. */
  readonly cwd: string;
  /** Force a progress mode (default: bar on a terminal, log lines otherwise). */
  readonly progressMode?: ProgressMode | undefined;
}

/** The process's own streams and working folder. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}
