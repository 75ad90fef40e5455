import type { RunComparison, RunSummary } from '@algo-trading/store';
import { describe, expect, it } from 'vitest';
import { renderComparisonHtml } from './compare-report';

const DAY = 86_400_000;

function summary(id: string, title: string): RunSummary {
  return {
    id,
    createdAt: Date.UTC(2024, 0, 2, 9, 30),
    command: 'backtest',
    status: 'completed',
    error: null,
    title,
    strategy: 'SMA',
    configHash: `cfg-${id}`,
    dataHash: 'data',
    codeVersion: '@algo-trading/cli@1.0.0',
    gitCommit: null,
    folder: null,
    dataSource: 'store:SPY@1d',
    symbols: ['SPY'],
    timeframe: '1d',
    startTime: Date.UTC(2024, 0, 1),
    endTime: Date.UTC(2024, 0, 3),
    bars: 3,
    metrics: {},
  };
}

function curve(start: number) {
  const time = Float64Array.from([0, 1, 2], (d) => Date.UTC(2024, 0, 1) + d * DAY);
  return { time, equity: Float64Array.from([start, start * 1.1, start * 1.05]), cash: undefined, drawdown: undefined };
}

describe('the run comparison page', () => {
  const comparison: RunComparison = {
    runs: [summary('A', 'first <run>'), summary('B', 'second & last')],
    metrics: [
      { name: 'totalReturn', values: [0.05, 0.05], differs: false },
      { name: 'tradeCount', values: [3, null], differs: true },
    ],
    parameters: [{ name: 'fast', values: [5, 10], differs: true }],
    equityCurves: [curve(10_000), curve(20_000)],
  };

  it('overlays the curves, indexed to 100 when the runs started from different equity, and highlights what differs', () => {
    const html = renderComparisonHtml(comparison, { store: '/data/s.duckdb', argv: ['runs', 'compare', 'A', 'B'], now: new Date(Date.UTC(2024, 1, 1)) });
    expect(html).toContain('<title>Comparison of 2 runs</title>');
    expect(html).toContain('from the store /data/s.duckdb &middot; generated 2024-02-01T00:00:00.000Z');
    expect(html).toContain('data-chart="equity-overlay"');
    expect(html).toContain('Equity (first bar = 100)');
    expect(html).toContain('each curve is divided by its first value');
    expect(html).toContain('first &lt;run&gt;');
    expect(html).toContain('second &amp; last');
    expect(html).toContain('<tr><td>totalReturn</td><td>5.00%</td><td>5.00%</td></tr>');
    expect(html).toContain('<tr class="differs"><td>tradeCount</td><td>3</td><td></td></tr>');
    expect(html).toContain('<tr class="differs"><td>fast</td><td>5</td><td>10</td></tr>');
    expect(html).toContain('<tr class="differs"><td>config hash</td><td>cfg-A</td><td>cfg-B</td></tr>');
    expect(html).toContain('<code>algo-trading runs compare A B</code>');
    expect(html).not.toContain('<script');
  });

  it('plots equity as it is when every run started from the same equity, and says which runs have no curve', () => {
    const same = renderComparisonHtml({ ...comparison, equityCurves: [curve(10_000), curve(10_000)] }, { store: 's' });
    expect(same).not.toContain('first bar = 100');
    const oneMissing = renderComparisonHtml({ ...comparison, equityCurves: [curve(10_000), null] }, { store: 's' });
    expect(oneMissing).toContain('No curve recorded for B.');
    const none = renderComparisonHtml({ ...comparison, equityCurves: [null, null] }, { store: 's' });
    expect(none).toContain('None of these runs has a recorded equity curve');
    expect(none).not.toContain('<svg');
  });
});
