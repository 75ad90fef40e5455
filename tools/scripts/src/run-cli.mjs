// `pnpm algo-trading ...` and `pnpm demo` in the repository: run the BUILT CLI (apps/cli/dist),
// building it first when it is missing or older than its sources or those of the workspace
// packages it depends on. The build goes through Nx, so an unchanged package comes from the Nx
// cache; its log is shown only when it fails, on stderr. stdout carries only the CLI's own output
// (use `pnpm -s` to drop pnpm's banner too, e.g. for `--json`). If the build fails, the CLI runs
// from its TypeScript sources instead (slower start), with a warning.
//
// Plain JavaScript on purpose: it must start without a TypeScript loader.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cliDir = join(root, 'apps/cli');
const entry = join(cliDir, 'dist/cli.js');

/** Workspace packages by name -> folder (packages/*, apps/*). */
function workspaceFolders() {
  const folders = new Map();
  for (const group of ['packages', 'apps']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir)) {
      const manifest = join(groupDir, name, 'package.json');
      if (existsSync(manifest)) folders.set(JSON.parse(readFileSync(manifest, 'utf8')).name, join(groupDir, name));
    }
  }
  return folders;
}

/** The CLI's folder and those of every workspace package it depends on, transitively. */
function buildClosure() {
  const folders = workspaceFolders();
  const seen = new Set();
  const pending = [cliDir];
  while (pending.length > 0) {
    const dir = pending.pop();
    if (seen.has(dir)) continue;
    seen.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      const folder = folders.get(dep);
      if (folder !== undefined) pending.push(folder);
    }
  }
  return [...seen];
}

/** Newest modification time (ms) of the files below `path` (a file or a folder). */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const mtime = statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/** True when a package's build output is missing or older than any of its build inputs. */
function isStale(dir) {
  const dist = join(dir, 'dist');
  const outputs = existsSync(dist) ? readdirSync(dist).filter((f) => f.endsWith('.js')) : [];
  if (outputs.length === 0) return true;
  const built = Math.min(...outputs.map((f) => statSync(join(dist, f)).mtimeMs));
  const inputs = Math.max(newestMtime(join(dir, 'src')), newestMtime(join(dir, 'package.json')), newestMtime(join(dir, 'tsup.config.ts')));
  return inputs > built;
}

function runFromSource(args) {
  const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;
  const result = spawnSync(
    process.execPath,
    ['--conditions=@algo-trading/source', '--import', tsx, join(cliDir, 'src/cli.ts'), ...args],
    { cwd: process.cwd(), stdio: 'inherit' },
  );
  process.exit(result.status ?? 1);
}

/**
 * Runs `fn` while holding the build lock: launchers started together (test files that each make
 * sure the CLI is built) build once, one after the other, instead of rewriting the same dist
 * folders at the same time. A lock older than 15 minutes is left from a killed build: taken over.
 */
function withBuildLock(fn) {
  const lock = join(root, 'node_modules/.cache/algo-trading-cli-build.lock');
  mkdirSync(dirname(lock), { recursive: true });
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    try {
      if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
    } catch {
      // Released meanwhile: try again.
    }
    Atomics.wait(pause, 0, 0, 250);
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (buildClosure().some(isStale)) {
  const failure = withBuildLock(() => {
    // Another launcher may have built it while this one waited.
    const stale = buildClosure().filter(isStale);
    if (stale.length === 0) return undefined;
    const start = Date.now();
    process.stderr.write(`algo-trading: building the CLI (${stale.length} package(s) changed or not built yet; Nx reuses cached builds)...\n`);
    const build = spawnSync(join(root, 'node_modules/.bin/nx'), ['run', '@algo-trading/cli:build', '--outputStyle=static'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    });
    if (build.status !== 0 || !existsSync(entry)) return `${build.stdout ?? ''}${build.stderr ?? ''}${build.error?.message ?? ''}\n`;
    process.stderr.write(`algo-trading: built in ${((Date.now() - start) / 1000).toFixed(1)} s\n`);
    return undefined;
  });
  if (failure !== undefined) {
    process.stderr.write(failure);
    process.stderr.write('algo-trading: the build failed (log above); running the CLI from its TypeScript sources instead\n');
    runFromSource(args);
  }
}
await import(pathToFileURL(entry).href);
