import { COLORS, pct, renderChartSvg } from './charts';

/** A portfolio or asset drawn on the risk-return plane (annual figures). */
export interface RiskReturnPoint {
  readonly label: string;
  readonly volatility: number;
  readonly expectedReturn: number;
}

/**
 * The efficient frontier (volatility on x, expected return on y) as a line through its portfolios,
 * the chosen portfolio marked with a diamond, and every single asset as a labelled dot.
 */
export function efficientFrontierChart(
  frontier: readonly RiskReturnPoint[],
  chosen: RiskReturnPoint,
  assets: readonly RiskReturnPoint[],
  width = 1000,
  height = 480,
): string {
  const axis = (name: string) => ({
    type: 'value' as const,
    name,
    nameLocation: 'middle' as const,
    nameGap: 38,
    scale: true,
    axisLabel: { formatter: (v: number) => pct(v, 0) },
  });
  return renderChartSvg(
    {
      legend: { top: 0 },
      grid: { left: 70, right: 40, top: 40, bottom: 55 },
      xAxis: axis('volatility (annual)'),
      yAxis: { ...axis('expected return (annual)'), nameGap: 50 },
      series: [
        {
          name: 'efficient frontier',
          type: 'line',
          data: frontier.map((p) => [p.volatility, p.expectedReturn]),
          symbolSize: 5,
          lineStyle: { color: COLORS.strategy, width: 2 },
          itemStyle: { color: COLORS.strategy },
        },
        {
          name: 'assets',
          type: 'scatter',
          data: assets.map((a) => ({ name: a.label, value: [a.volatility, a.expectedReturn] })),
          symbolSize: 9,
          itemStyle: { color: COLORS.benchmark },
          label: { show: true, position: 'right', formatter: '{b}' },
        },
        {
          name: `chosen: ${chosen.label}`,
          type: 'scatter',
          data: [{ name: chosen.label, value: [chosen.volatility, chosen.expectedReturn] }],
          symbol: 'diamond',
          symbolSize: 16,
          itemStyle: { color: COLORS.loss },
        },
      ],
    },
    width,
    height,
  );
}

/** Horizontal bars of each symbol's weight beside its share of the portfolio's risk. */
export function weightsChart(assets: readonly { readonly symbol: string; readonly weight: number; readonly riskShare: number }[], width = 1000): string {
  const height = Math.max(160, 70 + assets.length * 40);
  return renderChartSvg(
    {
      legend: { top: 0 },
      grid: { left: 110, right: 60, top: 30, bottom: 30 },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => pct(v, 0) } },
      yAxis: { type: 'category', data: assets.map((a) => a.symbol), inverse: true },
      series: [
        {
          name: 'weight',
          type: 'bar',
          data: assets.map((a) => a.weight),
          itemStyle: { color: COLORS.strategy },
          label: { show: true, position: 'right', formatter: (p: { value?: unknown }) => pct(Number(p.value)) },
        },
        {
          name: 'share of risk',
          type: 'bar',
          data: assets.map((a) => a.riskShare),
          itemStyle: { color: COLORS.benchmark },
          label: { show: true, position: 'right', formatter: (p: { value?: unknown }) => pct(Number(p.value)) },
        },
      ],
    },
    width,
    height,
  );
}
