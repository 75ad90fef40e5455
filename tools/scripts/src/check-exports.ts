/**
 * Checks that every publishable package's built exports resolve, as a consumer would see them:
 * publint (package.json fields against the files in the packed tarball) and, for libraries with an
 * exports map, are-the-types-wrong (types for node10, node16 CJS/ESM and bundler resolution).
 * Run after `pnpm build`: `tsx tools/scripts/src/check-exports.ts`.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { listProjects } from './workspace';

const run = promisify(execFile);

interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly output: string;
}

async function checkPackage(root: string, dir: string, name: string): Promise<CheckResult> {
  const pkgDir = join(root, dir);
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { exports?: unknown };
  const lines: string[] = [];
  let ok = true;
  if (!existsSync(join(pkgDir, 'dist'))) {
    return { name, ok: false, output: `${dir}/dist is missing: run \`pnpm build\` first` };
  }
  const { messages, pkg } = await publint({ pkgDir, strict: true, pack: 'pnpm' });
  for (const message of messages) {
    lines.push(`publint ${message.type}: ${formatMessage(message, pkg) ?? message.code}`);
    if (message.type !== 'suggestion') ok = false;
  }
  if (manifest.exports !== undefined) {
    const attw = join(root, 'node_modules/.bin/attw');
    // A package without a `require` condition is ESM-only by design (the CLI): judge it as such.
    const profile = JSON.stringify(manifest.exports).includes('"require"') ? 'strict' : 'esm-only';
    try {
      await run(attw, ['--pack', pkgDir, '--format', 'ascii', '--no-color', '--profile', profile], { cwd: root, maxBuffer: 16 << 20 });
    } catch (error) {
      ok = false;
      const e = error as { stdout?: string; stderr?: string; message: string };
      lines.push(`are-the-types-wrong:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
    }
  }
  return { name, ok, output: lines.join('\n') };
}

/** Checks every non-private project; resolves to the number of failing packages. */
export async function checkExports(root: string): Promise<number> {
  const projects = listProjects(root).filter((p) => !p.private);
  const results = await Promise.all(projects.map((p) => checkPackage(root, p.dir, p.name)));
  let failures = 0;
  for (const result of results) {
    console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name}`);
    if (result.output !== '') console.log(result.output.replace(/^/gm, '     '));
    if (!result.ok) failures += 1;
  }
  console.log(`exports check: ${results.length - failures} of ${results.length} packages resolve`);
  return failures;
}

const failures = await checkExports(resolve(process.argv[2] ?? process.cwd()));
process.exitCode = failures === 0 ? 0 : 1;
