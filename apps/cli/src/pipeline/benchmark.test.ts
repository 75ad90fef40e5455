import { BarSeries, isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load';
import { alignAsOf, benchmarkSeries, buyAndHold, compareWithBenchmark, type BenchmarkSeries } from './benchmark';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function bars(opens: readonly number[], closes: readonly number[], options: { start?: number; symbol?: string } = {}): BarSeries {
  const start = options.start ?? T0;
  return BarSeries.fromRows(
    closes.map((c, i) => ({ time: start + i * DAY, open: opens[i]!, high: Math.max(opens[i]!, c), low: Math.min(opens[i]!, c), close: c })),
    { symbol: options.symbol ?? 'BH' },
  );
}

// Capital 1000, commission 0.1% of the traded value, slippage 10 bps, whole units.
const config = validateConfig({ backtesting: { initial_capital: 1000, transaction_cost: 0.001, slippage_bps: 10, lot_size: 1 } }, 'test');
const OPENS = [100, 101, 103, 102, 106];
const CLOSES = [100.5, 102, 104, 101, 105];

describe('buyAndHold (through the engine)', () => {
  it('5 bars with costs, by hand', async () => {
    const { equity, entry } = await buyAndHold(bars(OPENS, CLOSES), config);
    // The buy fills at bar 1's open plus slippage: 101 x 1.001 = 101.101. All in, commission
    // included: floor(1000 / (101.101 x 1.001)) = floor(9.88...) = 9 units. Cash left:
    // 1000 - 9 x 101.101 x 1.001 = 89.181091.
    expect(entry).toEqual({ time: T0 + DAY, price: 101 * 1.001, quantity: 9 });
    const cash = 1000 - 9 * 101.101 * 1.001;
    const expected = [1000, cash + 9 * 102, cash + 9 * 104, cash + 9 * 101, cash + 9 * 105];
    expected.forEach((e, i) => expect(equity[i]).toBeCloseTo(e, 9));
    // Total return 3.4181091%; the position is marked at the last close, not sold.
    expect(equity[4]! / 1000 - 1).toBeCloseTo(0.034181091, 9);
  });

  it('buys nothing when one lot costs more than the capital', async () => {
    const { equity, entry } = await buyAndHold(bars(OPENS, CLOSES), validateConfig({ backtesting: { initial_capital: 50 } }, 'test'));
    expect(entry).toBeNull();
    expect([...equity]).toEqual([50, 50, 50, 50, 50]);
  });
});

describe('alignAsOf', () => {
  it('takes the last value at or before each time, the initial value before the first', () => {
    const out = alignAsOf([10, 20, 30, 40, 50], [15, 20, 45], [1, 2, 3], { before: 0, byDate: false });
    expect([...out]).toEqual([0, 2, 2, 2, 3]);
  });

  it('compares UTC dates for daily data, so closes stamped at different hours of a day match', () => {
    const strategy = [T0, T0 + DAY, T0 + 2 * DAY]; // midnight UTC
    const benchmark = [T0 + 21 * 3_600_000, T0 + DAY + 21 * 3_600_000, T0 + 2 * DAY + 21 * 3_600_000]; // 21:00 UTC
    expect([...alignAsOf(strategy, benchmark, [1, 2, 3], { before: 0, byDate: true })]).toEqual([1, 2, 3]);
    expect([...alignAsOf(strategy, benchmark, [1, 2, 3], { before: 0, byDate: false })]).toEqual([0, 1, 2]);
  });
});

describe('benchmarkSeries', () => {
  it('buys and holds the strategy bars by default', async () => {
    const b = await benchmarkSeries({ bars: bars(OPENS, CLOSES), config });
    expect(b).toMatchObject({ kind: 'buy_and_hold', label: 'Buy and hold BH', source: 'same data', alignment: 'same_bars', notes: [] });
    expect(b.equity).toHaveLength(5);
  });

  it('cuts another series to the period, runs it through the engine and aligns it by date', async () => {
    // The other series starts two days earlier, at 21:00 UTC, and ends one day early.
    const start = T0 - 2 * DAY + 21 * 3_600_000;
    const other = bars([50, 50, 50, 52, 53, 54], [50, 50, 51, 52, 53, 54], { start, symbol: 'IDX' });
    const b = await benchmarkSeries({ bars: bars(OPENS, CLOSES), config, other: { bars: other, source: 'idx.csv' } });
    expect(b.alignment).toBe('as_of_date');
    expect(b.label).toBe('Buy and hold IDX');
    // In the period: its bars 2..5 (Jan 1..4). Buy at Jan 2's open 52 x 1.001 = 52.052:
    // floor(1000 / (52.052 x 1.001)) = 19 units, cash 1000 - 19 x 52.052 x 1.001.
    expect(b.entry?.quantity).toBe(19);
    const cash = 1000 - 19 * 52.052 * 1.001;
    const expected = [1000, cash + 19 * 52, cash + 19 * 53, cash + 19 * 54, cash + 19 * 54];
    expected.forEach((e, i) => expect(b.equity[i]).toBeCloseTo(e, 9));
    expect(b.notes).toEqual([expect.stringContaining("the benchmark's last bar is 2024-01-04, before the run's last bar 2024-01-05")]);
  });

  it('names the periods when the other series does not overlap the run', async () => {
    const other = bars([1, 1], [1, 1], { start: T0 + 100 * DAY });
    try {
      await benchmarkSeries({ bars: bars(OPENS, CLOSES), config, other: { bars: other, source: 'late.csv' } });
      expect.unreachable();
    } catch (error) {
      expect(isAlgoTradingError(error, 'INVALID_DATA')).toBe(true);
      expect((error as Error).message).toBe(
        'benchmark late.csv has no bar between 2024-01-01 and 2024-01-05, the period of the run (it spans 2024-04-10 to 2024-04-11)',
      );
    }
  });
});

describe('compareWithBenchmark', () => {
  const time = [T0, T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY];
  const series = (equity: number[]): BenchmarkSeries => ({
    kind: 'buy_and_hold',
    label: 'B',
    source: 'same data',
    symbol: 'B',
    equity: Float64Array.from(equity),
    alignment: 'same_bars',
    entry: null,
    notes: [],
  });

  it('a strategy equal to its benchmark has beta 1, alpha 0 and no excess return', () => {
    const equity = [100, 110, 99, 108.9];
    const r = compareWithBenchmark({ benchmark: series(equity), equity, time, initialCapital: 100, periodsPerYear: 252, strategyTotalReturn: 0.089 });
    expect(r.relative.beta).toBeCloseTo(1, 12);
    expect(r.relative.alpha).toBeCloseTo(0, 12);
    expect(r.relative.informationRatio).toBeNaN(); // no active return at all
    expect(r.relative.excessReturn).toBeCloseTo(0, 12);
    expect(r.metrics.totalReturn).toBeCloseTo(0.089, 12);
    expect(r.metrics.maxDrawdown).toBeCloseTo(-0.1, 12);
    expect(Array.from(r.equity)).toEqual(equity);
    expect(r.alignmentNote).toBe('the same bars as the strategy');
  });

  it('per-bar returns from the capital: a strategy at twice the benchmark moves has beta 2', () => {
    // Benchmark returns [0, 0.1, -0.1, 0.1]; strategy [0, 0.2, -0.2, 0.2].
    const bench = [100, 110, 99, 108.9];
    const strategy = [100, 120, 96, 115.2];
    const r = compareWithBenchmark({ benchmark: series(bench), equity: strategy, time, initialCapital: 100, periodsPerYear: 252, strategyTotalReturn: 0.152 });
    expect(r.relative.beta).toBeCloseTo(2, 12);
    expect(r.relative.alpha).toBeCloseTo(0, 12); // mean(r - 2 b) = 0
    // active = [0, 0.1, -0.1, 0.1]: mean 0.025, squared deviations sum to 0.0275, std (ddof 1) sqrt(0.0275 / 3)
    expect(r.relative.informationRatio).toBeCloseTo(0.025 / Math.sqrt(0.0275 / 3), 10);
    expect(r.relative.excessReturn).toBeCloseTo(0.152 - 0.089, 12);
  });
});
