import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INTRABAR_POLICIES, IntrabarHit, resolveIntrabarExit, type IntrabarPolicy } from './intrabar';

/** Runs the resolver with a fresh scratch object; price is NaN when nothing filled. */
function exit(direction: 1 | -1, bar: { o: number; h: number; l: number }, stop: number, target: number, policy: IntrabarPolicy = 'stop_first') {
  const out = { price: Number.NaN };
  const hit = resolveIntrabarExit(direction, bar.o, bar.h, bar.l, stop, target, policy, out);
  return { hit, price: out.price };
}

describe('constants', () => {
  it('codes and policies', () => {
    expect(IntrabarHit).toEqual({ NONE: 0, STOP: 1, TARGET: 2 });
    expect(INTRABAR_POLICIES).toEqual(['stop_first', 'target_first', 'nearest_first']);
  });
});

describe('long position (stop 95 below, target 110 above)', () => {
  const STOP = 95;
  const TARGET = 110;

  it('nothing touched', () => {
    expect(exit(1, { o: 100, h: 105, l: 97 }, STOP, TARGET)).toEqual({ hit: IntrabarHit.NONE, price: Number.NaN });
  });

  it('stop touched inside the bar fills at the stop', () => {
    expect(exit(1, { o: 100, h: 105, l: 94 }, STOP, TARGET)).toEqual({ hit: IntrabarHit.STOP, price: 95 });
    // Exactly touching counts.
    expect(exit(1, { o: 100, h: 105, l: 95 }, STOP, TARGET)).toEqual({ hit: IntrabarHit.STOP, price: 95 });
  });

  it('stop gapped through at the open fills at the open (worse than the stop)', () => {
    expect(exit(1, { o: 93, h: 96, l: 90 }, STOP, TARGET)).toEqual({ hit: IntrabarHit.STOP, price: 93 });
    expect(exit(1, { o: 95, h: 96, l: 94 }, STOP, TARGET)).toEqual({ hit: IntrabarHit.STOP, price: 95 });
  });

  it('target touched fills at the target; gapped fills at the (better) open', () => {
    expect(exit(1, { o: 100, h: 111, l: 98 }, STOP, TARGET)).toEqual({ hit: IntrabarHit.TARGET, price: 110 });
    expect(exit(1, { o: 100, h: 110, l: 98 }, STOP, TARGET)).toEqual({ hit: IntrabarHit.TARGET, price: 110 });
    expect(exit(1, { o: 112, h: 115, l: 109 }, STOP, TARGET)).toEqual({ hit: IntrabarHit.TARGET, price: 112 });
  });

  it('both touched: each policy decides', () => {
    const bar = { o: 100, h: 111, l: 94 };
    expect(exit(1, bar, STOP, TARGET, 'stop_first')).toEqual({ hit: IntrabarHit.STOP, price: 95 });
    expect(exit(1, bar, STOP, TARGET, 'target_first')).toEqual({ hit: IntrabarHit.TARGET, price: 110 });
    // nearest_first: open 100 is 5 from the stop and 10 from the target.
    expect(exit(1, bar, STOP, TARGET, 'nearest_first')).toEqual({ hit: IntrabarHit.STOP, price: 95 });
    // open 108 is 13 from the stop and 2 from the target.
    expect(exit(1, { o: 108, h: 111, l: 94 }, STOP, TARGET, 'nearest_first')).toEqual({ hit: IntrabarHit.TARGET, price: 110 });
    // A tie (7.5 each) goes to the stop, the conservative side.
    expect(exit(1, { o: 102.5, h: 111, l: 94 }, STOP, TARGET, 'nearest_first')).toEqual({ hit: IntrabarHit.STOP, price: 95 });
  });

  it('a gap through the stop wins over every policy even when the target is also touched', () => {
    for (const policy of INTRABAR_POLICIES) {
      expect(exit(1, { o: 94, h: 111, l: 90 }, STOP, TARGET, policy)).toEqual({ hit: IntrabarHit.STOP, price: 94 });
      expect(exit(1, { o: 111, h: 112, l: 94 }, STOP, TARGET, policy)).toEqual({ hit: IntrabarHit.TARGET, price: 111 });
    }
  });

  it('a missing level (NaN) never triggers', () => {
    expect(exit(1, { o: 100, h: 111, l: 94 }, Number.NaN, TARGET)).toEqual({ hit: IntrabarHit.TARGET, price: 110 });
    expect(exit(1, { o: 100, h: 111, l: 94 }, STOP, Number.NaN)).toEqual({ hit: IntrabarHit.STOP, price: 95 });
    expect(exit(1, { o: 100, h: 111, l: 94 }, Number.NaN, Number.NaN)).toEqual({ hit: IntrabarHit.NONE, price: Number.NaN });
  });
});

describe('short position (stop 105 above, target 90 below)', () => {
  const STOP = 105;
  const TARGET = 90;

  it('nothing touched', () => {
    expect(exit(-1, { o: 100, h: 104, l: 91 }, STOP, TARGET).hit).toBe(IntrabarHit.NONE);
  });

  it('stop touched fills at the stop; gapped fills at the (higher) open', () => {
    expect(exit(-1, { o: 100, h: 106, l: 98 }, STOP, TARGET)).toEqual({ hit: IntrabarHit.STOP, price: 105 });
    expect(exit(-1, { o: 107, h: 110, l: 104 }, STOP, TARGET)).toEqual({ hit: IntrabarHit.STOP, price: 107 });
  });

  it('target touched fills at the target; gapped fills at the (lower) open', () => {
    expect(exit(-1, { o: 100, h: 102, l: 89 }, STOP, TARGET)).toEqual({ hit: IntrabarHit.TARGET, price: 90 });
    expect(exit(-1, { o: 88, h: 91, l: 85 }, STOP, TARGET)).toEqual({ hit: IntrabarHit.TARGET, price: 88 });
  });

  it('both touched: each policy decides', () => {
    const bar = { o: 100, h: 106, l: 89 };
    expect(exit(-1, bar, STOP, TARGET, 'stop_first')).toEqual({ hit: IntrabarHit.STOP, price: 105 });
    expect(exit(-1, bar, STOP, TARGET, 'target_first')).toEqual({ hit: IntrabarHit.TARGET, price: 90 });
    // open 100: 5 from the stop, 10 from the target.
    expect(exit(-1, bar, STOP, TARGET, 'nearest_first')).toEqual({ hit: IntrabarHit.STOP, price: 105 });
    // open 92: 13 from the stop, 2 from the target.
    expect(exit(-1, { o: 92, h: 106, l: 89 }, STOP, TARGET, 'nearest_first')).toEqual({ hit: IntrabarHit.TARGET, price: 90 });
  });
});

describe('properties', () => {
  const arbitraryBar = fc
    .tuple(fc.double({ min: 1, max: 1000, noNaN: true }), fc.double({ min: 0, max: 0.2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([low, spread, at]) => {
      const high = low * (1 + spread);
      return { l: low, h: high, o: Math.min(high, low + (high - low) * at) };
    });
  const level = fc.double({ min: 0.5, max: 1500, noNaN: true });
  const policy = fc.constantFrom(...INTRABAR_POLICIES);
  const direction = fc.constantFrom(1 as const, -1 as const);

  it('a fill is inside the bar and never better than the stop nor worse than the target', () => {
    fc.assert(
      fc.property(direction, arbitraryBar, level, level, policy, (dir, bar, stop, target, p) => {
        const { hit, price } = exit(dir, bar, stop, target, p);
        if (hit === IntrabarHit.NONE) return;
        expect(price).toBeGreaterThanOrEqual(bar.l);
        expect(price).toBeLessThanOrEqual(bar.h);
        // For a long (dir 1): a stop fills at or below the stop, a target at or above the target.
        if (hit === IntrabarHit.STOP) expect(dir * (stop - price)).toBeGreaterThanOrEqual(0);
        if (hit === IntrabarHit.TARGET) expect(dir * (price - target)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('NONE exactly when neither level lies within the bar reach', () => {
    fc.assert(
      fc.property(direction, arbitraryBar, level, level, policy, (dir, bar, stop, target, p) => {
        const { hit } = exit(dir, bar, stop, target, p);
        const stopReached = dir === 1 ? bar.l <= stop : bar.h >= stop;
        const targetReached = dir === 1 ? bar.h >= target : bar.l <= target;
        expect(hit === IntrabarHit.NONE).toBe(!stopReached && !targetReached);
      }),
    );
  });
});
