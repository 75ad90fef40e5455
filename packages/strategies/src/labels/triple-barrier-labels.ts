import {
  INTRABAR_POLICIES,
  IntrabarHit,
  parseOptions,
  resolveIntrabarExit,
  zIntegerAtLeast,
  zPositive,
  type IntrabarExitOut,
} from '@algo-trading/core';
import { z } from 'zod';
import { toBarSeries } from '@algo-trading/data';
import type { BarsInput } from '../features/bars-input';

const tripleBarrierSchema = z.strictObject({
  profitTarget: zPositive(),
  stopLoss: zPositive().refine((v) => v < 1, { error: 'expected a number greater than 0 and below 1' }),
  maxHolding: zIntegerAtLeast(1),
  onTimeout: z.enum(['sign', 'drop']).default('sign'),
  intrabarPolicy: z.enum(INTRABAR_POLICIES).default('stop_first'),
});

/** Options of {@link tripleBarrierLabels}. */
export type TripleBarrierOptions = z.input<typeof tripleBarrierSchema>;

/**
 * Triple-barrier labels (Lopez de Prado) for a long entry at each bar's close:
 * an upper barrier at `close[t] x (1 + profitTarget)`, a lower barrier at
 * `close[t] x (1 - stopLoss)` and a time limit of `maxHolding` bars. Bars `t+1 .. t+maxHolding` are
 * scanned with the engine's intrabar rules (core `resolveIntrabarExit`: a gap through a barrier at
 * the open counts, and a bar touching both uses `intrabarPolicy`, default `stop_first`).
 *
 * Label: `1` when the profit target is hit first, `0` when the stop is hit first; at the time limit
 * `onTimeout: 'sign'` (default) gives 1 if the close then is above the entry and 0 otherwise, while
 * `'drop'` gives NaN (excluded from training). NaN when the data ends before any barrier is
 * reached and before the time limit (the outcome is unknown).
 *
 * @example
 * tripleBarrierLabels(bars, { profitTarget: 0.02, stopLoss: 0.01, maxHolding: 10 });
 */
export function tripleBarrierLabels(bars: BarsInput, options: TripleBarrierOptions): Float64Array {
  const { profitTarget, stopLoss, maxHolding, onTimeout, intrabarPolicy } = parseOptions(tripleBarrierSchema, options, {
    what: 'tripleBarrierLabels options',
    code: 'INVALID_ARGUMENT',
  });
  const { open, high, low, close } = toBarSeries(bars);
  const n = close.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const scratch: IntrabarExitOut = { price: 0 };
  for (let t = 0; t < n; t++) {
    const entry = close[t]!;
    const target = entry * (1 + profitTarget);
    const stop = entry * (1 - stopLoss);
    const last = t + maxHolding;
    const end = Math.min(last, n - 1);
    let label = Number.NaN;
    let decided = false;
    for (let j = t + 1; j <= end; j++) {
      const hit = resolveIntrabarExit(1, open[j]!, high[j]!, low[j]!, stop, target, intrabarPolicy, scratch);
      if (hit === IntrabarHit.TARGET) {
        label = 1;
        decided = true;
        break;
      }
      if (hit === IntrabarHit.STOP) {
        label = 0;
        decided = true;
        break;
      }
    }
    if (!decided && last <= n - 1) label = onTimeout === 'sign' ? (close[last]! > entry ? 1 : 0) : Number.NaN;
    out[t] = label;
  }
  return out;
}
