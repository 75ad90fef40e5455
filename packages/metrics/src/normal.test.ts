import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from './normal';

// Reference values: scipy.stats.norm.cdf / norm.ppf.
describe('normalCdf', () => {
  it.each([
    [0, 0.5],
    [-1, 0.15865525393145707],
    [1.96, 0.9750021048517795],
    [-3, 0.0013498980316300933],
    [-6, 9.865876450376946e-10],
    [-20, 2.7536241186061556e-89],
  ])('Phi(%d)', (x, expected) => {
    expect(Math.abs(normalCdf(x) - expected)).toBeLessThanOrEqual(1e-14 * expected);
  });

  it('limits and NaN', () => {
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});

describe('normalQuantile', () => {
  it.each([
    [0.975, 1.959963984540054],
    [0.025, -1.959963984540054],
    [0.5, 0],
    [1e-10, -6.361340902404056],
    [0.9, 1.2815515655446004],
  ])('Phi^-1(%d)', (p, expected) => {
    expect(Math.abs(normalQuantile(p) - expected)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(expected)));
  });

  it('ends and invalid input', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(Number.NaN)).toBeNaN();
  });

  it('inverts normalCdf', () => {
    for (const x of [-5, -2.3, -0.7, 0.1, 1.4, 3.3]) expect(normalQuantile(normalCdf(x))).toBeCloseTo(x, 10);
  });
});
