import type { SymbolColumns } from '../output/csv';
import { COLORS, renderChartSvg } from './charts';
import { CHART_POINTS, downsampleIndices } from './downsample';

/** Colours of the symbols' areas, in order (repeated after ten symbols); cash is grey. */
const PALETTE = ['#2c7fb8', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#4e79a7'];

/**
 * The time slices the weights chart draws: the union of each symbol's LTTB selection (extremes
 * kept) with `maxPoints / symbols` points each, so every symbol keeps its shape and the stacked
 * areas share one time axis; all slices when there are at most `maxPoints`.
 */
export function weightChartIndices(weights: SymbolColumns, maxPoints = CHART_POINTS): Int32Array {
  const n = weights.time.length;
  if (n <= maxPoints) return Int32Array.from({ length: n }, (_, i) => i);
  const each = Math.max(8, Math.floor(maxPoints / Math.max(1, weights.symbols.length)));
  const keep = new Uint8Array(n);
  for (const symbol of weights.symbols) {
    for (const i of downsampleIndices(weights.time, weights.values[symbol]!, { maxPoints: each })) keep[i] = 1;
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i] === 1) out.push(i);
  return Int32Array.from(out);
}

/**
 * The weights over time as stacked areas, one per symbol (market value / portfolio equity at each
 * slice's close), with the cash left (1 - the sum of the weights) on top, in percent. Long series
 * are downsampled ({@link weightChartIndices}).
 */
export function weightsChart(weights: SymbolColumns, width = 1000, height = 380): string {
  const indices = weightChartIndices(weights);
  const { time, symbols, values } = weights;
  const cash = Array.from(indices, (i) => {
    let invested = 0;
    for (const s of symbols) invested += values[s]![i]!;
    return [time[i]!, (1 - invested) * 100] as [number, number];
  });
  const area = (name: string, data: [number, number][], color: string) => ({
    name,
    type: 'line' as const,
    stack: 'weights',
    data,
    showSymbol: false,
    color,
    lineStyle: { width: 0.6, color },
    areaStyle: { color, opacity: 0.75 },
  });
  return renderChartSvg(
    {
      legend: { top: 0, type: 'plain', data: [...symbols, 'cash'] },
      grid: { left: 60, right: 30, top: 50, bottom: 36 },
      xAxis: { type: 'time' },
      // 0-100% unless leverage or shorts go beyond.
      yAxis: { type: 'value', min: (v: { min: number }) => Math.min(0, v.min), max: (v: { max: number }) => Math.max(100, v.max), axisLabel: { formatter: '{value}%' } },
      series: [
        ...symbols.map((s, k) => area(s, Array.from(indices, (i) => [time[i]!, values[s]![i]! * 100] as [number, number]), PALETTE[k % PALETTE.length]!)),
        area('cash', cash, COLORS.benchmark),
      ],
    },
    width,
    height,
  );
}
