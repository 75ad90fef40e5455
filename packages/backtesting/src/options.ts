import {
  INTRABAR_POLICIES,
  parseOptions,
  silentLogger,
  zPositive,
  type Logger,
  type PositionSizer,
  type RiskGate,
} from '@algo-trading/core';
import { z } from 'zod';

/** When a signal decided at bar t is executed. */
export type FillAt = 'next_open' | 'close';

/** Every {@link FillAt}. */
export const FILL_AT = ['next_open', 'close'] as const satisfies readonly FillAt[];

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return methods.every((m) => typeof record[m] === 'function');
}

const RISK_GATE_METHODS = [
  'reset',
  'protectiveLevels',
  'getRiskMultiplier',
  'validateTrade',
  'onFill',
  'checkExit',
  'updatePrice',
  'markToMarket',
] as const;
const SIZER_METHODS = ['calculate', 'calculateSize'] as const;
const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

const commissionMessage = 'expected a number at least 0 and less than 1';

/**
 * Options of {@link BacktestEngine}, with the product defaults. Unknown keys are rejected.
 *
 * - `initialCapital` (required): starting cash, > 0.
 * - `riskManager`: a core `RiskGate` (e.g. `RiskManager` of `@algo-trading/risk`); none = no checks.
 * - `positionSizer`: a core `PositionSizer`; none = all-in (percent-of-equity 100%, commission included).
 * - `commissionPct` 0.0015: commission as a fraction of the traded notional, on every fill.
 * - `slippageBps` 5: buys fill at reference x (1 + bps/10000), sells at reference x (1 - bps/10000).
 * - `fillAt` 'next_open': a signal of bar t fills at bar t+1's open; 'close' fills at bar t's close.
 * - `allowShort` false, `lotSize` 1, `closeAtEnd` false, `intrabarPolicy` 'stop_first'.
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
  commissionPct: z
    .number({ error: commissionMessage })
    .min(0, { error: commissionMessage })
    .lt(1, { error: commissionMessage })
    .default(0.0015),
  slippageBps: z
    .number({ error: 'expected a number between 0 and 10000' })
    .min(0, { error: 'expected a number between 0 and 10000' })
    .lt(10_000, { error: 'expected a number between 0 and 10000' })
    .default(5),
  fillAt: z.enum(FILL_AT, { error: `expected one of ${FILL_AT.join(', ')}` }).default('next_open'),
  allowShort: z.boolean({ error: 'expected true or false' }).default(false),
  lotSize: zPositive().default(1),
  closeAtEnd: z.boolean({ error: 'expected true or false' }).default(false),
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

/** Options accepted by {@link BacktestEngine} (only `initialCapital` is required). */
export type BacktestEngineOptions = z.input<typeof backtestEngineOptionsSchema>;
/** {@link BacktestEngineOptions} with the defaults applied (the logger defaults to core's `silentLogger`). */
export type ResolvedBacktestEngineOptions = Omit<z.output<typeof backtestEngineOptionsSchema>, 'logger'> & {
  readonly logger: Logger;
};

/** Validates engine options; throws `INVALID_CONFIG` naming the key and the value. */
export function resolveEngineOptions(input: unknown): ResolvedBacktestEngineOptions {
  const parsed = parseOptions(backtestEngineOptionsSchema, input ?? {}, { what: 'BacktestEngine options' });
  return { ...parsed, logger: parsed.logger ?? silentLogger };
}
