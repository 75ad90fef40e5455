import { bench, describe } from 'vitest';
import { sampleResults } from '../../test/fixtures/sample-results';
import { equityCsv } from '../output/csv';
import { serializeResults } from '../output/results-file';
import { renderReportHtml } from './html';

/** A results object with `n` daily bars (the S&P 500 demo has about 3,000; the sample 5,105). */
function resultsWithBars(n: number) {
  const base = sampleResults();
  const DAY = 86_400_000;
  const t0 = Date.UTC(2000, 0, 3);
  const time = Array.from({ length: n }, (_, i) => t0 + i * DAY);
  const equity = time.map((_, i) => 10_000 * (1 + 0.0002 * i + 0.05 * Math.sin(i / 40)));
  let peak = 0;
  const drawdown = equity.map((e) => ((peak = Math.max(peak, e)), (peak - e) / peak));
  return { ...base, equityCurve: { time, equity, cash: equity, drawdown } };
}

const results5k = resultsWithBars(5_105);
const results50k = resultsWithBars(50_000);

describe('report output', () => {
  bench('renderReportHtml, 5,105 bars (4 SVG charts)', () => {
    renderReportHtml(results5k);
  });
  bench('renderReportHtml, 50,000 bars', () => {
    renderReportHtml(results50k);
  });
  bench('serializeResults + equityCsv, 5,105 bars', () => {
    serializeResults(results5k);
    equityCsv(results5k.equityCurve);
  });
});
