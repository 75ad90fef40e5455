import { loadSampleBars } from '@algo-trading/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { RegimeRiskPolicy, walkForwardRegimes, type WalkForwardRegimesResult } from '../src/index';

// The real S&P 500 daily sample (2000-01-03 .. 2020-04-17): a 2-state HMM on daily log returns,
// refit every quarter on the previous four years. The assertions are about causality and
// well-formed output (and that the turbulent state is found in 2008), never about returns.
const bars = loadSampleBars('sp500');
const options = { model: { states: 2, seed: 7, restarts: 2 }, trainWindow: 1000, refitEvery: 63 } as const;

function meanProbability(wf: WalkForwardRegimesResult, from: string, to: string, state: number): number {
  let sum = 0;
  let n = 0;
  for (let t = 0; t < bars.length; t++) {
    if (bars.time[t]! < Date.parse(from) || bars.time[t]! > Date.parse(to)) continue;
    sum += wf.probabilities[t * 2 + state]!;
    n++;
  }
  return sum / n;
}

describe('S&P 500: walk-forward 2-state regimes', () => {
  let wf: WalkForwardRegimesResult;
  beforeAll(() => {
    wf = walkForwardRegimes({ bars, ...options });
  }, 120_000);

  it('emits nothing before the first fit and a probability row for every later bar', () => {
    expect(wf.warmup).toBe(1001);
    for (let t = 0; t < bars.length; t++) {
      const p0 = wf.probabilities[2 * t]!;
      const p1 = wf.probabilities[2 * t + 1]!;
      if (t < wf.warmup) expect(Number.isNaN(p0) && Number.isNaN(p1) && wf.labels[t] === -1).toBe(true);
      else expect(p0 >= 0 && p1 >= 0 && Math.abs(p0 + p1 - 1) < 1e-12).toBe(true);
    }
  });

  it('every fold trains strictly before the block it labels, state 1 being the volatile one', () => {
    let previousEnd = wf.warmup;
    for (const fold of wf.folds) {
      expect(fold.trainEnd).toBe(fold.testStart);
      expect(fold.trainEnd - fold.trainStart).toBe(1000);
      expect(fold.testStart).toBe(previousEnd);
      previousEnd = fold.testEnd;
      expect(fold.params.variances[1]![0]!).toBeGreaterThan(fold.params.variances[0]![0]!);
    }
    expect(previousEnd).toBe(bars.length);
  });

  it('truncation: regimes up to bar t are the same when the later bars are removed', () => {
    for (const cut of [2500, 4000]) {
      const truncated = walkForwardRegimes({ bars: bars.slice(0, cut), ...options });
      expect(Array.from(truncated.probabilities)).toEqual(Array.from(wf.probabilities.subarray(0, 2 * cut)));
    }
  }, 120_000);

  it('finds the turbulent state in the autumn of 2008 and the calm one in 2017', () => {
    expect(meanProbability(wf, '2008-09-15', '2008-12-31', 1)).toBeGreaterThan(0.8);
    expect(meanProbability(wf, '2017-01-01', '2017-12-31', 0)).toBeGreaterThan(0.7);
  });

  it('turns the probabilities into a per-bar risk multiplier', () => {
    const policy = new RegimeRiskPolicy({ multipliers: [1, 0.5] });
    const multipliers = policy.seriesFromProbabilities(wf.probabilities);
    expect(multipliers[0]).toBe(1); // warm-up: no regime view
    for (let t = wf.warmup; t < bars.length; t++) {
      expect(multipliers[t]!).toBeCloseTo(1 - 0.5 * wf.probabilities[2 * t + 1]!, 12);
    }
  });
});
