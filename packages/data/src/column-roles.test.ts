import { describe, expect, it } from 'vitest';
import { catchError } from '../test/helpers';
import { normalizeHeader, resolveColumns, type ResolveColumnsInput } from './column-roles';

const resolve = (names: string[], extra: Partial<ResolveColumnsInput> = {}) =>
  resolveColumns({ names, hasHeader: true, useAdjusted: false, what: 'CSV header', ...extra });

describe('normalizeHeader', () => {
  it('lower-cases and drops spaces, underscores, dashes and dots', () => {
    expect(normalizeHeader(' Adj Close ')).toBe('adjclose');
    expect(normalizeHeader('adj_close')).toBe('adjclose');
    expect(normalizeHeader('Adj. Close')).toBe('adjclose');
    expect(normalizeHeader('Date-Time')).toBe('datetime');
    expect(normalizeHeader('VOLUME')).toBe('volume');
  });
});

describe('resolveColumns: detection', () => {
  it('finds a Yahoo-style header, case-insensitively', () => {
    const { roles, layout, priceColumn } = resolve(['Date', 'Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume']);
    expect(layout).toBe('ohlc');
    expect(priceColumn).toBe(-1);
    expect(roles).toEqual({ time: 0, clock: -1, open: 1, high: 2, low: 3, close: 4, adjClose: 5, volume: 6, price: -1, symbol: -1 });
  });

  it('accepts every time alias and prefers datetime/timestamp over date', () => {
    for (const name of ['date', 'DATETIME', 'Timestamp', 'time', 'date_time']) {
      expect(resolve([name, 'price']).roles.time, name).toBe(0);
    }
    expect(resolve(['date', 'timestamp', 'price']).roles.time).toBe(1);
  });

  it('joins a date and a time column', () => {
    const { roles } = resolve(['Date', 'Time', 'Open', 'High', 'Low', 'Close']);
    expect(roles.time).toBe(0);
    expect(roles.clock).toBe(1);
  });

  it('finds adjclose spellings, volume, price, symbol and ticker', () => {
    expect(resolve(['date', 'close', 'adjclose']).roles.adjClose).toBe(2);
    expect(resolve(['date', 'close', 'adj_close']).roles.adjClose).toBe(2);
    expect(resolve(['date', 'close', 'Adjusted Close']).roles.adjClose).toBe(2);
    expect(resolve(['date', 'close', 'vol']).roles.volume).toBe(2);
    expect(resolve(['Ticker', 'date', 'price']).roles.symbol).toBe(0);
    expect(resolve(['symbol', 'date', 'price']).roles.symbol).toBe(0);
  });

  it('price-only layouts: a close column alone, else a price column', () => {
    expect(resolve(['date', 'close'])).toMatchObject({ layout: 'price', priceColumn: 1 });
    expect(resolve(['date', 'price', 'volume'])).toMatchObject({ layout: 'price', priceColumn: 1 });
    expect(resolve(['date', 'price', 'close'])).toMatchObject({ layout: 'price', priceColumn: 2 });
  });

  it('ignores unknown columns', () => {
    expect(resolve(['date', 'note', 'close', 'dividends']).priceColumn).toBe(2);
  });

  it('uses the fallback time column (a DataFrame index) only when no time column exists', () => {
    expect(resolve(['close', '(index)'], { fallbackTime: 1 }).roles.time).toBe(1);
    expect(resolve(['date', 'close', '(index)'], { fallbackTime: 2 }).roles.time).toBe(0);
  });
});

describe('resolveColumns: explicit mapping', () => {
  it('maps by name (case-insensitive) and by position, and detects the rest', () => {
    const { roles } = resolve(['When', 'o', 'h', 'l', 'c', 'Volume'], {
      mapping: { time: 'when', open: 1, high: 'H', low: 'l', close: 4 },
    });
    expect(roles).toMatchObject({ time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 });
  });

  it('a column mapped to one field is not detected as another', () => {
    const { roles, priceColumn } = resolve(['date', 'close', 'adj close'], { mapping: { close: 'adj close' } });
    expect(roles.close).toBe(2);
    expect(roles.adjClose).toBe(-1);
    expect(priceColumn).toBe(2);
  });

  it('maps a [date, time of day] pair', () => {
    const { roles } = resolve(['d', 't', 'px'], { mapping: { time: ['d', 't'], price: 'px' } });
    expect(roles).toMatchObject({ time: 0, clock: 1, price: 2 });
  });

  it('needs positions when there is no header', () => {
    const names = ['column 1', 'column 2'];
    expect(resolve(names, { hasHeader: false, mapping: { time: 0, close: 1 } }).priceColumn).toBe(1);
    const error = catchError(() => resolve(names, { hasHeader: false, mapping: { time: 'date', close: 1 } }), 'INVALID_CONFIG');
    expect(error.message).toBe('columns.time must be a column position (0-based) when the file has no header, got "date"');
    // Without a header nothing is detected.
    expect(catchError(() => resolve(names, { hasHeader: false }), 'INVALID_DATA').details.field).toBe('time');
  });

  it('rejects a name or position that is not there, listing the columns', () => {
    const byName = catchError(() => resolve(['date', 'close'], { mapping: { close: 'Last' } }), 'INVALID_CONFIG');
    expect(byName.message).toBe('columns.close: no column named "Last" in the CSV header (columns found: "date", "close")');
    const byIndex = catchError(() => resolve(['date', 'close'], { mapping: { close: 2 } }), 'INVALID_CONFIG');
    expect(byIndex.message).toBe('columns.close must be a column position from 0 to 1, got 2');
    expect(byIndex.details).toMatchObject({ field: 'columns.close', value: 2 });
  });
});

describe('resolveColumns: missing and ambiguous columns', () => {
  it('no time column', () => {
    const error = catchError(() => resolve(['open', 'high', 'low', 'close']), 'INVALID_DATA');
    expect(error.message).toBe(
      'the CSV header has no time column: expected one of date, datetime, timestamp, time, or a first column with an empty name (a pandas index) (or set columns.time) (columns found: "open", "high", "low", "close")',
    );
    expect(error.details.field).toBe('time');
  });

  it('no price column', () => {
    const error = catchError(() => resolve(['date', 'volume']), 'INVALID_DATA');
    expect(error.message).toContain('has no price column');
    expect(error.details.field).toBe('close');
  });

  it('partial OHLC names the missing field', () => {
    const error = catchError(() => resolve(['date', 'open', 'low', 'close']), 'INVALID_DATA');
    expect(error.message).toContain('has open, low but no high column');
    expect(error.details.field).toBe('high');
    expect(catchError(() => resolve(['date', 'open', 'high', 'low']), 'INVALID_DATA').details.field).toBe('close');
  });

  it('useAdjusted without an adjusted close column', () => {
    const error = catchError(() => resolve(['date', 'close'], { useAdjusted: true }), 'INVALID_DATA');
    expect(error.message).toContain('useAdjusted needs an adjusted close column');
    expect(error.details.field).toBe('adjClose');
  });

  it('two columns for one field', () => {
    const error = catchError(() => resolve(['date', 'Close', 'close ']), 'INVALID_DATA');
    expect(error.message).toBe('columns "Close" and "close " both look like close: choose one with columns.close');
    expect(catchError(() => resolve(['date', 'Date', 'close']), 'INVALID_DATA').details.field).toBe('time');
  });
});
