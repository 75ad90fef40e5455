import { parseOptions, zIntegerAtLeast } from '@algo-trading/core';
import { z } from 'zod';
import { toBarSeries } from '@algo-trading/data';
import type { BarsInput } from '../features/bars-input';

const directionLabelsSchema = z.strictObject({ horizon: zIntegerAtLeast(1).default(1) }).default({ horizon: 1 });

/** Options of {@link directionLabels}. */
export type DirectionLabelsOptions = z.input<typeof directionLabelsSchema>;

/**
 * Next-`horizon`-bar direction labels: `1` when `close[t + horizon] > close[t]`, `0` otherwise
 * (a flat close is not "up"), NaN for the last `horizon` bars whose future is unknown.
 * Labels look forward by definition: never use them as features.
 *
 * @example
 * directionLabels(bars, { horizon: 1 }); // closes [1, 2, 2, 1] -> [1, 0, 0, NaN]
 */
export function directionLabels(bars: BarsInput, options?: DirectionLabelsOptions): Float64Array {
  const { horizon } = parseOptions(directionLabelsSchema, options, { what: 'directionLabels options', code: 'INVALID_ARGUMENT' });
  const close = toBarSeries(bars).close;
  const n = close.length;
  const out = new Float64Array(n).fill(Number.NaN);
  for (let t = 0; t + horizon < n; t++) out[t] = close[t + horizon]! > close[t]! ? 1 : 0;
  return out;
}
