import type { Logger } from '@algo-trading/core';
import { describe, expect, it, vi } from 'vitest';
import { expectCode } from '../../test/expect-code';
import { bruteForce, logForward, simulate, type RefParams } from '../../test/reference';
import { GaussianHMM, isGaussianHMM } from './gaussian-hmm';
import { checksumOf } from './persistence';

const TWO: RefParams = {
  startProb: [0.6, 0.4],
  transition: [
    [0.9, 0.1],
    [0.2, 0.8],
  ],
  means: [[0.5], [-1]],
  variances: [[0.25], [2]],
};

const THREE_2D: RefParams = {
  startProb: [0.2, 0.5, 0.3],
  transition: [
    [0.8, 0.15, 0.05],
    [0.1, 0.7, 0.2],
    [0.3, 0.3, 0.4],
  ],
  means: [
    [0, 1],
    [2, -1],
    [-1, 3],
  ],
  variances: [
    [0.5, 1],
    [1, 0.3],
    [2, 2],
  ],
};

const FULL_2D: RefParams = {
  startProb: [0.5, 0.5],
  transition: [
    [0.85, 0.15],
    [0.25, 0.75],
  ],
  means: [
    [0, 0],
    [1, 2],
  ],
  variances: [
    [1, 2],
    [0.5, 1.5],
  ],
  covariances: [
    [
      [1, 0.6],
      [0.6, 2],
    ],
    [
      [0.5, -0.4],
      [-0.4, 1.5],
    ],
  ],
};

function modelOf(params: RefParams): GaussianHMM {
  const hmm = new GaussianHMM({ states: params.startProb.length, covariance: params.covariances === undefined ? 'diag' : 'full' });
  return hmm.setParams(params);
}

function expectRowsClose(actual: Float64Array, expected: number[][], tolerance: number): void {
  const K = expected[0]!.length;
  expect(actual.length).toBe(expected.length * K);
  for (let t = 0; t < expected.length; t++) {
    for (let k = 0; k < K; k++) expect(Math.abs(actual[t * K + k]! - expected[t]![k]!)).toBeLessThan(tolerance);
  }
}

describe('inference against independent references', () => {
  for (const [name, params] of [
    ['2 states, 1 feature', TWO],
    ['3 states, 2 features diag', THREE_2D],
    ['2 states, 2 features full', FULL_2D],
  ] as const) {
    it(`${name}: filter equals a plain log-space forward pass`, () => {
      const { x } = simulate(params, 300, 11);
      const ref = logForward(params, x);
      const hmm = modelOf(params);
      expectRowsClose(hmm.filter(x), ref.filtered, 1e-12);
      expect(hmm.logLikelihood(x)).toBeCloseTo(ref.logLikelihood, 9);
    });

    it(`${name}: smooth, viterbi and log-likelihood equal enumeration of every path`, () => {
      for (const seed of [1, 2, 3]) {
        const { x } = simulate(params, 6, seed);
        const ref = bruteForce(params, x);
        const hmm = modelOf(params);
        expectRowsClose(hmm.smooth(x), ref.smoothed, 1e-12);
        expect(Array.from(hmm.viterbi(x))).toEqual(ref.best);
        expect(hmm.logLikelihood(x)).toBeCloseTo(ref.logLikelihood, 10);
      }
    });
  }

  it('a 5,000-step series does not underflow: finite log-likelihood, rows summing to 1, equal to the log-space pass', () => {
    const { x } = simulate(TWO, 5000, 5);
    const hmm = modelOf(TWO);
    const ref = logForward(TWO, x);
    const filtered = hmm.filter(x);
    const smoothed = hmm.smooth(x);
    expectRowsClose(filtered, ref.filtered, 1e-10);
    const ll = hmm.logLikelihood(x);
    expect(Number.isFinite(ll)).toBe(true);
    expect(ll).toBeLessThan(-1000); // a plain product of densities would be 0 (exp(ll) underflows)
    expect(ll).toBeCloseTo(ref.logLikelihood, 6);
    for (let t = 0; t < 5000; t++) {
      expect(filtered[2 * t]! + filtered[2 * t + 1]!).toBeCloseTo(1, 12);
      expect(smoothed[2 * t]! + smoothed[2 * t + 1]!).toBeCloseTo(1, 12);
    }
    expect(hmm.viterbi(x)).toHaveLength(5000);
  });

  it('never gives NaN, even when the prior rules out the state the observation points to', () => {
    const hmm = new GaussianHMM({ states: 2 }).setParams({
      startProb: [1, 0],
      transition: [
        [1, 0],
        [0, 1],
      ],
      means: [[0], [100]],
      variances: [[1e-4], [1]],
    });
    // x = 100 is ~1e4 standard deviations from state 0: its density underflows next to state 1's.
    const x = [0, 100, 100, -50];
    const p = hmm.filter(x);
    for (const v of p) expect(Number.isFinite(v)).toBe(true);
    expect(Array.from(p)).toEqual([1, 0, 1, 0, 1, 0, 1, 0]); // state 1 is impossible: P(state 0) = 1
    expect(Number.isFinite(hmm.logLikelihood(x))).toBe(true);
    for (const v of hmm.smooth(x)) expect(Number.isFinite(v)).toBe(true);
    // An observation no state can have produced in double precision leaves the prior.
    const tiny = new GaussianHMM({ states: 2 }).setParams({ ...TWO, variances: [[1e-300], [1e-300]] });
    const q = tiny.update(1e100);
    expect(Array.from(q)).toEqual([0.6, 0.4]);
  });
});

describe('streaming update', () => {
  it('row by row equals filter exactly, in place, and resetStream(history) continues a series', () => {
    const { x } = simulate(THREE_2D, 500, 3);
    const hmm = modelOf(THREE_2D);
    const filtered = hmm.filter(x);
    let out: Float64Array | undefined;
    for (let t = 0; t < x.length; t++) {
      const p = hmm.update(x[t]!);
      if (out !== undefined) expect(p).toBe(out); // the same buffer every call
      out = p;
      expect(Array.from(p)).toEqual(Array.from(filtered.subarray(t * 3, t * 3 + 3)));
    }
    expect(hmm.streamSteps).toBe(500);
    hmm.resetStream(x.slice(0, 400));
    const p400 = Array.from(hmm.update(x[400]!));
    expect(p400).toEqual(Array.from(filtered.subarray(1200, 1203)));
  });

  it('takes a number for one feature and rejects NaN without changing its state', () => {
    const hmm = modelOf(TWO);
    const first = Array.from(hmm.update(0.3));
    expect(first).toEqual(Array.from(hmm.filter([0.3])));
    expectCode(() => hmm.update(Number.NaN), 'INVALID_DATA', /observation\[1\]/);
    expect(hmm.streamSteps).toBe(1);
    expect(Array.from(hmm.update(-0.2))).toEqual(Array.from(hmm.filter([0.3, -0.2]).subarray(2)));
    expectCode(() => hmm.update([1, 2]), 'INVALID_ARGUMENT');
    expectCode(() => modelOf(THREE_2D).update(1), 'INVALID_ARGUMENT', /2 values/);
  });
});

describe('fit', () => {
  const { x } = simulate(TWO, 1500, 21);

  it('reports every restart, with a log-likelihood that never decreases, and keeps the best', () => {
    const hmm = new GaussianHMM({ states: 2, seed: 3, restarts: 3 });
    const report = hmm.fit(x);
    expect(report.restarts).toHaveLength(3);
    expect(report.restarts.map((r) => r.init)).toEqual(['kmeans', 'dispersion', 'kmeans']);
    for (const r of report.restarts) {
      expect(r.logLikelihoodTrace).toHaveLength(r.iterations + 1);
      for (let i = 1; i < r.logLikelihoodTrace.length; i++) {
        expect(r.logLikelihoodTrace[i]!).toBeGreaterThanOrEqual(r.logLikelihoodTrace[i - 1]! - 1e-9 * Math.abs(r.logLikelihoodTrace[i - 1]!));
      }
      expect(r.converged).toBe(true);
      expect(r.monotonic).toBe(true);
    }
    const best = Math.max(...report.restarts.map((r) => r.logLikelihood));
    expect(report.logLikelihood).toBe(best);
    expect(report.restarts[report.bestRestart]!.logLikelihood).toBe(best);
    // The reported log-likelihood is that of the kept parameters.
    expect(hmm.logLikelihood(x)).toBeCloseTo(report.logLikelihood, 8);
    // An MLE does at least as well as the parameters that generated the data.
    expect(report.logLikelihood).toBeGreaterThan(modelOf(TWO).logLikelihood(x));
    expect(report.warnings).toEqual([]);
    expect(report.observations).toBe(1500);
    expect(report.features).toBe(1);
  });

  it('says so when EM stops at maxIterations before converging', () => {
    const hmm = new GaussianHMM({ states: 2, seed: 3, restarts: 1, maxIterations: 2, tolerance: 0 });
    const report = hmm.fit(x);
    expect(report.converged).toBe(false);
    expect(report.iterations).toBe(2);
    expect(report.restarts[0]!.logLikelihoodTrace).toHaveLength(3);
    expect(report.warnings[0]).toMatch(/did not converge in 2 iterations/);
    expect(hmm.fitSummary).toMatchObject({ converged: false, iterations: 2, observations: 1500 });
  });

  it('is reproducible: the same seed gives the same parameters', () => {
    const a = new GaussianHMM({ states: 2, seed: 9, restarts: 2 });
    const b = new GaussianHMM({ states: 2, seed: 9, restarts: 2 });
    a.fit(x);
    b.fit(Float64Array.from(x.map((r) => r[0]!)));
    expect(b.params).toEqual(a.params);
  });

  it('numbers states by ascending variance (then mean), or by mean', () => {
    const hmm = new GaussianHMM({ states: 2, seed: 1 });
    hmm.fit(x);
    const p = hmm.params;
    expect(p.variances[0]![0]!).toBeLessThan(p.variances[1]![0]!);
    const byMean = new GaussianHMM({ states: 2, seed: 1, stateOrder: 'mean' });
    byMean.fit(x);
    const q = byMean.params;
    expect(q.means[0]![0]!).toBeLessThan(q.means[1]![0]!);
    // Here the calm state has the higher mean, so the two rules number the states oppositely.
    expect(q.means[1]![0]!).toBeCloseTo(p.means[0]![0]!, 12);
    expect(q.transition[0]![1]!).toBeCloseTo(p.transition[1]![0]!, 12);
  });

  it('fits several features with full covariances', () => {
    const { x: xs } = simulate(FULL_2D, 2000, 4);
    const hmm = new GaussianHMM({ states: 2, covariance: 'full', seed: 2, restarts: 2 });
    const report = hmm.fit(xs);
    expect(report.converged).toBe(true);
    const p = hmm.params;
    expect(p.covariances).toHaveLength(2);
    expect(p.covariances![0]![0]![1]).toBe(p.covariances![0]![1]![0]);
    expect(p.variances[1]![0]).toBe(p.covariances![1]![0]![0]);
    expect(report.logLikelihood).toBeGreaterThan(modelOf(FULL_2D).logLikelihood(xs));
  });

  it('holds a degenerate state at the variance floor and reports it', () => {
    // 300 repeated identical values amid noise: a state collapses onto them (variance -> 0).
    const values: number[] = [];
    const { x: noise } = simulate(TWO, 600, 8);
    for (let t = 0; t < 900; t++) values.push(t % 3 === 0 ? 0.25 : noise[t % 600]![0]!);
    const warn = vi.fn();
    const logger: Logger = { debug: () => {}, info: () => {}, warn, error: () => {} };
    const hmm = new GaussianHMM({ states: 3, seed: 1, restarts: 2, logger });
    const report = hmm.fit(values);
    expect(report.flooredStates).toEqual([0]); // ordered by variance: the collapsed state is 0
    expect(report.warnings.some((w) => w.includes('floor'))).toBe(true);
    expect(warn).toHaveBeenCalled();
    expect(report.restarts.some((r) => r.varianceFloorHits > 0)).toBe(true);
    // The documented floor: 1e-3 x the feature's variance.
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    expect(report.varianceFloor[0]).toBeCloseTo(1e-3 * variance, 15);
    expect(hmm.params.variances[0]![0]).toBe(report.varianceFloor[0]);
    for (const v of hmm.filter(values)) expect(Number.isFinite(v)).toBe(true);
    // An absolute floor replaces the relative one.
    const absolute = new GaussianHMM({ states: 3, seed: 1, restarts: 1, minCovar: 0.01 });
    expect(absolute.fit(values).varianceFloor).toEqual([0.01]);
    expect(absolute.params.variances[0]![0]).toBe(0.01);
  });

  it('a degenerate state in a full-covariance model is regularised to the floor', () => {
    // Two features, one state of exactly collinear rows (a singular covariance).
    const rows: number[][] = [];
    const { x: noise } = simulate(FULL_2D, 400, 6);
    for (let t = 0; t < 400; t++) rows.push(t % 2 === 0 ? [5 + (t % 7) * 0.1, 5 + (t % 7) * 0.2] : noise[t]!);
    const hmm = new GaussianHMM({ states: 2, covariance: 'full', seed: 3, restarts: 2 });
    const report = hmm.fit(rows);
    expect(report.restarts.some((r) => r.varianceFloorHits > 0)).toBe(true);
    for (const v of hmm.filter(rows)) expect(Number.isFinite(v)).toBe(true);
    expect(Number.isFinite(report.logLikelihood)).toBe(true);
  });
});

describe('bad input', () => {
  it('K < 2 and unknown options are configuration errors', () => {
    expectCode(() => new GaussianHMM({ states: 1 }), 'INVALID_CONFIG', /states/);
    expectCode(() => new GaussianHMM({ states: 2.5 }), 'INVALID_CONFIG', /states/);
    expectCode(() => new GaussianHMM({ states: 2, restart: 3 } as never), 'INVALID_CONFIG', /restart/);
    expectCode(() => new GaussianHMM({ states: 2, covariance: 'tied' } as never), 'INVALID_CONFIG', /covariance/);
  });

  it('NaN, constant features, more states than points and a bad orderFeature are data errors', () => {
    expectCode(() => new GaussianHMM({ states: 2 }).fit([0.1, Number.NaN, 0.3]), 'INVALID_DATA', /X\[1\].*NaN/);
    expectCode(() => new GaussianHMM({ states: 2 }).fit([[1, 2], [3, Number.POSITIVE_INFINITY]]), 'INVALID_DATA', /X\[1\]\[1\]/);
    expectCode(() => new GaussianHMM({ states: 2 }).fit([0.5, 0.5, 0.5, 0.5]), 'INVALID_DATA', /constant/);
    expectCode(() => new GaussianHMM({ states: 2 }).fit([[1, 7], [2, 7], [3, 7]]), 'INVALID_DATA', /feature 1 is constant/);
    expectCode(() => new GaussianHMM({ states: 4 }).fit([1, 2, 3]), 'INVALID_DATA', /3 observation\(s\) but the model has 4 states/);
    expectCode(() => new GaussianHMM({ states: 2 }).fit([]), 'INVALID_DATA', /at least one observation/);
    expectCode(() => new GaussianHMM({ states: 2 }).fit([[1, 2], [3]]), 'INVALID_DATA', /X\[1\]/);
    expectCode(() => new GaussianHMM({ states: 2, orderFeature: 1 }).fit([1, 2, 3]), 'INVALID_CONFIG', /orderFeature/);
    expectCode(() => new GaussianHMM({ states: 2 }).fit([1, 1e200, 3]), 'INVALID_DATA', /1e\+?100/);
  });

  it('inference before parameters is a state error; wrong widths are argument errors', () => {
    expectCode(() => new GaussianHMM({ states: 2 }).filter([1]), 'INVALID_STATE', /fit/);
    expectCode(() => new GaussianHMM({ states: 2 }).params, 'INVALID_STATE');
    expectCode(() => new GaussianHMM({ states: 2 }).update(1), 'INVALID_STATE');
    expectCode(() => modelOf(THREE_2D).filter([1, 2, 3]), 'INVALID_ARGUMENT', /1 feature\(s\) per row but the model has 2/);
  });

  it('setParams checks shapes, probabilities, variances and covariances', () => {
    const hmm = new GaussianHMM({ states: 2 });
    expectCode(() => hmm.setParams({ ...TWO, startProb: [0.5, 0.6] }), 'INVALID_ARGUMENT', /startProb/);
    expectCode(() => hmm.setParams({ ...TWO, transition: [[0.9, 0.1], [0.5, 0.4]] }), 'INVALID_ARGUMENT', /transition\[1\]/);
    expectCode(() => hmm.setParams({ ...TWO, transition: [[1.1, -0.1], [0.5, 0.5]] }), 'INVALID_ARGUMENT', /transition\[0\]\[0\]/);
    expectCode(() => hmm.setParams({ ...TWO, variances: [[0.2], [0]] }), 'INVALID_ARGUMENT', /variances\[1\]\[0\]/);
    expectCode(() => hmm.setParams({ ...TWO, means: [[0]] }), 'INVALID_ARGUMENT', /means/);
    expectCode(() => hmm.setParams({ ...TWO, means: [[0], [Number.NaN]] }), 'INVALID_ARGUMENT', /means\[1\]\[0\]/);
    const full = new GaussianHMM({ states: 2, covariance: 'full' });
    const { variances: _v, ...noVariances } = FULL_2D;
    expect(full.setParams({ ...noVariances, variances: [[1, 2], [0.5, 1.5]] }).isFitted).toBe(true);
    expectCode(() => full.setParams({ ...FULL_2D, covariances: [[[1, 2], [2, 1]], FULL_2D.covariances![1]!] }), 'INVALID_ARGUMENT', /positive-definite/);
    expectCode(() => full.setParams({ ...FULL_2D, covariances: [[[1, 0.5], [0.4, 1]], FULL_2D.covariances![1]!] }), 'INVALID_ARGUMENT', /symmetric/);
    expectCode(() => full.setParams({ ...FULL_2D, variances: [[1, 3], [0.5, 1.5]] }), 'INVALID_ARGUMENT', /variances\[0\]\[1\]/);
    expectCode(() => full.setParams(TWO), 'INVALID_ARGUMENT', /covariances/);
  });
});

describe('params, save and load', () => {
  it('params round-trip through setParams, hmmlearn layout', () => {
    const hmm = modelOf(FULL_2D);
    const p = hmm.params;
    expect(p).toEqual(FULL_2D);
    const again = new GaussianHMM({ states: 2, covariance: 'full' }).setParams(p);
    expect(again.params).toEqual(p);
    expect(hmm.report).toBeUndefined();
    expect(hmm.fitSummary).toBeUndefined();
  });

  it('save/load gives the same model; a tampered, newer or non-JSON file is refused', () => {
    const { x } = simulate(TWO, 500, 2);
    const hmm = new GaussianHMM({ states: 2, seed: 4, restarts: 1, minCovar: 1e-6 });
    hmm.fit(x);
    const text = hmm.save();
    expect(text).toBe(`${JSON.stringify(hmm, null, 2)}\n`);
    const loaded = GaussianHMM.load(text);
    expect(loaded.params).toEqual(hmm.params);
    expect(loaded.options.minCovar).toBe(1e-6);
    expect(loaded.options.seed).toBe(4);
    expect(Array.from(loaded.filter(x))).toEqual(Array.from(hmm.filter(x)));
    expect(loaded.fitSummary).toEqual(hmm.fitSummary);
    expect(loaded.fitSummary!.logLikelihood).toBe(hmm.report!.logLikelihood);
    expect(GaussianHMM.load(hmm.toJSON()).params).toEqual(hmm.params);

    const saved = JSON.parse(text);
    saved.model.params.means[0][0] += 1e-9;
    expectCode(() => GaussianHMM.load(JSON.stringify(saved)), 'INVALID_DATA', /checksum/);
    expectCode(() => GaussianHMM.load({ ...hmm.toJSON(), formatVersion: 99 }), 'UNSUPPORTED', /version 99/);
    expectCode(() => GaussianHMM.load({ ...hmm.toJSON(), format: 'other' } as never), 'INVALID_DATA', /format/);
    expectCode(() => GaussianHMM.load('{not json'), 'PARSE_ERROR');
    // A consistent checksum over invalid values is still refused, by the model's own checks.
    const bad = hmm.toJSON();
    const model = { ...bad.model, params: { ...bad.model.params, variances: [[-1], [1]] } };
    expectCode(() => GaussianHMM.load({ ...bad, model, checksum: checksumOf(model) }), 'INVALID_DATA', /variances\[0\]\[0\]/);
  });
});

describe('sample', () => {
  it('draws states with the transition frequencies and emissions with the means', () => {
    const hmm = modelOf(TWO);
    const { observations, states } = hmm.sample({ length: 20000, seed: 1 });
    expect(observations).toHaveLength(20000);
    const counts = [
      [0, 0],
      [0, 0],
    ];
    const sums = [0, 0];
    const n = [0, 0];
    for (let t = 0; t < 20000; t++) {
      if (t > 0) counts[states[t - 1]!]![states[t]!]!++;
      sums[states[t]!]! += observations[t]![0]!;
      n[states[t]!]!++;
    }
    for (let i = 0; i < 2; i++) {
      const row = counts[i]![0]! + counts[i]![1]!;
      const a = TWO.transition[i]![1]!;
      expect(Math.abs(counts[i]![1]! / row - a)).toBeLessThan(4 * Math.sqrt((a * (1 - a)) / row));
      expect(Math.abs(sums[i]! / n[i]! - TWO.means[i]![0]!)).toBeLessThan(4 * Math.sqrt(TWO.variances[i]![0]! / n[i]!));
    }
    expect(isGaussianHMM(hmm)).toBe(true);
    expect(isGaussianHMM({ options: { states: 2 } })).toBe(false);
    expectCode(() => hmm.sample({ length: 0 }), 'INVALID_ARGUMENT');
  });
});
