import type {
  CommissionContext,
  CommissionModel,
  FinancingCharge,
  FinancingContext,
  FinancingModel,
  ParticipationContext,
  ParticipationModel,
  SlippageContext,
  SlippageModel,
} from '@algo-trading/core';

/**
 * The built-in execution models (core's interfaces): slippage, commission, volume participation
 * and financing. Each factory takes validated numbers (the engine options' zod schemas check
 * them) and returns a small object the engine calls at fill time only.
 */

// ---------------------------------------------------------------------------------------------
// Slippage

/** Buys at reference x (1 + bps / 10,000), sells at reference x (1 - bps / 10,000). */
export function fixedBpsSlippage(bps: number): SlippageModel {
  const f = bps / 10_000;
  return {
    name: 'fixed_bps',
    fillPrice: (c) => (c.side === 'buy' ? c.referencePrice * (1 + f) : c.referencePrice * (1 - f)),
  };
}

/**
 * Half the quoted spread: buys at reference + spread / 2, sells at reference - spread / 2. The
 * spread is the bar's value from the run's `spreads` input when it has one, else `spread` (price
 * units), else `spreadBps` of the reference.
 */
export function spreadSlippage(options: { readonly spread?: number | undefined; readonly spreadBps?: number | undefined }): SlippageModel {
  const fixed = options.spread ?? Number.NaN;
  const bps = options.spreadBps ?? 0;
  return {
    name: 'spread',
    fillPrice(c) {
      const spread = c.spread === c.spread ? c.spread : fixed === fixed ? fixed : (c.referencePrice * bps) / 10_000;
      const half = spread / 2;
      return c.side === 'buy' ? c.referencePrice + half : c.referencePrice - half;
    },
  };
}

/**
 * Volume share (LEAN's and zipline's model): the price moves by priceImpact x share^2 of the
 * reference, where share = quantity / bar volume, capped at `volumeLimit` (a bar without volume
 * counts as the cap).
 */
export function volumeShareSlippage(options: { readonly priceImpact: number; readonly volumeLimit: number }): SlippageModel {
  const { priceImpact, volumeLimit } = options;
  return {
    name: 'volume_share',
    fillPrice(c) {
      const volume = c.bars.volume[c.barIndex]!;
      const share = volume > 0 ? Math.min(c.quantity / volume, volumeLimit) : volumeLimit;
      const impact = priceImpact * share * share;
      return c.side === 'buy' ? c.referencePrice * (1 + impact) : c.referencePrice * (1 - impact);
    },
  };
}

/**
 * Square-root market impact: the price moves by coefficient x volatility x sqrt(quantity /
 * average volume) of the reference. Volatility is the standard deviation (n - 1) of the log
 * close-to-close returns and the average volume the mean volume, both over the `window` bars
 * before the fill's bar (no look-ahead). On daily bars these are the daily volatility and the
 * average daily volume; on shorter bars the per-bar figures give the same impact (volatility
 * grows with the square root of time, volume linearly). Without two returns or any volume of
 * history the impact is 0.
 */
export function sqrtImpactSlippage(options: { readonly coefficient: number; readonly window: number }): SlippageModel {
  const { coefficient, window } = options;
  return {
    name: 'sqrt_impact',
    fillPrice(c) {
      const close = c.bars.close;
      const volume = c.bars.volume;
      const end = c.barIndex; // bars [start, end) are history
      const start = Math.max(0, end - window);
      let volumeSum = 0;
      for (let k = start; k < end; k++) volumeSum += volume[k]!;
      const returns = end - start - 1;
      if (returns < 2 || !(volumeSum > 0)) return c.referencePrice;
      let mean = 0;
      for (let k = start + 1; k < end; k++) mean += Math.log(close[k]! / close[k - 1]!);
      mean /= returns;
      let squares = 0;
      for (let k = start + 1; k < end; k++) {
        const d = Math.log(close[k]! / close[k - 1]!) - mean;
        squares += d * d;
      }
      const volatility = Math.sqrt(squares / (returns - 1));
      const averageVolume = volumeSum / (end - start);
      const impact = coefficient * volatility * Math.sqrt(c.quantity / averageVolume);
      return c.side === 'buy' ? c.referencePrice * (1 + impact) : c.referencePrice * (1 - impact);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Commission

/** A fraction of the traded notional on every fill. */
export function percentCommission(rate: number): CommissionModel {
  return { name: 'percent', commission: (c) => c.notional * rate };
}

/**
 * Per share (unit), the common broker schedule: rate x units, at least `minimum` and at most
 * `maximum` (money) and `maximumPct` of the notional, per order: the order's fills together pay
 * what one fill of their total would, each fill the difference.
 */
export function perShareCommission(options: {
  readonly rate: number;
  readonly minimum?: number | undefined;
  readonly maximum?: number | undefined;
  readonly maximumPct?: number | undefined;
}): CommissionModel {
  const { rate } = options;
  const minimum = options.minimum ?? 0;
  const maximum = options.maximum ?? Number.POSITIVE_INFINITY;
  const maximumPct = options.maximumPct ?? Number.POSITIVE_INFINITY;
  return {
    name: 'per_share',
    commission(c) {
      const quantity = c.orderFilledQuantity + c.quantity;
      const notional = c.orderFilledNotional + c.notional;
      const total = Math.min(Math.max(rate * quantity, minimum), maximum, maximumPct * notional);
      return Math.max(0, total - c.orderCommission);
    },
  };
}

/** A fixed amount per order, paid by its first fill. */
export function fixedCommission(amount: number): CommissionModel {
  return { name: 'fixed', commission: (c) => Math.max(0, amount - c.orderCommission) };
}

/** One tier of {@link tieredCommission}: `rate` on the part of an order's notional up to `upTo`. */
export interface CommissionTier {
  /** Upper bound of the tier (order notional); omitted on the last tier: no bound. */
  readonly upTo?: number | undefined;
  readonly rate: number;
}

/**
 * Tiered by notional, like tax brackets: each slice of an order's notional pays its tier's rate
 * (tiers in increasing `upTo`, the last one open-ended), per order as {@link perShareCommission}.
 */
export function tieredCommission(tiers: readonly CommissionTier[]): CommissionModel {
  const bounds = tiers.map((t) => t.upTo ?? Number.POSITIVE_INFINITY);
  const rates = tiers.map((t) => t.rate);
  const charge = (notional: number): number => {
    let total = 0;
    let from = 0;
    for (let k = 0; k < bounds.length && notional > from; k++) {
      total += (Math.min(notional, bounds[k]!) - from) * rates[k]!;
      from = bounds[k]!;
    }
    return total;
  };
  return {
    name: 'tiered',
    commission: (c) => Math.max(0, charge(c.orderFilledNotional + c.notional) - c.orderCommission),
  };
}

/** The maker rate for a resting limit order filled at its limit, the taker rate otherwise (fractions of the notional). */
export function makerTakerCommission(options: { readonly maker: number; readonly taker: number }): CommissionModel {
  const { maker, taker } = options;
  return { name: 'maker_taker', commission: (c) => c.notional * (c.liquidity === 'maker' ? maker : taker) };
}

// ---------------------------------------------------------------------------------------------
// Volume participation and financing

/** At most `fraction` of each bar's volume fills per bar and symbol (all orders together). */
export function volumeParticipation(fraction: number): ParticipationModel {
  return {
    name: 'volume_share',
    maxQuantity: (c: ParticipationContext) => Math.max(0, fraction * c.barVolume - c.filledInBar),
  };
}

/**
 * Simple daily financing by calendar time (day count `dayCount`, 365 by default): positive cash
 * earns `cashRate` a year, negative cash (leverage) pays `marginRate` (default `cashRate`), and
 * short positions pay `borrowRate` a year on their market value.
 */
export function dailyFinancing(options: {
  readonly cashRate?: number | undefined;
  readonly marginRate?: number | undefined;
  readonly borrowRate?: number | undefined;
  readonly dayCount?: number | undefined;
}): FinancingModel {
  const cashRate = options.cashRate ?? 0;
  const marginRate = options.marginRate ?? cashRate;
  const borrowRate = options.borrowRate ?? 0;
  const dayCount = options.dayCount ?? 365;
  return {
    name: 'daily',
    dayCount,
    accrue(c: FinancingContext): FinancingCharge {
      const years = c.days / dayCount;
      return {
        interest: c.cash * (c.cash >= 0 ? cashRate : marginRate) * years,
        borrowFee: c.shortMarketValue * borrowRate * years,
      };
    },
  };
}

/** A plain function as a slippage model. */
export function slippageFromFunction(fn: (context: SlippageContext) => number): SlippageModel {
  return { name: fn.name === '' ? 'custom' : fn.name, fillPrice: fn };
}

/** A plain function as a commission model. */
export function commissionFromFunction(fn: (context: CommissionContext) => number): CommissionModel {
  return { name: fn.name === '' ? 'custom' : fn.name, commission: fn };
}
