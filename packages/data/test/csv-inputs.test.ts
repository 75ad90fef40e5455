import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_NAMES, describeNonCsv, loadSampleBars, parseBarsCsv, parseSampleSpec, readBarsCsv, readBarsFolder, symbolFromFileName } from '../src/index';
import { catchError, catchErrorAsync, utc } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'data-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A bar as pandas holds it: a time index and OHLCV floats. */
interface PandasRow {
  readonly index: Date;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * Writes what `DataFrame.to_csv()` writes for a frame indexed by time (checked against pandas 1.5):
 * the index first with an empty header cell (or `index_label`), dates as `YYYY-MM-DD` when every
 * time is midnight, else `YYYY-MM-DD HH:MM:SS` plus the zone offset of a tz-aware index, floats in
 * their shortest round-trip form with a `.0` for whole numbers, integers as integers.
 */
function writePandasCsv(path: string, rows: readonly PandasRow[], options: { tzOffsetMinutes?: number; indexLabel?: string } = {}): void {
  const allMidnight = options.tzOffsetMinutes === undefined && rows.every((r) => r.index.getTime() % 86_400_000 === 0);
  const float = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v));
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = (d: Date): string => {
    if (allMidnight) return d.toISOString().slice(0, 10);
    const offset = options.tzOffsetMinutes;
    const local = new Date(d.getTime() + (offset ?? 0) * 60_000);
    const text = local.toISOString().slice(0, 19).replace('T', ' ');
    if (offset === undefined) return text;
    const sign = offset < 0 ? '-' : '+';
    return `${text}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  };
  const lines = [`${options.indexLabel ?? ''},open,high,low,close,volume`];
  for (const r of rows) lines.push(`${time(r.index)},${float(r.open)},${float(r.high)},${float(r.low)},${float(r.close)},${r.volume}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('pandas to_csv() output', () => {
  const rows: PandasRow[] = [
    { index: new Date(utc(2020, 1, 2)), open: 1.1, high: 1.5, low: 1, close: 1.2, volume: 100 },
    { index: new Date(utc(2020, 1, 3)), open: 2.2, high: 2.5, low: 2, close: 2.3, volume: 200 },
    { index: new Date(utc(2020, 1, 6)), open: 3.3, high: 3.5, low: 3, close: 3.4, volume: 300 },
  ];

  it('reads the unnamed index column as the time (daily index)', async () => {
    const path = join(dir, 'pandas-daily.csv');
    writePandasCsv(path, rows);
    const bars = await readBarsCsv(path);
    expect([...bars.time]).toEqual([utc(2020, 1, 2), utc(2020, 1, 3), utc(2020, 1, 6)]);
    expect([...bars.open]).toEqual([1.1, 2.2, 3.3]);
    expect([...bars.low]).toEqual([1, 2, 3]);
    expect([...bars.volume]).toEqual([100, 200, 300]);
  });

  it('reads a tz-aware intraday index at its offset (09:30 at -05:00 is 14:30 UTC)', async () => {
    const path = join(dir, 'pandas-intraday.csv');
    const intraday = rows.map((r, i) => ({ ...r, index: new Date(utc(2020, 1, 2, 14, 30 + i)) }));
    writePandasCsv(path, intraday, { tzOffsetMinutes: -300 });
    const bars = await readBarsCsv(path);
    expect([...bars.time]).toEqual([utc(2020, 1, 2, 14, 30), utc(2020, 1, 2, 14, 31), utc(2020, 1, 2, 14, 32)]);
  });

  it('a named index (index_label="Date") is found by its name; a named time column wins over an unnamed index', () => {
    const path = join(dir, 'pandas-named.csv');
    writePandasCsv(path, rows, { indexLabel: 'Date' });
    expect(parseBarsCsv(',date,close\n0,2020-01-02,5\n1,2020-01-03,6\n').time[1]).toBe(utc(2020, 1, 3));
    return expect(readBarsCsv(path).then((b) => b.close[2])).resolves.toBe(3.4);
  });

  it('an unnamed first column that is not a time is reported as a time cell', () => {
    const error = catchError(() => parseBarsCsv(',close\n0,5\n1,6\n'), 'PARSE_ERROR');
    expect(error.message).toMatch(/^line 2, column "": expected a date or an epoch with a stated unit: .*, got "0"$/);
  });
});

describe('Date and Adj Close files', () => {
  it('adjusts open, high, low and close by Adj Close / Close on request', async () => {
    const path = join(dir, 'yahoo.csv');
    writeFileSync(
      path,
      ['Date,Open,High,Low,Close,Adj Close,Volume', '2024-01-02,100,110,90,104,52,1000', '2024-01-03,104,108,100,100,25,2000'].join('\n'),
    );
    const raw = await readBarsCsv(path);
    expect([raw.close[0], raw.close[1]]).toEqual([104, 100]);
    const adjusted = await readBarsCsv(path, { useAdjusted: true });
    // Factors 52 / 104 = 0.5 and 25 / 100 = 0.25, by hand.
    expect([...adjusted.open]).toEqual([50, 26]);
    expect([...adjusted.high]).toEqual([55, 27]);
    expect([...adjusted.low]).toEqual([45, 25]);
    expect([...adjusted.close]).toEqual([52, 25]);
    expect([...adjusted.volume]).toEqual([1000, 2000]);
  });
});

describe('readBarsFolder', () => {
  const folder = join(dir, 'prices');
  mkdirSync(folder);
  writeFileSync(join(folder, 'MSFT.csv'), 'date,close\n2024-01-02,370\n2024-01-03,372\n2024-01-04,368\n');
  writeFileSync(join(folder, 'AAPL.CSV'), 'Date,Open,High,Low,Close,Volume\n2024-01-03,184,186,183,185,10\n2024-01-05,185,187,184,186,12\n');
  writeFileSync(join(folder, 'notes.txt'), 'not data');
  writeFileSync(join(folder, '.hidden.csv'), 'date,close\nbroken');
  mkdirSync(join(folder, 'sub.csv'));

  it('reads one symbol per file, named after the file, sorted, each with its own calendar', async () => {
    const universe = await readBarsFolder(folder);
    expect([...universe.keys()]).toEqual(['AAPL', 'MSFT']);
    const aapl = universe.get('AAPL')!;
    expect(aapl.symbol).toBe('AAPL');
    expect([...aapl.time]).toEqual([utc(2024, 1, 3), utc(2024, 1, 5)]);
    expect([...universe.get('MSFT')!.close]).toEqual([370, 372, 368]);
  });

  it('match and symbolOf choose the files and their symbols', async () => {
    const universe = await readBarsFolder(folder, { match: /^MSFT/, symbolOf: (name) => `${symbolFromFileName(name)}.O` });
    expect([...universe.keys()]).toEqual(['MSFT.O']);
    expect(symbolFromFileName('brk.b.csv')).toBe('brk.b');
    expect(symbolFromFileName('SPY')).toBe('SPY');
  });

  it('errors: no files, duplicate symbols, a file with another symbol, a bad file (with its path), no folder', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'readme.md'), '#');
    expect((await catchErrorAsync(() => readBarsFolder(empty), 'NOT_FOUND')).message).toBe(`readBarsFolder: no .csv files in ${empty} (files there: "readme.md")`);
    const duplicate = await catchErrorAsync(() => readBarsFolder(folder, { symbolOf: () => 'X' }), 'INVALID_DATA');
    expect(duplicate.message).toBe(`readBarsFolder: AAPL.CSV and MSFT.csv in ${folder} both give the symbol "X"`);

    const odd = join(dir, 'odd');
    mkdirSync(odd);
    writeFileSync(join(odd, 'IBM.csv'), 'symbol,date,close\nHPQ,2024-01-02,1\n');
    expect((await catchErrorAsync(() => readBarsFolder(odd), 'INVALID_DATA')).message).toBe(
      `${join(odd, 'IBM.csv')}: its symbol column holds "HPQ", but the file name gives "IBM"`,
    );
    writeFileSync(join(odd, 'IBM.csv'), 'date,close\n2024-01-02,n/a\n');
    expect((await catchErrorAsync(() => readBarsFolder(odd), 'PARSE_ERROR')).message).toBe(
      `${join(odd, 'IBM.csv')}: line 2, column "close": expected a number, got "n/a"`,
    );
    expect((await catchErrorAsync(() => readBarsFolder(join(dir, 'nowhere')), 'IO_ERROR')).message).toBe(
      `readBarsFolder: cannot list ${join(dir, 'nowhere')}: no such folder`,
    );
    expect((await catchErrorAsync(() => readBarsFolder(folder, { concurrency: 0 }), 'INVALID_CONFIG')).message).toContain('concurrency');
    expect((await catchErrorAsync(() => readBarsFolder(folder, { symbol: 'A' } as never), 'INVALID_CONFIG')).message).toContain('symbol');
  });
});

describe('files that are not CSV text', () => {
  const cases: [string, Uint8Array, string][] = [
    ['gzip', gzipSync('date,close\n2024-01-02,1\n'), 'a gzip archive (starts with 1f 8b): decompress it first'],
    ['xlsx', Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000', 'latin1'), 'a ZIP archive (an Excel .xlsx workbook is one): export the sheet as CSV'],
    ['parquet', Buffer.from('PAR1\u0015\u0004', 'latin1'), 'a Parquet file: convert it to CSV first (for example with DuckDB or pandas)'],
    ['utf16', Buffer.from('\ufeffdate,close', 'utf16le'), 'UTF-16 text: save it as UTF-8'],
    ['nul', Buffer.from('date,close\n2024-01-02,\u00001\n', 'latin1'), 'binary data (a NUL byte at offset 22), not text'],
    ['json', Buffer.from('  [{"date": "2024-01-02", "close": 1}]'), 'JSON: parse it and pass the rows or columns to toBarSeries'],
    ['html', Buffer.from('<!DOCTYPE html><html><body>Too many requests</body></html>'), 'an HTML or XML document (a download that returned an error page?)'],
  ];

  it.each(cases)('%s: UNSUPPORTED saying what the file looks like', async (name, bytes, what) => {
    expect(describeNonCsv(bytes)).toBe(what);
    const path = join(dir, `not-csv-${name}`);
    writeFileSync(path, bytes);
    const error = await catchErrorAsync(() => readBarsCsv(path), 'UNSUPPORTED');
    expect(error.message).toBe(`${path}: the file is not a CSV text file: it looks like ${what}`);
    expect(error.details.path).toBe(path);
  });

  it('CSV text, with or without a BOM, and <DATE>-style headers are not flagged', () => {
    expect(describeNonCsv(Buffer.from('\ufeffdate,close\n'))).toBeUndefined();
    expect(describeNonCsv(Buffer.from('<DATE>,<TIME>,<OPEN>\n'))).toBeUndefined();
    expect(catchError(() => parseBarsCsv('\u0000'), 'UNSUPPORTED').message).toBe('the text is not a CSV text file: it looks like binary data (a NUL byte at offset 0), not text');
  });
});

describe('sample names', () => {
  const listing =
    'the samples are sp500 (the S&P 500 index, daily OHLCV, 2000-01-03 to 2020-04-17, 5,105 bars, symbol SP500), stocks (monthly prices of AAPL, AMZN, GOOG, IBM and MSFT, 2000-01 to 2010-03 (GOOG from 2004-08), price only)';

  it('parseSampleSpec reads sample:NAME and lists the samples for an unknown name', () => {
    expect(parseSampleSpec('sample:sp500')).toBe('sp500');
    expect(parseSampleSpec(' SAMPLE:Stocks ')).toBe('stocks');
    expect(parseSampleSpec('./prices/sample:x.csv')).toBeUndefined();
    expect(parseSampleSpec('SPY.csv')).toBeUndefined();
    const error = catchError(() => parseSampleSpec('sample:nasdaq'), 'INVALID_ARGUMENT');
    expect(error.message).toBe(`data source "sample:nasdaq": unknown sample "nasdaq"; ${listing}`);
    expect(error.details).toMatchObject({ value: 'nasdaq', samples: [...SAMPLE_NAMES] });
  });

  it('loadSampleBars lists the samples for an unknown name', () => {
    expect(catchError(() => loadSampleBars('nasdaq' as never), 'INVALID_ARGUMENT').message).toBe(`loadSampleBars: unknown sample "nasdaq"; ${listing}`);
  });
});
