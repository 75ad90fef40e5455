import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadSampleBars, samplePath } from '@algo-trading/data';
import {
  COVARIANCE_METHODS,
  OBJECTIVES,
  covariance,
  discreteAllocation,
  expectedReturns,
  hierarchicalRiskParity,
  optimizePortfolio,
  returnsMatrix,
  type CovarianceMatrix,
} from '@algo-trading/portfolio';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@algo-trading/core';
import { PORTFOLIO_COVARIANCES, PORTFOLIO_METHODS } from '../src/options';
import { loadUniverse } from '../src/pipeline/load-universe';
import { ensureBuiltCli, runInProcess, spawnCli, tempDir, type CliRun } from './helpers';

/**
 * `algo-trading portfolio optimize` on the bundled `sample:stocks` universe (monthly prices of
 * AAPL, AMZN, GOOG, IBM and MSFT; GOOG from 2004-08), checked against the portfolio library called
 * directly and against the rules of the product (budget, minimum variance, frontier, allocation).
 */

interface Asset {
  symbol: string;
  weight: number;
  expectedReturn: number;
  volatility: number;
  riskContribution: number;
  riskShare: number;
}
interface Doc {
  ok: boolean;
  data: { source: string; kind: string; symbols: string[] };
  estimation: { start: string; end: string; periods: number; availablePeriods: number; lookback: number | null; periodsPerYear: number };
  settings: Record<string, unknown>;
  solver: { name: string; status: string; detail: string };
  portfolio: { expectedReturn: number; volatility: number; sharpeRatio: number };
  assets: Asset[];
  allocation: {
    cash: number;
    prices: Record<string, { price: number; time: string }>;
    quantities: Record<string, number> | null;
    invested: number | null;
    leftover: number | null;
    skipped: string | null;
  };
  frontier: { expectedReturn: number; volatility: number; sharpeRatio: number; weights: Record<string, number> }[];
  warnings: string[];
  files: string[];
}

const SYMBOLS = ['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT'];
let cwd: string;

beforeAll(() => {
  cwd = tempDir('algo-cli-portfolio-');
});

async function optimize(...args: string[]): Promise<Doc> {
  const run = await runInProcess(['portfolio', 'optimize', '--data', 'sample:stocks', '--json', ...args], cwd);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Doc;
}

function weightsOf(doc: Doc): Record<string, number> {
  return Object.fromEntries(doc.assets.map((a) => [a.symbol, a.weight]));
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** sqrt(w' Sigma w) straight from the matrix. */
function volatilityOf(cov: CovarianceMatrix, weights: Record<string, number>): number {
  const n = cov.symbols.length;
  const w = cov.symbols.map((s) => weights[s] ?? 0);
  let v = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v += w[i]! * cov.matrix[i * n + j]! * w[j]!;
  return Math.sqrt(v);
}

/** The library on the same universe, without the CLI: inner-aligned simple returns, annualized estimates. */
function libraryEstimates(method: 'ledoit_wolf' | 'sample' = 'ledoit_wolf') {
  const universe = loadSampleBars('stocks');
  const R = returnsMatrix(universe, { kind: 'simple', align: 'inner' });
  return { universe, R, cov: covariance(R, { method, annualize: true }), mu: expectedReturns(R, { method: 'mean', annualize: true }) };
}

describe('the option lists', () => {
  it('--covariance offers exactly the library estimators and --method every objective', () => {
    expect([...PORTFOLIO_COVARIANCES]).toEqual([...COVARIANCE_METHODS]);
    expect(PORTFOLIO_METHODS.slice(0, OBJECTIVES.length)).toEqual([...OBJECTIVES]);
  });
});

describe('portfolio optimize on sample:stocks', () => {
  it('min_variance (the default): the library’s weights; below every single asset and equal weights', async () => {
    const doc = await optimize();
    const { cov, mu } = libraryEstimates();
    const direct = await optimizePortfolio({ cov, mu, objective: 'min_variance', bounds: [0, 1], riskFreeRate: 0.02 });
    expect(doc.data.symbols).toEqual(SYMBOLS);
    expect(doc.settings).toMatchObject({ method: 'min_variance', covariance: 'ledoit_wolf', expectedReturns: 'mean', riskFreeRate: 0.02, bounds: [0, 1] });
    for (const s of SYMBOLS) expect(weightsOf(doc)[s]).toBeCloseTo(direct.weights[s]!, 10);
    expect(sum(doc.assets.map((a) => a.weight))).toBeCloseTo(1, 12);
    expect(doc.assets.every((a) => a.weight >= -1e-12 && a.weight <= 1 + 1e-12)).toBe(true);
    expect(doc.solver.status).toBe('optimal');
    expect(['highs', 'quadprog']).toContain(doc.solver.name);
    const vol = doc.portfolio.volatility;
    expect(vol).toBeCloseTo(volatilityOf(cov, direct.weights), 12);
    for (const a of doc.assets) expect(vol).toBeLessThanOrEqual(a.volatility);
    const equal = Object.fromEntries(SYMBOLS.map((s) => [s, 1 / 5]));
    expect(vol).toBeLessThanOrEqual(volatilityOf(cov, equal));
    const equalRun = await optimize('--method', 'equal_weight');
    expect(vol).toBeLessThanOrEqual(equalRun.portfolio.volatility);
    expect(equalRun.portfolio.volatility).toBeCloseTo(volatilityOf(cov, equal), 12);
  });

  it('reports the estimation window and the annualization: 67 monthly returns from 2004-09 (GOOG lists from 2004-08), x12', async () => {
    const doc = await optimize();
    expect(doc.estimation).toMatchObject({ periods: 67, availablePeriods: 67, lookback: null, periodsPerYear: 12 });
    expect(doc.estimation.start.slice(0, 10)).toBe('2004-09-01');
    expect(doc.estimation.end.slice(0, 10)).toBe('2010-03-01');
    const text = await runInProcess(['portfolio', 'optimize', '--data', 'sample:stocks'], cwd);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Estimation window: 2004-09-01 to 2010-03-01, 67 monthly returns');
    expect(text.stdout).toContain('x12 periods per year (inferred from the bar times)');
    expect(text.stdout).toMatch(/Solver: (highs|quadprog), optimal/);
    expect(text.stdout).toMatch(/leftover cash [\d,]+\.\d\d/);
  });

  it('expected returns and volatilities per symbol are the annualized estimates; risk contributions add up', async () => {
    const doc = await optimize('--method', 'equal_weight');
    const { R, cov } = libraryEstimates();
    for (const [i, a] of doc.assets.entries()) {
      let mean = 0;
      for (let t = 0; t < R.rows; t++) mean += R.values[t * R.cols + i]!;
      expect(a.expectedReturn).toBeCloseTo((mean / R.rows) * 12, 12);
      expect(a.volatility).toBeCloseTo(Math.sqrt(cov.matrix[i * 5 + i]!), 12);
    }
    expect(sum(doc.assets.map((a) => a.riskShare))).toBeCloseTo(1, 12);
    expect(sum(doc.assets.map((a) => a.riskContribution))).toBeCloseTo(doc.portfolio.volatility, 12);
    const expected = sum(doc.assets.map((a) => a.weight * a.expectedReturn));
    expect(doc.portfolio.expectedReturn).toBeCloseTo(expected, 12);
    expect(doc.portfolio.sharpeRatio).toBeCloseTo((expected - 0.02) / doc.portfolio.volatility, 12);
  });

  it('the frontier runs from the minimum-variance portfolio up, monotone in return and volatility', async () => {
    const doc = await optimize('--frontier-points', '12');
    const minVar = doc.portfolio;
    expect(doc.frontier).toHaveLength(12);
    expect(doc.frontier[0]!.volatility).toBeCloseTo(minVar.volatility, 9);
    expect(doc.frontier[0]!.expectedReturn).toBeCloseTo(minVar.expectedReturn, 9);
    for (let k = 1; k < doc.frontier.length; k++) {
      expect(doc.frontier[k]!.expectedReturn).toBeGreaterThan(doc.frontier[k - 1]!.expectedReturn);
      expect(doc.frontier[k]!.volatility).toBeGreaterThanOrEqual(doc.frontier[k - 1]!.volatility - 1e-12);
    }
    // Long only: the top of the frontier is the single asset with the highest expected return.
    const best = doc.assets.reduce((a, b) => (b.expectedReturn > a.expectedReturn ? b : a));
    expect(doc.frontier.at(-1)!.expectedReturn).toBeCloseTo(best.expectedReturn, 12);
    for (const p of doc.frontier) expect(sum(Object.values(p.weights))).toBeCloseTo(1, 9);
  });

  it('max_sharpe beats every frontier portfolio’s Sharpe ratio; target_return and target_volatility meet their targets', async () => {
    const tangency = await optimize('--method', 'max_sharpe');
    for (const p of tangency.frontier) expect(tangency.portfolio.sharpeRatio).toBeGreaterThanOrEqual(p.sharpeRatio - 1e-9);
    const { cov, mu } = libraryEstimates();
    const direct = await optimizePortfolio({ cov, mu, objective: 'max_sharpe', riskFreeRate: 0.02 });
    for (const s of SYMBOLS) expect(weightsOf(tangency)[s]).toBeCloseTo(direct.weights[s]!, 8);

    const target = await optimize('--method', 'target_return', '--target-return', '0.3');
    expect(target.portfolio.expectedReturn).toBeGreaterThanOrEqual(0.3 - 1e-9);
    expect(target.settings['targetReturn']).toBe(0.3);
    const capped = await optimize('--method', 'target_volatility', '--target-volatility', '0.3');
    expect(capped.portfolio.volatility).toBeCloseTo(0.3, 9);
    expect(capped.portfolio.expectedReturn).toBeGreaterThan(target.portfolio.expectedReturn);
  });

  it('hrp, risk_parity and inverse_volatility: the library’s allocations on the same covariance', async () => {
    const { cov } = libraryEstimates();
    const hrp = await optimize('--method', 'hrp');
    const direct = hierarchicalRiskParity(cov);
    for (const s of SYMBOLS) expect(weightsOf(hrp)[s]).toBeCloseTo(direct.weights[s]!, 12);
    expect(hrp.solver.detail).toContain(direct.order.join(' '));

    const erc = await optimize('--method', 'risk_parity');
    for (const a of erc.assets) expect(a.riskShare).toBeCloseTo(0.2, 9);
    expect(erc.solver).toMatchObject({ name: 'newton', status: 'converged' });

    const iv = await optimize('--method', 'inverse_volatility');
    const inv = SYMBOLS.map((s, i) => 1 / Math.sqrt(cov.matrix[i * 5 + i]!));
    for (const [i, a] of iv.assets.entries()) expect(a.weight).toBeCloseTo(inv[i]! / sum(inv), 12);
  });

  it('--covariance sample, --returns ewma and --risk-free reach the library', async () => {
    const doc = await optimize('--covariance', 'sample', '--returns', 'ewma', '--risk-free', '0', '--method', 'max_sharpe');
    const universe = loadSampleBars('stocks');
    const R = returnsMatrix(universe, { kind: 'simple', align: 'inner' });
    const cov = covariance(R, { method: 'sample', annualize: true });
    const mu = expectedReturns(R, { method: 'ema', annualize: true });
    for (const [i, a] of doc.assets.entries()) {
      expect(a.expectedReturn).toBeCloseTo(mu.values[i]!, 12);
      expect(a.volatility).toBeCloseTo(Math.sqrt(cov.matrix[i * 5 + i]!), 12);
    }
    const direct = await optimizePortfolio({ cov, mu, objective: 'max_sharpe', riskFreeRate: 0 });
    for (const s of SYMBOLS) expect(weightsOf(doc)[s]).toBeCloseTo(direct.weights[s]!, 8);
    expect(doc.settings['shrinkage']).toBeNull();
    const shrunk = await optimize('--covariance', 'constant_correlation');
    // 67 monthly returns of five stocks: the intensity kappa / T reaches its cap of 1.
    expect(shrunk.settings['shrinkage']).toBe(covariance(R, { method: 'constant_correlation', annualize: true }).shrinkage);
    expect(shrunk.settings['shrinkage']).toBe(1);
    const lw = await optimize();
    expect(lw.settings['shrinkage']).toBeCloseTo(covariance(R, { method: 'ledoit_wolf' }).shrinkage!, 12);
    expect(lw.settings['shrinkage']).toBeGreaterThan(0);
    expect(lw.settings['shrinkage']).toBeLessThan(1);
  });

  it('--lookback estimates on the last n returns only', async () => {
    const doc = await optimize('--lookback', '24');
    expect(doc.estimation).toMatchObject({ periods: 24, availablePeriods: 67, lookback: 24 });
    expect(doc.estimation.start.slice(0, 10)).toBe('2008-04-01');
    expect(doc.estimation.end.slice(0, 10)).toBe('2010-03-01');
    const { R } = libraryEstimates();
    const start = R.rows - 24;
    const window = returnsMatrix({ symbols: R.symbols, values: R.values.slice(start * 5), periodsPerYear: 12 });
    const cov = covariance(window, { method: 'ledoit_wolf', annualize: true });
    const direct = await optimizePortfolio({ cov, objective: 'min_variance' });
    for (const s of SYMBOLS) expect(weightsOf(doc)[s]).toBeCloseTo(direct.weights[s]!, 9);
  });

  it('--bounds caps every weight (and the frontier)', async () => {
    const doc = await optimize('--bounds', '0.05,0.4', '--method', 'max_sharpe');
    for (const a of doc.assets) {
      expect(a.weight).toBeGreaterThanOrEqual(0.05 - 1e-9);
      expect(a.weight).toBeLessThanOrEqual(0.4 + 1e-9);
    }
    for (const p of doc.frontier) for (const w of Object.values(p.weights)) expect(w).toBeLessThanOrEqual(0.4 + 1e-9);
    const shorts = await optimize('--bounds', '-0.5,1', '--method', 'max_sharpe');
    expect(shorts.assets.some((a) => a.weight < 0)).toBe(true);
    expect(shorts.allocation.quantities).toBeNull();
    expect(shorts.allocation.skipped).toContain('long positions only');
  });

  it('--cash: whole units at each symbol’s last close, as the library allocates them; the money adds up', async () => {
    const doc = await optimize('--method', 'hrp', '--cash', '25000');
    const universe = loadSampleBars('stocks');
    const prices: Record<string, number> = {};
    for (const [symbol, bars] of universe) {
      prices[symbol] = bars.close[bars.length - 1]!;
      expect(doc.allocation.prices[symbol]!.price).toBe(prices[symbol]);
    }
    const direct = discreteAllocation({ weights: weightsOf(doc), prices, cash: 25_000 });
    expect(doc.allocation.quantities).toEqual(direct.quantities);
    const spent = sum(Object.entries(doc.allocation.quantities!).map(([s, q]) => q * prices[s]!));
    expect(spent + doc.allocation.leftover!).toBeCloseTo(25_000, 8);
    expect(doc.allocation.leftover).toBeGreaterThanOrEqual(0);
    expect(doc.allocation.invested).toBeCloseTo(spent, 8);
  });

  it('--json prints one document with every section', async () => {
    const doc = await optimize();
    expect(Object.keys(doc)).toEqual([
      'ok',
      'command',
      'data',
      'estimation',
      'settings',
      'solver',
      'portfolio',
      'assets',
      'allocation',
      'frontier',
      'warnings',
      'files',
    ]);
    expect(doc.ok).toBe(true);
    expect(doc.data).toEqual({ source: 'sample:stocks', kind: 'sample', symbols: SYMBOLS });
    expect(Object.keys(doc.assets[0]!)).toEqual(['symbol', 'weight', 'expectedReturn', 'volatility', 'riskContribution', 'riskShare']);
    expect(doc.frontier).toHaveLength(20);
    expect(doc.files).toEqual([]);
  });
});

describe('the universe loader', () => {
  it('a folder of CSV files and a CSV file with a symbol column give the same portfolio as the sample', async () => {
    const dir = tempDir('algo-cli-universe-');
    const lines = readFileSync(samplePath('stocks'), 'utf8').trimEnd().split('\n');
    const bySymbol = new Map<string, string[]>();
    for (const line of lines.slice(1)) {
      const [symbol, date, price] = line.split(',');
      bySymbol.set(symbol!, [...(bySymbol.get(symbol!) ?? []), `${date},${price}`]);
    }
    mkdirSync(join(dir, 'prices'));
    for (const [symbol, rows] of bySymbol) writeFileSync(join(dir, 'prices', `${symbol}.csv`), `date,close\n${rows.join('\n')}\n`);
    const sample = await optimize('--method', 'hrp');
    const folder = await runInProcess(['portfolio', 'optimize', '--data', 'prices', '--method', 'hrp', '--json'], dir);
    expect(folder.code, folder.stderr).toBe(0);
    const fromFolder = JSON.parse(folder.stdout) as Doc;
    expect(fromFolder.data).toEqual({ source: join(dir, 'prices'), kind: 'folder', symbols: SYMBOLS });
    expect(fromFolder.assets).toEqual(sample.assets);

    const csv = await runInProcess(['portfolio', 'optimize', '--data', samplePath('stocks'), '--method', 'hrp', '--json'], dir);
    expect(csv.code, csv.stderr).toBe(0);
    const fromCsv = JSON.parse(csv.stdout) as Doc;
    expect(fromCsv.data.kind).toBe('csv');
    expect(fromCsv.assets).toEqual(sample.assets);
  });

  it('loadUniverse: a single-series sample is a universe of one; a folder’s rows out of order name --sort-unordered', async () => {
    const dir = tempDir('algo-cli-universe-');
    const one = await loadUniverse('sample:sp500', (p) => join(dir, p), silentLogger);
    expect([...one.universe.keys()]).toEqual(['SP500']);
    expect(one).toMatchObject({ source: 'sample:sp500', kind: 'sample' });
    mkdirSync(join(dir, 'prices'));
    writeFileSync(join(dir, 'prices', 'A.csv'), 'date,close\n2020-02-01,2\n2020-01-01,1\n2020-03-01,3\n');
    writeFileSync(join(dir, 'prices', 'B.csv'), 'date,close\n2020-01-01,1\n2020-02-01,2\n2020-03-01,3\n');
    await expect(loadUniverse('prices', (p) => join(dir, p), silentLogger)).rejects.toThrow(/--sort-unordered/);
    const sorted = await loadUniverse('prices', (p) => join(dir, p), silentLogger, { sortUnordered: true });
    expect([...sorted.universe.keys()]).toEqual(['A', 'B']);
    expect(Array.from(sorted.universe.get('A')!.close)).toEqual([1, 2, 3]);
  });

  it('single-series commands (walk-forward) still refuse a universe: a sample, a folder, a CSV file of several symbols', async () => {
    const dir = tempDir('algo-cli-universe-');
    mkdirSync(join(dir, 'prices'));
    writeFileSync(join(dir, 'prices', 'A.csv'), 'date,close\n2020-01-01,1\n');
    const cases: [string, RegExp][] = [
      ['sample:stocks', /sample:stocks holds 5 symbols \(AAPL, AMZN, GOOG, IBM, MSFT\); the commands run one series.*portfolio optimize/],
      ['prices', /prices is a folder; the commands run one series.*portfolio optimize/],
      [samplePath('stocks'), /stocks\.csv holds 5 symbols \(.*\); the commands run one series.*portfolio optimize/],
    ];
    for (const [data, message] of cases) {
      const run = await runInProcess(['walk-forward', '--data', data, '--json'], dir);
      expect(run.code, data).toBe(2);
      expect(run.stderr).toMatch(message);
      expect((JSON.parse(run.stdout) as { ok: boolean }).ok).toBe(false);
    }
  });
});

describe('bad input: usage errors naming the option and its value', () => {
  const cases: [string[], RegExp][] = [
    [['--data', 'sample:sp500'], /--data sample:sp500 holds one symbol \(SP500\); a portfolio needs at least two/],
    [['--data', 'sample:nope'], /unknown sample "nope"/],
    [['--data', 'sample:stocks', '--method', 'mean_variance'], /option '--method <name>' argument 'mean_variance' is invalid\. Allowed choices are min_variance, /],
    [['--data', 'sample:stocks', '--covariance', 'shrunk'], /option '--covariance <estimator>' argument 'shrunk' is invalid/],
    [['--data', 'sample:stocks', '--returns', 'median'], /option '--returns <estimator>' argument 'median' is invalid/],
    [['--data', 'sample:stocks', '--risk-free', 'two'], /option '--risk-free <rate>' argument 'two' is invalid\. expected a finite number/],
    [['--data', 'sample:stocks', '--method', 'max_sharpe', '--risk-free', '0.7'], /--risk-free 0\.7: max_sharpe needs a portfolio whose expected return exceeds riskFreeRate 0\.7/],
    [['--data', 'sample:stocks', '--target-return', 'x'], /option '--target-return <rate>' argument 'x' is invalid/],
    [['--data', 'sample:stocks', '--method', 'target_return'], /--method target_return needs --target-return/],
    [['--data', 'sample:stocks', '--target-return', '0.2'], /--target-return 0\.2 applies to --method target_return only, not min_variance/],
    [['--data', 'sample:stocks', '--method', 'target_return', '--target-return', '0.9'], /--target-return 0\.9: targetReturn 0\.9 is above the highest expected return reachable within the bounds, 0\.56/],
    [['--data', 'sample:stocks', '--target-volatility', '0'], /option '--target-volatility <vol>' argument '0' is invalid\. expected a number greater than 0/],
    [['--data', 'sample:stocks', '--method', 'target_volatility'], /--method target_volatility needs --target-volatility/],
    [['--data', 'sample:stocks', '--method', 'hrp', '--target-volatility', '0.2'], /--target-volatility 0\.2 applies to --method target_volatility only, not hrp/],
    [['--data', 'sample:stocks', '--method', 'target_volatility', '--target-volatility', '0.1'], /--target-volatility 0\.1: targetVolatility 0\.1 is below the lowest volatility reachable/],
    [['--data', 'sample:stocks', '--bounds', '1'], /option '--bounds <lower,upper>' argument '1' is invalid\. expected two numbers lower,upper/],
    [['--data', 'sample:stocks', '--bounds', '0.5,0.1'], /argument '0\.5,0\.1' is invalid\. expected lower <= upper, got 0\.5 > 0\.1/],
    [['--data', 'sample:stocks', '--bounds', '0,0.1'], /--bounds 0,0\.1: bounds cannot sum to 1: the upper bounds add up to 0\.5 < 1/],
    [['--data', 'sample:stocks', '--bounds', '0,0.5', '--method', 'hrp'], /--bounds 0,0\.5 applies to the mean-variance methods/],
    [['--data', 'sample:stocks', '--lookback', '1'], /option '--lookback <n>' argument '1' is invalid\. expected an integer greater than or equal to 2/],
    [['--data', 'sample:stocks', '--lookback', '500'], /--lookback 500 is more than the 67 return periods common to every symbol/],
    [['--data', 'sample:stocks', '--covariance', 'sample', '--lookback', '4'], /--covariance sample on --lookback 4: sample covariance of 5 symbols needs more than 5 return rows, got 4/],
    [['--data', 'sample:stocks', '--cash', '-5'], /option '--cash <amount>' argument '-5' is invalid\. expected a number greater than 0/],
    [['--data', 'sample:stocks', '--frontier-points', '1'], /option '--frontier-points <n>' argument '1' is invalid/],
  ];

  for (const [args, message] of cases) {
    it(args.slice(2).join(' ') || args.join(' '), async () => {
      const run = await runInProcess(['portfolio', 'optimize', ...args, '--json'], cwd);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
      const doc = JSON.parse(run.stdout) as { ok: boolean; error: { code: string; exitCode: number } };
      expect(doc.ok).toBe(false);
      expect(doc.error.exitCode).toBe(2);
    });
  }

  it('the library’s typed error is the cause: --json reports its code', async () => {
    const run = await runInProcess(['portfolio', 'optimize', '--data', 'sample:stocks', '--method', 'target_return', '--target-return', '0.9', '--json'], cwd);
    expect((JSON.parse(run.stdout) as { error: { code: string } }).error.code).toBe('INVALID_ARGUMENT');
  });

  it('a missing data file is a failed run (exit 1) naming it', async () => {
    const run = await runInProcess(['portfolio', 'optimize', '--data', 'nowhere.csv'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nowhere.csv');
  });
});

describe('--out', () => {
  it('writes portfolio.json, weights.csv, frontier.csv and report.html together, nothing else', async () => {
    const out = join(tempDir('algo-cli-pf-out-'), 'run');
    const doc = await optimize('--method', 'max_sharpe', '--out', out);
    expect(readdirSync(out).sort()).toEqual(['frontier.csv', 'portfolio.json', 'report.html', 'weights.csv']);
    expect(doc.files).toEqual(['portfolio.json', 'weights.csv', 'frontier.csv', 'report.html'].map((f) => join(out, f)));
    expect(readdirSync(dirname(out))).toEqual(['run']); // no temporary file or folder left beside it

    const file = JSON.parse(readFileSync(join(out, 'portfolio.json'), 'utf8')) as Doc;
    const { files: _files, ...printed } = doc;
    expect(file).toEqual(printed);

    const weights = readFileSync(join(out, 'weights.csv'), 'utf8').trimEnd().split('\n');
    expect(weights[0]).toBe('symbol,weight,expected_return,volatility,risk_contribution,risk_share,last_close,quantity');
    expect(weights).toHaveLength(6);
    const aapl = weights.find((l) => l.startsWith('AAPL,'))!.split(',');
    expect(Number(aapl[1])).toBeCloseTo(weightsOf(doc)['AAPL']!, 12);
    expect(Number(aapl[7])).toBe(doc.allocation.quantities!['AAPL'] ?? 0);

    const frontier = readFileSync(join(out, 'frontier.csv'), 'utf8').trimEnd().split('\n');
    expect(frontier[0]).toBe('point,expected_return,volatility,sharpe_ratio,w_AAPL,w_AMZN,w_GOOG,w_IBM,w_MSFT');
    expect(frontier).toHaveLength(21);
    const vols = frontier.slice(1).map((l) => Number(l.split(',')[2]));
    expect(vols[0]).toBeCloseTo(doc.frontier[0]!.volatility, 12);
  });

  it('report.html: the frontier chart with the chosen portfolio and every asset, the weights chart, the tables; self-contained', async () => {
    const out = join(tempDir('algo-cli-pf-out-'), 'run');
    await optimize('--method', 'hrp', '--out', out);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    const frontier = /<div class="chart" data-chart="efficient-frontier">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    expect(frontier).toMatch(/^<svg/);
    expect(frontier).toContain('efficient frontier');
    expect(frontier).toContain('chosen: hrp');
    for (const s of SYMBOLS) expect(frontier).toContain(`>${s}<`);
    expect(html).toMatch(/data-chart="weights"><svg/);
    expect(html).toContain('<h2>Discrete allocation</h2>');
    expect(html).toContain('<h2>Frontier portfolios</h2>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('replaces an earlier output folder as a whole; a failed run or a foreign file leaves it as it was', async () => {
    const out = join(tempDir('algo-cli-pf-out-'), 'run');
    await optimize('--out', out);
    const first = readFileSync(join(out, 'portfolio.json'), 'utf8');
    await optimize('--method', 'equal_weight', '--out', out);
    const second = readFileSync(join(out, 'portfolio.json'), 'utf8');
    expect(second).not.toBe(first);
    expect((JSON.parse(second) as Doc).settings['method']).toBe('equal_weight');

    const failed = await runInProcess(
      ['portfolio', 'optimize', '--data', 'sample:stocks', '--method', 'target_return', '--target-return', '5', '--out', out],
      cwd,
    );
    expect(failed.code).toBe(2);
    expect(readFileSync(join(out, 'portfolio.json'), 'utf8')).toBe(second);

    writeFileSync(join(out, 'notes.txt'), 'mine');
    const refused = await runInProcess(['portfolio', 'optimize', '--data', 'sample:stocks', '--out', out], cwd);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('holds files that are not outputs of a run (notes.txt)');
    expect(readFileSync(join(out, 'portfolio.json'), 'utf8')).toBe(second);
    expect(existsSync(join(out, 'notes.txt'))).toBe(true);
  });
});

describe('the built command', () => {
  beforeAll(() => {
    ensureBuiltCli(); // builds only what changed since the last build (Nx cache)
  }, 600_000);

  it(
    'portfolio optimize --json runs as a process and loads the HiGHS solver from the package',
    async () => {
      const run: CliRun = await spawnCli(['portfolio', 'optimize', '--data', 'sample:stocks', '--method', 'max_sharpe', '--json', '-q'], {
        cwd,
        timeoutMs: 300_000,
      });
      expect(run.code, run.stderr).toBe(0);
      const doc = JSON.parse(run.stdout) as Doc;
      expect(doc.solver.status).toBe('optimal');
      expect(sum(doc.assets.map((a) => a.weight))).toBeCloseTo(1, 12);
    },
    300_000,
  );
});
