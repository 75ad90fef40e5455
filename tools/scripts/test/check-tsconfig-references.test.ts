import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkTsconfigReferences } from '../src/check-tsconfig-references';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

let fixture: string | undefined;
afterEach(() => {
  if (fixture !== undefined) rmSync(fixture, { recursive: true, force: true });
  fixture = undefined;
});

function write(path: string, value: unknown): void {
  writeFileSync(join(fixture!, path), `${JSON.stringify(value, null, 2)}\n`);
}

/** A workspace of two packages: b depends on a (and on c for its tests). */
function makeWorkspace(): string {
  fixture = mkdtempSync(join(tmpdir(), 'tsrefs-'));
  for (const name of ['a', 'b', 'c']) mkdirSync(join(fixture, 'packages', name), { recursive: true });
  write('packages/a/package.json', { name: '@algo-trading/a' });
  write('packages/c/package.json', { name: '@algo-trading/c' });
  write('packages/b/package.json', { name: '@algo-trading/b', dependencies: { '@algo-trading/a': 'workspace:^' }, devDependencies: { '@algo-trading/c': 'workspace:^' } });
  for (const name of ['a', 'c']) write(`packages/${name}/tsconfig.json`, {});
  write('packages/b/tsconfig.json', { references: [{ path: '../a' }] });
  write('packages/b/tsconfig.test.json', { references: [{ path: './tsconfig.json' }, { path: '../../tools/config' }, { path: '../a' }, { path: '../c' }] });
  write('tsconfig.json', { files: [], references: [{ path: 'packages/a' }, { path: 'packages/b/tsconfig.test.json' }, { path: 'packages/c' }] });
  return fixture;
}

describe('checkTsconfigReferences', () => {
  it('accepts references in sync with package.json', () => {
    expect(checkTsconfigReferences(makeWorkspace())).toEqual([]);
  });

  it('names a missing reference, a stray one, and a project the root does not build', () => {
    const root = makeWorkspace();
    write('packages/b/tsconfig.json', { references: [{ path: '../c' }] });
    write('tsconfig.json', { files: [], references: [{ path: 'packages/a' }, { path: 'packages/b/tsconfig.test.json' }] });
    expect(checkTsconfigReferences(root)).toEqual([
      { file: 'packages/b/tsconfig.json', message: 'missing references: packages/a/tsconfig.json' },
      { file: 'packages/b/tsconfig.json', message: 'references no dependency: packages/c/tsconfig.json' },
      { file: 'tsconfig.json', message: 'does not reference packages/c/tsconfig.json' },
    ]);
  });

  it('the repository itself is in sync', () => {
    expect(checkTsconfigReferences(ROOT)).toEqual([]);
  });
});
