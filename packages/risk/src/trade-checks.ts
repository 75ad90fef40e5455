import { describeValue, isPositiveFinite, type ProtectiveLevels, type Side, type TradeIssue, type TradeRequest } from '@algo-trading/core';
import { DrawdownZone } from './drawdown-zone';

/** The state of the book the pre-trade checks look at. */
export interface TradeCheckContext {
  /** Cash not owed back to short sales: cash - market value of the shorts. */
  readonly availableBalance: number;
  readonly equity: number;
  /** Market value already held in the same symbol (same side), to be added to the new position. */
  readonly existingExposure: number;
  readonly zone: DrawdownZone;
  readonly drawdown: number;
  /** Sum of the open positions' risk to their stops, money. */
  readonly openRisk: number;
  /** Whether the daily loss limit halts entries at the request's time. */
  readonly dailyLimitHit: boolean;
  /** The day's loss so far as a fraction of the day's starting equity (for the message). */
  readonly dailyLoss: number;
  /** Default protective levels at the request's entry price. */
  readonly defaults: ProtectiveLevels;
  /** Number of open positions. */
  readonly openPositions: number;
  /** Whether a position in the request's symbol is already open (on either side). */
  readonly symbolOpen: boolean;
  /** Sum of |market value| of the open positions in other symbols than the request's, money. */
  readonly otherGrossExposure: number;
  /**
   * Market value of the position in the request's symbol, signed from the request's side:
   * positive on the same side (the trade adds to it), negative on the opposite side (the trade
   * first reduces it), 0 when flat.
   */
  readonly symbolExposure: number;
}

/** The limits the checks apply (resolved risk options). */
export interface TradeCheckLimits {
  readonly maxPositionPct: number;
  readonly minConfidence: number;
  readonly maxPortfolioHeat: number | null;
  readonly dailyLossLimitPct: number | null;
  readonly maxDrawdownPct: number;
  readonly maxOpenPositions: number | null;
  readonly maxGrossExposure: number | null;
}

function pct(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

function money(value: number): string {
  return value.toFixed(2);
}

/**
 * Checks the request's own numbers; returns the problems (empty when sound). Invalid prices are
 * non-finite or non-positive values (entry, stop, target, quantity, commission < 0) and a stop or
 * a target on the wrong side of the entry.
 */
export function findInvalidPrices(request: TradeRequest, side: Side): string[] {
  const problems: string[] = [];
  if (typeof request.symbol !== 'string' || request.symbol.trim() === '') {
    problems.push(`symbol must be a non-empty string, got ${describeValue(request.symbol)}`);
  }
  if (!isPositiveFinite(request.entryPrice)) {
    problems.push(`entryPrice must be a finite number greater than 0, got ${describeValue(request.entryPrice)}`);
  }
  if (!isPositiveFinite(request.quantity)) {
    problems.push(`quantity must be a finite number greater than 0, got ${describeValue(request.quantity)}`);
  }
  if (request.commission !== undefined && !(typeof request.commission === 'number' && Number.isFinite(request.commission) && request.commission >= 0)) {
    problems.push(`commission must be a finite number >= 0, got ${describeValue(request.commission)}`);
  }
  const entryOk = isPositiveFinite(request.entryPrice);
  if (request.stopLoss !== undefined) {
    if (!isPositiveFinite(request.stopLoss)) {
      problems.push(`stopLoss must be a finite number greater than 0, got ${describeValue(request.stopLoss)}`);
    } else if (entryOk && (side === 'long' ? request.stopLoss >= request.entryPrice : request.stopLoss <= request.entryPrice)) {
      problems.push(
        `stopLoss ${request.stopLoss} must be ${side === 'long' ? 'below' : 'above'} the entry price ${request.entryPrice} of a ${side}`,
      );
    }
  }
  if (request.takeProfit !== undefined) {
    if (!isPositiveFinite(request.takeProfit)) {
      problems.push(`takeProfit must be a finite number greater than 0, got ${describeValue(request.takeProfit)}`);
    } else if (entryOk && (side === 'long' ? request.takeProfit <= request.entryPrice : request.takeProfit >= request.entryPrice)) {
      problems.push(
        `takeProfit ${request.takeProfit} must be ${side === 'long' ? 'above' : 'below'} the entry price ${request.entryPrice} of a ${side}`,
      );
    }
  }
  return problems;
}

/**
 * Runs the pre-trade checks, all of them, and returns every failed one in a fixed order:
 * `invalid_prices`, `insufficient_balance`, `position_limit`, `low_confidence`, `drawdown_halt`,
 * `portfolio_heat`, `daily_loss_limit`, then the portfolio limits when configured:
 * `max_open_positions`, `gross_exposure`. Checks that need a sound number are skipped only when
 * that number is itself invalid (already reported as `invalid_prices`).
 */
export function runTradeChecks(request: TradeRequest, context: TradeCheckContext, limits: TradeCheckLimits): TradeIssue[] {
  const issues: TradeIssue[] = [];
  const side: Side = request.side ?? 'long';
  const invalid = findInvalidPrices(request, side);
  if (request.side !== undefined && request.side !== 'long' && request.side !== 'short') {
    invalid.push(`side must be "long" or "short", got ${describeValue(request.side)}`);
  }
  if (invalid.length > 0) issues.push({ code: 'invalid_prices', message: invalid.join('; ') });

  const numbersOk = isPositiveFinite(request.entryPrice) && isPositiveFinite(request.quantity);
  const commission = typeof request.commission === 'number' && request.commission >= 0 ? request.commission : 0;
  const notional = numbersOk ? request.quantity * request.entryPrice : Number.NaN;

  // 1. balance: a purchase (or a short's collateral) plus its commission must fit the free cash.
  if (numbersOk && notional + commission > context.availableBalance) {
    issues.push({
      code: 'insufficient_balance',
      message: `${side} ${request.quantity} x ${request.entryPrice} + commission ${money(commission)} = ${money(notional + commission)} exceeds the available balance ${money(context.availableBalance)}`,
    });
  }

  // 2. position limit: the symbol's value after the trade <= maxPositionPct x equity.
  if (numbersOk) {
    const limit = limits.maxPositionPct * context.equity;
    const value = context.existingExposure + notional;
    if (value > limit) {
      issues.push({
        code: 'position_limit',
        message: `position value ${money(value)} exceeds ${pct(limits.maxPositionPct)} of equity (${money(limit)})`,
      });
    }
  }

  // 3. confidence threshold (skipped when no confidence is given).
  if (request.confidence !== undefined) {
    const c = request.confidence;
    if (!(typeof c === 'number' && c >= 0 && c <= 1)) {
      issues.push({ code: 'low_confidence', message: `confidence must be a number in [0, 1], got ${describeValue(c)}` });
    } else if (c < limits.minConfidence) {
      issues.push({ code: 'low_confidence', message: `confidence ${c} is below the minimum ${limits.minConfidence}` });
    }
  }

  // 4. drawdown zone: no new trade in EMERGENCY.
  if (context.zone === DrawdownZone.EMERGENCY) {
    issues.push({
      code: 'drawdown_halt',
      message: `drawdown ${pct(context.drawdown)} is at or beyond the maximum ${pct(limits.maxDrawdownPct)}: trading halted (zone EMERGENCY)`,
    });
  }

  // 5. portfolio heat after the trade, against the equity left after the commission.
  if (limits.maxPortfolioHeat !== null && numbersOk) {
    const stop = request.stopLoss ?? context.defaults.stopLoss;
    const newRisk =
      stop === null || !isPositiveFinite(stop)
        ? notional
        : Math.max(0, side === 'long' ? request.entryPrice - stop : stop - request.entryPrice) * request.quantity;
    const equityAfter = context.equity - commission;
    const heat = equityAfter > 0 ? (context.openRisk + newRisk) / equityAfter : Number.POSITIVE_INFINITY;
    if (heat > limits.maxPortfolioHeat) {
      issues.push({
        code: 'portfolio_heat',
        message: `portfolio heat would be ${pct(heat)} (open risk ${money(context.openRisk)} + this trade ${money(newRisk)}), above the maximum ${pct(limits.maxPortfolioHeat)}`,
      });
    }
  }

  // 6. daily loss limit.
  if (limits.dailyLossLimitPct !== null && context.dailyLimitHit) {
    issues.push({
      code: 'daily_loss_limit',
      message: `daily loss ${pct(context.dailyLoss)} reached the limit ${pct(limits.dailyLossLimitPct)}: no new entries until the next day`,
    });
  }

  // 7. the number of open positions: an entry in a symbol not yet held opens one more.
  if (limits.maxOpenPositions !== null && !context.symbolOpen && context.openPositions >= limits.maxOpenPositions) {
    issues.push({
      code: 'max_open_positions',
      message: `${context.openPositions} positions are open, the maximum is ${limits.maxOpenPositions}: ${request.symbol} would open one more`,
    });
  }

  // 8. gross exposure after the trade, against the equity left after the commission.
  if (limits.maxGrossExposure !== null && numbersOk) {
    const gross = context.otherGrossExposure + Math.abs(context.symbolExposure + notional);
    const equityAfter = context.equity - commission;
    const exposure = equityAfter > 0 ? gross / equityAfter : Number.POSITIVE_INFINITY;
    if (exposure > limits.maxGrossExposure) {
      issues.push({
        code: 'gross_exposure',
        message: `gross exposure would be ${pct(exposure)} of equity (${money(gross)} / ${money(equityAfter)}), above the maximum ${pct(limits.maxGrossExposure)}`,
      });
    }
  }

  return issues;
}
