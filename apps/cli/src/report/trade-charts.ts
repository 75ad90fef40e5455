import type { Fill, Trade } from '@algo-trading/core';
import { COLORS, histogram, renderChartSvg } from './charts';
import { CHART_POINTS, downsamplePairs } from './downsample';

/** Most fills drawn as markers on the price chart; a longer run shows the first ones and says so. */
export const MAX_MARKERS = 3_000;

/** The price series of the price chart: closes at the strategy's bar times. */
export interface PriceSeries {
  readonly symbol: string;
  readonly time: ArrayLike<number>;
  readonly close: ArrayLike<number>;
}

/**
 * The closes (downsampled, extremes kept) with a marker at every entry fill (green triangle up
 * for a buy, down for a sell short) and exit fill (red triangle the other way), at the fill's time
 * and price (slippage included). At most {@link MAX_MARKERS} fills are drawn, the first ones.
 */
export function priceChart(prices: PriceSeries, fills: readonly Fill[], width = 1000, height = 380): string {
  const n = Math.min(prices.time.length, prices.close.length);
  const line = downsamplePairs(
    n === prices.time.length ? prices.time : Array.from({ length: n }, (_, i) => prices.time[i]!),
    n === prices.close.length ? prices.close : Array.from({ length: n }, (_, i) => prices.close[i]!),
    { maxPoints: CHART_POINTS },
  );
  const shown = fills.slice(0, MAX_MARKERS);
  const marker = (f: Fill) => ({ value: [f.time, f.price], symbolRotate: f.side === 'buy' ? 0 : 180 });
  const entries = shown.filter((f) => f.effect === 'open').map(marker);
  const exits = shown.filter((f) => f.effect !== 'open').map(marker);
  return renderChartSvg(
    {
      legend: { top: 4, right: 30, data: [prices.symbol, 'entry', 'exit'] },
      grid: { left: 80, right: 30, top: 36, bottom: 36 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', scale: true, axisLabel: { formatter: (v: number) => v.toLocaleString('en-US') } },
      series: [
        { name: prices.symbol, type: 'line', data: line, showSymbol: false, color: '#4d4d4d', lineStyle: { width: 1, color: '#4d4d4d' } },
        { name: 'entry', type: 'scatter', data: entries, symbol: 'triangle', symbolSize: 9, color: COLORS.gain, itemStyle: { color: COLORS.gain } },
        { name: 'exit', type: 'scatter', data: exits, symbol: 'triangle', symbolSize: 9, color: COLORS.loss, itemStyle: { color: COLORS.loss } },
      ],
    },
    width,
    height,
  );
}

/**
 * Histogram of values (trade P&L in money, or R multiples) with a line at 0: bars left of it
 * in the loss colour, right of it in the gain colour.
 */
export function tradeHistogramChart(values: readonly number[], options: { xName: string; digits: number }, width = 490, height = 300): string {
  const bins = histogram(values);
  const data = bins.map(([lo, hi, count]) => ({
    value: [(lo + hi) / 2, count],
    itemStyle: { color: (lo + hi) / 2 < 0 ? COLORS.loss : COLORS.gain },
  }));
  return renderChartSvg(
    {
      grid: { left: 50, right: 20, top: 20, bottom: 48 },
      xAxis: {
        type: 'value',
        scale: true,
        name: options.xName,
        nameLocation: 'middle',
        nameGap: 28,
        axisLabel: { formatter: (v: number) => v.toFixed(options.digits) },
      },
      yAxis: { type: 'value', name: 'trades', minInterval: 1 },
      series: [
        {
          name: options.xName,
          type: 'bar',
          barWidth: Math.max(2, Math.floor((width - 90) / Math.max(1, bins.length)) - 2),
          data,
          markLine: { symbol: 'none', silent: true, lineStyle: { color: '#1d2733', type: 'dashed' }, label: { show: false }, data: [{ xAxis: 0 }] },
        },
      ],
    },
    width,
    height,
  );
}

/** The P&L (net, money) and R multiples (of trades with a stop) of closed trades. */
export function tradeDistributions(trades: readonly Trade[]): { pnl: number[]; rMultiples: number[] } {
  return {
    pnl: trades.map((t) => t.pnl),
    rMultiples: trades.flatMap((t) => (t.rMultiple === null ? [] : [t.rMultiple])),
  };
}
