import { describe, expect, it } from 'vitest';
import { hierarchicalRiskParity, quasiDiagonalOrder, singleLinkage } from './hrp';

describe('hierarchicalRiskParity', () => {
  it('matches a 4-asset example worked by hand', () => {
    // Vols A 0.1, B 0.2, C 0.15, D 0.3; correlations AB 0.9, CD 0.8, every other pair 0.1.
    // Given in the order C, A, D, B so that the clustering has to reorder them.
    const vol: Record<string, number> = { A: 0.1, B: 0.2, C: 0.15, D: 0.3 };
    const rho = (x: string, y: string) => (x === y ? 1 : [x, y].sort().join('') === 'AB' ? 0.9 : [x, y].sort().join('') === 'CD' ? 0.8 : 0.1);
    const symbols = ['C', 'A', 'D', 'B'];
    const matrix = symbols.flatMap((x) => symbols.map((y) => rho(x, y) * vol[x]! * vol[y]!));
    const hrp = hierarchicalRiskParity({ symbols, matrix });
    // Distances sqrt((1 - rho) / 2): AB sqrt(0.05) = 0.2236, CD sqrt(0.1) = 0.3162, others sqrt(0.45) = 0.6708.
    // Single linkage: {A, B} (indices 1, 3) first, then {C, D} (0, 2), then both.
    expect(hrp.linkage.map(([a, b, , size]) => [a, b, size])).toEqual([[1, 3, 2], [0, 2, 2], [4, 5, 4]]);
    expect(hrp.linkage[0]![2]).toBeCloseTo(Math.sqrt(0.05), 15);
    expect(hrp.linkage[2]![2]).toBeCloseTo(Math.sqrt(0.45), 15);
    expect(hrp.order).toEqual(['A', 'B', 'C', 'D']);
    // Bisection [A, B] | [C, D]. Inverse-variance weights inside {A, B}: 100 : 25 -> 0.8, 0.2;
    // V1 = 0.64 x 0.01 + 0.04 x 0.04 + 2 x 0.16 x 0.018 = 0.01376. Inside {C, D}: 0.8, 0.2;
    // V2 = 0.64 x 0.0225 + 0.04 x 0.09 + 2 x 0.16 x 0.036 = 0.02952. alpha = 1 - V1 / (V1 + V2).
    const alpha = 1 - 0.01376 / (0.01376 + 0.02952);
    // Then A | B: alpha = 1 - 0.01 / 0.05 = 0.8; C | D: 1 - 0.0225 / 0.1125 = 0.8.
    expect(hrp.weights.A).toBeCloseTo(alpha * 0.8, 14);
    expect(hrp.weights.B).toBeCloseTo(alpha * 0.2, 14);
    expect(hrp.weights.C).toBeCloseTo((1 - alpha) * 0.8, 14);
    expect(hrp.weights.D).toBeCloseTo((1 - alpha) * 0.2, 14);
    expect(Object.values(hrp.weights).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 15);
  });

  it('takes returns too (sample covariance by default, or another estimator)', () => {
    const values = [[0.01, 0.02, -0.01], [0.02, 0.01, 0.0], [-0.01, 0.0, 0.02], [0.0, -0.02, 0.01], [0.03, 0.02, -0.02]];
    const fromReturns = hierarchicalRiskParity({ symbols: ['a', 'b', 'c'], values });
    expect(fromReturns.vector.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 15);
    const lw = hierarchicalRiskParity({ symbols: ['a', 'b', 'c'], values }, { covariance: { method: 'ledoit_wolf' } });
    expect(lw.weights.a).not.toBeCloseTo(fromReturns.weights.a!, 6);
    expect(() => hierarchicalRiskParity({ symbols: ['a'], matrix: [1] }, { covariance: { method: 'sample' } })).toThrow(/returns input only/);
  });
});

describe('singleLinkage and quasiDiagonalOrder', () => {
  it('labels merges like scipy: sorted by distance, smaller cluster first, new ids from n', () => {
    // Points on a line at 0, 1, 5, 6.5 (distance = |x - y|).
    const x = [0, 6.5, 1, 5];
    const d = Float64Array.from(x.flatMap((a) => x.map((b) => Math.abs(a - b))));
    const z = singleLinkage(d, 4);
    expect(z).toEqual([[0, 2, 1, 2], [1, 3, 1.5, 2], [4, 5, 4, 4]]);
    expect(quasiDiagonalOrder(z, 4)).toEqual([0, 2, 1, 3]);
  });
});
