import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlgoTradingError } from '@algo-trading/core';
import { afterEach, describe, expect, it } from 'vitest';
import { OutputSet, tempPathFor, writeFileAtomic } from './atomic-write';
import { cleanupTempPaths, liveTempPaths, registerTempPath } from './temp-files';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'algo-cli-atomic-'));
}

afterEach(() => {
  cleanupTempPaths();
});

describe('writeFileAtomic', () => {
  it('writes the file, creating folders, and leaves no temporary file', () => {
    const dir = tempDir();
    const target = join(dir, 'a', 'b', 'out.txt');
    writeFileAtomic(target, 'hello');
    expect(readFileSync(target, 'utf8')).toBe('hello');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['out.txt']);
    expect(liveTempPaths()).toEqual([]);
  });

  it('replaces an existing file whole', () => {
    const dir = tempDir();
    const target = join(dir, 'out.txt');
    writeFileSync(target, 'old content that is longer');
    writeFileAtomic(target, 'new');
    expect(readFileSync(target, 'utf8')).toBe('new');
  });

  it('names the path in an IO_ERROR and leaves nothing behind', () => {
    const dir = tempDir();
    const target = join(dir, 'missing-parent-is-a-file', 'out.txt');
    writeFileSync(join(dir, 'missing-parent-is-a-file'), 'x');
    try {
      writeFileAtomic(target, 'x');
      expect.unreachable();
    } catch (error) {
      expect(isAlgoTradingError(error, 'IO_ERROR')).toBe(true);
      expect((error as Error).message).toContain('missing-parent-is-a-file');
    }
    expect(readdirSync(dir)).toEqual(['missing-parent-is-a-file']);
  });

  it('temporary names are hidden siblings of the target', () => {
    const temp = tempPathFor('/x/y/report.html');
    expect(temp).toMatch(/^\/x\/y\/\.report\.html\.\d+\.[0-9a-f]{8}\.tmp$/);
  });
});

describe('OutputSet', () => {
  it('writes nothing until commit, then every file', () => {
    const dir = join(tempDir(), 'run');
    const out = new OutputSet(dir).add('a.txt', 'A').add('b.json', '{}');
    expect(existsSync(dir)).toBe(false);
    expect(out.names()).toEqual(['a.txt', 'b.json']);
    const written = out.commit();
    expect(written).toEqual([join(dir, 'a.txt'), join(dir, 'b.json')]);
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'b.json']);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('A');
  });

  it('rejects names that are not plain file names', () => {
    const out = new OutputSet(tempDir());
    for (const name of ['../x', 'a/b', '', '.hidden']) {
      expect(() => out.add(name, 'x')).toThrow(/plain file name/);
    }
  });

  it('a failed commit leaves no file and removes the folder it created', () => {
    const parent = tempDir();
    // Content that cannot be written makes the second write fail after the first was staged.
    const out = new OutputSet(join(parent, 'run', 'deeper')).add('a.txt', 'A').add('b.txt', 42 as unknown as string);
    expect(() => out.commit()).toThrow(/cannot write .*b\.txt/);
    expect(readdirSync(parent)).toEqual([]);
    expect(liveTempPaths()).toEqual([]);
  });

  it('a commit that fails half way removes its temporary files and touches no target', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'keep.txt'), 'old');
    // A folder in the way of the second file makes its rename fail after the first was staged.
    const out = new OutputSet(dir).add('keep.txt', 'new').add('blocked', 'x');
    const blocked = join(dir, 'blocked');
    mkdirSync(join(blocked, 'inside'), { recursive: true });
    expect(() => out.commit()).toThrow(/cannot write/);
    const names = readdirSync(dir).sort();
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(liveTempPaths()).toEqual([]);
  });
});

describe('cleanupTempPaths', () => {
  it('removes registered files and folders, as the SIGINT handler does', () => {
    const dir = tempDir();
    const file = join(dir, '.x.tmp');
    const folder = join(dir, '.model.tmp');
    writeFileSync(file, 'partial');
    mkdirSync(join(folder, 'deep'), { recursive: true });
    registerTempPath(file);
    registerTempPath(folder);
    expect(cleanupTempPaths()).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
    expect(liveTempPaths()).toEqual([]);
  });
});
