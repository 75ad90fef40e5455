import {
  affordableQuantity,
  floorToStep,
  parseOptions,
  zFraction,
  type PositionSizer,
  type SizingLimit,
  type SizingRequest,
  type SizingResult,
} from '@algo-trading/core';
import { z } from 'zod';
import { zCommissionPct, zLotSize } from './options';
import { checkCommonFields, sizingResult } from './request';

/**
 * Options of {@link PercentOfEquitySizing}, with the defaults: `fraction` 1 (all in),
 * `commissionPct` 0, `lotSize` 1.
 */
export const percentOfEquityOptionsSchema = z.strictObject({
  /** Fraction of capital to commit, commission included, in (0, 1]. */
  fraction: zFraction({ minExclusive: true }).default(1),
  /** Commission rate the position must leave room for, in [0, 1); a request's `commissionPct` overrides it. */
  commissionPct: zCommissionPct().default(0),
  /** Quantities are floored to a multiple of this (1, 0.001, 1e-8 ...). */
  lotSize: zLotSize(),
});

/** Options accepted by {@link PercentOfEquitySizing} (every key optional). */
export type PercentOfEquityOptions = z.input<typeof percentOfEquityOptionsSchema>;
/** {@link PercentOfEquityOptions} with the defaults applied. */
export type ResolvedPercentOfEquityOptions = z.output<typeof percentOfEquityOptionsSchema>;

/**
 * Percent-of-equity sizing, for engines and peers that size by capital rather than by stop:
 * quantity = floor_to_lot(capital x fraction x riskMultiplier / (entry x (1 + commissionPct))),
 * so fraction 1 is "all in, commission included". The stop is not needed; when given, it only
 * fills `riskPerUnit` and `riskAmount`. `riskFraction` reports the fraction of capital committed
 * (fraction x riskMultiplier), since this sizer does not size by risk.
 *
 * @example
 * new PercentOfEquitySizing({ fraction: 1, commissionPct: 0.001 })
 *   .calculateSize({ capital: 10_000, entryPrice: 100 }); // 99: 10,000 / 100.1 = 99.9
 */
export class PercentOfEquitySizing implements PositionSizer {
  /** Method name, as in the configuration file. */
  readonly method = 'percent_of_equity' as const;
  /** The validated options, defaults applied. */
  readonly options: Readonly<ResolvedPercentOfEquityOptions>;

  /** @throws AlgoTradingError `INVALID_CONFIG` naming the key when an option is invalid or unknown. */
  constructor(options: PercentOfEquityOptions = {}) {
    this.options = Object.freeze(
      parseOptions(percentOfEquityOptionsSchema, options, { what: 'PercentOfEquitySizing options' }),
    );
  }

  /**
   * Sizes one entry and tells what limited it.
   * @throws AlgoTradingError `INVALID_ARGUMENT` for illegal input (NaN, negative capital ...).
   */
  calculate(request: SizingRequest): SizingResult {
    checkCommonFields(request);
    const { capital, entryPrice, stopLossPrice } = request;
    const riskPerUnit = stopLossPrice === undefined || stopLossPrice === null ? 0 : Math.abs(entryPrice - stopLossPrice);
    const fraction = this.options.fraction * (request.riskMultiplier ?? 1);
    if (capital === 0) return sizingResult(0, fraction, riskPerUnit, entryPrice, 'zero_capital');
    if (fraction === 0) return sizingResult(0, fraction, riskPerUnit, entryPrice, 'risk_multiplier');

    const commissionPct = request.commissionPct ?? this.options.commissionPct;
    const lotSize = this.options.lotSize;
    let quantity = floorToStep((capital * fraction) / (entryPrice * (1 + commissionPct)), lotSize);
    if (quantity === 0) return sizingResult(0, fraction, riskPerUnit, entryPrice, 'lot');
    let limitedBy: SizingLimit = 'fraction';
    const cash = request.cash;
    if (cash !== undefined) {
      const affordable = affordableQuantity(cash, entryPrice, commissionPct, lotSize);
      if (affordable < quantity) {
        quantity = affordable;
        limitedBy = 'cash';
      }
    }
    return sizingResult(quantity, fraction, riskPerUnit, entryPrice, limitedBy);
  }

  /** Just the quantity of {@link calculate}. */
  calculateSize(request: SizingRequest): number {
    return this.calculate(request).quantity;
  }
}
