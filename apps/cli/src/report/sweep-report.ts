import { heatmap, objectiveValue, rankRows, type Heatmap, type SweepResult, type SweepRow } from '@algo-trading/sweep';
import { stringify } from 'yaml';
import { renderChartSvg } from './charts';
import { escapeHtml, formatReportNumber, htmlTable, renderReportPage } from './html';

/** Options of {@link renderSweepReportHtml}. */
export interface SweepReportOptions {
  /** Rows in the top table. Default 20. */
  readonly top?: number | undefined;
  /** The spec as run (shown at the end). */
  readonly spec?: unknown;
  /** The command line after `algo-trading`. */
  readonly argv?: readonly string[] | undefined;
}

const RED = '#d73027';
const GREEN = '#1a9850';

function num(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined ? '' : formatReportNumber(value, digits);
}

function card(label: string, value: string): string {
  return `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`;
}

function params(row: SweepRow): string {
  return escapeHtml(
    Object.entries(row.params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', '),
  );
}

/**
 * The heatmap of the objective over two parameters, with a colour legend (a continuous
 * visual map from the lowest to the highest value, labelled) and the values in the cells.
 */
export function sweepHeatmapChart(map: Heatmap, width = 1000): string {
  const values = map.cells.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  let min = values.length === 0 ? 0 : Math.min(...values);
  let max = values.length === 0 ? 1 : Math.max(...values);
  // Values on both sides of 0: a scale symmetric around 0, so that white means 0.
  if (min < 0 && max > 0) {
    max = Math.max(-min, max);
    min = -max;
  }
  const data: [number, number, number | '-'][] = [];
  map.cells.forEach((row, j) => row.forEach((v, i) => data.push([i, j, v === null || !Number.isFinite(v) ? '-' : Number(v.toFixed(4))])));
  const height = Math.max(260, 90 + map.yValues.length * 26);
  const showLabels = map.xValues.length * map.yValues.length <= 400;
  return renderChartSvg(
    {
      grid: { left: 80, right: 120, top: 20, bottom: 60 },
      xAxis: { type: 'category', name: map.x, nameLocation: 'middle', nameGap: 32, data: map.xValues.map(String), splitArea: { show: true } },
      yAxis: { type: 'category', name: map.y, nameLocation: 'middle', nameGap: 52, data: map.yValues.map(String), splitArea: { show: true } },
      visualMap: {
        min,
        max: max === min ? min + 1e-9 : max,
        calculable: false,
        orient: 'vertical',
        right: 10,
        top: 'center',
        text: [`${max.toFixed(3)} (high)`, `${min.toFixed(3)} (low)`],
        inRange: { color: [RED, '#f7f7f7', GREEN] },
        formatter: (v: unknown) => Number(v).toFixed(3),
      },
      series: [
        {
          name: map.metric,
          type: 'heatmap',
          data,
          label: { show: showLabels, fontSize: 9, formatter: (p: { value?: unknown }) => String((p.value as unknown[])[2]) },
        },
      ],
    },
    width,
    height,
  );
}

function rowTable(rows: readonly SweepRow[], result: SweepResult, withFold = false): string {
  const metric = result.objective.metric;
  const extra = ['sharpeRatio', 'totalReturn', 'maxDrawdown', 'winRate'].filter((m) => m !== metric && result.metricNames.includes(m));
  const header = [...(withFold ? ['fold'] : []), 'rank', ...result.parameterNames, metric, ...extra, 'trades'];
  const body = rows.map((r, i) => [
    ...(withFold ? [String(r.fold ?? '')] : []),
    String(i + 1),
    ...result.parameterNames.map((p) => escapeHtml(String(r.params[p] ?? ''))),
    num(objectiveValue(r, result.objective)),
    ...extra.map((m) => num(r.metrics?.[m])),
    String(r.tradeCount ?? ''),
  ]);
  return htmlTable(header, body);
}

function neighbourhoodSection(result: SweepResult): string {
  const n = result.summary.neighbourhood;
  const best = result.summary.best;
  if (n === null || best === null) return '';
  const rows: string[][] = [
    ['best combination', params(best)],
    [`best ${escapeHtml(result.objective.metric)}`, num(n.best)],
    ['neighbours (one grid step away in any direction)', `${n.neighbours} (${n.evaluated} with a value)`],
    ['neighbours: mean / min / max', `${num(n.mean)} / ${num(n.min)} / ${num(n.max)}`],
    ['mean / best, min / best', `${num(n.meanRatio, 3)}, ${num(n.minRatio, 3)}`],
  ];
  return `<section id="stability"><h2>Neighbourhood stability of the best cell</h2>
${htmlTable(['item', 'value'], rows, 'kv')}
<p class="note">A best cell far above its neighbours is more likely luck than an edge: a robust choice sits on a plateau (mean / best close to 1).</p>
</section>`;
}

function foldsSection(result: SweepResult): string {
  if (result.folds === null) return '';
  const metric = result.objective.metric;
  const rows = result.folds.map((f) => [
    String(f.fold),
    escapeHtml(`${f.trainPeriod[0].slice(0, 10)} .. ${f.trainPeriod[1].slice(0, 10)}`),
    escapeHtml(`${f.testPeriod[0].slice(0, 10)} .. ${f.testPeriod[1].slice(0, 10)}`),
    f.best === null ? 'none eligible' : params(f.best),
    f.best === null ? '' : num(objectiveValue(f.best, result.objective)),
    f.test === null ? '' : num(objectiveValue(f.test, result.objective)),
    f.test === null ? '' : num(f.test.metrics?.['totalReturn']),
    f.test === null ? '' : String(f.test.tradeCount ?? ''),
  ]);
  const oos = result.summary.outOfSample;
  const perFold = result.folds
    .map((f) => {
      const top = rankRows(
        result.rows.filter((r) => r.fold === f.fold),
        result.objective,
      ).slice(0, 5);
      return `<h3>Fold ${f.fold}: best train combinations</h3>${rowTable(top, result)}`;
    })
    .join('\n');
  return `<section id="folds"><h2>Walk-forward folds</h2>
<p class="note">Each fold picks the best combination by ${escapeHtml(metric)} on its train window only, then runs it on the test window that follows (after the embargo).</p>
${htmlTable(['fold', 'train', 'test', 'chosen on train', `train ${metric}`, `test ${metric}`, 'test return', 'test trades'], rows)}
${oos === null ? '' : `<p>Out of sample: mean ${escapeHtml(metric)} ${num(oos.meanObjective)}, median ${num(oos.medianObjective)} over ${oos.tested} of ${oos.folds} folds; train mean ${num(oos.meanTrainObjective)}; efficiency ${num(oos.efficiency, 3)}.</p>`}
${perFold}
</section>`;
}

/**
 * The self-contained HTML report of a sweep: headline figures, the objective's heatmap over two
 * parameters (with its legend), the neighbourhood stability of the best cell, the deflated Sharpe
 * ratio over the whole sweep, the top combinations, the walk-forward folds, the failed
 * combinations and the spec. Static SVG, no script, nothing loaded from the network.
 */
export function renderSweepReportHtml(result: SweepResult, options: SweepReportOptions = {}): string {
  const top = options.top ?? 20;
  const s = result.summary;
  const metric = result.objective.metric;
  const title = `Sweep: ${result.name ?? result.strategy.name}`;
  const cards = [
    card('combinations', String(result.combinations)),
    card('rows run', `${result.rows.length}${result.complete ? '' : ' (stopped)'}`),
    card('errors', String(s.errors)),
    ...(s.best === null ? [] : [card(`best ${metric}`, num(objectiveValue(s.best, result.objective), 3))]),
    ...(result.folds === null ? [card('deflated Sharpe ratio', num(s.deflatedSharpe, 3))] : []),
    ...(s.neighbourhood === null ? [] : [card('neighbours mean / best', num(s.neighbourhood.meanRatio, 3))]),
    ...(s.outOfSample === null ? [] : [card(`out-of-sample ${metric}`, num(s.outOfSample.meanObjective, 3))]),
    card('run time', `${(result.stats.elapsedMs / 1000).toFixed(1)} s`),
    card('workers', String(result.stats.workers.length)),
  ].join('\n');

  const map = result.folds === null ? heatmap(result.rows, result.objective) : null;
  const heatmapSection =
    map === null
      ? ''
      : `<section id="heatmap"><h2>${escapeHtml(metric)} by ${escapeHtml(map.x)} and ${escapeHtml(map.y)}</h2>
<div class="chart" data-chart="sweep-heatmap">${sweepHeatmapChart(map)}</div>
${map.aggregated ? `<p class="note">Other parameters vary too: each cell shows the best ${escapeHtml(metric)} over them.</p>` : ''}
<p class="note">Empty cells: combinations left out by the constraints, or that failed.</p>
</section>`;

  const dsr =
    result.folds === null
      ? `<section id="deflated-sharpe"><h2>Deflated Sharpe ratio</h2>
${htmlTable(
  ['item', 'value'],
  [
    ['trials (the sweep size)', String(s.trials)],
    ['variance of the Sharpe ratios over the trials', num(s.sharpeVariance)],
    ['Sharpe ratio of the best', num(s.best?.metrics?.['sharpeRatio'])],
    ['deflated Sharpe ratio', num(s.deflatedSharpe)],
  ],
  'kv',
)}
<p class="note">The probability that the best combination's true Sharpe ratio is above what the best of ${s.trials} unskilled variants would reach by luck (Bailey and Lopez de Prado). Below 0.95 the result is not significant at 5% once the search is accounted for.</p>
</section>`
      : '';

  const ranked = rankRows(result.rows, result.objective).slice(0, top);
  const errors = result.rows.filter((r) => r.error !== null);
  const errorRows = errors.slice(0, 50).map((r) => [String(r.index), params(r), escapeHtml(`${r.error!.code}: ${r.error!.message}`)]);

  return renderReportPage({
    title,
    subtitle: `${escapeHtml(result.strategy.specifier)} &middot; ${escapeHtml(result.data.symbol ?? result.data.source)} &middot; ${escapeHtml(result.data.start.slice(0, 10))} to ${escapeHtml(result.data.end.slice(0, 10))} (${result.data.length} bars) &middot; objective ${escapeHtml(metric)} (${escapeHtml(result.objective.direction)})`,
    body: `<section id="headline"><h2>Summary</h2><div class="cards">
${cards}
</div></section>
${heatmapSection}
${neighbourhoodSection(result)}
${dsr}
${
  result.folds === null
    ? `<section id="top"><h2>Top ${ranked.length} combinations by ${escapeHtml(metric)}</h2><div class="scroll">${rowTable(ranked, result)}</div>
<p class="note">Every combination, with every metric, is in sweep.csv and sweep.json.</p></section>`
    : ''
}
${foldsSection(result)}
${
  errors.length === 0
    ? ''
    : `<section id="errors"><h2>Failed combinations (${errors.length})</h2>${errors.length > 50 ? '<p class="note">The first 50; every one is in sweep.csv.</p>' : ''}
${htmlTable(['index', 'parameters', 'error'], errorRows)}</section>`
}
<section id="identity"><h2>Identity</h2>
${htmlTable(
  ['item', 'value'],
  [
    ['spec hash (sha256)', `<code>${escapeHtml(result.specHash)}</code>`],
    ['data hash (sha256)', `<code>${escapeHtml(result.data.hash)}</code>`],
    ['data source', escapeHtml(result.data.source)],
    ['mode', escapeHtml(result.stats.mode + (result.stats.threads === null ? '' : `, ${result.stats.threads} thread(s)`))],
    ...(options.argv === undefined ? [] : [['command', `<code>algo-trading ${escapeHtml(options.argv.join(' '))}</code>`]]),
  ],
  'kv',
)}
${options.spec === undefined ? '' : `<h2 style="margin-top:16px">Spec</h2><pre>${escapeHtml(stringify(options.spec))}</pre>`}
</section>`,
  });
}
