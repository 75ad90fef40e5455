import type { CommissionConfig, FinancingConfig, SlippageConfig } from '@algo-trading/backtesting';
import { PASSED_LEVELS } from '@algo-trading/backtesting/constants';
import { DEFAULT_RISK_OPTIONS } from '@algo-trading/risk/constants';
import { SIZING_METHODS } from '@algo-trading/sizing/constants';
import { z } from 'zod';
import { LOG_LEVELS } from '../options';

/**
 * The zod schema of `config.yaml`: snake_case keys exactly as documented, every key optional with
 * the product defaults, strict objects (an unknown key is an error naming its path).
 *
 * This schema checks the shape: keys, types, defaults, and the rules of the file itself (one
 * drawdown limit under two keys, `kelly` not configurable here, the ML threshold range). The
 * values the libraries take (risk limits and zones, sizing fractions, capital, lot) are validated
 * by the libraries themselves, once, when `validateConfig` builds their options
 * (`checkConfigWithLibraries` in ./mapping), with messages naming the config.yaml path.
 */

const BETWEEN_0_AND_1 = 'expected a number between 0 and 1';

/** A number (its range is validated by the library that takes it). */
function zNumber(message = BETWEEN_0_AND_1) {
  return z.number({ error: message });
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
  risk_per_trade: zNumber().default(0.01),
  /** Largest position value as a fraction of equity. */
  max_position_size: zNumber().default(DEFAULT_RISK_OPTIONS.maxPositionPct),
});

const stopLossSchema = z.strictObject({
  /** When false, positions get no hard stop, trailing stop, take profit or time stop. */
  enabled: zBoolean().default(true),
  hard_stop_pct: zNumber().default(DEFAULT_RISK_OPTIONS.hardStopPct),
  trailing_stop_pct: zNumber().default(DEFAULT_RISK_OPTIONS.trailingStopPct),
  take_profit_pct: zNumber().default(DEFAULT_RISK_OPTIONS.takeProfitPct),
  time_stop_days: z
    .number({ error: 'expected an integer greater than or equal to 1' })
    .int({ error: 'expected an integer greater than or equal to 1' })
    .default(DEFAULT_RISK_OPTIONS.timeStopDays),
});

const portfolioSchema = z.strictObject({
  /**
   * Drawdown (from the equity peak) from which no new trade is opened: the start of the EMERGENCY
   * zone, the same limit as `drawdown_zones.alert`. Default 0.15; give either key (or both, equal).
   */
  max_drawdown_pct: zNumber().optional(),
  daily_loss_limit_pct: zNumber().default(DEFAULT_RISK_OPTIONS.dailyLossLimitPct),
  max_portfolio_heat: zNumber().default(DEFAULT_RISK_OPTIONS.maxPortfolioHeat),
  /** Largest number of positions open at once (an integer >= 1); null: no limit. */
  max_open_positions: z.number({ error: 'expected an integer greater than or equal to 1, or null' }).nullable().default(DEFAULT_RISK_OPTIONS.maxOpenPositions),
  /** Largest gross exposure (sum of |market value|, the new order included) as a fraction of equity; null: no cap. */
  max_gross_exposure: z.number({ error: 'expected a number greater than 0, or null' }).nullable().default(DEFAULT_RISK_OPTIONS.maxGrossExposure),
});

/**
 * Increasing thresholds normal < caution < alert < emergency (checked by the risk package), each
 * named by the zone it ends: NORMAL below `normal`, CAUTION below `caution`, ALERT below `alert`
 * (from which no new trade is opened), and the kill switch from `emergency`. The RiskManager names
 * the same numbers by the zone they start (`caution`, `alert`, `emergency`, `killSwitch`).
 */
const drawdownZonesSchema = z.strictObject({
  normal: zNumber().default(DEFAULT_RISK_OPTIONS.drawdownZones.caution),
  caution: zNumber().default(DEFAULT_RISK_OPTIONS.drawdownZones.alert),
  /** Same limit as `portfolio.max_drawdown_pct`. Default 0.15. */
  alert: zNumber().optional(),
  /** The kill switch: at this drawdown every position is closed. */
  emergency: zNumber().default(DEFAULT_RISK_OPTIONS.drawdownZones.killSwitch),
});

/** Default of `portfolio.max_drawdown_pct` = `drawdown_zones.alert`. */
const DEFAULT_MAX_DRAWDOWN = DEFAULT_RISK_OPTIONS.maxDrawdownPct;

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
        max_open_positions: risk.portfolio.max_open_positions,
        max_gross_exposure: risk.portfolio.max_gross_exposure,
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
 * An execution model's options in config.yaml: a mapping with snake_case keys (`maximum_pct`),
 * handed to the engine with camelCase keys. A camelCase key is an error here (config.yaml keys are
 * snake_case); the values are checked by the engine's own schema when `validateConfig` builds its
 * options, with issues named at their snake_case config path.
 */
function engineModel<T>(what: string) {
  return z.unknown().transform((value, ctx): T => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: `expected a mapping of the ${what}'s options`, input: value });
      return z.NEVER;
    }
    const camel = uppercaseKeys(value, []);
    if (camel.length > 0) {
      for (const path of camel) ctx.addIssue({ code: 'custom', path, message: 'unknown key: config.yaml keys are snake_case' });
      return z.NEVER;
    }
    return camelKeys(value) as T;
  });
}

const backtestingSchema = z.strictObject({
  initial_capital: zNumber('expected a number greater than 0').default(DEFAULT_RISK_OPTIONS.initialCapital),
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
  lot_size: zNumber('expected a number greater than 0').default(1),
  /**
   * Commission model of the engine; replaces `transaction_cost` in the backtest when given:
   * `{ model: percent, rate }`, `{ model: per_share, rate, minimum, maximum, maximum_pct }`,
   * `{ model: fixed, amount }`, `{ model: tiered, tiers: [{ up_to, rate }, ...] }`,
   * `{ model: maker_taker, maker, taker }`.
   */
  commission: engineModel<CommissionConfig>('commission model').optional(),
  /**
   * Slippage model of the engine; replaces `slippage_bps` in the backtest when given:
   * `{ model: fixed_bps, bps }`, `{ model: spread, spread, spread_bps }`,
   * `{ model: volume_share, price_impact, volume_limit }`, `{ model: sqrt_impact, coefficient, window }`.
   */
  slippage: engineModel<SlippageConfig>('slippage model').optional(),
  /** At most this fraction of a bar's volume fills per bar; the rest waits for the next bars. */
  volume_participation: zNumber('expected a number greater than 0 and at most 1').optional(),
  /** Interest on cash and borrow fees on shorts, yearly rates accrued daily: `{ cash_rate, margin_rate, borrow_rate, day_count }`. */
  financing: engineModel<FinancingConfig>('financing model').optional(),
  /** Gross exposure allowed over equity (1: no leverage, cash never negative). */
  max_leverage: zNumber('expected a number at least 1').default(1),
  /** A bracket level the entry's fill already passed: `exit` at once (default) or `reject` the entry. */
  passed_levels: zEnum(PASSED_LEVELS).default('exit'),
});

export { LOG_LEVELS } from '../options';

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

/** The database file of the store when neither `--db` nor `store.path` names one. */
export const DEFAULT_STORE_FILE = './algo-trading.duckdb';
/** How long a command waits for a store another process is writing when `store.lock_timeout_ms` is not set, in ms. */
export const DEFAULT_STORE_LOCK_TIMEOUT_MS = 10_000;

const storeSchema = z.strictObject({
  /**
   * The store's database file (`@algo-trading/store`), relative to the working folder: where
   * `data` and `runs` read and write, where `--data store:...` loads bars from and where runs are
   * recorded. `--db` overrides it.
   */
  path: z.string({ error: 'expected a file path' }).trim().min(1, { error: 'expected a file path' }).default(DEFAULT_STORE_FILE),
  /** Record every backtest, walk-forward, demo and sweep in the store when its file exists (`--no-record` for one run). */
  record_runs: zBoolean().default(true),
  /** How long a command waits for a store another process is writing, in milliseconds, before it fails. */
  lock_timeout_ms: z
    .number({ error: 'expected an integer between 0 and 3600000' })
    .int({ error: 'expected an integer between 0 and 3600000' })
    .min(0, { error: 'expected an integer between 0 and 3600000' })
    .max(3_600_000, { error: 'expected an integer between 0 and 3600000' })
    .default(DEFAULT_STORE_LOCK_TIMEOUT_MS),
});

/** The schema of the whole `config.yaml`. Parse with `loadConfig` / `parseConfigText` for readable errors. */
export const appConfigSchema = z.strictObject({
  risk_management: riskManagementSchema.prefault({}),
  strategy: strategySchema.prefault({}),
  backtesting: backtestingSchema.prefault({}),
  logging: loggingSchema.prefault({}),
  store: storeSchema.prefault({}),
});

/** `config.yaml` as written by a user: every key optional. */
export type AppConfigInput = z.input<typeof appConfigSchema>;
/** `config.yaml` with every default applied. */
export type AppConfig = z.output<typeof appConfigSchema>;

/** The configuration with every default: what an empty `config.yaml` means. */
export function defaultConfig(): AppConfig {
  return appConfigSchema.parse({});
}
