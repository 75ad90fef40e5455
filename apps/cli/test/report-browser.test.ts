// @long-running: renders reports in Chromium (started first, see tools/config/long-running-first.ts).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_CHARTS } from '../src/report/html';
import { runInProcess, tempDir, writeSampleCsv } from './helpers';

/**
 * Opens a real report in headless Chromium (Debian's `chromium` package, driven by playwright-core
 * with `executablePath`), asserts that every chart rendered, and keeps a screenshot in
 * apps/cli/test-artifacts/. With CI=true a missing browser fails the suite; elsewhere the test
 * is skipped with a plain message.
 */

const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  (p): p is string => typeof p === 'string' && p !== '',
);
const executablePath = CANDIDATES.find((p) => existsSync(p));
const isCi = process.env['CI'] === 'true';
const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../test-artifacts');

if (executablePath === undefined && !isCi) {
  console.log(
    `Skipping the report browser test: no Chromium at ${CANDIDATES.join(', ')} (install Debian's chromium package; with CI=true this is a failure).`,
  );
}

describe.skipIf(executablePath === undefined && !isCi)('report.html in headless Chromium', () => {
  let browser: Browser;
  let reportPath: string;
  let universeReportPath: string;

  beforeAll(async () => {
    if (executablePath === undefined) throw new Error(`CI=true but no Chromium was found at ${CANDIDATES.join(', ')}`);
    const cwd = tempDir('algo-cli-browser-');
    writeSampleCsv(cwd, 1500);
    const run = await runInProcess(['backtest', '--data', 'prices.csv', '--strategy', 'sma-cross', '--fast', '10', '--slow', '30', '--out', 'run', '--quiet'], cwd);
    expect(run.code).toBe(0);
    reportPath = join(cwd, 'run', 'report.html');
    const universe = await runInProcess(['portfolio', 'backtest', '--data', 'sample:stocks', '--method', 'hrp', '--out', 'stocks', '--quiet', '--no-record'], cwd);
    expect(universe.code, universe.stderr).toBe(0);
    universeReportPath = join(cwd, 'stocks', 'report.html');
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders every chart as SVG, loads nothing from the network, and is screenshotted', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });

    const charts = await page.$$eval('[data-chart]', (nodes) =>
      nodes.map((node) => {
        const svg = node.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          name: node.getAttribute('data-chart'),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          paths: svg?.querySelectorAll('path').length ?? 0,
          texts: svg?.querySelectorAll('text').length ?? 0,
        };
      }),
    );
    // Every chart of a one-series run, the new ones included (the weights chart is for several symbols).
    expect(charts.map((c) => c.name)).toEqual(REPORT_CHARTS.filter((c) => c !== 'weights'));
    for (const chart of charts) {
      expect(chart.width, chart.name!).toBeGreaterThan(300);
      expect(chart.height, chart.name!).toBeGreaterThan(100);
      expect(chart.paths, chart.name!).toBeGreaterThan(3);
      expect(chart.texts, chart.name!).toBeGreaterThan(3);
    }
    // The equity line is one long path: the curve really was drawn.
    const longestPath = await page.$eval('[data-chart="equity-drawdown"] svg', (svg) =>
      Math.max(...[...svg.querySelectorAll('path')].map((p) => (p.getAttribute('d') ?? '').length)),
    );
    expect(longestPath).toBeGreaterThan(2000);

    const headline = await page.$$eval('#headline .card .label', (nodes) => nodes.map((n) => n.textContent));
    expect(headline).toHaveLength(16); // 12 headline metrics, then exposure and time in market
    // The price chart has a marker per fill (entry and exit triangles) besides its line.
    const fills = await page.$$eval('#fills tbody tr td:nth-child(2)', (cells) => cells.reduce((s, c) => s + Number(c.textContent), 0));
    const markers = await page.$eval('[data-chart="price-trades"] svg', (svg) => svg.querySelectorAll('path[transform]').length);
    expect(markers).toBeGreaterThanOrEqual(fills);
    expect(await page.title()).toContain('SMA crossover (10/30)');
    expect(requests.every((url) => url.startsWith('file:'))).toBe(true);
    expect(errors).toEqual([]);

    // Printed, every trade row is on paper: nothing scrolls or clips the table.
    await page.emulateMedia({ media: 'print' });
    const trades = await page.$eval('#trades table', (table) => {
      let clipped = false;
      const view = globalThis as unknown as { getComputedStyle(e: unknown): { overflowY: string } };
      for (let node = table.parentElement; node !== null; node = node.parentElement) {
        const overflow = view.getComputedStyle(node).overflowY;
        if ((overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') && node.scrollHeight > node.clientHeight) clipped = true;
      }
      return { rows: table.querySelectorAll('tbody tr').length, clipped };
    });
    const tradeCount = Number((await page.$eval('#trades h2', (h) => h.textContent ?? '')).replace(/\D/g, ''));
    expect(trades).toEqual({ rows: tradeCount, clipped: false });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    await page.emulateMedia({ media: 'screen' });

    mkdirSync(ARTIFACTS, { recursive: true });
    const screenshot = join(ARTIFACTS, 'report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(existsSync(screenshot)).toBe(true);
    await page.close();
  });

  it('draws the weights over time of a universe run and its per-symbol table', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(pathToFileURL(universeReportPath).href, { waitUntil: 'load' });
    const names = await page.$$eval('[data-chart]', (nodes) => nodes.map((node) => node.getAttribute('data-chart')));
    expect(names).toContain('weights');
    expect(names).not.toContain('price-trades');
    const weights = await page.$eval('[data-chart="weights"] svg', (svg) => {
      const box = svg.getBoundingClientRect();
      return { width: box.width, height: box.height, paths: svg.querySelectorAll('path').length };
    });
    expect(weights.width).toBeGreaterThan(300);
    expect(weights.height).toBeGreaterThan(100);
    expect(weights.paths).toBeGreaterThan(6); // an area and a line per symbol and cash
    const symbols = await page.$$eval('#symbols tbody tr td:first-child', (cells) => cells.map((c) => c.textContent));
    expect(symbols).toEqual(['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT', 'total']);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report-universe.png'), fullPage: true });
    await page.close();
  });
});
