import { Decimal, type Fill, type Trade } from '@algo-trading/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IsoTimeFormatter, chunksText, csvChunks, csvField, csvNumber, equityCsv, equityCsvChunks, fillsCsv, isoTime, toCsv, tradesCsv } from './csv';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 2);

describe('csv writers', () => {
  it('escapes fields per RFC 4180 and writes NaN / null as empty', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(1.5)).toBe('1.5');
    expect(csvField(NaN)).toBe('');
    expect(csvField(Infinity)).toBe('Infinity');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(toCsv(['a', 'b'], [[1, 'x,y'], [null, 2]])).toBe('a,b\n1,"x,y"\n,2\n');
  });

  it('isoTime renders UTC and blanks non-finite times', () => {
    expect(isoTime(T0)).toBe('2024-01-02T00:00:00.000Z');
    expect(isoTime(NaN)).toBe('');
  });

  it('trades.csv has one line per trade with every column', () => {
    const trade: Trade = {
      symbol: 'SPY',
      side: 'long',
      quantity: 10,
      entryTime: T0,
      exitTime: T0 + 3 * DAY,
      entryPrice: 100,
      exitPrice: 103,
      entryBarIndex: 0,
      exitBarIndex: 3,
      grossPnl: 30,
      commission: 3.045,
      slippageCost: 1,
      pnl: 26.955,
      returnPct: 0.026955,
      initialRisk: 30,
      rMultiple: 0.8985,
      exitReason: 'take_profit',
      barsHeld: 3,
    };
    const text = tradesCsv([trade, { ...trade, initialRisk: null, rMultiple: null, exitReason: 'signal' }]);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'symbol,side,quantity,entry_time,exit_time,entry_price,exit_price,gross_pnl,commission,slippage_cost,pnl,return_pct,initial_risk,r_multiple,exit_reason,bars_held',
    );
    expect(lines[1]).toBe('SPY,long,10,2024-01-02T00:00:00.000Z,2024-01-05T00:00:00.000Z,100,103,30,3.045,1,26.955,0.026955,30,0.8985,take_profit,3');
    expect(lines[2]).toContain(',,,signal,3');
    expect(lines).toHaveLength(3);
  });

  it('fills.csv and equity.csv', () => {
    const fill: Fill = {
      time: T0,
      barIndex: 1,
      orderId: 0,
      symbol: 'SPY',
      side: 'buy',
      effect: 'open',
      quantity: 5,
      price: 100.05,
      referencePrice: 100,
      commission: 0.75,
      slippageCost: 0.25,
      reason: 'entry',
    };
    expect(fillsCsv([fill])).toBe(
      'time,bar_index,symbol,side,effect,quantity,price,reference_price,commission,slippage_cost,reason\n2024-01-02T00:00:00.000Z,1,SPY,buy,open,5,100.05,100,0.75,0.25,entry\n',
    );
    const curve = {
      time: Float64Array.of(T0, T0 + DAY),
      equity: Float64Array.of(10_000, 9_900),
      cash: Float64Array.of(10_000, 5_000),
      drawdown: Float64Array.of(0, 0.01),
    };
    expect(equityCsv(curve)).toBe(
      'time,equity,cash,drawdown\n2024-01-02T00:00:00.000Z,10000,10000,0\n2024-01-03T00:00:00.000Z,9900,5000,0.01\n',
    );
  });
});

describe('csvNumber', () => {
  it('drops the float noise of a price computation and keeps exact values', () => {
    // 1527.35 bought with 5 bps slippage: the double is 1528.1136749999998, the price 1528.113675.
    expect(String(1527.35 * (1 + 5 / 10_000))).toBe('1528.1136749999998');
    expect(csvNumber(1527.35 * (1 + 5 / 10_000))).toBe('1528.113675');
    expect(csvNumber(0.1 + 0.2)).toBe('0.3');
    expect(csvNumber(1528.25)).toBe('1528.25');
    expect(csvNumber(-12.5)).toBe('-12.5');
    expect(csvNumber(123_456_789)).toBe('123456789');
    expect(csvNumber(2 ** 60)).toBe('1152921504606850000');
    expect(csvNumber(1e-9 / 3)).toBe('3.33333333333333e-10');
    expect(csvNumber(NaN)).toBe('');
    expect(csvNumber(Infinity)).toBe('Infinity');
    expect(csvNumber(-Infinity)).toBe('-Infinity');
  });

  it('property: a cent price with slippage or a commission rate prints as its exact decimal value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 1, max: 100 }), fc.boolean(), (cents, bps, buy) => {
        const price = cents / 100;
        const factor = buy ? 1 + bps / 10_000 : 1 - bps / 10_000;
        const exact = new Decimal(String(price)).times(new Decimal(buy ? 10_000 + bps : 10_000 - bps).div(10_000));
        expect(csvNumber(price * factor)).toBe(exact.toString());
      }),
      { numRuns: 2000 },
    );
  });

  it('property: the same text as printing the 15-digit rounding back as a number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        const expected = Number.isInteger(x) && Math.abs(x) < 1e15 ? String(x) : String(Number(x.toPrecision(15)));
        expect(csvNumber(x)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('property: the same text as the 15-digit rounding where it is written digit by digit (1e-6 to 1e15), ties and near-ties included', () => {
    const reference = (x: number) => (Number.isInteger(x) && Math.abs(x) < 1e15 ? String(x) : String(Number(x.toPrecision(15))));
    const near = (x: number, steps: number) => {
      const bits = new Float64Array([x]);
      const word = new BigInt64Array(bits.buffer);
      word[0] = word[0]! + BigInt(steps);
      return bits[0]!;
    };
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e15, noNaN: true }), fc.boolean(), (x, negative) => {
        const value = negative ? -x : x;
        expect(csvNumber(value)).toBe(reference(value));
      }),
      { numRuns: 20_000 },
    );
    // Halfway between two 15-digit decimals, and the doubles next to it.
    fc.assert(
      fc.property(fc.integer({ min: 1e14, max: 1e15 - 1 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: -2, max: 2 }), (m, j, steps) => {
        const value = near((m + 0.5) / 10 ** j, steps);
        expect(csvNumber(value)).toBe(reference(value));
      }),
      { numRuns: 20_000 },
    );
    for (const value of [123456789012345.5, 999_999_999_999_999 + 0.375, 999_999_999_999_999 + 0.625, 1e-6, near(1e-6, -1), 1e14, near(1e14, -1), 0.1, 100, 1e-5, -0]) {
      expect(csvNumber(value)).toBe(reference(value));
    }
  });

  it('property: within 5e-15 of the value (half a unit in the 15th digit), never further', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), (x) => {
        const back = Number(csvNumber(x));
        expect(Math.abs(back - x)).toBeLessThanOrEqual(Math.abs(x) * 5e-15);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('streaming chunks', () => {
  it('a long file comes in chunks of whole lines that join to the same text', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => [i, `r${i}`] as const);
    const chunks = [...csvChunks(['n', 'name'], rows)];
    for (const chunk of chunks) expect(chunk.at(-1)).toBe(0x0a); // whole lines
    expect(chunksText(chunks)).toBe(toCsv(['n', 'name'], rows));
    expect(chunksText(chunks).split('\n')).toHaveLength(10_002);
    // 1 MiB chunks: 100,000 short rows take two, split at a line end, and join to every row.
    const many = Array.from({ length: 100_000 }, (_, i) => [i, `r${i}`] as const);
    const split = [...csvChunks(['n', 'name'], many)];
    expect(split.length).toBeGreaterThan(1);
    for (const chunk of split) expect(chunk.at(-1)).toBe(0x0a);
    expect(chunksText(split).split('\n')[100_000]).toBe('99999,r99999');
    // Text beyond ASCII is written as UTF-8.
    expect(toCsv(['name'], [['Zürich, "ÖBB" €']])).toBe('name\n"Zürich, ""ÖBB"" €"\n');

    const n = 30_000;
    const curve = {
      time: Float64Array.from({ length: n }, (_, i) => T0 + i * 60_000),
      equity: Float64Array.from({ length: n }, (_, i) => 10_000 + i * 0.1),
      cash: new Float64Array(n).fill(5_000),
      drawdown: new Float64Array(n),
    };
    const equityChunks = [...equityCsvChunks(curve)];
    expect(equityChunks.length).toBeGreaterThan(1);
    for (const chunk of equityChunks) expect(chunk.at(-1)).toBe(0x0a);
    const lines = chunksText(equityChunks).trimEnd().split('\n');
    expect(lines).toHaveLength(n + 1);
    expect(lines[n]).toBe('2024-01-22T19:59:00.000Z,12999.9,5000,0');
  });
});

describe('IsoTimeFormatter', () => {
  it('formats like toISOString, across days, years and odd milliseconds', () => {
    const formatter = new IsoTimeFormatter();
    fc.assert(
      fc.property(fc.integer({ min: -2_000_000_000_000, max: 4_102_444_800_000 }), (ms) => {
        expect(formatter.format(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 3000 },
    );
    expect(formatter.format(Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toBe('2024-02-29T23:59:59.999Z');
    expect(formatter.format(NaN)).toBe('');
    expect(formatter.format(1.5)).toBe(new Date(1.5).toISOString());
  });
});
