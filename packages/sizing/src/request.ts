import {
  AlgoTradingError,
  describeValue,
  requireInRange,
  requireNonNegative,
  requirePositive,
  type RangeOptions,
  type SizingLimit,
  type SizingRequest,
  type SizingResult,
} from '@algo-trading/core';

/**
 * Checks of the request fields every sizer shares, and the one constructor of results.
 * Everything here runs once per call on plain numbers and allocates nothing on the success path.
 */

// Hoisted so the hot path does not allocate a range object per call.
const UNIT_INTERVAL: RangeOptions = { min: 0, max: 1 };
const COMMISSION_RANGE: RangeOptions = { min: 0, max: 1, maxExclusive: true };

/**
 * Validates the fields every sizer reads: `capital` >= 0, `entryPrice` > 0, `side`,
 * `riskMultiplier` in [0, 1], `cash` >= 0 and `commissionPct` in [0, 1), plus `stopLossPrice`
 * when given (> 0 and on the correct side of the entry: at or below it for a long, the default
 * side, at or above it for a short; undefined or null mean no stop).
 * Throws `INVALID_ARGUMENT` naming the field and the value.
 */
export function checkCommonFields(request: SizingRequest): void {
  if (typeof request !== 'object' || request === null) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `request must be a sizing request object, got ${describeValue(request)}`, {
      details: { field: 'request', value: request },
    });
  }
  requireNonNegative('capital', request.capital);
  const entryPrice = requirePositive('entryPrice', request.entryPrice);
  const side = request.side;
  if (side !== undefined && side !== 'long' && side !== 'short') {
    throw new AlgoTradingError('INVALID_ARGUMENT', `side must be "long" or "short", got ${describeValue(side)}`, {
      details: { field: 'side', value: side },
    });
  }
  if (request.riskMultiplier !== undefined) requireInRange('riskMultiplier', request.riskMultiplier, UNIT_INTERVAL);
  if (request.cash !== undefined) requireNonNegative('cash', request.cash);
  if (request.commissionPct !== undefined) requireInRange('commissionPct', request.commissionPct, COMMISSION_RANGE);
  const stop = request.stopLossPrice;
  // null is accepted as "no stop" too: core's ProtectiveLevels writes a missing stop as null.
  if (stop === undefined || stop === null) return;
  requirePositive('stopLossPrice', stop);
  // A stop on the wrong side of the direction is a caller bug, not a degenerate size (and never a
  // short in disguise: a request is long unless it says short).
  if (side !== 'short' && stop > entryPrice) {
    const implied = side === undefined ? ' (side defaults to "long"; pass side: "short" for a short)' : '';
    throw new AlgoTradingError(
      'INVALID_ARGUMENT',
      `stopLossPrice must be at or below entryPrice (${entryPrice}) for a long position${implied}, got ${stop}`,
      { details: { field: 'stopLossPrice', value: stop, entryPrice, side: 'long' } },
    );
  }
  if (side === 'short' && stop < entryPrice) {
    throw new AlgoTradingError(
      'INVALID_ARGUMENT',
      `stopLossPrice must be at or above entryPrice (${entryPrice}) for a short position, got ${stop}`,
      { details: { field: 'stopLossPrice', value: stop, entryPrice, side: 'short' } },
    );
  }
}

/** Throws `INVALID_ARGUMENT` naming `stopLossPrice` when a risk-based sizer gets no stop. */
export function requireStop(request: SizingRequest, method: string): number {
  const stop = request.stopLossPrice;
  if (stop === undefined || stop === null) {
    throw new AlgoTradingError(
      'INVALID_ARGUMENT',
      `stopLossPrice is required by ${method} sizing (risk per unit = |entryPrice - stopLossPrice|), got ${describeValue(stop)}`,
      { details: { field: 'stopLossPrice', value: stop } },
    );
  }
  return stop;
}

/**
 * Returns a request field that a sizer needs (e.g. Kelly's `winRate`), or throws
 * `INVALID_ARGUMENT` naming the field when it is missing. The caller checks its range.
 * `hint`, when given, is appended to the message (where else the value may come from).
 */
export function requirePresent(field: string, value: number | undefined, method: string, hint?: string): number {
  if (value === undefined) {
    const suffix = hint === undefined ? '' : ` (${hint})`;
    throw new AlgoTradingError('INVALID_ARGUMENT', `${field} is required by ${method} sizing, got undefined${suffix}`, {
      details: { field, value },
    });
  }
  return value;
}

/**
 * Builds a {@link SizingResult}, always with the same property order so every result shares one
 * hidden class. `riskAmount` and `positionValue` follow from the quantity.
 */
export function sizingResult(
  quantity: number,
  riskFraction: number,
  riskPerUnit: number,
  entryPrice: number,
  limitedBy: SizingLimit,
): SizingResult {
  return {
    quantity,
    riskAmount: quantity * riskPerUnit,
    riskFraction,
    riskPerUnit,
    positionValue: quantity * entryPrice,
    limitedBy,
  };
}
