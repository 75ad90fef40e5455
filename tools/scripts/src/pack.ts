import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { WorkspaceProject } from './workspace';

const run = promisify(execFile);

/**
 * How to call pnpm: the running pnpm when this process was started by one (`npm_execpath`), else
 * the version pinned in the root `packageManager` through npx (already cached by the install).
 */
export function pnpmCommand(root: string): { file: string; prefix: string[] } {
  const execPath = process.env['npm_execpath'];
  if (execPath !== undefined && /pnpm/.test(basename(execPath))) {
    return /\.c?js$/.test(execPath) ? { file: process.execPath, prefix: [execPath] } : { file: execPath, prefix: [] };
  }
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { packageManager?: string };
  const version = /^pnpm@([^+]+)/.exec(manifest.packageManager ?? '')?.[1] ?? '10';
  return { file: 'npx', prefix: ['-y', `pnpm@${version}`] };
}

/**
 * Packs `projects` with ONE recursive `pnpm pack` into `destination` (an empty folder) and returns
 * each project's tarball path by package name. One pnpm process for every package instead of one
 * (or two, with are-the-types-wrong's own `npm pack`) per package: the packing was most of the
 * exports check's time. Throws when a project has no `dist` (run `pnpm build` first) or pnpm
 * wrote no tarball for it.
 */
export async function packProjects(root: string, projects: readonly WorkspaceProject[], destination: string): Promise<Map<string, string>> {
  for (const project of projects) {
    if (!existsSync(join(root, project.dir, 'dist'))) throw new Error(`${project.dir}/dist is missing: run \`pnpm build\` first`);
  }
  const pnpm = pnpmCommand(root);
  const filters = projects.flatMap((p) => ['--filter', p.name]);
  await run(pnpm.file, [...pnpm.prefix, '-r', ...filters, 'pack', '--pack-destination', destination], { cwd: root, maxBuffer: 64 << 20 });
  const tarballs = readdirSync(destination).filter((f) => f.endsWith('.tgz'));
  const byName = new Map<string, string>();
  for (const project of projects) {
    // pnpm names a tarball `<scope>-<name>-<version>.tgz` (scope without the @).
    const stem = project.name.replace(/^@/, '').replace('/', '-');
    const version = (JSON.parse(readFileSync(join(root, project.dir, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
    const tarball = tarballs.find((f) => f === `${stem}-${version}.tgz`);
    if (tarball === undefined) throw new Error(`pnpm pack wrote no tarball for ${project.name} (expected ${stem}-${version}.tgz in ${destination})`);
    byName.set(project.name, join(destination, tarball));
  }
  return byName;
}
