import { isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { parseConstraint } from './constraint';
import { expandParameterSpace, parameterDefinitionSchema, resolveParameters, searchSchema } from './parameter-space';

const grid = searchSchema.parse({});

function errorOf(fn: () => unknown): { message: string; field: unknown } {
  try {
    fn();
  } catch (error) {
    if (isAlgoTradingError(error)) return { message: error.message, field: error.details.field };
    throw error;
  }
  throw new Error('expected an error');
}

describe('resolveParameters', () => {
  it('reads values, lists, ranges and distributions', () => {
    expect(
      resolveParameters({
        a: 7,
        b: [1, 2],
        c: { values: ['x', 'y'] },
        d: { from: 0.1, to: 0.5, step: 0.1 },
        e: { min: 1, max: 3, integer: true, log: false },
      }),
    ).toEqual([
      { name: 'a', kind: 'values', values: [7] },
      { name: 'b', kind: 'values', values: [1, 2] },
      { name: 'c', kind: 'values', values: ['x', 'y'] },
      // No float noise: 0.1 + 0.2 is written 0.3.
      { name: 'd', kind: 'values', values: [0.1, 0.2, 0.3, 0.4, 0.5] },
      { name: 'e', kind: 'distribution', min: 1, max: 3, integer: true, log: false },
    ]);
  });

  it('includes the end of a range only when a step lands on it', () => {
    expect(resolveParameters({ p: { from: 5, to: 20, step: 5 } })[0]).toEqual({ name: 'p', kind: 'values', values: [5, 10, 15, 20] });
    expect(resolveParameters({ p: { from: 5, to: 22, step: 5 } })[0]).toEqual({ name: 'p', kind: 'values', values: [5, 10, 15, 20] });
  });

  it('calls an empty list or an inverted range an empty grid, naming the parameter', () => {
    expect(errorOf(() => resolveParameters({ fast: [] }))).toEqual({ message: 'parameters.fast: empty grid: the list of values is empty', field: 'parameters.fast' });
    expect(errorOf(() => resolveParameters({ slow: { from: 50, to: 10, step: 5 } })).message).toBe(
      'parameters.slow: empty grid: from (50) is greater than to (10)',
    );
    expect(errorOf(() => resolveParameters({ p: [1, 2, 1] })).message).toBe('parameters.p: the value 1 is listed twice');
  });
});

describe('parameterDefinitionSchema', () => {
  it('reports the problem of the shape written', () => {
    const step = parameterDefinitionSchema.safeParse({ from: 1, to: 5, step: 0 });
    expect(step.success).toBe(false);
    if (!step.success) expect(step.error.issues[0]).toMatchObject({ path: ['step'], message: 'expected a step greater than 0' });
    const typo = parameterDefinitionSchema.safeParse({ from: 1, to: 5, stpe: 1 });
    expect(typo.success).toBe(false);
    if (!typo.success) expect(typo.error.issues.map((i) => i.message)).toContain('unknown key stpe (check the spelling)');
    const other = parameterDefinitionSchema.safeParse({ low: 1 });
    expect(other.success).toBe(false);
    if (!other.success) expect(other.error.issues[0]?.message).toBe('expected a value, a list of values, { values }, { from, to, step } or { min, max }');
  });
});

describe('expandParameterSpace', () => {
  it('expands a grid in row-major order, keeping the combinations that meet the constraints', () => {
    const parameters = resolveParameters({ fast: [5, 10, 20], slow: [10, 20] });
    const constraints = [parseConstraint('fast < slow', ['fast', 'slow'], 'constraints[0]')];
    const space = expandParameterSpace({ parameters, constraints, search: grid });
    expect(space.candidates).toBe(6);
    expect(space.combinations).toEqual([
      { index: 0, params: { fast: 5, slow: 10 } },
      { index: 1, params: { fast: 5, slow: 20 } },
      { index: 2, params: { fast: 10, slow: 20 } },
    ]);
  });

  it('says when no combination meets the constraints', () => {
    const parameters = resolveParameters({ fast: [50], slow: [10, 20] });
    const constraints = [parseConstraint('fast < slow', ['fast', 'slow'], 'constraints[0]')];
    expect(errorOf(() => expandParameterSpace({ parameters, constraints, search: grid }))).toEqual({
      message: 'constraints: no combination satisfies the constraints (fast < slow) among 2 combinations',
      field: 'constraints',
    });
  });

  it('refuses a distribution in a grid and a grid that is too large', () => {
    expect(errorOf(() => expandParameterSpace({ parameters: resolveParameters({ x: { min: 0, max: 1 } }), constraints: [], search: grid })).field).toBe('parameters.x');
    const big = resolveParameters({ a: { from: 1, to: 3000, step: 1 }, b: { from: 1, to: 3000, step: 1 } });
    expect(errorOf(() => expandParameterSpace({ parameters: big, constraints: [], search: grid })).message).toBe(
      'parameters: the grid has 9000000 combinations, more than 5000000: use a coarser grid or random search',
    );
  });

  it('draws a random search reproducibly from its seed, within bounds, distinct, meeting the constraints', () => {
    const parameters = resolveParameters({
      fast: { min: 2, max: 30, integer: true },
      slow: { min: 10, max: 200, integer: true, log: true },
      stop: { min: 0.01, max: 0.05 },
      mode: ['sma', 'ema'],
    });
    const constraints = [parseConstraint('fast < slow', ['fast', 'slow', 'stop', 'mode'], 'c')];
    const search = searchSchema.parse({ method: 'random', samples: 200, seed: 11 });
    const a = expandParameterSpace({ parameters, constraints, search });
    const b = expandParameterSpace({ parameters, constraints, search });
    expect(a.combinations).toEqual(b.combinations);
    expect(a.combinations).toHaveLength(200);
    const seen = new Set<string>();
    for (const { params } of a.combinations) {
      const fast = params['fast'] as number;
      const slow = params['slow'] as number;
      const stop = params['stop'] as number;
      expect(Number.isInteger(fast) && fast >= 2 && fast <= 30).toBe(true);
      expect(Number.isInteger(slow) && slow >= 10 && slow <= 200).toBe(true);
      expect(stop >= 0.01 && stop <= 0.05).toBe(true);
      expect(['sma', 'ema']).toContain(params['mode']);
      expect(fast < slow).toBe(true);
      seen.add(JSON.stringify(params));
    }
    expect(seen.size).toBe(200);
    const other = expandParameterSpace({ parameters, constraints, search: searchSchema.parse({ method: 'random', samples: 200, seed: 12 }) });
    expect(other.combinations).not.toEqual(a.combinations);
  });

  it('stops a random search at the distinct combinations a small space has', () => {
    const parameters = resolveParameters({ a: [1, 2], b: [1, 2] });
    const space = expandParameterSpace({ parameters, constraints: [], search: searchSchema.parse({ method: 'random', samples: 50, seed: 1 }) });
    expect(space.combinations).toHaveLength(4);
  });

  it('needs samples for a random search', () => {
    expect(searchSchema.safeParse({ method: 'random' }).success).toBe(false);
  });
});
