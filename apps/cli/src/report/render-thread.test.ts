import { isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { sampleResults } from '../../test/fixtures/sample-results';
import { renderReportHtml } from './html';
import { prepareReportThread, startReportRender } from './render-thread';

describe('startReportRender', () => {
  it('renders on a thread prepared ahead the page renderReportHtml renders here', async () => {
    const results = sampleResults();
    prepareReportThread();
    // ECharts numbers its SVG ids and classes (zr<instance>-cls-<n>, ...) per thread: charts drawn
    // here before make them differ, nothing else.
    const ids = (html: string) => html.replace(/zr\d+-[a-z]*-?\d+/g, 'zr-id');
    expect(ids(await startReportRender(results).html)).toBe(ids(renderReportHtml(results)));
  }, 120_000);

  it("rejects with the renderer's AlgoTradingError, code and details kept", async () => {
    const results = sampleResults();
    const broken = { ...results, equityCurve: { ...results.equityCurve, time: Array.from(results.equityCurve.time).slice(0, 10) } };
    const here = (() => {
      try {
        renderReportHtml(broken);
      } catch (error) {
        return error;
      }
      throw new Error('expected the renderer to throw');
    })();
    const there = await startReportRender(broken).html.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isAlgoTradingError(here)).toBe(true);
    expect(isAlgoTradingError(there)).toBe(true);
    expect(there).toMatchObject({ code: (here as { code: string }).code, message: (here as Error).message, details: (here as { details: object }).details });
  }, 120_000);

  it('stops the thread when cancelled before the page is needed', async () => {
    const render = startReportRender(sampleResults());
    render.cancel();
    await expect(render.html).rejects.toThrow(/report thread stopped/);
  }, 120_000);
});
