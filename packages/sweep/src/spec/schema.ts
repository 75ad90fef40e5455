import { walkForwardSplitSchema } from '@algo-trading/strategies';
import { z } from 'zod';
import { parameterDefinitionSchema, searchSchema } from './parameter-space';

/**
 * The sweep spec: what to run (a strategy by module specifier), over which parameters, on which
 * data, with which engine, risk and sizing options, judged by which metric, and optionally
 * walk-forward. Plain data (YAML or JSON), so that it can be hashed, stored with the results and
 * sent to workers on other machines.
 *
 * The engine, risk and sizing options are the libraries' own options (`BacktestEngine`,
 * `RiskManager`, `createPositionSizer`): this schema only checks that they are objects; the
 * libraries validate their values when the sweep is prepared, before any work starts, and their
 * messages are reported with the spec path (`engine.commissionPct`, `risk.hardStopPct`).
 */

const nonEmpty = (what: string) => z.string({ error: `expected ${what}` }).trim().min(1, { error: `expected ${what}` });

/** `module#export` or `{ module, export }`. */
const strategySchema = z.union(
  [
    nonEmpty('a module specifier such as "@algo-trading/strategies#smaCross" or "./my-strategy.js#rsiBand"'),
    z.strictObject({
      module: nonEmpty('a module specifier (a package name or a path relative to the spec)'),
      export: nonEmpty('an export name').default('default'),
    }),
  ],
  { error: 'expected "module#export" or { module, export }' },
);

/** A data reference: a CSV path, `sample:<name>`, or `<scheme>:<reference>` for a registered resolver. */
const dataSchema = z.union(
  [
    nonEmpty('a CSV path, sample:<name> or store:<symbols>@<timeframe>'),
    z.strictObject({
      source: nonEmpty('a CSV path, sample:<name> or store:<symbols>@<timeframe>'),
      /** Options of the CSV reader of `@algo-trading/data` (columns, sortUnordered, symbol, timeUnit, ...). */
      csv: z.record(z.string(), z.unknown()).optional(),
    }),
  ],
  { error: 'expected a data reference (a CSV path, sample:<name>, store:...) or { source, csv }' },
);

/** The metric a sweep ranks combinations by. */
const objectiveSchema = z.union(
  [
    nonEmpty('a metric name such as sharpeRatio'),
    z.strictObject({
      /** A numeric field of the backtest results (sharpeRatio, totalReturn, calmarRatio, ...). */
      metric: nonEmpty('a metric name such as sharpeRatio'),
      /** Whether larger (`maximize`, the default) or smaller values are better. */
      direction: z.enum(['maximize', 'minimize'], { error: 'expected maximize or minimize' }).default('maximize'),
      /** Combinations with fewer closed trades never count as the best. */
      minTrades: z.number().int().min(0, { error: 'expected an integer greater than or equal to 0' }).default(1),
    }),
  ],
  { error: 'expected a metric name or { metric, direction, minTrades }' },
);

const optionsRecord = (what: string) => z.record(z.string(), z.unknown(), { error: `expected an object of ${what} options` });

/** zod schema of a sweep spec. Unknown keys are errors. */
export const sweepSpecSchema = z.strictObject({
  /** Name for people (reports, logs). */
  name: z.string().optional(),
  strategy: strategySchema,
  /** Parameter name to definition; the names must be parameters of the strategy. */
  parameters: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected a parameter name (letters, digits, _)' }), parameterDefinitionSchema)
    .refine((p) => Object.keys(p).length > 0, { error: 'expected at least one parameter' }),
  /** Conditions every combination must meet, e.g. "fast < slow". */
  constraints: z.array(nonEmpty('an expression such as "fast < slow"')).default([]),
  search: searchSchema.prefault({}),
  data: dataSchema,
  /** `BacktestEngine` options (initialCapital, commissionPct, slippageBps, fillAt, ...). */
  engine: optionsRecord('engine').default({ initialCapital: 100_000 }),
  /** `RiskManager` options (hardStopPct, trailingStopPct, ...); omit for no risk manager, {} for the defaults. */
  risk: optionsRecord('RiskManager').nullable().default(null),
  /** `{ method, ...options }` of `createPositionSizer`; omit for all-in sizing. */
  sizing: z
    .looseObject({ method: nonEmpty('a sizing method (fixed_fractional, confidence_based, percent_of_equity, kelly)') })
    .nullable()
    .default(null),
  objective: objectiveSchema.default('sharpeRatio'),
  /** Walk-forward: bar counts of the train and test windows, the step, the embargo between them. */
  walkForward: walkForwardSplitSchema.omit({ n: true }).optional(),
});

/** A sweep spec as written (YAML or JSON). */
export type SweepSpecInput = z.input<typeof sweepSpecSchema>;
/** A sweep spec with its defaults. */
export type SweepSpec = z.output<typeof sweepSpecSchema>;

/** The objective with its defaults. */
export interface SweepObjective {
  readonly metric: string;
  readonly direction: 'maximize' | 'minimize';
  readonly minTrades: number;
}

/** The objective of a spec in its long form. */
export function objectiveOf(spec: SweepSpec): SweepObjective {
  const o = spec.objective;
  return typeof o === 'string' ? { metric: o, direction: 'maximize', minTrades: 1 } : o;
}
