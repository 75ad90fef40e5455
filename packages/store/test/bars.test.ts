// @long-running: imports files into DuckDB databases (started first, see tools/config/long-running-first.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BarSeries, isAlgoTradingError } from '@algo-trading/core';
import { parseBarsCsv, readBarsCsv } from '@algo-trading/data';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/index';
import { barsCsv, randomBars, rejection, sameBits, tempDir, writeText } from './helpers';

const open: Store[] = [];
async function newStore(dir = tempDir()): Promise<Store> {
  const store = await openStore({ path: join(dir, 'test.duckdb') });
  open.push(store);
  return store;
}
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

const DAILY = 'Date,Open,High,Low,Close,Volume\n2024-01-02,100,102,99,101,1000\n2024-01-03,101,103,100,102,1200\n2024-01-04,102,104,101,103,1300\n';

describe('round trips', () => {
  it('CSV -> store -> Parquet -> store keeps every Float64 bit, equal to readBarsCsv of the same file', async () => {
    const dir = tempDir();
    const bars = randomBars({ n: 5_000, seed: 3 });
    const csv = writeText(dir, 'SYN.csv', barsCsv(bars));
    const store = await newStore(dir);
    const imported = await store.importBars({ files: csv, timeframe: '1m' });
    expect(imported.inserted).toBe(5_000);
    const fromStore = await store.loadBars({ symbols: 'SYN', timeframe: '1m' });
    const fromReader = await readBarsCsv(csv, { symbol: 'SYN' });
    expect(fromStore.symbol).toBe('SYN');
    expect(fromStore.length).toBe(5_000);
    expect(sameBits(fromStore, fromReader)).toBe(true);
    // The generator's own numbers survive the text round trip too.
    expect(Array.from(fromStore.close)).toEqual(bars.close);

    const parquet = join(dir, 'out', 'bars.parquet');
    const exported = await store.exportParquet({ table: 'bars', path: parquet });
    expect(exported.rows).toBe(5_000);

    const second = await openStore({ path: join(dir, 'second.duckdb') });
    open.push(second);
    const reimported = await second.importBars({ files: parquet });
    expect(reimported.series).toEqual([{ symbol: 'SYN', timeframe: '1m', rows: 5_000, inserted: 5_000, unchanged: 0, conflicting: 0 }]);
    const again = await second.loadBars({ symbols: 'SYN' });
    expect(sameBits(again, fromStore)).toBe(true);
  });

  it('writeBars stores a BarSeries exactly, and re-importing its CSV changes nothing', async () => {
    const dir = tempDir();
    const raw = randomBars({ n: 300, seed: 9, stepMs: 86_400_000 });
    const series = BarSeries.fromColumns(raw, { symbol: 'ABC' });
    const store = await newStore(dir);
    const written = await store.writeBars({ bars: series, source: 'test' });
    expect(written.series).toEqual([{ symbol: 'ABC', timeframe: '1d', rows: 300, inserted: 300, unchanged: 0, conflicting: 0 }]);
    expect(sameBits(await store.loadBars({ symbols: 'ABC' }), series)).toBe(true);
    const csv = writeText(dir, 'ABC.csv', barsCsv(raw));
    const result = await store.importBars({ files: csv });
    expect([result.inserted, result.unchanged, result.conflicting]).toEqual([0, 300, 0]);
  });
});

describe('idempotent imports and conflicts', () => {
  it('re-importing the same rows neither duplicates nor changes them', async () => {
    const dir = tempDir();
    const csv = writeText(dir, 'SPY.csv', DAILY);
    const store = await newStore(dir);
    const first = await store.importBars({ files: csv });
    expect([first.inserted, first.unchanged, first.conflicting, first.series[0]!.timeframe]).toEqual([3, 0, 0, '1d']);
    const before = await store.loadBars({ symbols: 'SPY' });
    const second = await store.importBars({ files: csv });
    expect([second.inserted, second.unchanged, second.conflicting]).toEqual([3 - 3, 3, 0]);
    expect(second.importId).toBe(first.importId + 1);
    const after = await store.loadBars({ symbols: 'SPY' });
    expect(sameBits(before, after)).toBe(true);
    expect(await store.listSymbols()).toEqual([{ symbol: 'SPY', timeframe: '1d', bars: 3, first: Date.UTC(2024, 0, 2), last: Date.UTC(2024, 0, 4) }]);
  });

  it('a conflicting row fails the import by default, naming the bar and both values, and changes nothing', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    await store.importBars({ files: writeText(dir, 'SPY.csv', DAILY) });
    const revised = writeText(dir, 'SPY-revised.csv', 'Date,Open,High,Low,Close,Volume\n2024-01-04,102,104,101,103.5,1300\n2024-01-05,103,105,102,104,1400\n');
    const error = await rejection(store.importBars({ files: revised, symbol: 'SPY' }));
    expect(isAlgoTradingError(error, 'INVALID_DATA')).toBe(true);
    expect(error.message).toContain('1 imported bars differ from stored bars');
    expect(error.message).toContain('SPY 1d 2024-01-04T00:00:00.000Z: close 103 stored, 103.5 in');
    expect(error.message).toContain('SPY-revised.csv');
    const listed = error.details!.conflicts as { stored: { close: number }; incoming: { close: number } }[];
    expect(listed.map((c) => [c.stored.close, c.incoming.close])).toEqual([[103, 103.5]]);
    // Nothing of the failed import, not even its new bar of 2024-01-05.
    expect((await store.loadBars({ symbols: 'SPY' })).length).toBe(3);
  });

  it("onConflict 'keep' keeps the stored bar and reports the conflict; 'replace' overwrites it", async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    await store.importBars({ files: writeText(dir, 'SPY.csv', DAILY) });
    const revised = writeText(dir, 'SPY-revised.csv', 'Date,Open,High,Low,Close,Volume\n2024-01-04,102,104,101,103.5,1300\n2024-01-05,103,105,102,104,1400\n');
    const kept = await store.importBars({ files: revised, symbol: 'SPY', onConflict: 'keep' });
    expect([kept.inserted, kept.unchanged, kept.conflicting]).toEqual([1, 0, 1]);
    expect(kept.conflicts).toEqual([
      {
        symbol: 'SPY',
        timeframe: '1d',
        time: Date.UTC(2024, 0, 4),
        source: revised,
        stored: { open: 102, high: 104, low: 101, close: 103, volume: 1300 },
        incoming: { open: 102, high: 104, low: 101, close: 103.5, volume: 1300 },
      },
    ]);
    expect(Array.from((await store.loadBars({ symbols: 'SPY' })).close)).toEqual([101, 102, 103, 104]);
    const replaced = await store.importBars({ files: revised, symbol: 'SPY', onConflict: 'replace' });
    expect([replaced.inserted, replaced.unchanged, replaced.conflicting]).toEqual([0, 1, 1]);
    expect(Array.from((await store.loadBars({ symbols: 'SPY' })).close)).toEqual([101, 102, 103.5, 104]);
  });

  it('the same bar in two files of one import counts once; different values in two files fail the import', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    const a = writeText(dir, 'a.csv', 'date,open,high,low,close\n2024-01-02,1,2,1,2\n2024-01-03,2,3,2,3\n');
    const b = writeText(dir, 'b.csv', 'date,open,high,low,close\n2024-01-03,2,3,2,3\n2024-01-04,3,4,3,4\n');
    const result = await store.importBars({ files: [a, b], symbol: 'X', timeframe: '1d' });
    expect([result.rowsRead, result.inserted]).toEqual([4, 3]);
    const c = writeText(dir, 'c.csv', 'date,open,high,low,close\n2024-01-05,3,4,3,4\n');
    const d = writeText(dir, 'd.csv', 'date,open,high,low,close\n2024-01-05,3,4,3,3.5\n');
    const error = await rejection(store.importBars({ files: [c, d], symbol: 'X', timeframe: '1d' }));
    expect(error.message).toMatch(/^1 bars appear with different values in several files of this import, e\.g\. X 1d 2024-01-05T00:00:00\.000Z in .*c\.csv and .*d\.csv/);
    expect((await store.loadBars({ symbols: 'X' })).length).toBe(3);
  });
});

describe('a failed import leaves the store as it was', () => {
  it('rolls back every file of the import when one row of the last file is bad', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    await store.importBars({ files: writeText(dir, 'SPY.csv', DAILY) });
    const symbolsBefore = await store.listSymbols();
    const good = writeText(dir, 'QQQ.csv', DAILY);
    const overlapping = writeText(dir, 'SPY-more.csv', 'Date,Open,High,Low,Close,Volume\n2024-01-05,103,105,102,104,1400\n2024-01-08,104,103,102,104,1400\n');
    const error = await rejection(store.importBars({ files: [good, overlapping], symbol: undefined }));
    expect(isAlgoTradingError(error, 'INVALID_DATA')).toBe(true);
    expect(error.message).toBe(`${overlapping}: line 3, column "High": high must be >= max(open, close) = 104, got 103`);
    expect(await store.listSymbols()).toEqual(symbolsBefore);
    const next = await store.importBars({ files: good });
    expect(next.importId).toBe(2); // the failed import left no row in the import log either
  });
});

describe('bad rows are reported with the file, the line and the column', () => {
  const cases: { name: string; csv: string; code: string; message: string }[] = [
    {
      name: 'high below low',
      csv: 'date,open,high,low,close\n2024-01-02,10,11,9,10\n2024-01-03,10,9,9.5,9.5\n',
      code: 'INVALID_DATA',
      message: 'line 3, column "high": high must be >= max(open, close) = 10, got 9',
    },
    {
      name: 'NaN price',
      csv: 'date,open,high,low,close\n2024-01-02,10,11,9,10\n2024-01-03,NaN,11,9,10\n',
      code: 'INVALID_DATA',
      message: 'line 3, column "open": open must be a finite positive price, got NaN',
    },
    {
      name: 'a text cell',
      csv: 'date,open,high,low,close\n2024-01-02,10,11,9,10\n2024-01-03,10,eleven,9,10\n',
      code: 'PARSE_ERROR',
      message: 'line 3, column "high": expected a number, got "eleven"',
    },
    {
      name: 'an empty cell',
      csv: 'date,open,high,low,close\n2024-01-02,10,11,9,10\n2024-01-03,10,,9,10\n',
      code: 'PARSE_ERROR',
      message: 'line 3, column "high": expected a number, got ""',
    },
    {
      name: 'negative volume',
      csv: 'date,open,high,low,close,volume\n2024-01-02,10,11,9,10,5\n2024-01-03,10,11,9,10,-1\n',
      code: 'INVALID_DATA',
      message: 'line 3, column "volume": volume must be a finite non-negative number, got -1',
    },
    {
      name: 'a time that is not ISO 8601',
      csv: 'date,open,high,low,close\n2024-01-02,10,11,9,10\n01/03/2024,10,11,9,10\n',
      code: 'PARSE_ERROR',
      message:
        'line 3, column "date": expected an ISO date (YYYY-MM-DD, optionally THH:MM[:SS[.ffffff]] with Z or +-HH:MM) or an epoch number (seconds, ms, us or ns), got "01/03/2024"',
    },
    {
      name: 'an impossible date',
      csv: 'date,open,high,low,close\n2024-01-02,10,11,9,10\n2023-02-29,10,11,9,10\n',
      code: 'PARSE_ERROR',
      message:
        'line 3, column "date": expected an ISO date (YYYY-MM-DD, optionally THH:MM[:SS[.ffffff]] with Z or +-HH:MM) or an epoch number (seconds, ms, us or ns), got "2023-02-29"',
    },
    {
      name: 'a repeated time',
      csv: 'date,open,high,low,close\n2024-01-02,10,11,9,10\n2024-01-03,10,11,9,10\n2024-01-02,10,11,9,10\n',
      code: 'INVALID_DATA',
      message: 'line 4, column "date": duplicate time 2024-01-02T00:00:00.000Z, already at line 2',
    },
    {
      name: 'a bad row after blank lines (lines count every physical line)',
      csv: 'date,open,high,low,close\n\n2024-01-02,10,11,9,10\n\n\n2024-01-03,10,11,12,10\n',
      code: 'INVALID_DATA',
      message: 'line 6, column "low": low must be <= min(open, close) = 10, got 12',
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = tempDir();
      const store = await newStore(dir);
      const path = writeText(dir, 'XYZ.csv', c.csv);
      const error = await rejection(store.importBars({ files: path, timeframe: '1d' }));
      expect(isAlgoTradingError(error)).toBe(true);
      expect(error.code).toBe(c.code);
      expect(error.message).toBe(`${path}: ${c.message}`);
      expect(await store.listSymbols()).toEqual([]);
    });
  }

  it('names the first bad row and how many fail when several do', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    const path = writeText(dir, 'XYZ.csv', 'date,close\n2024-01-02,10\n2024-01-03,-1\n2024-01-04,0\n');
    const error = await rejection(store.importBars({ files: path, timeframe: '1d' }));
    expect(error.message).toBe(`${path}: line 3, column "close": price must be a finite positive price, got -1 (2 rows of the file fail a rule; this is the first)`);
    expect(error.details!.index).toBe(3);
  });

  it('the same rules as readBarsCsv: a file readBarsCsv rejects, importBars rejects at the same line', async () => {
    const dir = tempDir();
    const bars = randomBars({ n: 2_000, seed: 5 });
    bars.low[1234] = bars.high[1234]! * 1.01;
    const path = writeText(dir, 'SYN.csv', barsCsv(bars));
    const readerError = await rejection(readBarsCsv(path, { symbol: 'SYN' }));
    const store = await newStore(dir);
    const storeError = await rejection(store.importBars({ files: path, timeframe: '1m' }));
    expect(storeError.message).toBe(readerError.message);
    expect(storeError.message).toContain('line 1236');
  });
});

describe('what files hold', () => {
  it('takes the symbol from a symbol column, imports only the asked symbol, and fails for an absent one', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    const path = writeText(dir, 'mixed.csv', 'ticker,date,close\nAAA,2024-01-02,10\nBBB,2024-01-02,20\nAAA,2024-01-03,11\nBBB,2024-01-03,21\n');
    const one = await store.importBars({ files: path, symbol: 'BBB' });
    expect(one.series.map((s) => s.symbol)).toEqual(['BBB']);
    const all = await store.importBars({ files: path });
    expect(all.series.map((s) => [s.symbol, s.timeframe, s.inserted, s.unchanged])).toEqual([
      ['AAA', '1d', 2, 0],
      ['BBB', '1d', 0, 2],
    ]);
    const universe = await store.loadBars({ symbols: ['AAA', 'BBB'] });
    expect(Object.keys(universe)).toEqual(['AAA', 'BBB']);
    expect(Array.from(universe.BBB!.close)).toEqual([20, 21]);
    expect(universe.AAA!.high[0]).toBe(10); // price-only data: open = high = low = close
    const error = await rejection(store.importBars({ files: path, symbol: 'CCC' }));
    expect(isAlgoTradingError(error, 'NOT_FOUND')).toBe(true);
    expect(error.message).toBe(`${path}: symbol "CCC" does not occur in column "ticker"`);
  });

  it('imports a folder of one file per symbol (CSV, gzip CSV and Parquet) with symbols from the file names', async () => {
    const dir = tempDir();
    const folder = join(dir, 'data');
    mkdirSync(folder);
    writeText(folder, 'AAA.csv', DAILY);
    writeFileSync(join(folder, 'BBB.csv.gz'), gzipSync(DAILY));
    writeText(folder, 'README.md', '# not data');
    const store = await newStore(dir);
    await store.importBars({ files: join(folder, 'AAA.csv') });
    await store.exportParquet({ table: 'bars', path: join(dir, 'aaa.parquet') });
    const other = await openStore({ path: join(dir, 'other.duckdb') });
    open.push(other);
    const result = await other.importBars({ files: [folder, join(dir, 'aaa.parquet')] });
    expect(result.files.map((f) => [f.format, f.rows])).toEqual([
      ['csv', 3],
      ['csv', 3],
      ['parquet', 3],
    ]);
    expect((await other.listSymbols()).map((s) => [s.symbol, s.bars])).toEqual([
      ['AAA', 3],
      ['BBB', 3],
    ]);
  });

  it('reads epoch seconds, milliseconds and ISO times with offsets as the data package does', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    const texts = {
      EPS: 'time,close\n1704153600,10\n1704240000,11\n',
      EPM: 'timestamp,price\n1704153600000,10\n1704240000000,11\n',
      OFF: 'datetime,close\n2024-01-02T09:30:00+02:00,10\n2024-01-02T09:31:00+0200,11\n2024-01-02T07:32:00Z,12\n2024-01-02 07:33:00,13\n',
    };
    for (const [symbol, text] of Object.entries(texts)) {
      const path = writeText(dir, `${symbol}.csv`, text);
      await store.importBars({ files: path });
      const fromStore = await store.loadBars({ symbols: symbol });
      expect(sameBits(fromStore, parseBarsCsv(text, { symbol }))).toBe(true);
    }
    expect(Array.from((await store.loadBars({ symbols: 'OFF' })).time)).toEqual([0, 1, 2, 3].map((m) => Date.UTC(2024, 0, 2, 7, 30 + m)));
    expect((await store.listSymbols()).map((s) => s.timeframe)).toEqual(['1d', '1d', '1m']);
  });

  it('joins a date and a time-of-day column, and reads pandas to_csv() output with its unnamed index', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    const split = 'date,time,open,high,low,close\n2024-01-02,09:30,10,11,9,10\n2024-01-02,09:35:00,10,11,9,10.5\n';
    const pandas = ',Open,High,Low,Close,Volume\n2024-01-02,10,11,9,10,100\n2024-01-03,10,11,9,10.5,200\n';
    await store.importBars({ files: [writeText(dir, 'SPLIT.csv', split), writeText(dir, 'PD.csv', pandas)] });
    expect(sameBits(await store.loadBars({ symbols: 'SPLIT' }), parseBarsCsv(split, { symbol: 'SPLIT' }))).toBe(true);
    const pd = await store.loadBars({ symbols: 'PD' });
    expect(Array.from(pd.time)).toEqual([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)]);
    expect((await store.listSymbols()).map((s) => s.timeframe)).toEqual(['1d', '5m']);
  });

  it('takes explicit columns, a delimiter and an epoch unit', async () => {
    const dir = tempDir();
    const store = await openStore({ path: join(dir, 'x.duckdb') });
    open.push(store);
    // Epoch milliseconds this small would be read as seconds by magnitude: timeUnit says otherwise.
    const text = 'when;o;h;l;c;qty\n10000000000;10;11;9;10.5;7\n10000060000;10.5;11;10;10;8\n';
    const path = writeText(dir, 'MAP.txt', text);
    const columns = { time: 'when', open: 'o', high: 'h', low: 'l', close: 'c', volume: 'qty' } as const;
    await store.importBars({ files: path, symbol: 'MAP', delimiter: ';', timeUnit: 'ms', columns });
    const bars = await store.loadBars({ symbols: 'MAP' });
    expect(Array.from(bars.time)).toEqual([1e10, 1e10 + 60_000]);
    expect(sameBits(bars, parseBarsCsv(text, { symbol: 'MAP', delimiter: ';', timeUnit: 'ms', columns }))).toBe(true);
    expect((await store.listSymbols()).map((s) => s.timeframe)).toEqual(['1m']);
  });

  it('adjusts by the adjusted close exactly as readBarsCsv does', async () => {
    const dir = tempDir();
    const text = 'Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,10,12,9,11,5.5,1000\n2024-01-03,11,12.5,10.7,12.1,6.05,900\n2024-01-04,12,12.5,11.3,11.9,5.977,800\n';
    const path = writeText(dir, 'ADJ.csv', text);
    const store = await newStore(dir);
    await store.importBars({ files: path, useAdjusted: true });
    expect(sameBits(await store.loadBars({ symbols: 'ADJ' }), parseBarsCsv(text, { symbol: 'ADJ', useAdjusted: true }))).toBe(true);
  });

  it('infers the timeframe from the median spacing, and asks for it when it cannot', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    const weekly = 'date,close\n2024-01-01,1\n2024-01-08,2\n2024-01-15,3\n2024-01-29,4\n';
    await store.importBars({ files: writeText(dir, 'W.csv', weekly) });
    expect((await store.listSymbols()).map((s) => s.timeframe)).toEqual(['1w']);
    const single = writeText(dir, 'ONE.csv', 'date,close\n2024-01-01,1\n');
    const error = await rejection(store.importBars({ files: single }));
    expect(error.message).toBe(`${single}: cannot infer the timeframe of ONE from a single bar: pass timeframe (e.g. 1d)`);
    const irregular = writeText(dir, 'IRR.csv', 'date,close\n2024-01-01T00:00:00.000Z,1\n2024-01-01T00:00:00.250Z,2\n2024-01-01T00:00:00.500Z,3\n');
    expect((await rejection(store.importBars({ files: irregular }))).message).toContain('median bar spacing is 250 ms');
    await store.importBars({ files: single, timeframe: '1d' });
    expect((await store.listSymbols({ symbol: 'ONE' })).map((s) => s.bars)).toEqual([1]);
  });

  it('accepts rows in any order and loads them sorted', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    await store.importBars({ files: writeText(dir, 'U.csv', 'date,close\n2024-01-04,4\n2024-01-02,2\n2024-01-03,3\n') });
    await store.importBars({ files: writeText(dir, 'U2.csv', 'date,close\n2024-01-01,1\n'), symbol: 'U', timeframe: '1d' });
    const bars = await store.loadBars({ symbols: 'U' });
    expect(Array.from(bars.close)).toEqual([1, 2, 3, 4]);
  });

  it('refuses a binary file, an empty file and a missing path with errors that say so', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    const binary = join(dir, 'image.csv');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2, 3]));
    const binaryError = await rejection(store.importBars({ files: binary }));
    expect(isAlgoTradingError(binaryError, 'UNSUPPORTED')).toBe(true);
    expect(binaryError.message).toBe(`${binary} is a binary file, neither CSV text nor Parquet: import CSV (optionally .gz) or Parquet files`);
    const empty = writeText(dir, 'empty.csv', '');
    expect((await rejection(store.importBars({ files: empty }))).message).toBe(`${empty} is empty: expected a CSV file with a header line, or a Parquet file`);
    const missing = join(dir, 'nope.csv');
    const missingError = await rejection(store.importBars({ files: missing }));
    expect(isAlgoTradingError(missingError, 'NOT_FOUND')).toBe(true);
    const noTime = writeText(dir, 'NT.csv', 'open,high,low,close\n1,2,1,2\n');
    expect((await rejection(store.importBars({ files: noTime }))).message).toBe(
      `${noTime}: the header has no time column: expected one of date, datetime, timestamp, time (or set columns.time) (columns found: "open", "high", "low", "close")`,
    );
  });

  it('validates its options', async () => {
    const store = await newStore();
    const error = await rejection(store.importBars({ files: 'x.csv', timeframe: 'daily' } as never));
    expect(isAlgoTradingError(error, 'INVALID_CONFIG')).toBe(true);
    expect(error.message).toContain('timeframe');
    expect(isAlgoTradingError(await rejection(store.importBars({ files: 'x.csv', onConflict: 'overwrite' } as never)), 'INVALID_CONFIG')).toBe(true);
    expect(isAlgoTradingError(await rejection(store.importBars({ files: 'x.csv', symbl: 'X' } as never)), 'INVALID_CONFIG')).toBe(true);
  });
});

describe('loading', () => {
  it('filters by inclusive from / to, and needs the timeframe when a symbol has several', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    const csv = writeText(dir, 'SPY.csv', DAILY);
    await store.importBars({ files: csv });
    await store.importBars({ files: csv, timeframe: '1h' });
    const error = await rejection(store.loadBars({ symbols: 'SPY' }));
    expect(error.message).toBe('symbol "SPY" is stored at several timeframes (1d, 1h): pass timeframe');
    const bars = await store.loadBars({ symbols: 'SPY', timeframe: '1d', from: '2024-01-03', to: new Date(Date.UTC(2024, 0, 4)) });
    expect(Array.from(bars.time)).toEqual([Date.UTC(2024, 0, 3), Date.UTC(2024, 0, 4)]);
    expect((await store.loadBars({ symbols: 'SPY', timeframe: '1d', from: Date.UTC(2025, 0, 1) })).length).toBe(0);
    const missing = await rejection(store.loadBars({ symbols: ['SPY', 'QQQ'], timeframe: '1d' }));
    expect(isAlgoTradingError(missing, 'NOT_FOUND')).toBe(true);
    expect(missing.message).toBe('symbol "QQQ" is not in the store (stored symbols: SPY)');
    const noTimeframe = await rejection(store.loadBars({ symbols: 'SPY', timeframe: '1w' }));
    expect(noTimeframe.message).toBe('symbol "SPY" has no 1w bars in the store (stored timeframes: 1d, 1h)');
    expect((await rejection(store.loadBars({ symbols: 'SPY', timeframe: '1d', from: '2024-02-01', to: '2024-01-01' }))).message).toMatch(/^from .* must not be after to/);
  });

  it('peeks at the first and last bars of a series with its extent, reading no other bar', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    const raw = randomBars({ n: 50, seed: 4, stepMs: 86_400_000 });
    await store.importBars({ files: writeText(dir, 'ABC.csv', barsCsv(raw)) });
    const { summary, head, tail } = await store.peekBars({ symbol: 'ABC', rows: 3 });
    expect(summary).toEqual({ symbol: 'ABC', timeframe: '1d', bars: 50, first: raw.time[0], last: raw.time[49] });
    expect(Array.from(head.time)).toEqual(raw.time.slice(0, 3));
    expect(Array.from(head.close)).toEqual(raw.close.slice(0, 3));
    expect(Array.from(tail.time)).toEqual(raw.time.slice(47));
    expect(Array.from(tail.volume)).toEqual(raw.volume.slice(47));
    expect(tail.symbol).toBe('ABC');
    // Fewer bars than asked for: every bar at both ends.
    const short = await store.peekBars({ symbol: 'ABC', timeframe: '1d', rows: 1000 });
    expect([short.head.length, short.tail.length]).toEqual([50, 50]);
    expect(isAlgoTradingError(await rejection(store.peekBars({ symbol: 'XYZ' })), 'NOT_FOUND')).toBe(true);
    expect((await rejection(store.peekBars({ symbol: 'ABC', rows: 0 }))).message).toContain('rows');
  });

  it('deletes bars of a symbol', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    await store.importBars({ files: writeText(dir, 'SPY.csv', DAILY) });
    expect(await store.deleteBars({ symbol: 'SPY', timeframe: '1d' })).toBe(3);
    expect(await store.listSymbols()).toEqual([]);
    expect(isAlgoTradingError(await rejection(store.loadBars({ symbols: 'SPY' })), 'NOT_FOUND')).toBe(true);
  });
});

describe('Parquet export', () => {
  it('exports any table, filters bars by symbol, and refuses unknown tables', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    await store.importBars({ files: [writeText(dir, 'SPY.csv', DAILY), writeText(dir, 'QQQ.csv', DAILY)] });
    const spy = await store.exportParquet({ table: 'bars', path: join(dir, 'spy.parquet'), symbols: ['SPY'] });
    expect(spy.rows).toBe(3);
    const imports = await store.exportParquet({ table: 'imports', path: join(dir, 'imports.parquet') });
    expect(imports.rows).toBe(1);
    const error = await rejection(store.exportParquet({ table: 'users; DROP TABLE bars' as never, path: join(dir, 'x.parquet') }));
    expect(isAlgoTradingError(error, 'INVALID_ARGUMENT')).toBe(true);
    const other = await openStore({ path: join(dir, 'other.duckdb') });
    open.push(other);
    await other.importBars({ files: spy.path });
    expect((await other.listSymbols()).map((s) => s.symbol)).toEqual(['SPY']);
  });
});

describe('Parquet files from other tools', () => {
  it('reads nanosecond, millisecond, zoned and date times, epoch numbers, float32 and decimal prices', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`SET TimeZone = 'UTC'`);
    const write = async (name: string, select: string) => {
      const path = join(dir, `${name}.parquet`);
      await connection.run(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
      return path;
    };
    const files = [
      await write('NS', `SELECT '2024-01-02 09:30:00.123456'::TIMESTAMP_NS AS "Date", 10.5::DOUBLE AS open, 11.25::FLOAT AS high, 10::INTEGER AS low, 11.0::DECIMAL(10, 2) AS close, 100::BIGINT AS volume`),
      await write('TZ', `SELECT '2024-01-02 11:30:00+02'::TIMESTAMPTZ AS datetime, 10.5 AS close`),
      await write('DT', `SELECT '2024-01-02'::DATE AS date, 10.5 AS price`),
      await write('EP', `SELECT 1704187800000::BIGINT AS timestamp, 10.5 AS close`),
    ];
    connection.closeSync();
    instance.closeSync();
    await store.importBars({ files, timeframe: '1d' });
    const loaded = await store.loadBars({ symbols: ['NS', 'TZ', 'DT', 'EP'] });
    expect(loaded.NS!.time[0]).toBe(Date.UTC(2024, 0, 2, 9, 30) + 123.456);
    expect([loaded.NS!.open[0], loaded.NS!.high[0], loaded.NS!.low[0], loaded.NS!.close[0], loaded.NS!.volume[0]]).toEqual([10.5, 11.25, 10, 11, 100]);
    expect(loaded.TZ!.time[0]).toBe(Date.UTC(2024, 0, 2, 9, 30));
    expect(loaded.DT!.time[0]).toBe(Date.UTC(2024, 0, 2));
    expect(loaded.EP!.time[0]).toBe(Date.UTC(2024, 0, 2, 9, 30));
  });

  it('names the Parquet row of a bad bar, and a NULL price', async () => {
    const dir = tempDir();
    const store = await newStore(dir);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const bad = join(dir, 'BAD.parquet');
    const nulls = join(dir, 'NUL.parquet');
    await connection.run(`COPY (SELECT * FROM (VALUES ('2024-01-02'::DATE, 10.0, 11.0, 9.0, 10.0), ('2024-01-03'::DATE, 10.0, 11.0, 9.0, 12.0)) t(date, open, high, low, close)) TO '${bad}' (FORMAT parquet)`);
    await connection.run(`COPY (SELECT * FROM (VALUES ('2024-01-02'::DATE, 10.0), ('2024-01-03'::DATE, NULL)) t(date, close)) TO '${nulls}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    const error = await rejection(store.importBars({ files: bad, timeframe: '1d' }));
    expect(error.message).toBe(`${bad}: row 2, column "high": high must be >= max(open, close) = 12, got 11`);
    const nullError = await rejection(store.importBars({ files: nulls, timeframe: '1d' }));
    expect(isAlgoTradingError(nullError, 'INVALID_DATA')).toBe(true);
    expect(nullError.message).toBe(`${nulls}: row 2, column "close": expected a number, got null`);
  });
});

describe('uniqueness of (symbol, timeframe, time)', () => {
  it('holds after many overlapping imports, and a repeated time is caught even when the bar is already stored', async () => {
    const dir = tempDir();
    const path = join(dir, 'u.duckdb');
    const store = await openStore({ path });
    const bars = randomBars({ n: 3_000, seed: 21, stepMs: 60_000 });
    const all = writeText(dir, 'SYN.csv', barsCsv(bars));
    const part = (from: number, to: number, name: string) =>
      writeText(dir, name, barsCsv({ time: bars.time.slice(from, to), open: bars.open.slice(from, to), high: bars.high.slice(from, to), low: bars.low.slice(from, to), close: bars.close.slice(from, to), volume: bars.volume.slice(from, to) }));
    await store.importBars({ files: part(1_000, 2_000, 'SYN-b.csv'), symbol: 'SYN' });
    await store.importBars({ files: [part(0, 1_500, 'SYN-a.csv'), part(1_200, 3_000, 'SYN-c.csv')], symbol: 'SYN' });
    const again = await store.importBars({ files: all });
    expect([again.inserted, again.unchanged]).toEqual([0, 3_000]);
    const repeated = writeText(dir, 'SYN-rep.csv', `date,open,high,low,close,volume\n${barsCsv(bars).split('\n').slice(5, 7).join('\n')}\n${barsCsv(bars).split('\n')[5]}\n`);
    const error = await rejection(store.importBars({ files: repeated, symbol: 'SYN' }));
    expect(error.message).toBe(`${repeated}: line 4, column "date": duplicate time ${new Date(bars.time[4]!).toISOString()}, already at line 2`);
    const loaded = await store.loadBars({ symbols: 'SYN' });
    expect(Array.from(loaded.close)).toEqual(bars.close);
    await store.close();
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    const [[rows, keys]] = (await connection.runAndReadAll('SELECT count(*), count(DISTINCT (series_id, time)) FROM bar_data')).getRowsJS() as [[bigint, bigint]];
    expect([rows, keys]).toEqual([3_000n, 3_000n]);
    connection.closeSync();
    instance.closeSync();
  }, 120_000); // many overlapping imports into a real database file: slow on a loaded machine
});
