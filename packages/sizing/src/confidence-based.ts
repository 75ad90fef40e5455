import {
  parseOptions,
  requireNonNegative,
  zFraction,
  type PositionSizer,
  type SizingRequest,
  type SizingResult,
} from '@algo-trading/core';
import { z } from 'zod';
import { zLotSize, zMaxPositionFraction } from './options';
import { checkCommonFields, requirePresent, requireStop, sizingResult } from './request';
import { sizeByRisk } from './risk-based';

const MIN_CONFIDENCE_MESSAGE = 'expected a number at least 0 and less than 1';

/**
 * Options of {@link ConfidenceBasedSizing}, with the product defaults: `baseRiskFraction` 0.01,
 * `maxRiskFraction` 0.02, `minConfidence` 0.55, `maxPositionFraction` 0.25, `lotSize` 1.
 * Cross-field rule: `baseRiskFraction <= maxRiskFraction`.
 */
export const confidenceBasedOptionsSchema = z
  .strictObject({
    /** Risk fraction at `minConfidence`, in (0, 1]. */
    baseRiskFraction: zFraction({ minExclusive: true }).default(0.01),
    /** Risk fraction at confidence 1, in (0, 1], >= baseRiskFraction. */
    maxRiskFraction: zFraction({ minExclusive: true }).default(0.02),
    /** Below this confidence the sizer declines (quantity 0), in [0, 1). */
    minConfidence: z
      .number({ error: MIN_CONFIDENCE_MESSAGE })
      .min(0, { error: MIN_CONFIDENCE_MESSAGE })
      .lt(1, { error: MIN_CONFIDENCE_MESSAGE })
      .default(0.55),
    /** Cap: `quantity x entry <= capital x maxPositionFraction`, in (0, 1]. */
    maxPositionFraction: zMaxPositionFraction(),
    /** Quantities are floored to a multiple of this (1, 0.001, 1e-8 ...). */
    lotSize: zLotSize(),
  })
  .superRefine((options, ctx) => {
    if (options.baseRiskFraction > options.maxRiskFraction) {
      ctx.addIssue({
        code: 'custom',
        path: ['baseRiskFraction'],
        // Both values are named: either may come from a default the user never typed.
        message: `expected baseRiskFraction (${options.baseRiskFraction}) to be at most maxRiskFraction (${options.maxRiskFraction})`,
      });
    }
  });

/** Options accepted by {@link ConfidenceBasedSizing} (every key optional). */
export type ConfidenceBasedOptions = z.input<typeof confidenceBasedOptionsSchema>;
/** {@link ConfidenceBasedOptions} with the defaults applied. */
export type ResolvedConfidenceBasedOptions = z.output<typeof confidenceBasedOptionsSchema>;

/**
 * Confidence-based sizing: the risk fraction grows linearly with the model's confidence.
 *
 * Quantity 0 below `minConfidence` (`confidence`); otherwise
 * riskFraction = base + (max - base) x (confidence - minConfidence) / (1 - minConfidence),
 * so `minConfidence` risks `baseRiskFraction` and confidence 1 risks `maxRiskFraction`; then
 * sized like fixed fractional. The request needs `stopLossPrice` and a finite `confidence` >= 0;
 * a confidence above 1 is clamped to 1 (it risks `maxRiskFraction`, never more).
 *
 * @example
 * new ConfidenceBasedSizing({ baseRiskFraction: 0.01, maxRiskFraction: 0.02, minConfidence: 0.55 })
 *   .calculateSize({ capital: 10_000, entryPrice: 100, stopLossPrice: 97, confidence: 0.75 });
 * // 25: riskFraction = 0.01 + 0.01 x 0.2 / 0.45 = 0.01444 -> 48 units by risk, cap 25
 */
export class ConfidenceBasedSizing implements PositionSizer {
  /** Method name, as in the configuration file. */
  readonly method = 'confidence_based' as const;
  /** The validated options, defaults applied. */
  readonly options: Readonly<ResolvedConfidenceBasedOptions>;

  /** @throws AlgoTradingError `INVALID_CONFIG` naming the key when an option is invalid or unknown. */
  constructor(options: ConfidenceBasedOptions = {}) {
    this.options = Object.freeze(
      parseOptions(confidenceBasedOptionsSchema, options, { what: 'ConfidenceBasedSizing options' }),
    );
  }

  /**
   * Sizes one entry and tells what limited it.
   * @throws AlgoTradingError `INVALID_ARGUMENT` for illegal input (missing stop or confidence,
   * NaN, a negative confidence ...).
   */
  calculate(request: SizingRequest): SizingResult {
    checkCommonFields(request);
    const stop = requireStop(request, this.method);
    const received = requireNonNegative('confidence', requirePresent('confidence', request.confidence, this.method));
    // The product rule: confidence is clamped to 1, so a value such as 1.0000001 risks the maximum.
    const confidence = received > 1 ? 1 : received;
    const { baseRiskFraction, maxRiskFraction, minConfidence } = this.options;
    if (confidence < minConfidence) {
      return sizingResult(0, 0, Math.abs(request.entryPrice - stop), request.entryPrice, 'confidence');
    }
    const scaled =
      baseRiskFraction + ((maxRiskFraction - baseRiskFraction) * (confidence - minConfidence)) / (1 - minConfidence);
    // Float rounding could overshoot the maximum by an ulp at confidence 1; the maximum is a promise.
    return sizeByRisk(request, Math.min(scaled, maxRiskFraction), this.options);
  }

  /** Just the quantity of {@link calculate}. */
  calculateSize(request: SizingRequest): number {
    return this.calculate(request).quantity;
  }
}
