import {
  AlgoTradingError,
  INTRABAR_POLICIES,
  parseOptions,
  silentLogger,
  zIntegerAtLeast,
  zNonNegative,
  zPositive,
  type CommissionContext,
  type CommissionModel,
  type FinancingContext,
  type FinancingCharge,
  type FinancingModel,
  type Logger,
  type ParticipationContext,
  type ParticipationModel,
  type PositionSizer,
  type RiskGate,
  type SlippageContext,
  type SlippageModel,
} from '@algo-trading/core';
import { z } from 'zod';
import {
  commissionFromFunction,
  dailyFinancing,
  fixedBpsSlippage,
  fixedCommission,
  makerTakerCommission,
  percentCommission,
  perShareCommission,
  slippageFromFunction,
  spreadSlippage,
  sqrtImpactSlippage,
  tieredCommission,
  volumeParticipation,
  volumeShareSlippage,
} from './execution-models';
import { PASSED_LEVELS } from './constants';

/** When a signal decided at bar t is executed. */
export type FillAt = 'next_open' | 'close';

/** Every {@link FillAt}. */
export const FILL_AT = ['next_open', 'close'] as const satisfies readonly FillAt[];

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return methods.every((m) => typeof record[m] === 'function');
}

const RISK_GATE_METHODS = ['reset', 'protection', 'getRiskMultiplier', 'validateTrade', 'mark'] as const;
const SIZER_METHODS = ['calculate', 'calculateSize'] as const;
const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

const commissionMessage = 'expected a number at least 0 and less than 1';

export { PASSED_LEVELS, type PassedLevels } from './constants';

/** The order in which orders executable at the same open fill. */
export type OrderSequence = 'exits_first' | 'submission';
/** Every {@link OrderSequence}. */
export const ORDER_SEQUENCES = ['exits_first', 'submission'] as const satisfies readonly OrderSequence[];

const zRate = (what: string) => zNonNegative().describe(what);
const zFractionBelowOne = () => {
  const message = 'expected a number at least 0 and less than 1';
  return z.number({ error: message }).min(0, { error: message }).lt(1, { error: message });
};

/** Built-in slippage models by name (the `model` key), with their options. */
export const slippageConfigSchema = z.discriminatedUnion(
  'model',
  [
    z.strictObject({ model: z.literal('fixed_bps'), bps: zNonNegative().pipe(z.number().lt(10_000, { error: 'expected a number between 0 and 10000' })) }),
    z.strictObject({ model: z.literal('spread'), spread: zNonNegative().optional(), spreadBps: zNonNegative().optional() }),
    z.strictObject({
      model: z.literal('volume_share'),
      priceImpact: zPositive().default(0.1),
      volumeLimit: zPositive().pipe(z.number().max(1, { error: 'expected a number greater than 0 and at most 1' })).default(0.025),
    }),
    z.strictObject({ model: z.literal('sqrt_impact'), coefficient: zPositive().default(1), window: zIntegerAtLeast(3).default(20) }),
  ],
  { error: 'expected a slippage model: fixed_bps, spread, volume_share or sqrt_impact (or a SlippageModel / function)' },
);
/** A built-in slippage model's options. */
export type SlippageConfig = z.input<typeof slippageConfigSchema>;

const tierSchema = z.strictObject({ upTo: zPositive().optional(), rate: zRate('rate') });

/** Built-in commission models by name (the `model` key), with their options. */
export const commissionConfigSchema = z.discriminatedUnion(
  'model',
  [
    z.strictObject({ model: z.literal('percent'), rate: zFractionBelowOne() }),
    z.strictObject({
      model: z.literal('per_share'),
      rate: zNonNegative(),
      minimum: zNonNegative().optional(),
      maximum: zNonNegative().optional(),
      maximumPct: zFractionBelowOne().optional(),
    }),
    z.strictObject({ model: z.literal('fixed'), amount: zNonNegative() }),
    z
      .strictObject({ model: z.literal('tiered'), tiers: z.array(tierSchema, { error: 'expected a list of { upTo, rate } tiers' }).min(1, { error: 'expected at least one tier' }) })
      .superRefine((config, ctx) => {
        config.tiers.forEach((tier, k) => {
          const last = k === config.tiers.length - 1;
          if (!last && tier.upTo === undefined) {
            ctx.addIssue({ code: 'custom', path: ['tiers', k, 'upTo'], message: 'expected a bound: only the last tier may omit upTo', input: tier.upTo });
          }
          const previous = k > 0 ? config.tiers[k - 1]!.upTo : undefined;
          if (tier.upTo !== undefined && previous !== undefined && !(tier.upTo > previous)) {
            ctx.addIssue({ code: 'custom', path: ['tiers', k, 'upTo'], message: `expected more than the previous tier's upTo (${previous})`, input: tier.upTo });
          }
        });
      }),
    z.strictObject({ model: z.literal('maker_taker'), maker: zFractionBelowOne(), taker: zFractionBelowOne() }),
  ],
  { error: 'expected a commission model: percent, per_share, fixed, tiered or maker_taker (or a CommissionModel / function)' },
);
/** A built-in commission model's options. */
export type CommissionConfig = z.input<typeof commissionConfigSchema>;

/** Financing options: annual rates accrued daily by calendar time. */
export const financingConfigSchema = z.strictObject({
  cashRate: z.number({ error: 'expected a number between -1 and 1' }).min(-1, { error: 'expected a number between -1 and 1' }).max(1, { error: 'expected a number between -1 and 1' }).optional(),
  marginRate: zFractionBelowOne().optional(),
  borrowRate: zFractionBelowOne().optional(),
  dayCount: z.union([z.literal(360), z.literal(365)], { error: 'expected 360 or 365' }).optional(),
});
/** Options of the built-in financing model. */
export type FinancingConfig = z.input<typeof financingConfigSchema>;

function isModel(value: unknown, method: string): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[method] === 'function';
}

/**
 * A model option: a built-in's options object (checked by `config`), a model object with the
 * method `method`, or a plain function. Issues of a built-in's options keep their paths.
 */
function modelOption<Config extends z.ZodType, Model>(
  config: Config,
  method: string,
  build: (parsed: z.output<Config>) => Model,
  wrap: (fn: (...args: never[]) => unknown) => Model,
) {
  return z.unknown().transform((value, ctx): Model => {
    if (typeof value === 'function') return wrap(value as (...args: never[]) => unknown);
    if (isModel(value, method)) return value as Model;
    const parsed = config.safeParse(value);
    if (parsed.success) return build(parsed.data);
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, input: undefined } as never);
    return z.NEVER;
  });
}

/** A user slippage function: the fill price for the context. */
export type SlippageFunction = (context: SlippageContext) => number;
/** A user commission function: the commission of the fill. */
export type CommissionFunction = (context: CommissionContext) => number;
/** A user participation function: the units that may fill now. */
export type ParticipationFunction = (context: ParticipationContext) => number;
/** A user financing function: one period's charge. */
export type FinancingFunction = (context: FinancingContext) => FinancingCharge;

function buildSlippage(config: z.output<typeof slippageConfigSchema>): SlippageModel {
  switch (config.model) {
    case 'fixed_bps':
      return fixedBpsSlippage(config.bps);
    case 'spread':
      return spreadSlippage(config);
    case 'volume_share':
      return volumeShareSlippage(config);
    case 'sqrt_impact':
      return sqrtImpactSlippage(config);
  }
}

function buildCommission(config: z.output<typeof commissionConfigSchema>): CommissionModel {
  switch (config.model) {
    case 'percent':
      return percentCommission(config.rate);
    case 'per_share':
      return perShareCommission(config);
    case 'fixed':
      return fixedCommission(config.amount);
    case 'tiered':
      return tieredCommission(config.tiers);
    case 'maker_taker':
      return makerTakerCommission(config);
  }
}

/** The `commission` option of the engine and of an instrument: a built-in's options, a model or a function. */
const commissionOption = () =>
  modelOption(commissionConfigSchema, 'commission', buildCommission, (fn) => commissionFromFunction(fn as CommissionFunction));

/**
 * An instrument's commission: the model, and its rate when it is the built-in percent model (the
 * engine sizes against the exact cash in closed form with it).
 */
const instrumentCommissionSchema = z.unknown().transform((value, ctx): { readonly model: CommissionModel; readonly percent: number | null } => {
  const parsed = commissionOption().safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, input: undefined } as never);
    return z.NEVER;
  }
  const config = commissionConfigSchema.safeParse(value);
  return { model: parsed.data, percent: config.success && config.data.model === 'percent' ? config.data.rate : null };
});

/**
 * One symbol's trading terms (engine option `instruments`), each overriding the engine's setting
 * for that symbol only. Everything is in one currency.
 *
 * - `lotSize`: quantities are floored to it (instead of the engine's `lotSize`).
 * - `tickSize`: prices are rounded to it: limit, stop and activation levels (and protective levels)
 *   to the nearest tick; fill prices after slippage up to the tick for buys, down for sells.
 * - `shortable` (default true): false refuses entries that open a short in the symbol (`no_short`),
 *   even with `allowShort`.
 * - `borrowRate`: annual borrow fee on the symbol's short market value, accrued daily like the
 *   `financing` model's (replacing its `borrowRate` for this symbol).
 * - `commission`: the symbol's commission model (same forms as the engine's `commission`).
 */
export const instrumentSpecSchema = z.strictObject({
  lotSize: zPositive().optional(),
  tickSize: zPositive().optional(),
  shortable: z.boolean({ error: 'expected true or false' }).optional(),
  borrowRate: zFractionBelowOne().optional(),
  commission: instrumentCommissionSchema.optional(),
});

/** One symbol's trading terms as given (see {@link instrumentSpecSchema}). */
export type InstrumentSpec = Omit<z.input<typeof instrumentSpecSchema>, 'commission'> & {
  readonly commission?: CommissionConfig | CommissionModel | CommissionFunction | undefined;
};

/** {@link InstrumentSpec} validated, its commission built. */
export type ResolvedInstrumentSpec = z.output<typeof instrumentSpecSchema>;

const participationSchema = z.unknown().transform((value, ctx): ParticipationModel => {
  if (typeof value === 'function') return { name: 'custom', maxQuantity: value as ParticipationFunction };
  if (isModel(value, 'maxQuantity')) return value as ParticipationModel;
  if (typeof value === 'number' && value > 0 && value <= 1) return volumeParticipation(value);
  ctx.addIssue({ code: 'custom', message: 'expected a fraction of the bar volume greater than 0 and at most 1 (or a ParticipationModel / function)', input: value });
  return z.NEVER;
});

/**
 * Options of {@link BacktestEngine}, with the product defaults. Unknown keys are rejected.
 *
 * - `initialCapital` (required): starting cash, > 0.
 * - `riskManager`: a core `RiskGate` (e.g. `RiskManager` of `@algo-trading/risk`); none = no checks.
 * - `positionSizer`: a core `PositionSizer`; none = all-in (percent-of-equity 100%, commission included).
 * - `commissionPct` 0.0015: commission as a fraction of the traded notional, on every fill
 *   (shorthand of `commission: { model: 'percent', rate }`).
 * - `slippageBps` 5: buys fill at reference x (1 + bps/10000), sells at reference x (1 - bps/10000)
 *   (shorthand of `slippage: { model: 'fixed_bps', bps }`).
 * - `slippage`, `commission`: a built-in model's options (`{ model: ... }`), a core model object or a
 *   function; they replace the shorthands (giving both is an error).
 * - `volumeParticipation`: at most this fraction of a bar's volume fills per bar (or a model); none by default.
 * - `financing`: `{ cashRate, marginRate, borrowRate, dayCount }` accrued daily, or a model; none by default.
 * - `maxLeverage` 1: gross exposure / equity allowed after an entry (1: cash never goes negative).
 * - `passedLevels` 'exit': a bracket level the entry's fill already passed exits at once; 'reject' refuses the entry.
 * - `orderSequence` 'exits_first': at the open, orders that reduce a position fill before the others.
 * - `fillAt` 'next_open': a signal of bar t fills at bar t+1's open; 'close' fills at bar t's close.
 * - `allowShort` false, `lotSize` 1, `closeAtEnd` false, `intrabarPolicy` 'stop_first'.
 * - `instruments`: per symbol `{ lotSize, tickSize, shortable, borrowRate, commission }`
 *   ({@link instrumentSpecSchema}); a symbol that is not in the run's data is an `INVALID_CONFIG`
 *   error at the run.
 * - `symbol`: instrument name when the data has none (default the data's symbol, else `ASSET`).
 * - `periodsPerYear`: annualization of the metrics (default: inferred from the bar times, else 252).
 * - `riskFree` (per bar) or `annualRiskFree` (per year): risk-free rate of the metrics, default 0.
 * - `logger`: a core `Logger`; default silent.
 */
export const backtestEngineOptionsSchema = z.strictObject({
  initialCapital: zPositive(),
  riskManager: z
    .custom<RiskGate>((v) => hasMethods(v, RISK_GATE_METHODS), {
      error: `expected a RiskGate (an object with ${RISK_GATE_METHODS.join(', ')})`,
    })
    .optional(),
  positionSizer: z
    .custom<PositionSizer>((v) => hasMethods(v, SIZER_METHODS), {
      error: 'expected a PositionSizer (an object with calculate and calculateSize)',
    })
    .optional(),
  commissionPct: z.number({ error: commissionMessage }).min(0, { error: commissionMessage }).lt(1, { error: commissionMessage }).optional(),
  slippageBps: z
    .number({ error: 'expected a number between 0 and 10000' })
    .min(0, { error: 'expected a number between 0 and 10000' })
    .lt(10_000, { error: 'expected a number between 0 and 10000' })
    .optional(),
  slippage: modelOption(slippageConfigSchema, 'fillPrice', buildSlippage, (fn) => slippageFromFunction(fn as SlippageFunction)).optional(),
  commission: commissionOption().optional(),
  volumeParticipation: participationSchema.optional(),
  financing: modelOption(financingConfigSchema, 'accrue', dailyFinancing, (fn) => ({ name: 'custom', accrue: fn as FinancingFunction })).optional(),
  maxLeverage: z.number({ error: 'expected a number at least 1' }).min(1, { error: 'expected a number at least 1' }).refine(Number.isFinite, { error: 'expected a number at least 1' }).default(1),
  passedLevels: z.enum(PASSED_LEVELS, { error: `expected one of ${PASSED_LEVELS.join(', ')}` }).default('exit'),
  orderSequence: z.enum(ORDER_SEQUENCES, { error: `expected one of ${ORDER_SEQUENCES.join(', ')}` }).default('exits_first'),
  fillAt: z.enum(FILL_AT, { error: `expected one of ${FILL_AT.join(', ')}` }).default('next_open'),
  allowShort: z.boolean({ error: 'expected true or false' }).default(false),
  lotSize: zPositive().default(1),
  closeAtEnd: z.boolean({ error: 'expected true or false' }).default(false),
  instruments: z
    .record(z.string().min(1, { error: 'expected a symbol' }), instrumentSpecSchema, { error: 'expected a record of symbol to { lotSize, tickSize, shortable, borrowRate, commission }' })
    .optional(),
  intrabarPolicy: z
    .enum(INTRABAR_POLICIES, { error: `expected one of ${INTRABAR_POLICIES.join(', ')}` })
    .default('stop_first'),
  symbol: z.string({ error: 'expected a non-empty string' }).trim().min(1, { error: 'expected a non-empty string' }).optional(),
  periodsPerYear: zPositive().optional(),
  riskFree: z
    .number({ error: 'expected a finite number greater than -1 (risk-free return per period)' })
    .gt(-1, { error: 'expected a finite number greater than -1 (risk-free return per period)' })
    .optional(),
  annualRiskFree: z
    .number({ error: 'expected a finite number greater than -1 (risk-free rate per year)' })
    .gt(-1, { error: 'expected a finite number greater than -1 (risk-free rate per year)' })
    .optional(),
  logger: z
    .custom<Logger>((v) => hasMethods(v, LOGGER_METHODS), {
      error: 'expected a Logger (an object with debug, info, warn and error)',
    })
    .optional(),
});

type SchemaInput = z.input<typeof backtestEngineOptionsSchema>;

/** Options accepted by {@link BacktestEngine} (only `initialCapital` is required). */
export type BacktestEngineOptions = Omit<SchemaInput, 'slippage' | 'commission' | 'volumeParticipation' | 'financing' | 'instruments'> & {
  readonly instruments?: Readonly<Record<string, InstrumentSpec>> | undefined;
  readonly slippage?: SlippageConfig | SlippageModel | SlippageFunction | undefined;
  readonly commission?: CommissionConfig | CommissionModel | CommissionFunction | undefined;
  readonly volumeParticipation?: number | ParticipationModel | ParticipationFunction | undefined;
  readonly financing?: FinancingConfig | FinancingModel | FinancingFunction | undefined;
};

/** {@link BacktestEngineOptions} with the defaults applied and the models built. */
export type ResolvedBacktestEngineOptions = Omit<
  z.output<typeof backtestEngineOptionsSchema>,
  'logger' | 'commissionPct' | 'slippageBps' | 'slippage' | 'commission' | 'volumeParticipation' | 'financing'
> & {
  readonly logger: Logger;
  /** The percent commission rate (the shorthand or the default 0.0015); null when `commission` gave a model. */
  readonly commissionPct: number | null;
  /** The fixed slippage in bps (the shorthand or the default 5); null when `slippage` gave a model. */
  readonly slippageBps: number | null;
  readonly slippage: SlippageModel;
  readonly commission: CommissionModel;
  readonly volumeParticipation: ParticipationModel | null;
  readonly financing: FinancingModel | null;
};

function conflict(key: string, shorthand: string, value: unknown): never {
  throw new AlgoTradingError('INVALID_CONFIG', `Invalid BacktestEngine options:\n${key}: give either ${key} or its shorthand ${shorthand}, not both`, {
    details: { field: key, value },
  });
}

/** Validates engine options; throws `INVALID_CONFIG` naming the key and the value. */
export function resolveEngineOptions(input: unknown): ResolvedBacktestEngineOptions {
  const parsed = parseOptions(backtestEngineOptionsSchema, input ?? {}, { what: 'BacktestEngine options' });
  if (parsed.commission !== undefined && parsed.commissionPct !== undefined) conflict('commission', 'commissionPct', parsed.commissionPct);
  if (parsed.slippage !== undefined && parsed.slippageBps !== undefined) conflict('slippage', 'slippageBps', parsed.slippageBps);
  const commissionPct = parsed.commission === undefined ? (parsed.commissionPct ?? 0.0015) : null;
  const slippageBps = parsed.slippage === undefined ? (parsed.slippageBps ?? 5) : null;
  return {
    ...parsed,
    logger: parsed.logger ?? silentLogger,
    commissionPct,
    slippageBps,
    commission: parsed.commission ?? percentCommission(commissionPct!),
    slippage: parsed.slippage ?? fixedBpsSlippage(slippageBps!),
    volumeParticipation: parsed.volumeParticipation ?? null,
    financing: parsed.financing ?? null,
  };
}
