import { describe, expect, it } from 'vitest';
import { affinityOrder } from './affinity-order';
import { chunkUnits } from './execution';
import type { WorkUnit } from './results/row';

/** Units of a row-major grid (the last parameter fastest), as the spec expands it. */
function grid(fast: readonly number[], slow: readonly number[], fold: number | null = null, offset = 0): WorkUnit[] {
  const units: WorkUnit[] = [];
  for (const f of fast) {
    for (const s of slow) {
      const index = offset + units.length;
      units.push({ index, combination: units.length, key: `k${index}`, params: { fast: f, slow: s }, fold, segment: fold === null ? 'full' : 'train', start: 0, end: 10 });
    }
  }
  return units;
}

const params = (units: readonly WorkUnit[]) => units.map((u) => `${u.params['fast']}/${u.params['slow']}`);

describe('affinityOrder', () => {
  it('puts the parameter with the most values outermost', () => {
    expect(params(affinityOrder(grid([1, 2], [10, 20, 30])))).toEqual(['1/10', '2/10', '1/20', '2/20', '1/30', '2/30']);
    // Already outermost: the spec order is kept.
    expect(params(affinityOrder(grid([1, 2, 3], [10, 20])))).toEqual(['1/10', '1/20', '2/10', '2/20', '3/10', '3/20']);
  });

  it('keeps every unit once, and the folds in order', () => {
    const units = [...grid([1, 2], [10, 20, 30], 0), ...grid([1, 2], [10, 20, 30], 1, 6)];
    const ordered = affinityOrder(units);
    expect(ordered.map((u) => u.index).sort((a, b) => a - b)).toEqual(units.map((u) => u.index));
    expect(ordered.map((u) => u.fold)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
  });

  it('groups values of any type by first appearance', () => {
    const units = grid([1, 2], [10, 20, 30]).map((u) => ({ ...u, params: { ...u.params, slow: `s${u.params['slow']}`, flag: u.index % 2 === 0 } }));
    // slow has 3 values; fast and flag 2 each, so they follow in spec order.
    expect(affinityOrder(units).map((u) => [u.params['slow'], u.params['fast'], u.params['flag']])).toEqual([
      ['s10', 1, true],
      ['s10', 2, false],
      ['s20', 1, false],
      ['s20', 2, true],
      ['s30', 1, true],
      ['s30', 2, false],
    ]);
  });

  it('chunks of 20 fast x 50 slow periods on 2 threads compute each slow period in one thread only', () => {
    const fast = Array.from({ length: 20 }, (_, i) => 5 * (i + 1));
    const slow = Array.from({ length: 50 }, (_, i) => 110 + 10 * i);
    // Alternate chunks go to the two threads when every chunk takes about as long.
    const periodsPerThread = (units: readonly WorkUnit[]) => {
      const seen = [new Set<number>(), new Set<number>()];
      chunkUnits(units, 60).forEach((chunk, i) => {
        for (const u of chunk) seen[i % 2]!.add(u.params['fast'] as number).add(-(u.params['slow'] as number));
      });
      return seen[0]!.size + seen[1]!.size;
    };
    // Spec order: chunks of 60 span 1 to 2 fast periods and all 50 slow ones, in both threads.
    expect(periodsPerThread(grid(fast, slow))).toBe(133);
    // Affinity order: chunks of 60 are 3 slow periods x 20 fast ones; each slow period in one thread.
    expect(periodsPerThread(affinityOrder(grid(fast, slow)))).toBe(90);
  });
});
