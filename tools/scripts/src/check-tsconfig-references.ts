/**
 * Checks the TypeScript project references against package.json, so that `tsc -b` (the
 * type-check of `pnpm verify`) stays complete and in dependency order:
 * - a project with a `src/` folder has `tsconfig.json` (its sources) referencing the projects of
 *   its workspace `dependencies`, and, when it has tests, `tsconfig.test.json` referencing
 *   `./tsconfig.json` and the projects of its workspace `dependencies` and `devDependencies`;
 * - the root `tsconfig.json` references every project's outermost config.
 * Run: `tsx tools/scripts/src/check-tsconfig-references.ts [root]` (part of `pnpm verify`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { listProjects, type WorkspaceProject } from './workspace';

/** A tsconfig file's `references`, as paths relative to the workspace root. */
function referencesOf(root: string, configPath: string): string[] {
  const config = JSON.parse(readFileSync(join(root, configPath), 'utf8')) as { references?: { path: string }[] };
  const dir = join(root, configPath, '..');
  return (config.references ?? []).map((r) => {
    const target = resolve(dir, r.path);
    return relative(root, target.endsWith('.json') ? target : join(target, 'tsconfig.json'));
  });
}

/** One problem with the references of a project. */
export interface ReferenceProblem {
  readonly file: string;
  readonly message: string;
}

/** Checks every project of the workspace at `root`; returns the problems (none when in sync). */
export function checkTsconfigReferences(root: string): ReferenceProblem[] {
  const projects = listProjects(root).filter((p) => existsSync(join(root, p.dir, 'tsconfig.json')));
  const byName = new Map(projects.map((p) => [p.name, p]));
  const problems: ReferenceProblem[] = [];
  const expectSame = (file: string, actual: string[], expected: string[]) => {
    const missing = expected.filter((e) => !actual.includes(e));
    const extra = actual.filter((a) => !expected.includes(a));
    if (missing.length > 0) problems.push({ file, message: `missing references: ${missing.join(', ')}` });
    if (extra.length > 0) problems.push({ file, message: `references no dependency: ${extra.join(', ')}` });
  };
  const configOf = (p: WorkspaceProject) => join(p.dir, 'tsconfig.json');
  const rootRefs = existsSync(join(root, 'tsconfig.json')) ? referencesOf(root, 'tsconfig.json') : [];
  for (const project of projects) {
    const workspaceDeps = (names: readonly string[]) => names.filter((n) => byName.has(n)).map((n) => configOf(byName.get(n)!));
    const main = configOf(project);
    const test = join(project.dir, 'tsconfig.test.json');
    const hasTestConfig = existsSync(join(root, test));
    expectSame(main, referencesOf(root, main).filter((r) => !r.startsWith('tools/config')), hasTestConfig ? workspaceDeps(project.dependencies) : workspaceDeps([...project.dependencies, ...project.devDependencies]));
    if (hasTestConfig) {
      const expected = [main, ...workspaceDeps([...project.dependencies, ...project.devDependencies])];
      expectSame(test, referencesOf(root, test).filter((r) => !r.startsWith('tools/config')), expected);
    }
    const outermost = hasTestConfig ? test : main;
    if (!rootRefs.includes(outermost)) problems.push({ file: 'tsconfig.json', message: `does not reference ${outermost}` });
  }
  return problems;
}

// Command-line use.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = process.argv[2] ?? process.cwd();
  const problems = checkTsconfigReferences(root);
  for (const p of problems) console.error(`${p.file}: ${p.message}`);
  if (problems.length > 0) {
    console.error(`tsconfig references: ${problems.length} problem(s); every project references its workspace dependencies (docs/architecture.md, section 7)`);
    process.exit(1);
  }
  console.log('tsconfig references: in sync with package.json');
}
