import { describe, expect, it } from 'vitest';
import type { SweepObjective } from '../spec/schema';
import type { SweepRow } from './row';
import { heatmap, isEligible, neighbourhoodStability, parameterAxes, rankRows, selectBest } from './summary';

const sharpe: SweepObjective = { metric: 'sharpeRatio', direction: 'maximize', minTrades: 1 };

let index = 0;
function row(params: Record<string, number | string>, sharpeRatio: number, extra: Partial<SweepRow> = {}): SweepRow {
  const i = index++;
  return {
    index: i,
    combination: i,
    key: `k${i}`,
    params,
    fold: null,
    segment: 'full',
    start: 0,
    end: 100,
    metrics: { sharpeRatio, tradeCount: 5 },
    tradeCount: 5,
    runMs: 1,
    worker: 'w',
    error: null,
    ...extra,
  };
}

describe('rankRows and selectBest', () => {
  it('orders by the objective, ties by index, and keeps only eligible rows', () => {
    index = 0;
    const rows = [
      row({ p: 1 }, 0.5),
      row({ p: 2 }, 1.2),
      row({ p: 3 }, Number.NaN),
      row({ p: 4 }, 1.2),
      row({ p: 5 }, 2, { tradeCount: 0 }),
      row({ p: 6 }, 3, { metrics: null, tradeCount: null, error: { code: 'RangeError', message: 'x' } }),
      row({ p: 7 }, Number.POSITIVE_INFINITY),
    ];
    expect(rankRows(rows, sharpe).map((r) => r.params['p'])).toEqual([2, 4, 1]);
    expect(selectBest(rows, sharpe)?.params).toEqual({ p: 2 });
    expect(rankRows(rows, { ...sharpe, direction: 'minimize' }).map((r) => r.params['p'])).toEqual([1, 2, 4]);
    expect(selectBest(rows, { ...sharpe, minTrades: 0 })?.params).toEqual({ p: 5 });
    expect(isEligible(rows[4]!, sharpe)).toBe(false);
    expect(selectBest([rows[2]!], sharpe)).toBeNull();
  });
});

describe('parameterAxes', () => {
  it('sorts numeric values and keeps other values in order of appearance', () => {
    index = 0;
    const axes = parameterAxes([row({ a: 3, m: 'z' }, 0), row({ a: 1, m: 'b' }, 0), row({ a: 2, m: 'z' }, 0)]);
    expect(axes.get('a')).toEqual([1, 2, 3]);
    expect(axes.get('m')).toEqual(['z', 'b']);
  });
});

/** A 3 x 3 grid of a over b with the given values, row by row (a outer). */
function grid(values: number[][]): SweepRow[] {
  index = 0;
  const rows: SweepRow[] = [];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) rows.push(row({ a: 10 * (i + 1), b: j + 1 }, values[i]![j]!));
  return rows;
}

describe('neighbourhoodStability', () => {
  it('summarises the cells one step around the best, by hand', () => {
    // Best at a=20, b=2 (value 2); its 8 neighbours are every other cell.
    const rows = grid([
      [1, 1.5, 1],
      [1, 2, 0.5],
      [0, 1, 1],
    ]);
    const best = selectBest(rows, sharpe)!;
    expect(best.params).toEqual({ a: 20, b: 2 });
    const s = neighbourhoodStability(rows, best, sharpe);
    // neighbours: 1, 1.5, 1, 1, 0.5, 0, 1, 1 -> mean 7 / 8 = 0.875, min 0, max 1.5
    expect(s).toEqual({ best: 2, neighbours: 8, evaluated: 8, mean: 0.875, min: 0, max: 1.5, meanRatio: 0.4375, minRatio: 0 });
  });

  it('has fewer neighbours in a corner and skips failed ones', () => {
    const rows = grid([
      [3, 1, 0],
      [2, 0, 0],
      [0, 0, 0],
    ]);
    rows[1] = { ...rows[1]!, metrics: null, tradeCount: null, error: { code: 'E', message: 'x' } };
    const best = selectBest(rows, sharpe)!;
    expect(best.params).toEqual({ a: 10, b: 1 });
    const s = neighbourhoodStability(rows, best, sharpe);
    // corner neighbours: (10,2) failed, (20,1) = 2, (20,2) = 0
    expect(s.neighbours).toBe(3);
    expect(s.evaluated).toBe(2);
    expect(s.mean).toBe(1);
    expect(s.min).toBe(0);
    expect(s.meanRatio).toBeCloseTo(1 / 3, 12);
  });
});

describe('heatmap', () => {
  it('lays out the metric over two parameters', () => {
    const rows = grid([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    const h = heatmap(rows, sharpe)!;
    expect(h.x).toBe('a');
    expect(h.y).toBe('b');
    expect(h.xValues).toEqual([10, 20, 30]);
    expect(h.yValues).toEqual([1, 2, 3]);
    // cells[j][i]: b = j + 1, a = 10 (i + 1)
    expect(h.cells).toEqual([
      [1, 4, 7],
      [2, 5, 8],
      [3, 6, 9],
    ]);
    expect(h.aggregated).toBe(false);
  });

  it('keeps the best value over a third parameter, null for empty cells', () => {
    index = 0;
    const rows = [
      row({ a: 1, b: 1, c: 1 }, 0.2),
      row({ a: 1, b: 1, c: 2 }, 0.7),
      row({ a: 2, b: 1, c: 1 }, -1),
      row({ a: 1, b: 2, c: 1 }, 0.1),
    ];
    const h = heatmap(rows, sharpe)!;
    expect(h.aggregated).toBe(true);
    expect(h.cells).toEqual([
      [0.7, -1],
      [0.1, null],
    ]);
    expect(heatmap(rows, { ...sharpe, direction: 'minimize' })!.cells[0]).toEqual([0.2, -1]);
    expect(heatmap([row({ a: 1 }, 1), row({ a: 2 }, 1)], sharpe)).toBeNull();
  });
});
