import { AlgoTradingError, parseOptions, zIntegerAtLeast, zPositive } from '@algo-trading/core';
import { z } from 'zod';
import { atr } from '../indicators/atr';
import { bollingerPercentB } from '../indicators/bollinger';
import { ema } from '../indicators/ema';
import { macd } from '../indicators/macd';
import { rollingStd, zScore } from '../indicators/rolling-std';
import { rsi } from '../indicators/rsi';
import { sma } from '../indicators/sma';
import { toBarSeries } from '@algo-trading/data';
import type { BarsInput } from './bars-input';
import { FeatureFrame } from './feature-frame';

const periods = (min: number) => z.array(zIntegerAtLeast(min));

/** zod schema of {@link FeatureSpec}: strict, defaults applied; `null` disables a feature group. */
export const featureSpecSchema = z
  .strictObject({
    returnHorizons: periods(1).default([1, 5, 10, 20]),
    logReturnHorizons: periods(1).default([1, 5, 10, 20]),
    smaPeriods: periods(1).default([10, 20, 50]),
    emaPeriods: periods(1).default([12, 26]),
    rsiPeriod: zIntegerAtLeast(1).nullable().default(14),
    macd: z
      .strictObject({
        fast: zIntegerAtLeast(1).default(12),
        slow: zIntegerAtLeast(2).default(26),
        signal: zIntegerAtLeast(1).default(9),
      })
      .refine((m) => m.fast < m.slow, { error: 'fast must be smaller than slow', path: ['fast'] })
      .nullable()
      .default({ fast: 12, slow: 26, signal: 9 }),
    bollinger: z
      .strictObject({ period: zIntegerAtLeast(1).default(20), stdDev: zPositive().default(2) })
      .nullable()
      .default({ period: 20, stdDev: 2 }),
    atrPeriod: zIntegerAtLeast(1).nullable().default(14),
    volatilityWindows: periods(2).default([20]),
    volumeZScoreWindow: zIntegerAtLeast(2).nullable().default(20),
  })
  .default({
    returnHorizons: [1, 5, 10, 20],
    logReturnHorizons: [1, 5, 10, 20],
    smaPeriods: [10, 20, 50],
    emaPeriods: [12, 26],
    rsiPeriod: 14,
    macd: { fast: 12, slow: 26, signal: 9 },
    bollinger: { period: 20, stdDev: 2 },
    atrPeriod: 14,
    volatilityWindows: [20],
    volumeZScoreWindow: 20,
  });

/** Which features {@link buildFeatures} computes (input form: every key optional). */
export type FeatureSpec = z.input<typeof featureSpecSchema>;
/** {@link FeatureSpec} with defaults applied. */
export type ResolvedFeatureSpec = z.output<typeof featureSpecSchema>;

/** Column names {@link buildFeatures} produces for `spec`, in order (without computing anything). */
export function featureColumnNames(spec?: FeatureSpec): string[] {
  const s = parseOptions(featureSpecSchema, spec, { what: 'feature spec', code: 'INVALID_ARGUMENT' });
  return planColumns(s).map((c) => c.name);
}

interface PlannedColumn {
  readonly name: string;
  readonly compute: (ctx: Context) => Float64Array;
}

interface Context {
  readonly close: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly volume: Float64Array;
  oneBarReturns?: Float64Array;
  macd?: ReturnType<typeof macd>;
}

function simpleReturns(close: Float64Array, h: number): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n && i < h; i++) out[i] = Number.NaN;
  for (let i = h; i < n; i++) out[i] = close[i]! / close[i - h]! - 1;
  return out;
}

function logReturns(close: Float64Array, h: number): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n && i < h; i++) out[i] = Number.NaN;
  for (let i = h; i < n; i++) out[i] = Math.log(close[i]! / close[i - h]!);
  return out;
}

/** In place: x[i] <- x[i] / close[i] - 1 (a price-level indicator as a distance from the close). */
function closeOverMinusOne(values: Float64Array, close: Float64Array): Float64Array {
  for (let i = 0; i < values.length; i++) values[i] = close[i]! / values[i]! - 1;
  return values;
}

/** In place: x[i] <- x[i] / close[i]. */
function overClose(values: Float64Array, close: Float64Array): Float64Array {
  for (let i = 0; i < values.length; i++) values[i] = values[i]! / close[i]!;
  return values;
}

function oneBar(ctx: Context): Float64Array {
  ctx.oneBarReturns ??= simpleReturns(ctx.close, 1);
  return ctx.oneBarReturns;
}

function macdOf(ctx: Context, m: { fast: number; slow: number; signal: number }): ReturnType<typeof macd> {
  ctx.macd ??= macd(ctx.close, m);
  return ctx.macd;
}

function planColumns(s: ResolvedFeatureSpec): PlannedColumn[] {
  const plan: PlannedColumn[] = [];
  for (const h of s.returnHorizons) {
    plan.push({ name: `return_${h}`, compute: (ctx) => (h === 1 ? Float64Array.from(oneBar(ctx)) : simpleReturns(ctx.close, h)) });
  }
  for (const h of s.logReturnHorizons) plan.push({ name: `log_return_${h}`, compute: (ctx) => logReturns(ctx.close, h) });
  for (const p of s.smaPeriods) plan.push({ name: `sma_ratio_${p}`, compute: (ctx) => closeOverMinusOne(sma(ctx.close, p), ctx.close) });
  for (const p of s.emaPeriods) plan.push({ name: `ema_ratio_${p}`, compute: (ctx) => closeOverMinusOne(ema(ctx.close, p), ctx.close) });
  if (s.rsiPeriod !== null) {
    const p = s.rsiPeriod;
    plan.push({ name: `rsi_${p}`, compute: (ctx) => rsi(ctx.close, p) });
  }
  if (s.macd !== null) {
    const m = s.macd;
    plan.push({ name: 'macd', compute: (ctx) => overClose(Float64Array.from(macdOf(ctx, m).macd), ctx.close) });
    plan.push({ name: 'macd_signal', compute: (ctx) => overClose(Float64Array.from(macdOf(ctx, m).signal), ctx.close) });
    plan.push({ name: 'macd_hist', compute: (ctx) => overClose(Float64Array.from(macdOf(ctx, m).histogram), ctx.close) });
  }
  if (s.bollinger !== null) {
    const b = s.bollinger;
    plan.push({ name: `bb_percent_b_${b.period}`, compute: (ctx) => bollingerPercentB(ctx.close, b) });
  }
  if (s.atrPeriod !== null) {
    const p = s.atrPeriod;
    plan.push({ name: `atr_ratio_${p}`, compute: (ctx) => overClose(atr(ctx, p), ctx.close) });
  }
  for (const w of s.volatilityWindows) plan.push({ name: `volatility_${w}`, compute: (ctx) => rollingStd(oneBar(ctx), w) });
  if (s.volumeZScoreWindow !== null) {
    const w = s.volumeZScoreWindow;
    plan.push({ name: `volume_zscore_${w}`, compute: (ctx) => zScore(ctx.volume, w) });
  }
  return plan;
}

/**
 * Builds model features from bars. Every value at bar t uses bars `0..t` only (no look-ahead);
 * values that need more history than exists are NaN (the warm-up), which the strategy treats as
 * "no prediction".
 *
 * Default columns (see the README for formulas):
 * `return_h` and `log_return_h` (h = 1, 5, 10, 20), `sma_ratio_p` = close / SMA(p) - 1
 * (p = 10, 20, 50), `ema_ratio_p` (p = 12, 26), `rsi_14` (Wilder, 0..100), `macd`, `macd_signal`,
 * `macd_hist` (12/26/9, divided by the close so they do not scale with the price level),
 * `bb_percent_b_20` (Bollinger %B, 2 sigma), `atr_ratio_14` = ATR(14) / close, `volatility_20`
 * (sample std of 1-bar returns), `volume_zscore_20`.
 *
 * @param bars a `BarSeries` or OHLCV columns (validated).
 * @param spec which features; `null` disables a group, an empty array disables a family.
 * @example
 * const features = buildFeatures(bars);                        // default spec
 * const small = buildFeatures(bars, { smaPeriods: [5], macd: null });
 * features.columns; features.column('rsi_14'); features.toMatrix(features.finiteRows());
 */
export function buildFeatures(bars: BarsInput, spec?: FeatureSpec): FeatureFrame {
  const s = parseOptions(featureSpecSchema, spec, { what: 'feature spec', code: 'INVALID_ARGUMENT' });
  const series = toBarSeries(bars);
  const plan = planColumns(s);
  const seen = new Set<string>();
  for (const column of plan) {
    if (seen.has(column.name)) {
      // duplicates come from repeated periods in the spec, e.g. smaPeriods: [10, 10]
      throw new AlgoTradingError('INVALID_ARGUMENT', `feature spec produces the column ${column.name} twice: remove the repeated period`, {
        details: { field: 'spec', value: column.name },
      });
    }
    seen.add(column.name);
  }
  const ctx: Context = { close: series.close, high: series.high, low: series.low, volume: series.volume };
  const values: Record<string, Float64Array> = {};
  for (const column of plan) values[column.name] = column.compute(ctx);
  return FeatureFrame.fromOwnedColumns(
    values,
    plan.map((c) => c.name),
    Float64Array.from(series.time),
  );
}
