import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBoundaries, type BoundaryRules } from '../src/check-boundaries';

const rules: BoundaryRules = {
  'scope:core': [],
  'scope:sizing': ['scope:core'],
  'scope:app': ['*'],
};

let fixture: string | undefined;
afterEach(() => {
  if (fixture !== undefined) rmSync(fixture, { recursive: true, force: true });
  fixture = undefined;
});

interface FixtureProject {
  scope: string;
  dependencies?: string[];
  devDependencies?: string[];
  /** Subpaths of the exports map (`./constants`); none by default. */
  exports?: string[];
  files: Record<string, string>;
}

/** Writes a throw-away workspace with the given projects under packages/. */
function makeWorkspace(projects: Record<string, FixtureProject>): string {
  fixture = mkdtempSync(join(tmpdir(), 'boundaries-'));
  for (const [name, project] of Object.entries(projects)) {
    const dir = join(fixture, 'packages', name);
    mkdirSync(dir, { recursive: true });
    const deps = (list: string[] = []) => Object.fromEntries(list.map((d) => [d, 'workspace:^']));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: `@algo-trading/${name}`,
        nx: { tags: [project.scope] },
        dependencies: deps(project.dependencies),
        devDependencies: deps(project.devDependencies),
        ...(project.exports === undefined ? {} : { exports: Object.fromEntries(['.', ...project.exports].map((key) => [key, `${key}.js`])) }),
      }),
    );
    for (const [file, text] of Object.entries(project.files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
  }
  return fixture;
}

const sizingOk: FixtureProject = {
  scope: 'scope:sizing',
  dependencies: ['@algo-trading/core'],
  files: { 'src/index.ts': "import { Decimal } from '@algo-trading/core';\nexport const d = Decimal;\n" },
};

describe('checkBoundaries', () => {
  it('accepts imports along the dependency direction', () => {
    const root = makeWorkspace({
      core: { scope: 'scope:core', files: { 'src/index.ts': 'export const x = 1;\n' } },
      sizing: sizingOk,
    });
    expect(checkBoundaries({ root, rules })).toEqual([]);
  });

  it('fails on a deliberately wrong import (core importing sizing), naming file and line', () => {
    const root = makeWorkspace({
      core: {
        scope: 'scope:core',
        files: { 'src/index.ts': "export const x = 1;\nimport { d } from '@algo-trading/sizing';\nexport { d };\n" },
      },
      sizing: sizingOk,
    });
    const violations = checkBoundaries({ root, rules });
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ file: join('packages', 'core', 'src', 'index.ts'), line: 2 });
    expect(violations[0]!.message).toContain('may not import @algo-trading/sizing');
  });

  it('catches dynamic imports, require and export-from as well', () => {
    const root = makeWorkspace({
      core: {
        scope: 'scope:core',
        files: {
          'src/a.ts': "export const m = () => import('@algo-trading/sizing');\n",
          'src/b.cjs': "module.exports = require('@algo-trading/sizing');\n",
          'src/c.ts': "export { d } from '@algo-trading/sizing';\n",
        },
      },
      sizing: sizingOk,
    });
    expect(checkBoundaries({ root, rules })).toHaveLength(3);
  });

  it('rejects a wrong production dependency in package.json and the cycle it makes', () => {
    const root = makeWorkspace({
      core: { scope: 'scope:core', dependencies: ['@algo-trading/sizing'], files: {} },
      sizing: sizingOk,
    });
    const messages = checkBoundaries({ root, rules }).map((v) => v.message);
    expect(messages.some((m) => m.includes('may not depend on @algo-trading/sizing'))).toBe(true);
    expect(messages.some((m) => m.includes('dependency cycle'))).toBe(true);
  });

  it('lets tests use devDependencies but not ones that create a cycle', () => {
    const root = makeWorkspace({
      core: {
        scope: 'scope:core',
        devDependencies: ['@algo-trading/sizing'],
        files: { 'src/x.test.ts': "import '@algo-trading/sizing';\n" },
      },
      sizing: sizingOk,
      app: {
        scope: 'scope:app',
        devDependencies: ['@algo-trading/sizing'],
        files: { 'test/run.test.ts': "import '@algo-trading/sizing';\n" },
      },
    });
    const violations = checkBoundaries({ root, rules });
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain('a cycle');
  });

  it('rejects undeclared imports, deep imports and relative paths into another project', () => {
    const root = makeWorkspace({
      core: { scope: 'scope:core', files: { 'src/index.ts': 'export const x = 1;\n' } },
      sizing: {
        scope: 'scope:sizing',
        files: {
          'src/a.ts': "import '@algo-trading/core';\n",
          'src/b.ts': "import '../../core/src/index';\n",
        },
      },
      app: {
        scope: 'scope:app',
        dependencies: ['@algo-trading/core'],
        files: { 'src/c.ts': "import '@algo-trading/core/src/index';\n" },
      },
    });
    const messages = checkBoundaries({ root, rules }).map((v) => v.message);
    expect(messages).toHaveLength(3);
    expect(messages.join('\n')).toMatch(/without declaring it/);
    expect(messages.join('\n')).toMatch(/leaves packages\/sizing/);
    expect(messages.join('\n')).toMatch(/deep import/);
  });

  it('accepts a subpath the exports map declares and rejects one it does not', () => {
    const root = makeWorkspace({
      core: { scope: 'scope:core', exports: ['./constants'], files: { 'src/index.ts': 'export const x = 1;\n' } },
      app: {
        scope: 'scope:app',
        dependencies: ['@algo-trading/core'],
        files: {
          'src/a.ts': "import '@algo-trading/core/constants';\n",
          'src/b.ts': "import '@algo-trading/core/other';\n",
        },
      },
    });
    const violations = checkBoundaries({ root, rules });
    expect(violations.map((v) => v.file)).toEqual([join('packages', 'app', 'src', 'b.ts')]);
    expect(violations[0]!.message).toMatch(/deep import/);
    expect(violations[0]!.message).toContain('core/other');
  });

  it('passes on this repository', () => {
    const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');
    expect(checkBoundaries({ root: repoRoot })).toEqual([]);
  });
});
