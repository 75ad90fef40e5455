import { returnsFromEquity } from '@algo-trading/metrics';
import { stringify } from 'yaml';
import { comparisonRows } from '../output/benchmark-table';
import { formatMetric, headlineRows } from '../output/summary-table';
import { rejectedOrders, type RunResults } from '../output/results-file';
import type { Position } from '@algo-trading/core';
import { equityDrawdownChart, monthlyReturnsHeatmap, rejectionsChart, returnsHistogramChart } from './charts';
import { monthlyReturns, yearlyReturns } from './monthly-returns';
import { rollingSharpeChart, yearlyReturnsChart } from './period-charts';
import { rollingSharpe, rollingWindow } from './rolling';
import { timeInMarket, type TimeInMarket } from './time-in-market';
import { MAX_MARKERS, priceChart, tradeDistributions, tradeHistogramChart } from './trade-charts';
import { SYMBOL_TABLE_COLUMNS, symbolTableRows } from '../output/symbol-table';
import { weightsChart } from './weights-chart';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const NUMBER_FORMATS = new Map<number, Intl.NumberFormat>();

/** A number for a report cell: `digits` decimals, en-US grouping, `n/a` for NaN, `inf`/`-inf`; other values escaped. */
function fmtNumber(value: unknown, digits = 2): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'number') return escapeHtml(String(value));
  if (Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  // One formatter per number of decimals (building one per call is slow for thousands of trades).
  let format = NUMBER_FORMATS.get(digits);
  if (format === undefined) {
    format = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    NUMBER_FORMATS.set(digits, format);
  }
  return format.format(value);
}

/**
 * Decimals that show every quantity of a lot size exactly: 0 for 1, 2 for 0.01 or 0.25, 8 for
 * 1e-8 (at most 12).
 */
export function lotDecimals(lotSize: number): number {
  for (let d = 0; d < 12; d++) if (Number(lotSize.toFixed(d)) === lotSize) return d;
  return 12;
}

function fmtDate(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '';
}

/** An HTML table: `header` cells escaped, `rows` cells as given (HTML, escaped by the caller). */
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

/**
 * The strategy beside its benchmark (total return, CAGR, Sharpe, max drawdown), the relative
 * figures and the rule that built and aligned the benchmark. A results file written before
 * benchmarks existed gets a note instead.
 */
export function benchmarkSection(results: Pick<RunResults, 'headline' | 'benchmark' | 'config'>): string {
  const b = results.benchmark;
  if (b === undefined) {
    return '<section id="benchmark"><h2>Benchmark</h2><p class="note">This results file has no benchmark (written by an older version): rerun to compare with buy and hold.</p></section>';
  }
  const rows = comparisonRows(results.headline, b).map(([label, strategy, benchmark]) => [escapeHtml(label), escapeHtml(strategy), escapeHtml(benchmark)]);
  const r = b.relative;
  const relative = [
    ['Alpha (annualized)', formatMetric(r.alpha, 'percent'), 'empyrical alpha: (1 + mean(r - beta b))^periods a year - 1, from per-bar returns'],
    ['Beta', formatMetric(r.beta, 'ratio'), 'cov(r, b) / var(b) of the per-bar returns'],
    ['Information ratio (per bar)', Number.isFinite(r.informationRatio) ? r.informationRatio.toFixed(3) : formatMetric(r.informationRatio, 'ratio'), 'empyrical excess Sharpe: mean(r - b) / std(r - b), not annualized'],
    ['Excess return', formatMetric(r.excessReturn, 'percent'), 'strategy total return - benchmark total return'],
  ].map((row) => row.map(escapeHtml));
  const entry =
    b.entry === null
      ? 'nothing bought'
      : `${fmtNumber(b.entry.quantity, lotDecimals(results.config.backtesting.lot_size))} at ${fmtNumber(b.entry.price)} on ${fmtDate(b.entry.time)}`;
  const notes = b.notes.map((n) => `<p class="note warn">${escapeHtml(n)}</p>`).join('');
  const rule =
    b.rule !== undefined
      ? `<p class="note">${escapeHtml(`Benchmark: ${b.rule}; marked at the last close. Aligned with the strategy: ${b.alignmentNote}.`)}</p>`
      : `<p class="note">Bought ${escapeHtml(entry)} (source: ${escapeHtml(b.source)}) at the first fill opportunity, with the run's capital, commission, slippage and lot size, through the same engine; held to the end and marked at the last close. Aligned with the strategy's bars: ${escapeHtml(b.alignmentNote)}.</p>`;
  return `<section id="benchmark"><h2>Benchmark: ${escapeHtml(b.label)}</h2>
<div class="two">
${table(['', 'strategy', escapeHtml(b.label)], rows)}
${table(['vs the benchmark', 'value', 'definition'], relative, 'kv')}
</div>
${rule}
${notes}
</section>`;
}

/**
 * Every chart the report can draw (its `data-chart` attribute), in page order. `trade-pnl` and
 * `trade-r` need closed trades (R multiples need stops), `rejections` a rejected order;
 * `price-trades` is drawn for one series, `weights` for several symbols.
 */
export const REPORT_CHARTS = [
  'equity-drawdown',
  'price-trades',
  'weights',
  'yearly-returns',
  'monthly-returns',
  'rolling-sharpe',
  'returns-histogram',
  'trade-pnl',
  'trade-r',
  'rejections',
] as const;

/** The Content-Security-Policy of every report page. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Most trades listed in the report; every trade is in trades.csv. */
export const MAX_TRADE_ROWS = 10_000;

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
h3 { font-size: 14px; margin: 16px 0 8px; }
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
table.kv td:nth-child(2) { white-space: nowrap; }
pre { background: #f4f6f8; padding: 12px; border-radius: 6px; overflow: auto; font-size: 12.5px; }
.neg { color: #b2182b; } .pos { color: #1a7a3c; }
.note { color: #5b6b7c; font-size: 13px; }
.warn { color: #8a4b00; }
#warnings { background: #fff4e5; border: 1px solid #f0b35a; }
#warnings li { margin: 4px 0; }
.two { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 16px; align-items: start; }
table.compact { font-size: 11px; }
table.compact th, table.compact td { padding: 3px 6px; }
table.narrow { width: auto; min-width: 50%; }
table.folds th { white-space: normal; vertical-align: bottom; }
table.folds td { white-space: normal; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
@page { margin: 12mm; }
@media print {
  body { background: #fff; }
  header { background: none; color: #000; padding: 0 0 8px; border-bottom: 2px solid #1d2733; }
  header p { color: #333; }
  main { max-width: none; padding: 0; }
  section { box-shadow: none; border-radius: 0; padding: 8px 0; margin: 8px 0; }
  #warnings { border: 2px solid #8a4b00; padding: 8px; }
  h2, h3 { break-after: avoid; }
  .chart, .card, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  th { position: static; }
  table { font-size: 9pt; }
  pre { white-space: pre-wrap; overflow: visible; }
}
`;

const COST_LINES: readonly (readonly [string, string])[] = [
  ['totalCommission', 'commission'],
  ['totalSlippage', 'slippage (in the fill prices)'],
  ['totalInterest', 'interest on cash (credited)'],
  ['totalBorrowFees', 'borrow fees on shorts'],
];

/** The cost lines of the run and its orders by final status and role (from `results.extra.orders`). */
function costsAndOrders(results: RunResults): string {
  const costRows = COST_LINES.filter(([key]) => typeof results.metrics[key] === 'number').map(([key, label]) => [
    escapeHtml(label),
    fmtNumber(results.metrics[key] as number),
  ]);
  const orders = results.extra['orders'] as { total?: number; byStatus?: Record<string, number>; byRole?: Record<string, number> } | undefined;
  const count = (record: Record<string, number> | undefined) => Object.entries(record ?? {}).map(([k, v]) => [escapeHtml(k), String(v)]);
  if (costRows.length === 0 && orders === undefined) return '';
  return `<section id="costs"><h2>Costs and orders</h2>
${costRows.length > 0 ? table(['cost', 'total'], costRows, 'kv') : ''}
${orders === undefined ? '' : `<h2 style="margin-top:16px">Orders (${orders.total ?? 0})</h2>${table(['status', 'orders'], count(orders.byStatus), 'kv')}${table(['role', 'orders'], count(orders.byRole), 'kv')}`}
</section>`;
}

/** A card of the headline grid. */
function card(label: string, value: string): string {
  return `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`;
}

/** The warnings of the run, on top of the page (none: nothing). */
export function warningsSection(results: Pick<RunResults, 'warnings'>): string {
  const warnings = results.warnings ?? [];
  if (warnings.length === 0) return '';
  return `<section id="warnings"><h2>Read this first</h2><ul>${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></section>`;
}

/** Headline cards, then exposure and time in market. */
function headlineSection(results: RunResults, market: TimeInMarket): string {
  const cards = headlineRows(results.headline).map(([label, value]) => card(label, value));
  const days = (v: number) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: 1 }) : 'n/a');
  const marketCards = [
    card('Exposure', formatMetric(market.exposure, 'percent')),
    card('Bars in market', `${market.barsInMarket.toLocaleString('en-US')} of ${market.bars.toLocaleString('en-US')}`),
    card('Days in market', `${days(market.daysInMarket)} of ${days(market.days)}`),
    card('Average holding', Number.isFinite(market.averageBarsHeld) ? `${market.averageBarsHeld.toFixed(1)} bars` : 'n/a'),
  ];
  return `<section id="headline"><h2>Headline metrics</h2><div class="cards">
${cards.join('\n')}
</div>
<h3>Exposure and time in market</h3><div class="cards">
${marketCards.join('\n')}
</div>
<p class="note">Exposure: the share of bars that closed with a position open. Days in market: calendar days from each entry fill to its exit fill (open positions to the last bar). Average holding: ${escapeHtml(
    Number.isFinite(market.averageDaysHeld) ? `${market.averageDaysHeld.toFixed(1)} calendar days` : 'no closed trade',
  )}; longest ${market.longestBarsHeld} bars.</p>
</section>`;
}

/** The closes with every entry and exit; a note when the results file predates the price series. */
function priceSection(results: RunResults): string {
  const prices = results.prices;
  if (prices === undefined || prices.close.length !== results.equityCurve.time.length) {
    return '<section id="price"><h2>Price and trades</h2><p class="note">This results file has no price series (written by an older version): rerun to draw the trades on the price.</p></section>';
  }
  const note =
    results.fills.length > MAX_MARKERS
      ? `<p class="note">Markers of the first ${MAX_MARKERS.toLocaleString('en-US')} of ${results.fills.length.toLocaleString('en-US')} fills; every fill is in fills.csv.</p>`
      : '';
  return `<section id="price"><h2>Price and trades: ${escapeHtml(prices.symbol)}</h2>
<div class="chart" data-chart="price-trades">${priceChart({ symbol: prices.symbol, time: results.equityCurve.time, close: prices.close }, results.fills)}</div>
<p class="note">Closes of the bars backtested; green triangles are entry fills, red ones exits (pointing up for a buy, down for a sell), at the fill price with slippage.</p>
${note}</section>`;
}

/** A universe run: the weights over time (stacked) and the per-symbol table. */
function universeSection(results: RunResults): string {
  const u = results.universe!;
  const holdings = results.holdings;
  const chart =
    holdings === undefined || holdings.weights.time.length !== results.equityCurve.time.length
      ? '<p class="note">The weights over time are not available (weights.csv missing or of another run).</p>'
      : `<div class="chart" data-chart="weights">${weightsChart(holdings.weights)}</div>`;
  return `<section id="weights"><h2>Weights over time (${u.symbols.length} symbols)</h2>
${chart}
<p class="note">Each symbol's market value at the close of each time slice over the portfolio equity (a symbol without a bar in the slice at its last close); cash is what is left. Every slice is in weights.csv, the units held in positions.csv.</p>
</section>

<section id="symbols"><h2>Per symbol</h2>
${table(SYMBOL_TABLE_COLUMNS, symbolTableRows(u).map((row) => row.map(escapeHtml)))}
<p class="note">P&amp;L: closed trades plus the open position at the last close, net of costs; contribution: P&amp;L / initial capital (the contributions sum to the total return, less interest and fees). Exposure: share of the time slices closing with a position. Turnover: traded value / mean portfolio equity. Buy &amp; hold: the symbol's last close / first close - 1, no costs. Sizing: ${escapeHtml(u.sizing)}.</p>
</section>`;
}

/** Calendar-year returns beside the benchmark's, then the monthly heatmap. */
function periodsSection(results: RunResults): string {
  const curve = results.equityCurve;
  const capital = results.config.backtesting.initial_capital;
  const years = yearlyReturns(curve.time, curve.equity, capital);
  const b = results.benchmark;
  const benchmarkYears = b === undefined || b.equity.length !== curve.time.length ? undefined : { label: b.label, years: yearlyReturns(curve.time, b.equity, capital) };
  const yearTable = table(
    ['year', 'strategy', ...(benchmarkYears === undefined ? [] : [benchmarkYears.label, 'difference'])],
    years.map((y) => {
      const other = benchmarkYears?.years.find((z) => z.year === y.year);
      return [
        String(y.year),
        formatMetric(y.value, 'percent'),
        ...(benchmarkYears === undefined ? [] : [other === undefined ? '' : formatMetric(other.value, 'percent'), other === undefined ? '' : formatMetric(y.value - other.value, 'percent')]),
      ].map(escapeHtml);
    }),
    'compact narrow',
  );
  return `<section id="yearly"><h2>Yearly returns (%)</h2>
<div class="chart" data-chart="yearly-returns">${yearlyReturnsChart(years, benchmarkYears)}</div>
${yearTable}
<p class="note">Calendar years (UTC), each from the previous year's last bar (the first from the initial capital): they compound to the total return. A first or last year with part of its bars is measured over those bars.</p>
</section>

<section id="monthly"><h2>Monthly returns (%)</h2>
<div class="chart" data-chart="monthly-returns">${monthlyReturnsHeatmap(monthlyReturns(curve.time, curve.equity, capital))}</div>
</section>`;
}

/** The rolling Sharpe ratio of the strategy (and of the benchmark), window stated. */
/** Whether every value is above 0 (a plain loop: `Array.prototype.every.call` on a million-value typed array took 0.25-0.8 s). */
function allPositive(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!(values[i]! > 0)) return false;
  return true;
}

function rollingSection(results: RunResults, returns: Float64Array): string {
  const curve = results.equityCurve;
  const periodsPerYear = typeof results.metrics['periodsPerYear'] === 'number' ? results.metrics['periodsPerYear'] : 252;
  const window = rollingWindow(periodsPerYear, returns.length);
  if (returns.length < window + 1) {
    return `<section id="rolling"><h2>Rolling Sharpe ratio</h2><p class="note">Too few bars (${returns.length}) for a rolling window.</p></section>`;
  }
  const strategy = { name: 'strategy', time: curve.time, values: rollingSharpe(returns, window, periodsPerYear) };
  const b = results.benchmark;
  const benchmark =
    b === undefined || b.equity.length !== curve.time.length || !allPositive(b.equity)
      ? undefined
      : { name: b.label, time: curve.time, values: rollingSharpe(returnsFromEquity(b.equity, { initialValue: results.config.backtesting.initial_capital }), window, periodsPerYear) };
  return `<section id="rolling"><h2>Rolling Sharpe ratio (${window}-bar window, annualized)</h2>
<div class="chart" data-chart="rolling-sharpe">${rollingSharpeChart(strategy, benchmark)}</div>
<p class="note">At each bar, the Sharpe ratio of the last ${window} per-bar returns (${periodsPerYear} bars a year: about ${escapeHtml(
    ((window / periodsPerYear) * 12).toFixed(0),
  )} months), defined as the headline's: mean / standard deviation (ddof 1) x sqrt(${periodsPerYear}), risk-free 0. Empty where the window is flat (no position, no change).</p>
</section>`;
}

/** The trades: P&L and R distributions, the table of every trade (up to the limit), open positions. */
function tradesSection(results: RunResults): string {
  const qtyDigits = lotDecimals(results.config.backtesting.lot_size);
  const { pnl, rMultiples } = tradeDistributions(results.trades);
  const charts =
    results.trades.length === 0
      ? '<p class="note">No closed trade.</p>'
      : `<div class="pair">
<div><h3>P&amp;L per trade (net of costs)</h3><div class="chart" data-chart="trade-pnl">${tradeHistogramChart(pnl, { xName: 'P&L', digits: 0 })}</div></div>
<div><h3>R multiples (P&amp;L / initial risk to the stop)</h3>${
          rMultiples.length === 0
            ? '<p class="note">No trade had a stop: no R multiple.</p>'
            : `<div class="chart" data-chart="trade-r">${tradeHistogramChart(rMultiples, { xName: 'R', digits: 1 })}</div>`
        }</div>
</div>`;
  const several = results.universe !== undefined;
  const rows = results.trades.slice(0, MAX_TRADE_ROWS).map((t) => [
    ...(several ? [escapeHtml(t.symbol)] : []),
    escapeHtml(fmtDate(t.entryTime)),
    escapeHtml(fmtDate(t.exitTime)),
    escapeHtml(t.side),
    fmtNumber(t.quantity, qtyDigits),
    fmtNumber(t.entryPrice),
    fmtNumber(t.exitPrice),
    `<span class="${t.pnl < 0 ? 'neg' : 'pos'}">${fmtNumber(t.pnl)}</span>`,
    fmtNumber(t.returnPct * 100) + '%',
    t.rMultiple === null ? '' : fmtNumber(t.rMultiple),
    escapeHtml(t.exitReason),
    fmtNumber(t.barsHeld, 0),
  ]);
  const limitNote =
    results.trades.length > MAX_TRADE_ROWS
      ? `<p class="note">The first ${MAX_TRADE_ROWS.toLocaleString('en-US')} of ${results.trades.length.toLocaleString('en-US')} trades; every trade is in trades.csv.</p>`
      : '';
  const openRows = results.openPositions.map((p) => [
    escapeHtml(p.symbol),
    escapeHtml(p.side),
    fmtNumber(p.quantity, qtyDigits),
    fmtNumber(p.entryPrice),
    escapeHtml(fmtDate(p.entryTime)),
  ]);
  return `<section id="trades"><h2>Trades (${results.trades.length})</h2>
${charts}
<h3>Every trade</h3>
${limitNote}
${table([...(several ? ['symbol'] : []), 'entry', 'exit', 'side', 'qty', 'entry price', 'exit price', 'P&L', 'return', 'R', 'exit reason', 'bars'], rows)}
${openRows.length > 0 ? `<h3>Open at the end (marked at the last close)</h3>${table(['symbol', 'side', 'qty', 'entry price', 'entry'], openRows)}` : ''}
</section>`;
}

/** Columns of the walk-forward fold table: key in results.json, header, format. */
const FOLD_TABLE: readonly (readonly [string, string, 'text' | 'integer' | 'percent' | 'ratio' | 'threshold'])[] = [
  ['fold', 'fold', 'integer'],
  ['train', 'train', 'text'],
  ['test', 'test (out of sample)', 'text'],
  ['trainedRows', 'trained rows', 'integer'],
  ['threshold', 'threshold', 'threshold'],
  ['thresholdSource', 'threshold from', 'text'],
  ['accuracy', 'accuracy', 'percent'],
  ['trades', 'trades', 'integer'],
  ['totalReturn', 'return', 'percent'],
  ['sharpeRatio', 'Sharpe', 'ratio'],
  ['maxDrawdown', 'max drawdown', 'percent'],
  ['exposure', 'exposure', 'percent'],
  ['signalOnlyReturn', 'signal-only return*', 'percent'],
];

/** The walk-forward folds: engine figures cut at the fold boundaries, the signal-only column labelled. */
function foldsTable(results: RunResults): string {
  const wf = results.extra['walkForward'] as { folds?: readonly Record<string, unknown>[] } | undefined;
  const folds = wf?.folds ?? [];
  if (folds.length === 0) return '';
  const columns = FOLD_TABLE.filter(([key]) => folds[0]![key] !== undefined);
  const cell = (v: unknown, format: string) => {
    const value = typeof v === 'string' && ['NaN', 'Infinity', '-Infinity'].includes(v) ? Number(v) : v;
    // A date range may break after its '..' so the table fits the page.
    if (typeof value !== 'number') return escapeHtml(String(value ?? '')).replace('..', '..<wbr>');
    if (format === 'percent') return formatMetric(value, 'percent');
    if (format === 'ratio') return formatMetric(value, 'ratio');
    if (format === 'threshold') return fmtNumber(value, 3);
    return fmtNumber(value, 0);
  };
  const rows = folds.map((fold) => columns.map(([key, , format]) => cell(fold[key], format)));
  const footnote = columns.some(([key]) => key === 'signalOnlyReturn')
    ? '<p class="note">Return, Sharpe, max drawdown, trades and exposure are cut from the same engine run as the headline (risk manager, sizing, commission and slippage), so the fold returns compound to the total return: prod(1 + return) - 1. * Signal-only return: what the threshold search optimizes, not a backtest: fully invested while the signals say long, close to close, costs per side, no risk manager, sizing or stops.</p>'
    : '';
  return `<h3>Walk-forward folds (out of sample)</h3>${table(
    columns.map(([, header]) => header),
    rows,
    'compact folds',
  )}${footnote}`;
}

/**
 * The self-contained HTML report of a run: warnings, headline metrics with exposure and time in
 * market, the benchmark comparison, equity (with the benchmark's) and drawdown, the price with
 * every entry and exit, yearly and monthly returns, the rolling Sharpe ratio, the distribution of
 * period returns with VaR, trade P&L and R-multiple histograms, every trade, fills and rejections,
 * the strategy's parameters and walk-forward folds, the configuration, the data range and the run
 * manifest. Long series are downsampled (LTTB, extremes kept) before charting. Charts are static
 * SVG rendered by ECharts on the server; the page loads nothing from the network, runs no script,
 * and prints (every trade included).
 */
export function renderReportHtml(results: RunResults): string {
  const curve = results.equityCurve;
  const headline = results.headline;
  const capital = results.config.backtesting.initial_capital;
  const equity = curve.equity;
  // Per-bar returns from the initial capital, as the headline's metrics (a ruined account: none).
  // No copy of a million-bar curve first: the returns are a new array either way.
  const returns = equity.length > 0 && allPositive(equity) ? returnsFromEquity(equity, { initialValue: capital }) : new Float64Array(0);
  const market = timeInMarket(curve.time, results.trades, results.openPositions as readonly (Position & { entryBarIndex?: number })[]);
  const rejectionCounts = rejectionsByReason(results);
  const fillCounts = countBy(results.fills, (f) => f.reason);

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
  const params = Object.entries(results.strategy.parameters).map(([k, v]) => [
    escapeHtml(k),
    escapeHtml(typeof v === 'object' ? JSON.stringify(v) : String(v)),
  ]);

  return renderReportPage({
    title: results.title,
    subtitle: `${escapeHtml(results.strategy.name)} &middot; ${escapeHtml(d.symbol)} &middot; ${escapeHtml(d.start.slice(0, 10))} to ${escapeHtml(d.end.slice(0, 10))} (${d.bars} bars) &middot; generated ${escapeHtml(m.createdAt)}`,
    body: `${warningsSection(results)}

${headlineSection(results, market)}

${benchmarkSection(results)}

<section id="equity"><h2>Equity and drawdown</h2>
<div class="chart" data-chart="equity-drawdown">${equityDrawdownChart(curve, results.benchmark)}</div>
</section>

${results.universe === undefined ? priceSection(results) : universeSection(results)}

${periodsSection(results)}

${rollingSection(results, returns)}

<section id="distribution"><h2>Distribution of period returns</h2>
<div class="chart" data-chart="returns-histogram">${returnsHistogramChart(returns, headline.valueAtRisk, headline.conditionalValueAtRisk)}</div>
<p class="note">Historical 95% VaR ${escapeHtml(fmtNumber(headline.valueAtRisk * 100))}% (5th percentile of the period returns), CVaR ${escapeHtml(fmtNumber(headline.conditionalValueAtRisk * 100))}% (mean of the returns at or below it).</p>
</section>

${tradesSection(results)}

${costsAndOrders(results)}

<section id="fills"><h2>Fills (${results.fills.length}) and rejections (${rejectedOrders(results)})</h2>
${table(['fill reason', 'count'], Object.entries(fillCounts).map(([k, v]) => [escapeHtml(k), String(v)]), 'kv')}
${
  results.rejections.length > 0
    ? `<h3>Rejections by reason</h3><div class="chart" data-chart="rejections">${rejectionsChart(rejectionCounts)}</div>`
    : '<p class="note">No order was rejected.</p>'
}
</section>

<section id="strategy"><h2>Strategy: ${escapeHtml(results.strategy.name)}</h2>
${table(['parameter', 'value'], params, 'kv')}
<p class="note">Parameters under their config.yaml key (strategy.*, risk_management.*) or command-line option name; the others are derived from the run.</p>
${foldsTable(results)}
</section>

<section id="config"><h2>Configuration</h2>
<pre>${escapeHtml(stringify(results.config))}</pre>
</section>

<section id="data"><h2>Data</h2>
${table(
  ['field', 'value'],
  [
    ['source', escapeHtml(d.source)],
    [results.universe === undefined ? 'symbol' : 'symbols', escapeHtml(d.symbol)],
    ['first bar', escapeHtml(d.start)],
    ['last bar', escapeHtml(d.end)],
    [results.universe === undefined ? 'bars' : 'time slices', String(d.bars)],
    ...(results.universe === undefined
      ? []
      : results.universe.symbols.map((symbol) => {
          const s = results.universe!.perSymbol[symbol]!;
          return [escapeHtml(symbol), escapeHtml(`${s.bars} bars, ${s.start.slice(0, 10)} to ${s.end.slice(0, 10)}`)];
        })),
  ],
  'kv',
)}
</section>

<section id="manifest"><h2>Run manifest</h2>
${table(['item', 'value'], manifestRows, 'kv')}
</section>`,
  });
}

/** The parts of a report page: its title, the line under it, and the sections. */
export interface ReportPage {
  readonly title: string;
  /** The line under the title (HTML, escaped by the caller). */
  readonly subtitle: string;
  /** The sections (HTML). */
  readonly body: string;
  /** CSS added after the report's stylesheet. */
  readonly extraStyle?: string | undefined;
}

/**
 * A self-contained report page in the run report's style: the same stylesheet, and a
 * Content-Security-Policy that lets it load nothing and run no script (inline styles and data:
 * images only).
 */
export function renderReportPage(page: ReportPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}${page.extraStyle ?? ''}</style>
</head>
<body>
<header>
<h1>${escapeHtml(page.title)}</h1>
<p>${page.subtitle}</p>
</header>
<main>
${page.body}
</main>
</body>
</html>
`;
}

// Building blocks of the other HTML reports (the sweep, portfolio and comparison reports): tables and numbers.
export { fmtNumber as formatReportNumber, table as htmlTable };
