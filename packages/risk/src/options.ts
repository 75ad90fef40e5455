import {
  INTRABAR_POLICIES,
  checkRiskScaleSeries,
  parseOptions,
  zFraction,
  zLogger,
  zNumberBetween,
  zPositive,
  type IntrabarPolicy,
  type Logger,
  type RiskScaleSeries,
} from '@algo-trading/core';
import { z } from 'zod';
import { DEFAULT_RISK_OPTIONS } from './constants';
import type { DrawdownZoneThresholds, ZoneRiskMultipliers } from './drawdown-zone';

export { DEFAULT_RISK_OPTIONS } from './constants';

/** A fraction strictly between 0 and 1 (drawdown thresholds, VaR confidence). */
const zOpenFraction = () => zFraction({ minExclusive: true, maxExclusive: true });

function isValidTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const zoneThresholdsSchema = z.strictObject({
  /** CAUTION (risk halved) from this drawdown; NORMAL below it. */
  caution: zOpenFraction().optional(),
  /** ALERT (risk quartered) from this drawdown. */
  alert: zOpenFraction().optional(),
  /** EMERGENCY (no new trades) from this drawdown. Same as `maxDrawdownPct`. */
  emergency: zOpenFraction().optional(),
  /** Kill switch: every position is closed from this drawdown on. */
  killSwitch: zOpenFraction().optional(),
});

const zoneMultipliersSchema = z.strictObject({
  normal: zFraction().optional(),
  caution: zFraction().optional(),
  alert: zFraction().optional(),
  emergency: zFraction().optional(),
});

/**
 * Options of the {@link RiskManager}. Every key is optional; the defaults are the product
 * defaults ({@link DEFAULT_RISK_OPTIONS}). Unknown keys are rejected. `null` disables a stop or a
 * limit where documented.
 */
export const riskManagerOptionsSchema = z
  .strictObject({
    /** Starting cash (and first equity peak). Default 10,000. */
    initialCapital: zPositive().default(DEFAULT_RISK_OPTIONS.initialCapital),
    /** Drawdown from which no new trade is allowed (EMERGENCY zone). Default 0.15 = `drawdownZones.emergency`. */
    maxDrawdownPct: zOpenFraction().optional(),
    /**
     * Loss of the day (against the day's starting equity) that halts new entries, in (0, 1] (1: the
     * whole equity). Default 0.03; null disables.
     */
    dailyLossLimitPct: zFraction({ minExclusive: true }).nullable().default(DEFAULT_RISK_OPTIONS.dailyLossLimitPct),
    /** Maximum open risk to the stops, as a fraction of equity, in (0, 1]. Default 0.03; null disables. */
    maxPortfolioHeat: zFraction({ minExclusive: true }).nullable().default(DEFAULT_RISK_OPTIONS.maxPortfolioHeat),
    /** Hard stop distance from the entry. Default 0.03; null: no default stop. */
    hardStopPct: zOpenFraction().nullable().default(DEFAULT_RISK_OPTIONS.hardStopPct),
    /** Trailing stop distance from the best price since entry. Default 0.02; null disables. */
    trailingStopPct: zOpenFraction().nullable().default(DEFAULT_RISK_OPTIONS.trailingStopPct),
    /** Favourable move that arms the trailing stop. Default: equal to `trailingStopPct`. */
    trailingActivationPct: zNumberBetween(0, 1).optional(),
    /**
     * Take-profit distance from the entry, > 0: a long's target is entry x (1 + takeProfitPct), so
     * 1.5 (+150%) is valid; a short's is entry x (1 - takeProfitPct), so a short needs a value
     * below 1 (its default levels throw otherwise). Default 0.05; null: no default target.
     */
    takeProfitPct: zPositive().nullable().default(DEFAULT_RISK_OPTIONS.takeProfitPct),
    /** Calendar days after which a position is closed at the close. Default 30; null disables. */
    timeStopDays: zPositive().nullable().default(DEFAULT_RISK_OPTIONS.timeStopDays),
    /** Largest position value (per symbol) as a fraction of equity, in (0, 1]. Default 0.25. */
    maxPositionPct: zFraction({ minExclusive: true }).default(DEFAULT_RISK_OPTIONS.maxPositionPct),
    /**
     * Largest number of positions open at once, an integer >= 1: an entry in a symbol without a
     * position is refused (`max_open_positions`) when this many are already open; adding to an
     * open position is not a new one. Default null (no limit).
     */
    maxOpenPositions: z
      .number({ error: 'expected an integer greater than or equal to 1 (or null for no limit)' })
      .int({ error: 'expected an integer greater than or equal to 1 (or null for no limit)' })
      .min(1, { error: 'expected an integer greater than or equal to 1 (or null for no limit)' })
      .nullable()
      .default(DEFAULT_RISK_OPTIONS.maxOpenPositions),
    /**
     * Largest gross exposure after the trade, as a fraction of equity (> 0; above 1 only with
     * leverage): the sum of |market value| of every position, the new order included, over the
     * equity left after the order's commission. Refusal code `gross_exposure`. Default null (no cap).
     */
    maxGrossExposure: zPositive().nullable().default(DEFAULT_RISK_OPTIONS.maxGrossExposure),
    /** Smallest model confidence accepted, in [0, 1]. Default 0.55. */
    minConfidence: zFraction().default(DEFAULT_RISK_OPTIONS.minConfidence),
    /** Drawdown zone thresholds, each the drawdown its zone starts at, strictly increasing. Defaults 0.05 / 0.10 / 0.15 / 0.20. */
    drawdownZones: zoneThresholdsSchema.optional(),
    /** Risk multiplier per zone, each in [0, 1]. Defaults 1 / 0.5 / 0.25 / 0. */
    zoneRiskMultipliers: zoneMultipliersSchema.optional(),
    /** Which level fills first when a bar touches both the stop and the target. Default `stop_first`. */
    intrabarPolicy: z.enum(INTRABAR_POLICIES).default(DEFAULT_RISK_OPTIONS.intrabarPolicy),
    /** IANA time zone whose calendar days reset the daily loss limit. Default `UTC`. */
    timeZone: z
      .string({ error: 'expected an IANA time zone name such as "UTC" or "America/New_York"' })
      .refine(isValidTimeZone, { error: 'expected an IANA time zone name such as "UTC" or "America/New_York"' })
      .default(DEFAULT_RISK_OPTIONS.timeZone),
    /** Confidence of the historical VaR / CVaR, in (0, 1). Default 0.95. */
    varConfidence: zOpenFraction().default(DEFAULT_RISK_OPTIONS.varConfidence),
    /** Commission rate charged by the standalone API (openPosition / closePosition / updatePositions). Default 0. */
    commissionPct: zFraction({ maxExclusive: true }).default(DEFAULT_RISK_OPTIONS.commissionPct),
    /** Where the manager reports zone changes, the kill switch and daily halts. Default: silent. */
    logger: zLogger(),
    /**
     * An external risk multiplier composed with the zone's (their product): a core
     * `RiskScaleSeries` `{ time, values }` read as of each mark's time (e.g. a regime policy's), or a
     * constant in [0, 1]. Default none (1). Not part of the resolved options: see
     * `RiskManager.getRiskScale` / `setRiskScale`.
     */
    riskScale: z
      .union([
        zFraction(),
        z.custom<RiskScaleSeries>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
          error: 'expected a multiplier in [0, 1] or a { time, values } series of multipliers',
        }),
      ])
      .nullable()
      .optional(),
  })
  .superRefine((options, ctx) => {
    const zones = { ...DEFAULT_RISK_OPTIONS.drawdownZones, ...definedOnly(options.drawdownZones ?? {}) };
    if (options.maxDrawdownPct !== undefined) {
      if (options.drawdownZones?.emergency !== undefined && options.drawdownZones.emergency !== options.maxDrawdownPct) {
        ctx.addIssue({
          code: 'custom',
          path: ['maxDrawdownPct'],
          message: `must equal drawdownZones.emergency (${options.drawdownZones.emergency}) when both are given; they are the same limit`,
          input: options.maxDrawdownPct,
        });
        return;
      }
      zones.emergency = options.maxDrawdownPct;
    }
    const order = ['caution', 'alert', 'emergency', 'killSwitch'] as const;
    const given = options.drawdownZones ?? {};
    for (let i = 1; i < order.length; i++) {
      const lower = order[i - 1]!;
      const upper = order[i]!;
      if (zones[upper] > zones[lower]) continue;
      const fromMax = options.maxDrawdownPct !== undefined;
      // Report on the key the user wrote: the upper one, or maxDrawdownPct when it is the culprit.
      if (upper === 'killSwitch' && fromMax && given.killSwitch === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['maxDrawdownPct'],
          message: `must be below drawdownZones.killSwitch (${zones.killSwitch}); raise drawdownZones.killSwitch too`,
          input: zones.emergency,
        });
      } else if (upper === 'emergency' && fromMax) {
        ctx.addIssue({
          code: 'custom',
          path: ['maxDrawdownPct'],
          message: `must be greater than drawdownZones.${lower} (${zones[lower]}): it starts the EMERGENCY zone, after the ${lower.toUpperCase()} zone`,
          input: zones.emergency,
        });
      } else if (given[upper] === undefined && given[lower] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['drawdownZones', lower],
          message: `must be less than drawdownZones.${upper} (${zones[upper]}): ${ZONES_INCREASE}`,
          input: zones[lower],
        });
      } else {
        ctx.addIssue({
          code: 'custom',
          path: ['drawdownZones', upper],
          message: `must be greater than drawdownZones.${lower} (${zones[lower]}): ${ZONES_INCREASE}`,
          input: zones[upper],
        });
      }
    }
  });

// Messages name each threshold by its full option path, so a caller that maps options to its own
// names (the CLI's config.yaml) can rewrite every name in them.
const ZONES_INCREASE = 'each zone starts at a larger drawdown than the one before';

function definedOnly<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** Options accepted by the {@link RiskManager} constructor (every key optional). */
export type RiskManagerOptions = z.input<typeof riskManagerOptionsSchema>;

/** {@link RiskManagerOptions} with every default applied and the derived values resolved. */
export interface ResolvedRiskOptions {
  readonly initialCapital: number;
  /** Equal to `drawdownZones.emergency`. */
  readonly maxDrawdownPct: number;
  readonly dailyLossLimitPct: number | null;
  readonly maxPortfolioHeat: number | null;
  readonly hardStopPct: number | null;
  readonly trailingStopPct: number | null;
  /** Resolved: `trailingStopPct` when not given (0 when trailing is disabled). */
  readonly trailingActivationPct: number;
  readonly takeProfitPct: number | null;
  readonly timeStopDays: number | null;
  readonly maxPositionPct: number;
  /** Null: no limit on the number of open positions. */
  readonly maxOpenPositions: number | null;
  /** Null: no cap on the gross exposure. */
  readonly maxGrossExposure: number | null;
  readonly minConfidence: number;
  readonly drawdownZones: DrawdownZoneThresholds;
  readonly zoneRiskMultipliers: ZoneRiskMultipliers;
  readonly intrabarPolicy: IntrabarPolicy;
  readonly timeZone: string;
  readonly varConfidence: number;
  readonly commissionPct: number;
}

/**
 * Validates risk manager options and applies every default.
 *
 * @throws AlgoTradingError `INVALID_CONFIG` naming each offending key and its value.
 */
export function resolveRiskOptions(input: RiskManagerOptions = {}): {
  options: ResolvedRiskOptions;
  logger: Logger;
  /** The validated `riskScale` (a copy of a series), null when none. */
  riskScale: RiskScaleSeries | number | null;
} {
  const parsed = parseOptions(riskManagerOptionsSchema, input, { what: 'RiskManager options' });
  const scale = parsed.riskScale ?? null;
  const riskScale = scale === null || typeof scale === 'number' ? scale : checkRiskScaleSeries(scale, 'riskScale', 'INVALID_CONFIG');
  const zones: DrawdownZoneThresholds = Object.freeze({
    ...DEFAULT_RISK_OPTIONS.drawdownZones,
    ...definedOnly(parsed.drawdownZones ?? {}),
    ...(parsed.maxDrawdownPct === undefined ? {} : { emergency: parsed.maxDrawdownPct }),
  });
  const multipliers: ZoneRiskMultipliers = Object.freeze({
    ...DEFAULT_RISK_OPTIONS.zoneRiskMultipliers,
    ...definedOnly(parsed.zoneRiskMultipliers ?? {}),
  });
  const options: ResolvedRiskOptions = Object.freeze({
    initialCapital: parsed.initialCapital,
    maxDrawdownPct: zones.emergency,
    dailyLossLimitPct: parsed.dailyLossLimitPct,
    maxPortfolioHeat: parsed.maxPortfolioHeat,
    hardStopPct: parsed.hardStopPct,
    trailingStopPct: parsed.trailingStopPct,
    trailingActivationPct: parsed.trailingActivationPct ?? parsed.trailingStopPct ?? 0,
    takeProfitPct: parsed.takeProfitPct,
    timeStopDays: parsed.timeStopDays,
    maxPositionPct: parsed.maxPositionPct,
    maxOpenPositions: parsed.maxOpenPositions,
    maxGrossExposure: parsed.maxGrossExposure,
    minConfidence: parsed.minConfidence,
    drawdownZones: zones,
    zoneRiskMultipliers: multipliers,
    intrabarPolicy: parsed.intrabarPolicy,
    timeZone: parsed.timeZone,
    varConfidence: parsed.varConfidence,
    commissionPct: parsed.commissionPct,
  });
  return { options, logger: parsed.logger, riskScale };
}
