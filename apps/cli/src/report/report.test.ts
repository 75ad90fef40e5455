import { describe, expect, it } from 'vitest';
import { sampleResults } from '../../test/fixtures/sample-results';
import { equityDrawdownChart, histogram, monthlyReturnsHeatmap, rejectionsChart, returnsHistogramChart } from './charts';
import { REPORT_CHARTS, escapeHtml, rejectionsByReason, renderReportHtml } from './html';
import { monthlyReturns } from './monthly-returns';

const DAY = 86_400_000;

describe('monthlyReturns', () => {
  it('measures each month from the previous month-end, the first from the first bar', () => {
    const t = [Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 31), Date.UTC(2024, 1, 1), Date.UTC(2024, 1, 29), Date.UTC(2024, 3, 1)];
    const e = [100, 110, 99, 121, 133.1];
    const months = monthlyReturns(t, e);
    expect(months.map((m) => [m.year, m.month])).toEqual([
      [2024, 0],
      [2024, 1],
      [2024, 3],
    ]);
    expect(months[0]!.value).toBeCloseTo(0.1, 12); // 110 / 100 - 1
    expect(months[1]!.value).toBeCloseTo(0.1, 12); // 121 / 110 - 1
    expect(months[2]!.value).toBeCloseTo(0.1, 12); // 133.1 / 121 - 1 (March has no bars)
  });

  it('is empty without finite equity', () => {
    expect(monthlyReturns([], [])).toEqual([]);
    expect(monthlyReturns([0, DAY], [NaN, NaN])).toEqual([]);
  });
});

describe('histogram', () => {
  it('bins finite values with the last bin closed', () => {
    expect(histogram([0, 1, 2, 3, NaN, 4], 4)).toEqual([
      [0, 1, 1],
      [1, 2, 1],
      [2, 3, 1],
      [3, 4, 2],
    ]);
    expect(histogram([NaN])).toEqual([]);
    expect(histogram([5, 5, 5], 2)).toEqual([
      [5, 6, 3],
      [6, 7, 0],
    ]);
  });
});

describe('charts (ECharts server-side SVG)', () => {
  const results = sampleResults();
  it('renders each chart to a standalone SVG with drawn paths', () => {
    const svgs = [
      equityDrawdownChart(results.equityCurve),
      monthlyReturnsHeatmap(monthlyReturns(results.equityCurve.time, results.equityCurve.equity)),
      returnsHistogramChart([-0.02, -0.01, 0, 0.01, 0.02, 0.005], -0.015, -0.02),
      rejectionsChart({ portfolio_heat: 2, cash: 1 }),
    ];
    for (const svg of svgs) {
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.endsWith('</svg>')).toBe(true);
      expect(svg).toContain('<path');
      expect(svg).not.toContain('<script');
    }
    expect(svgs[2]).toContain('VaR 95% -1.50%');
    expect(svgs[2]).toContain('CVaR -2.00%');
    expect(svgs[3]).toContain('portfolio_heat');
  });
});

describe('equity chart of a long run', () => {
  it('draws a downsampled line that keeps a one-bar spike and the deepest drawdown', () => {
    const n = 200_000;
    const time = Array.from({ length: n }, (_, i) => Date.UTC(2000, 0, 1) + i * 60_000);
    const equity = time.map((_, i) => (i === 123_457 ? 31_000 : 10_000 + (i % 1000)));
    let peak = 0;
    const drawdown = equity.map((e) => ((peak = Math.max(peak, e)), (peak - e) / peak));
    const svg = equityDrawdownChart({ time, equity, cash: equity, drawdown });
    // The y axis reaches the spike (a line sampled without it would stop near 11,000) ...
    expect(svg).toMatch(/>3[0-9],000</);
    // ... and the drawdown axis the trough after it: 1 - 10,000 / 31,000 = 67.7%.
    expect(svg).toMatch(/>-[67]0%</);
  });
});

describe('renderReportHtml', () => {
  const results = sampleResults();
  const html = renderReportHtml(results);

  it('is one self-contained page: no external resource, no script', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
    expect(html).not.toMatch(/<link /i);
  });

  it('has every section the README lists', () => {
    for (const id of ['headline', 'benchmark', 'equity', 'price', 'yearly', 'monthly', 'rolling', 'distribution', 'trades', 'fills', 'strategy', 'config', 'data', 'manifest']) {
      expect(html).toContain(`<section id="${id}">`);
    }
    // The weights chart is drawn for several symbols only (test/universe.test.ts).
    for (const chart of REPORT_CHARTS.filter((c) => c !== 'weights')) {
      expect(html).toMatch(new RegExp(`data-chart="${chart}"><svg`));
    }
    expect(html).not.toContain('data-chart="weights"');
    expect(html).toContain('Fills (6) and rejections (4)');
    expect(html).toContain('Trades (3)');
    expect(html).toContain('a'.repeat(64));
    expect(html).toContain('b'.repeat(64));
    expect(html).toContain('<td>seed</td><td>42</td>');
    expect(html).toContain('hard_stop_pct: 0.03');
    expect(html).toContain('Walk-forward folds');
    expect(html).toContain('<section id="costs">');
    expect(html).toContain('<td>commission</td><td>9.00</td>');
    expect(html).toContain('<td>borrow fees on shorts</td><td>0.00</td>');
    expect(html).toContain('Orders (8)');
    expect(html).toContain('<td>rejected</td><td>2</td>');
    expect(html).toContain('<td>exit</td><td>3</td>');
  });

  it('compares the strategy with its benchmark, side by side, with alpha, beta and the information ratio', () => {
    expect(html).toContain('<section id="benchmark"><h2>Benchmark: Buy and hold TEST</h2>');
    // Total return, CAGR, Sharpe and max drawdown of both, in that order.
    expect(html).toMatch(/<td>Total return<\/td><td>[-\d.]+%<\/td><td>29\.94%<\/td>/);
    expect(html).toContain('<td>CAGR</td><td>12.00%</td><td>14.12%</td>');
    expect(html).toContain('<td>Sharpe ratio</td><td>1.10</td><td>0.95</td>');
    expect(html).toContain('<td>Max drawdown</td><td>-5.67%</td><td>-23.45%</td>');
    expect(html).toContain('<td>Alpha (annualized)</td><td>1.23%</td>');
    expect(html).toContain('<td>Beta</td><td>0.46</td>');
    expect(html).toContain('<td>Information ratio (per bar)</td><td>-0.035</td>');
    // The entry at the lot precision of the default config (whole units), and the notes.
    expect(html).toContain('Bought 100 at 100.05 on 2020-01-02');
    expect(html).toContain('a note about the benchmark');
    const { benchmark: _benchmark, ...older } = results;
    expect(renderReportHtml(older)).toContain('This results file has no benchmark');
  });

  it('shows exposure and time in market, and states the rolling window', () => {
    // Trades hold bars 10..29, 60..79 and 110..129 of 500: 60 bars.
    expect(html).toContain('<div class="label">Exposure</div><div class="value">12.00%</div>');
    expect(html).toContain('<div class="label">Bars in market</div><div class="value">60 of 500</div>');
    expect(html).toContain('<div class="label">Days in market</div><div class="value">60 of 499</div>');
    expect(html).toContain('<div class="label">Average holding</div><div class="value">20.0 bars</div>');
    expect(html).toContain('Rolling Sharpe ratio (126-bar window, annualized)');
  });

  it('prints quantities at the lot precision and every trade, without a scroll box', () => {
    const many = Array.from({ length: 40 }, (_, k) => ({ ...results.trades[0]!, quantity: 1.84, entryTime: results.trades[0]!.entryTime + k }));
    const page = renderReportHtml({ ...results, trades: many, config: { ...results.config, backtesting: { ...results.config.backtesting, lot_size: 0.01 } } });
    expect(page).toContain('<td>1.84</td>');
    expect(page.match(/<td>1\.84<\/td>/g)).toHaveLength(40);
    expect(page).not.toContain('class="scroll"');
    expect(page).toContain('@media print');
    expect(page).toContain('thead { display: table-header-group; }');
    expect(renderReportHtml(results)).toContain('<td>10</td>'); // whole units at lot size 1
  });

  it('labels the fold table for people and keeps the signal-only column labelled', () => {
    expect(html).toContain('<th>test (out of sample)</th>');
    expect(html).toContain('<th>signal-only return*</th>');
    expect(html).toContain('<td>1.23%</td><td>1.50</td><td>-2.00%</td><td>40.00%</td><td>20.00%</td>');
    expect(html).toContain('<td>-0.40%</td><td>n/a</td>');
    expect(html).toContain('Signal-only return: what the threshold search optimizes, not a backtest');
  });

  it('has a legend on the monthly heatmap', () => {
    expect(html).toMatch(/or more<\/text>/);
    expect(html).toMatch(/or less<\/text>/);
  });

  it('escapes text', () => {
    expect(escapeHtml('<a href="x">&\'</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
    expect(html).toContain('<title>SMA crossover &lt;test&gt; &amp; &quot;quotes&quot;</title>');
  });

  it('counts rejected orders once per reason, a coalesced record by its count', () => {
    expect(rejectionsByReason(results)).toEqual({ portfolio_heat: 4, position_limit: 1 });
  });

  it('says so when nothing was rejected', () => {
    const page = renderReportHtml({ ...results, rejections: [] });
    expect(page).toContain('No order was rejected.');
    expect(page).not.toContain('data-chart="rejections"');
  });
});
