import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlgoTradingError, type BarSeries } from '@algo-trading/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SymbolGroup } from './build-series';
import { parseGroups, readGroups } from './csv';
import { scanCsvBuffer } from './csv-scan';
import { resolveCsvOptions, type ParseBarsCsvOptions } from './options';

type Outcome = { groups: { symbol: string | undefined; columns: number[][]; shared: boolean }[] } | { error: { code: string; message: string; details: unknown } };

function columnsOf(s: BarSeries): number[][] {
  return [s.time, s.open, s.high, s.low, s.close, s.volume].map((c) => Array.from(c));
}

function outcome(text: string | Buffer, options: ParseBarsCsvOptions, parser: 'auto' | 'full'): Outcome {
  try {
    const groups: SymbolGroup[] = parseGroups(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'), resolveCsvOptions(options, 'test'), parser);
    return {
      groups: groups.map((g) => ({ symbol: g.symbol, columns: columnsOf(g.series), shared: g.series.open === g.series.close })),
    };
  } catch (error) {
    if (!isAlgoTradingError(error)) throw error;
    return { error: { code: error.code, message: error.message, details: error.details } };
  }
}

/** Equal bit for bit (Object.is on every number, so -0 and NaN count). */
function expectSame(a: Outcome, b: Outcome, label: string): void {
  expect(a, label).toStrictEqual(b);
  if ('groups' in a && 'groups' in b) {
    a.groups.forEach((g, i) => g.columns.forEach((c, j) => c.forEach((v, k) => expect(Object.is(v, b.groups[i]!.columns[j]![k]), `${label} [${i}][${j}][${k}]`).toBe(true))));
  }
}

const usesFastPath = (text: string, options: ParseBarsCsvOptions = {}) => scanCsvBuffer(Buffer.from(text), resolveCsvOptions(options, 'test')) !== undefined;

/** Random CSV files in the shapes the loaders meet, with formatting noise and, sometimes, one fault. */
const space = fc.constantFrom('', '', '', ' ', '  ', '\t');
const timeFormat = fc.constantFrom('iso-date', 'iso-time', 'epoch-s', 'epoch-ms', 'yyyymmdd', 'small');
const bar = fc.record({
  open: fc.double({ min: 1, max: 500, noNaN: true }),
  move: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
  wick: fc.double({ min: 0, max: 0.02, noNaN: true }),
  volume: fc.integer({ min: 0, max: 1e9 }),
  gap: fc.integer({ min: 1, max: 5 }),
  symbol: fc.constantFrom('AAA', 'BBB', 'C C'),
});
const fault = fc.constantFrom('none', 'none', 'none', 'bad-number', 'empty-cell', 'ragged', 'high-low', 'order', 'duplicate', 'quote', 'bad-time', 'vt-line');
const csvFile = fc.record({
  layout: fc.constantFrom('ohlcv', 'ohlcv-adj', 'price', 'ohlcv-symbol', 'price-symbol'),
  timeFormat,
  delimiter: fc.constantFrom(',', ';', '\t'),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  trailingNewline: fc.boolean(),
  trailingDelimiter: fc.boolean(),
  bars: fc.array(fc.tuple(bar, fc.constantFrom(0, 0, 0, 1, 2), space, space), { minLength: 1, maxLength: 25 }),
  fault,
  faultAt: fc.nat(),
  sortUnordered: fc.boolean(),
  useAdjusted: fc.boolean(),
  pickSymbol: fc.boolean(),
  header: fc.constantFrom('Date', 'date', ' DATE ', 'timestamp'),
});

type CsvFile = typeof csvFile extends fc.Arbitrary<infer T> ? T : never;

function render(f: CsvFile): { text: string; options: ParseBarsCsvOptions } {
  const d = f.delimiter;
  const hasSymbol = f.layout.endsWith('symbol');
  const price = f.layout.startsWith('price');
  const names = [f.header, ...(hasSymbol ? ['Symbol'] : []), ...(price ? ['Close'] : ['Open', 'High', 'Low', 'Close']), ...(f.layout === 'ohlcv-adj' ? ['Adj Close'] : []), ...(price ? [] : ['Volume'])];
  let t = Date.UTC(2020, 0, 1);
  const lines: string[] = [];
  f.bars.forEach(([b, blankLines, pre, post], i) => {
    t += b.gap * 86_400_000;
    const close = b.open * (1 + b.move);
    const high = Math.max(b.open, close) * (1 + b.wick);
    const low = Math.min(b.open, close) * (1 - b.wick);
    const date = new Date(t).toISOString();
    const time =
      f.timeFormat === 'iso-date' ? date.slice(0, 10) : f.timeFormat === 'iso-time' ? date : f.timeFormat === 'epoch-s' ? String(t / 1000) : f.timeFormat === 'epoch-ms' ? String(t) : f.timeFormat === 'yyyymmdd' ? date.slice(0, 10).replaceAll('-', '') : String(i + 1);
    const cells = [time, ...(hasSymbol ? [b.symbol] : []), ...(price ? [String(close)] : [String(b.open), String(high), String(low), String(close)]), ...(f.layout === 'ohlcv-adj' ? [String(close * 0.5)] : []), ...(price ? [] : [String(b.volume)])];
    for (let k = 0; k < blankLines; k++) lines.push(k === 0 ? '' : ' \t');
    lines.push(cells.map((c) => `${pre}${c}${post}`).join(d) + (f.trailingDelimiter ? d : ''));
  });
  const target = 1 + (f.faultAt % Math.max(1, lines.length));
  const header = names.join(d) + (f.trailingDelimiter ? d : '');
  const all = [header, ...lines];
  const at = Math.min(target, all.length - 1);
  const cellsAt = all[at]!.split(d);
  switch (f.fault) {
    case 'bad-number':
      cellsAt[cellsAt.length - 1 - (f.trailingDelimiter ? 1 : 0)] = 'n/a';
      all[at] = cellsAt.join(d);
      break;
    case 'empty-cell':
      cellsAt[1] = '';
      all[at] = cellsAt.join(d);
      break;
    case 'ragged':
      all[at] = `${all[at]}${d}9`;
      break;
    case 'high-low':
      if (!price) {
        cellsAt[hasSymbol ? 3 : 2] = '0.5';
        all[at] = cellsAt.join(d);
      }
      break;
    case 'order':
    case 'duplicate':
      if (at > 1 && all[at]!.trim() !== '') all.splice(at, 0, f.fault === 'duplicate' ? all[at]! : all[at - 1]!);
      break;
    case 'quote':
      cellsAt[0] = `"${cellsAt[0]!.trim()}"`;
      all[at] = cellsAt.join(d);
      break;
    case 'bad-time':
      cellsAt[0] = '2021-02-29';
      all[at] = cellsAt.join(d);
      break;
    case 'vt-line':
      all.splice(at, 0, ['\u000b', ...names.slice(1).map(() => ' ')].join(d));
      break;
  }
  const eol = f.crlf ? '\r\n' : '\n';
  const text = (f.bom ? '\ufeff' : '') + all.join(eol) + (f.trailingNewline ? eol : '');
  const options: ParseBarsCsvOptions = {
    delimiter: d,
    sortUnordered: f.sortUnordered,
    useAdjusted: f.useAdjusted && f.layout === 'ohlcv-adj',
    ...(hasSymbol && f.pickSymbol ? { symbol: 'BBB' } : {}),
    ...(f.timeFormat === 'small' ? { timeUnit: 'ms' as const } : {}),
  };
  return { text, options };
}

describe('CSV fast path', () => {
  it('takes plain files and leaves quoted, lone-CR, mixed-ending, multi-byte-delimiter and ragged files to csv-parse', () => {
    expect(usesFastPath('date,close\n2024-01-02,1\n')).toBe(true);
    expect(usesFastPath('\ufeffdate;close\r\n2024-01-02;1\r\n', { delimiter: ';' })).toBe(true);
    expect(usesFastPath('date\tclose\n2024-01-02\t1\n', { delimiter: '\t' })).toBe(true);
    expect(usesFastPath('date,close\n2024-01-02,"1"\n')).toBe(false);
    expect(usesFastPath('date,close\r2024-01-02,1\r')).toBe(false);
    expect(usesFastPath('date,close\n2024-01-02,1\r\n')).toBe(false);
    expect(usesFastPath('date,close\r\n2024-01-02,1\n2024-01-03,1\r\n')).toBe(false);
    expect(usesFastPath('date::close\n2024-01-02::1\n', { delimiter: '::' })).toBe(false);
    expect(usesFastPath('date,close\n2024-01-02,1,2\n')).toBe(false);
  });

  it('reads numbers exactly as Number() does, long mantissas and exponents included', () => {
    const cells = ['1', '+2', '0', '1.', '.5', '00012.50', '1e3', '2.5E-3', '1e-22', '123456789012345678', '100.12345678901234', '9007199254740993', '4.9e-324', '1e308', '0.1', '0.30000000000000004'];
    // Positive prices only are valid bars; read through a column the rules do not check (volume).
    const csv = `date,close,volume\n${cells.map((c, i) => `2024-01-${String(i + 1).padStart(2, '0')},1,${c}`).join('\n')}\n`;
    expect(usesFastPath(csv)).toBe(true);
    const fast = outcome(csv, {}, 'auto');
    expect('groups' in fast && fast.groups[0]!.columns[5]).toEqual(cells.map(Number));
    expectSame(fast, outcome(csv, {}, 'full'), 'volume cells');
  });

  it('property: numbers in the text grammar read the same as Number(text)', () => {
    const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    const decimal = fc
      .tuple(fc.constantFrom('', '+'), digits(0, 20), fc.boolean(), digits(0, 20), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 3))))
      .map(([sign, int, dot, frac, exp]) => `${sign}${int}${dot ? '.' : ''}${dot ? frac : ''}${exp === null ? '' : exp.join('')}`)
      .filter((t) => /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t) && Number(t) > 0 && Number.isFinite(Number(t)));
    fc.assert(
      fc.property(fc.array(decimal, { minLength: 1, maxLength: 20 }), (cells) => {
        const csv = `date,close,volume\n${cells.map((c, i) => `${20240101 + i},1,${c}`).join('\n')}\n`;
        const fast = outcome(csv, {}, 'auto');
        expect('groups' in fast && fast.groups[0]!.columns[5]!.every((v, i) => Object.is(v, Number(cells[i])))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('property: the fast path and the full parser agree on random CSV files, errors included', () => {
    let runs = 0;
    let fast = 0;
    const usesFastPathSafely = (text: string, options: ParseBarsCsvOptions): boolean => {
      try {
        return usesFastPath(text, options);
      } catch {
        return true; // a cell error reported by the fast path itself
      }
    };
    fc.assert(
      fc.property(csvFile, (f) => {
        const { text, options } = render(f);
        expectSame(outcome(text, options, 'auto'), outcome(text, options, 'full'), JSON.stringify(text));
        runs++;
        if (usesFastPathSafely(text, options)) fast++;
      }),
      { numRuns: Number(process.env.CSV_PROPERTY_RUNS ?? 400) },
    );
    // The comparison is only worth something if many files do take the fast path.
    expect(fast / runs).toBeGreaterThan(0.35);
  }, 120_000);

  it('property: a file read in chunks of any size gives what the full parser gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-scan-'));
    try {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(csvFile, fc.integer({ min: 1, max: 64 }), async (f, chunkBytes) => {
          const { text, options } = render(f);
          const path = join(dir, `f${n++}.csv`);
          writeFileSync(path, text);
          let fromFile: Outcome;
          try {
            const groups = await readGroups(path, resolveCsvOptions(options, 'test'), 'test', chunkBytes);
            fromFile = { groups: groups.map((g) => ({ symbol: g.symbol, columns: columnsOf(g.series), shared: g.series.open === g.series.close })) };
          } catch (error) {
            if (!isAlgoTradingError(error)) throw error;
            const { path: _path, ...details } = error.details;
            fromFile = { error: { code: error.code, message: error.message.replace(`${path}: `, ''), details } };
          }
          expectSame(fromFile, outcome(text, options, 'full'), `${chunkBytes} ${JSON.stringify(text)}`);
        }),
        { numRuns: Number(process.env.CSV_PROPERTY_RUNS ?? 200) },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('reads a file larger than one chunk, with a line longer than a chunk, like the text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-scan-'));
    try {
      const lines = ['date,close,note'];
      for (let i = 0; i < 3000; i++) lines.push(`${Date.UTC(2020, 0, 1) + i * 60_000},${100 + (i % 7) / 8},${i === 1500 ? 'x'.repeat(5000) : 'n'}`);
      const text = lines.join('\n');
      const path = join(dir, 'big.csv');
      writeFileSync(path, text);
      const options = resolveCsvOptions({ timeUnit: 'ms' }, 'test');
      const groups = await readGroups(path, options, 'test', 1024);
      expect(groups[0]!.series.length).toBe(3000);
      expectSame({ groups: groups.map((g) => ({ symbol: g.symbol, columns: columnsOf(g.series), shared: true })) }, outcome(text, { timeUnit: 'ms' }, 'full'), 'big');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
