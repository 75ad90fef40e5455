import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BAR_COLUMNS, BarSeries, isBarSeries, validateBarColumns, type BarInput } from './bar-series';
import { catchAlgoTradingError } from './testing';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 2);

const rows = (): BarInput[] => [
  { time: T0, open: 10, high: 12, low: 9, close: 11, volume: 100 },
  { time: T0 + DAY, open: 11, high: 13, low: 10.5, close: 12, volume: 150 },
  { time: T0 + 2 * DAY, open: 12, high: 12.5, low: 11, close: 11.5, volume: 80 },
];

const columnsOf = (s: BarSeries) => ({
  time: [...s.time],
  open: [...s.open],
  high: [...s.high],
  low: [...s.low],
  close: [...s.close],
  volume: [...s.volume],
});

describe('BarSeries.fromRows', () => {
  it('builds Float64Array columns in row order', () => {
    const bars = BarSeries.fromRows(rows(), { symbol: 'SPY' });
    expect(bars.length).toBe(3);
    expect(bars.symbol).toBe('SPY');
    for (const name of BAR_COLUMNS) expect(bars[name]).toBeInstanceOf(Float64Array);
    expect(columnsOf(bars)).toEqual({
      time: [T0, T0 + DAY, T0 + 2 * DAY],
      open: [10, 11, 12],
      high: [12, 13, 12.5],
      low: [9, 10.5, 11],
      close: [11, 12, 11.5],
      volume: [100, 150, 80],
    });
  });

  it('reads text times with the strict rules: UTC without an offset, no rollover, no Date.parse guesses', () => {
    const at = (time: string) => BarSeries.fromRows([{ time, open: 1, high: 1, low: 1, close: 1 }]).time[0];
    // Without an offset a date-time is UTC whatever the machine's time zone (Date.parse uses local time).
    expect(at('2024-01-02T09:30:00')).toBe(Date.UTC(2024, 0, 2, 9, 30));
    expect(at('2024-01-02T09:30:00+02:00')).toBe(Date.UTC(2024, 0, 2, 7, 30));
    expect(at('20240102')).toBe(T0);
    expect(at('1704153600000')).toBe(T0);
    // Date.parse made 2023-03-02 of this, 2001 of '1', and accepted a US (or is it European?) date.
    for (const [text, hint] of [
      ['2023-02-30', 'that exists'],
      ['1', 'a number below 100000000 is ambiguous'],
      ['2020', 'as epoch seconds it would be 1970-01-01T00:33:40.000Z'],
      ['01/02/2020', 'expected an ISO date'],
    ] as const) {
      const error = catchAlgoTradingError(() => BarSeries.fromRows([rows()[0]!, { ...rows()[1]!, time: text }]), 'INVALID_DATA');
      expect(error.message, text).toContain(hint);
      expect(error.message, text).toMatch(new RegExp(`^time\\[1\\] is not a time: .*, got "${text.replace('/', '\\/')}"$`));
      expect(error.details).toEqual({ field: 'time', index: 1, value: text });
    }
  });

  it('accepts times as epoch ms, Date or ISO string, and a missing volume as 0', () => {
    const bars = BarSeries.fromRows([
      { time: T0, open: 1, high: 1, low: 1, close: 1 },
      { time: new Date(T0 + DAY), open: 1, high: 1, low: 1, close: 1 },
      { time: '2024-01-04', open: 1, high: 1, low: 1, close: 1 },
    ]);
    expect([...bars.time]).toEqual([T0, T0 + DAY, T0 + 2 * DAY]);
    expect([...bars.volume]).toEqual([0, 0, 0]);
  });

  it('an empty array gives an empty series without symbol', () => {
    const bars = BarSeries.fromRows([]);
    expect(bars.length).toBe(0);
    expect(bars.symbol).toBeUndefined();
  });

  it('rejects a non-array, a non-object row, an unreadable time and non-number fields', () => {
    expect(catchAlgoTradingError(() => BarSeries.fromRows('bars' as never), 'INVALID_DATA').message).toBe('rows must be an array of bars, got "bars"');
    expect(catchAlgoTradingError(() => BarSeries.fromRows([rows()[0]!, null as never]), 'INVALID_DATA').message).toBe('rows[1] must be a bar object, got null');
    const time = catchAlgoTradingError(() => BarSeries.fromRows([{ ...rows()[0]!, time: 'someday' }]), 'INVALID_DATA');
    expect(time.message).toBe(
      'time[0] is not a time: expected an ISO date (YYYY-MM-DD, optionally THH:MM[:SS[.fff]] with Z or +-HH:MM), a compact date (YYYYMMDD or YYYYMMDDHHMMSS), epoch seconds or milliseconds, or a Date, got "someday"',
    );
    expect(time.details).toEqual({ field: 'time', index: 0, value: 'someday' });
    expect(catchAlgoTradingError(() => BarSeries.fromRows([{ ...rows()[0]!, time: true as never }]), 'INVALID_DATA').details.field).toBe('time');
    const close = catchAlgoTradingError(() => BarSeries.fromRows([rows()[0]!, { ...rows()[1]!, close: '12' as never }]), 'INVALID_DATA');
    expect(close.message).toBe('close[1] must be a number, got "12"');
    expect(close.details).toEqual({ field: 'close', index: 1, value: '12' });
    expect(catchAlgoTradingError(() => BarSeries.fromRows([{ ...rows()[0]!, volume: '100' as never }]), 'INVALID_DATA').message).toBe('volume[0] must be a number, got "100"');
    // null counts as a missing volume (0), like undefined.
    expect(BarSeries.fromRows([{ ...rows()[0]!, volume: null as never }]).volume[0]).toBe(0);
  });
});

describe('BarSeries.fromColumns', () => {
  const cols = () => ({
    time: [T0, T0 + DAY],
    open: [10, 11],
    high: [12, 13],
    low: [9, 10.5],
    close: [11, 12],
    volume: [100, 150],
  });

  it('copies any array-like into new Float64Arrays', () => {
    const source = { ...cols(), close: new Float32Array([11, 12]) };
    const bars = BarSeries.fromColumns(source);
    expect(columnsOf(bars).close).toEqual([11, 12]);
    source.close[0] = 999;
    source.open[0] = 999;
    expect(bars.close[0]).toBe(11);
    expect(bars.open[0]).toBe(10);
  });

  it('a missing volume column is all zeros', () => {
    const { volume: _volume, ...rest } = cols();
    expect([...BarSeries.fromColumns(rest).volume]).toEqual([0, 0]);
  });

  it('rejects unequal lengths, naming the column and both lengths', () => {
    const error = catchAlgoTradingError(() => BarSeries.fromColumns({ ...cols(), low: [9] }), 'INVALID_DATA');
    expect(error.message).toBe('column low has 1 values but time has 2: every column must have the same length');
    expect(error.details).toEqual({ field: 'low', value: 1 });
  });

  it('rejects missing and non-array columns and non-number values', () => {
    const { high: _high, ...noHigh } = cols();
    expect(catchAlgoTradingError(() => BarSeries.fromColumns(noHigh as never), 'INVALID_DATA').message).toBe('column high is missing');
    expect(catchAlgoTradingError(() => BarSeries.fromColumns({ ...cols(), time: 5 as never }), 'INVALID_DATA').message).toBe(
      'column time must be an array of numbers, got 5',
    );
    expect(catchAlgoTradingError(() => BarSeries.fromColumns({ ...cols(), open: 7 as never }), 'INVALID_DATA').message).toBe(
      'column open must be an array of numbers, got 7',
    );
    expect(catchAlgoTradingError(() => BarSeries.fromColumns({ ...cols(), open: [10, '11'] as never }), 'INVALID_DATA').message).toBe(
      'open[1] must be a number, got "11"',
    );
    expect(catchAlgoTradingError(() => BarSeries.fromColumns(null as never), 'INVALID_DATA').message).toBe('columns must be an object of arrays, got null');
  });
});

describe('BarSeries.fromPrices', () => {
  it('sets open = high = low = close = price and volume 0', () => {
    const bars = BarSeries.fromPrices([T0, T0 + DAY], [100, 101.5], { symbol: 'BTC' });
    expect(columnsOf(bars)).toEqual({
      time: [T0, T0 + DAY],
      open: [100, 101.5],
      high: [100, 101.5],
      low: [100, 101.5],
      close: [100, 101.5],
      volume: [0, 0],
    });
    expect(bars.symbol).toBe('BTC');
  });

  it('names the prices index and value of a bad price', () => {
    for (const bad of [0, -1, Number.NaN, Infinity]) {
      const error = catchAlgoTradingError(() => BarSeries.fromPrices([T0, T0 + DAY], [100, bad]), 'INVALID_DATA');
      expect(error.message).toBe(`prices[1] must be a finite positive price, got ${bad}`);
      expect(error.details).toEqual({ field: 'prices', index: 1, value: bad });
    }
  });

  it('rejects unequal lengths and a non-array of times', () => {
    expect(catchAlgoTradingError(() => BarSeries.fromPrices([T0], [1, 2]), 'INVALID_DATA').message).toBe(
      'column prices has 2 values but time has 1: every column must have the same length',
    );
    expect(catchAlgoTradingError(() => BarSeries.fromPrices(null as never, [1]), 'INVALID_DATA').message).toBe('times must be an array of numbers, got null');
  });

  it('still checks time order', () => {
    expect(catchAlgoTradingError(() => BarSeries.fromPrices([T0, T0], [1, 2]), 'INVALID_DATA').details).toMatchObject({ field: 'time', index: 1 });
  });
});

describe('BarSeries.fromValidatedColumns', () => {
  it('wraps the given arrays without copying', () => {
    const close = new Float64Array([11, 12]);
    const cols = {
      time: new Float64Array([T0, T0 + DAY]),
      open: new Float64Array([10, 11]),
      high: new Float64Array([12, 13]),
      low: new Float64Array([9, 10]),
      close,
      volume: new Float64Array(2),
    };
    const bars = BarSeries.fromValidatedColumns(cols);
    expect(bars.close).toBe(close);
  });

  it('rejects non-Float64Array columns and invalid values', () => {
    const cols = {
      time: new Float64Array([T0]),
      open: new Float64Array([10]),
      high: new Float64Array([12]),
      low: new Float64Array([9]),
      close: new Float64Array([11]),
      volume: new Float64Array(1),
    };
    expect(catchAlgoTradingError(() => BarSeries.fromValidatedColumns({ ...cols, high: [12] as never }), 'INVALID_DATA').message).toBe(
      'column high must be a Float64Array, got an array of length 1',
    );
    expect(catchAlgoTradingError(() => BarSeries.fromValidatedColumns({ ...cols, low: new Float64Array([13]) }), 'INVALID_DATA').details.field).toBe('low');
  });
});

describe('validation rules: each names the column, the index and the value', () => {
  // A valid base bar at index 1 that one test at a time breaks.
  const check = (patch: Partial<Record<'time' | 'open' | 'high' | 'low' | 'close' | 'volume', number>>) => {
    const cols = {
      time: new Float64Array([T0, T0 + DAY]),
      open: new Float64Array([10, 11]),
      high: new Float64Array([12, 13]),
      low: new Float64Array([9, 10]),
      close: new Float64Array([11, 12]),
      volume: new Float64Array([100, 150]),
    };
    for (const [k, v] of Object.entries(patch)) cols[k as keyof typeof cols][1] = v;
    return catchAlgoTradingError(() => validateBarColumns(cols), 'INVALID_DATA');
  };

  it.each([
    [{ time: Number.NaN }, 'time', 'time[1] must be finite epoch milliseconds, got NaN'],
    [{ time: Infinity }, 'time', 'time[1] must be finite epoch milliseconds, got Infinity'],
    [{ time: T0 }, 'time', `time[1] must be later than time[0] (${T0}): times must strictly increase, got ${T0}`],
    [{ time: T0 - 1 }, 'time', `time[1] must be later than time[0] (${T0}): times must strictly increase, got ${T0 - 1}`],
    [{ open: 0 }, 'open', 'open[1] must be a finite positive price, got 0'],
    [{ open: Number.NaN }, 'open', 'open[1] must be a finite positive price, got NaN'],
    [{ high: -13 }, 'high', 'high[1] must be a finite positive price, got -13'],
    [{ low: Infinity }, 'low', 'low[1] must be a finite positive price, got Infinity'],
    [{ close: -1 }, 'close', 'close[1] must be a finite positive price, got -1'],
    [{ low: 11.5 }, 'low', 'low[1] must be <= min(open, close) = 11, got 11.5'],
    [{ low: 11.5, open: 11.2, close: 12 }, 'low', 'low[1] must be <= min(open, close) = 11.2, got 11.5'],
    [{ low: 11.5, open: 12, close: 11.4 }, 'low', 'low[1] must be <= min(open, close) = 11.4, got 11.5'],
    [{ high: 11.5 }, 'high', 'high[1] must be >= max(open, close) = 12, got 11.5'],
    [{ high: 11.5, close: 11, open: 11.6 }, 'high', 'high[1] must be >= max(open, close) = 11.6, got 11.5'],
    [{ volume: -1 }, 'volume', 'volume[1] must be a finite non-negative number, got -1'],
    [{ volume: Number.NaN }, 'volume', 'volume[1] must be a finite non-negative number, got NaN'],
    [{ volume: Infinity }, 'volume', 'volume[1] must be a finite non-negative number, got Infinity'],
  ])('%o breaks the %s rule', (patch, field, message) => {
    const error = check(patch);
    expect(error.message).toBe(message);
    expect(error.details.field).toBe(field);
    expect(error.details.index).toBe(1);
    expect(error.details.value).toBe(Object.values(patch)[0]);
  });

  it('boundaries are allowed: low = open = close = high, volume 0', () => {
    expect(() => BarSeries.fromRows([{ time: T0, open: 5, high: 5, low: 5, close: 5, volume: 0 }])).not.toThrow();
  });

  it('columns of different lengths are rejected before any value', () => {
    const cols = {
      time: new Float64Array(2),
      open: new Float64Array(2),
      high: new Float64Array(2),
      low: new Float64Array(2),
      close: new Float64Array(2),
      volume: new Float64Array(3),
    };
    expect(catchAlgoTradingError(() => validateBarColumns(cols), 'INVALID_DATA').message).toBe('column volume has 3 values but time has 2');
  });

  it('property: any bar with low <= open, close <= high and increasing times is accepted', () => {
    const bar = fc.tuple(
      fc.double({ min: 1e-6, max: 1e9, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 10, noNaN: true }),
      fc.double({ min: 0, max: 1e12, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(bar, { maxLength: 50 }), (bars) => {
        const input = bars.map(([low, a, b, spread, volume], i) => {
          const high = low * (1 + spread);
          return {
            time: T0 + i * 60_000,
            low,
            high,
            open: Math.min(high, low + (high - low) * a),
            close: Math.min(high, low + (high - low) * b),
            volume,
          };
        });
        expect(BarSeries.fromRows(input).length).toBe(bars.length);
      }),
    );
  });
});

describe('views: length, slice, at, toRows, withSymbol', () => {
  const bars = BarSeries.fromRows(rows(), { symbol: 'SPY' });

  it('slice shares memory instead of copying, keeps the symbol and supports negative indices', () => {
    const tail = bars.slice(1);
    expect(tail.length).toBe(2);
    expect(tail.symbol).toBe('SPY');
    expect(tail.close.buffer).toBe(bars.close.buffer);
    expect(tail.close.byteOffset).toBe(Float64Array.BYTES_PER_ELEMENT);
    expect([...tail.close]).toEqual([12, 11.5]);
    expect([...bars.slice(-2, -1).time]).toEqual([T0 + DAY]);
    expect(bars.slice().length).toBe(3);
    expect(bars.slice(2, 1).length).toBe(0);
    expect(isBarSeries(tail)).toBe(true);
  });

  it('a write through a slice is visible in the parent (same memory)', () => {
    const copy = BarSeries.fromRows(rows());
    const view = copy.slice(1, 2);
    view.volume[0] = 999;
    expect(copy.volume[1]).toBe(999);
  });

  it('at returns a row object, counts negatives from the end, and undefined out of range', () => {
    expect(bars.at(0)).toEqual({ time: T0, open: 10, high: 12, low: 9, close: 11, volume: 100 });
    expect(bars.at(-1)).toEqual({ time: T0 + 2 * DAY, open: 12, high: 12.5, low: 11, close: 11.5, volume: 80 });
    expect(bars.at(3)).toBeUndefined();
    expect(bars.at(-4)).toBeUndefined();
    expect(bars.at(1.5)).toBeUndefined();
  });

  it('toRows gives every bar in order', () => {
    expect(bars.toRows()).toEqual(rows());
  });

  it('withSymbol shares memory and validates the symbol', () => {
    const other = bars.withSymbol('QQQ');
    expect(other.symbol).toBe('QQQ');
    expect(other.close).toBe(bars.close);
    expect(catchAlgoTradingError(() => bars.withSymbol(' '), 'INVALID_ARGUMENT').message).toBe('symbol must be a non-empty string, got " "');
  });

  it('constructors validate the symbol option', () => {
    expect(catchAlgoTradingError(() => BarSeries.fromRows(rows(), { symbol: '' }), 'INVALID_ARGUMENT').details).toEqual({ field: 'symbol', value: '' });
    expect(catchAlgoTradingError(() => BarSeries.fromPrices([T0], [1], { symbol: 5 as never }), 'INVALID_ARGUMENT').message).toBe(
      'symbol must be a non-empty string, got 5',
    );
  });
});

describe('isBarSeries', () => {
  it('recognises series by a Symbol.for marker that survives duplicate package copies', () => {
    expect(isBarSeries(BarSeries.fromPrices([T0], [1]))).toBe(true);
    expect(isBarSeries({ time: new Float64Array(), close: new Float64Array() })).toBe(false);
    expect(isBarSeries(null)).toBe(false);
    expect(isBarSeries('bars')).toBe(false);
    // What another copy of core would create: a different class with the same registered marker.
    const foreign = { [Symbol.for('@algo-trading/core:BarSeries')]: true };
    expect(isBarSeries(foreign)).toBe(true);
  });
});
