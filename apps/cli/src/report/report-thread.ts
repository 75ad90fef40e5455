import { parentPort } from 'node:worker_threads';
import type { RunResults } from '../output/results-file';
import type { ThreadReply } from './render-thread';

/**
 * The worker-thread entry that renders a run's report.html (see `startReportRender`). The report
 * modules (ECharts among them) load as soon as the thread starts, while the run still computes
 * (`prepareReportThread`) or the caller hands over the results. One message in (the results), one
 * out (the page or the error); then the caller stops the thread.
 */
const loading = Promise.all([import('./html'), import('./charts')]).then(([html, charts]) => {
  charts.echarts();
  return html;
});
loading.catch(() => undefined); // reported with the reply to the results

parentPort!.on('message', async (results: RunResults) => {
  let reply: ThreadReply;
  try {
    const { renderReportHtml } = await loading;
    reply = { html: renderReportHtml(results) };
  } catch (error) {
    const e = error as Partial<Error> & { code?: unknown; details?: unknown };
    reply = { error: { name: e.name, message: e.message ?? String(error), stack: e.stack, code: e.code, details: e.details } };
  }
  try {
    parentPort!.postMessage(reply);
  } catch {
    // Details that cannot be copied (a function, say): the code and message still go.
    parentPort!.postMessage('error' in reply ? { error: { ...reply.error, details: undefined } } : reply);
  }
});
