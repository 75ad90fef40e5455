// @long-running: backtests universes through the built CLI (started first, see tools/config/long-running-first.ts).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSampleBars } from '@algo-trading/data';
import { REBALANCE_METHODS, REBALANCE_PERIODS } from '@algo-trading/portfolio';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BarSeries } from '@algo-trading/core';
import { defaultConfig } from '../src/config/schema';
import { PORTFOLIO_BACKTEST_METHODS, REBALANCE_PERIOD_CHOICES } from '../src/options';
import { ensureBuiltCli, runInProcess, spawnCli, tempDir } from './helpers';

/**
 * Universes through `backtest` and `portfolio backtest`: `sample:stocks` (monthly closes of five
 * symbols, GOOG from 2004-08), a folder of CSV files on different calendars and a multi-symbol CSV
 * written here; the outputs (per-symbol results, weights.csv, positions.csv, the equal-weight
 * benchmark, the report's weights chart and per-symbol table) and the bad inputs.
 */

const SYMBOLS = ['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT'];
const DAY = 86_400_000;
let cwd: string;

beforeAll(() => {
  cwd = tempDir('algo-cli-universe-');
});

interface SymbolDoc {
  pnl: number;
  contribution: number;
  trades: number;
  exposure: number;
  bars: number;
  start: string;
  buyAndHoldReturn: number;
  finalWeight: number;
}
interface RunDoc {
  ok: boolean;
  metrics: Record<string, number>;
  universe: { symbols: string[]; perSymbol: Record<string, SymbolDoc>; turnover: number; sizing: string };
  benchmark: { kind: string; label: string; relative: Record<string, number>; metrics: Record<string, number> };
  files: string[];
}

async function runJson(args: readonly string[]): Promise<RunDoc> {
  const run = await runInProcess([...args, '--json', '--no-record'], cwd);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as RunDoc;
}

/** Rows of a CSV file written by a run: the header, then cells. */
function readCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

/** Daily OHLCV rows of a smooth synthetic series (a trend and a wave) on `days` (offsets from 2024-01-01). */
function ohlcv(days: readonly number[], base: number, phase: number): string[] {
  return days.map((d) => {
    const close = base * (1 + 0.002 * d) * (1 + 0.08 * Math.sin(d / 6 + phase));
    const date = new Date(Date.UTC(2024, 0, 1) + d * DAY).toISOString().slice(0, 10);
    return `${date},${(close * 0.995).toFixed(4)},${(close * 1.01).toFixed(4)},${(close * 0.985).toFixed(4)},${close.toFixed(4)},1000`;
  });
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('backtest on sample:stocks (a universe through the one engine)', () => {
  let doc: RunDoc;
  let out: string;

  beforeAll(async () => {
    out = join(cwd, 'stocks-sma');
    doc = await runJson(['backtest', '--data', 'sample:stocks', '--strategy', 'sma-cross', '--fast', '3', '--slow', '10', '--out', out]);
  }, 120_000);

  it('reports each symbol: P&L, contribution, trades, exposure, buy and hold', () => {
    expect(doc.universe.symbols).toEqual(SYMBOLS);
    let contribution = 0;
    let trades = 0;
    for (const symbol of SYMBOLS) {
      const s = doc.universe.perSymbol[symbol]!;
      contribution += s.contribution;
      trades += s.trades;
      expect(s.contribution).toBeCloseTo(s.pnl / 10_000, 12);
    }
    // No financing configured: the contributions add up to the total return.
    expect(contribution).toBeCloseTo(doc.metrics['totalReturn']!, 9);
    expect(trades).toBe(doc.metrics['tradeCount']);
    // Buy and hold of each symbol alone, from the sample's own closes.
    const stocks = loadSampleBars('stocks') as ReadonlyMap<string, BarSeries>;
    for (const symbol of SYMBOLS) {
      const bars = stocks.get(symbol)!;
      expect(doc.universe.perSymbol[symbol]!.buyAndHoldReturn).toBeCloseTo(bars.close[bars.length - 1]! / bars.close[0]! - 1, 12);
      expect(doc.universe.perSymbol[symbol]!.bars).toBe(bars.length);
    }
    expect(doc.universe.perSymbol['GOOG']!.start.slice(0, 10)).toBe('2004-08-01');
  });

  it('sizes each position at most 0.95 / 5 of the portfolio equity without a config file', () => {
    expect(doc.universe.sizing).toContain('at most 19.00%');
    const weights = readCsv(join(out, 'weights.csv'));
    const equity = readCsv(join(out, 'equity.csv'));
    let held = 0;
    for (const row of weights.rows) {
      const w = row.slice(1).map(Number);
      for (const x of w) expect(x).toBeLessThanOrEqual(0.19 * 1.15); // 19% at the entry; the price may rise after
      if (w.filter((x) => x > 0).length > held) held = w.filter((x) => x > 0).length;
    }
    expect(held).toBeGreaterThanOrEqual(2);
    expect(equity.rows.length).toBe(weights.rows.length);
  });

  it('writes weights.csv and positions.csv (one column per symbol, one row per slice) and the symbol of each trade and fill', () => {
    expect(doc.files.map((f) => f.split('/').pop())).toEqual(['results.json', 'trades.csv', 'fills.csv', 'equity.csv', 'weights.csv', 'positions.csv', 'report.html']);
    const equity = readCsv(join(out, 'equity.csv'));
    const weights = readCsv(join(out, 'weights.csv'));
    const positions = readCsv(join(out, 'positions.csv'));
    expect(equity.header).toEqual(['time', 'equity', 'cash', 'drawdown', 'benchmark']);
    expect(weights.header).toEqual(['time', ...SYMBOLS]);
    expect(positions.header).toEqual(['time', ...SYMBOLS]);
    // 123 months: the union of the symbols' dates.
    expect(equity.rows.length).toBe(123);
    expect(weights.rows.map((r) => r[0])).toEqual(equity.rows.map((r) => r[0]));
    // Equity = cash + every position at its close, and weight = position x close / equity.
    const stocks = loadSampleBars('stocks') as ReadonlyMap<string, BarSeries>;
    equity.rows.forEach((row, i) => {
      const t = Date.parse(row[0]!);
      let value = Number(row[2]);
      SYMBOLS.forEach((symbol, j) => {
        const units = Number(positions.rows[i]![j + 1]);
        if (units === 0) return;
        const bars = stocks.get(symbol)!;
        const k = Array.from(bars.time).indexOf(t);
        value += units * bars.close[k]!;
        expect(Number(weights.rows[i]![j + 1])).toBeCloseTo((units * bars.close[k]!) / Number(row[1]), 9);
      });
      expect(value).toBeCloseTo(Number(row[1]), 6);
    });
    const trades = readCsv(join(out, 'trades.csv'));
    expect(trades.header[0]).toBe('symbol');
    expect(trades.rows.length).toBe(doc.metrics['tradeCount']);
    for (const row of trades.rows) expect(SYMBOLS).toContain(row[0]);
    const fills = readCsv(join(out, 'fills.csv'));
    const symbolColumn = fills.header.indexOf('symbol');
    expect(new Set(fills.rows.map((r) => r[symbolColumn])).size).toBeGreaterThan(1);
  });

  it('compares with the equal-weight portfolio of the same symbols, rebalanced monthly (checked by hand at the first fill)', () => {
    expect(doc.benchmark.kind).toBe('equal_weight');
    expect(doc.benchmark.label).toBe('Equal weight (5 symbols, monthly)');
    for (const key of ['alpha', 'beta', 'informationRatio']) expect(Number.isFinite(doc.benchmark.relative[key])).toBe(true);
    // 2000-01 close: 1/4 of 10,000 in each of AAPL, AMZN, IBM, MSFT (GOOG not listed yet), whole
    // units at that close, bought at 2000-02's open (= its close in this sample: one price a
    // month) with slippage, commission on top; a buy that the cash does not cover is cut to it.
    const config = defaultConfig().backtesting;
    const stocks = loadSampleBars('stocks') as ReadonlyMap<string, BarSeries>;
    let cash = 10_000;
    let value = 0;
    for (const symbol of ['AAPL', 'AMZN', 'IBM', 'MSFT']) {
      const bars = stocks.get(symbol)!;
      const fill = bars.open[1]! * (1 + config.slippage_bps / 10_000);
      let units = Math.floor(2_500 / bars.close[0]!);
      if (units * fill * (1 + config.transaction_cost) > cash) units = Math.floor(cash / (fill * (1 + config.transaction_cost)));
      cash -= units * fill * (1 + config.transaction_cost);
      value += units * bars.close[1]!;
    }
    const equity = readCsv(join(cwd, 'stocks-sma', 'equity.csv'));
    expect(Number(equity.rows[0]![4])).toBe(10_000);
    expect(Number(equity.rows[1]![4])).toBeCloseTo(cash + value, 6);
  });

  it('draws the weights over time and the per-symbol table in report.html, and no single-series price chart', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('data-chart="weights"');
    expect(html).toContain('<section id="symbols"><h2>Per symbol</h2>');
    for (const symbol of SYMBOLS) expect(html).toContain(`<td>${symbol}</td>`);
    expect(html).toContain('buy &amp; hold');
    expect(html).not.toContain('data-chart="price-trades"');
    expect(html).toContain('Benchmark: Equal weight (5 symbols, monthly)');
  });

  it('rebuilds the same report from the folder (`report`), weights read back from weights.csv', async () => {
    const before = readFileSync(join(out, 'report.html'), 'utf8');
    const run = await runInProcess(['report', out], cwd);
    expect(run.code, run.stderr).toBe(0);
    const after = readFileSync(join(out, 'report.html'), 'utf8');
    expect(after).toContain('data-chart="weights"');
    const table = (html: string) => html.slice(html.indexOf('<section id="symbols">'), html.indexOf('<section id="yearly">'));
    expect(table(after)).toBe(table(before));
  });
});

describe('backtest and portfolio backtest on a folder of CSV files with different calendars', () => {
  let folder: string;

  beforeAll(() => {
    folder = join(cwd, 'calendars');
    mkdirSync(folder, { recursive: true });
    const header = 'date,open,high,low,close,volume';
    // AAA every day; BBB misses every third day; CCC lists on day 40 (February).
    writeFileSync(join(folder, 'AAA.csv'), [header, ...ohlcv(range(0, 120), 100, 0)].join('\n'));
    writeFileSync(join(folder, 'BBB.csv'), [header, ...ohlcv(range(0, 120).filter((d) => d % 3 !== 2), 50, 1)].join('\n'));
    writeFileSync(join(folder, 'CCC.csv'), [header, ...ohlcv(range(40, 120), 20, 2)].join('\n'));
    writeFileSync(join(folder, 'notes.txt'), 'not data');
  });

  it('runs the SMA crossover per symbol on the union of the dates', async () => {
    const out = join(cwd, 'calendars-sma');
    const doc = await runJson(['backtest', '--data', folder, '--strategy', 'sma-cross', '--fast', '3', '--slow', '8', '--out', out]);
    expect(doc.universe.symbols).toEqual(['AAA', 'BBB', 'CCC']);
    expect(doc.universe.perSymbol['BBB']!.bars).toBe(80);
    expect(doc.universe.perSymbol['CCC']!.bars).toBe(80);
    expect(doc.universe.perSymbol['CCC']!.start.slice(0, 10)).toBe('2024-02-10');
    expect(doc.universe.sizing).toContain('at most 25.00%'); // 0.95 / 3 is above the default 25%: unchanged
    const weights = readCsv(join(out, 'weights.csv'));
    expect(weights.rows.length).toBe(120);
    // CCC holds nothing before its first bar.
    const firstCcc = weights.rows.findIndex((r) => r[0]!.startsWith('2024-02-10'));
    for (const row of weights.rows.slice(0, firstCcc)) expect(Number(row[3])).toBe(0);
    expect(doc.benchmark.kind).toBe('equal_weight');
  }, 60_000);

  it('rebalances equal weights every 5 periods on the trailing window with portfolio backtest', async () => {
    const schedule = async (align: string) => {
      const out = join(cwd, `calendars-ew-${align}`);
      const doc = await runJson(['portfolio', 'backtest', '--data', folder, '--method', 'equal_weight', '--lookback', '10', '--every', '5', '--align', align, '--out', out]);
      expect(doc.files.map((f) => f.split('/').pop())).toContain('weights.csv');
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { extra: { schedule: { rebalances: { time: string; weights: Record<string, number> }[] } } };
      const rebalances = results.extra.schedule.rebalances;
      for (const r of rebalances) {
        const w = Object.values(r.weights).filter((x) => x > 0);
        expect(w.every((x) => Math.abs(x - 1 / w.length) < 1e-12)).toBe(true);
      }
      return rebalances;
    };
    // outer: every slice; BBB misses every third day, so no window of 10 returns is complete for
    // it and it weighs 0; CCC joins once it has 10 returns after its listing.
    const outer = await schedule('outer');
    expect(outer.length).toBeGreaterThan(20);
    expect(outer.every((r) => r.weights['BBB'] === 0)).toBe(true);
    expect(outer[0]!.weights['CCC']).toBe(0);
    expect(outer[outer.length - 1]!.weights['CCC']).toBeCloseTo(1 / 2, 12);
    // inner: only the dates all three trade (from CCC's listing, BBB's gaps dropped): a third each.
    const inner = await schedule('inner');
    expect(inner[0]!.time >= '2024-02-10').toBe(true);
    for (const r of inner) expect(r.weights['BBB']).toBeCloseTo(1 / 3, 12);
  }, 60_000);
});

describe('a multi-symbol CSV and signals files', () => {
  let csv: string;

  beforeAll(() => {
    const rows = [
      ...ohlcv(range(0, 60), 100, 0).map((r) => `AAA,${r}`),
      ...ohlcv(range(0, 60), 30, 3).map((r) => `BBB,${r}`),
    ];
    csv = join(cwd, 'two.csv');
    writeFileSync(csv, ['symbol,date,open,high,low,close,volume', ...rows].join('\n'));
    writeFileSync(join(cwd, 'one.csv'), ['symbol,date,open,high,low,close,volume', ...ohlcv(range(0, 60), 100, 0).map((r) => `AAA,${r}`)].join('\n'));
  });

  it('runs a CSV file whose symbol column names two symbols as a universe', async () => {
    const doc = await runJson(['backtest', '--data', csv, '--strategy', 'sma-cross', '--fast', '3', '--slow', '8']);
    expect(doc.universe.symbols).toEqual(['AAA', 'BBB']);
  }, 60_000);

  it('runs a CSV file of one symbol as one series (no per-symbol results), and refuses it for a portfolio', async () => {
    const run = await runInProcess(['backtest', '--data', 'one.csv', '--strategy', 'sma-cross', '--fast', '3', '--slow', '8', '--json', '--no-record'], cwd);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).not.toHaveProperty('universe');
    const portfolio = await runInProcess(['portfolio', 'backtest', '--data', 'one.csv', '--no-record'], cwd);
    expect(portfolio.code).toBe(2);
    expect(portfolio.stderr).toContain('holds one symbol (AAA); a portfolio needs at least two');
  }, 60_000);

  it('backtests a signals file with a symbol column: each row on its own symbol', async () => {
    const dates = ohlcv(range(0, 60), 1, 0).map((r) => r.split(',')[0]);
    writeFileSync(join(cwd, 'signals.csv'), ['date,symbol,signal', `${dates[5]},AAA,1`, `${dates[30]},AAA,-1`, `${dates[10]},BBB,1`].join('\n'));
    const out = join(cwd, 'signals-run');
    const doc = await runJson(['backtest', '--data', csv, '--signals', 'signals.csv', '--out', out]);
    const fills = readCsv(join(out, 'fills.csv'));
    const symbol = fills.header.indexOf('symbol');
    const time = fills.header.indexOf('time');
    const entries = fills.rows.filter((r) => r[fills.header.indexOf('effect')] === 'open').map((r) => [r[symbol], r[time]!.slice(0, 10)]);
    // Each signal fills at its symbol's next bar.
    expect(entries).toEqual([
      ['AAA', dates[6]],
      ['BBB', dates[11]],
    ]);
    expect(doc.universe.perSymbol['AAA']!.exposure).toBeGreaterThan(0);
  }, 60_000);

  it('refuses a universe signals file without a symbol column, or naming a symbol not in the data', async () => {
    writeFileSync(join(cwd, 'plain-signals.csv'), 'date,signal\n2024-01-05,1\n');
    const plain = await runInProcess(['backtest', '--data', csv, '--signals', 'plain-signals.csv', '--no-record'], cwd);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('expected a header with a date (or datetime, timestamp, time) column, a symbol column and a signal column');
    writeFileSync(join(cwd, 'unknown-signals.csv'), 'date,symbol,signal\n2024-01-05,ZZZ,1\n');
    const unknown = await runInProcess(['backtest', '--data', csv, '--signals', 'unknown-signals.csv', '--no-record'], cwd);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('line 2: symbol "ZZZ" is not in the data (AAA, BBB)');
  }, 60_000);
});

describe('portfolio backtest on sample:stocks', () => {
  it('rebalances HRP monthly on the trailing 24 months and reports like a universe backtest', async () => {
    const out = join(cwd, 'stocks-hrp');
    const doc = await runJson(['portfolio', 'backtest', '--data', 'sample:stocks', '--method', 'hrp', '--lookback', '24', '--every', 'month', '--out', out]);
    expect(doc.universe.symbols).toEqual(SYMBOLS);
    expect(doc.benchmark.kind).toBe('equal_weight');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      strategy: { parameters: Record<string, unknown> };
      extra: { schedule: { rebalances: { time: string; weights: Record<string, number> }[] } };
    };
    const rebalances = results.extra.schedule.rebalances;
    // 123 months: the first window of 24 returns is complete at the 25th month.
    expect(rebalances.length).toBe(99);
    expect(rebalances[0]!.time.slice(0, 10)).toBe('2002-01-01');
    for (const r of rebalances) expect(Object.values(r.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(results.strategy.parameters['risk_management.position_sizing.method']).toBe('target_weights');
    const weights = readCsv(join(out, 'weights.csv'));
    // Invested from the first rebalance fill on: no leverage, cash a few percent at most.
    for (const row of weights.rows.slice(25)) {
      const invested = row.slice(1).reduce((a, b) => a + Number(b), 0);
      expect(invested).toBeLessThanOrEqual(1 + 1e-9);
      expect(invested).toBeGreaterThan(0.85);
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('data-chart="weights"');
    expect(html).toContain('<section id="symbols">');
  }, 60_000);

  it('refuses an unknown method, a lookback longer than the data and bounds on a method without them', async () => {
    const unknown = await runInProcess(['portfolio', 'backtest', '--data', 'sample:stocks', '--method', 'best'], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("argument 'best' is invalid. Allowed choices are equal_weight, inverse_volatility, risk_parity, hrp, min_variance, max_sharpe");
    const long = await runInProcess(['portfolio', 'backtest', '--data', 'sample:stocks', '--lookback', '200', '--no-record'], cwd);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('--lookback: lookback 200 is longer than the 122 return rows available');
    const bounds = await runInProcess(['portfolio', 'backtest', '--data', 'sample:stocks', '--method', 'hrp', '--bounds', '0,0.3', '--no-record'], cwd);
    expect(bounds.code).toBe(2);
    expect(bounds.stderr).toContain('--bounds 0,0.3 applies to --method min_variance and max_sharpe');
    const every = await runInProcess(['portfolio', 'backtest', '--data', 'sample:stocks', '--every', 'fortnight'], cwd);
    expect(every.code).toBe(2);
    expect(every.stderr).toContain('expected week, month, quarter, year or a number of return periods');
  }, 60_000);

  it('lists the methods and periods of the portfolio package', () => {
    expect([...PORTFOLIO_BACKTEST_METHODS]).toEqual([...REBALANCE_METHODS]);
    expect([...REBALANCE_PERIOD_CHOICES]).toEqual([...REBALANCE_PERIODS]);
  });
});

describe('recording universe runs in the store', () => {
  it('records backtest and portfolio backtest runs like the others, with the symbols', async () => {
    const dir = tempDir('algo-cli-universe-store-');
    expect((await runInProcess(['runs', 'init', '--quiet'], dir)).code).toBe(0);
    const backtest = await runInProcess(['backtest', '--data', 'sample:stocks', '--strategy', 'sma-cross', '--fast', '3', '--slow', '10', '--json', '--quiet'], dir);
    expect(backtest.code, backtest.stderr).toBe(0);
    const portfolio = await runInProcess(['portfolio', 'backtest', '--data', 'sample:stocks', '--method', 'min_variance', '--json', '--quiet'], dir);
    expect(portfolio.code, portfolio.stderr).toBe(0);
    const id = (out: string) => ((JSON.parse(out) as { record: { ids: string[] } }).record.ids)[0];
    const listed = (JSON.parse((await runInProcess(['runs', 'ls', '--json', '--quiet'], dir)).stdout) as { runs: { id: string; command: string; symbol: string | null }[] }).runs;
    expect(listed.map((r) => [r.id, r.command])).toEqual([
      [id(portfolio.stdout), 'portfolio backtest'],
      [id(backtest.stdout), 'backtest'],
    ]);
  }, 120_000);
});

describe('bad universe input on backtest', () => {
  it('names a folder without CSV files', async () => {
    const empty = join(cwd, 'empty');
    mkdirSync(empty, { recursive: true });
    const run = await runInProcess(['backtest', '--data', empty, '--strategy', 'sma-cross', '--no-record'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`no .csv files in ${empty}`);
  });

  it('refuses the ml strategy on several symbols with a usage error saying what runs instead', async () => {
    const run = await runInProcess(['backtest', '--data', 'sample:stocks', '--strategy', 'ml', '--no-record'], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--strategy ml runs one series, and --data holds 5 symbols (AAPL, AMZN, GOOG, IBM, MSFT)');
    expect(run.stderr).toContain('--strategy sma-cross');
  });
});

describe('the built command (process tests)', () => {
  beforeAll(() => {
    ensureBuiltCli(); // builds only what changed since the last build (Nx cache)
  }, 600_000);

  it('backtest --data sample:stocks writes the universe outputs', async () => {
    const out = join(cwd, 'process-backtest');
    const run = await spawnCli(['backtest', '--data', 'sample:stocks', '--strategy', 'sma-cross', '--fast', '3', '--slow', '10', '--out', out, '--no-record', '-q'], {
      cwd,
      timeoutMs: 180_000,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Per symbol (');
    for (const file of ['weights.csv', 'positions.csv', 'report.html']) expect(existsSync(join(out, file))).toBe(true);
  }, 200_000);

  it('portfolio backtest on a folder of CSV files written here, on different calendars', async () => {
    const folder = join(cwd, 'process-folder');
    mkdirSync(folder, { recursive: true });
    const header = 'date,open,high,low,close,volume';
    writeFileSync(join(folder, 'XA.csv'), [header, ...ohlcv(range(0, 90), 100, 0)].join('\n'));
    writeFileSync(join(folder, 'XB.csv'), [header, ...ohlcv(range(10, 90), 40, 2)].join('\n'));
    const out = join(cwd, 'process-folder-out');
    const run = await spawnCli(['portfolio', 'backtest', '--data', folder, '--method', 'inverse_volatility', '--lookback', '15', '--every', 'week', '--out', out, '--no-record', '-q'], {
      cwd,
      timeoutMs: 180_000,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(readCsv(join(out, 'weights.csv')).header).toEqual(['time', 'XA', 'XB']);
    expect(readCsv(join(out, 'weights.csv')).rows.length).toBe(90);
  }, 200_000);

  it('portfolio backtest --method hrp on sample:stocks writes the same outputs', async () => {
    const out = join(cwd, 'process-portfolio');
    const run = await spawnCli(['portfolio', 'backtest', '--data', 'sample:stocks', '--method', 'hrp', '--out', out, '--no-record', '-q'], { cwd, timeoutMs: 180_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Equal weight (5 symbols, monthly)');
    for (const file of ['results.json', 'equity.csv', 'weights.csv', 'positions.csv', 'report.html']) expect(existsSync(join(out, file))).toBe(true);
  }, 200_000);
});
