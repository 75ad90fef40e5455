import { AlgoTradingError, requireInteger, zIntegerAtLeast } from '@algo-trading/core';
import { z } from 'zod';
import { requireSameLength, requireSeries } from '../indicators/internal';
import { sma } from '../indicators/sma';
import type { ParameterizedStrategy } from './parameterized-strategy';

/** Periods of {@link smaCrossSignals}. */
export interface SmaCrossOptions {
  /** Fast moving-average period, an integer >= 1. */
  readonly fast: number;
  /** Slow moving-average period, an integer > fast. */
  readonly slow: number;
}

/**
 * SMA crossover signals, a rule-based strategy: `1` at the bar where SMA(fast) of the closes
 * crosses above SMA(slow), `-1` where it crosses below, `0` elsewhere (the warm-up included). The
 * value at bar t uses closes up to t only. Crosses are events, not states: after a stop-out the
 * strategy waits for the next cross up. A cross counts from equality (a difference of 0 up to rounding noise
 * followed by a positive one is a cross up).
 *
 * @example
 * const signals = smaCrossSignals(bars.close, { fast: 20, slow: 50 });
 * await engine.runBacktest({ data: bars, signals });
 * @throws AlgoTradingError `INVALID_ARGUMENT` unless fast and slow are integers with 1 <= fast < slow.
 */
export function smaCrossSignals(close: ArrayLike<number>, options: SmaCrossOptions): Int8Array {
  const fast = requireInteger('fast', options.fast, 1);
  const slow = requireInteger('slow', options.slow, 2);
  if (fast >= slow) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `fast must be less than slow, got fast ${fast} and slow ${slow}`, {
      details: { field: 'fast', value: fast },
    });
  }
  return crossoverSignals(sma(close, fast), sma(close, slow));
}

/**
 * Crossover events of two aligned series: `1` at the bar where `a` crosses above `b`, `-1` where
 * it crosses below, `0` elsewhere. A cross counts from equality (a difference of 0, or within
 * 1e-12 of the values' size, followed by a positive one is a cross up); a NaN on either side (a
 * warm-up) is never a cross.
 * The value at bar t uses `a` and `b` at t - 1 and t only. `smaCrossSignals` is this over two SMAs;
 * use it for any pair (EMA over SMA, price over a band).
 *
 * @example
 * crossoverSignals([1, 2, 3, 2], [2, 2, 2, 2]); // Int8Array [0, 0, 1, -1]
 * @throws AlgoTradingError `INVALID_ARGUMENT` when the series are not arrays of equal length.
 */
export function crossoverSignals(a: ArrayLike<number>, b: ArrayLike<number>): Int8Array {
  requireSeries('a', a);
  requireSeries('b', b);
  const n = requireSameLength({ a, b });
  const signals = new Int8Array(n);
  let previous = difference(a[0]!, b[0]!);
  for (let t = 1; t < n; t++) {
    const diff = difference(a[t]!, b[t]!);
    // NaN differences (warm-up) compare false, so no signal there.
    if (diff > 0 && previous <= 0) signals[t] = 1;
    else if (diff < 0 && previous >= 0) signals[t] = -1;
    previous = diff;
  }
  return signals;
}

/**
 * `x - y`, with a difference within rounding noise of the two values counted as equality (0).
 * Two averages of the same closes computed along different paths (a 3-bar and a 6-bar mean of a
 * flat stretch) differ in the last bits; without this a tie would be a cross or not by the noise.
 */
function difference(x: number, y: number): number {
  const d = x - y;
  return Math.abs(d) <= EQUALITY_TOLERANCE * Math.max(Math.abs(x), Math.abs(y)) ? 0 : d;
}

/** Relative difference below which two series values are equal: about 4,500 ulps of a double. */
const EQUALITY_TOLERANCE = 1e-12;

/** Parameters of {@link smaCross}: integers with 1 <= fast < slow. */
export const smaCrossParametersSchema = z
  .strictObject({ fast: zIntegerAtLeast(1), slow: zIntegerAtLeast(2) })
  .refine((p) => p.fast < p.slow, { error: 'fast must be less than slow', path: ['fast'] });

/**
 * The SMA crossover as a {@link ParameterizedStrategy} for parameter sweeps: the signals of
 * {@link smaCrossSignals} with parameters `fast` and `slow`. Each SMA goes through the sweep's
 * indicator cache under `sma:close:<period>`, so a grid of (fast, slow) pairs computes each
 * period once per worker.
 *
 * @example
 * // sweep spec (YAML): strategy: "@algo-trading/strategies#smaCross"
 * const { signals } = await smaCross.generate({ bars, params: { fast: 10, slow: 50 }, indicators });
 */
export const smaCross: ParameterizedStrategy<SmaCrossOptions> = {
  name: 'SMA crossover',
  parameters: smaCrossParametersSchema,
  generate({ bars, params, indicators }) {
    const fastMa = indicators.memo(`sma:close:${params.fast}`, () => sma(bars.close, params.fast));
    const slowMa = indicators.memo(`sma:close:${params.slow}`, () => sma(bars.close, params.slow));
    return { signals: crossoverSignals(fastMa, slowMa) };
  },
};
