import { BacktestEngine, type BacktestEngineOptions } from '@algo-trading/backtesting';
import { AlgoTradingError, describeIssues, isAlgoTradingError, type Logger, type OptionIssue, type PositionSizer, type SizingRequest } from '@algo-trading/core';
import { resolveRiskOptions, type RiskManagerOptions } from '@algo-trading/risk';
import { createPositionSizer } from '@algo-trading/sizing';
import type { AppConfig } from './schema';

/**
 * How `config.yaml` maps onto the library options. One place, so the README's config reference
 * and the behaviour cannot drift apart.
 */

/** RiskManager options from `risk_management`, `strategy` and `backtesting`. */
export function riskManagerOptionsFromConfig(config: AppConfig, logger?: Logger): RiskManagerOptions {
  const risk = config.risk_management;
  const stops = risk.stop_loss;
  return {
    initialCapital: config.backtesting.initial_capital,
    maxDrawdownPct: risk.portfolio.max_drawdown_pct,
    dailyLossLimitPct: risk.portfolio.daily_loss_limit_pct,
    maxPortfolioHeat: risk.portfolio.max_portfolio_heat,
    maxOpenPositions: risk.portfolio.max_open_positions,
    maxGrossExposure: risk.portfolio.max_gross_exposure,
    hardStopPct: stops.enabled ? stops.hard_stop_pct : null,
    trailingStopPct: stops.enabled ? stops.trailing_stop_pct : null,
    takeProfitPct: stops.enabled ? stops.take_profit_pct : null,
    timeStopDays: stops.enabled ? stops.time_stop_days : null,
    maxPositionPct: risk.position_sizing.max_position_size,
    minConfidence: config.strategy.confidence_threshold,
    // config.yaml names each threshold by the zone it ends (`normal: 0.05`: NORMAL below 5%); the
    // RiskManager names it by the zone it starts (`caution: 0.05`).
    drawdownZones: {
      caution: risk.drawdown_zones.normal,
      alert: risk.drawdown_zones.caution,
      emergency: risk.drawdown_zones.alert,
      killSwitch: risk.drawdown_zones.emergency,
    },
    ...(logger === undefined ? {} : { logger }),
  };
}

/** The sizing method actually used, and why it differs from the configured one (if it does). */
export interface SizerChoice {
  readonly sizer: PositionSizer;
  /** Set when the configured method could not be used (e.g. no confidences for confidence_based). */
  readonly fallbackReason?: string;
}

/**
 * A confidence-based sizer that sizes a bar without a confidence (NaN: "none", e.g. an empty
 * confidence cell of a signals file) at the base risk, as the sizer does at `minConfidence`, the
 * way rule-based signals are sized, instead of failing the run.
 */
function sizeMissingConfidenceAtBase(sizer: PositionSizer, minConfidence: number): PositionSizer {
  const withConfidence = (request: SizingRequest): SizingRequest =>
    request.confidence === undefined || Number.isNaN(request.confidence) ? { ...request, confidence: minConfidence } : request;
  return {
    method: sizer.method,
    calculate: (request) => sizer.calculate(withConfidence(request)),
    calculateSize: (request) => sizer.calculateSize(withConfidence(request)),
  };
}

/**
 * The position sizer of `risk_management.position_sizing`:
 * - `confidence_based`: base risk `risk_per_trade` at `strategy.confidence_threshold`, growing
 *   linearly to `2 x risk_per_trade` (at most 1) at confidence 1; a bar without a confidence (NaN)
 *   is sized at the base risk;
 * - `fixed_fractional`: risk `risk_per_trade` of equity to the stop;
 * - `percent_of_equity`: commit `max_position_size` of equity, commission included.
 * Every method caps the position at `max_position_size` of equity.
 *
 * @param hasConfidences false for rule-based signals (SMA crossover, a signals file without a
 *   confidence column): confidence-based sizing then falls back to fixed fractional at the same
 *   `risk_per_trade`, and `fallbackReason` says so.
 */
export function positionSizerFromConfig(config: AppConfig, hasConfidences: boolean): SizerChoice {
  const sizing = config.risk_management.position_sizing;
  const method = sizing.method;
  if (method === 'confidence_based' && hasConfidences) {
    const minConfidence = config.strategy.confidence_threshold;
    return {
      sizer: sizeMissingConfidenceAtBase(
        createPositionSizer('confidence_based', {
          baseRiskFraction: sizing.risk_per_trade,
          maxRiskFraction: Math.min(1, 2 * sizing.risk_per_trade),
          minConfidence,
          maxPositionFraction: sizing.max_position_size,
          lotSize: config.backtesting.lot_size,
        }),
        minConfidence,
      ),
    };
  }
  if (method === 'percent_of_equity') {
    return {
      sizer: createPositionSizer('percent_of_equity', {
        fraction: sizing.max_position_size,
        commissionPct: config.backtesting.transaction_cost,
        lotSize: config.backtesting.lot_size,
      }),
    };
  }
  const sizer = createPositionSizer('fixed_fractional', {
    riskFraction: sizing.risk_per_trade,
    maxPositionFraction: sizing.max_position_size,
    lotSize: config.backtesting.lot_size,
  });
  return method === 'confidence_based'
    ? {
        sizer,
        fallbackReason:
          'confidence_based sizing needs model confidences and these signals have none: using fixed_fractional at risk_per_trade',
      }
    : { sizer };
}

/**
 * The engine's capital, cost, lot and execution-model options from `backtesting`: the
 * `commission` and `slippage` models replace `transaction_cost` and `slippage_bps` when given.
 */
export function engineCostsFromConfig(config: AppConfig): BacktestEngineOptions {
  const b = config.backtesting;
  return {
    initialCapital: b.initial_capital,
    ...(b.commission === undefined ? { commissionPct: b.transaction_cost } : { commission: b.commission }),
    ...(b.slippage === undefined ? { slippageBps: b.slippage_bps } : { slippage: b.slippage }),
    lotSize: b.lot_size,
    ...(b.volume_participation === undefined ? {} : { volumeParticipation: b.volume_participation }),
    ...(b.financing === undefined ? {} : { financing: b.financing }),
    maxLeverage: b.max_leverage,
    passedLevels: b.passed_levels,
  };
}

/**
 * Where each library option comes from in config.yaml: the risk manager's, the sizers' and the
 * engine's option names (paths for nested ones) to the config path a message should name.
 */
const CONFIG_PATH_OF_OPTION: Readonly<Record<string, string>> = {
  initialCapital: 'backtesting.initial_capital',
  commissionPct: 'backtesting.transaction_cost',
  slippageBps: 'backtesting.slippage_bps',
  lotSize: 'backtesting.lot_size',
  minConfidence: 'strategy.confidence_threshold',
  maxDrawdownPct: 'risk_management.portfolio.max_drawdown_pct',
  dailyLossLimitPct: 'risk_management.portfolio.daily_loss_limit_pct',
  maxPortfolioHeat: 'risk_management.portfolio.max_portfolio_heat',
  maxOpenPositions: 'risk_management.portfolio.max_open_positions',
  maxGrossExposure: 'risk_management.portfolio.max_gross_exposure',
  hardStopPct: 'risk_management.stop_loss.hard_stop_pct',
  trailingStopPct: 'risk_management.stop_loss.trailing_stop_pct',
  takeProfitPct: 'risk_management.stop_loss.take_profit_pct',
  timeStopDays: 'risk_management.stop_loss.time_stop_days',
  maxPositionPct: 'risk_management.position_sizing.max_position_size',
  maxPositionFraction: 'risk_management.position_sizing.max_position_size',
  fraction: 'risk_management.position_sizing.max_position_size',
  riskFraction: 'risk_management.position_sizing.risk_per_trade',
  baseRiskFraction: 'risk_management.position_sizing.risk_per_trade',
  maxRiskFraction: 'risk_management.position_sizing.risk_per_trade (twice it, at most 1)',
  // The RiskManager names each threshold by the zone it starts, config.yaml by the zone it ends.
  'drawdownZones.caution': 'risk_management.drawdown_zones.normal',
  'drawdownZones.alert': 'risk_management.drawdown_zones.caution',
  'drawdownZones.emergency': 'risk_management.drawdown_zones.alert',
  'drawdownZones.killSwitch': 'risk_management.drawdown_zones.emergency',
  volumeParticipation: 'backtesting.volume_participation',
  maxLeverage: 'backtesting.max_leverage',
  passedLevels: 'backtesting.passed_levels',
  commission: 'backtesting.commission',
  slippage: 'backtesting.slippage',
  financing: 'backtesting.financing',
};

/** The engine options whose values are execution-model mappings (config.yaml `backtesting.<snake_case>`). */
const MODEL_OPTIONS = new Set(['commission', 'slippage', 'financing']);

const camelToSnake = (key: string) => key.replace(/[a-z][A-Z]/g, (pair) => `${pair[0]}_${pair[1]!.toLowerCase()}`);

/** The config path of a library option path: the table, else a model option's keys in snake_case. */
function configPathOf(path: string): string {
  const known = CONFIG_PATH_OF_OPTION[path];
  if (known !== undefined) return known;
  const [head = '', ...rest] = path.split('.');
  return MODEL_OPTIONS.has(head) ? `backtesting.${[head, ...rest].map(camelToSnake).join('.')}` : path;
}

/**
 * Option names as they appear inside library messages (camelCase ones only: a plain word such as
 * "fraction" may be English), longest first, with their config names.
 */
const OPTION_NAMES_IN_TEXT = Object.keys(CONFIG_PATH_OF_OPTION)
  .filter((name) => /[A-Z.]/.test(name))
  .sort((a, b) => b.length - a.length)
  .map((name) => [new RegExp(`\\b${name.replace('.', '\\.')}\\b`, 'g'), CONFIG_PATH_OF_OPTION[name]!.replace(/ \(.*\)$/, '')] as const);

/** A library's validation problem restated with config.yaml paths and key names. */
function toConfigIssue(issue: OptionIssue): OptionIssue {
  let message = issue.message;
  for (const [pattern, path] of OPTION_NAMES_IN_TEXT) message = message.replace(pattern, path);
  // config.yaml takes no model objects or functions, only the built-in models' options.
  message = message.replace(/ \(or a \w+ \/ function\)/, '');
  // A model's keys in snake_case (`upTo` -> `up_to`).
  if (MODEL_OPTIONS.has(issue.path.split('.')[0]!)) message = message.replace(/\b[a-z]+(?:[A-Z][a-z]*)+\b/g, camelToSnake);
  const path = configPathOf(issue.path);
  return 'received' in issue ? { path, message, received: issue.received } : { path, message };
}

/** Runs a library constructor on mapped options; collects its `INVALID_CONFIG` problems. */
function collectIssues(issues: OptionIssue[], build: () => unknown): void {
  try {
    build();
  } catch (error) {
    if (!isAlgoTradingError(error, 'INVALID_CONFIG')) throw error;
    const found = error.details['issues'];
    if (Array.isArray(found)) {
      for (const issue of found as OptionIssue[]) issues.push(toConfigIssue(issue));
    } else {
      issues.push(toConfigIssue({ path: error.details.field ?? '(root)', message: error.message }));
    }
  }
}

/**
 * Validates a configuration the way a run uses it: builds the RiskManager options, both sizers a
 * run may use (with and without confidences) and the engine's options, so every value is checked
 * once, by the library that takes it, before any data is read. Problems name the config.yaml path.
 *
 * @throws AlgoTradingError `INVALID_CONFIG` listing every problem as `path: expectation, got value`.
 */
export function checkConfigWithLibraries(config: AppConfig, source = 'config.yaml'): void {
  const issues: OptionIssue[] = [];
  collectIssues(issues, () => resolveRiskOptions(riskManagerOptionsFromConfig(config)));
  collectIssues(issues, () => positionSizerFromConfig(config, true));
  collectIssues(issues, () => positionSizerFromConfig(config, false));
  collectIssues(issues, () => new BacktestEngine(engineCostsFromConfig(config)));
  const unique = [...new Map(issues.map((issue) => [`${issue.path}\n${issue.message}`, issue])).values()];
  if (unique.length === 0) return;
  const first = unique[0]!;
  throw new AlgoTradingError('INVALID_CONFIG', `Invalid configuration file ${source}:\n${describeIssues(unique)}`, {
    details: { field: first.path, value: first.received, issues: unique },
  });
}
