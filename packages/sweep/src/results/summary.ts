import type { ParamValue } from '../spec/constraint';
import type { SweepObjective } from '../spec/schema';
import type { SweepRow } from './row';

/** The objective value of a row (NaN when it has no metrics). */
export function objectiveValue(row: SweepRow, objective: SweepObjective): number {
  return row.metrics?.[objective.metric] ?? Number.NaN;
}

/**
 * True when a row may be chosen as the best: it ran without error, made at least
 * `objective.minTrades` closed trades, and its objective value is finite.
 */
export function isEligible(row: SweepRow, objective: SweepObjective): boolean {
  return row.error === null && (row.tradeCount ?? 0) >= objective.minTrades && Number.isFinite(objectiveValue(row, objective));
}

/** The eligible rows, best first by the objective (ties: the earlier row first). */
export function rankRows(rows: readonly SweepRow[], objective: SweepObjective): SweepRow[] {
  const sign = objective.direction === 'maximize' ? -1 : 1;
  return rows
    .filter((row) => isEligible(row, objective))
    .sort((a, b) => sign * (objectiveValue(a, objective) - objectiveValue(b, objective)) || a.index - b.index);
}

/** The best eligible row, or null when none is eligible. */
export function selectBest(rows: readonly SweepRow[], objective: SweepObjective): SweepRow | null {
  return rankRows(rows, objective)[0] ?? null;
}

/** The distinct values of each parameter among `rows`, in order (numbers ascending, others as first seen). */
export function parameterAxes(rows: readonly SweepRow[]): Map<string, ParamValue[]> {
  const axes = new Map<string, ParamValue[]>();
  for (const row of rows) {
    for (const [name, value] of Object.entries(row.params)) {
      let values = axes.get(name);
      if (values === undefined) axes.set(name, (values = []));
      if (!values.includes(value)) values.push(value);
    }
  }
  for (const values of axes.values()) {
    if (values.every((v) => typeof v === 'number')) (values as number[]).sort((a, b) => a - b);
  }
  return axes;
}

/**
 * How the objective holds up around the best combination: its neighbours are the combinations
 * one step away on the grid in any direction (every varying parameter within one position of
 * the best's value, at least one different). A sharp peak among poor neighbours suggests luck.
 */
export interface NeighbourhoodStability {
  /** The best row's objective value. */
  readonly best: number;
  /** Number of neighbouring combinations. */
  readonly neighbours: number;
  /** Neighbours with a finite objective value (the others failed or had no trades). */
  readonly evaluated: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** mean / best when best > 0 (1 = as good as the best), else NaN. */
  readonly meanRatio: number;
  /** min / best when best > 0, else NaN. */
  readonly minRatio: number;
}

/** The {@link NeighbourhoodStability} of `best` among `rows` (rows of one fold and segment). */
export function neighbourhoodStability(rows: readonly SweepRow[], best: SweepRow, objective: SweepObjective): NeighbourhoodStability {
  const axes = parameterAxes(rows);
  const varying = [...axes.entries()].filter(([, values]) => values.length > 1);
  const position = (row: SweepRow, name: string, values: ParamValue[]) => values.indexOf(row.params[name]!);
  const values: number[] = [];
  let neighbours = 0;
  for (const row of rows) {
    if (row === best || row.key === best.key) continue;
    let near = true;
    for (const [name, axis] of varying) {
      if (Math.abs(position(row, name, axis) - position(best, name, axis)) > 1) {
        near = false;
        break;
      }
    }
    if (!near) continue;
    neighbours++;
    const v = objectiveValue(row, objective);
    if (row.error === null && Number.isFinite(v)) values.push(v);
  }
  const bestValue = objectiveValue(best, objective);
  const mean = values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
  const min = values.length === 0 ? Number.NaN : Math.min(...values);
  const max = values.length === 0 ? Number.NaN : Math.max(...values);
  return {
    best: bestValue,
    neighbours,
    evaluated: values.length,
    mean,
    min,
    max,
    meanRatio: bestValue > 0 ? mean / bestValue : Number.NaN,
    minRatio: bestValue > 0 ? min / bestValue : Number.NaN,
  };
}

/** A two-parameter table of a metric. */
export interface Heatmap {
  readonly x: string;
  readonly y: string;
  readonly metric: string;
  readonly xValues: readonly ParamValue[];
  readonly yValues: readonly ParamValue[];
  /** `cells[j][i]`: the metric at `yValues[j]`, `xValues[i]`; null where no row ran without error. */
  readonly cells: readonly (readonly (number | null)[])[];
  /** True when other parameters vary too: each cell then holds the best value over them. */
  readonly aggregated: boolean;
}

/**
 * The metric over two parameters (the first two that vary, by default). With more varying
 * parameters each cell holds the best value (by the objective's direction) over the others.
 */
export function heatmap(rows: readonly SweepRow[], objective: SweepObjective, axes?: { readonly x: string; readonly y: string }): Heatmap | null {
  const all = parameterAxes(rows);
  const varying = [...all.entries()].filter(([, v]) => v.length > 1).map(([name]) => name);
  const x = axes?.x ?? varying[0];
  const y = axes?.y ?? varying[1];
  if (x === undefined || y === undefined || x === y) return null;
  const xValues = all.get(x) ?? [];
  const yValues = all.get(y) ?? [];
  const better = (a: number, b: number) => (objective.direction === 'maximize' ? a > b : a < b);
  const cells: (number | null)[][] = yValues.map(() => xValues.map(() => null));
  for (const row of rows) {
    const v = objectiveValue(row, objective);
    if (row.error !== null || Number.isNaN(v)) continue;
    const i = xValues.indexOf(row.params[x]!);
    const j = yValues.indexOf(row.params[y]!);
    if (i < 0 || j < 0) continue;
    const current = cells[j]![i]!;
    if (current === null || better(v, current)) cells[j]![i] = v;
  }
  return { x, y, metric: objective.metric, xValues, yValues, cells, aggregated: varying.length > 2 };
}
