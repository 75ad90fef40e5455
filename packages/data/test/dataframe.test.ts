import { createRequire } from 'node:module';
import { BarSeries } from '@algo-trading/core';
import type { DataFrame } from 'danfojs-node';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { fromDataFrame, isDataFrameLike, loadSampleBars, toBarSeries, toDataFrame, type DataFrameLike } from '../src/index';
import { catchError, utc } from './helpers';

// The real danfojs-node (a devDependency), not a mock.
interface Danfo {
  DataFrame: new (data: unknown, options?: Record<string, unknown>) => DataFrameLike & {
    dtypes: string[];
    tensor: { arraySync(): number[][] };
  };
}
const dfd = createRequire(import.meta.url)('danfojs-node') as Danfo;

/** Relative rounding of float32: 2^-24. */
const FLOAT32_EPS = 2 ** -24;

function expectWithinFloat32(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(Math.abs(expected[i]!) * FLOAT32_EPS);
  }
}

describe('danfojs round trip (real danfojs-node)', () => {
  const bars = loadSampleBars('sp500');

  it('a danfojs DataFrame is a DataFrameLike, and toDataFrame can be typed as one (type-checked)', () => {
    expectTypeOf<DataFrame>().toExtend<DataFrameLike>();
    expectTypeOf(toDataFrame<DataFrame>).returns.toEqualTypeOf<DataFrame>();
  });

  it('toDataFrame gives one row per bar, time as datetime, prices as numbers', () => {
    const df = toDataFrame<ReturnType<typeof toDataFrame> & { dtypes: string[] }>(bars);
    expect(df.shape).toEqual([bars.length, 6]);
    expect(df.columns).toEqual(['time', 'open', 'high', 'low', 'close', 'volume']);
    expect(df.dtypes[0]).toBe('datetime');
    // danfojs labels the price columns float32 ...
    expect(df.dtypes[4]).toBe('float32');
    // ... but its values are the doubles we stored.
    expect(df.column('close').values[0]).toBe(1455.219971);
    expect((df.column('time').values[0] as Date).toISOString()).toBe('2000-01-03T00:00:00.000Z');
  });

  it('fromDataFrame(toDataFrame(s)) gives the series back: time exact, prices within float32 tolerance', () => {
    const back = fromDataFrame(toDataFrame(bars), { symbol: 'SP500' });
    expect(back.length).toBe(bars.length);
    expect(back.symbol).toBe('SP500');
    expect([...back.time]).toEqual([...bars.time]);
    for (const column of ['open', 'high', 'low', 'close', 'volume'] as const) expectWithinFloat32(back[column], bars[column]);
    // The `.values` path is in fact exact; tolerance is what the documented contract promises.
    expect([...back.close]).toEqual([...bars.close]);
  });

  it('time as ISO strings or epoch ms also round-trips exactly', () => {
    const head = bars.slice(0, 50);
    for (const timeFormat of ['iso', 'ms'] as const) {
      const df = toDataFrame(head, { timeFormat });
      expect(typeof df.column('time').values[0]).toBe(timeFormat === 'iso' ? 'string' : 'number');
      expect([...fromDataFrame(df).time]).toEqual([...head.time]);
    }
  });

  it('values that went through a danfojs tensor are float32: within tolerance, not exact', () => {
    const head = bars.slice(0, 200);
    const prices = new dfd.DataFrame({ open: [...head.open], high: [...head.high], low: [...head.low], close: [...head.close] });
    const rounded = prices.tensor.arraySync(); // float32
    const df = new dfd.DataFrame(
      rounded.map((row, i) => [new Date(head.time[i]!).toISOString(), ...row]),
      { columns: ['Date', 'Open', 'High', 'Low', 'Close'] },
    );
    const back = fromDataFrame(df);
    expect([...back.time]).toEqual([...head.time]);
    expectWithinFloat32(back.close, head.close);
    expect(back.close[0]).not.toBe(head.close[0]); // 1455.219971 -> 1455.2199707...
    expect(back.close[0]).toBe(Math.fround(1455.219971));
  });

  it('the float32 trap for times: epoch ms through a tensor lose minutes, which is why time is stored as dates', () => {
    const df = toDataFrame(bars.slice(0, 1), { timeFormat: 'ms' });
    const viaTensor = (df as unknown as { tensor: { arraySync(): number[][] } }).tensor.arraySync()[0]![0]!;
    expect(Math.abs(viaTensor - bars.time[0]!)).toBeGreaterThan(1000);
  });

  it('reads a DataFrame with Yahoo-style names, strings from CSV, and dates in the index', () => {
    const byName = new dfd.DataFrame({ Date: ['2024-01-02', '2024-01-03'], Close: [10, 11], 'Adj Close': [5, 5.5], Volume: [7, 8] });
    const adjusted = fromDataFrame(byName, { useAdjusted: true });
    expect([...adjusted.close]).toEqual([5, 5.5]);
    expect([...adjusted.time]).toEqual([utc(2024, 1, 2), utc(2024, 1, 3)]);
    expect([...adjusted.volume]).toEqual([7, 8]);

    const indexed = new dfd.DataFrame({ price: [1, 2] }, { index: ['2024-01-02', '2024-01-03'] });
    expect([...fromDataFrame(indexed).time]).toEqual([utc(2024, 1, 2), utc(2024, 1, 3)]);
  });

  it('toBarSeries accepts a DataFrame', () => {
    const df = toDataFrame(bars.slice(0, 10));
    expect(isDataFrameLike(df)).toBe(true);
    expect([...toBarSeries(df).close]).toEqual([...bars.close.subarray(0, 10)]);
  });

  it('bad DataFrame data names the row, the column and the value', () => {
    const df = new dfd.DataFrame({ date: ['2024-01-02', '2024-01-03'], close: [10, -1] });
    const error = catchError(() => fromDataFrame(df), 'INVALID_DATA');
    expect(error.message).toBe('row 1, column "close": price must be a finite positive price, got -1');
    const noTime = new dfd.DataFrame({ close: [10, 11] });
    expect(catchError(() => fromDataFrame(noTime), 'INVALID_DATA').details.field).toBe('time');
  });

  it('bad arguments', () => {
    expect(catchError(() => fromDataFrame({} as never), 'INVALID_ARGUMENT').message).toBe(
      'fromDataFrame: df must be a danfojs DataFrame (columns, column(), shape), got {}',
    );
    expect(catchError(() => toDataFrame({ time: [] } as never), 'INVALID_ARGUMENT').details.field).toBe('series');
    expect(catchError(() => toDataFrame(bars, { timeFormat: 'unix' as never }), 'INVALID_CONFIG').message).toMatch(
      /^Invalid toDataFrame options:\ntimeFormat: .*got "unix"$/,
    );
    expect(catchError(() => toDataFrame(bars, { index: true } as never), 'INVALID_CONFIG').message).toBe(
      'Invalid toDataFrame options:\nindex: unknown key (check the spelling)',
    );
    const empty = BarSeries.fromPrices([], []);
    expect(catchError(() => toDataFrame(empty), 'INVALID_DATA').details.field).toBe('series');
  });
});
