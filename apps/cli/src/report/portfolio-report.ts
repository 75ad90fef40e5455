import type { PortfolioSummary } from '../commands/portfolio';
import { escapeHtml, formatReportNumber, htmlTable, renderReportPage } from './html';
import { efficientFrontierChart, weightsChart } from './portfolio-charts';

/** Options of {@link renderPortfolioReportHtml}. */
export interface PortfolioReportOptions {
  /** The command line after `algo-trading`, shown in the report. */
  readonly argv?: readonly string[];
}

function percent(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? '' : Number.isFinite(value) ? `${formatReportNumber(value * 100, digits)}%` : formatReportNumber(value);
}

/**
 * The self-contained HTML report of `portfolio optimize`: the efficient frontier with the chosen
 * portfolio and every single asset marked, the weights beside each symbol's share of the risk, the
 * weights table, the portfolio's statistics, the discrete allocation, the frontier's portfolios and
 * the estimation settings. Static SVG charts, no script, nothing loaded from the network.
 */
export function renderPortfolioReportHtml(summary: PortfolioSummary, options: PortfolioReportOptions = {}): string {
  const { estimation: e, settings: s, portfolio: p, allocation: a, solver } = summary;
  const title = `Portfolio: ${s.method}`;
  const subtitle = `${escapeHtml(summary.data.symbols.join(', '))} &middot; ${escapeHtml(summary.data.source)} &middot; ${escapeHtml(e.start.slice(0, 10))} to ${escapeHtml(e.end.slice(0, 10))} (${e.periods} returns, ${e.periodsPerYear} a year)`;
  const cards = [
    ['expected return', percent(p.expectedReturn)],
    ['volatility', percent(p.volatility)],
    ['Sharpe ratio', formatReportNumber(p.sharpeRatio, 3)],
    ['solver', `${solver.name}: ${solver.status}`],
  ]
    .map(([label, value]) => `<div class="card"><div class="label">${escapeHtml(label!)}</div><div class="value">${escapeHtml(value!)}</div></div>`)
    .join('\n');
  const weightRows = summary.assets.map((x) => [
    escapeHtml(x.symbol),
    percent(x.weight),
    percent(x.expectedReturn),
    percent(x.volatility),
    percent(x.riskContribution),
    percent(x.riskShare),
  ]);
  const allocation =
    a.quantities === null
      ? `<p class="note">No discrete allocation: ${escapeHtml(a.skipped ?? '')}</p>`
      : `${htmlTable(
          ['symbol', 'last close', 'date', 'quantity', 'value', 'weight'],
          summary.assets.map((x) => {
            const price = a.prices[x.symbol]?.price ?? Number.NaN;
            const quantity = a.quantities![x.symbol] ?? 0;
            return [
              escapeHtml(x.symbol),
              formatReportNumber(price),
              escapeHtml((a.prices[x.symbol]?.time ?? '').slice(0, 10)),
              String(quantity),
              formatReportNumber(quantity * price),
              percent((quantity * price) / a.cash),
            ];
          }),
        )}
<p class="note">${escapeHtml(formatReportNumber(a.cash))} in whole units at the last close: invested ${escapeHtml(formatReportNumber(a.invested))}, leftover cash ${escapeHtml(formatReportNumber(a.leftover))}, tracking error of the weights ${percent(a.trackingError, 3)}.</p>`;
  const frontierRows = summary.frontier.map((f, k) => [
    String(k + 1),
    percent(f.expectedReturn),
    percent(f.volatility),
    formatReportNumber(f.sharpeRatio, 3),
    ...summary.data.symbols.map((sym) => percent(f.weights[sym] ?? 0, 1)),
  ]);
  const settings: string[][] = [
    ['data source', escapeHtml(summary.data.source)],
    ['method', escapeHtml(s.method)],
    ['covariance', escapeHtml(s.covariance + (s.shrinkage === null ? '' : ` (shrinkage ${formatReportNumber(s.shrinkage, 4)})`))],
    ['expected returns', escapeHtml(s.expectedReturns)],
    ['risk-free rate (annual)', percent(s.riskFreeRate)],
    ['weight bounds', escapeHtml(`[${s.bounds.join(', ')}]`)],
    ...(s.targetReturn === null ? [] : [['target return', percent(s.targetReturn)]]),
    ...(s.targetVolatility === null ? [] : [['target volatility', percent(s.targetVolatility)]]),
    ['estimation window', escapeHtml(`${e.start} to ${e.end}`)],
    ['return periods', e.lookback === null ? `${e.periods} (every period common to all symbols)` : `${e.periods} (lookback, of ${e.availablePeriods})`],
    ['annualization', `x${e.periodsPerYear} periods per year (inferred from the bar times)`],
    ['solver', escapeHtml(`${solver.name}, ${solver.status} (${solver.detail})`)],
    ...(options.argv === undefined ? [] : [['command', `<code>algo-trading ${escapeHtml(options.argv.join(' '))}</code>`]]),
  ];
  const warnings =
    summary.warnings.length === 0
      ? ''
      : `<section id="warnings"><h2>Read this first</h2><ul>${summary.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></section>`;
  const body = `${warnings}
<section id="headline"><h2>Portfolio</h2><div class="cards">
${cards}
</div></section>

<section id="frontier"><h2>Efficient frontier</h2>
<div class="chart" data-chart="efficient-frontier">${efficientFrontierChart(
    summary.frontier.map((f, k) => ({ label: String(k + 1), volatility: f.volatility, expectedReturn: f.expectedReturn })),
    { label: s.method, volatility: p.volatility, expectedReturn: p.expectedReturn },
    summary.assets.map((x) => ({ label: x.symbol, volatility: x.volatility, expectedReturn: x.expectedReturn })),
  )}</div>
<p class="note">Minimum-variance portfolios for expected returns from the minimum-variance portfolio's to the highest reachable within the bounds; annual figures.</p>
</section>

<section id="weights"><h2>Weights and risk</h2>
<div class="chart" data-chart="weights">${weightsChart(summary.assets)}</div>
${htmlTable(['symbol', 'weight', 'expected return', 'volatility', 'risk contribution', 'share of risk'], weightRows)}
<p class="note">Risk contribution: w_i (Sigma w)_i / volatility (they add up to the portfolio's volatility); share of risk: of the variance (they add up to 100%).</p>
</section>

<section id="allocation"><h2>Discrete allocation</h2>
${allocation}
</section>

<section id="frontier-points"><h2>Frontier portfolios</h2>
${htmlTable(['#', 'expected return', 'volatility', 'Sharpe ratio', ...summary.data.symbols], frontierRows, 'compact')}
</section>

<section id="settings"><h2>Estimation</h2>
${htmlTable(['item', 'value'], settings, 'kv')}
</section>`;
  return renderReportPage({ title, subtitle, body });
}
