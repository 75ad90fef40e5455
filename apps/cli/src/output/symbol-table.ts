import type { UniverseSummary } from './results-file';
import { formatMetric } from './summary-table';
import { renderTextTable } from './text-table';

/** Columns of the per-symbol table (console and report). */
export const SYMBOL_TABLE_COLUMNS = [
  'symbol',
  'P&L',
  'contribution',
  'trades',
  'win rate',
  'exposure',
  'turnover',
  'avg weight',
  'final weight',
  'buy & hold',
] as const;

function money(value: number): string {
  return Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : formatMetric(value, 'ratio');
}

/**
 * The per-symbol results of a universe run as table cells ({@link SYMBOL_TABLE_COLUMNS}), then a
 * total row: P&L and contribution sum to the run's (less financing), turnover is the portfolio's.
 */
export function symbolTableRows(universe: UniverseSummary): string[][] {
  const rows = universe.symbols.map((symbol) => {
    const s = universe.perSymbol[symbol]!;
    return [
      symbol,
      money(s.pnl),
      formatMetric(s.contribution, 'percent'),
      formatMetric(s.trades, 'integer'),
      formatMetric(s.winRate, 'percent'),
      formatMetric(s.exposure, 'percent'),
      formatMetric(s.turnover, 'ratio'),
      formatMetric(s.averageWeight, 'percent'),
      formatMetric(s.finalWeight, 'percent'),
      formatMetric(s.buyAndHoldReturn, 'percent'),
    ];
  });
  let pnl = 0;
  let contribution = 0;
  let trades = 0;
  for (const symbol of universe.symbols) {
    const s = universe.perSymbol[symbol]!;
    pnl += s.pnl;
    contribution += s.contribution;
    trades += s.trades;
  }
  rows.push(['total', money(pnl), formatMetric(contribution, 'percent'), String(trades), '', '', formatMetric(universe.turnover, 'ratio'), '', '', '']);
  return rows;
}

/**
 * The per-symbol table printed under a universe run's summary. Buy & hold: the symbol's last close
 * over its first close - 1 (no costs).
 */
export function renderSymbolTable(universe: UniverseSummary): string {
  return `Per symbol (${universe.sizing}):\n${renderTextTable(SYMBOL_TABLE_COLUMNS, symbolTableRows(universe))}`;
}
