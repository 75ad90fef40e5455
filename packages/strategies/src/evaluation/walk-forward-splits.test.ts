import { catchAlgoTradingError } from '@algo-trading/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { walkForwardSplits } from './walk-forward-splits';

describe('walkForwardSplits', () => {
  it('rolling windows with an embargo (hand-computed)', () => {
    expect(walkForwardSplits({ n: 10, trainSize: 4, testSize: 2, embargo: 1 })).toEqual([
      { fold: 0, trainStart: 0, trainEnd: 4, testStart: 5, testEnd: 7 },
      { fold: 1, trainStart: 2, trainEnd: 6, testStart: 7, testEnd: 9 },
    ]);
  });

  it('expanding windows start at 0 and grow by step', () => {
    expect(walkForwardSplits({ n: 10, trainSize: 4, testSize: 2, expanding: true })).toEqual([
      { fold: 0, trainStart: 0, trainEnd: 4, testStart: 4, testEnd: 6 },
      { fold: 1, trainStart: 0, trainEnd: 6, testStart: 6, testEnd: 8 },
      { fold: 2, trainStart: 0, trainEnd: 8, testStart: 8, testEnd: 10 },
    ]);
  });

  it('a custom step and a partial last fold', () => {
    expect(walkForwardSplits({ n: 9, trainSize: 3, testSize: 2, step: 3 })).toEqual([
      { fold: 0, trainStart: 0, trainEnd: 3, testStart: 3, testEnd: 5 },
      { fold: 1, trainStart: 3, trainEnd: 6, testStart: 6, testEnd: 8 },
    ]);
    expect(walkForwardSplits({ n: 10, trainSize: 3, testSize: 2, step: 3 })).toHaveLength(2);
    expect(walkForwardSplits({ n: 10, trainSize: 3, testSize: 2, step: 3, allowPartial: true })).toEqual([
      { fold: 0, trainStart: 0, trainEnd: 3, testStart: 3, testEnd: 5 },
      { fold: 1, trainStart: 3, trainEnd: 6, testStart: 6, testEnd: 8 },
      { fold: 2, trainStart: 6, trainEnd: 9, testStart: 9, testEnd: 10 },
    ]);
    // with allowPartial a single short fold is enough
    expect(walkForwardSplits({ n: 5, trainSize: 4, testSize: 3, allowPartial: true })).toEqual([
      { fold: 0, trainStart: 0, trainEnd: 4, testStart: 4, testEnd: 5 },
    ]);
  });

  it('properties: no overlap, embargo honoured, sizes, ordering (rolling and expanding)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 60 }),
        fc.boolean(),
        (n, trainSize, testSize, embargo, step, expanding) => {
          fc.pre(trainSize + embargo + testSize <= n);
          const splits = walkForwardSplits({ n, trainSize, testSize, embargo, step, expanding });
          expect(splits.length).toBeGreaterThan(0);
          splits.forEach((s, k) => {
            expect(s.fold).toBe(k);
            expect(s.trainStart).toBeGreaterThanOrEqual(0);
            expect(s.trainEnd - s.trainStart).toBe(expanding ? trainSize + k * step : trainSize);
            expect(s.testStart - s.trainEnd).toBe(embargo); // every train row precedes every test row by > embargo
            expect(s.testEnd - s.testStart).toBe(testSize);
            expect(s.testEnd).toBeLessThanOrEqual(n);
            if (expanding) expect(s.trainStart).toBe(0);
            if (k > 0) expect(s.testStart - splits[k - 1]!.testStart).toBe(step);
          });
          // the next fold would not fit
          const last = splits.at(-1)!;
          expect(last.testEnd + step).toBeGreaterThan(n);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects options where no fold fits and bad values, naming the key', () => {
    const cases: [unknown, string][] = [
      [{ n: 5, trainSize: 4, testSize: 2 }, 'exceeds n (5)'],
      [{ n: 10, trainSize: 0, testSize: 2 }, 'trainSize'],
      [{ n: 10, trainSize: 2, testSize: 2, embargo: -1 }, 'embargo'],
      [{ n: 10, trainSize: 2, testSize: 2, step: 1.5 }, 'step'],
      [{ n: 10, trainSize: 2, testSize: 2, gap: 1 }, 'gap'],
    ];
    for (const [options, text] of cases) {
      expect(catchAlgoTradingError(() => walkForwardSplits(options as never), 'INVALID_CONFIG').message).toContain(text);
    }
  });
});
