import { loadSampleBars } from '@algo-trading/data';
import { expect, it } from 'vitest';
import {
  GaussianHMM,
  RegimeRiskPolicy,
  logReturns,
  regimeFeatureColumns,
  regimeParameter,
  trendRegime,
  volatilityRegime,
  walkForwardRegimes,
} from '../src/index';

// The README example, verbatim apart from the assertions (it must keep working).
it('README example runs', () => {
  const bars = loadSampleBars('sp500'); // S&P 500 daily bars 2000-2020
  const returns = logReturns(bars).subarray(1); // log returns; bar 0 has none

  // 1. A 2-state Gaussian HMM. States are numbered by ascending variance: 0 calm, 1 turbulent.
  const hmm = new GaussianHMM({ states: 2, seed: 7, restarts: 4 });
  const report = hmm.fit(returns.subarray(0, 2500)); // Baum-Welch on the first 2,500 days
  expect(report.converged).toBe(true);
  expect(report.warnings).toEqual([]);
  expect(hmm.params.transition[0]![0]!).toBeGreaterThan(0.9);

  const filtered = hmm.filter(returns); // causal: row t = P(state | returns up to t), T x 2 row-major
  const smoothed = hmm.smooth(returns); // uses later data too: for analysis only, never as a signal
  const path = hmm.viterbi(returns); // most likely state sequence (also looks ahead)
  expect(filtered).toHaveLength(2 * returns.length);
  expect(smoothed).toHaveLength(2 * returns.length);
  expect(path).toHaveLength(returns.length);

  // Live use: one bar at a time, O(K^2), no allocation. Feed the history, then each new bar.
  hmm.resetStream(returns.subarray(0, 3000));
  const now = hmm.update(returns[3000]!); // Float64Array [P(calm), P(turbulent)], reused by the next call
  expect(Array.from(now)).toEqual(Array.from(filtered.subarray(6000, 6002)));

  const restored = GaussianHMM.load(hmm.save()); // versioned JSON with a SHA-256 checksum
  expect(restored.params).toEqual(hmm.params);

  // 2. Walk-forward: refit every 126 bars on the previous 1,000, emit filtered probabilities.
  const wf = walkForwardRegimes({ bars, model: { states: 2, seed: 7, restarts: 2 }, trainWindow: 1000, refitEvery: 126 });
  expect(wf.warmup).toBe(1001);
  expect(wf.folds).toHaveLength(33);
  expect(wf.labels[1000]).toBe(-1);

  // 3. Regime-aware trading.
  const policy = new RegimeRiskPolicy({ multipliers: [1, 0.5] }); // half the risk when turbulent
  const riskMultiplier = policy.seriesFromProbabilities(wf.probabilities); // expected value per bar
  const riskScale = policy.riskScale({ time: bars.time, probabilities: wf.probabilities }); // for the RiskManager
  const features = regimeFeatureColumns(wf); // { regime_p0, regime_p1 } for the ML strategy
  const threshold = regimeParameter({ labels: wf.labels, values: [0.55, 0.6], warmup: 0.6 });
  expect(riskMultiplier[bars.length - 1]!).toBeGreaterThanOrEqual(0.5);
  expect(Array.from(riskScale.values)).toEqual(Array.from(riskMultiplier));
  expect(Array.from(riskScale.time)).toEqual(Array.from(bars.time));
  expect(Object.keys(features)).toEqual(['regime_p0', 'regime_p1']);
  expect(threshold[0]).toBe(0.6);

  // 4. Simple causal regimes, labels aligned with the bars, -1 during the warm-up.
  const vol = volatilityRegime(bars, { window: 20, lookback: 252 }); // low / normal / high
  const trend = trendRegime(bars, { period: 50, slopeWindow: 10 }); // down / sideways / up
  // 17 April 2020, after the Covid crash: high volatility; the rebound lifted the close above
  // its still-falling 50-day average (sideways). At the low of 23 March it was a down trend.
  expect(vol.names[vol.labels[bars.length - 1]!]).toBe('high');
  expect(trend.names[trend.labels[bars.length - 1]!]).toBe('sideways');
  expect(trend.labels[bars.time.indexOf(Date.UTC(2020, 2, 23))]).toBe(0);
}, 120_000);
