import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const cache = new Map<string, Promise<string | null>>();

function git(args: readonly string[], cwd: string): Promise<string | null> {
  return new Promise((done) => {
    execFile('git', [...args], { cwd, timeout: 5_000, windowsHide: true }, (error, stdout) => {
      done(error ? null : stdout.trim());
    });
  });
}

/**
 * The git commit of the working tree at `cwd` (default: the working folder) as its full hash,
 * with `-dirty` appended when tracked files have uncommitted changes; null when `cwd` is not in
 * a git repository or git is not installed. Runs `git` once per folder and process (cached).
 *
 * @example
 * await detectGitCommit(); // 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4-dirty'
 */
export function detectGitCommit(cwd: string = process.cwd()): Promise<string | null> {
  const folder = resolve(cwd);
  let pending = cache.get(folder);
  if (pending === undefined) {
    pending = (async () => {
      const head = await git(['rev-parse', '--verify', 'HEAD'], folder);
      if (head === null || !/^[0-9a-f]{40,64}$/.test(head)) return null;
      const status = await git(['status', '--porcelain', '--untracked-files=no'], folder);
      return status === null || status === '' ? head : `${head}-dirty`;
    })();
    cache.set(folder, pending);
  }
  return pending;
}
