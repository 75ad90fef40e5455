import { OutputSet } from '../output/atomic-write';
import { equityCsv, fillsCsv, tradesCsv } from '../output/csv';
import { serializeResults, type RunResults } from '../output/results-file';
import { renderReportHtml } from '../report/html';

/** The files every run writes to its `--out` folder, in the order they are committed. */
export const RUN_OUTPUT_FILES = ['results.json', 'trades.csv', 'fills.csv', 'equity.csv', 'report.html'] as const;

/**
 * Renders every output of a run in memory, then writes them together into `dir` (temporary
 * files renamed into place only when all were written: a failed or interrupted run leaves no
 * partial file).
 *
 * @returns the paths written.
 */
export function writeRunOutputs(dir: string, results: RunResults): string[] {
  const out = new OutputSet(dir);
  out.add('results.json', serializeResults(results));
  out.add('trades.csv', tradesCsv(results.trades));
  out.add('fills.csv', fillsCsv(results.fills));
  out.add('equity.csv', equityCsv(results.equityCurve));
  out.add('report.html', renderReportHtml(results));
  return out.commit();
}
