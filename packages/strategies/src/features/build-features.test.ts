import { BarSeries, catchAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { barsFromCloses, syntheticBars } from '../../test/fixtures';
import { atr } from '../indicators/atr';
import { rsi } from '../indicators/rsi';
import { sma } from '../indicators/sma';
import { buildFeatures, featureColumnNames } from './build-features';
import { isFeatureFrame } from './feature-frame';

const DEFAULT_COLUMNS = [
  'return_1',
  'return_5',
  'return_10',
  'return_20',
  'log_return_1',
  'log_return_5',
  'log_return_10',
  'log_return_20',
  'sma_ratio_10',
  'sma_ratio_20',
  'sma_ratio_50',
  'ema_ratio_12',
  'ema_ratio_26',
  'rsi_14',
  'macd',
  'macd_signal',
  'macd_hist',
  'bb_percent_b_20',
  'atr_ratio_14',
  'volatility_20',
  'volume_zscore_20',
];

function firstFinite(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) return i;
  return -1;
}

describe('buildFeatures', () => {
  const bars = syntheticBars(300, 11);
  const frame = buildFeatures(bars);

  it('produces the default columns, aligned with the bars and their times', () => {
    expect(isFeatureFrame(frame)).toBe(true);
    expect(frame.columns).toEqual(DEFAULT_COLUMNS);
    expect(featureColumnNames()).toEqual(DEFAULT_COLUMNS);
    expect(frame.length).toBe(300);
    expect(Array.from(frame.time!)).toEqual(Array.from(bars.time));
    for (const c of frame.columns) expect(frame.column(c).length).toBe(300);
  });

  it('NaN exactly during each warm-up, finite afterwards', () => {
    const expectedFirst: Record<string, number> = {
      return_1: 1,
      return_20: 20,
      log_return_5: 5,
      sma_ratio_10: 9,
      sma_ratio_50: 49,
      ema_ratio_26: 25,
      rsi_14: 14,
      macd: 25,
      macd_signal: 33,
      macd_hist: 33,
      bb_percent_b_20: 19,
      atr_ratio_14: 14,
      volatility_20: 20,
      volume_zscore_20: 19,
    };
    for (const [column, first] of Object.entries(expectedFirst)) {
      const values = frame.column(column);
      expect(firstFinite(values), column).toBe(first);
      for (let i = first; i < values.length; i++) expect(Number.isFinite(values[i]!), `${column}[${i}]`).toBe(true);
    }
    // all features available from bar 49 (SMA 50) on
    expect(frame.finiteRows()[0]).toBe(49);
    expect(frame.finiteRows().length).toBe(300 - 49);
  });

  it('computes each family by its formula', () => {
    const c = bars.close;
    const t = 123;
    expect(frame.column('return_5')[t]).toBeCloseTo(c[t]! / c[t - 5]! - 1, 14);
    expect(frame.column('log_return_10')[t]).toBeCloseTo(Math.log(c[t]! / c[t - 10]!), 14);
    expect(frame.column('sma_ratio_20')[t]).toBeCloseTo(c[t]! / sma(c, 20)[t]! - 1, 14);
    expect(frame.column('rsi_14')[t]).toBe(rsi(c, 14)[t]);
    expect(frame.column('atr_ratio_14')[t]).toBeCloseTo(atr(bars, 14)[t]! / c[t]!, 14);
    let mean = 0;
    for (let j = t - 19; j <= t; j++) mean += frame.column('return_1')[j]!;
    mean /= 20;
    let ss = 0;
    for (let j = t - 19; j <= t; j++) ss += (frame.column('return_1')[j]! - mean) ** 2;
    expect(frame.column('volatility_20')[t]).toBeCloseTo(Math.sqrt(ss / 19), 12);
  });

  it('hand-computed returns on a tiny series', () => {
    const small = buildFeatures(barsFromCloses([100, 110, 99, 99]), {
      returnHorizons: [1, 2],
      logReturnHorizons: [1],
      smaPeriods: [2],
      emaPeriods: [],
      rsiPeriod: null,
      macd: null,
      bollinger: null,
      atrPeriod: null,
      volatilityWindows: [],
      volumeZScoreWindow: null,
    });
    expect(small.columns).toEqual(['return_1', 'return_2', 'log_return_1', 'sma_ratio_2']);
    const r1 = Array.from(small.column('return_1'));
    expect(r1[0]).toBeNaN();
    expect(r1[1]).toBeCloseTo(0.1, 14);
    expect(r1[2]).toBeCloseTo(-0.1, 14);
    expect(r1[3]).toBe(0);
    expect(small.column('return_2')[2]).toBeCloseTo(-0.01, 14);
    expect(small.column('log_return_1')[1]).toBeCloseTo(Math.log(1.1), 14);
    expect(small.column('sma_ratio_2')[1]).toBeCloseTo(110 / 105 - 1, 14);
    expect(small.column('sma_ratio_2')[3]).toBe(0);
  });

  it('volume z-score is 0 (not NaN) for price-only bars with zero volume', () => {
    const priceOnly = BarSeries.fromPrices(
      Array.from({ length: 30 }, (_, i) => i * 86_400_000),
      Array.from({ length: 30 }, (_, i) => 100 + i),
    );
    const f = buildFeatures(priceOnly);
    expect(f.column('volume_zscore_20')[25]).toBe(0);
  });

  it('accepts OHLCV columns and validates them', () => {
    const cols = { time: [1, 2, 3], open: [1, 2, 3], high: [1, 2, 3], low: [1, 2, 3], close: [1, 2, 3] };
    expect(buildFeatures(cols).length).toBe(3);
    expect(catchAlgoTradingError(() => buildFeatures({ ...cols, close: [1, -2, 3] }), 'INVALID_DATA').message).toContain('index 1, column "close"');
  });

  it('rejects a bad spec naming the key', () => {
    expect(catchAlgoTradingError(() => buildFeatures(bars, { smaPeriod: [5] } as never), 'INVALID_ARGUMENT').message).toContain('smaPeriod');
    expect(catchAlgoTradingError(() => buildFeatures(bars, { returnHorizons: [0] }), 'INVALID_ARGUMENT').message).toContain('returnHorizons.0');
    expect(catchAlgoTradingError(() => buildFeatures(bars, { macd: { fast: 30, slow: 26, signal: 9 } }), 'INVALID_ARGUMENT').message).toContain('fast');
    expect(catchAlgoTradingError(() => buildFeatures(bars, { smaPeriods: [10, 10] }), 'INVALID_ARGUMENT').message).toContain('sma_ratio_10');
  });
});
