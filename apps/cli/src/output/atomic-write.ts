import { randomBytes } from 'node:crypto';
import { createWriteStream, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AlgoTradingError } from '@algo-trading/core';
import { UsageError, isUsageError } from '../exit-codes';
import { checkpoint, throwIfInterrupted } from '../yield';
import { registerTempPath, releaseTempPath } from './temp-files';

/** A unique temporary name next to `target`: `.<name>.<pid>.<random>.tmp` in the same folder. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

function ioError(action: string, path: string, cause: unknown): AlgoTradingError {
  return new AlgoTradingError('IO_ERROR', `cannot ${action} ${path}: ${(cause as Error).message}`, {
    cause,
    details: { field: 'path', value: path },
  });
}

/** Creates `dir` (and parents); returns the topmost folder it created, or undefined if it existed. */
function ensureDir(dir: string): string | undefined {
  try {
    if (statSync(dir).isDirectory()) return undefined;
  } catch {
    // Does not exist yet.
  }
  try {
    return mkdirSync(dir, { recursive: true });
  } catch (cause) {
    throw ioError('create the folder', dir, cause);
  }
}

/** Removes the empty folders from `dir` up to and including `top` (the folders a call created). */
function removeCreated(dir: string, top: string | undefined): void {
  if (top === undefined) return;
  let current = resolve(dir);
  const stop = resolve(top);
  for (;;) {
    try {
      if (readdirSync(current).length > 0) return;
      rmdirSync(current);
    } catch {
      return;
    }
    if (current === stop || !current.startsWith(stop)) return;
    current = dirname(current);
  }
}

/**
 * Writes a file atomically: the content goes to a temporary file in the same folder, which is
 * then renamed over the target. Readers see the old file or the whole new one, never a part.
 * Synchronous on purpose: a signal handler can never run between the write and the rename,
 * and the temporary file is registered for cleanup until it is renamed.
 *
 * @throws AlgoTradingError `IO_ERROR` naming the path.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  const created = ensureDir(dirname(target));
  const temp = tempPathFor(target);
  registerTempPath(temp);
  try {
    writeFileSync(temp, data, { flag: 'wx' });
    renameSync(temp, target);
  } catch (cause) {
    rmSync(temp, { force: true });
    removeCreated(dirname(target), created);
    throw ioError('write', target, cause);
  } finally {
    releaseTempPath(temp);
  }
}

/**
 * Every file name an `algo-trading` command writes into an output folder. A folder that holds only
 * these (or nothing) is the output of an earlier run and may be replaced as a whole.
 */
export const KNOWN_OUTPUT_FILES: ReadonlySet<string> = new Set([
  'results.json',
  'trades.csv',
  'fills.csv',
  'equity.csv',
  'report.html',
  'walk-forward.json',
  'folds.csv',
  'optimization.json',
  'optimization.csv',
  'portfolio.json',
  'weights.csv',
  'frontier.csv',
  'positions.csv',
]);

function checkFileName(name: string): void {
  if (name.includes('/') || name.includes('\\') || name === '' || name.startsWith('.')) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `output file name must be a plain file name, got ${JSON.stringify(name)}`, {
      details: { field: 'name', value: name },
    });
  }
}

/**
 * Checks that `dir` can receive a run's output folder: it does not exist, or it is a folder that
 * holds nothing but outputs of an earlier run (the names in {@link KNOWN_OUTPUT_FILES} and
 * `names`), which the run replaces as a whole. Call it before the run starts, so a wrong `--out`
 * fails in a second, not after the work.
 *
 * @throws UsageError when `dir` is a file or holds other files (they would be deleted).
 */
export function checkOutputFolder(dir: string, names: readonly string[] = []): void {
  let entries: string[];
  try {
    if (!lstatSync(dir).isDirectory()) throw new UsageError(`--out ${dir} is a file, not a folder`);
    entries = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return; // nothing to replace (creating it may still fail, with an IO_ERROR)
    if (isUsageError(error)) throw error;
    throw ioError('read the folder', dir, error);
  }
  const foreign = entries.filter((entry) => !KNOWN_OUTPUT_FILES.has(entry) && !names.includes(entry));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? `, ... (${foreign.length} in all)` : '');
    throw new UsageError(
      `--out ${dir} holds files that are not outputs of a run (${shown}); a run replaces its output folder as a whole: choose a new or empty folder`,
    );
  }
}

/** A temporary folder next to `target`, registered for cleanup; the parents it created are remembered. */
interface StagingFolder {
  readonly target: string;
  readonly temp: string;
  /** The topmost parent folder the staging created (removed again on failure), if any. */
  readonly createdParent: string | undefined;
}

function stage(target: string): StagingFolder {
  const createdParent = ensureDir(dirname(target));
  const temp = tempPathFor(target);
  registerTempPath(temp);
  try {
    mkdirSync(temp);
  } catch (cause) {
    releaseTempPath(temp);
    removeCreated(dirname(target), createdParent);
    throw ioError('create the folder', temp, cause);
  }
  return { target, temp, createdParent };
}

/** Removes the staging folder (and the parents it created); for a failed or interrupted run. */
function discard(staging: StagingFolder): void {
  rmSync(staging.temp, { recursive: true, force: true });
  releaseTempPath(staging.temp);
  removeCreated(dirname(staging.target), staging.createdParent);
}

/**
 * Puts the complete staging folder in place of the target. A new target takes one rename. An
 * earlier run's folder is first moved aside (to a hidden sibling, registered for cleanup), the new
 * one renamed into place, the old one deleted: a reader sees the old set, no folder for an
 * instant, or the new set, never a mix of two runs.
 */
function swapIntoPlace(staging: StagingFolder, names: readonly string[]): void {
  const { target, temp } = staging;
  let old: string | undefined;
  try {
    checkOutputFolder(target, names);
    if (existsDir(target)) {
      old = tempPathFor(target);
      registerTempPath(old);
      renameSync(target, old);
    }
    renameSync(temp, target);
  } catch (cause) {
    if (old !== undefined && !existsDir(target)) renameSync(old, target); // put the earlier run back
    if (old !== undefined) releaseTempPath(old);
    discard(staging);
    throw isUsageError(cause) ? cause : ioError('write', target, cause);
  }
  releaseTempPath(temp);
  if (old !== undefined) {
    rmSync(old, { recursive: true, force: true });
    releaseTempPath(old);
  }
}

function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A set of small output files committed together, synchronously. Contents stay in memory until
 * {@link commit}, which writes them into a temporary folder next to {@link dir} and swaps that
 * folder into place: a run that fails before or during the commit leaves the earlier outputs (or
 * nothing). For large outputs use {@link writeOutputFolder}, which streams.
 *
 * @example
 * const out = new OutputSet('results/run-1');
 * out.add('results.json', JSON.stringify(results));
 * out.add('report.html', html);
 * out.commit(); // both files, or neither
 */
export class OutputSet {
  /** Folder the files go to (created on commit, replacing an earlier run's folder). */
  readonly dir: string;
  private readonly files = new Map<string, string | Uint8Array>();

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Adds (or replaces) a file by its name inside {@link dir}. */
  add(name: string, data: string | Uint8Array): this {
    checkFileName(name);
    this.files.set(name, data);
    return this;
  }

  /** Names of the files added so far, in order. */
  names(): string[] {
    return [...this.files.keys()];
  }

  /**
   * Writes every file into a temporary folder, then swaps it into place. Returns the written
   * paths. On any failure the temporary folder is removed and the target is left as it was.
   *
   * @throws AlgoTradingError `IO_ERROR` naming the path; `ABORTED` when an interrupt is pending;
   *   UsageError when the folder holds files that are not outputs of a run.
   */
  commit(): string[] {
    const names = this.names();
    checkOutputFolder(this.dir, names);
    const staging = stage(this.dir);
    try {
      for (const [name, data] of this.files) {
        try {
          writeFileSync(join(staging.temp, name), data, { flag: 'wx' });
        } catch (cause) {
          throw ioError('write', join(this.dir, name), cause);
        }
      }
      throwIfInterrupted();
    } catch (error) {
      discard(staging);
      throw error;
    }
    swapIntoPlace(staging, names);
    return names.map((name) => join(this.dir, name));
  }
}

/** Writes the files of an output folder being staged by {@link writeOutputFolder}. */
export interface OutputWriter {
  /** Writes a whole file. */
  file(name: string, data: string | Uint8Array): Promise<void>;
  /**
   * Streams a file from chunks of text or UTF-8 bytes (each written as produced, with
   * backpressure): the file is never held in memory as a whole.
   */
  stream(name: string, chunks: Iterable<string | Uint8Array>): Promise<void>;
}

/**
 * Writes a run's output folder: `write` produces every file into a temporary folder next to `dir`
 * (checking for an interrupt between files and between chunks), which is then swapped into place.
 * A run that fails or is interrupted while writing leaves the earlier outputs (or nothing), never a
 * mixed set.
 *
 * @param names the files `write` will produce, in order (for the replaceable-folder check).
 * @returns the paths written.
 * @throws AlgoTradingError `IO_ERROR` naming the path; `ABORTED` on an interrupt; UsageError when
 *   `dir` holds files that are not outputs of a run.
 */
export async function writeOutputFolder(
  dir: string,
  names: readonly string[],
  write: (out: OutputWriter) => Promise<void>,
): Promise<string[]> {
  names.forEach(checkFileName);
  checkOutputFolder(dir, names);
  const staging = stage(dir);
  const written: string[] = [];
  const writer: OutputWriter = {
    async file(name, data) {
      checkFileName(name);
      await checkpoint();
      try {
        writeFileSync(join(staging.temp, name), data, { flag: 'wx' });
      } catch (cause) {
        throw ioError('write', join(dir, name), cause);
      }
      written.push(name);
    },
    async stream(name, chunks) {
      checkFileName(name);
      await checkpoint();
      const path = join(staging.temp, name);
      const out = createWriteStream(path, { flags: 'wx' });
      const failed = new Promise<never>((_, reject) => out.once('error', (cause) => reject(ioError('write', join(dir, name), cause))));
      failed.catch(() => undefined);
      try {
        let sinceCheck = 0;
        for (const chunk of chunks) {
          if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
          sinceCheck += chunk.length;
          if (sinceCheck >= CHECK_EVERY_CHARS) {
            sinceCheck = 0;
            await checkpoint();
          }
        }
        out.end();
        await Promise.race([finished(out), failed]);
      } catch (error) {
        out.destroy();
        throw error;
      }
      written.push(name);
    },
  };
  try {
    await write(writer);
    await checkpoint();
  } catch (error) {
    discard(staging);
    throw error;
  }
  swapIntoPlace(staging, names);
  return written.map((name) => join(dir, name));
}

/** While streaming, look for an interrupt after about this many characters or bytes (a few ms of work). */
const CHECK_EVERY_CHARS = 4 << 20;
