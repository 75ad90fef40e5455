import { Decimal, describeValue, parseOptions, toDecimal, zPositive } from '@algo-trading/core';
import { z } from 'zod';
import { fail } from './internal';

/** Options of {@link discreteAllocation}. */
export interface DiscreteAllocationOptions {
  /** Target weights by symbol, >= 0 (they are normalized to sum 1; zero weights buy nothing). */
  readonly weights: Readonly<Record<string, number>>;
  /** Latest price per symbol (every symbol with a positive weight needs one). */
  readonly prices: Readonly<Record<string, number>>;
  /** Money to invest (> 0). */
  readonly cash: number;
  /** Lot size: one number for all symbols or per symbol (default 1 unit). Quantities are whole lots. */
  readonly lotSize?: number | Readonly<Record<string, number>>;
}

/** Result of {@link discreteAllocation}. */
export interface DiscreteAllocation {
  /** Quantity per symbol (whole lots; symbols with none are left out). */
  readonly quantities: Readonly<Record<string, number>>;
  /** Cash not invested, exact (Decimal arithmetic on the prices as written). */
  readonly leftover: number;
  /** Money invested, `cash - leftover`. */
  readonly invested: number;
  /** Weights of the allocation, value / cash (they sum to `invested / cash`). */
  readonly weights: Readonly<Record<string, number>>;
  /** Root mean square of target weight - allocated weight over the symbols. */
  readonly trackingError: number;
}

const allocationSchema = z.strictObject({
  weights: z.record(z.string(), z.number().min(0, { error: 'expected a weight >= 0 (long only)' })),
  prices: z.record(z.string(), z.number()),
  cash: zPositive(),
  lotSize: z.union([zPositive(), z.record(z.string(), zPositive())]).default(1),
});

/**
 * Turns target weights into whole lots with cash: greedy, as PyPortfolioOpt's `greedy_portfolio`.
 *
 * 1. Largest weights first, buy as many whole lots as fit under each target value
 *    `weight x cash` (floored).
 * 2. Fix-up: while some lot is affordable, buy one lot of the affordable symbol furthest below its
 *    target value (target - held value > 0); stop when none is.
 *
 * Money is counted in `Decimal`, so `leftover` is exact for prices as written. Long only
 * (negative weights are an error). Greedy, not an integer program: the leftover is usually
 * below the cheapest lot but not guaranteed to be the smallest possible.
 *
 * @example
 * discreteAllocation({ weights: { A: 0.5, B: 0.5 }, prices: { A: 30, B: 45 }, cash: 1000 });
 * // { quantities: { A: 18, B: 10 }, leftover: 10, ... }
 */
export function discreteAllocation(options: DiscreteAllocationOptions): DiscreteAllocation {
  const { weights, prices, cash, lotSize } = parseOptions(allocationSchema, options, { what: 'discreteAllocation options', code: 'INVALID_ARGUMENT' });
  const symbols = Object.keys(weights);
  if (symbols.length === 0) fail('INVALID_ARGUMENT', 'weights', 'weights must name at least one symbol');
  let total = 0;
  for (const s of symbols) total += weights[s]!;
  if (!(total > 0)) fail('INVALID_ARGUMENT', 'weights', 'weights must have a positive sum');
  const items = symbols
    .map((symbol) => {
      const target = weights[symbol]! / total;
      const price = prices[symbol];
      if (target > 0 && (typeof price !== 'number' || !Number.isFinite(price) || price <= 0)) {
        fail('INVALID_ARGUMENT', `prices.${symbol}`, `prices.${symbol} must be a finite number > 0, got ${describeValue(price)}`, price);
      }
      const lot = typeof lotSize === 'number' ? lotSize : (lotSize[symbol] ?? 1);
      const lotCost = target > 0 ? toDecimal(price!, `prices.${symbol}`).times(toDecimal(lot, 'lotSize')) : new Decimal(0);
      return { symbol, target, lot, lotCost, lots: 0, targetValue: toDecimal(cash).times(target) };
    })
    .filter((item) => item.target > 0)
    .sort((a, b) => b.target - a.target);

  let available = toDecimal(cash, 'cash');
  for (const item of items) {
    let lots = item.targetValue.div(item.lotCost).floor();
    if (lots.times(item.lotCost).gt(available)) lots = available.div(item.lotCost).floor();
    item.lots = lots.toNumber();
    available = available.minus(lots.times(item.lotCost));
  }
  // Fix-up: one lot at a time to the affordable symbol with the largest value deficit.
  for (;;) {
    let best: (typeof items)[number] | undefined;
    let bestDeficit = new Decimal(0);
    for (const item of items) {
      if (item.lotCost.gt(available)) continue;
      const deficit = item.targetValue.minus(item.lotCost.times(item.lots));
      if (deficit.gt(bestDeficit)) {
        best = item;
        bestDeficit = deficit;
      }
    }
    if (best === undefined) break;
    best.lots += 1;
    available = available.minus(best.lotCost);
  }
  const quantities: Record<string, number> = {};
  const allocated: Record<string, number> = {};
  let squared = 0;
  for (const s of symbols) {
    const item = items.find((i) => i.symbol === s);
    const value = item === undefined ? 0 : item.lotCost.times(item.lots).toNumber();
    if (item !== undefined && item.lots > 0) quantities[s] = Number((item.lots * item.lot).toPrecision(15));
    allocated[s] = value / cash;
    const d = weights[s]! / total - value / cash;
    squared += d * d;
  }
  const leftover = available.toNumber();
  return Object.freeze({
    quantities: Object.freeze(quantities),
    leftover,
    invested: toDecimal(cash).minus(available).toNumber(),
    weights: Object.freeze(allocated),
    trackingError: Math.sqrt(squared / symbols.length),
  });
}
