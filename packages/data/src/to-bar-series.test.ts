import { BarSeries, isBarSeries } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { catchError, recordingLogger, utc } from '../test/helpers';
import { toBarSeries } from './to-bar-series';

const T = [utc(2024, 1, 2), utc(2024, 1, 3), utc(2024, 1, 4)];

describe('toBarSeries: shapes', () => {
  it('returns a BarSeries as is, or renamed with options.symbol', () => {
    const bars = BarSeries.fromPrices(T, [1, 2, 3], { symbol: 'A' });
    expect(toBarSeries(bars)).toBe(bars);
    expect(toBarSeries(bars, { symbol: 'A' })).toBe(bars);
    const renamed = toBarSeries(bars, { symbol: 'B' });
    expect(renamed.symbol).toBe('B');
    expect(renamed.close).toBe(bars.close); // shares memory
  });

  it('OHLCV columns (arrays or typed arrays)', () => {
    const bars = toBarSeries({
      time: Float64Array.from(T),
      open: [10, 11, 12],
      high: new Float64Array([11, 12, 13]),
      low: [9, 10, 11],
      close: [10.5, 11.5, 12.5],
      volume: [100, 200, 300],
    });
    expect(isBarSeries(bars)).toBe(true);
    expect(bars.toRows()[1]).toEqual({ time: T[1], open: 11, high: 12, low: 10, close: 11.5, volume: 200 });
  });

  it('{ time, price } and { time, close } are price-only', () => {
    for (const bars of [toBarSeries({ time: T, price: [1, 2, 3] }), toBarSeries({ time: T, close: [1, 2, 3] })]) {
      expect([...bars.open]).toEqual([1, 2, 3]);
      expect([...bars.high]).toEqual([1, 2, 3]);
      expect([...bars.low]).toEqual([1, 2, 3]);
      expect([...bars.volume]).toEqual([0, 0, 0]);
    }
  });

  it('times may be Dates or ISO strings; numbers are epoch ms by default', () => {
    expect([...toBarSeries({ time: T.map((t) => new Date(t)), price: [1, 2, 3] }).time]).toEqual(T);
    expect([...toBarSeries({ time: ['2024-01-02', '2024-01-03', '2024-01-04'], price: [1, 2, 3] }).time]).toEqual(T);
    // Small numbers stay milliseconds (no guessing unless asked).
    expect([...toBarSeries({ time: [1, 2, 3], price: [1, 2, 3] }).time]).toEqual([1, 2, 3]);
    expect([...toBarSeries({ time: [1, 2, 3], price: [1, 2, 3] }, { timeUnit: 's' }).time]).toEqual([1000, 2000, 3000]);
    expect([...toBarSeries({ time: [1_704_153_600], price: [1] }, { timeUnit: 'auto' }).time]).toEqual([utc(2024, 1, 2)]);
  });

  it('time text follows the file rules unless a unit is given; numbers stay ms', () => {
    expect([...toBarSeries({ time: ['20240102', '1704240000'], price: [1, 2] }).time]).toEqual([utc(2024, 1, 2), utc(2024, 1, 3)]);
    expect([...toBarSeries({ time: [20_240_102], price: [1] }, { timeUnit: 'auto' }).time]).toEqual([utc(2024, 1, 2)]);
    expect([...toBarSeries({ time: ['5'], price: [1] }, { timeUnit: 'ms' }).time]).toEqual([5]);
    const error = catchError(() => toBarSeries({ time: ['2024-02-30'], price: [1] }), 'INVALID_DATA');
    expect(error.message).toMatch(/^index 0, column "time": expected an ISO date .* that exists: .*, got "2024-02-30"$/);
    expect(catchError(() => toBarSeries([{ date: '2020', close: 1 }]), 'INVALID_DATA').message).toContain('ambiguous');
  });

  it('columns under header-like names are detected', () => {
    const bars = toBarSeries({ Date: ['2024-01-02'], Open: [1], High: [2], Low: [0.5], Close: [1.5], 'Adj Close': [0.75], Volume: [9] }, { useAdjusted: true });
    expect(bars.toRows()).toEqual([{ time: utc(2024, 1, 2), open: 0.5, high: 1, low: 0.25, close: 0.75, volume: 9 }]);
  });

  it('row objects', () => {
    const bars = toBarSeries([
      { time: '2024-01-02', open: 10, high: 11, low: 9, close: 10.5, volume: 100 },
      { time: '2024-01-03', open: 10.5, high: 12, low: 10, close: 11, volume: 50 },
    ]);
    expect([...bars.close]).toEqual([10.5, 11]);
    expect([...bars.time]).toEqual([utc(2024, 1, 2), utc(2024, 1, 3)]);
    expect(toBarSeries([{ Date: new Date(T[0]!), Price: '7.5' }]).close[0]).toBe(7.5);
  });

  it('rows with a symbol field: one symbol, or a choice', () => {
    const rows = [
      { symbol: 'A', time: T[0]!, price: 1 },
      { symbol: 'B', time: T[0]!, price: 2 },
    ];
    expect(catchError(() => toBarSeries(rows), 'INVALID_DATA').message).toBe('the data holds 2 symbols (A, B): pass symbol to pick one');
    const b = toBarSeries(rows, { symbol: 'B' });
    expect(b.symbol).toBe('B');
    expect(b.close[0]).toBe(2);
  });

  it('sortUnordered and explicit columns work as for CSV', () => {
    const logger = recordingLogger();
    const bars = toBarSeries({ t: [T[1]!, T[0]!], px: [2, 1] }, { columns: { time: 't', price: 'px' }, sortUnordered: true, logger });
    expect([...bars.close]).toEqual([1, 2]);
    expect(logger.calls[0]!.args[1]).toBe('2 rows were not in time order (first at index 1); sorted them because sortUnordered is set');
  });
});

describe('toBarSeries: bad input names the row or index, the column and the value', () => {
  it('a bad cell in columns', () => {
    const error = catchError(() => toBarSeries({ time: T, close: [1, Number.NaN, 3] }), 'INVALID_DATA');
    expect(error.message).toBe('index 1, column "close": expected a number, got NaN');
    expect(error.details).toEqual({ field: 'close', index: 1, value: Number.NaN });
  });

  it('a bar rule in rows', () => {
    const error = catchError(
      () =>
        toBarSeries([
          { time: T[0]!, open: 1, high: 2, low: 0.5, close: 1 },
          { time: T[1]!, open: 1, high: 2, low: 1.5, close: 1 },
        ]),
      'INVALID_DATA',
    );
    expect(error.message).toBe('row 1, column "low": low must be <= min(open, close) = 1, got 1.5');
  });

  it('a missing value in a row and a non-object row', () => {
    expect(catchError(() => toBarSeries([{ time: T[0]!, close: 1 }, { time: T[1]! }]), 'INVALID_DATA').message).toBe(
      'row 1, column "close": expected a number, got undefined',
    );
    expect(catchError(() => toBarSeries([{ time: T[0]!, close: 1 }, null as never]), 'INVALID_DATA').message).toBe(
      'row 1 must be a row object, got null',
    );
    expect(catchError(() => toBarSeries([5 as never]), 'INVALID_DATA').message).toContain('rows[0] must be a row object');
  });

  it('an unreadable time', () => {
    const error = catchError(() => toBarSeries({ time: [T[0]!, 'soon'], price: [1, 2] }), 'INVALID_DATA');
    expect(error.message).toMatch(/^index 1, column "time": expected an ISO date .*, got "soon"$/);
    expect(catchError(() => toBarSeries({ time: [T[0]!, null], price: [1, 2] } as never), 'INVALID_DATA').details.value).toBe(null);
  });

  it('time order and duplicates', () => {
    expect(catchError(() => toBarSeries({ time: [T[1]!, T[0]!], price: [1, 2] }), 'INVALID_DATA').message).toContain(
      'index 1, column "time": time 2024-01-02T00:00:00.000Z is earlier than index 0',
    );
    expect(catchError(() => toBarSeries({ time: [T[0]!, T[0]!], price: [1, 2] }), 'INVALID_DATA').message).toBe(
      'index 1, column "time": duplicate time 2024-01-02T00:00:00.000Z, already at index 0',
    );
  });

  it('columns of different lengths or not arrays', () => {
    expect(catchError(() => toBarSeries({ time: T, price: [1, 2] }), 'INVALID_DATA').message).toBe(
      'column price has 2 values but column time has 3: every column must have the same length',
    );
    expect(catchError(() => toBarSeries({ time: T, price: 5 } as never), 'INVALID_DATA').message).toBe('column price must be an array, got 5');
  });

  it('missing columns, empty input and wrong types', () => {
    expect(catchError(() => toBarSeries({ time: T, volume: [1, 2, 3] } as never), 'INVALID_DATA').details.field).toBe('close');
    expect(catchError(() => toBarSeries([]), 'INVALID_DATA').message).toBe('toBarSeries: the array of rows is empty');
    expect(catchError(() => toBarSeries({ time: [], price: [] }), 'INVALID_DATA').message).toBe('no data rows in the columns');
    expect(catchError(() => toBarSeries(42 as never), 'INVALID_ARGUMENT').message).toBe(
      'toBarSeries: input must be a BarSeries, a DataFrame, an object of columns or an array of rows, got 42',
    );
    expect(catchError(() => toBarSeries(null as never), 'INVALID_ARGUMENT').details.field).toBe('input');
    expect(catchError(() => toBarSeries(new Float64Array(3) as never), 'INVALID_ARGUMENT').details.field).toBe('input');
  });

  it('options are validated', () => {
    const error = catchError(() => toBarSeries({ time: T, price: [1, 2, 3] }, { timeUnit: 'days' as never }), 'INVALID_CONFIG');
    expect(error.message).toMatch(/^Invalid toBarSeries options:\ntimeUnit: .*got "days"$/);
    expect(catchError(() => toBarSeries(BarSeries.fromPrices(T, [1, 2, 3]), { delimiter: ';' } as never), 'INVALID_CONFIG').message).toBe(
      'Invalid toBarSeries options:\ndelimiter: unknown key (check the spelling)',
    );
  });
});
