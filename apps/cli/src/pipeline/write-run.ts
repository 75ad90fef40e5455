import { silentLogger, type Logger } from '@algo-trading/core';
import { writeOutputFolder } from '../output/atomic-write';
import { equityCsvChunks, fillsCsvChunks, tradesCsvChunks } from '../output/csv';
import { resultsJsonChunks, type RunResults } from '../output/results-file';

/** The files every run writes to its `--out` folder, in the order they are written. */
export const RUN_OUTPUT_FILES = ['results.json', 'trades.csv', 'fills.csv', 'equity.csv', 'report.html'] as const;

/** Options of {@link writeRunOutputs}. */
export interface WriteRunOutputsOptions {
  /** Write report.html (default true; `--no-report` for very long runs). */
  readonly report?: boolean | undefined;
  /** Logs `writing the outputs to <dir>` before (the marker a supervisor can wait for) and `outputs written` after. */
  readonly logger?: Logger | undefined;
}

/**
 * Writes every output of a run into a temporary folder next to `dir`, streaming the large ones
 * (no file is built as one string), checking for an interrupt between files, then swaps the
 * folder into place: a failed or interrupted run leaves the earlier outputs (or nothing), never a
 * mixed set.
 *
 * @returns the paths written.
 */
export async function writeRunOutputs(dir: string, results: RunResults, options: WriteRunOutputsOptions = {}): Promise<string[]> {
  const report = options.report ?? true;
  const logger = options.logger ?? silentLogger;
  const names = report ? RUN_OUTPUT_FILES : RUN_OUTPUT_FILES.filter((name) => name !== 'report.html');
  logger.info({ out: dir }, `writing the outputs to ${dir}`);
  const files = await writeOutputFolder(dir, names, async (out) => {
    await out.stream('results.json', resultsJsonChunks(results));
    await out.stream('trades.csv', tradesCsvChunks(results.trades));
    await out.stream('fills.csv', fillsCsvChunks(results.fills));
    const curve = results.benchmark === undefined ? results.equityCurve : { ...results.equityCurve, benchmark: results.benchmark.equity };
    await out.stream('equity.csv', equityCsvChunks(curve));
    if (!report) return;
    // The report renderer (ECharts, some 600 modules) loads only when a report is written.
    const { renderReportHtml } = await import('../report/html');
    await out.file('report.html', renderReportHtml(results));
  });
  logger.info({ out: dir, files: files.length }, 'outputs written');
  return files;
}
