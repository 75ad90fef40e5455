import { silentLogger, type Logger } from '@algo-trading/core';
import { writeOutputFolder } from '../output/atomic-write';
import { equityCsvChunks, fillsCsvChunks, symbolColumnsCsvChunks, tradesCsvChunks } from '../output/csv';
import { resultsJsonChunks, type RunResults } from '../output/results-file';
import { REPORT_THREAD_MIN_BARS, startReportRender } from '../report/render-thread';

/** The files every run writes to its `--out` folder, in the order they are written. */
export const RUN_OUTPUT_FILES = ['results.json', 'trades.csv', 'fills.csv', 'equity.csv', 'report.html'] as const;

/** The files a run of several symbols adds: weights and positions per symbol over time. */
export const UNIVERSE_OUTPUT_FILES = ['weights.csv', 'positions.csv'] as const;

/** Every file a run may write to its `--out` folder. */
export const ALL_RUN_OUTPUT_FILES: readonly string[] = [...RUN_OUTPUT_FILES, ...UNIVERSE_OUTPUT_FILES];

/** Options of {@link writeRunOutputs}. */
export interface WriteRunOutputsOptions {
  /** Write report.html (default true; `--no-report` for very long runs). */
  readonly report?: boolean | undefined;
  /** Logs `writing the outputs to <dir>` before (the marker a supervisor can wait for) and `outputs written` after. */
  readonly logger?: Logger | undefined;
}

/**
 * Writes every output of a run (and, for several symbols, `weights.csv` and `positions.csv`: a
 * `time` column and one column per symbol, one row per time slice) into a temporary folder next to `dir`, streaming the large ones
 * (no file is built as one string), checking for an interrupt between files, then swaps the
 * folder into place: a failed or interrupted run leaves the earlier outputs (or nothing), never a
 * mixed set.
 *
 * @returns the paths written.
 */
export async function writeRunOutputs(dir: string, results: RunResults, options: WriteRunOutputsOptions = {}): Promise<string[]> {
  const report = options.report ?? true;
  const logger = options.logger ?? silentLogger;
  const holdings = results.holdings;
  const all: readonly string[] = holdings === undefined ? RUN_OUTPUT_FILES : ALL_RUN_OUTPUT_FILES;
  const names = report ? all : all.filter((name) => name !== 'report.html');
  logger.info({ out: dir }, `writing the outputs to ${dir}`);
  // A long run's report renders on a second core while this thread writes the other files.
  const render = report && results.equityCurve.time.length >= REPORT_THREAD_MIN_BARS ? startReportRender(results) : undefined;
  const files = await writeOutputFolder(dir, names, async (out) => {
    await out.stream('results.json', resultsJsonChunks(results));
    await out.stream('trades.csv', tradesCsvChunks(results.trades));
    await out.stream('fills.csv', fillsCsvChunks(results.fills));
    const curve = {
      ...results.equityCurve,
      ...(results.benchmark === undefined ? {} : { benchmark: results.benchmark.equity }),
      ...(results.prices === undefined ? {} : { close: results.prices.close }),
    };
    await out.stream('equity.csv', equityCsvChunks(curve));
    if (holdings !== undefined) {
      await out.stream('weights.csv', symbolColumnsCsvChunks(holdings.weights));
      await out.stream('positions.csv', symbolColumnsCsvChunks(holdings.positions));
    }
    if (render !== undefined) await out.file('report.html', await render.html);
    else if (report) {
      // The report renderer (ECharts, some 600 modules) loads only when a report is written.
      const { renderReportHtml } = await import('../report/html');
      await out.file('report.html', renderReportHtml(results));
    }
  }).finally(() => render?.cancel());
  logger.info({ out: dir, files: files.length }, 'outputs written');
  return files;
}
