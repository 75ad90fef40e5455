import type { RunComparison } from '@algo-trading/store';
import { barTime, runDataLabel, runTime } from '../output/store-text';
import { formatNamedMetric } from '../output/summary-table';
import { SERIES_PALETTE, equityOverlayChart, type OverlayCurve } from './charts';
import { escapeHtml, htmlTable, renderReportPage } from './html';

/** Options of {@link renderComparisonHtml}. */
export interface ComparisonHtmlOptions {
  /** The store the runs were read from. */
  readonly store: string;
  /** The command line after `algo-trading`. */
  readonly argv?: readonly string[] | undefined;
  /** When the page was made; default now. */
  readonly now?: Date | undefined;
}

const COMPARE_STYLE = `
tr.differs td:first-child { font-weight: 600; }
tr.differs td { background: #fff8e1; }
span.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin-right: 6px; }
`;

function iso(ms: number | null): string {
  return ms === null || !Number.isFinite(ms) ? '' : barTime(ms);
}

/** A table with one column per run, rows flagged `differs` highlighted. */
function sideBySide(header: readonly string[], rows: readonly { name: string; cells: readonly string[]; differs: boolean }[], className = ''): string {
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr${r.differs ? ' class="differs"' : ''}><td>${escapeHtml(r.name)}</td>${r.cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table class="${className}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function parameterText(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/**
 * The self-contained HTML comparison of recorded runs (`algo-trading runs compare`): which runs
 * they are (command, data, hashes, code version, folder), their equity curves overlaid with their
 * drawdowns underneath (the report's chart code, downsampled as the report does), every metric
 * side by side and every parameter, the rows where the runs differ highlighted. Static SVG, no
 * script, nothing loaded from the network.
 */
export function renderComparisonHtml(comparison: RunComparison, options: ComparisonHtmlOptions): string {
  const { runs } = comparison;
  const ids = runs.map((r) => r.id);
  const header = ['', ...ids];
  const curves = comparison.equityCurves ?? [];
  const withCurve: OverlayCurve[] = [];
  curves.forEach((curve, k) => {
    if (curve !== null && curve.time.length > 0) withCurve.push({ label: ids[k]!, time: curve.time, equity: curve.equity, drawdown: curve.drawdown });
  });
  const starts = withCurve.map((c) => c.equity[0]!);
  const indexed = starts.some((s) => Math.abs(s - starts[0]!) > 1e-9 * Math.abs(starts[0]!));
  const missing = ids.filter((_, k) => curves[k] === null || curves[k] === undefined || curves[k]!.time.length === 0);
  const chart =
    withCurve.length === 0
      ? '<p class="note">None of these runs has a recorded equity curve (a sweep records metrics only).</p>'
      : `<div class="chart" data-chart="equity-overlay">${equityOverlayChart(withCurve, { indexed })}</div>
<p class="note">${indexed ? 'The runs started from different equity: each curve is divided by its first value (first bar = 100). ' : ''}Drawdown from each run's running peak. Curves longer than 2,500 points are downsampled for drawing (largest-triangle-three-buckets, extremes and the deepest drawdown kept).${
          missing.length === 0 ? '' : ` No curve recorded for ${escapeHtml(missing.join(', '))}.`
        }</p>`;

  const identity = [
    { name: 'command', cells: runs.map((r) => r.command) },
    { name: 'status', cells: runs.map((r) => (r.error === null ? r.status : `${r.status}: ${r.error}`)) },
    { name: 'created (UTC)', cells: runs.map((r) => runTime(r.createdAt)) },
    { name: 'title', cells: runs.map((r) => r.title ?? '') },
    { name: 'strategy', cells: runs.map((r) => r.strategy ?? '') },
    { name: 'data', cells: runs.map(runDataLabel) },
    { name: 'first bar', cells: runs.map((r) => iso(r.startTime)) },
    { name: 'last bar', cells: runs.map((r) => iso(r.endTime)) },
    { name: 'bars', cells: runs.map((r) => (r.bars === null ? '' : r.bars.toLocaleString('en-US'))) },
    { name: 'config hash', cells: runs.map((r) => r.configHash) },
    { name: 'data hash', cells: runs.map((r) => r.dataHash) },
    { name: 'code version', cells: runs.map((r) => r.codeVersion) },
    { name: 'git commit', cells: runs.map((r) => r.gitCommit ?? '') },
    { name: 'folder', cells: runs.map((r) => r.folder ?? '') },
  ].map((row) => ({ ...row, differs: row.cells.some((c) => c !== row.cells[0]) }));

  const metrics = comparison.metrics.map((m) => ({ name: m.name, cells: m.values.map((v) => formatNamedMetric(m.name, v)), differs: m.differs }));
  const parameters = comparison.parameters.map((p) => ({ name: p.name, cells: p.values.map(parameterText), differs: p.differs }));
  const legend = htmlTable(
    ['colour', 'run', 'title'],
    runs.map((r, k) => {
      const curve = withCurve.findIndex((c) => c.label === r.id);
      const swatch = curve < 0 ? '' : `<span class="swatch" style="background:${SERIES_PALETTE[curve % SERIES_PALETTE.length]!}"></span>`;
      return [swatch, `<code>${escapeHtml(ids[k]!)}</code>`, escapeHtml(r.title ?? '')];
    }),
    'kv',
  );
  const title = `Comparison of ${runs.length} run${runs.length === 1 ? '' : 's'}`;
  const generated = (options.now ?? new Date()).toISOString();

  return renderReportPage({
    title,
    subtitle: `from the store ${escapeHtml(options.store)} &middot; generated ${escapeHtml(generated)}`,
    extraStyle: COMPARE_STYLE,
    body: `<section id="runs"><h2>Runs</h2>
${legend}
</section>

<section id="equity"><h2>Equity and drawdown</h2>
${chart}
</section>

<section id="metrics"><h2>Metrics</h2>
${metrics.length === 0 ? '<p class="note">No metric was recorded for these runs.</p>' : sideBySide(['metric', ...ids], metrics)}
<p class="note">Highlighted rows differ between the runs. Fractions are shown as percentages; the benchmark's own figures are named benchmark.*; an empty cell is a metric the run does not have.</p>
</section>

<section id="parameters"><h2>Parameters</h2>
${parameters.length === 0 ? '<p class="note">No parameter was recorded for these runs.</p>' : sideBySide(['parameter', ...ids], parameters, 'kv')}
</section>

<section id="identity"><h2>What ran</h2>
${sideBySide(header.map((h, k) => (k === 0 ? 'field' : h)), identity, 'kv')}
${options.argv === undefined ? '' : `<p class="note">Made with <code>algo-trading ${escapeHtml(options.argv.join(' '))}</code>.</p>`}
</section>`,
  });
}
