import { AlgoTradingError, canonicalJson, createSeededRandom, describeValue } from '@algo-trading/core';
import { z } from 'zod';
import { parseConstraint, type Constraint, type ParamValue } from './constraint';

/**
 * The parameter space of a sweep: each parameter is a fixed value, a list of values, a stepped
 * range, or (random search only) a continuous distribution; constraints drop the combinations
 * that make no sense (`fast < slow`).
 */

const scalar = z.union([z.number().refine(Number.isFinite, { error: 'expected a finite number' }), z.string(), z.boolean()], {
  error: 'expected a number, a string or true/false',
});

const finite = (what: string) =>
  z.number({ error: `expected a number (${what})` }).refine(Number.isFinite, { error: `expected a finite number (${what})` });

/** `{ from, to, step }`: from, from + step, ... up to `to` (inclusive when a step lands on it). */
const rangeSchema = z.strictObject({
  from: finite('first value'),
  to: finite('last value'),
  step: finite('step').refine((s) => s > 0, { error: 'expected a step greater than 0' }),
});

/** `{ min, max[, integer][, log] }`: drawn at random (uniform, or log-uniform with `log`). */
const distributionSchema = z
  .strictObject({
    min: finite('lower bound'),
    max: finite('upper bound'),
    integer: z.boolean().default(false),
    log: z.boolean().default(false),
  })
  .refine((d) => d.min <= d.max, { error: 'expected min <= max', path: ['max'] })
  .refine((d) => !d.log || d.min > 0, { error: 'a log distribution needs min > 0', path: ['min'] });

const valuesSchema = z.strictObject({ values: z.array(scalar) });

/** One parameter as written in a spec. */
export type ParameterDefinitionInput =
  | ParamValue
  | readonly ParamValue[]
  | z.input<typeof valuesSchema>
  | z.input<typeof rangeSchema>
  | z.input<typeof distributionSchema>;

/** The schema a definition is checked against, chosen by its shape (so messages are about that shape). */
function definitionSchemaFor(value: unknown): z.ZodType {
  if (Array.isArray(value)) return z.array(scalar);
  if (typeof value !== 'object' || value === null) return scalar;
  if ('values' in value) return valuesSchema;
  if ('from' in value || 'to' in value || 'step' in value) return rangeSchema;
  if ('min' in value || 'max' in value) return distributionSchema;
  return z.never({ error: 'expected a value, a list of values, { values }, { from, to, step } or { min, max }' });
}

/**
 * zod schema of one parameter's definition: a value (`7`), a list (`[10, 20, 50]`), `{ values }`,
 * a stepped range `{ from, to, step }`, or a distribution `{ min, max, integer?, log? }` (random
 * search only).
 */
export const parameterDefinitionSchema = z.unknown().transform((value, ctx): ParameterDefinitionInput => {
  const result = definitionSchemaFor(value).safeParse(value);
  if (result.success) return result.data as ParameterDefinitionInput;
  for (const issue of result.error.issues) {
    const message =
      issue.code === 'unrecognized_keys' ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')} (check the spelling)` : issue.message;
    ctx.addIssue({ code: 'custom', message, path: issue.path });
  }
  return z.NEVER;
});

/** zod schema of the search method. */
export const searchSchema = z
  .strictObject({
    /** `grid`: every combination; `random`: `samples` combinations drawn with `seed`. */
    method: z.enum(['grid', 'random']).default('grid'),
    /** Random search: number of distinct combinations to draw (at most). */
    samples: z.number().int().min(1, { error: 'expected an integer greater than or equal to 1' }).optional(),
    /** Random search: seed of the draws; the same seed gives the same combinations. */
    seed: z.number().int().min(0, { error: 'expected an integer greater than or equal to 0' }).default(0),
  })
  .refine((s) => s.method === 'grid' || s.samples !== undefined, { error: 'random search needs samples', path: ['samples'] });

/** The search method as written in a spec. */
export type SearchInput = z.input<typeof searchSchema>;

/** Largest number of combinations a grid may expand to. */
export const MAX_COMBINATIONS = 5_000_000;

/** One parameter, resolved: a finite list of values, or a distribution to draw from. */
export type ResolvedParameter =
  | { readonly name: string; readonly kind: 'values'; readonly values: readonly ParamValue[] }
  | { readonly name: string; readonly kind: 'distribution'; readonly min: number; readonly max: number; readonly integer: boolean; readonly log: boolean };

/** One combination of the space: its index (0-based, in space order) and its values. */
export interface Combination {
  readonly index: number;
  readonly params: Readonly<Record<string, ParamValue>>;
}

function configError(field: string, message: string, value?: unknown): AlgoTradingError {
  return new AlgoTradingError('INVALID_CONFIG', `${field}: ${message}`, { details: { field, value } });
}

/** Values of a stepped range, without float noise (0.1 + 0.2 is written 0.3). */
function rangeValues(field: string, range: { from: number; to: number; step: number }): number[] {
  if (range.from > range.to) throw configError(field, `empty grid: from (${range.from}) is greater than to (${range.to})`, range);
  const count = Math.floor((range.to - range.from) / range.step + 1e-9) + 1;
  if (count > MAX_COMBINATIONS) throw configError(field, `${count} values is more than ${MAX_COMBINATIONS}`, range);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(Number((range.from + i * range.step).toPrecision(12)));
  return out;
}

/**
 * Resolves the parameter definitions of a spec (already shape-checked by the spec schema).
 * @throws AlgoTradingError `INVALID_CONFIG` naming `parameters.<name>` for an empty grid.
 */
export function resolveParameters(definitions: Readonly<Record<string, ParameterDefinitionInput>>): ResolvedParameter[] {
  const out: ResolvedParameter[] = [];
  for (const [name, definition] of Object.entries(definitions)) {
    const field = `parameters.${name}`;
    if (typeof definition !== 'object') {
      out.push({ name, kind: 'values', values: [definition] });
    } else if (Array.isArray(definition) || 'values' in definition) {
      const values: readonly ParamValue[] = Array.isArray(definition) ? (definition as readonly ParamValue[]) : (definition as { values: ParamValue[] }).values;
      if (values.length === 0) throw configError(field, 'empty grid: the list of values is empty', values);
      const seen = new Set<string>();
      for (const v of values) {
        const k = JSON.stringify(v);
        if (seen.has(k)) throw configError(field, `the value ${describeValue(v)} is listed twice`, values);
        seen.add(k);
      }
      out.push({ name, kind: 'values', values: [...values] });
    } else if ('from' in definition) {
      out.push({ name, kind: 'values', values: rangeValues(field, definition) });
    } else {
      const d = definition as z.output<typeof distributionSchema>;
      out.push({ name, kind: 'distribution', min: d.min, max: d.max, integer: d.integer, log: d.log });
    }
  }
  return out;
}

/** Options of {@link expandParameterSpace}. */
export interface ExpandOptions {
  readonly parameters: readonly ResolvedParameter[];
  readonly constraints: readonly Constraint[];
  readonly search: z.output<typeof searchSchema>;
}

/** The combinations of the space and what the expansion saw. */
export interface ExpandedSpace {
  readonly combinations: readonly Combination[];
  /** Combinations before constraints (grid), or draws made (random). */
  readonly candidates: number;
}

function satisfies(constraints: readonly Constraint[], params: Readonly<Record<string, ParamValue>>): boolean {
  for (const c of constraints) if (!c.test(params)) return false;
  return true;
}

function expandGrid(parameters: readonly ResolvedParameter[], constraints: readonly Constraint[]): ExpandedSpace {
  const lists: (readonly ParamValue[])[] = [];
  let total = 1;
  for (const p of parameters) {
    if (p.kind !== 'values') {
      throw configError(
        `parameters.${p.name}`,
        'a { min, max } distribution is drawn at random: set search.method to random (or give values or a { from, to, step } range for a grid)',
      );
    }
    lists.push(p.values);
    total *= p.values.length;
  }
  if (total > MAX_COMBINATIONS) {
    throw configError('parameters', `the grid has ${total} combinations, more than ${MAX_COMBINATIONS}: use a coarser grid or random search`, total);
  }
  const combinations: Combination[] = [];
  const position = new Array<number>(parameters.length).fill(0);
  for (let n = 0; n < total; n++) {
    const params: Record<string, ParamValue> = {};
    for (let k = 0; k < parameters.length; k++) params[parameters[k]!.name] = lists[k]![position[k]!]!;
    if (satisfies(constraints, params)) combinations.push({ index: combinations.length, params });
    // Row-major: the last parameter varies fastest.
    for (let k = parameters.length - 1; k >= 0; k--) {
      position[k]!++;
      if (position[k]! < lists[k]!.length) break;
      position[k] = 0;
    }
  }
  return { combinations, candidates: total };
}

function expandRandom(parameters: readonly ResolvedParameter[], constraints: readonly Constraint[], samples: number, seed: number): ExpandedSpace {
  const rng = createSeededRandom(seed);
  const draw = (p: ResolvedParameter): ParamValue => {
    if (p.kind === 'values') return p.values[rng.nextInt(p.values.length)]!;
    if (p.integer) {
      const lo = Math.ceil(p.min);
      const hi = Math.floor(p.max);
      if (!p.log) return lo + rng.nextInt(hi - lo + 1);
      return Math.min(hi, Math.max(lo, Math.round(Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo))))));
    }
    return p.log ? Math.exp(Math.log(p.min) + rng.next() * (Math.log(p.max) - Math.log(p.min))) : p.min + rng.next() * (p.max - p.min);
  };
  for (const p of parameters) {
    if (p.kind === 'distribution' && p.integer && Math.ceil(p.min) > Math.floor(p.max)) {
      throw configError(`parameters.${p.name}`, `no integer between min (${p.min}) and max (${p.max})`);
    }
  }
  const combinations: Combination[] = [];
  const seen = new Set<string>();
  const maxDraws = samples * 100 + 1000;
  let draws = 0;
  while (combinations.length < samples && draws < maxDraws) {
    draws++;
    const params: Record<string, ParamValue> = {};
    for (const p of parameters) params[p.name] = draw(p);
    if (!satisfies(constraints, params)) continue;
    const key = canonicalJson(params);
    if (seen.has(key)) continue;
    seen.add(key);
    combinations.push({ index: combinations.length, params });
  }
  return { combinations, candidates: draws };
}

/**
 * The combinations of a parameter space, in a fixed order: a grid in row-major order (the last
 * parameter varies fastest), a random search in draw order. Combinations that break a
 * constraint are left out; indices count the combinations kept.
 *
 * @throws AlgoTradingError `INVALID_CONFIG` when nothing is left (naming the constraints), when a
 *   distribution is used in a grid, or when the grid is too large.
 */
export function expandParameterSpace(options: ExpandOptions): ExpandedSpace {
  const { parameters, constraints, search } = options;
  const space =
    search.method === 'grid'
      ? expandGrid(parameters, constraints)
      : expandRandom(parameters, constraints, search.samples ?? 1, search.seed);
  if (space.combinations.length === 0) {
    throw configError(
      constraints.length > 0 ? 'constraints' : 'parameters',
      constraints.length > 0
        ? `no combination satisfies the constraints (${constraints.map((c) => c.text).join('; ')}) among ${space.candidates} ${search.method === 'grid' ? 'combinations' : 'draws'}`
        : 'the parameter space is empty',
    );
  }
  return space;
}

/** Parses the constraint texts of a spec over its parameter names. */
export function parseConstraints(texts: readonly string[], parameterNames: readonly string[]): Constraint[] {
  return texts.map((text, i) => parseConstraint(text, parameterNames, `constraints[${i}]`));
}
