import { describe, expect, it } from 'vitest';
import { sampleResults } from '../../test/fixtures/sample-results';
import { comparisonRows, relativeLine, renderComparisonTable } from './benchmark-table';

describe('benchmark comparison', () => {
  const { headline, benchmark } = sampleResults();

  it('puts the strategy and the benchmark side by side', () => {
    expect(comparisonRows(headline, benchmark!)).toEqual([
      ['Total return', `${(headline.totalReturn * 100).toFixed(2)}%`, '29.94%'],
      ['CAGR', '12.00%', '14.12%'],
      ['Sharpe ratio', '1.10', '0.95'],
      ['Max drawdown', '-5.67%', '-23.45%'],
    ]);
  });

  it('states alpha a year, beta, the information ratio per bar and the excess return', () => {
    expect(relativeLine(benchmark!)).toBe('alpha 1.23% a year, beta 0.46, information ratio -0.035 per bar, excess return -10.00%');
    expect(relativeLine({ ...benchmark!, relative: { alpha: NaN, beta: NaN, informationRatio: NaN, excessReturn: 0 } })).toBe(
      'alpha n/a a year, beta n/a, information ratio n/a per bar, excess return 0.00%',
    );
  });

  it('renders an aligned terminal table with the notes', () => {
    const text = renderComparisonTable(headline, benchmark!);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('              Strategy  Buy and hold TEST');
    expect(lines[2]).toBe('CAGR            12.00%             14.12%');
    expect(lines.at(-2)).toMatch(/^vs the benchmark: alpha 1\.23% a year/);
    expect(lines.at(-1)).toBe('Note: a note about the benchmark');
  });
});
