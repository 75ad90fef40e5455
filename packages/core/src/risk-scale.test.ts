import { describe, expect, it } from 'vitest';
import { checkRiskScaleSeries, composeRiskMultipliers } from './risk-scale';
import { catchAlgoTradingError as thrown } from './testing';

describe('composeRiskMultipliers', () => {
  it('is the product of multipliers in [0, 1]: the most cautious rule binds', () => {
    expect(composeRiskMultipliers(0.5, 0.75)).toBe(0.375);
    expect(composeRiskMultipliers(0.25, 0.5, 0.5)).toBe(0.0625);
    expect(composeRiskMultipliers()).toBe(1);
    expect(composeRiskMultipliers(1, 0.3)).toBe(0.3); // 1 changes nothing
    expect(composeRiskMultipliers(0, 1)).toBe(0); // 0 allows no new risk
  });

  it('rejects a multiplier outside [0, 1], naming its index and value', () => {
    const nan = thrown(() => composeRiskMultipliers(0.5, Number.NaN));
    expect(nan.code).toBe('INVALID_ARGUMENT');
    expect(nan.message).toBe('multipliers[1] must be a number in [0, 1], got NaN');
    expect(nan.details).toMatchObject({ field: 'multipliers', index: 1 });
    expect(thrown(() => composeRiskMultipliers(-0.1)).message).toMatch(/multipliers\[0\].*-0\.1/);
    expect(thrown(() => composeRiskMultipliers(1, 1, 2)).message).toMatch(/multipliers\[2\].*2/);
  });
});

describe('checkRiskScaleSeries', () => {
  it('returns a validated copy', () => {
    const time = [1000, 2000, 3000];
    const values = [1, 0.5, 0];
    const checked = checkRiskScaleSeries({ time, values });
    expect(Array.from(checked.time)).toEqual(time);
    expect(Array.from(checked.values)).toEqual(values);
    values[1] = 0.9;
    expect(checked.values[1]).toBe(0.5);
  });

  it('names the index and value of a bad multiplier: NaN, negative, above 1', () => {
    const nan = thrown(() => checkRiskScaleSeries({ time: [1, 2, 3], values: [1, Number.NaN, 1] }));
    expect(nan.code).toBe('INVALID_ARGUMENT');
    expect(nan.message).toBe('riskScale.values[1] must be a multiplier in [0, 1], got NaN');
    expect(nan.details).toMatchObject({ field: 'riskScale', index: 1 });
    const negative = thrown(() => checkRiskScaleSeries({ time: [1, 2], values: [1, -0.5] }, 'scale', 'INVALID_CONFIG'));
    expect(negative.code).toBe('INVALID_CONFIG');
    expect(negative.message).toBe('scale.values[1] must be a multiplier in [0, 1], got -0.5');
    expect(negative.details).toMatchObject({ index: 1, value: -0.5 });
    expect(thrown(() => checkRiskScaleSeries({ time: [1], values: [1.5] })).message).toMatch(/values\[0\].*1\.5/);
  });

  it('rejects a length mismatch, an empty series and times that do not increase', () => {
    const mismatch = thrown(() => checkRiskScaleSeries({ time: [1, 2, 3], values: [1, 1] }));
    expect(mismatch.message).toBe('riskScale.values must have one multiplier per time: riskScale.time has 3 entries, riskScale.values 2');
    expect(mismatch.details).toMatchObject({ value: 2, expected: 3 });
    expect(thrown(() => checkRiskScaleSeries({ time: [], values: [] })).message).toMatch(/empty/);
    expect(thrown(() => checkRiskScaleSeries({ time: [1, 1], values: [1, 1] })).message).toMatch(/time\[1\] must be .* after riskScale\.time\[0\] \(1\), got 1/);
    expect(thrown(() => checkRiskScaleSeries({ time: [Number.NaN], values: [1] })).message).toMatch(/time\[0\].*NaN/);
    expect(thrown(() => checkRiskScaleSeries(null as never)).message).toMatch(/riskScale must be an object/);
    expect(thrown(() => checkRiskScaleSeries({ time: 'x' as never, values: [1] })).message).toMatch(/riskScale\.time must be an array/);
  });
});
