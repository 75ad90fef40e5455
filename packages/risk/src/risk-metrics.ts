import type { Position, TradeCheckCode } from '@algo-trading/core';
import type { DrawdownZone } from './drawdown-zone';

/** A read-only view of one open position, as the risk manager sees it. */
export interface PositionSnapshot extends Position {
  /** Latest recorded price. */
  readonly currentPrice: number;
  /** quantity x currentPrice (positive for longs and shorts). */
  readonly marketValue: number;
  /** (currentPrice - entryPrice) x quantity, sign-adjusted for shorts, before costs. */
  readonly unrealizedPnl: number;
  /** Armed trailing stop level, or null before it arms (or when trailing is off). */
  readonly trailingStop: number | null;
  /** The stop in force: the tighter of `stopLoss` and `trailingStop`, or null. */
  readonly effectiveStop: number | null;
  /** Best price since entry: the highest for a long, the lowest for a short. */
  readonly bestPrice: number;
  /** Money at risk at entry: quantity x |entry - initial stop|, or null without a stop. */
  readonly initialRisk: number | null;
  /** Money at risk now: quantity x distance from the price to the stop in force (see heat). */
  readonly openRisk: number;
  /** When the time stop fires, epoch ms, or null when off. */
  readonly timeStopAt: number | null;
}

/** Everything the risk manager measures, at the last mark or booking. */
export interface RiskMetrics {
  /** cash + sum of signed quantity x latest price. */
  readonly equity: number;
  readonly cash: number;
  readonly initialCapital: number;
  /** Highest equity seen. */
  readonly peakEquity: number;
  /** (peak - equity) / peak, a positive fraction (0 at the peak). */
  readonly currentDrawdown: number;
  /** Largest `currentDrawdown` seen. */
  readonly maxDrawdown: number;
  /** Marks (bars) since the equity peak. */
  readonly currentDrawdownBars: number;
  /** Calendar days since the equity peak. */
  readonly currentDrawdownDays: number;
  /** Longest drawdown, in marks (bars). */
  readonly maxDrawdownBars: number;
  /** Longest drawdown, in calendar days. */
  readonly maxDrawdownDays: number;
  readonly drawdownZone: DrawdownZone;
  /** The sizing multiplier in force: `zoneRiskMultiplier` x `riskScale` (`RiskManager.getRiskMultiplier`). */
  readonly riskMultiplier: number;
  /** Sizing multiplier of the drawdown zone alone. */
  readonly zoneRiskMultiplier: number;
  /** The external risk multiplier read at the last mark (1 when none). */
  readonly riskScale: number;
  /** Sum of open risk to the stops / equity. */
  readonly portfolioHeat: number;
  /** Sum of open risk to the stops, money. */
  readonly openRisk: number;
  /** Gross market value of the open positions / equity. */
  readonly exposure: number;
  /** Long market value minus short market value, / equity. */
  readonly netExposure: number;
  readonly openPositions: number;
  /** equity - the day's starting equity. */
  readonly dailyPnl: number;
  /** dailyPnl / the day's starting equity. */
  readonly dailyPnlPct: number;
  /** Whether the daily loss limit halts new entries for the rest of the day. */
  readonly dailyLossLimitHit: boolean;
  /** True when new entries are refused (drawdown halt or daily loss limit). */
  readonly tradingHalted: boolean;
  /** Why trading is halted (empty when it is not). */
  readonly haltReasons: readonly TradeCheckCode[];
  /** Times the emergency kill switch fired. */
  readonly killSwitchCount: number;
  /** Confidence of VaR and CVaR (0.95 by default). */
  readonly varConfidence: number;
  /** Historical VaR of the per-period equity returns (a return, negative for a loss); null before the first return. */
  readonly valueAtRisk: number | null;
  /** Historical CVaR (expected shortfall) of the same returns; null before the first return. */
  readonly conditionalValueAtRisk: number | null;
  /** Number of per-period returns recorded (one per mark). */
  readonly periods: number;
  readonly tradeCount: number;
  /** Winning trades (pnl > 0) / trades; null before the first trade. */
  readonly winRate: number | null;
  /** Sum of the closed trades' net P&L. */
  readonly realizedPnl: number;
}

function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

function pct(value: number | null, digits = 2): string {
  return value === null ? 'n/a' : `${fixed(value * 100, digits)}%`;
}

/** The readable multi-line text of {@link RiskManager.getSummary}. */
export function formatRiskSummary(metrics: RiskMetrics, positions: readonly PositionSnapshot[]): string {
  const m = metrics;
  const lines = [
    'Risk summary',
    `  Equity:            ${fixed(m.equity)} (cash ${fixed(m.cash)}, initial ${fixed(m.initialCapital)}, peak ${fixed(m.peakEquity)})`,
    `  Exposure:          ${pct(m.exposure)} gross, ${pct(m.netExposure)} net, ${m.openPositions} open position(s)`,
    `  Drawdown:          ${pct(m.currentDrawdown)} (max ${pct(m.maxDrawdown)}), zone ${m.drawdownZone}, risk multiplier ${m.riskMultiplier}${
      m.riskScale === 1 ? '' : ` (zone ${m.zoneRiskMultiplier} x risk scale ${fixed(m.riskScale, 4)})`
    }`,
    `  Drawdown duration: ${m.currentDrawdownBars} bars / ${fixed(m.currentDrawdownDays, 1)} days (max ${m.maxDrawdownBars} bars / ${fixed(m.maxDrawdownDays, 1)} days)`,
    `  Portfolio heat:    ${pct(m.portfolioHeat)} of equity (open risk ${fixed(m.openRisk)})`,
    `  Daily P&L:         ${fixed(m.dailyPnl)} (${pct(m.dailyPnlPct)})${m.dailyLossLimitHit ? ', daily loss limit reached' : ''}`,
    `  Trading:           ${m.tradingHalted ? `HALTED (${m.haltReasons.join(', ')})` : 'active'}${m.killSwitchCount > 0 ? `, kill switch fired ${m.killSwitchCount} time(s)` : ''}`,
    `  Value at risk:     ${fixed(m.varConfidence * 100, 0)}% VaR ${pct(m.valueAtRisk)}, CVaR ${pct(m.conditionalValueAtRisk)} over ${m.periods} period(s)`,
    `  Trades:            ${m.tradeCount} closed, win rate ${pct(m.winRate, 1)}, realized P&L ${fixed(m.realizedPnl)}`,
  ];
  for (const p of positions) {
    const stop = p.stopLoss === null ? 'none' : fixed(p.stopLoss);
    const target = p.takeProfit === null ? 'none' : fixed(p.takeProfit);
    const trailing = p.trailingStop === null ? '' : `, trailing ${fixed(p.trailingStop)}`;
    lines.push(
      `    ${p.symbol} ${p.side} ${p.quantity} @ ${fixed(p.entryPrice)} -> ${fixed(p.currentPrice)}: P&L ${fixed(p.unrealizedPnl)}, stop ${stop}${trailing}, target ${target}`,
    );
  }
  return lines.join('\n');
}
