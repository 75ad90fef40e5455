import type { Fill, Trade } from '@algo-trading/core';

/** The per-bar account curve written to `equity.csv` and drawn in the report. */
export interface EquityCurveData {
  /** Bar times, epoch ms UTC. */
  readonly time: ArrayLike<number>;
  /** Cash + market value at each bar's close. */
  readonly equity: ArrayLike<number>;
  readonly cash: ArrayLike<number>;
  /** Drawdown from the equity peak as a positive fraction (0.12 = 12% below the peak). */
  readonly drawdown: ArrayLike<number>;
}

/** Escapes one CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? '' : String(value);
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Builds CSV text from a header and rows (values already in column order), `\n` line ends. */
export function toCsv(header: readonly string[], rows: Iterable<readonly (string | number | boolean | null | undefined)[]>): string {
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}

/** An epoch-ms time as ISO 8601 (UTC); empty when not finite. */
export function isoTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

/** Columns of `trades.csv`. */
export const TRADE_COLUMNS = [
  'symbol',
  'side',
  'quantity',
  'entry_time',
  'exit_time',
  'entry_price',
  'exit_price',
  'gross_pnl',
  'commission',
  'slippage_cost',
  'pnl',
  'return_pct',
  'initial_risk',
  'r_multiple',
  'exit_reason',
  'bars_held',
] as const;

/** `trades.csv`: one closed round trip per line, times in ISO 8601 UTC. */
export function tradesCsv(trades: readonly Trade[]): string {
  return toCsv(
    TRADE_COLUMNS,
    trades.map((t) => [
      t.symbol,
      t.side,
      t.quantity,
      isoTime(t.entryTime),
      isoTime(t.exitTime),
      t.entryPrice,
      t.exitPrice,
      t.grossPnl,
      t.commission,
      t.slippageCost,
      t.pnl,
      t.returnPct,
      t.initialRisk,
      t.rMultiple,
      t.exitReason,
      t.barsHeld,
    ]),
  );
}

/** Columns of `fills.csv`. */
export const FILL_COLUMNS = [
  'time',
  'bar_index',
  'symbol',
  'side',
  'effect',
  'quantity',
  'price',
  'reference_price',
  'commission',
  'slippage_cost',
  'reason',
] as const;

/** `fills.csv`: every executed order. */
export function fillsCsv(fills: readonly Fill[]): string {
  return toCsv(
    FILL_COLUMNS,
    fills.map((f) => [
      isoTime(f.time),
      f.barIndex,
      f.symbol,
      f.side,
      f.effect,
      f.quantity,
      f.price,
      f.referencePrice,
      f.commission,
      f.slippageCost,
      f.reason,
    ]),
  );
}

/** Columns of `equity.csv`. */
export const EQUITY_COLUMNS = ['time', 'equity', 'cash', 'drawdown'] as const;

/** `equity.csv`: the account at every bar's close. */
export function equityCsv(curve: EquityCurveData): string {
  const n = curve.time.length;
  const rows: (string | number)[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = [isoTime(curve.time[i]!), curve.equity[i]!, curve.cash[i]!, curve.drawdown[i]!];
  return toCsv(EQUITY_COLUMNS, rows);
}
