import type { BenchmarkResults } from '../pipeline/benchmark';
import { formatMetric, type HeadlineMetrics } from './summary-table';

/** Rows compared side by side: key of both the headline and the benchmark's metrics, label, format. */
export const COMPARISON_ROWS = [
  ['totalReturn', 'Total return', 'percent'],
  ['cagr', 'CAGR', 'percent'],
  ['sharpeRatio', 'Sharpe ratio', 'ratio'],
  ['maxDrawdown', 'Max drawdown', 'percent'],
] as const satisfies readonly (readonly [keyof HeadlineMetrics & keyof BenchmarkResults['metrics'], string, 'percent' | 'ratio'])[];

/** `[label, strategy, benchmark]` rows of the comparison, formatted, in display order. */
export function comparisonRows(headline: HeadlineMetrics, benchmark: BenchmarkResults | Omit<BenchmarkResults, 'equity'>): [string, string, string][] {
  return COMPARISON_ROWS.map(([key, label, format]) => [label, formatMetric(headline[key], format), formatMetric(benchmark.metrics[key], format)]);
}

/** The relative figures in one line: `alpha 3.10% a year, beta 0.42, information ratio 0.021 per bar, excess return -12.34%`. */
export function relativeLine(benchmark: BenchmarkResults | Omit<BenchmarkResults, 'equity'>): string {
  const r = benchmark.relative;
  return [
    `alpha ${formatMetric(r.alpha, 'percent')} a year`,
    `beta ${formatMetric(r.beta, 'ratio')}`,
    `information ratio ${Number.isFinite(r.informationRatio) ? r.informationRatio.toFixed(3) : formatMetric(r.informationRatio, 'ratio')} per bar`,
    `excess return ${formatMetric(r.excessReturn, 'percent')}`,
  ].join(', ');
}

/**
 * The terminal comparison of the strategy with its benchmark:
 *
 * ```
 *                Strategy  Buy and hold SP500
 * Total return     -0.54%             107.71%
 * ...
 * vs the benchmark: alpha ..., beta ..., information ratio ... per bar, excess return ...
 * ```
 */
export function renderComparisonTable(headline: HeadlineMetrics, benchmark: BenchmarkResults | Omit<BenchmarkResults, 'equity'>): string {
  const rows = comparisonRows(headline, benchmark);
  const header: [string, string, string] = ['', 'Strategy', benchmark.label];
  const widths = [0, 1, 2].map((c) => Math.max(header[c]!.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: readonly string[]) => [r[0]!.padEnd(widths[0]!), r[1]!.padStart(widths[1]!), r[2]!.padStart(widths[2]!)].join('  ');
  const notes = benchmark.notes.map((note) => `Note: ${note}`);
  return [line(header), ...rows.map(line), `vs the benchmark: ${relativeLine(benchmark)}`, ...notes].join('\n') + '\n';
}
