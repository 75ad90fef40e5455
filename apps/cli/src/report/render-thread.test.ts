import { isAlgoTradingError } from '@algo-trading/core';
import { describe, expect, it } from 'vitest';
import { sampleResults } from '../../test/fixtures/sample-results';
import { rejectedOrders, type RejectionRecord } from '../output/results-file';
import { rejectionsByReason, renderReportHtml } from './html';
import { prepareReportThread, rejectionTotals, startReportRender } from './render-thread';

function rejection(barIndex: number, reasons: string[], count = 1): RejectionRecord {
  return { time: barIndex * 60_000, barIndex, count, lastBarIndex: barIndex + count - 1, lastTime: (barIndex + count - 1) * 60_000, symbol: 'ASSET', reasons, message: reasons.join(' and ') };
}

describe('rejectionTotals', () => {
  const records = [
    rejection(3, ['no_short']),
    rejection(5, ['cash'], 4),
    rejection(9, ['no_short'], 2),
    rejection(12, ['lot', 'cash']),
    rejection(20, ['cash']),
    rejection(30, ['halted'], 7),
    rejection(40, ['lot', 'cash'], 3),
  ];

  it('keeps one record per list of reasons, first appearance first, with the counts summed', () => {
    const totals = rejectionTotals(records);
    expect(totals.map((r) => [r.reasons.join('+'), r.count, r.barIndex])).toEqual([
      ['no_short', 3, 3],
      ['cash', 5, 5],
      ['lot+cash', 4, 12],
      ['halted', 7, 30],
    ]);
  });

  it('gives the report the same counts per reason, in the same order, and the same total', () => {
    const totals = rejectionTotals(records);
    expect(Object.entries(rejectionsByReason({ rejections: totals }))).toEqual(Object.entries(rejectionsByReason({ rejections: records })));
    expect(Object.keys(rejectionsByReason({ rejections: totals }))).toEqual(['no_short', 'cash', 'lot', 'halted']);
    expect(rejectedOrders({ rejections: totals })).toBe(19);
    expect(rejectedOrders({ rejections: records })).toBe(19);
    expect(rejectionTotals([])).toEqual([]);
  });
});

describe('startReportRender', () => {
  it('renders on a thread prepared ahead the page renderReportHtml renders here', async () => {
    const results = sampleResults();
    prepareReportThread();
    // ECharts numbers its SVG ids and classes (zr<instance>-cls-<n>, ...) per thread: charts drawn
    // here before make them differ, nothing else.
    const ids = (html: string) => html.replace(/zr\d+-[a-z]*-?\d+/g, 'zr-id');
    expect(ids(await startReportRender(results).html)).toBe(ids(renderReportHtml(results)));
  }, 120_000);

  it('renders the same page from the rejection totals as from every record', async () => {
    const base = sampleResults();
    const rejections = Array.from({ length: 500 }, (_, i) => rejection(i * 2, i % 3 === 0 ? ['no_short'] : i % 3 === 1 ? ['cash'] : ['lot', 'cash'], 1 + (i % 4)));
    const results = { ...base, rejections };
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
