import { parseOptions, zFraction, type PositionSizer, type SizingRequest, type SizingResult } from '@algo-trading/core';
import { z } from 'zod';
import { zLotSize, zMaxPositionFraction } from './options';
import { checkCommonFields, requireStop } from './request';
import { sizeByRisk } from './risk-based';

/**
 * Options of {@link FixedFractionalSizing}, with the product defaults:
 * `riskFraction` 0.01, `maxPositionFraction` 0.25, `lotSize` 1. Unknown keys are rejected.
 */
export const fixedFractionalOptionsSchema = z.strictObject({
  /** Fraction of capital risked at the stop per trade, in (0, 1]. */
  riskFraction: zFraction({ minExclusive: true }).default(0.01),
  /** Cap: `quantity x entry <= capital x maxPositionFraction`, in (0, 1]. */
  maxPositionFraction: zMaxPositionFraction(),
  /** Quantities are floored to a multiple of this (1, 0.001, 1e-8 ...). */
  lotSize: zLotSize(),
});

/** Options accepted by {@link FixedFractionalSizing} (every key optional). */
export type FixedFractionalOptions = z.input<typeof fixedFractionalOptionsSchema>;
/** {@link FixedFractionalOptions} with the defaults applied. */
export type ResolvedFixedFractionalOptions = z.output<typeof fixedFractionalOptionsSchema>;

/**
 * Fixed-fractional sizing: risk a fixed fraction of capital between entry and stop.
 *
 * quantity = floor_to_lot(min(capital x riskFraction x riskMultiplier / |entry - stop|,
 * capital x maxPositionFraction / entry)), then cut to the cash when `cash` is given.
 * Works for shorts (stop above the entry). `stopLossPrice` is required.
 *
 * @example
 * new FixedFractionalSizing({ riskFraction: 0.01, maxPositionFraction: 0.25 })
 *   .calculateSize({ capital: 10_000, entryPrice: 100, stopLossPrice: 97 }); // 25 (cap: 2,500 / 100)
 */
export class FixedFractionalSizing implements PositionSizer {
  /** Method name, as in the configuration file. */
  readonly method = 'fixed_fractional' as const;
  /** The validated options, defaults applied. */
  readonly options: Readonly<ResolvedFixedFractionalOptions>;

  /** @throws AlgoTradingError `INVALID_CONFIG` naming the key when an option is invalid or unknown. */
  constructor(options: FixedFractionalOptions = {}) {
    this.options = Object.freeze(parseOptions(fixedFractionalOptionsSchema, options, { what: 'FixedFractionalSizing options' }));
  }

  /**
   * Sizes one entry and tells what limited it.
   * @throws AlgoTradingError `INVALID_ARGUMENT` for illegal input (missing stop, NaN, negative capital ...).
   */
  calculate(request: SizingRequest): SizingResult {
    checkCommonFields(request);
    requireStop(request, this.method);
    return sizeByRisk(request, this.options.riskFraction, this.options);
  }

  /** Just the quantity of {@link calculate}. */
  calculateSize(request: SizingRequest): number {
    return this.calculate(request).quantity;
  }
}
