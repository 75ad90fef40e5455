import { describe, expect, it } from 'vitest';
import { expectCode } from '../test/expect-code';
import { composeRiskMultipliers } from './index';
import { RegimeRiskPolicy } from './risk-policy';

describe('RegimeRiskPolicy', () => {
  it('maps labels to multipliers, the warm-up to warmupMultiplier', () => {
    const policy = new RegimeRiskPolicy({ multipliers: [1, 0.5, 0] });
    expect([0, 1, 2, -1, Number.NaN].map((l) => policy.forLabel(l))).toEqual([1, 0.5, 0, 1, 1]);
    expect(Array.from(policy.seriesFromLabels(Int32Array.of(-1, 2, 0)))).toEqual([1, 0, 1]);
    expect(new RegimeRiskPolicy({ multipliers: [1, 0.5], warmupMultiplier: 0 }).forLabel(-1)).toBe(0);
    expectCode(() => policy.forLabel(3), 'INVALID_ARGUMENT', /label/);
    expectCode(() => policy.forLabel(0.5), 'INVALID_ARGUMENT', /label/);
  });

  it('expected mode: the probability-weighted multiplier', () => {
    const policy = new RegimeRiskPolicy({ multipliers: [1, 0.5] });
    expect(policy.forProbabilities([0.8, 0.2])).toBeCloseTo(0.9, 15);
    expect(policy.forProbabilities([0, 1])).toBe(0.5);
    const rows = Float64Array.of(Number.NaN, Number.NaN, 0.5, 0.5, 0.1, 0.9);
    const series = policy.seriesFromProbabilities(rows);
    expect(series[0]).toBe(1);
    expect(series[1]).toBeCloseTo(0.75, 15);
    expect(series[2]).toBeCloseTo(0.55, 15);
    expect(policy.forProbabilities(rows, 4)).toBeCloseTo(0.55, 15);
  });

  it('threshold mode: the most probable regime when probable enough, else the cautious multiplier', () => {
    const policy = new RegimeRiskPolicy({ multipliers: [1, 0.6, 0.2], mode: 'threshold', minProbability: 0.7 });
    expect(policy.forProbabilities([0.75, 0.2, 0.05])).toBe(1);
    expect(policy.forProbabilities([0.6, 0.3, 0.1])).toBe(0.2); // nobody >= 0.7: the smallest multiplier
    expect(new RegimeRiskPolicy({ multipliers: [1, 0.6], mode: 'threshold', uncertainMultiplier: 0.8 }).forProbabilities([0.5, 0.5])).toBe(1);
    expect(new RegimeRiskPolicy({ multipliers: [1, 0.6], mode: 'threshold', minProbability: 0.9, uncertainMultiplier: 0.8 }).forProbabilities([0.5, 0.5])).toBe(0.8);
  });

  it('rejects bad options and rows that are not probabilities', () => {
    expectCode(() => new RegimeRiskPolicy({ multipliers: [1] }), 'INVALID_CONFIG', /multipliers/);
    expectCode(() => new RegimeRiskPolicy({ multipliers: [1, 1.5] }), 'INVALID_CONFIG', /multipliers\.1/);
    expectCode(() => new RegimeRiskPolicy({ multipliers: [1, 0.5], minProbability: 0 }), 'INVALID_CONFIG', /minProbability/);
    const policy = new RegimeRiskPolicy({ multipliers: [1, 0.5] });
    expectCode(() => policy.forProbabilities([0.7, 0.7]), 'INVALID_DATA', /sum to 1/);
    expectCode(() => policy.forProbabilities([1.5, -0.5]), 'INVALID_DATA', /\[0, 1\]/);
    expectCode(() => policy.seriesFromProbabilities(Float64Array.of(1, 0, 1)), 'INVALID_DATA', /rows of 2/);
  });
});

describe('RegimeRiskPolicy.riskScale', () => {
  it("keys the policy's multipliers by the bars' times, for the risk manager's riskScale", () => {
    const policy = new RegimeRiskPolicy({ multipliers: [1, 0.5] });
    const time = [10, 20, 30];
    const fromRows = policy.riskScale({ time, probabilities: Float64Array.of(Number.NaN, Number.NaN, 1, 0, 0.2, 0.8) });
    expect(Array.from(fromRows.time)).toEqual(time);
    expect(fromRows.values[0]).toBe(1); // warm-up: warmupMultiplier
    expect(fromRows.values[1]).toBe(1);
    expect(fromRows.values[2]).toBeCloseTo(0.6, 15); // 0.2 x 1 + 0.8 x 0.5
    const fromLabels = policy.riskScale({ time, labels: Int32Array.of(-1, 1, 0) });
    expect(Array.from(fromLabels.values)).toEqual([1, 0.5, 1]);
  });

  it('rejects a length mismatch (naming both lengths) and an ambiguous input', () => {
    const policy = new RegimeRiskPolicy({ multipliers: [1, 0.5] });
    expectCode(() => policy.riskScale({ time: [1, 2, 3], labels: [0, 1] }), 'INVALID_ARGUMENT', /time has 3 entries, labels 2/);
    expectCode(() => policy.riskScale({ time: [1], probabilities: Float64Array.of(1, 0, 0, 1) }), 'INVALID_ARGUMENT', /time has 1 entries, probabilities 2/);
    expectCode(() => policy.riskScale({ time: [1] }), 'INVALID_ARGUMENT', /exactly one/);
    expectCode(() => policy.riskScale({ time: [1], labels: [0], probabilities: Float64Array.of(1, 0) }), 'INVALID_ARGUMENT', /exactly one/);
  });
});

describe('composeRiskMultipliers (re-exported from core)', () => {
  it('multiplies multipliers in [0, 1]: the drawdown zone and the regime', () => {
    expect(composeRiskMultipliers(0.5, 0.75)).toBe(0.375);
    expect(composeRiskMultipliers()).toBe(1);
    expect(composeRiskMultipliers(0, 1)).toBe(0);
    expectCode(() => composeRiskMultipliers(0.5, 2), 'INVALID_ARGUMENT', /multipliers\[1\]/);
    expectCode(() => composeRiskMultipliers(Number.NaN), 'INVALID_ARGUMENT');
  });
});
