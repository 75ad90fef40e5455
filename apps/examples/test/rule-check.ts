import type { BarSeries, Trade } from '@algo-trading/core';
import { expect } from 'vitest';

/**
 * An independent check of a long-only backtest against the trading rules of
 * docs/trading-rules.md, written from the rules and not from the engine's code: every trade is
 * replayed bar by bar from the OHLC data, and the run's totals are rebuilt from the checked trades.
 *
 * Rules checked, per trade:
 * - entry at the open of the bar after a 1 signal (when signals are given), plus slippage;
 * - the resting exits of the risk manager's defaults inside each bar, from the open: hard stop at
 *   entry x (1 - hardStopPct), target at entry x (1 + takeProfitPct), trailing stop
 *   trailingStopPct behind the best high once that high is trailingActivationPct in profit (a level
 *   set during a bar applies from the next bar), a gap through a level filling at the open, the stop
 *   first when a bar touches both; the time stop once the bar's time is timeStopDays after the
 *   entry, and a -1 signal, filling at the next open (the time stop outranks the signal); the exit
 *   at the first bar where one of them fires, never earlier and never later;
 * - exit prices: a market exit at the next open and a stop gapped through at the open pay the full
 *   slippage; a stop reached inside the bar fills at the stop less slippage, never below the bar's
 *   low; the take-profit is a limit order, at the target inside the bar (no slippage below it) and
 *   at the open less slippage, never below the target, when the open is beyond it;
 * - commission = commissionPct x price x quantity on both legs; net P&L;
 * - the sizing rule, through `expectedQuantity`, from the equity and the drawdown zone the rules
 *   give at that moment (rebuilt here from the checked trades).
 * Totals: the equity per bar (cash from the trades plus the open position at the close), final
 * equity, commission, wins and the maximum drawdown (the initial capital as the first peak).
 */
export interface RuleCheckConfig {
  readonly initialCapital: number;
  readonly commissionPct: number;
  readonly slippageBps: number;
  readonly hardStopPct: number;
  readonly takeProfitPct: number;
  readonly trailingStopPct: number;
  readonly trailingActivationPct: number;
  readonly timeStopDays: number;
  /** Signals of the run (-1 / 0 / 1 per bar); without them, signal exits are only checked to fill at an open. */
  readonly signals?: ArrayLike<number>;
  /**
   * The quantity the sizing rule gives (exact), or a check of it; called with the equity at the fill
   * (all cash: one position at a time), the fill price, the hard stop and the zone multiplier.
   */
  readonly checkQuantity?: (quantity: number, sizing: SizingContext) => void;
}

/** What the sizing rule sees at an entry. */
export interface SizingContext {
  readonly capital: number;
  readonly entryPrice: number;
  readonly stopLoss: number;
  /** Risk multiplier of the drawdown zone at the previous close: 1, 0.5, 0.25 or 0. */
  readonly multiplier: number;
  /** Index of the trade. */
  readonly index: number;
}

/** A position still open at the end (as the engine reports it). */
export interface OpenAtEnd {
  readonly entryBarIndex: number;
  readonly quantity: number;
  readonly entryPrice: number;
  readonly entryCommission: number;
}

/** Totals rebuilt from the checked trades. */
export interface RuleCheckTotals {
  /** Equity at each bar's close. */
  readonly equity: Float64Array;
  readonly finalEquity: number;
  readonly totalCommission: number;
  readonly wins: number;
  /** Worst peak-to-valley fall of `equity`, a negative fraction (the initial capital is the first peak). */
  readonly maxDrawdown: number;
  readonly exitReasons: Readonly<Record<string, number>>;
}

/** The risk manager's product defaults (docs/trading-rules.md, risk rules), as the checker reads them. */
export const PRODUCT_RISK_DEFAULTS = {
  hardStopPct: 0.03,
  takeProfitPct: 0.05,
  trailingStopPct: 0.02,
  trailingActivationPct: 0.02,
  timeStopDays: 30,
} as const;

/**
 * Annualized Sharpe ratio of an equity curve's bar returns (the initial capital before the first
 * bar): mean / sample std (ddof 1) x sqrt(252), risk-free 0, as docs/ and empyrical define it.
 */
export function sharpeOfEquity(equity: ArrayLike<number>, initialCapital: number): number {
  const returns = Array.from(equity, (e, i) => e / (i === 0 ? initialCapital : equity[i - 1]!) - 1);
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / (returns.length - 1));
  return (mean / std) * Math.sqrt(252);
}

const DAY = 86_400_000;
const close = (actual: number, expected: number, what: string) =>
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));

/** The drawdown-zone multiplier of the product defaults: below 5% 1, below 10% 0.5, below 15% 0.25, else 0. */
export function zoneMultiplier(drawdown: number): number {
  return drawdown < 0.05 ? 1 : drawdown < 0.1 ? 0.5 : drawdown < 0.15 ? 0.25 : 0;
}

/** Where a trade must end by the rules, from its entry: the first exit that fires, and its fill price. */
function ruleExit(bars: BarSeries, trade: Trade, config: RuleCheckConfig): { bar: number; reason: string; price: number } {
  const { open, high, low, time } = bars;
  const slip = 1 - config.slippageBps / 10_000;
  const entry = trade.entryPrice;
  const stop = entry * (1 - config.hardStopPct);
  const target = entry * (1 + config.takeProfitPct);
  const armAt = entry * (1 + config.trailingActivationPct);
  let best = -Infinity;
  let trail = Number.NaN;
  for (let i = trade.entryBarIndex; i < bars.length; i++) {
    const level = Number.isNaN(trail) ? stop : Math.max(stop, trail);
    const stopReason = !Number.isNaN(trail) && trail > stop ? 'trailing_stop' : 'hard_stop';
    if (open[i]! <= level) return { bar: i, reason: stopReason, price: open[i]! * slip };
    if (open[i]! >= target) return { bar: i, reason: 'take_profit', price: Math.max(open[i]! * slip, target) };
    if (low[i]! <= level) return { bar: i, reason: stopReason, price: Math.max(level * slip, low[i]!) }; // stop first
    if (high[i]! >= target) return { bar: i, reason: 'take_profit', price: target };
    // Market exits decided at this close fill at the next open.
    if (time[i]! >= trade.entryTime + config.timeStopDays * DAY) return { bar: i + 1, reason: 'time_stop', price: open[i + 1]! * slip };
    if (config.signals !== undefined && config.signals[i] === -1) return { bar: i + 1, reason: 'signal', price: open[i + 1]! * slip };
    if (config.signals === undefined && i + 1 === trade.exitBarIndex && trade.exitReason === 'signal') {
      return { bar: i + 1, reason: 'signal', price: open[i + 1]! * slip };
    }
    if (high[i]! > best) best = high[i]!;
    if (best >= armAt) trail = Math.max(Number.isNaN(trail) ? -Infinity : trail, best * (1 - config.trailingStopPct));
  }
  return { bar: -1, reason: 'open', price: Number.NaN };
}

/**
 * Checks every trade (in exit order, one position at a time) against the rules and returns the
 * totals rebuilt from them. `trades` index into `bars`.
 */
export function checkTradesAgainstRules(
  bars: BarSeries,
  trades: readonly Trade[],
  config: RuleCheckConfig,
  openAtEnd: readonly OpenAtEnd[] = [],
): RuleCheckTotals {
  const slip = config.slippageBps / 10_000;
  const c = config.commissionPct;
  const n = bars.length;
  // Cash changes per bar (entries and exits), then the equity replay.
  const cashDelta = new Float64Array(n);
  const held = new Float64Array(n + 1); // quantity held from bar e (inclusive) to bar x (exclusive), as differences
  let totalCommission = 0;
  let wins = 0;
  let cash = config.initialCapital;
  let peak = config.initialCapital;
  const exitReasons: Record<string, number> = {};
  let previousExit = -1;
  // Equity at each close so far, for the drawdown zone at the next entry.
  const equityUpTo = (bar: number): number[] => {
    const out: number[] = [];
    let runningCash = config.initialCapital;
    let quantity = 0;
    for (let i = 0; i <= bar; i++) {
      runningCash += cashDelta[i]!;
      quantity += held[i]!;
      out.push(runningCash + quantity * bars.close[i]!);
    }
    return out;
  };

  trades.forEach((trade, k) => {
    const e = trade.entryBarIndex;
    const x = trade.exitBarIndex;
    const what = `trade ${k} (bars ${e}-${x})`;
    expect(trade.side, what).toBe('long');
    expect(bars.time[e], `${what} entry time`).toBe(trade.entryTime);
    expect(bars.time[x], `${what} exit time`).toBe(trade.exitTime);
    expect(e, `${what} starts after the previous exit`).toBeGreaterThanOrEqual(previousExit);
    if (config.signals !== undefined) expect(config.signals[e - 1], `${what}: a 1 signal at the bar before the entry`).toBe(1);
    close(trade.entryPrice, bars.open[e]! * (1 + slip), `${what} entry price`);

    // Sizing, from the equity (all cash) and the zone at the previous close.
    if (config.checkQuantity !== undefined) {
      const history = equityUpTo(e - 1);
      for (const value of history) if (value > peak) peak = value;
      const last = history.length > 0 ? history[history.length - 1]! : config.initialCapital;
      const drawdown = (peak - last) / peak;
      config.checkQuantity(trade.quantity, {
        capital: cash,
        entryPrice: trade.entryPrice,
        stopLoss: trade.entryPrice * (1 - config.hardStopPct),
        multiplier: zoneMultiplier(drawdown),
        index: k,
      });
    }

    const exit = ruleExit(bars, trade, config);
    expect([exit.bar, exit.reason], `${what} exit by the rules`).toEqual([x, trade.exitReason]);
    close(trade.exitPrice, exit.price, `${what} exit price`);
    const q = trade.quantity;
    const commission = c * q * trade.entryPrice + c * q * trade.exitPrice;
    close(trade.commission, commission, `${what} commission`);
    const pnl = q * (trade.exitPrice - trade.entryPrice) - commission;
    close(trade.pnl, pnl, `${what} pnl`);

    cashDelta[e]! -= q * trade.entryPrice + c * q * trade.entryPrice;
    cashDelta[x]! += q * trade.exitPrice - c * q * trade.exitPrice;
    held[e]! += q;
    held[x]! -= q;
    cash += pnl;
    totalCommission += commission;
    if (pnl > 0) wins++;
    exitReasons[trade.exitReason] = (exitReasons[trade.exitReason] ?? 0) + 1;
    previousExit = x;
  });
  for (const p of openAtEnd) {
    expect(p.entryBarIndex).toBeGreaterThanOrEqual(previousExit);
    cashDelta[p.entryBarIndex]! -= p.quantity * p.entryPrice + p.entryCommission;
    held[p.entryBarIndex]! += p.quantity;
    totalCommission += p.entryCommission;
  }

  const equity = Float64Array.from(equityUpTo(n - 1));
  let top = config.initialCapital;
  let maxDrawdown = 0;
  for (const value of equity) {
    if (value > top) top = value;
    maxDrawdown = Math.min(maxDrawdown, value / top - 1);
  }
  return { equity, finalEquity: equity[n - 1]!, totalCommission, wins, maxDrawdown, exitReasons };
}
