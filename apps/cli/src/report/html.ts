import { returnsFromEquity } from '@algo-trading/metrics';
import { stringify } from 'yaml';
import { headlineRows } from '../output/summary-table';
import { rejectedOrders, type RunResults } from '../output/results-file';
import { equityDrawdownChart, monthlyReturnsHeatmap, rejectionsChart, returnsHistogramChart } from './charts';
import { monthlyReturns } from './monthly-returns';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function fmtNumber(value: unknown, digits = 2): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'number') return escapeHtml(String(value));
  if (Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function fmtDate(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '';
}

function table(header: readonly string[], rows: readonly (readonly string[])[], className = ''): string {
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table class="${className}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/**
 * Rejected orders per reason code (an order with several reasons counts once per reason; a record
 * counts its `count` orders).
 */
export function rejectionsByReason(results: Pick<RunResults, 'rejections'>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results.rejections) for (const reason of r.reasons) out[reason] = (out[reason] ?? 0) + r.count;
  return out;
}

/** Most trades listed in the report; the rest are in trades.csv. */
export const MAX_TRADE_ROWS = 1000;

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 0; color: #1d2733; background: #f4f6f8; }
header { background: #1d2733; color: #fff; padding: 20px 32px; }
header h1 { margin: 0 0 6px; font-size: 22px; }
header p { margin: 0; color: #c5ced8; font-size: 14px; }
main { max-width: 1080px; margin: 0 auto; padding: 16px 24px 40px; }
section { background: #fff; border-radius: 8px; padding: 16px 20px; margin: 16px 0; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
h2 { font-size: 17px; margin: 0 0 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
.card { border: 1px solid #e3e8ee; border-radius: 6px; padding: 10px 12px; }
.card .label { font-size: 12px; color: #5b6b7c; }
.card .value { font-size: 19px; font-weight: 600; margin-top: 4px; }
.chart svg { max-width: 100%; height: auto; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { border-bottom: 1px solid #e3e8ee; padding: 4px 8px; text-align: right; white-space: nowrap; }
th { background: #f4f6f8; position: sticky; top: 0; }
td:first-child, th:first-child, table.kv td, table.kv th { text-align: left; }
table.kv td { white-space: normal; overflow-wrap: anywhere; }
.scroll { max-height: 480px; overflow: auto; }
pre { background: #f4f6f8; padding: 12px; border-radius: 6px; overflow: auto; font-size: 12.5px; }
.neg { color: #b2182b; } .pos { color: #1a7a3c; }
.note { color: #5b6b7c; font-size: 13px; }
`;

/**
 * The self-contained HTML report of a run: headline metrics, equity with drawdown, monthly
 * returns heatmap, return distribution with VaR, trades, fills, rejections by reason, the
 * configuration, the data range and the run manifest. Charts are static SVG rendered by ECharts
 * on the server; the page loads nothing from the network and runs no script.
 */
export function renderReportHtml(results: RunResults): string {
  const curve = results.equityCurve;
  const equity = Float64Array.from(curve.equity);
  const returns = equity.length > 1 ? returnsFromEquity(equity) : new Float64Array(0);
  const headline = results.headline;
  const rejectionCounts = rejectionsByReason(results);
  const fillCounts = countBy(results.fills, (f) => f.reason);

  const cards = headlineRows(headline)
    .map(([label, value]) => `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`)
    .join('\n');

  const tradeRows = results.trades.slice(0, MAX_TRADE_ROWS).map((t) => [
    escapeHtml(fmtDate(t.entryTime)),
    escapeHtml(fmtDate(t.exitTime)),
    escapeHtml(t.side),
    fmtNumber(t.quantity, 0),
    fmtNumber(t.entryPrice),
    fmtNumber(t.exitPrice),
    `<span class="${t.pnl < 0 ? 'neg' : 'pos'}">${fmtNumber(t.pnl)}</span>`,
    fmtNumber(t.returnPct * 100) + '%',
    t.rMultiple === null ? '' : fmtNumber(t.rMultiple),
    escapeHtml(t.exitReason),
    fmtNumber(t.barsHeld, 0),
  ]);
  const tradesNote =
    results.trades.length > MAX_TRADE_ROWS
      ? `<p class="note">The first ${MAX_TRADE_ROWS} of ${results.trades.length} trades; every trade is in trades.csv.</p>`
      : '';

  const openRows = results.openPositions.map((p) => [
    escapeHtml(p.symbol),
    escapeHtml(p.side),
    fmtNumber(p.quantity, 0),
    fmtNumber(p.entryPrice),
    escapeHtml(fmtDate(p.entryTime)),
  ]);

  const wf = results.extra['walkForward'] as { folds?: readonly Record<string, unknown>[] } | undefined;
  const foldRows = (wf?.folds ?? []).map((fold) =>
    Object.values(fold).map((v) => (typeof v === 'number' ? fmtNumber(v, Number.isInteger(v) ? 0 : 4) : escapeHtml(String(v)))),
  );
  const foldHeader = wf?.folds?.[0] === undefined ? [] : Object.keys(wf.folds[0]);

  const m = results.manifest;
  const manifestRows: string[][] = [
    ['config hash (sha256)', `<code>${escapeHtml(m.configHash)}</code>`],
    ['data hash (sha256)', `<code>${escapeHtml(m.dataHash)}</code>`],
    ['seed', m.seed === null ? 'none' : String(m.seed)],
    ['created', escapeHtml(m.createdAt)],
    ['command', `<code>algo-trading ${escapeHtml(m.argv.join(' '))}</code>`],
    ['node', escapeHtml(`${m.node} (${m.platform})`)],
    ...Object.entries(m.notes).map(([k, v]) => [escapeHtml(k), escapeHtml(v)]),
    ...Object.entries(m.packages).map(([name, version]) => [escapeHtml(name), escapeHtml(version)]),
  ];

  const d = results.dataRange;
  const extraParams = Object.entries(results.strategy.parameters).map(([k, v]) => [
    escapeHtml(k),
    escapeHtml(typeof v === 'object' ? JSON.stringify(v) : String(v)),
  ]);

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(results.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(results.title)}</h1>
<p>${escapeHtml(results.strategy.name)} &middot; ${escapeHtml(d.symbol)} &middot; ${escapeHtml(d.start.slice(0, 10))} to ${escapeHtml(d.end.slice(0, 10))} (${d.bars} bars) &middot; generated ${escapeHtml(m.createdAt)}</p>
</header>
<main>
<section id="headline"><h2>Headline metrics</h2><div class="cards">
${cards}
</div></section>

<section id="equity"><h2>Equity and drawdown</h2>
<div class="chart" data-chart="equity-drawdown">${equityDrawdownChart(curve)}</div>
</section>

<section id="monthly"><h2>Monthly returns (%)</h2>
<div class="chart" data-chart="monthly-returns">${monthlyReturnsHeatmap(monthlyReturns(curve.time, curve.equity))}</div>
</section>

<section id="distribution"><h2>Distribution of period returns</h2>
<div class="chart" data-chart="returns-histogram">${returnsHistogramChart(returns, headline.valueAtRisk, headline.conditionalValueAtRisk)}</div>
<p class="note">Historical 95% VaR ${escapeHtml(fmtNumber(headline.valueAtRisk * 100))}% (5th percentile of the period returns), CVaR ${escapeHtml(fmtNumber(headline.conditionalValueAtRisk * 100))}% (mean of the returns at or below it).</p>
</section>

<section id="trades"><h2>Trades (${results.trades.length})</h2>
${tradesNote}
<div class="scroll">${table(['entry', 'exit', 'side', 'qty', 'entry price', 'exit price', 'P&L', 'return', 'R', 'exit reason', 'bars'], tradeRows)}</div>
${openRows.length > 0 ? `<h2>Open at the end (marked at the last close)</h2>${table(['symbol', 'side', 'qty', 'entry price', 'entry'], openRows)}` : ''}
</section>

<section id="fills"><h2>Fills (${results.fills.length}) and rejections (${rejectedOrders(results)})</h2>
${table(['fill reason', 'count'], Object.entries(fillCounts).map(([k, v]) => [escapeHtml(k), String(v)]), 'kv')}
${
  results.rejections.length > 0
    ? `<h2 style="margin-top:16px">Rejections by reason</h2><div class="chart" data-chart="rejections">${rejectionsChart(rejectionCounts)}</div>`
    : '<p class="note">No order was rejected.</p>'
}
</section>

<section id="strategy"><h2>Strategy: ${escapeHtml(results.strategy.name)}</h2>
${table(['parameter', 'value'], extraParams, 'kv')}
${foldRows.length > 0 ? `<h2 style="margin-top:16px">Walk-forward folds (out of sample)</h2><div class="scroll">${table(foldHeader, foldRows)}</div>` : ''}
</section>

<section id="config"><h2>Configuration</h2>
<pre>${escapeHtml(stringify(results.config))}</pre>
</section>

<section id="data"><h2>Data</h2>
${table(
  ['field', 'value'],
  [
    ['source', escapeHtml(d.source)],
    ['symbol', escapeHtml(d.symbol)],
    ['first bar', escapeHtml(d.start)],
    ['last bar', escapeHtml(d.end)],
    ['bars', String(d.bars)],
  ],
  'kv',
)}
</section>

<section id="manifest"><h2>Run manifest</h2>
${table(['item', 'value'], manifestRows, 'kv')}
</section>
</main>
</body>
</html>
`;
}

// Building blocks of the other HTML reports (the sweep report): the page style, tables, numbers.
export { STYLE as REPORT_STYLE, fmtNumber as formatReportNumber, table as htmlTable };
