import { affordableQuantity, floorToStep, type SizingLimit, type SizingRequest, type SizingResult } from '@algo-trading/core';
import { sizingResult } from './request';

/** The caps of a risk-based sizer (a subset of its resolved options). */
export interface RiskSizingLimits {
  /** Cap on the position value as a fraction of capital, in (0, 1]. */
  readonly maxPositionFraction: number;
  /** Quantities are floored to a multiple of this, > 0. */
  readonly lotSize: number;
}

/**
 * The one "risk fraction -> quantity" path shared by fixed-fractional, Kelly and confidence-based
 * sizing. `request` must already be validated and carry a stop; `riskFraction` is the sizer's
 * fraction before the request's `riskMultiplier`.
 *
 * 1. fraction = riskFraction x riskMultiplier; riskPerUnit = |entry - stop|
 * 2. quantity = min(capital x fraction / riskPerUnit, capital x maxPositionFraction / entry)
 * 3. floored to the lot (exactly, with core's `floorToStep`), then cut to what `cash` affords
 *    (commission included) when `cash` is given.
 *
 * Degenerate inputs give quantity 0 with the reason: `zero_capital`, `zero_risk` (stop = entry),
 * `risk_multiplier` (multiplier 0), `lot` (less than one lot), `cash` (not one lot affordable).
 *
 * Internal hot path: positional arguments (no per-call options object) by design.
 */
export function sizeByRisk(request: SizingRequest, riskFraction: number, limits: RiskSizingLimits): SizingResult {
  const capital = request.capital;
  const entryPrice = request.entryPrice;
  const riskPerUnit = Math.abs(entryPrice - (request.stopLossPrice as number));
  const fraction = riskFraction * (request.riskMultiplier ?? 1);
  if (capital === 0) return sizingResult(0, fraction, riskPerUnit, entryPrice, 'zero_capital');
  if (riskPerUnit === 0) return sizingResult(0, fraction, riskPerUnit, entryPrice, 'zero_risk');
  if (fraction === 0) return sizingResult(0, fraction, riskPerUnit, entryPrice, 'risk_multiplier');

  const byRisk = (capital * fraction) / riskPerUnit;
  const byPosition = (capital * limits.maxPositionFraction) / entryPrice;
  // On a tie the risk budget is reported: it is the sizer's own rule, the cap only a guard.
  let limitedBy: SizingLimit = byRisk <= byPosition ? 'risk' : 'max_position';
  const lotSize = limits.lotSize;
  let quantity = floorToStep(limitedBy === 'risk' ? byRisk : byPosition, lotSize);
  if (quantity === 0) return sizingResult(0, fraction, riskPerUnit, entryPrice, 'lot');

  const cash = request.cash;
  if (cash !== undefined) {
    const affordable = affordableQuantity(cash, entryPrice, request.commissionPct ?? 0, lotSize);
    if (affordable < quantity) {
      quantity = affordable;
      limitedBy = 'cash';
    }
  }
  return sizingResult(quantity, fraction, riskPerUnit, entryPrice, limitedBy);
}
