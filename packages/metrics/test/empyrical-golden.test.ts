import { describe, expect, it } from 'vitest';
import {
  alphaBeta,
  annualVolatility,
  cagr,
  calmarRatio,
  conditionalValueAtRisk,
  downsideRisk,
  informationRatio,
  maxDrawdown,
  omegaRatio,
  sharpeRatio,
  sortinoRatio,
  stability,
  tailRatio,
  totalReturn,
  valueAtRisk,
} from '../src/index';
import { expectClose, pct } from './helpers';

// The series and expected values of empyrical's own test suite (empyrical/tests/test_stats.py),
// which were computed with numpy/pandas; they are independent of this package's code.
const simpleBenchmark = pct([0, 1, 0, 1, 0, 1, 0, 1, 0]);
const positive = pct([1, 2, 1, 1, 1, 1, 1, 1, 1]);
const negative = pct([0, -6, -7, -1, -9, -2, -6, -8, -5]);
const mixed = pct([Number.NaN, 1, 10, -4, 2, 3, 2, 1, -10]);
const flatLine1 = pct([1, 1, 1, 1, 1, 1, 1, 1, 1]);
const weekly = pct([0, 1, 10, -4, 2, 3, 2, 1, -10]);
const monthly = weekly;
const one = pct([1]);
const empty = new Float64Array(0);
const flatLine1000 = new Float64Array(1000).fill(0.01);
const dfOne = [-0.00171614, 0.01322056, 0.03063862, -0.01422057, -0.00489779, 0.01268925, -0.03357711, 0.01797036];
const dfTwo = [0.01846232, 0.00793951, -0.01448395, 0.00422537, -0.00339611, 0.03756813, 0.0151531, 0.03549769];

const DAILY = { periodsPerYear: 252 };
const WEEKLY = { periodsPerYear: 52 };
const MONTHLY = { periodsPerYear: 12 };
const YEARLY = { periodsPerYear: 1 };

describe('empyrical golden values', () => {
  it('totalReturn (cum_returns_final)', () => {
    expect(totalReturn(empty)).toBeNaN();
    expectClose(totalReturn(one), 0.01);
    expectClose(totalReturn(mixed), 0.03893, 0, 5e-5);
    expectClose(totalReturn(negative), -0.3659, 0, 5e-5);
  });

  it('maxDrawdown', () => {
    expect(maxDrawdown(empty)).toBeNaN();
    expect(maxDrawdown(one)).toBe(0);
    expect(maxDrawdown(simpleBenchmark)).toBe(0);
    expectClose(maxDrawdown(mixed), -0.1);
    expect(maxDrawdown(positive)).toBe(0);
    expectClose(maxDrawdown(negative), -0.36590730349873601);
    expectClose(maxDrawdown(pct([10, -10, 10])), -0.1);
  });

  it('cagr (annual_return)', () => {
    expectClose(cagr(mixed, DAILY), 1.9135925373194231);
    expectClose(cagr(weekly, WEEKLY), 0.24690830513998208);
    expectClose(cagr(monthly, MONTHLY), 0.052242061386048144);
    expect(cagr(empty)).toBeNaN();
    expectClose(cagr(one), 11.274002099240244);
    expectClose(cagr(flatLine1000), 11.274002099240256);
    expectClose(cagr(pct([3, 3, 3]), YEARLY), 0.03);
  });

  it('annualVolatility', () => {
    expect(annualVolatility(flatLine1000)).toBe(0);
    expectClose(annualVolatility(mixed, DAILY), 0.9136465399704637);
    expectClose(annualVolatility(weekly, WEEKLY), 0.38851569394870583);
    expectClose(annualVolatility(monthly, MONTHLY), 0.18663690238892558);
  });

  it('calmarRatio', () => {
    expect(calmarRatio(empty)).toBeNaN();
    expect(calmarRatio(one)).toBeNaN();
    expectClose(calmarRatio(mixed, DAILY), 19.135925373194233);
    expectClose(calmarRatio(weekly, WEEKLY), 2.4690830513998208);
    expectClose(calmarRatio(monthly, MONTHLY), 0.52242061386048144);
  });

  it('omegaRatio', () => {
    expect(omegaRatio(empty)).toBeNaN();
    expect(omegaRatio(one)).toBeNaN();
    expectClose(omegaRatio(mixed, { requiredReturn: 10 }), 0.83354263497557934);
    expect(omegaRatio(mixed, { requiredReturn: -10 })).toBeNaN();
    // A required return of 0 gives a threshold of 0 whatever periodsPerYear is; periodsPerYear 1
    // lets the suite's large per-period risk-free rates pass the "looks annual" check.
    expectClose(omegaRatio(mixed, { riskFree: 0.01, periodsPerYear: 1 }), 0.8125);
    expect(omegaRatio(positive, { riskFree: 0.01, periodsPerYear: 1 })).toBeNaN();
    expectClose(omegaRatio(positive, { riskFree: 0.011, periodsPerYear: 1 }), 1.125);
    expect(omegaRatio(positive, { riskFree: 0.02, periodsPerYear: 1 })).toBe(0);
    expect(omegaRatio(negative, { riskFree: 0.01, periodsPerYear: 1 })).toBe(0);
  });

  it('sharpeRatio', () => {
    expect(sharpeRatio(empty)).toBeNaN();
    expect(sharpeRatio(one)).toBeNaN();
    expectClose(sharpeRatio(mixed), 1.7238613961706866);
    expectClose(sharpeRatio(positive), 52.915026221291804);
    expectClose(sharpeRatio(negative), -24.406808633910085);
    expect(sharpeRatio(flatLine1)).toBe(Infinity);
  });

  it('downsideRisk', () => {
    expect(downsideRisk(empty)).toBeNaN();
    expect(downsideRisk(one)).toBe(0);
    expectClose(downsideRisk(mixed), 0.60448325038829653);
    expectClose(downsideRisk(mixed, { requiredReturn: 0.1 }), 1.7161730681956295);
    expectClose(downsideRisk(weekly, WEEKLY), 0.25888650451930134);
    expectClose(downsideRisk(weekly, { requiredReturn: 0.1, ...WEEKLY }), 0.7733045971672482);
    expectClose(downsideRisk(monthly, MONTHLY), 0.1243650540411842);
    expectClose(downsideRisk(monthly, { requiredReturn: 0.1, ...MONTHLY }), 0.37148351242013422);
    expectClose(downsideRisk(dfOne), 0.20671788246185202);
    expectClose(downsideRisk(dfTwo), 0.083495680595704475);
    expectClose(downsideRisk(dfOne, WEEKLY), 0.093902996054410062);
    expectClose(downsideRisk(dfTwo, WEEKLY), 0.037928477556776516);
    expectClose(downsideRisk(dfOne, MONTHLY), 0.045109540184877193);
    expectClose(downsideRisk(dfTwo, MONTHLY), 0.018220251263412916);
  });

  it('sortinoRatio', () => {
    expect(sortinoRatio(empty)).toBeNaN();
    expect(sortinoRatio(one)).toBeNaN();
    expectClose(sortinoRatio(mixed), 2.605531251673693);
    expectClose(sortinoRatio(mixed, { requiredReturn: 0.01 }), -1.3934779588919977);
    expect(sortinoRatio(positive)).toBe(Infinity);
    expectClose(sortinoRatio(negative), -13.532743075043401);
    expect(sortinoRatio(simpleBenchmark)).toBe(Infinity);
    expectClose(sortinoRatio(weekly, WEEKLY), 1.1158901056866439);
    expectClose(sortinoRatio(monthly, MONTHLY), 0.53605626741889756);
    expectClose(sortinoRatio(dfOne), 3.0639640966566306);
    expectClose(sortinoRatio(dfTwo), 38.090963117002495);
    expectClose(sortinoRatio(dfOne, WEEKLY), 1.3918264112070571);
    expectClose(sortinoRatio(dfTwo, WEEKLY), 17.303077589064618);
    expectClose(sortinoRatio(dfOne, MONTHLY), 0.6686117809312383);
    expectClose(sortinoRatio(dfTwo, MONTHLY), 8.3121296084492844);
  });

  it('stability (stability_of_timeseries)', () => {
    expect(stability(empty)).toBeNaN();
    expect(stability(one)).toBeNaN();
    expectClose(stability(mixed), 0.1529973665111273, 1e-10);
    expectClose(stability(flatLine1000), 1, 1e-10);
  });

  it('tailRatio', () => {
    expect(tailRatio(empty)).toBeNaN();
    expect(tailRatio(one)).toBe(1);
    // The suite checks this one to 1 decimal only (0.947...); by hand on the 8 non-NaN values
    // sorted [-10, -4, 1, 1, 2, 2, 3, 10] / 100: 95th = 0.03 + 0.65 x 0.07 = 0.0755,
    // 5th = -0.10 + 0.35 x 0.06 = -0.079, ratio 0.0755 / 0.079.
    expectClose(tailRatio(mixed), 0.9473684210526313, 0, 0.05);
    expectClose(tailRatio(mixed), 0.0755 / 0.079);
  });

  it('valueAtRisk', () => {
    expect(valueAtRisk([1, 2], { cutoff: 0 })).toBe(1);
    expectClose(valueAtRisk([1, 2], { cutoff: 0.3 }), 1.3);
    expect(valueAtRisk([1, 2], { cutoff: 1 })).toBe(2);
    const returns = [1, 81, 82, 83, 84, 85];
    expectClose(valueAtRisk(returns, { cutoff: 0.1 }), 41);
    expectClose(valueAtRisk(returns, { cutoff: 0.2 }), 81);
    expectClose(valueAtRisk(returns, { cutoff: 0.3 }), 81.5);
  });

  it('conditionalValueAtRisk', () => {
    expect(conditionalValueAtRisk([0.0123], { cutoff: 0 })).toBe(0.0123);
    expect(conditionalValueAtRisk([0.0123], { cutoff: 1 })).toBe(0.0123);
    // 21 points: the mean of every return at or below the VaR (the suite's own check); values
    // from np.percentile and np.mean on this series.
    const returns = [
      0.013, -0.02, 0.004, 0.031, -0.011, 0.007, -0.003, 0.018, -0.027, 0.009, 0.001, -0.006, 0.022, -0.015, 0.011, 0, 0.005,
      -0.009, 0.016, -0.001, 0.002,
    ];
    const cases: [number, number, number][] = [
      [0, -0.027, -0.027],
      [0.0499, -0.020014, -0.027],
      [0.05, -0.02, -0.0235],
      [0.2, -0.009, -0.016399999999999998],
      [0.999, 0.030820000000000035, 0.0008],
      [1, 0.031, 0.0022380952380952382],
    ];
    for (const [cutoff, valueAtRiskExpected, expected] of cases) {
      expectClose(valueAtRisk(returns, { cutoff }), valueAtRiskExpected);
      expectClose(conditionalValueAtRisk(returns, { cutoff }), expected);
    }
  });

  it('alphaBeta (alpha_beta): the values of the suite', () => {
    // empyrical/tests/test_stats.py test_alpha_beta: mixed_returns against negative_returns[1:]
    // (aligned on dates, so the first period has no benchmark), and a series against itself.
    const negativeFromDay2 = pct([Number.NaN, -6, -7, -1, -9, -2, -6, -8, -5]);
    const ab = alphaBeta(mixed, negativeFromDay2);
    expectClose(ab.alpha, -0.9997853834885004, 0, 5e-9);
    expectClose(ab.beta, -0.71296296296296313, 0, 5e-9);
    const self = alphaBeta(mixed, mixed);
    expectClose(self.alpha, 0, 0, 5e-9);
    expectClose(self.beta, 1, 0, 5e-9);
    const inverse = alphaBeta(mixed, mixed.map((r) => -r));
    expectClose(inverse.alpha, 0, 0, 5e-9);
    expectClose(inverse.beta, -1, 0, 5e-9);
    expect(alphaBeta(one, one)).toEqual({ alpha: NaN, beta: NaN });
    expect(alphaBeta(mixed, flatLine1).alpha).toBeNaN();
  });

  it('alphaBeta: numpy values of the empyrical formulas', () => {
    // Computed with numpy 2.4 following empyrical's beta_aligned / alpha_aligned step by step
    // (nanmean of the masked, centred factor; (nanmean(r - rf - beta (b - rf)) + 1)^ppy - 1).
    const benchmarkWithGap = pct([0.5, Number.NaN, 1, -2, 3, 0.2, -1, 0.7, 1.1]);
    const cases: [ArrayLike<number>, ArrayLike<number>, number, number, number, number][] = [
      // returns, benchmark, beta, alpha (daily), alpha with rf 0.0001, alpha weekly (ppy 52)
      [dfOne, dfTwo, -0.02726534442904681, 1.0525128765255376, 1.00020602710876, 0.15995180657923802],
      [dfTwo, dfOne, -0.021315161995477196, 22.899567137325043, 22.299782878839785, 0.9249953723096525],
      [mixed, benchmarkWithGap, 0.684969495285635, 1.0122668529908205, 0.9963988437063935, 0.1552215372938437],
    ];
    for (const [r, b, betaExpected, alphaDaily, alphaRf, alphaWeekly] of cases) {
      expectClose(alphaBeta(r, b).beta, betaExpected, 1e-12);
      expectClose(alphaBeta(r, b).alpha, alphaDaily, 1e-11);
      expectClose(alphaBeta(r, b, { riskFree: 0.0001 }).alpha, alphaRf, 1e-11);
      expectClose(alphaBeta(r, b, WEEKLY).alpha, alphaWeekly, 1e-11);
    }
  });

  it('informationRatio (excess_sharpe)', () => {
    // test_excess_sharpe of the suite, and numpy values of the same formula.
    expect(informationRatio(empty, 0)).toBeNaN();
    expect(informationRatio(one, 0)).toBeNaN();
    expectClose(informationRatio(mixed, 0), 0.10859306069076737, 1e-12);
    expectClose(informationRatio(mixed, flatLine1), -0.06515583641446039, 1e-12);
    expectClose(informationRatio(dfOne, dfTwo), -0.36742262229122, 1e-12);
    expectClose(informationRatio(mixed, pct([0.5, Number.NaN, 1, -2, 3, 0.2, -1, 0.7, 1.1])), 0.023276951990707687, 1e-12);
  });
});
