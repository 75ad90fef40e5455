import {
  parseOptions,
  requireInRange,
  requirePositive,
  zFraction,
  zPositive,
  type PositionSizer,
  type RangeOptions,
  type SizingRequest,
  type SizingResult,
} from '@algo-trading/core';
import { z } from 'zod';
import { zLotSize, zMaxPositionFraction } from './options';
import { checkCommonFields, requirePresent, requireStop, sizingResult } from './request';
import { sizeByRisk } from './risk-based';

/**
 * Options of {@link KellyCriterion}, with the product defaults: `kellyFraction` 0.25,
 * `minWinRate` 0.40, `maxRiskFraction` 0.02, `maxPositionFraction` 0.25, `lotSize` 1.
 * `winRate`, `avgWin` and `avgLoss` optionally hold the trading statistics (e.g. from an earlier
 * backtest) for callers whose requests do not carry them, such as the backtest engine; a
 * request's own values take precedence.
 */
export const kellyOptionsSchema = z.strictObject({
  /** Share of the full Kelly fraction to use, in (0, 1] (0.25 = "quarter Kelly"). */
  kellyFraction: zFraction({ minExclusive: true }).default(0.25),
  /** Below this historical win rate the sizer declines (quantity 0), in [0, 1]. */
  minWinRate: zFraction().default(0.4),
  /** Never risk more than this fraction of capital on one trade, in (0, 1]. */
  maxRiskFraction: zFraction({ minExclusive: true }).default(0.02),
  /** Cap: `quantity x entry <= capital x maxPositionFraction`, in (0, 1]. */
  maxPositionFraction: zMaxPositionFraction(),
  /** Quantities are floored to a multiple of this (1, 0.001, 1e-8 ...). */
  lotSize: zLotSize(),
  /** Default historical win rate W in [0, 1], used when a request has none. */
  winRate: zFraction().optional(),
  /** Default average winning trade (money, > 0), used when a request has none. */
  avgWin: zPositive().optional(),
  /** Default average losing trade as a positive amount (> 0), used when a request has none. */
  avgLoss: zPositive().optional(),
});

/** Options accepted by {@link KellyCriterion} (every key optional). */
export type KellyOptions = z.input<typeof kellyOptionsSchema>;
/** {@link KellyOptions} with the defaults applied. */
export type ResolvedKellyOptions = z.output<typeof kellyOptionsSchema>;

const WIN_RATE_RANGE: RangeOptions = { min: 0, max: 1 };
const STATISTIC_HINT = 'pass it in the request or in the KellyCriterion options';

// A Kelly edge this small is float noise around break-even (e.g. W = 0.4, R = 1.5 gives 5.6e-17
// instead of 0); treating it as an edge would size dust positions on a zero-expectancy system.
const EDGE_EPSILON = 1e-12;

/**
 * Kelly-criterion sizing: risk a fraction of the Kelly optimum, capped.
 *
 * R = avgWin / avgLoss; f* = W - (1 - W) / R. Quantity 0 when W < minWinRate (`min_win_rate`) or
 * f* <= 0 (`zero_edge`). Otherwise riskFraction = min(kellyFraction x f*, maxRiskFraction), sized
 * like fixed fractional (riskMultiplier, position cap, lot, cash). The request needs
 * `stopLossPrice`, and `winRate` in [0, 1], `avgWin` > 0 and `avgLoss` > 0 unless the options
 * supply them.
 *
 * @example
 * new KellyCriterion({ kellyFraction: 0.25, minWinRate: 0.4 }).calculateSize({
 *   capital: 10_000, entryPrice: 100, stopLossPrice: 97, winRate: 0.6, avgWin: 300, avgLoss: 100,
 * }); // 25: f* = 0.6 - 0.4 / 3 = 0.4667, x 0.25 = 0.1167, capped at 0.02 -> 66 units, cap 25
 */
export class KellyCriterion implements PositionSizer {
  /** Method name, as in the configuration file. */
  readonly method = 'kelly' as const;
  /** The validated options, defaults applied. */
  readonly options: Readonly<ResolvedKellyOptions>;

  /** @throws AlgoTradingError `INVALID_CONFIG` naming the key when an option is invalid or unknown. */
  constructor(options: KellyOptions = {}) {
    this.options = Object.freeze(parseOptions(kellyOptionsSchema, options, { what: 'KellyCriterion options' }));
  }

  /**
   * Sizes one entry and tells what limited it.
   * @throws AlgoTradingError `INVALID_ARGUMENT` for illegal input (missing stop or Kelly statistics, NaN ...).
   */
  calculate(request: SizingRequest): SizingResult {
    checkCommonFields(request);
    const stop = requireStop(request, this.method);
    const options = this.options;
    // Request values win; the options' statistics (already validated) are the fallback.
    const winRate = requireInRange(
      'winRate',
      requirePresent('winRate', request.winRate ?? options.winRate, this.method, STATISTIC_HINT),
      WIN_RATE_RANGE,
    );
    const avgWin = requirePositive('avgWin', requirePresent('avgWin', request.avgWin ?? options.avgWin, this.method, STATISTIC_HINT));
    const avgLoss = requirePositive('avgLoss', requirePresent('avgLoss', request.avgLoss ?? options.avgLoss, this.method, STATISTIC_HINT));
    if (winRate < options.minWinRate) {
      return sizingResult(0, 0, Math.abs(request.entryPrice - stop), request.entryPrice, 'min_win_rate');
    }
    // f* = W - (1 - W) / R with R = avgWin / avgLoss, written so that it is never NaN (finite / positive).
    const edge = winRate - ((1 - winRate) * avgLoss) / avgWin;
    if (edge <= EDGE_EPSILON) {
      return sizingResult(0, 0, Math.abs(request.entryPrice - stop), request.entryPrice, 'zero_edge');
    }
    return sizeByRisk(request, Math.min(options.kellyFraction * edge, options.maxRiskFraction), options);
  }

  /** Just the quantity of {@link calculate}. */
  calculateSize(request: SizingRequest): number {
    return this.calculate(request).quantity;
  }
}
