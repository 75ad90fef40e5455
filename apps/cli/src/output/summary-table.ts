/**
 * The headline statistics of a run: what the terminal summary, `results.json` and the report
 * lead with. Fractions are fractions (0.12 = 12%); `maxDrawdown` is negative (empyrical).
 */
export interface HeadlineMetrics {
  readonly totalReturn: number;
  readonly cagr: number;
  readonly sharpeRatio: number;
  readonly sortinoRatio: number;
  readonly maxDrawdown: number;
  readonly calmarRatio: number;
  readonly winRate: number;
  readonly profitFactor: number;
  /** Mean R multiple of the closed trades. */
  readonly expectancy: number;
  /** Historical 95% value at risk of the daily returns (a negative return). */
  readonly valueAtRisk: number;
  /** Mean of the returns at or below the VaR. */
  readonly conditionalValueAtRisk: number;
  /** Closed trades. */
  readonly trades: number;
}

type Format = 'percent' | 'ratio' | 'r' | 'integer';

/** Rows of the summary, in display order: key, label, format. */
export const HEADLINE_ROWS: readonly (readonly [keyof HeadlineMetrics, string, Format])[] = [
  ['totalReturn', 'Total return', 'percent'],
  ['cagr', 'CAGR', 'percent'],
  ['sharpeRatio', 'Sharpe ratio', 'ratio'],
  ['sortinoRatio', 'Sortino ratio', 'ratio'],
  ['maxDrawdown', 'Max drawdown', 'percent'],
  ['calmarRatio', 'Calmar ratio', 'ratio'],
  ['winRate', 'Win rate', 'percent'],
  ['profitFactor', 'Profit factor', 'ratio'],
  ['expectancy', 'Expectancy', 'r'],
  ['valueAtRisk', 'VaR (95%, daily)', 'percent'],
  ['conditionalValueAtRisk', 'CVaR (95%, daily)', 'percent'],
  ['trades', 'Trades', 'integer'],
];

/** Formats one metric for people: `12.34%`, `1.23`, `0.45 R`, `n/a` for NaN, `inf` for Infinity. */
export function formatMetric(value: number, format: Format): string {
  if (Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  switch (format) {
    case 'percent':
      return `${(value * 100).toFixed(2)}%`;
    case 'ratio':
      return value.toFixed(2);
    case 'r':
      return `${value.toFixed(2)} R`;
    case 'integer':
      return String(Math.round(value));
  }
}

/** The formatted `[label, value]` pairs of the summary, in display order. */
export function headlineRows(metrics: HeadlineMetrics): [string, string][] {
  return HEADLINE_ROWS.map(([key, label, format]) => [label, formatMetric(metrics[key], format)]);
}

/**
 * The terminal summary table: a title line, then one `label  value` row per headline metric,
 * values right-aligned.
 *
 * @example
 * renderSummaryTable(metrics, 'SMA crossover on SPY');
 * // SMA crossover on SPY
 * // Total return          12.34%
 * // ...
 */
export function renderSummaryTable(metrics: HeadlineMetrics, title?: string): string {
  const rows = headlineRows(metrics);
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  const rule = '-'.repeat(labelWidth + 2 + valueWidth);
  const lines = rows.map(([label, value]) => `${label.padEnd(labelWidth)}  ${value.padStart(valueWidth)}`);
  return [...(title === undefined ? [] : [title, rule]), ...lines, rule].join('\n') + '\n';
}

/** Metrics that are fractions, shown as percentages (the benchmark's own figures too, as `benchmark.<name>`). */
const PERCENT_METRICS: ReadonlySet<string> = new Set([
  'totalReturn',
  'cagr',
  'annualVolatility',
  'downsideRisk',
  'maxDrawdown',
  'valueAtRisk',
  'conditionalValueAtRisk',
  'winRate',
  'exposure',
  'accuracy',
  'alpha',
  'excessReturn',
]);

/** Metrics that count things. */
const INTEGER_METRICS: ReadonlySet<string> = new Set([
  'tradeCount',
  'trades',
  'fillCount',
  'rejectionCount',
  'bars',
  'observations',
  'maxConsecutiveLosses',
  'maxDrawdownDuration',
  'periodsPerYear',
]);

/**
 * How a metric is shown, by its name as the metrics package and the engine name it (`totalReturn`
 * and `benchmark.totalReturn` as percentages, `tradeCount` as an integer, `expectancy` in R,
 * anything else with two decimals).
 */
export function metricFormat(name: string): Format {
  const base = name.startsWith('benchmark.') ? name.slice('benchmark.'.length) : name;
  if (PERCENT_METRICS.has(base)) return 'percent';
  if (INTEGER_METRICS.has(base)) return 'integer';
  if (base === 'expectancy') return 'r';
  return 'ratio';
}

/** A metric by name for people ({@link metricFormat}); an empty cell for a run without it (null). */
export function formatNamedMetric(name: string, value: number | null | undefined): string {
  return value === null || value === undefined ? '' : formatMetric(value, metricFormat(name));
}
