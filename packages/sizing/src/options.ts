import { zFraction, zPositive } from '@algo-trading/core';
import { z } from 'zod';

/**
 * Option pieces shared by every sizer's schema, so the rules and messages are worded once.
 */

/** Default lot size: whole units. */
export const DEFAULT_LOT_SIZE = 1;

/** Default cap on the position value as a fraction of capital (the product default: 25% of equity, docs/trading-rules.md section 2). */
export const DEFAULT_MAX_POSITION_FRACTION = 0.25;

/** `lotSize`: a finite number > 0 (1, 0.001, 1e-8 ...); quantities are floored to it. */
export function zLotSize() {
  return zPositive().default(DEFAULT_LOT_SIZE);
}

/** `maxPositionFraction`: a fraction in (0, 1]; `quantity x entry <= capital x maxPositionFraction`. */
export function zMaxPositionFraction() {
  return zFraction({ minExclusive: true }).default(DEFAULT_MAX_POSITION_FRACTION);
}

/** A commission rate in [0, 1) (0.001 = 0.1% of the traded notional). */
export function zCommissionPct() {
  const message = 'expected a number at least 0 and less than 1';
  return z.number({ error: message }).min(0, { error: message }).lt(1, { error: message });
}
