import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlgoTradingError } from '@algo-trading/core';
import { afterEach, describe, expect, it } from 'vitest';
import { isUsageError } from '../exit-codes';
import { requestInterrupt, resetInterrupt } from '../interrupt';
import { OutputSet, checkOutputFolder, tempPathFor, writeFileAtomic, writeOutputFolder } from './atomic-write';
import { catchError } from '../../test/helpers';
import { cleanupTempPaths, liveTempPaths, registerTempPath } from './temp-files';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'algo-cli-atomic-'));
}

afterEach(() => {
  cleanupTempPaths();
  resetInterrupt();
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
  it('writes nothing until commit, then every file, with no temporary left', () => {
    const parent = tempDir();
    const dir = join(parent, 'run');
    const out = new OutputSet(dir).add('a.txt', 'A').add('b.json', '{}');
    expect(existsSync(dir)).toBe(false);
    expect(out.names()).toEqual(['a.txt', 'b.json']);
    const written = out.commit();
    expect(written).toEqual([join(dir, 'a.txt'), join(dir, 'b.json')]);
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'b.json']);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('A');
    expect(readdirSync(parent)).toEqual(['run']);
    expect(liveTempPaths()).toEqual([]);
  });

  it('rejects names that are not plain file names', () => {
    const out = new OutputSet(tempDir());
    for (const name of ['../x', 'a/b', '', '.hidden']) {
      expect(() => out.add(name, 'x')).toThrow(/plain file name/);
    }
  });

  it('replaces an earlier run folder as a whole: no file of the old run survives beside the new ones', () => {
    const dir = join(tempDir(), 'run');
    new OutputSet(dir).add('results.json', 'old').add('report.html', 'old report').commit();
    new OutputSet(dir).add('results.json', 'new').commit();
    expect(readdirSync(dir)).toEqual(['results.json']);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe('new');
    expect(readdirSync(join(dir, '..'))).toEqual(['run']);
  });

  it('refuses a folder holding files that are not run outputs, before writing anything', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const error = catchError(() => new OutputSet(dir).add('results.json', '{}').commit());
    expect(isUsageError(error)).toBe(true);
    expect((error as Error).message).toContain(`--out ${dir} holds files that are not outputs of a run (notes.txt)`);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    expect(() => checkOutputFolder(join(dir, 'notes.txt'))).toThrow(/is a file, not a folder/);
    expect(() => checkOutputFolder(join(dir, 'new'))).not.toThrow();
  });

  it('a failed commit leaves the earlier outputs untouched, no temporary, and no folder it created', () => {
    const parent = tempDir();
    const dir = join(parent, 'run');
    new OutputSet(dir).add('results.json', 'earlier').commit();
    // Content that cannot be written makes the second write fail after the first was staged.
    expect(() => new OutputSet(dir).add('results.json', 'A').add('trades.csv', 42 as unknown as string).commit()).toThrow(/cannot write .*trades\.csv/);
    expect(readdirSync(dir)).toEqual(['results.json']);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe('earlier');
    expect(readdirSync(parent)).toEqual(['run']);
    expect(liveTempPaths()).toEqual([]);

    const fresh = join(parent, 'new', 'deeper');
    expect(() => new OutputSet(fresh).add('a.txt', 42 as unknown as string).commit()).toThrow(/cannot write/);
    expect(readdirSync(parent)).toEqual(['run']);
  });

  it('a pending interrupt stops the commit before the swap', () => {
    const dir = join(tempDir(), 'run');
    new OutputSet(dir).add('results.json', 'earlier').commit();
    requestInterrupt('SIGTERM');
    const error = catchError(() => new OutputSet(dir).add('results.json', 'new').commit());
    expect(isAlgoTradingError(error, 'ABORTED')).toBe(true);
    expect((error as Error).message).toBe('interrupted by SIGTERM');
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe('earlier');
    expect(readdirSync(join(dir, '..'))).toEqual(['run']);
  });
});

describe('writeOutputFolder', () => {
  it('streams files from chunks and swaps the folder into place', async () => {
    const dir = join(tempDir(), 'run');
    const chunks = function* () {
      for (let i = 0; i < 3; i++) yield `line ${i}\n`;
    };
    const written = await writeOutputFolder(dir, ['results.json', 'equity.csv'], async (out) => {
      await out.file('results.json', '{}');
      expect(existsSync(dir)).toBe(false); // staged next to it until the end
      await out.stream('equity.csv', chunks());
    });
    expect(written).toEqual([join(dir, 'results.json'), join(dir, 'equity.csv')]);
    expect(readFileSync(join(dir, 'equity.csv'), 'utf8')).toBe('line 0\nline 1\nline 2\n');
    expect(readdirSync(join(dir, '..'))).toEqual(['run']);
    expect(liveTempPaths()).toEqual([]);
  });

  it('a failure half way leaves the earlier run whole, and no temporary folder', async () => {
    const dir = join(tempDir(), 'run');
    new OutputSet(dir).add('results.json', 'earlier').add('equity.csv', 'earlier curve').commit();
    const failing = function* () {
      yield 'time,equity\n';
      throw new Error('rendering failed');
    };
    const error = await writeOutputFolder(dir, ['results.json', 'equity.csv'], async (out) => {
      await out.file('results.json', 'new');
      await out.stream('equity.csv', failing());
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('rendering failed');
    expect(readdirSync(dir).sort()).toEqual(['equity.csv', 'results.json']);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe('earlier');
    expect(readdirSync(join(dir, '..'))).toEqual(['run']);
    expect(liveTempPaths()).toEqual([]);
  });

  it('an interrupt between two files stops the run: nothing new, nothing left', async () => {
    const parent = tempDir();
    const dir = join(parent, 'run');
    const error = await writeOutputFolder(dir, ['results.json', 'report.html'], async (out) => {
      await out.file('results.json', '{}');
      requestInterrupt('SIGINT'); // as the signal handler does
      await out.file('report.html', '<html></html>');
    }).catch((e: unknown) => e);
    expect(isAlgoTradingError(error, 'ABORTED')).toBe(true);
    expect(readdirSync(parent)).toEqual([]);
    expect(liveTempPaths()).toEqual([]);
  });

  it('names an unwritable folder in an IO_ERROR', async () => {
    const parent = tempDir();
    writeFileSync(join(parent, 'file'), 'x');
    const error = await writeOutputFolder(join(parent, 'file', 'run'), ['a.csv'], async (out) => out.file('a.csv', 'x')).catch((e: unknown) => e);
    expect(isAlgoTradingError(error, 'IO_ERROR')).toBe(true);
    expect((error as Error).message).toContain(join(parent, 'file'));
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
