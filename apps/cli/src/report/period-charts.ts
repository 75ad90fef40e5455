import { COLORS, renderChartSvg } from './charts';
import { CHART_POINTS, downsamplePairs } from './downsample';
import type { YearlyReturn } from './monthly-returns';

/**
 * Calendar-year returns (%), the strategy's bars beside the benchmark's when there is one, each
 * bar labelled with its value.
 */
export function yearlyReturnsChart(
  strategy: readonly YearlyReturn[],
  benchmark: { readonly label: string; readonly years: readonly YearlyReturn[] } | undefined,
  width = 1000,
  height = 320,
): string {
  const years = [...new Set([...strategy, ...(benchmark?.years ?? [])].map((y) => y.year))].sort((a, b) => a - b);
  const valuesOf = (list: readonly YearlyReturn[]) => {
    const byYear = new Map(list.map((y) => [y.year, y.value]));
    return years.map((year) => {
      const v = byYear.get(year);
      return v === undefined || !Number.isFinite(v) ? null : Number((v * 100).toFixed(2));
    });
  };
  // Value labels while they fit above their bars (the table under the chart has every value).
  const fits = years.length * (benchmark === undefined ? 1 : 2) <= 24;
  const label = { show: fits, position: 'top' as const, fontSize: 10, formatter: (p: { value?: unknown }) => `${Number(p.value).toFixed(1)}` };
  return renderChartSvg(
    {
      legend: { top: 4, right: 30, data: benchmark === undefined ? ['strategy'] : ['strategy', benchmark.label] },
      grid: { left: 60, right: 30, top: 40, bottom: 36 },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      series: [
        { name: 'strategy', type: 'bar', data: valuesOf(strategy), color: COLORS.strategy, itemStyle: { color: COLORS.strategy }, label },
        ...(benchmark === undefined
          ? []
          : [{ name: benchmark.label, type: 'bar' as const, data: valuesOf(benchmark.years), color: COLORS.benchmark, itemStyle: { color: COLORS.benchmark }, label }]),
      ],
    },
    width,
    height,
  );
}

/** One rolling Sharpe line: its name, times and values (NaN where undefined). */
export interface RollingLine {
  readonly name: string;
  readonly time: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

/**
 * Rolling Sharpe ratio lines (downsampled, extremes kept) with a line at 0; the window is stated
 * in the section's title by the caller.
 */
export function rollingSharpeChart(strategy: RollingLine, benchmark: RollingLine | undefined, width = 1000, height = 300): string {
  const line = (l: RollingLine, color: string, dashed: boolean) => ({
    name: l.name,
    type: 'line' as const,
    data: downsamplePairs(l.time, l.values, { maxPoints: CHART_POINTS }).map(([t, v]) => [t, Number.isFinite(v) ? v : null]),
    showSymbol: false,
    color,
    lineStyle: { width: dashed ? 1.2 : 1.5, color, type: dashed ? ('dashed' as const) : ('solid' as const) },
  });
  return renderChartSvg(
    {
      legend: { top: 4, right: 30, data: benchmark === undefined ? [strategy.name] : [strategy.name, benchmark.name] },
      grid: { left: 60, right: 30, top: 36, bottom: 36 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', scale: true },
      series: [
        {
          ...line(strategy, COLORS.strategy, false),
          markLine: { symbol: 'none', silent: true, lineStyle: { color: '#1d2733', type: 'dashed' }, label: { show: false }, data: [{ yAxis: 0 }] },
        },
        ...(benchmark === undefined ? [] : [line(benchmark, COLORS.benchmark, true)]),
      ],
    },
    width,
    height,
  );
}
