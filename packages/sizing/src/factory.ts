import { AlgoTradingError, describeValue } from '@algo-trading/core';
import { ConfidenceBasedSizing, type ConfidenceBasedOptions } from './confidence-based';
import { FixedFractionalSizing, type FixedFractionalOptions } from './fixed-fractional';
import { KellyCriterion, type KellyOptions } from './kelly';
import { PercentOfEquitySizing, type PercentOfEquityOptions } from './percent-of-equity';

import { SIZING_METHODS, type SizingMethod } from './constants';

export { SIZING_METHODS, type SizingMethod } from './constants';

/** The options type of each sizing method. */
export interface SizerOptionsByMethod {
  fixed_fractional: FixedFractionalOptions;
  kelly: KellyOptions;
  confidence_based: ConfidenceBasedOptions;
  percent_of_equity: PercentOfEquityOptions;
}

/** The sizer class each sizing method creates. */
export interface SizerByMethod {
  fixed_fractional: FixedFractionalSizing;
  kelly: KellyCriterion;
  confidence_based: ConfidenceBasedSizing;
  percent_of_equity: PercentOfEquitySizing;
}

/** True when `value` is one of {@link SIZING_METHODS}. */
export function isSizingMethod(value: unknown): value is SizingMethod {
  return typeof value === 'string' && (SIZING_METHODS as readonly string[]).includes(value);
}

/**
 * Creates a sizer from a configuration-file method name and its options, validated with zod
 * (defaults applied, unknown keys and out-of-range values rejected with the key named).
 *
 * @example
 * const sizer = createPositionSizer('confidence_based', { baseRiskFraction: 0.01, maxRiskFraction: 0.02 });
 * sizer.calculateSize({ capital: 10_000, entryPrice: 100, stopLossPrice: 97, confidence: 0.75 }); // 25
 *
 * @throws AlgoTradingError `INVALID_CONFIG` for an unknown method or invalid options.
 */
export function createPositionSizer<M extends SizingMethod>(method: M, options?: SizerOptionsByMethod[M]): SizerByMethod[M];
export function createPositionSizer(method: SizingMethod, options: object = {}): SizerByMethod[SizingMethod] {
  // Options are validated by each class's strict schema; the casts only route the union.
  switch (method) {
    case 'fixed_fractional':
      return new FixedFractionalSizing(options as FixedFractionalOptions);
    case 'kelly':
      return new KellyCriterion(options as KellyOptions);
    case 'confidence_based':
      return new ConfidenceBasedSizing(options as ConfidenceBasedOptions);
    case 'percent_of_equity':
      return new PercentOfEquitySizing(options as PercentOfEquityOptions);
    default:
      throw new AlgoTradingError(
        'INVALID_CONFIG',
        `method must be one of ${SIZING_METHODS.map((m) => `"${m}"`).join(', ')}, got ${describeValue(method)}`,
        { details: { field: 'method', value: method } },
      );
  }
}
