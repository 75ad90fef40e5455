import { commissionConfigSchema, financingConfigSchema, slippageConfigSchema } from '@algo-trading/backtesting';
import { SIZING_METHODS } from '@algo-trading/sizing';
import { z } from 'zod';

/**
 * The zod schema of `config.yaml`: snake_case keys exactly as documented, every key optional with
 * the product defaults, strict objects (an unknown key is an error naming its path).
 */

const BETWEEN_0_AND_1 = 'expected a number between 0 and 1';

/** A fraction in (0, 1] (or (0, 1) with `maxExclusive`); the message reads "between 0 and 1". */
function zPct(options: { maxExclusive?: boolean } = {}) {
  const base = z.number({ error: BETWEEN_0_AND_1 }).gt(0, { error: BETWEEN_0_AND_1 });
  return options.maxExclusive ? base.lt(1, { error: BETWEEN_0_AND_1 }) : base.max(1, { error: BETWEEN_0_AND_1 });
}

function zEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.map((v) => `"${v}"`).join(', ')}` });
}

function zBoolean() {
  return z.boolean({ error: 'expected true or false' });
}

const positionSizingSchema = z.strictObject({
  /** Sizing method: `confidence_based` (default), `fixed_fractional`, `percent_of_equity` or `kelly`. */
  method: zEnum(SIZING_METHODS).default('confidence_based'),
  /** Fraction of equity risked at the stop per trade (the base risk for confidence_based). */
  risk_per_trade: zPct().default(0.01),
  /** Largest position value as a fraction of equity. */
  max_position_size: zPct().default(0.25),
});

const stopLossSchema = z.strictObject({
  /** When false, positions get no hard stop, trailing stop, take profit or time stop. */
  enabled: zBoolean().default(true),
  hard_stop_pct: zPct({ maxExclusive: true }).default(0.03),
  trailing_stop_pct: zPct({ maxExclusive: true }).default(0.02),
  take_profit_pct: zPct().default(0.05),
  time_stop_days: z
    .number({ error: 'expected an integer greater than or equal to 1' })
    .int({ error: 'expected an integer greater than or equal to 1' })
    .min(1, { error: 'expected an integer greater than or equal to 1' })
    .default(30),
});

const portfolioSchema = z.strictObject({
  /**
   * Drawdown (from the equity peak) from which no new trade is opened: the start of the EMERGENCY
   * zone, the same limit as `drawdown_zones.alert`. Default 0.15; give either key (or both, equal).
   */
  max_drawdown_pct: zPct({ maxExclusive: true }).optional(),
  daily_loss_limit_pct: zPct({ maxExclusive: true }).default(0.03),
  max_portfolio_heat: zPct().default(0.03),
});

const drawdownZonesSchema = z.strictObject({
  normal: zPct({ maxExclusive: true }).default(0.05),
  caution: zPct({ maxExclusive: true }).default(0.1),
  /** Same limit as `portfolio.max_drawdown_pct`. Default 0.15. */
  alert: zPct({ maxExclusive: true }).optional(),
  /** The kill switch: at this drawdown every position is closed. */
  emergency: zPct({ maxExclusive: true }).default(0.2),
});

/** Default of `portfolio.max_drawdown_pct` = `drawdown_zones.alert`. */
const DEFAULT_MAX_DRAWDOWN = 0.15;

const riskManagementSchema = z
  .strictObject({
    position_sizing: positionSizingSchema.prefault({}),
    stop_loss: stopLossSchema.prefault({}),
    portfolio: portfolioSchema.prefault({}),
    drawdown_zones: drawdownZonesSchema.prefault({}),
  })
  .superRefine((risk, ctx) => {
    if (risk.position_sizing.method === 'kelly') {
      ctx.addIssue({
        code: 'custom',
        path: ['position_sizing', 'method'],
        message:
          'kelly needs the win rate and average win and loss of earlier trades, which config.yaml does not carry; use fixed_fractional, confidence_based or percent_of_equity here (KellyCriterion is available from @algo-trading/sizing)',
      });
    }
    const maxDrawdown = risk.portfolio.max_drawdown_pct;
    const alert = risk.drawdown_zones.alert;
    if (maxDrawdown !== undefined && alert !== undefined && maxDrawdown !== alert) {
      ctx.addIssue({
        code: 'custom',
        path: ['portfolio', 'max_drawdown_pct'],
        message: `expected to equal drawdown_zones.alert (${alert}): both name the drawdown where new trades stop`,
      });
      return;
    }
    const zones = { ...risk.drawdown_zones, alert: maxDrawdown ?? alert ?? DEFAULT_MAX_DRAWDOWN };
    const order = ['normal', 'caution', 'alert', 'emergency'] as const;
    for (let i = 1; i < order.length; i++) {
      const lower = order[i - 1]!;
      const key = order[i]!;
      if (!(zones[key] > zones[lower])) {
        const path = key === 'alert' && maxDrawdown !== undefined ? ['portfolio', 'max_drawdown_pct'] : ['drawdown_zones', key];
        ctx.addIssue({ code: 'custom', path, message: `expected more than drawdown_zones.${lower} (${zones[lower]})` });
      }
    }
  })
  .transform((risk) => {
    const limit = risk.portfolio.max_drawdown_pct ?? risk.drawdown_zones.alert ?? DEFAULT_MAX_DRAWDOWN;
    return {
      ...risk,
      portfolio: {
        max_drawdown_pct: limit,
        daily_loss_limit_pct: risk.portfolio.daily_loss_limit_pct,
        max_portfolio_heat: risk.portfolio.max_portfolio_heat,
      },
      drawdown_zones: {
        normal: risk.drawdown_zones.normal,
        caution: risk.drawdown_zones.caution,
        alert: limit,
        emergency: risk.drawdown_zones.emergency,
      },
    };
  });

/** Strategy types the CLI can run. */
export const STRATEGY_TYPES = ['MLPredictionStrategy', 'SMACrossover'] as const;
/** One of {@link STRATEGY_TYPES}. */
export type StrategyType = (typeof STRATEGY_TYPES)[number];

const strategySchema = z.strictObject({
  type: zEnum(STRATEGY_TYPES).default('MLPredictionStrategy'),
  /** Minimum model confidence to trade (the ML strategy's threshold and the risk manager's minimum). */
  confidence_threshold: z
    .number({ error: 'expected a number at least 0.5 and less than 1' })
    .min(0.5, { error: 'expected a number at least 0.5 and less than 1' })
    .lt(1, { error: 'expected a number at least 0.5 and less than 1' })
    .default(0.55),
});

const snakeToCamel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const camelToSnake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeToCamel(k), camelKeys(v)]));
}

/** Paths of the keys written in camelCase (config.yaml uses snake_case). */
function uppercaseKeys(value: unknown, path: (string | number)[]): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, k) => uppercaseKeys(v, [...path, k]));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => (/[A-Z]/.test(k) ? [[...path, k]] : uppercaseKeys(v, [...path, k])));
}

/**
 * An execution model's options in config.yaml: snake_case keys (`maximum_pct`), checked by the
 * engine's own schema (`@algo-trading/backtesting`), with every issue reported at its snake_case
 * path. The output is the engine's camelCase options.
 */
function engineModel<S extends z.ZodType>(schema: S) {
  return z.unknown().transform((value, ctx): z.output<S> => {
    const camel = uppercaseKeys(value, []);
    if (camel.length > 0) {
      for (const path of camel) ctx.addIssue({ code: 'custom', path, message: 'unknown key: config.yaml keys are snake_case' });
      return z.NEVER;
    }
    const parsed = schema.safeParse(camelKeys(value));
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((k) => (typeof k === 'string' ? camelToSnake(k) : k));
      if (issue.code === 'unrecognized_keys') {
        ctx.addIssue({ ...issue, path, keys: issue.keys.map(camelToSnake) } as never);
      } else {
        ctx.addIssue({ ...issue, path, input: undefined } as never);
      }
    }
    return z.NEVER;
  });
}

const backtestingSchema = z.strictObject({
  initial_capital: z
    .number({ error: 'expected a number greater than 0' })
    .gt(0, { error: 'expected a number greater than 0' })
    .refine(Number.isFinite, { error: 'expected a number greater than 0' })
    .default(10_000),
  /** Commission as a fraction of the traded notional, charged on entry and exit (0.0015 = 0.15%). */
  transaction_cost: z
    .number({ error: 'expected a number between 0 and 0.1' })
    .min(0, { error: 'expected a number between 0 and 0.1' })
    .max(0.1, { error: 'expected a number between 0 and 0.1' })
    .default(0.0015),
  /** Slippage in basis points of the reference price (5 = 0.05%). */
  slippage_bps: z
    .number({ error: 'expected a number between 0 and 1000' })
    .min(0, { error: 'expected a number between 0 and 1000' })
    .max(1000, { error: 'expected a number between 0 and 1000' })
    .default(5),
  /**
   * Quantities are floored to a multiple of this (1 = whole units; 0.01 or 1e-8 for fractional
   * units such as an index or a crypto asset).
   */
  lot_size: z
    .number({ error: 'expected a number greater than 0' })
    .gt(0, { error: 'expected a number greater than 0' })
    .refine(Number.isFinite, { error: 'expected a number greater than 0' })
    .default(1),
  /**
   * Commission model of the engine; replaces `transaction_cost` in the backtest when given:
   * `{ model: percent, rate }`, `{ model: per_share, rate, minimum, maximum, maximum_pct }`,
   * `{ model: fixed, amount }`, `{ model: tiered, tiers: [{ up_to, rate }, ...] }`,
   * `{ model: maker_taker, maker, taker }`.
   */
  commission: engineModel(commissionConfigSchema).optional(),
  /**
   * Slippage model of the engine; replaces `slippage_bps` in the backtest when given:
   * `{ model: fixed_bps, bps }`, `{ model: spread, spread, spread_bps }`,
   * `{ model: volume_share, price_impact, volume_limit }`, `{ model: sqrt_impact, coefficient, window }`.
   */
  slippage: engineModel(slippageConfigSchema).optional(),
  /** At most this fraction of a bar's volume fills per bar; the rest waits for the next bars. */
  volume_participation: z
    .number({ error: 'expected a number greater than 0 and at most 1' })
    .gt(0, { error: 'expected a number greater than 0 and at most 1' })
    .max(1, { error: 'expected a number greater than 0 and at most 1' })
    .optional(),
  /** Interest on cash and borrow fees on shorts, yearly rates accrued daily: `{ cash_rate, margin_rate, borrow_rate, day_count }`. */
  financing: engineModel(financingConfigSchema).optional(),
  /** Gross exposure allowed over equity (1: no leverage, cash never negative). */
  max_leverage: z
    .number({ error: 'expected a number at least 1' })
    .min(1, { error: 'expected a number at least 1' })
    .refine(Number.isFinite, { error: 'expected a number at least 1' })
    .default(1),
  /** A bracket level the entry's fill already passed: `exit` at once (default) or `reject` the entry. */
  passed_levels: zEnum(['exit', 'reject'] as const).default('exit'),
});

/** Log levels of `logging.level`, any case. */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'WARN', 'ERROR', 'SILENT'] as const;

const loggingSchema = z.strictObject({
  level: z
    .preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v), zEnum(LOG_LEVELS))
    .default('INFO'),
  /** JSON-lines log file; null for none. Relative paths are resolved from the working folder. */
  file: z
    .string({ error: 'expected a file path or null' })
    .min(1, { error: 'expected a file path or null' })
    .nullable()
    .default('./logs/trading.log'),
  /** Human-readable log lines on stderr. */
  console: zBoolean().default(true),
});

/** The schema of the whole `config.yaml`. Parse with `loadConfig` / `parseConfigText` for readable errors. */
export const appConfigSchema = z.strictObject({
  risk_management: riskManagementSchema.prefault({}),
  strategy: strategySchema.prefault({}),
  backtesting: backtestingSchema.prefault({}),
  logging: loggingSchema.prefault({}),
});

/** `config.yaml` as written by a user: every key optional. */
export type AppConfigInput = z.input<typeof appConfigSchema>;
/** `config.yaml` with every default applied. */
export type AppConfig = z.output<typeof appConfigSchema>;

/** The configuration with every default: what an empty `config.yaml` means. */
export function defaultConfig(): AppConfig {
  return appConfigSchema.parse({});
}
