import { describe, expect, it } from 'vitest';
import { formatMetric, formatNamedMetric, headlineRows, metricFormat, renderSummaryTable, type HeadlineMetrics } from './summary-table';

const metrics: HeadlineMetrics = {
  totalReturn: 0.1234,
  cagr: 0.05,
  sharpeRatio: 1.234,
  sortinoRatio: Infinity,
  maxDrawdown: -0.0821,
  calmarRatio: 0.609,
  winRate: 0.5,
  profitFactor: 1.5,
  expectancy: 0.25,
  valueAtRisk: -0.0123,
  conditionalValueAtRisk: -0.0201,
  trades: 12,
};

describe('summary table', () => {
  it('formats percentages, ratios, R and the non-finite cases', () => {
    expect(formatMetric(0.1234, 'percent')).toBe('12.34%');
    expect(formatMetric(-0.0821, 'percent')).toBe('-8.21%');
    expect(formatMetric(1.234, 'ratio')).toBe('1.23');
    expect(formatMetric(0.25, 'r')).toBe('0.25 R');
    expect(formatMetric(12, 'integer')).toBe('12');
    expect(formatMetric(NaN, 'ratio')).toBe('n/a');
    expect(formatMetric(Infinity, 'ratio')).toBe('inf');
    expect(formatMetric(-Infinity, 'ratio')).toBe('-inf');
  });

  it('lists the twelve headline metrics in order', () => {
    expect(headlineRows(metrics)).toEqual([
      ['Total return', '12.34%'],
      ['CAGR', '5.00%'],
      ['Sharpe ratio', '1.23'],
      ['Sortino ratio', 'inf'],
      ['Max drawdown', '-8.21%'],
      ['Calmar ratio', '0.61'],
      ['Win rate', '50.00%'],
      ['Profit factor', '1.50'],
      ['Expectancy', '0.25 R'],
      ['VaR (95%, daily)', '-1.23%'],
      ['CVaR (95%, daily)', '-2.01%'],
      ['Trades', '12'],
    ]);
  });

  it('renders aligned columns under a title', () => {
    const text = renderSummaryTable(metrics, 'Demo');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('Demo');
    expect(lines[2]).toBe(`${'Total return'.padEnd(17)}  12.34%`);
    expect(lines[13]).toBe(`${'Trades'.padEnd(17)}      12`);
    const widths = new Set(lines.slice(2, 14).map((l) => l.length));
    expect(widths.size).toBe(1);
    expect(lines.at(-1)).toMatch(/^-+$/);
  });
});

describe('metrics by name', () => {
  it('fractions as percentages (the benchmark figures too), counts as integers, expectancy in R, the rest with two decimals', () => {
    expect(formatNamedMetric('totalReturn', 0.1234)).toBe('12.34%');
    expect(formatNamedMetric('benchmark.maxDrawdown', -0.5)).toBe('-50.00%');
    expect(formatNamedMetric('alpha', 0.001)).toBe('0.10%');
    expect(formatNamedMetric('tradeCount', 12)).toBe('12');
    expect(formatNamedMetric('expectancy', 0.256)).toBe('0.26 R');
    expect(formatNamedMetric('sharpeRatio', 1.234)).toBe('1.23');
    expect(formatNamedMetric('finalEquity', 10123.456)).toBe('10123.46');
    expect(formatNamedMetric('profitFactor', Infinity)).toBe('inf');
    expect(formatNamedMetric('winRate', NaN)).toBe('n/a');
    expect(formatNamedMetric('winRate', null)).toBe('');
    expect([metricFormat('benchmark.sharpeRatio'), metricFormat('maxDrawdownDuration'), metricFormat('someUserMetric')]).toEqual(['ratio', 'integer', 'ratio']);
  });
});
