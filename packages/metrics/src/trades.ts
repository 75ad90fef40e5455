import { AlgoTradingError, describeValue } from '@algo-trading/core';

/**
 * Statistics over closed trades: win rate, profit factor, expectancy in R, average win / loss /
 * trade, payoff ratio and the longest losing streak. core's `Trade` type satisfies
 * {@link TradeLike}.
 */

/** What the trade statistics read from a trade. */
export interface TradeLike {
  /** Net profit or loss of the trade (after costs). */
  readonly pnl: number;
  /** Money at risk at entry (quantity x |entry - stop|); null or absent when the trade had no stop. */
  readonly initialRisk?: number | null | undefined;
}

/** Every trade statistic, as {@link tradeStatistics} returns it. */
export interface TradeStatistics {
  /** Number of trades. */
  readonly tradeCount: number;
  /** Trades with pnl > 0. */
  readonly winCount: number;
  /** Trades with pnl < 0 (pnl = 0 is neither a win nor a loss). */
  readonly lossCount: number;
  /** Sum of the winning pnl. */
  readonly grossProfit: number;
  /** Sum of the losing pnl (a negative number, or 0). */
  readonly grossLoss: number;
  /** winCount / tradeCount; NaN without trades. */
  readonly winRate: number;
  /** grossProfit / |grossLoss|; Infinity with wins and no losses; NaN with neither (or no trades). */
  readonly profitFactor: number;
  /** Mean R multiple (pnl / initialRisk) over the trades with initialRisk > 0; NaN when there are none. */
  readonly expectancy: number;
  /** Mean pnl of the winning trades; NaN without wins. */
  readonly averageWin: number;
  /** Mean pnl of the losing trades (negative); NaN without losses. */
  readonly averageLoss: number;
  /** Mean pnl over all trades; NaN without trades. */
  readonly averageTradePnl: number;
  /** averageWin / |averageLoss|; NaN without wins or without losses. */
  readonly payoffRatio: number;
  /** Longest run of consecutive losing trades (pnl < 0), in the order given; 0 without losses. */
  readonly maxConsecutiveLosses: number;
}

function invalidTrade(field: string, index: number, value: unknown, expectation: string): never {
  throw new AlgoTradingError('INVALID_DATA', `trades[${index}].${field} must be ${expectation}, got ${describeValue(value)}`, {
    details: { field: `trades.${field}`, index, value },
  });
}

/**
 * All trade statistics in one pass over closed trades (in exit order). Throws INVALID_DATA when
 * a pnl is not a finite number or an initialRisk is not null / a finite number >= 0.
 *
 * @example
 * tradeStatistics([{ pnl: 200, initialRisk: 100 }, { pnl: -100, initialRisk: 100 }]);
 * // winRate 0.5, profitFactor 2, expectancy 0.5 (R), payoffRatio 2, ...
 */
export function tradeStatistics(trades: readonly TradeLike[]): TradeStatistics {
  if (!Array.isArray(trades)) {
    throw new AlgoTradingError('INVALID_ARGUMENT', `trades must be an array of { pnl, initialRisk } objects, got ${describeValue(trades)}`, {
      details: { field: 'trades', value: trades },
    });
  }
  const n = trades.length;
  let winCount = 0;
  let lossCount = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let rSum = 0;
  let rCount = 0;
  let streak = 0;
  let maxStreak = 0;
  for (let i = 0; i < n; i++) {
    const trade: unknown = trades[i];
    if (typeof trade !== 'object' || trade === null) invalidTrade('pnl', i, trade, 'a finite number (the trade is not an object)');
    const { pnl, initialRisk } = trade as TradeLike;
    if (typeof pnl !== 'number' || !Number.isFinite(pnl)) invalidTrade('pnl', i, pnl, 'a finite number');
    if (initialRisk !== undefined && initialRisk !== null) {
      if (typeof initialRisk !== 'number' || !Number.isFinite(initialRisk) || initialRisk < 0) {
        invalidTrade('initialRisk', i, initialRisk, 'null or a finite number >= 0');
      }
      if (initialRisk > 0) {
        rSum += pnl / initialRisk;
        rCount++;
      }
    }
    if (pnl > 0) {
      winCount++;
      grossProfit += pnl;
      streak = 0;
    } else if (pnl < 0) {
      lossCount++;
      grossLoss += pnl;
      streak++;
      if (streak > maxStreak) maxStreak = streak;
    } else {
      streak = 0;
    }
  }
  const averageWin = winCount > 0 ? grossProfit / winCount : Number.NaN;
  const averageLoss = lossCount > 0 ? grossLoss / lossCount : Number.NaN;
  let profitFactor: number;
  if (lossCount > 0) profitFactor = grossProfit / -grossLoss;
  else profitFactor = winCount > 0 ? Infinity : Number.NaN;
  return {
    tradeCount: n,
    winCount,
    lossCount,
    grossProfit,
    grossLoss,
    winRate: n > 0 ? winCount / n : Number.NaN,
    profitFactor,
    expectancy: rCount > 0 ? rSum / rCount : Number.NaN,
    averageWin,
    averageLoss,
    averageTradePnl: n > 0 ? (grossProfit + grossLoss) / n : Number.NaN,
    payoffRatio: winCount > 0 && lossCount > 0 ? averageWin / -averageLoss : Number.NaN,
    maxConsecutiveLosses: maxStreak,
  };
}

/** Fraction of trades with pnl > 0; NaN without trades. */
export function winRate(trades: readonly TradeLike[]): number {
  return tradeStatistics(trades).winRate;
}

/** Gross profit / gross loss; Infinity with wins and no losses; NaN with neither. */
export function profitFactor(trades: readonly TradeLike[]): number {
  return tradeStatistics(trades).profitFactor;
}

/** Mean R multiple (pnl / initialRisk) over trades with initialRisk > 0; NaN when none has one. */
export function expectancy(trades: readonly TradeLike[]): number {
  return tradeStatistics(trades).expectancy;
}

/** Mean pnl of the winning trades; NaN without wins. */
export function averageWin(trades: readonly TradeLike[]): number {
  return tradeStatistics(trades).averageWin;
}

/** Mean pnl of the losing trades, a negative number; NaN without losses. */
export function averageLoss(trades: readonly TradeLike[]): number {
  return tradeStatistics(trades).averageLoss;
}

/** Mean pnl over all trades; NaN without trades. */
export function averageTradePnl(trades: readonly TradeLike[]): number {
  return tradeStatistics(trades).averageTradePnl;
}

/** Average win / |average loss|; NaN without wins or without losses. */
export function payoffRatio(trades: readonly TradeLike[]): number {
  return tradeStatistics(trades).payoffRatio;
}

/** Longest run of consecutive losing trades (pnl < 0) in the given order; 0 without losses. */
export function maxConsecutiveLosses(trades: readonly TradeLike[]): number {
  return tradeStatistics(trades).maxConsecutiveLosses;
}
