import { createRequire } from 'node:module';
import type * as EChartsModule from 'echarts';
import type { EquityCurveData } from '../output/csv';
import { CHART_POINTS, downsamplePairs, extremeIndices } from './downsample';
import type { MonthlyReturn } from './monthly-returns';

/**
 * The report's charts, rendered server-side by ECharts to static SVG strings (no script, no
 * network access needed to view them).
 */

const FONT = '-apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';

/** The report's palette: gains, losses, the strategy, the benchmark. */
export const COLORS = Object.freeze({ gain: '#1a9850', loss: '#d73027', strategy: '#2c7fb8', benchmark: '#737373' });
const GREEN = COLORS.gain;
const RED = COLORS.loss;
const BLUE = COLORS.strategy;
const GREY = COLORS.benchmark;

type ECharts = typeof EChartsModule;
// The same ECharts release as `import 'echarts'`, from its one-file CommonJS build: importing the
// ES module entry makes Node resolve, link and evaluate some 600 files, about three times the CPU
// time of requiring the one file (1.3 s against 0.4 s, 5 fresh processes each on a loaded 2-core
// machine), and that load is the largest part of writing a report. Loaded on the first chart.
let echartsModule: ECharts | undefined;
/** ECharts, required on the first call (the report thread calls it ahead, while the run computes). */
export function echarts(): ECharts {
  echartsModule ??= createRequire(import.meta.url)('echarts') as ECharts;
  return echartsModule;
}

/** Renders an ECharts option to an SVG string at a fixed size. */
export function renderChartSvg(option: EChartsModule.EChartsOption, width: number, height: number): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The first `m` values (the array itself when it has exactly `m`). */
export function head(values: ArrayLike<number>, m: number): ArrayLike<number> {
  return values.length === m ? values : Array.from({ length: m }, (_, i) => values[i]!);
}

export function pct(value: number, digits = 1): string {
  return `${(value * 100).toFixed(digits)}%`;
}

/** A benchmark equity curve to overlay, aligned with the strategy's bars. */
export interface BenchmarkOverlay {
  readonly label: string;
  readonly equity: ArrayLike<number>;
}

/**
 * Equity curve on top (with the benchmark's equity overlaid, when given), drawdown (negative
 * percent) underneath, sharing the time axis.
 */
export function equityDrawdownChart(curve: EquityCurveData, benchmark?: BenchmarkOverlay, width = 1000, height = 520): string {
  const n = curve.time.length;
  const drawdownPct = new Float64Array(n);
  for (let i = 0; i < n; i++) drawdownPct[i] = -Math.abs(curve.drawdown[i]!) * 100;
  // The deepest drawdown's bar stays in the equity line too, so the trough shows in both panels.
  const trough = extremeIndices(drawdownPct).min;
  const keep = trough >= 0 ? [trough] : [];
  const equity = downsamplePairs(curve.time, curve.equity, { maxPoints: CHART_POINTS, keep });
  const drawdown = downsamplePairs(curve.time, drawdownPct, { maxPoints: CHART_POINTS });
  const m = benchmark === undefined ? 0 : Math.min(n, benchmark.equity.length);
  const overlay = m === 0 ? [] : downsamplePairs(head(curve.time, m), head(benchmark!.equity, m), { maxPoints: CHART_POINTS });
  return renderChartSvg(
    {
      legend: benchmark === undefined ? { show: false } : { top: 4, right: 30, data: ['strategy', benchmark.label] },
      title: [
        { text: 'Equity', left: 10, top: 4, textStyle: { fontSize: 14 } },
        { text: 'Drawdown', left: 10, top: '70%', textStyle: { fontSize: 14 } },
      ],
      grid: [
        { left: 80, right: 30, top: 36, height: '56%' },
        { left: 80, right: 30, top: '76%', bottom: 36 },
      ],
      xAxis: [
        { type: 'time', gridIndex: 0, axisLabel: { show: false } },
        { type: 'time', gridIndex: 1 },
      ],
      yAxis: [
        { type: 'value', gridIndex: 0, scale: true, name: '', axisLabel: { formatter: (v: number) => v.toLocaleString('en-US') } },
        { type: 'value', gridIndex: 1, max: 0, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        {
          name: 'strategy',
          type: 'line',
          xAxisIndex: 0,
          yAxisIndex: 0,
          data: equity,
          showSymbol: false,
          color: BLUE,
          lineStyle: { width: 1.5, color: BLUE },
        },
        ...(benchmark === undefined
          ? []
          : [
              {
                name: benchmark.label,
                type: 'line' as const,
                xAxisIndex: 0,
                yAxisIndex: 0,
                data: overlay,
                showSymbol: false,
                color: GREY,
                lineStyle: { width: 1.2, color: GREY, type: 'dashed' as const },
              },
            ]),
        {
          name: 'drawdown',
          type: 'line',
          xAxisIndex: 1,
          yAxisIndex: 1,
          data: drawdown,
          showSymbol: false,
          lineStyle: { width: 1, color: RED },
          areaStyle: { color: RED, opacity: 0.25 },
        },
      ],
    },
    width,
    height,
  );
}

/** Colours of overlaid runs, told apart in print and by most colour-blind readers; the strategy's blue first. */
export const SERIES_PALETTE = ['#2c7fb8', '#d95f02', '#1b9e77', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666', '#17becf'] as const;

/** One run's curve in {@link equityOverlayChart}. */
export interface OverlayCurve {
  readonly label: string;
  /** Bar times, epoch ms. */
  readonly time: ArrayLike<number>;
  readonly equity: ArrayLike<number>;
  /** Drawdown from the peak as a positive fraction; computed from `equity` (its running maximum) when absent. */
  readonly drawdown?: ArrayLike<number> | undefined;
}

/** Drawdown from the running peak of `equity`, a positive fraction. */
function drawdownOf(equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = -Infinity;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    out[i] = peak > 0 ? (peak - e) / peak : 0;
  }
  return out;
}

/**
 * The equity curves of several runs overlaid on one time axis (top), their drawdowns overlaid
 * underneath, one colour per run ({@link SERIES_PALETTE}, repeated past ten runs). Each curve is
 * downsampled as the report's equity chart is (at most {@link CHART_POINTS} points, its extremes
 * and its deepest drawdown kept). With `indexed`, each equity curve is divided by its first value
 * and shown from 100, for runs that started with different capital.
 */
export function equityOverlayChart(curves: readonly OverlayCurve[], options: { readonly indexed: boolean }, width = 1000, height = 560): string {
  const equitySeries: object[] = [];
  const drawdownSeries: object[] = [];
  curves.forEach((curve, k) => {
    const color = SERIES_PALETTE[k % SERIES_PALETTE.length]!;
    const n = Math.min(curve.time.length, curve.equity.length);
    const time = head(curve.time, n);
    const first = curve.equity[0]!;
    const equity = options.indexed && first !== 0 ? Float64Array.from(head(curve.equity, n), (e) => (e / first) * 100) : head(curve.equity, n);
    const drawdown = curve.drawdown !== undefined && curve.drawdown.length >= n && Number.isFinite(curve.drawdown[0]!) ? head(curve.drawdown, n) : drawdownOf(head(curve.equity, n));
    const drawdownPct = Float64Array.from(drawdown, (d) => -Math.abs(d) * 100);
    const trough = extremeIndices(drawdownPct).min;
    equitySeries.push({
      name: curve.label,
      type: 'line',
      xAxisIndex: 0,
      yAxisIndex: 0,
      data: downsamplePairs(time, equity, { maxPoints: CHART_POINTS, keep: trough >= 0 ? [trough] : [] }),
      showSymbol: false,
      color,
      lineStyle: { width: 1.4, color },
    });
    drawdownSeries.push({
      name: curve.label,
      type: 'line',
      xAxisIndex: 1,
      yAxisIndex: 1,
      data: downsamplePairs(time, drawdownPct, { maxPoints: CHART_POINTS }),
      showSymbol: false,
      color,
      lineStyle: { width: 1, color },
    });
  });
  return renderChartSvg(
    {
      legend: { top: 4, right: 30, left: 140, type: 'plain', data: curves.map((c) => c.label) },
      title: [
        { text: options.indexed ? 'Equity (first bar = 100)' : 'Equity', left: 10, top: 4, textStyle: { fontSize: 14 } },
        { text: 'Drawdown', left: 10, top: '70%', textStyle: { fontSize: 14 } },
      ],
      grid: [
        { left: 80, right: 30, top: 30 + 22 * Math.ceil(curves.length / 3), height: '50%' },
        { left: 80, right: 30, top: '76%', bottom: 36 },
      ],
      xAxis: [
        { type: 'time', gridIndex: 0, axisLabel: { show: false } },
        { type: 'time', gridIndex: 1 },
      ],
      yAxis: [
        { type: 'value', gridIndex: 0, scale: true, axisLabel: { formatter: (v: number) => v.toLocaleString('en-US') } },
        { type: 'value', gridIndex: 1, max: 0, axisLabel: { formatter: '{value}%' } },
      ],
      series: [...equitySeries, ...drawdownSeries] as EChartsModule.SeriesOption[],
    },
    width,
    height,
  );
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Text colour that stays readable on a heatmap cell: white on the dark ends of the scale. */
function cellTextColor(value: number, extent: number): string {
  return Math.abs(value) > 0.6 * extent ? '#ffffff' : '#1d2733';
}

/**
 * Heatmap of monthly returns (%): months across, years down, red for losses and green for gains,
 * each cell labelled with its return. The colour scale spans +-the 95th percentile of the absolute
 * monthly returns (at least 1%), so one crash month does not wash out every other cell; months
 * beyond it take the end colours. The legend under the grid shows the scale.
 */
export function monthlyReturnsHeatmap(months: readonly MonthlyReturn[], width = 1000): string {
  const years = [...new Set(months.map((m) => m.year))].sort((a, b) => a - b);
  const height = Math.max(190, 100 + years.length * 26);
  const magnitudes = months
    .map((m) => Math.abs(m.value) * 100)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const p95 = magnitudes.length === 0 ? 1 : magnitudes[Math.min(magnitudes.length - 1, Math.floor(0.95 * magnitudes.length))]!;
  const extent = Math.max(1, Number(p95.toFixed(1)));
  const showLabels = years.length <= 40;
  const data = months.map((m) => {
    const value = Number((m.value * 100).toFixed(1));
    return { value: [m.month, years.indexOf(m.year), value], label: { color: cellTextColor(value, extent) } };
  });
  return renderChartSvg(
    {
      grid: { left: 60, right: 20, top: 10, bottom: 78 },
      xAxis: { type: 'category', data: MONTHS, splitArea: { show: true }, axisLabel: { fontSize: 12 } },
      yAxis: { type: 'category', data: years.map(String), inverse: true, splitArea: { show: true }, axisLabel: { fontSize: 12 } },
      visualMap: {
        type: 'continuous',
        min: -extent,
        max: extent,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 4,
        itemWidth: 14,
        itemHeight: 320,
        text: [`+${extent}% or more`, `-${extent}% or less`],
        textGap: 12,
        textStyle: { fontSize: 12 },
        inRange: { color: [RED, '#f7f7f7', GREEN] },
      },
      series: [
        {
          name: 'monthly return',
          type: 'heatmap',
          data,
          itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
          label: { show: showLabels, fontSize: 11, formatter: (p: { value?: unknown }) => (p.value as number[])[2]!.toFixed(1) },
        },
      ],
    },
    width,
    height,
  );
}

/** Histogram bins over the finite values: `[lower, upper, count]`. */
export function histogram(values: ArrayLike<number>, binCount?: number): [number, number, number][] {
  let min = Infinity;
  let max = -Infinity;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return [];
  const bins = binCount ?? Math.min(60, Math.max(10, Math.ceil(Math.sqrt(n))));
  // A span so small that span / bins underflows to 0 (subnormal returns) still gets finite bins.
  const span = max - min;
  const width = span / bins > 0 ? span / bins : span > 0 ? span : 1;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor((v - min) / width)));
    counts[b]!++;
  }
  return counts.map((count, b) => [min + b * width, min + (b + 1) * width, count]);
}

/** Distribution of the period returns with the VaR (and CVaR) marked as vertical lines. */
export function returnsHistogramChart(
  returns: ArrayLike<number>,
  valueAtRisk: number,
  conditionalValueAtRisk: number,
  width = 1000,
  height = 320,
): string {
  const bins = histogram(returns);
  const lines: { name: string; xAxis: number; lineStyle: { color: string; type: 'solid' | 'dashed' }; label: object }[] = [];
  if (Number.isFinite(valueAtRisk)) {
    lines.push({
      name: 'VaR',
      xAxis: valueAtRisk * 100,
      lineStyle: { color: RED, type: 'solid' },
      label: { formatter: `VaR 95% ${pct(valueAtRisk, 2)}`, position: 'insideEndTop' },
    });
  }
  if (Number.isFinite(conditionalValueAtRisk)) {
    lines.push({
      name: 'CVaR',
      xAxis: conditionalValueAtRisk * 100,
      lineStyle: { color: '#7b3294', type: 'dashed' },
      label: { formatter: `CVaR ${pct(conditionalValueAtRisk, 2)}`, position: 'insideStartTop' },
    });
  }
  return renderChartSvg(
    {
      grid: { left: 60, right: 30, top: 30, bottom: 40 },
      xAxis: { type: 'value', scale: true, axisLabel: { formatter: '{value}%' }, name: 'return', nameLocation: 'middle', nameGap: 26 },
      yAxis: { type: 'value', name: 'periods' },
      series: [
        {
          name: 'returns',
          type: 'bar',
          barWidth: Math.max(2, Math.floor((width - 120) / Math.max(1, bins.length)) - 2),
          data: bins.map(([lo, hi, count]) => [((lo + hi) / 2) * 100, count]),
          itemStyle: { color: BLUE },
          markLine: { symbol: 'none', silent: true, data: lines },
        },
      ],
    },
    width,
    height,
  );
}

/** Horizontal bars: how many orders were rejected for each reason. */
export function rejectionsChart(byReason: Readonly<Record<string, number>>, width = 1000): string {
  const entries = Object.entries(byReason).sort((a, b) => b[1] - a[1]);
  const height = Math.max(140, 60 + entries.length * 28);
  return renderChartSvg(
    {
      grid: { left: 170, right: 40, top: 10, bottom: 30 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: entries.map(([reason]) => reason), inverse: true },
      series: [
        {
          name: 'rejections',
          type: 'bar',
          data: entries.map(([, count]) => count),
          itemStyle: { color: '#fc8d59' },
          label: { show: true, position: 'right' },
        },
      ],
    },
    width,
    height,
  );
}
