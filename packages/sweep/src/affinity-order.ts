import type { WorkUnit } from './results/row';
import type { ParamValue } from './spec/constraint';

/**
 * The order units are handed out in, so that combinations sharing an indicator run one after
 * another, hence in the same task and on the same worker: folds in order, then by the parameter
 * with the most distinct values, then the next one, and so on (ties: spec order).
 *
 * Tasks are runs of consecutive units. In spec order (row-major, the last parameter fastest), a
 * grid of 20 fast x 50 slow SMA periods gives every task most of the 50 slow periods, so every
 * worker computes nearly all of them; here a task holds a few slow periods with every fast one,
 * and each worker computes the 20 fast averages and mostly its own slow ones. A value ranks by
 * where it first appears, so values of any type group and the order is deterministic. The rows
 * of a sweep still come out in spec order (by index), whatever this order.
 */
export function affinityOrder(units: readonly WorkUnit[]): WorkUnit[] {
  if (units.length < 2) return [...units];
  const names = Object.keys(units[0]!.params);
  const ranks = names.map((name) => {
    const rank = new Map<ParamValue | undefined, number>();
    for (const unit of units) {
      const value = unit.params[name];
      if (!rank.has(value)) rank.set(value, rank.size);
    }
    return { name, rank };
  });
  // Array.prototype.sort is stable: equal counts keep the spec order.
  ranks.sort((a, b) => b.rank.size - a.rank.size);
  const foldOf = (unit: WorkUnit) => unit.fold ?? -1;
  return [...units].sort((a, b) => {
    const byFold = foldOf(a) - foldOf(b);
    if (byFold !== 0) return byFold;
    for (const { name, rank } of ranks) {
      const byValue = rank.get(a.params[name])! - rank.get(b.params[name])!;
      if (byValue !== 0) return byValue;
    }
    return a.index - b.index;
  });
}
