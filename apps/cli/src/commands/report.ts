import { join, resolve } from 'node:path';
import type { CliIo } from '../context';
import { writeFileAtomic } from '../output/atomic-write';
import { readResultsDir } from '../output/results-file';
import { renderReportHtml } from '../report/html';

/** Options of `algo-trading report`. */
export interface ReportCommandOptions {
  readonly json?: boolean | undefined;
}

/**
 * `report <dir>`: rebuilds `<dir>/report.html` from `<dir>/results.json` (atomically).
 *
 * @returns the report's absolute path.
 * @throws AlgoTradingError `NOT_FOUND` naming the path when there is no results.json.
 */
export async function runReportCommand(io: CliIo, dir: string, options: ReportCommandOptions = {}): Promise<string> {
  const folder = resolve(io.cwd, dir);
  const results = await readResultsDir(folder);
  const path = join(folder, 'report.html');
  writeFileAtomic(path, renderReportHtml(results));
  if (options.json === true) io.stdout.write(`${JSON.stringify({ ok: true, report: path })}\n`);
  else io.stdout.write(`Report: ${path}\n`);
  return path;
}
