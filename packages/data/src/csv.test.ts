import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBarSeries, type BarSeries } from '@algo-trading/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { catchError, catchErrorAsync, recordingLogger, utc } from '../test/helpers';
import { parseBarsCsv, parseBarsCsvBySymbol, readBarsCsv, readBarsCsvBySymbol } from './csv';

const YAHOO = [
  'Date,Open,High,Low,Close,Adj Close,Volume',
  '2024-01-02,10,12,9,11,5.5,1000',
  '2024-01-03,11,13,10.5,12,6,1500',
].join('\n');

const columns = (s: BarSeries) => ({
  time: [...s.time],
  open: [...s.open],
  high: [...s.high],
  low: [...s.low],
  close: [...s.close],
  volume: [...s.volume],
});

describe('parseBarsCsv: formats', () => {
  it('reads a Yahoo-style OHLCV file', () => {
    const bars = parseBarsCsv(YAHOO);
    expect(isBarSeries(bars)).toBe(true);
    expect(bars.symbol).toBeUndefined();
    expect(columns(bars)).toEqual({
      time: [utc(2024, 1, 2), utc(2024, 1, 3)],
      open: [10, 11],
      high: [12, 13],
      low: [9, 10.5],
      close: [11, 12],
      volume: [1000, 1500],
    });
  });

  it('useAdjusted rescales OHLC by adjclose / close and keeps volume', () => {
    // factor 5.5 / 11 = 0.5 and 6 / 12 = 0.5.
    const bars = parseBarsCsv(YAHOO, { useAdjusted: true });
    expect(columns(bars)).toEqual({
      time: [utc(2024, 1, 2), utc(2024, 1, 3)],
      open: [5, 5.5],
      high: [6, 6.5],
      low: [4.5, 5.25],
      close: [5.5, 6],
      volume: [1000, 1500],
    });
  });

  it('useAdjusted on price-only data uses the adjusted close', () => {
    const bars = parseBarsCsv('date,close,adj_close\n2024-01-02,11,5.5\n', { useAdjusted: true });
    expect([bars.open[0], bars.high[0], bars.low[0], bars.close[0]]).toEqual([5.5, 5.5, 5.5, 5.5]);
  });

  it('price-only files: o = h = l = c = price, volume 0 (or from a volume column)', () => {
    const bars = parseBarsCsv('timestamp,price\n2024-01-02T14:30:00Z,100.5\n2024-01-02T14:31:00Z,100.25\n');
    expect(columns(bars)).toEqual({
      time: [utc(2024, 1, 2, 14, 30), utc(2024, 1, 2, 14, 31)],
      open: [100.5, 100.25],
      high: [100.5, 100.25],
      low: [100.5, 100.25],
      close: [100.5, 100.25],
      volume: [0, 0],
    });
    expect(parseBarsCsv('date,close,volume\n2024-01-02,7,300\n').volume[0]).toBe(300);
  });

  it('reads epoch seconds and milliseconds, guessed per value or forced', () => {
    const seconds = parseBarsCsv('time,price\n1704153600,1\n1704240000,2\n');
    expect([...seconds.time]).toEqual([utc(2024, 1, 2), utc(2024, 1, 3)]);
    const millis = parseBarsCsv('time,price\n1704153600000,1\n1704240000000,2\n');
    expect([...millis.time]).toEqual([utc(2024, 1, 2), utc(2024, 1, 3)]);
    // 86,400,000 would be seconds by magnitude; timeUnit forces milliseconds.
    const forced = parseBarsCsv('time,price\n86400000,1\n172800000,2\n', { timeUnit: 'ms' });
    expect([...forced.time]).toEqual([86_400_000, 172_800_000]);
    expect([...parseBarsCsv('time,price\n100000000,1\n', { timeUnit: 'auto' }).time]).toEqual([100_000_000_000]);
  });

  it('reads YYYYMMDD (and YYYYMMDDHHMMSS) dates instead of epoch seconds in 1970', () => {
    const daily = parseBarsCsv('date,close\n20200102,10\n20200103,11\n20200106,12\n');
    expect([...daily.time]).toEqual([utc(2020, 1, 2), utc(2020, 1, 3), utc(2020, 1, 6)]);
    const intraday = parseBarsCsv('timestamp,close\n20200102093000,10\n20200102093100,11\n');
    expect([...intraday.time]).toEqual([utc(2020, 1, 2, 9, 30), utc(2020, 1, 2, 9, 31)]);
    // The unit stated explicitly: the same digits are epoch seconds.
    expect([...parseBarsCsv('date,close\n20200102,10\n', { timeUnit: 's' }).time]).toEqual([20_200_102_000]);
  });

  it('refuses numbers that would put the data in 1970 unless the unit is given', () => {
    // A year column, a row counter, an impossible YYYYMMDD: each would have been seconds of 1970.
    for (const [csv, value, hint] of [
      ['date,close\n2020,10\n2021,11\n', '2020', 'as epoch seconds it would be 1970-01-01T00:33:40.000Z'],
      ['time,close\n1,10\n2,11\n', '1', 'a number below 100000000 is ambiguous'],
      ['date,close\n20201332,10\n', '20201332', 'an 8-digit number that is not a real YYYYMMDD date'],
      ['time,price\n86400000,1\n', '86400000', "pass timeUnit 's' or 'ms'"],
    ] as const) {
      const error = catchError(() => parseBarsCsv(csv), 'PARSE_ERROR');
      expect(error.message, csv).toMatch(new RegExp(`^line 2, column "(date|time)": expected a date or an epoch with a stated unit: .*, got "${value}"$`));
      expect(error.message, csv).toContain(hint);
      expect(error.details, csv).toMatchObject({ index: 2, value });
    }
    expect([...parseBarsCsv('date,close\n2020,10\n', { timeUnit: 's' }).time]).toEqual([2_020_000]);
    expect([...parseBarsCsv('time,close\n1,10\n2,11\n', { timeUnit: 'ms' }).time]).toEqual([1, 2]);
  });

  it('joins Date and Time columns (intraday exports)', () => {
    const bars = parseBarsCsv('Date,Time,Open,High,Low,Close,Volume\n2024-01-02,09:30,10,11,9,10.5,100\n2024-01-02,09:31:00,10.5,10.6,10.4,10.4,50\n');
    expect([...bars.time]).toEqual([utc(2024, 1, 2, 9, 30), utc(2024, 1, 2, 9, 31)]);
  });

  it('accepts a custom time parser for other formats', () => {
    const dmy = (text: string) => {
      const [d, m, y] = text.split('.').map(Number);
      return Date.UTC(y!, m! - 1, d!);
    };
    const bars = parseBarsCsv('Datum;Schluss\n02.01.2024;10\n03.01.2024;11\n', {
      delimiter: ';',
      parseTime: dmy,
      columns: { time: 'Datum', close: 'Schluss' },
    });
    expect([...bars.time]).toEqual([utc(2024, 1, 2), utc(2024, 1, 3)]);
    expect([...bars.close]).toEqual([10, 11]);
  });

  it('handles a BOM, CRLF, blank lines, quotes, padding and extra columns', () => {
    const text = '\uFEFF"Date", "Close" ,Note\r\n\r\n2024-01-02, 10 ,"a, b"\r\n  \r\n"2024-01-03","11.5",x\r\n';
    const bars = parseBarsCsv(text);
    expect([...bars.close]).toEqual([10, 11.5]);
    expect([...bars.time]).toEqual([utc(2024, 1, 2), utc(2024, 1, 3)]);
  });

  it('reads a file without a header through column positions', () => {
    const bars = parseBarsCsv('2024-01-02,10,12,9,11,5\n2024-01-03,11,13,10,12,6\n', {
      header: false,
      columns: { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 },
    });
    expect(columns(bars).high).toEqual([12, 13]);
    expect(columns(bars).volume).toEqual([5, 6]);
  });

  it('sets the symbol from options', () => {
    expect(parseBarsCsv(YAHOO, { symbol: 'SPY' }).symbol).toBe('SPY');
  });

  it('accepts scientific notation and signs in numbers', () => {
    const bars = parseBarsCsv('date,open,high,low,close,volume\n2024-01-02,+1e2,1.5E2,.5e2,100,2e6\n');
    expect([bars.open[0], bars.high[0], bars.low[0], bars.volume[0]]).toEqual([100, 150, 50, 2_000_000]);
  });
});

describe('parseBarsCsv: symbols', () => {
  const MULTI = 'ticker,date,close\nAAA,2024-01-02,10\nBBB,2024-01-02,20\nAAA,2024-01-03,11\nBBB,2024-01-03,21\n';

  it('refuses several symbols without a choice, naming them', () => {
    const error = catchError(() => parseBarsCsv(MULTI), 'INVALID_DATA');
    expect(error.message).toBe(
      'the data holds 2 symbols (AAA, BBB): use parseBarsCsvBySymbol for one series per symbol, or pass symbol to pick one',
    );
  });

  it('picks one symbol with options.symbol', () => {
    const bbb = parseBarsCsv(MULTI, { symbol: 'BBB' });
    expect(bbb.symbol).toBe('BBB');
    expect([...bbb.close]).toEqual([20, 21]);
    const error = catchError(() => parseBarsCsv(MULTI, { symbol: 'CCC' }), 'NOT_FOUND');
    expect(error.message).toBe('symbol "CCC" does not occur in column "ticker" (symbols found: AAA, BBB)');
  });

  it('a single-symbol file gives its symbol to the series', () => {
    expect(parseBarsCsv('symbol,date,close\nSPY,2024-01-02,1\n').symbol).toBe('SPY');
  });

  it('parseBarsCsvBySymbol returns one validated series per symbol in order of appearance', () => {
    const map = parseBarsCsvBySymbol(MULTI);
    expect([...map.keys()]).toEqual(['AAA', 'BBB']);
    expect(map.get('AAA')!.symbol).toBe('AAA');
    expect([...map.get('AAA')!.close]).toEqual([10, 11]);
    expect([...map.get('BBB')!.time]).toEqual([utc(2024, 1, 2), utc(2024, 1, 3)]);
  });

  it('errors in one symbol name the file line', () => {
    const text = 'symbol,date,close\nAAA,2024-01-02,10\nBBB,2024-01-02,20\nAAA,2024-01-02,11\n';
    const error = catchError(() => parseBarsCsvBySymbol(text), 'INVALID_DATA');
    expect(error.message).toBe('line 4, column "date": duplicate time 2024-01-02T00:00:00.000Z, already at line 2');
    expect(error.details.index).toBe(4);
  });

  it('an empty symbol cell is an error', () => {
    const error = catchError(() => parseBarsCsvBySymbol('symbol,date,close\nAAA,2024-01-02,10\n,2024-01-03,20\n'), 'PARSE_ERROR');
    expect(error.message).toBe('line 3, column "symbol": expected a symbol, got ""');
  });

  it('without a symbol column the map is keyed by options.symbol, which is then required', () => {
    expect([...parseBarsCsvBySymbol('date,close\n2024-01-02,1\n', { symbol: 'X' }).keys()]).toEqual(['X']);
    const error = catchError(() => parseBarsCsvBySymbol('date,close\n2024-01-02,1\n'), 'INVALID_DATA');
    expect(error.message).toContain('the CSV has no symbol column');
  });
});

describe('parseBarsCsv: time order', () => {
  const UNORDERED = 'date,close\n2024-01-03,11\n2024-01-02,10\n2024-01-04,12\n';

  it('rows out of order are an error naming both lines', () => {
    const error = catchError(() => parseBarsCsv(UNORDERED), 'INVALID_DATA');
    expect(error.message).toBe(
      'line 3, column "date": time 2024-01-02T00:00:00.000Z is earlier than line 2 (2024-01-03T00:00:00.000Z); rows must be in time order (pass sortUnordered: true to sort them)',
    );
    expect(error.details).toMatchObject({ field: 'date', index: 3, value: '2024-01-02' });
  });

  it('sortUnordered sorts them and warns through the logger', () => {
    const logger = recordingLogger();
    const bars = parseBarsCsv(UNORDERED, { sortUnordered: true, logger });
    expect([...bars.time]).toEqual([utc(2024, 1, 2), utc(2024, 1, 3), utc(2024, 1, 4)]);
    expect([...bars.close]).toEqual([10, 11, 12]);
    expect(logger.calls).toHaveLength(1);
    expect(logger.calls[0]!.level).toBe('warn');
    expect(logger.calls[0]!.args[1]).toBe('3 rows were not in time order (first at line 3); sorted them because sortUnordered is set');
  });

  it('ordered rows give no warning', () => {
    const logger = recordingLogger();
    parseBarsCsv(YAHOO, { sortUnordered: true, logger });
    expect(logger.calls).toHaveLength(0);
  });

  it('duplicate times are an error even with sortUnordered', () => {
    const text = 'date,close\n2024-01-03,11\n2024-01-02,10\n2024-01-03,12\n';
    const error = catchError(() => parseBarsCsv(text, { sortUnordered: true }), 'INVALID_DATA');
    expect(error.message).toBe('line 4, column "date": duplicate time 2024-01-03T00:00:00.000Z, already at line 2');
  });

  it('after sorting, rule violations still name the original line', () => {
    const text = 'date,open,high,low,close\n2024-01-03,10,11,9,10\n2024-01-02,10,9.5,9,10\n';
    const error = catchError(() => parseBarsCsv(text, { sortUnordered: true }), 'INVALID_DATA');
    expect(error.message).toBe('line 3, column "high": high must be >= max(open, close) = 10, got 9.5');
    expect(error.details).toMatchObject({ field: 'high', index: 3, value: 9.5, bar: 0 });
  });

  it('property: shuffled rows with sortUnordered give the same series as ordered rows', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 50_000 }), { minLength: 1, maxLength: 40 }), fc.integer(), (days, seed) => {
        const ordered = [...days].sort((a, b) => a - b);
        const line = (d: number) => `${new Date(d * 86_400_000).toISOString().slice(0, 10)},${d + 1}`;
        const shuffled = [...days].sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101) || a - b);
        const a = parseBarsCsv(`date,close\n${ordered.map(line).join('\n')}`);
        const b = parseBarsCsv(`date,close\n${shuffled.map(line).join('\n')}`, { sortUnordered: true });
        expect(columns(b)).toEqual(columns(a));
      }),
    );
  });
});

describe('parseBarsCsv: bad rows name the line, the column and the value', () => {
  it('an unreadable number is a PARSE_ERROR at its line (header = line 1, blank lines counted)', () => {
    const text = 'date,open,high,low,close,volume\n2024-01-02,10,12,9,11,100\n\n2024-01-03,11,13,10,n/a,100\n';
    const error = catchError(() => parseBarsCsv(text), 'PARSE_ERROR');
    expect(error.message).toBe('line 4, column "close": expected a number, got "n/a"');
    expect(error.details).toEqual({ field: 'close', index: 4, value: 'n/a' });
  });

  it('empty cells and thousands separators are not numbers', () => {
    expect(catchError(() => parseBarsCsv('date,close,volume\n2024-01-02,10,\n'), 'PARSE_ERROR').message).toBe(
      'line 2, column "volume": expected a number, got ""',
    );
    expect(catchError(() => parseBarsCsv('date,close\n2024-01-02,"1,000"\n'), 'PARSE_ERROR').details.value).toBe('1,000');
    expect(catchError(() => parseBarsCsv('date,close\n2024-01-02,0x10\n'), 'PARSE_ERROR').details.value).toBe('0x10');
  });

  it('an unreadable time is a PARSE_ERROR', () => {
    const error = catchError(() => parseBarsCsv('date,close\n2024-01-02,1\n03/01/2024,2\n'), 'PARSE_ERROR');
    expect(error.message).toMatch(/^line 3, column "date": expected an ISO date .*, got "03\/01\/2024"$/);
    const impossible = catchError(() => parseBarsCsv('date,close\n2021-02-29,1\n'), 'PARSE_ERROR');
    expect(impossible.details.index).toBe(2);
    expect(impossible.message).toBe(
      'line 2, column "date": expected an ISO date (YYYY-MM-DD, optionally THH:MM[:SS[.fff]] with Z or +-HH:MM) that exists: month 01-12, a day the month has, hours 00-23, minutes and seconds 00-59, got "2021-02-29"',
    );
  });

  it('a custom parser that throws or returns garbage is reported at its line', () => {
    const throwing = catchError(
      () =>
        parseBarsCsv('date,close\nx,1\n', {
          parseTime: () => {
            throw new Error('bad day');
          },
        }),
      'PARSE_ERROR',
    );
    expect(throwing.message).toBe('line 2, column "date": parseTime failed (bad day), got "x"');
    expect(catchError(() => parseBarsCsv('date,close\nx,1\n', { parseTime: () => Number.NaN }), 'PARSE_ERROR').message).toBe(
      'line 2, column "date": parseTime returned no finite epoch milliseconds, got "x"',
    );
  });

  it('a Date + Time pair that does not combine', () => {
    const error = catchError(() => parseBarsCsv('Date,Time,Close\n2024-01-02,9.30,1\n'), 'PARSE_ERROR');
    expect(error.message).toContain('line 2, column "Date": expected an ISO date (YYYY-MM-DD) with a time of day HH:MM[:SS] in column "Time"');
  });

  it.each([
    ['open', '0', 'line 2, column "open": open must be a finite positive price, got 0'],
    ['high', '8', 'line 2, column "high": high must be >= max(open, close) = 11, got 8'],
    ['low', '10.5', 'line 2, column "low": low must be <= min(open, close) = 10, got 10.5'],
    ['close', '-11', 'line 2, column "close": close must be a finite positive price, got -11'],
    ['volume', '-1', 'line 2, column "volume": volume must be a finite non-negative number, got -1'],
  ])('core bar rule on %s is reported at the line', (field, value, message) => {
    const row: Record<string, string> = { open: '10', high: '12', low: '9', close: '11', volume: '100' };
    row[field] = value;
    const text = `date,open,high,low,close,volume\n2024-01-02,${row['open']},${row['high']},${row['low']},${row['close']},${row['volume']}\n`;
    const error = catchError(() => parseBarsCsv(text), 'INVALID_DATA');
    expect(error.message).toBe(message);
    expect(error.details).toMatchObject({ field, index: 2, value: Number(value) });
  });

  it('a bad price in a price-only file names the price column', () => {
    const error = catchError(() => parseBarsCsv('date,Price\n2024-01-02,1\n2024-01-03,0\n'), 'INVALID_DATA');
    expect(error.message).toBe('line 3, column "Price": price must be a finite positive price, got 0');
  });

  it('a non-positive adjusted close is reported at its column', () => {
    const error = catchError(() => parseBarsCsv('date,open,high,low,close,adjclose\n2024-01-02,10,12,9,11,-1\n', { useAdjusted: true }), 'INVALID_DATA');
    expect(error.message).toBe('line 2, column "adjclose": expected a finite positive adjusted close, got -1');
    expect(error.details).toEqual({ field: 'adjclose', index: 2, value: -1 });
  });

  it('rule violations after adjusting say so, naming the source column', () => {
    const error = catchError(() => parseBarsCsv('date,open,high,low,close,adjclose\n2024-01-02,10,12,9,13,6.5\n', { useAdjusted: true }), 'INVALID_DATA');
    // factor 0.5: high 6 < close 6.5.
    expect(error.message).toBe('line 2, column "high": high must be >= max(open, close) = 6.5, got 6 (after adjusting by the adjusted close)');
  });

  it('property: adjusting valid bars by any positive factor keeps them valid, close = adjclose exactly', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1e5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1e-4, max: 1e4, noNaN: true }),
        fc.constantFrom('low', 'high', 'open', 'none'),
        (low, a, b, factor, closeAt) => {
          const high = low * (1 + a);
          const open = Math.min(high, low + (high - low) * b);
          const close = closeAt === 'low' ? low : closeAt === 'high' ? high : closeAt === 'open' ? open : Math.min(high, low + (high - low) * (1 - b));
          const adj = close * factor;
          const bars = parseBarsCsv(`date,open,high,low,close,adjclose\n2024-01-02,${open},${high},${low},${close},${adj}\n`, { useAdjusted: true });
          expect(bars.close[0]).toBe(adj);
          expect(bars.low[0]! <= Math.min(bars.open[0]!, bars.close[0]!)).toBe(true);
          expect(bars.high[0]! >= Math.max(bars.open[0]!, bars.close[0]!)).toBe(true);
        },
      ),
    );
  });

  it('malformed CSV is a PARSE_ERROR with the line', () => {
    const ragged = catchError(() => parseBarsCsv('date,close\n2024-01-02,1\n2024-01-03,2,3\n'), 'PARSE_ERROR');
    expect(ragged.message).toBe('line 3: malformed CSV: Invalid Record Length: expect 2, got 3 on line 3');
    expect(ragged.details.index).toBe(3);
    const quote = catchError(() => parseBarsCsv('date,close\n2024-01-02,"1\n'), 'PARSE_ERROR');
    expect(quote.message).toContain('Quote Not Closed');
  });

  it('empty text, a header alone, and a non-string', () => {
    expect(catchError(() => parseBarsCsv(''), 'PARSE_ERROR').message).toBe('the CSV is empty: expected a header line');
    expect(catchError(() => parseBarsCsv('\n\n'), 'PARSE_ERROR').message).toBe('the CSV is empty: expected a header line');
    expect(catchError(() => parseBarsCsv('date,close\n'), 'INVALID_DATA').message).toBe('no data rows in the CSV');
    expect(catchError(() => parseBarsCsv(42 as unknown as string), 'INVALID_ARGUMENT').message).toBe(
      'parseBarsCsv: text must be a string of CSV, got 42',
    );
  });

  it('options are validated: unknown keys and bad values name the key and the value', () => {
    const unknown = catchError(() => parseBarsCsv(YAHOO, { sortUnorderd: true } as never), 'INVALID_CONFIG');
    expect(unknown.message).toBe('Invalid parseBarsCsv options:\nsortUnorderd: unknown key (check the spelling)');
    const unit = catchError(() => parseBarsCsv(YAHOO, { timeUnit: 'sec' as never }), 'INVALID_CONFIG');
    expect(unit.message).toMatch(/^Invalid parseBarsCsv options:\ntimeUnit: .*, got "sec"$/);
    const column = catchError(() => parseBarsCsv(YAHOO, { columns: { close: -1 } }), 'INVALID_CONFIG');
    expect(column.message).toContain('columns.close');
    expect(catchError(() => parseBarsCsv(YAHOO, { logger: {} as never }), 'INVALID_CONFIG').message).toContain(
      'logger: expected a logger with debug, info, warn and error methods',
    );
    expect(catchError(() => parseBarsCsv(YAHOO, { symbol: ' ' }), 'INVALID_CONFIG').message).toContain('symbol');
  });
});

describe('parseBarsCsv: round trip', () => {
  it('property: bars written as CSV read back identical', () => {
    const bar = fc
      .record({
        low: fc.double({ min: 0.01, max: 1e6, noNaN: true }),
        spread: fc.double({ min: 0, max: 1e4, noNaN: true }),
        o: fc.double({ min: 0, max: 1, noNaN: true }),
        c: fc.double({ min: 0, max: 1, noNaN: true }),
        volume: fc.double({ min: 0, max: 1e12, noNaN: true }),
        gap: fc.integer({ min: 1, max: 10_000_000 }),
      })
      .map((r) => ({ ...r, high: r.low + r.spread }));
    fc.assert(
      fc.property(fc.array(bar, { minLength: 1, maxLength: 30 }), (rows) => {
        let t = Date.UTC(1990, 0, 1);
        const expected = { time: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] };
        const lines = ['timestamp,open,high,low,close,volume'];
        for (const r of rows) {
          t += r.gap * 1000;
          // Prices inside [low, high] by construction (and clamped against rounding).
          const open = Math.min(r.high, Math.max(r.low, r.low + r.o * r.spread));
          const close = Math.min(r.high, Math.max(r.low, r.low + r.c * r.spread));
          expected.time.push(t);
          expected.open.push(open);
          expected.high.push(r.high);
          expected.low.push(r.low);
          expected.close.push(close);
          expected.volume.push(r.volume);
          lines.push([new Date(t).toISOString(), open, r.high, r.low, close, r.volume].map(String).join(','));
        }
        expect(columns(parseBarsCsv(lines.join('\n')))).toEqual(expected);
      }),
    );
  });
});

describe('readBarsCsv / readBarsCsvBySymbol', () => {
  const dir = mkdtempSync(join(tmpdir(), 'algo-trading-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file', async () => {
    const path = join(dir, 'spy.csv');
    writeFileSync(path, YAHOO);
    const bars = await readBarsCsv(path, { symbol: 'SPY' });
    expect(bars.symbol).toBe('SPY');
    expect([...bars.close]).toEqual([11, 12]);
  });

  it('reads several symbols from a file', async () => {
    const path = join(dir, 'multi.csv');
    writeFileSync(path, 'symbol,date,close\nA,2024-01-02,1\nB,2024-01-02,2\n');
    const map = await readBarsCsvBySymbol(path);
    expect([...map.keys()]).toEqual(['A', 'B']);
    expect(map.get('B')!.close[0]).toBe(2);
  });

  it('a missing file is an IO_ERROR naming the path', async () => {
    const path = join(dir, 'nope.csv');
    const error = await catchErrorAsync(() => readBarsCsv(path), 'IO_ERROR');
    expect(error.message).toBe(`cannot read CSV file ${path}: no such file`);
    expect(error.details).toMatchObject({ field: 'path', value: path, errno: 'ENOENT' });
    await catchErrorAsync(() => readBarsCsvBySymbol(path), 'IO_ERROR');
  });

  it('a directory is an IO_ERROR', async () => {
    const sub = join(dir, 'folder');
    mkdirSync(sub);
    expect((await catchErrorAsync(() => readBarsCsv(sub), 'IO_ERROR')).message).toBe(`cannot read CSV file ${sub}: it is a directory`);
  });

  it('errors inside the file start with its path and keep the line', async () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'date,close\n2024-01-02,1\n2024-01-03,x\n');
    const error = await catchErrorAsync(() => readBarsCsv(path), 'PARSE_ERROR');
    expect(error.message).toBe(`${path}: line 3, column "close": expected a number, got "x"`);
    expect(error.details).toMatchObject({ index: 3, path });
  });

  it('validates the path and the options before reading', async () => {
    await catchErrorAsync(() => readBarsCsv(''), 'INVALID_ARGUMENT');
    await catchErrorAsync(() => readBarsCsv(join(dir, 'nope.csv'), { bogus: 1 } as never), 'INVALID_CONFIG');
  });
});
