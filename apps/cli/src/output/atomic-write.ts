import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AlgoTradingError } from '@algo-trading/core';
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
 * A set of output files committed together. Contents stay in memory until {@link commit}, so a
 * run that fails before the end writes nothing; `commit` writes every file to a temporary name
 * first and renames them all only when every write succeeded.
 *
 * @example
 * const out = new OutputSet('results/run-1');
 * out.add('results.json', JSON.stringify(results));
 * out.add('report.html', html);
 * out.commit(); // both files, or neither
 */
export class OutputSet {
  /** Folder the files go to (created on commit). */
  readonly dir: string;
  private readonly files = new Map<string, string | Uint8Array>();

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Adds (or replaces) a file by its name inside {@link dir}. */
  add(name: string, data: string | Uint8Array): this {
    if (name.includes('/') || name.includes('\\') || name === '' || name.startsWith('.')) {
      throw new AlgoTradingError('INVALID_ARGUMENT', `output file name must be a plain file name, got ${JSON.stringify(name)}`, {
        details: { field: 'name', value: name },
      });
    }
    this.files.set(name, data);
    return this;
  }

  /** Names of the files added so far, in order. */
  names(): string[] {
    return [...this.files.keys()];
  }

  /**
   * Writes every file (temporary names, then renames). Returns the written paths.
   * On any failure the temporary files are removed, no target is touched, and a folder the call
   * created is removed again.
   *
   * @throws AlgoTradingError `IO_ERROR` naming the path.
   */
  commit(): string[] {
    const created = ensureDir(this.dir);
    const staged: { temp: string; target: string }[] = [];
    try {
      for (const [name, data] of this.files) {
        const target = join(this.dir, name);
        const temp = tempPathFor(target);
        registerTempPath(temp);
        staged.push({ temp, target });
        try {
          writeFileSync(temp, data, { flag: 'wx' });
        } catch (cause) {
          throw ioError('write', target, cause);
        }
      }
      for (const { temp, target } of staged) {
        try {
          renameSync(temp, target);
        } catch (cause) {
          throw ioError('write', target, cause);
        }
        releaseTempPath(temp);
      }
    } catch (error) {
      for (const { temp } of staged) {
        rmSync(temp, { force: true });
        releaseTempPath(temp);
      }
      removeCreated(this.dir, created);
      throw error;
    }
    return staged.map((s) => s.target);
  }
}
