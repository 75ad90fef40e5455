/**
 * Module-boundary check: fails on an import against the dependency direction of
 * docs/architecture.md (section 2). Rules are by Nx project tag (tools/config/boundaries.json), the same model as Nx's
 * `depConstraints`, which has no ESLint plugin release for Nx 24.
 *
 * Checked: production dependencies declared in package.json, every import in `src/` and `test/`
 * (static, dynamic, `require`, `export from`), deep imports into another package, relative paths
 * reaching into another project, and dependency cycles (tests may use devDependencies only when
 * that creates no cycle).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { listProjects, type WorkspaceProject } from './workspace';

/** Allowed production dependency scopes per scope tag; `*` allows any. */
export type BoundaryRules = Readonly<Record<string, readonly string[]>>;

/** One broken rule, located in a file (relative to the root) and a 1-based line. */
export interface BoundaryViolation {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const SOURCE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js)$/;
const TEST_FILE = /\.(?:test|spec|bench)\.[cm]?[jt]sx?$/;
const SCANNED_FOLDERS = ['src', 'test'];

/** Reads the rule table of a workspace. */
export function loadRules(root: string): BoundaryRules {
  const raw = JSON.parse(readFileSync(join(root, 'tools/config/boundaries.json'), 'utf8')) as Record<string, unknown>;
  const rules: Record<string, readonly string[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('scope:') && Array.isArray(value)) rules[key] = value.map(String);
  }
  return rules;
}

function scopeOf(project: WorkspaceProject): string | undefined {
  return project.tags.find((tag) => tag.startsWith('scope:'));
}

/** Package name of an import specifier (`@scope/name/deep` -> `@scope/name`). */
function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function* walk(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** Runs every boundary rule over the workspace at `root`; an empty list means all is well. */
export function checkBoundaries(options: { root: string; rules?: BoundaryRules }): BoundaryViolation[] {
  const root = resolve(options.root);
  const rules = options.rules ?? loadRules(root);
  const projects = listProjects(root);
  const byName = new Map(projects.map((p) => [p.name, p]));
  const violations: BoundaryViolation[] = [];

  const allowed = (from: WorkspaceProject, to: WorkspaceProject): boolean => {
    const fromScope = scopeOf(from);
    const toScope = scopeOf(to);
    const allowList = fromScope === undefined ? undefined : rules[fromScope];
    if (allowList === undefined || toScope === undefined) return false;
    return allowList.includes('*') || allowList.includes(toScope);
  };

  // Projects reachable from `start` through production dependencies (for cycle detection).
  const reachable = (start: WorkspaceProject): Set<string> => {
    const seen = new Set<string>();
    const stack = [...start.dependencies];
    while (stack.length > 0) {
      const name = stack.pop()!;
      const project = byName.get(name);
      if (project === undefined || seen.has(name)) continue;
      seen.add(name);
      stack.push(...project.dependencies);
    }
    return seen;
  };

  for (const project of projects) {
    const manifest = join(project.dir, 'package.json');
    const scope = scopeOf(project);
    if (scope === undefined || rules[scope] === undefined) {
      violations.push({ file: manifest, line: 1, message: `${project.name} has no known "scope:" tag in nx.tags (got ${JSON.stringify(project.tags)})` });
      continue;
    }
    for (const dep of project.dependencies) {
      const target = byName.get(dep);
      if (target !== undefined && !allowed(project, target)) {
        violations.push({ file: manifest, line: 1, message: `${project.name} (${scope}) may not depend on ${dep} (${scopeOf(target) ?? 'no scope'})` });
      }
    }
    if (reachable(project).has(project.name)) {
      violations.push({ file: manifest, line: 1, message: `${project.name} is part of a dependency cycle` });
    }
  }

  for (const project of projects) {
    const projectRoot = join(root, project.dir);
    for (const folder of SCANNED_FOLDERS) {
      for (const file of walk(join(projectRoot, folder))) {
        const rel = relative(root, file);
        const isTest = TEST_FILE.test(file) || rel.split(sep).includes('test');
        const text = readFileSync(file, 'utf8');
        const lineOf = (pos: number) => text.slice(0, pos).split('\n').length;
        for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
          const spec = ref.fileName;
          const line = lineOf(ref.pos);
          if (spec.startsWith('.')) {
            const target = resolve(file, '..', spec);
            if (!target.startsWith(projectRoot + sep) && target !== projectRoot) {
              violations.push({ file: rel, line, message: `relative import "${spec}" leaves ${project.dir}; import the other project by its package name` });
            }
            continue;
          }
          const name = packageNameOf(spec);
          const target = byName.get(name);
          if (target === undefined) {
            if (name.startsWith('@algo-trading/')) violations.push({ file: rel, line, message: `unknown workspace package "${name}"` });
            continue;
          }
          if (target === project) continue;
          // A subpath is allowed when the package's exports map declares it (`@algo-trading/risk/constants`).
          if (spec !== name && spec !== `${name}/package.json` && !target.exports.includes(`.${spec.slice(name.length)}`)) {
            violations.push({ file: rel, line, message: `deep import "${spec}": import from "${name}" (its exports map) instead` });
          }
          if (isTest) {
            if (!project.dependencies.includes(name) && !project.devDependencies.includes(name)) {
              violations.push({ file: rel, line, message: `${project.name} test imports ${name}, which is not in its dependencies or devDependencies` });
            } else if (reachable(target).has(project.name)) {
              violations.push({ file: rel, line, message: `${project.name} test imports ${name}, which depends on ${project.name}: a cycle` });
            }
          } else if (!allowed(project, target)) {
            violations.push({ file: rel, line, message: `${project.name} (${scopeOf(project)}) may not import ${name} (${scopeOf(target) ?? 'no scope'}): against the dependency direction` });
          } else if (!project.dependencies.includes(name)) {
            violations.push({ file: rel, line, message: `${project.name} imports ${name} without declaring it in "dependencies"` });
          }
        }
      }
    }
  }
  return violations;
}

// Command-line use: `tsx tools/scripts/src/check-boundaries.ts [root]`.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = process.argv[2] ?? process.cwd();
  const violations = checkBoundaries({ root });
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.message}`);
  if (violations.length > 0) {
    console.error(`module boundaries: ${violations.length} violation(s)`);
    process.exit(1);
  }
  console.log(`module boundaries: ${listProjects(root).length} projects, no violations`);
}
