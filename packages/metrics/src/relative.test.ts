import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAlgoTradingError } from '@algo-trading/core';
import { expectClose, normalSeries } from '../test/helpers';
import { alpha, alphaBeta, beta, informationRatio } from './relative';

/**
 * Textbook formulas over the periods where both series are known, written independently of the
 * implementation (two passes, plain loops): beta = sum((b - mean b)(r - mean r)) / sum((b - mean b)^2),
 * alpha = (1 + mean(r - rf - beta (b - rf)))^ppy - 1, IR = mean(r - b) / std(r - b, ddof 1).
 */
function reference(r: readonly number[], b: readonly number[], rf = 0, ppy = 252) {
  const pairs = r.map((x, i) => [x, b[i]!] as const).filter(([x, y]) => !Number.isNaN(x) && !Number.isNaN(y));
  const m = pairs.length;
  const mr = pairs.reduce((s, [x]) => s + x, 0) / m;
  const mb = pairs.reduce((s, [, y]) => s + y, 0) / m;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (y - mb) * (x - mr);
    syy += (y - mb) ** 2;
  }
  const betaValue = sxy / syy;
  const alphaMean = pairs.reduce((s, [x, y]) => s + (x - rf - betaValue * (y - rf)), 0) / m;
  const active = r.map((x, i) => x - b[i]!).filter((x) => !Number.isNaN(x));
  const ma = active.reduce((s, x) => s + x, 0) / active.length;
  const sa = Math.sqrt(active.reduce((s, x) => s + (x - ma) ** 2, 0) / (active.length - 1));
  return { beta: betaValue, alpha: (1 + alphaMean) ** ppy - 1, ir: ma / sa };
}

describe('alphaBeta, beta, alpha', () => {
  it('matches values computed by hand on three periods', () => {
    // In units of 1/300: b = [3, -3, 6], mean 2, residuals [1, -5, 4]; r = [6, -3, 9].
    // beta = (6 + 15 + 36) / (1 + 25 + 16) = 57 / 42 = 19 / 14.
    // r - beta b = [27, 15, 12] / 14 / 300, mean 3 / 700 per period.
    const r = [0.02, -0.01, 0.03];
    const b = [0.01, -0.01, 0.02];
    const { alpha: a, beta: bt } = alphaBeta(r, b);
    expectClose(bt, 19 / 14, 1e-13);
    expectClose(a, (1 + 3 / 700) ** 252 - 1, 1e-11);
    expectClose(beta(r, b), 19 / 14, 1e-13);
    expectClose(alpha(r, b, { periodsPerYear: 12 }), (1 + 3 / 700) ** 12 - 1, 1e-12);
  });

  it('drops the periods where either series is missing', () => {
    const r = [NaN, 0.02, -0.01, 0.03, 0.05];
    const b = [0.04, 0.01, -0.01, 0.02, NaN];
    expectClose(beta(r, b), 19 / 14, 1e-13);
    expectClose(alpha(r, b), (1 + 3 / 700) ** 252 - 1, 1e-11);
  });

  it('subtracts a risk-free rate from both series for alpha; beta does not change', () => {
    const r = [0.02, -0.01, 0.03];
    const b = [0.01, -0.01, 0.02];
    const rf = 0.0001;
    // mean(r - rf - beta (b - rf)) = 3/700 - rf (1 - 19/14) = 3/700 + rf x 5/14
    expectClose(alpha(r, b, { riskFree: rf }), (1 + 3 / 700 + (rf * 5) / 14) ** 252 - 1, 1e-11);
    expectClose(alphaBeta(r, b, { riskFree: rf }).beta, 19 / 14, 1e-13);
  });

  it('agrees with the textbook formulas on random series (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 300 }), fc.integer({ min: 1, max: 1e6 }), fc.double({ min: -2, max: 2, noNaN: true }), (n, seed, k) => {
        const b = normalSeries(n, 0.0004, 0.01, seed);
        const noise = normalSeries(n, 0.0001, 0.005, seed + 1);
        const r = Array.from(b, (x, i) => k * x + noise[i]!);
        const expected = reference(r, Array.from(b));
        const got = alphaBeta(r, b);
        expectClose(got.beta, expected.beta, 1e-8, 1e-10);
        expectClose(got.alpha, expected.alpha, 1e-8, 1e-10);
      }),
      { numRuns: 60 },
    );
  });

  it('is NaN for fewer than two periods and for a constant benchmark', () => {
    expect(alphaBeta([], [])).toEqual({ alpha: NaN, beta: NaN });
    expect(alphaBeta([0.01], [0.01])).toEqual({ alpha: NaN, beta: NaN });
    const flat = alphaBeta([0.01, 0.02, -0.01], [0.01, 0.01, 0.01]);
    expect(flat.beta).toBeNaN();
    expect(flat.alpha).toBeNaN();
  });

  it('rejects misaligned series, infinities and bad options', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return isAlgoTradingError(error) ? error.code : 'other';
      }
      return 'none';
    };
    expect(code(() => alphaBeta([0.01, 0.02], [0.01]))).toBe('INVALID_DATA');
    expect(code(() => beta([0.01, Infinity], [0.01, 0.02]))).toBe('INVALID_DATA');
    expect(code(() => alphaBeta([0.01, 0.02], [0.01, 0.02], { periodsPerYear: 0 }))).toBe('INVALID_CONFIG');
    expect(code(() => alphaBeta([0.01, 0.02], [0.01, 0.02], { riskFree: 0.05 }))).toBe('INVALID_CONFIG');
    expect(code(() => informationRatio([0.01, 0.02], Infinity))).toBe('INVALID_ARGUMENT');
  });
});

describe('informationRatio (empyrical excess_sharpe)', () => {
  it('matches a value computed by hand, per period', () => {
    // active = [0.01, 0, 0.01]: mean 0.02/3, std (ddof 1) sqrt(3)/300, ratio 2 / sqrt(3).
    expectClose(informationRatio([0.02, -0.01, 0.03], [0.01, -0.01, 0.02]), 2 / Math.sqrt(3), 1e-12);
  });

  it('takes a constant per-period benchmark', () => {
    const r = [0.02, -0.01, 0.03, 0.0];
    expectClose(informationRatio(r, 0.01), reference(r, [0.01, 0.01, 0.01, 0.01]).ir, 1e-12);
  });

  it('is NaN for fewer than two periods or a zero active return, infinite for a constant one', () => {
    expect(informationRatio([], [])).toBeNaN();
    expect(informationRatio([0.01], [0])).toBeNaN();
    expect(informationRatio([0.01, 0.02], [0.01, 0.02])).toBeNaN();
    expect(informationRatio([0.5, 0.75], [0.25, 0.5])).toBe(Infinity); // active 0.25 twice, exactly
    // One active return left: the tracking error is undefined and counts as 0 (np.nan_to_num).
    expect(informationRatio([0.02, NaN], [0.01, 0.01])).toBe(Infinity);
  });
});
