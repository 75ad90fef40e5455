import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One workspace project as the checks see it. */
export interface WorkspaceProject {
  readonly name: string;
  /** Folder relative to the workspace root, e.g. `packages/core`. */
  readonly dir: string;
  readonly private: boolean;
  readonly tags: readonly string[];
  readonly dependencies: readonly string[];
  readonly devDependencies: readonly string[];
  /** The subpaths of its exports map (`.`, `./constants`, `./package.json`); empty without one. */
  readonly exports: readonly string[];
}

const PROJECT_GROUPS = ['packages', 'apps', 'tools'];

/** Lists the workspace projects (`packages/*`, `apps/*`, `tools/*` with a package.json). */
export function listProjects(root: string): WorkspaceProject[] {
  const projects: WorkspaceProject[] = [];
  for (const group of PROJECT_GROUPS) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of readdirSync(groupDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const manifestPath = join(groupDir, entry.name, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
        name?: string;
        private?: boolean;
        nx?: { tags?: string[] };
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
        exports?: unknown;
      };
      projects.push({
        name: manifest.name ?? entry.name,
        dir: relative(root, join(groupDir, entry.name)),
        private: manifest.private === true,
        tags: manifest.nx?.tags ?? [],
        dependencies: Object.keys(manifest.dependencies ?? {}),
        devDependencies: Object.keys(manifest.devDependencies ?? {}),
        exports: typeof manifest.exports === 'object' && manifest.exports !== null ? Object.keys(manifest.exports).filter((key) => key.startsWith('.')) : [],
      });
    }
  }
  return projects.sort((a, b) => a.dir.localeCompare(b.dir));
}
