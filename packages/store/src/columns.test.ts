import { isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { resolveFileColumns } from './columns';

const options = { useAdjusted: false, source: 'file.csv' } as const;

function thrown(work: () => unknown): Error & { code?: string } {
  try {
    work();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected an error');
}

describe('resolveFileColumns', () => {
  it('finds OHLCV columns by header name, case and punctuation ignored', () => {
    const resolved = resolveFileColumns(['Date', 'Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume'], options);
    expect(resolved.layout).toBe('ohlc');
    expect(resolved.roles).toMatchObject({ time: 0, open: 1, high: 2, low: 3, close: 4, adjClose: 5, volume: 6, symbol: -1, timeframe: -1, clock: -1 });
  });

  it('prefers a datetime column, joins date and time columns otherwise, and falls back to a pandas index', () => {
    expect(resolveFileColumns(['date', 'datetime', 'close'], options).roles).toMatchObject({ time: 1, clock: -1 });
    expect(resolveFileColumns(['date', 'time', 'close'], options).roles).toMatchObject({ time: 0, clock: 1 });
    expect(resolveFileColumns(['column0', 'Open', 'High', 'Low', 'Close'], options).roles.time).toBe(0);
    expect(resolveFileColumns(['__index_level_0__', 'close'], options).roles.time).toBe(0);
  });

  it('reads a single price column as price-only data, and symbol and timeframe columns', () => {
    const price = resolveFileColumns(['ticker', 'timestamp', 'price', 'interval'], options);
    expect([price.layout, price.priceColumn, price.roles.symbol, price.roles.timeframe]).toEqual(['price', 2, 0, 3]);
    expect(resolveFileColumns(['time', 'close'], options).priceColumn).toBe(1);
  });

  it('takes explicit columns by name or position', () => {
    const resolved = resolveFileColumns(['when', 'o', 'h', 'l', 'c'], {
      ...options,
      mapping: { time: 'WHEN', open: 1, high: 'h', low: 'l', close: 4 },
    });
    expect(resolved.roles).toMatchObject({ time: 0, open: 1, high: 2, low: 3, close: 4 });
    const pair = resolveFileColumns(['d', 't', 'close'], { ...options, mapping: { time: ['d', 't'] } });
    expect(pair.roles).toMatchObject({ time: 0, clock: 1 });
  });

  it('names the file and the columns found when something is missing or ambiguous', () => {
    const noTime = thrown(() => resolveFileColumns(['open', 'close'], options));
    expect(isAlgoTradingError(noTime, 'INVALID_DATA')).toBe(true);
    expect(noTime.message).toBe('file.csv: the header has no time column: expected one of date, datetime, timestamp, time (or set columns.time) (columns found: "open", "close")');
    expect(thrown(() => resolveFileColumns(['date', 'open', 'close'], options)).message).toBe(
      'file.csv: the header has open but no high column: OHLC data needs open, high, low and close (or set columns.high) (columns found: "date", "open", "close")',
    );
    expect(thrown(() => resolveFileColumns(['date', 'close', 'Close'], options)).message).toBe(
      'file.csv: columns "close" and "Close" both look like close: choose one with columns.close',
    );
    expect(thrown(() => resolveFileColumns(['date', 'close', 'interval', 'period'], options)).message).toBe(
      'file.csv: columns "interval" and "period" both look like timeframe: keep one',
    );
    expect(thrown(() => resolveFileColumns(['date', 'close'], { ...options, useAdjusted: true })).message).toContain('useAdjusted needs an adjusted close column');
    const badMapping = thrown(() => resolveFileColumns(['date', 'close'], { ...options, mapping: { close: 'last' } }));
    expect(isAlgoTradingError(badMapping, 'INVALID_CONFIG')).toBe(true);
    expect(badMapping.message).toBe('file.csv: columns.close: no column named "last" in the header (columns found: "date", "close")');
    expect(thrown(() => resolveFileColumns(['date', 'close'], { ...options, mapping: { close: 5 } })).message).toBe(
      'file.csv: columns.close must be a column position from 0 to 1, got 5',
    );
  });
});
