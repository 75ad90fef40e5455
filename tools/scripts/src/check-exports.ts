/**
 * Checks that every publishable package's built exports resolve, as a consumer would see them:
 * publint (package.json fields against the files in the packed tarball) and, for libraries with an
 * exports map, are-the-types-wrong's analysis (types for node10, node16 CJS/ESM and bundler resolution).
 * Every package is packed once (one recursive `pnpm pack`) and both tools read that tarball.
 * Run after `pnpm build`: `tsx tools/scripts/src/check-exports.ts`.
 */
import { checkPackage as checkTypes, createPackageFromTarballData } from '@arethetypeswrong/core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { packProjects } from './pack';
import { listProjects } from './workspace';

interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly output: string;
}

/**
 * are-the-types-wrong's analysis of one tarball, in this process (one TypeScript load for every
 * package instead of one CLI process each). Every problem fails, as the CLI's `strict` profile;
 * a package without a `require` condition is ESM-only by design (the CLI) and is judged by the
 * `esm-only` profile: its node10 and node16-from-CJS resolutions are not checked.
 */
async function typesProblems(tarball: Uint8Array, exportsMap: unknown): Promise<string[]> {
  const esmOnly = !JSON.stringify(exportsMap).includes('"require"');
  const ignored: readonly string[] = esmOnly ? ['node10', 'node16-cjs'] : [];
  const analysis = await checkTypes(createPackageFromTarballData(tarball));
  if (!analysis.types) return ['the package has no types'];
  return analysis.problems
    .filter((problem) => !('resolutionKind' in problem && ignored.includes(problem.resolutionKind)))
    .map((problem) => JSON.stringify(problem));
}

async function checkPackage(root: string, dir: string, name: string, tarball: string): Promise<CheckResult> {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { exports?: unknown };
  const lines: string[] = [];
  let ok = true;
  const packed = new Uint8Array(readFileSync(tarball));
  const data = packed.buffer.slice(packed.byteOffset, packed.byteOffset + packed.byteLength);
  const { messages, pkg } = await publint({ strict: true, pack: { tarball: data } });
  for (const message of messages) {
    lines.push(`publint ${message.type}: ${formatMessage(message, pkg) ?? message.code}`);
    if (message.type !== 'suggestion') ok = false;
  }
  if (manifest.exports !== undefined) {
    const problems = await typesProblems(packed, manifest.exports);
    if (problems.length > 0) {
      ok = false;
      lines.push(`are-the-types-wrong:\n${problems.join('\n')}`);
    }
  }
  return { name, ok, output: lines.join('\n') };
}

/** Checks every non-private project; resolves to the number of failing packages. */
export async function checkExports(root: string): Promise<number> {
  const projects = listProjects(root).filter((p) => !p.private);
  const packs = mkdtempSync(join(tmpdir(), 'algo-trading-exports-'));
  let results: CheckResult[];
  try {
    const tarballs = await packProjects(root, projects, packs);
    results = await Promise.all(projects.map((p) => checkPackage(root, p.dir, p.name, tarballs.get(p.name)!)));
  } catch (error) {
    console.log(`exports check: ${(error as Error).message}`);
    return projects.length;
  } finally {
    rmSync(packs, { recursive: true, force: true });
  }
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
