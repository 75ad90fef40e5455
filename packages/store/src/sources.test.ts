import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isAlgoTradingError } from '@algo-trading/core';
import { afterEach, describe, expect, it } from 'vitest';
import { csvLineOfRecord, expandSources, symbolFromFileName } from './sources';

const dirs: string[] = [];
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'store-sources-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function thrown(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected an error');
}

describe('symbolFromFileName', () => {
  it('drops data extensions only', () => {
    expect(symbolFromFileName('/a/SPY.csv')).toBe('SPY');
    expect(symbolFromFileName('QQQ.csv.gz')).toBe('QQQ');
    expect(symbolFromFileName('btc.parquet')).toBe('btc');
    expect(symbolFromFileName('BRK.B.csv')).toBe('BRK.B');
    expect(symbolFromFileName('prices')).toBe('prices');
    expect(symbolFromFileName('.csv')).toBe('.csv');
  });
});

describe('expandSources', () => {
  it('lists a folder by name, skips hidden and non-data files, recurses on request, and classifies by content', async () => {
    const d = dir();
    writeFileSync(join(d, 'B.csv'), 'date,close\n');
    writeFileSync(join(d, 'A.csv.gz'), gzipSync('date,close\n'));
    writeFileSync(join(d, 'C.parquet'), Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(8)]));
    writeFileSync(join(d, '.hidden.csv'), 'x');
    writeFileSync(join(d, 'notes.txt'), 'x');
    mkdirSync(join(d, 'sub'));
    writeFileSync(join(d, 'sub', 'D.csv'), 'date,close\n');
    const flat = await expandSources([d], false);
    expect(flat.map((f) => [f.path.slice(d.length + 1), f.format, f.gzip])).toEqual([
      ['A.csv.gz', 'csv', true],
      ['B.csv', 'csv', false],
      ['C.parquet', 'parquet', false],
    ]);
    const deep = await expandSources([d, join(d, 'B.csv')], true);
    expect(deep.map((f) => f.path.slice(d.length + 1))).toEqual(['A.csv.gz', 'B.csv', 'C.parquet', 'sub/D.csv']);
    // A file named anything is read by its content.
    writeFileSync(join(d, 'prices.dat'), Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(8)]));
    expect((await expandSources([join(d, 'prices.dat')], false))[0]!.format).toBe('parquet');
  });

  it('refuses missing paths, empty folders, binary and empty files, and fake Parquet', async () => {
    const d = dir();
    expect(isAlgoTradingError(await thrown(expandSources([join(d, 'missing.csv')], false)), 'NOT_FOUND')).toBe(true);
    mkdirSync(join(d, 'empty'));
    const emptyFolder = await thrown(expandSources([join(d, 'empty')], false));
    expect(emptyFolder.message).toContain('holds no CSV or Parquet files');
    writeFileSync(join(d, 'bin.csv'), Buffer.from([1, 2, 0, 3]));
    expect(isAlgoTradingError(await thrown(expandSources([join(d, 'bin.csv')], false)), 'UNSUPPORTED')).toBe(true);
    writeFileSync(join(d, 'fake.parquet'), 'date,close\n');
    expect((await thrown(expandSources([join(d, 'fake.parquet')], false))).message).toBe(`${join(d, 'fake.parquet')} is named like a Parquet file but is not one (no PAR1 magic bytes)`);
    expect(isAlgoTradingError(await thrown(expandSources([], false)), 'INVALID_ARGUMENT')).toBe(true);
  });
});

describe('csvLineOfRecord', () => {
  const dialect = { quote: '"', skipRows: 0, header: true };
  it('counts physical lines: header, blank lines, CRLF and quoted line breaks', async () => {
    const d = dir();
    const path = join(d, 'x.csv');
    writeFileSync(path, 'h1,h2\r\n\r\na,1\r\n"multi\nline",2\n\n\nb,3');
    const file = { path, format: 'csv', gzip: false } as const;
    expect(await csvLineOfRecord(file, 0, dialect)).toBe(3);
    expect(await csvLineOfRecord(file, 1, dialect)).toBe(4);
    expect(await csvLineOfRecord(file, 2, dialect)).toBe(8);
    expect(await csvLineOfRecord(file, 3, dialect)).toBeUndefined();
    const gz = join(d, 'x.csv.gz');
    writeFileSync(gz, gzipSync('h\n\nv1\nv2\n'));
    expect(await csvLineOfRecord({ path: gz, format: 'csv', gzip: true }, 1, dialect)).toBe(4);
    const skipping = join(d, 'skip.csv');
    writeFileSync(skipping, 'junk line\nh\nv1\n');
    expect(await csvLineOfRecord({ path: skipping, format: 'csv', gzip: false }, 0, { ...dialect, skipRows: 1 })).toBe(3);
  });
});
