import { AlgoTradingError, parseOptions, zIntegerAtLeast } from '@algo-trading/core';
import { z } from 'zod';

/** zod schema of {@link WalkForwardSplitOptions}. */
export const walkForwardSplitSchema = z.strictObject({
  n: zIntegerAtLeast(1),
  trainSize: zIntegerAtLeast(1),
  testSize: zIntegerAtLeast(1),
  step: zIntegerAtLeast(1).optional(),
  embargo: zIntegerAtLeast(0).default(0),
  expanding: z.boolean().default(false),
  allowPartial: z.boolean().default(false),
});

/** Options of {@link walkForwardSplits}. */
export type WalkForwardSplitOptions = z.input<typeof walkForwardSplitSchema>;

/** One walk-forward fold: half-open index ranges `[start, end)`. */
export interface WalkForwardSplit {
  /** 0-based fold number. */
  readonly fold: number;
  readonly trainStart: number;
  readonly trainEnd: number;
  readonly testStart: number;
  readonly testEnd: number;
}

/**
 * Walk-forward folds over `n` rows: train on `[trainStart, trainEnd)`, skip `embargo` rows, test on
 * the next `testSize` rows; then move forward by `step` (default `testSize`). Rolling windows keep
 * `trainSize` rows; `expanding` windows start at 0 and grow. The last fold may have a shorter test
 * window with `allowPartial`. Test rows always come after every train row of their fold, with
 * at least `embargo` rows between them (set it to the label horizon to remove label overlap).
 *
 * Throws `INVALID_CONFIG` for bad options and when not even one fold fits in `n`.
 *
 * @example
 * walkForwardSplits({ n: 10, trainSize: 4, testSize: 2, embargo: 1 });
 * // [{ fold: 0, trainStart: 0, trainEnd: 4, testStart: 5, testEnd: 7 },
 * //  { fold: 1, trainStart: 2, trainEnd: 6, testStart: 7, testEnd: 9 }]
 */
export function walkForwardSplits(options: WalkForwardSplitOptions): WalkForwardSplit[] {
  const o = parseOptions(walkForwardSplitSchema, options, { what: 'walkForwardSplits options' });
  const step = o.step ?? o.testSize;
  const first = o.trainSize + o.embargo + o.testSize;
  if (first > o.n && !(o.allowPartial && o.trainSize + o.embargo < o.n)) {
    throw new AlgoTradingError(
      'INVALID_CONFIG',
      `trainSize (${o.trainSize}) + embargo (${o.embargo}) + testSize (${o.testSize}) = ${first} exceeds n (${o.n}): no fold fits`,
      { details: { field: 'n', value: o.n } },
    );
  }
  const splits: WalkForwardSplit[] = [];
  for (let k = 0; ; k++) {
    const trainEnd = o.trainSize + k * step;
    const trainStart = o.expanding ? 0 : trainEnd - o.trainSize;
    const testStart = trainEnd + o.embargo;
    let testEnd = testStart + o.testSize;
    if (testStart >= o.n) break;
    if (testEnd > o.n) {
      if (!o.allowPartial) break;
      testEnd = o.n;
    }
    splits.push({ fold: k, trainStart, trainEnd, testStart, testEnd });
    if (testEnd === o.n) break;
  }
  return splits;
}
