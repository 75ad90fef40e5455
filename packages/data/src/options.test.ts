import { silentLogger } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  resolveCsvOptions,
  resolveTableOptions,
  type ParseBarsCsvOptions,
  type ToBarSeriesOptions,
  type parseBarsCsvOptionsSchema,
  type toBarSeriesOptionsSchema,
} from './options';

describe('options', () => {
  it('the documented option types match the zod schemas (type-checked both ways)', () => {
    const csvIn = (v: ParseBarsCsvOptions): z.input<typeof parseBarsCsvOptionsSchema> => v;
    const csvOut = (v: z.input<typeof parseBarsCsvOptionsSchema>): ParseBarsCsvOptions => v;
    const tableIn = (v: ToBarSeriesOptions): z.input<typeof toBarSeriesOptionsSchema> => v;
    const tableOut = (v: z.input<typeof toBarSeriesOptionsSchema>): ToBarSeriesOptions => v;
    const sample = { columns: { time: ['d', 1] as [string, number] }, timeUnit: 's' as const };
    expect(csvOut(csvIn(sample))).toBe(sample);
    expect(tableOut(tableIn(sample))).toBe(sample);
  });

  it('CSV defaults: auto time unit, comma, header, silent logger', () => {
    expect(resolveCsvOptions(undefined, 'x')).toEqual({
      useAdjusted: false,
      sortUnordered: false,
      timeUnit: 'auto',
      textTimeUnit: 'auto',
      delimiter: ',',
      header: true,
      logger: silentLogger,
    });
  });

  it('in-memory defaults: numbers in milliseconds, text with the auto rules; a given unit applies to both', () => {
    expect(resolveTableOptions({}, 'x')).toMatchObject({ timeUnit: 'ms', textTimeUnit: 'auto' });
    expect(resolveTableOptions({ timeUnit: 's' }, 'x')).toMatchObject({ timeUnit: 's', textTimeUnit: 's' });
    expect(resolveCsvOptions({ timeUnit: 'ms' }, 'x')).toMatchObject({ timeUnit: 'ms', textTimeUnit: 'ms' });
  });

  it('trims the symbol and column names', () => {
    const resolved = resolveCsvOptions({ symbol: ' SPY ', columns: { close: ' Last ' } }, 'x');
    expect(resolved.symbol).toBe('SPY');
    expect(resolved.columns).toEqual({ close: 'Last' });
  });

  it('rejects bad values naming the key and the value', () => {
    expect(() => resolveCsvOptions({ delimiter: '' }, 'parseBarsCsv')).toThrow('Invalid parseBarsCsv options:\ndelimiter: expected a non-empty delimiter, got ""');
    expect(() => resolveCsvOptions({ columns: { time: [0] } }, 'parseBarsCsv')).toThrow(/columns\.time/);
    expect(() => resolveCsvOptions({ parseTime: 'iso' }, 'parseBarsCsv')).toThrow(
      'Invalid parseBarsCsv options:\nparseTime: expected a function (text) => epoch milliseconds, got "iso"',
    );
    expect(() => resolveTableOptions({ useAdjusted: 'yes' }, 'toBarSeries')).toThrow(/useAdjusted: .*got "yes"/);
  });
});
